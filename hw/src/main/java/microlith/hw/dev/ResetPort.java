package microlith.hw.dev;

import microlith.hw.io.PortDevice;

/**
 * The PC's Reset Control Register at port 0xCF9 (Intel chipsets, the port Linux's
 * reboot=pci uses): writing a value with bit 2 (RST_CPU) set resets the machine, which
 * here ends the run with {@link microlith.hw.MachineExit.Kind#RESET} so the host can boot
 * it again.
 */
public final class ResetPort implements PortDevice {
    public static final int PORT = 0xCF9;
    private static final int RST_CPU = 0x04;

    private final Runnable reset;
    private int value;

    public ResetPort(Runnable reset) {
        this.reset = reset;
    }

    @Override
    public int in(int port, int size) {
        return value;
    }

    @Override
    public void out(int port, int size, int v) {
        value = v & 0xff;
        if ((v & RST_CPU) != 0) {
            reset.run();
        }
    }
}
