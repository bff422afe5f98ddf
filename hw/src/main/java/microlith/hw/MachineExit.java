package microlith.hw;

/** Why and how a machine run ended. */
public final class MachineExit {
    public enum Kind {
        /** The guest wrote its status to the power-off port. */
        POWER_OFF,
        /** The guest reset the machine (port 0xCF9): the host may boot it again. */
        RESET,
        /** A fault could not be delivered: the CPU shut down. */
        TRIPLE_FAULT,
        /** HLT with interrupts disabled: nothing can wake the CPU. */
        HALTED,
        /** Idle, with no timer armed and the console input closed. */
        IDLE_FOREVER,
        /** The instruction limit given to the run was reached. */
        LIMIT,
        /** Stopped from the host (Ctrl-C). */
        INTERRUPTED
    }

    public final Kind kind;
    public final int status;
    public final String detail;

    public MachineExit(Kind kind, int status, String detail) {
        this.kind = kind;
        this.status = status;
        this.detail = detail;
    }

    @Override
    public String toString() {
        return kind + " status=" + status + (detail == null ? "" : " (" + detail + ")");
    }
}
