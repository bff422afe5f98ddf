package microlith.hw.cpu.decode;

import microlith.hw.PhysicalMemory;

/**
 * Compare-and-branch fusion: a flag-setting instruction that does not write memory,
 * directly followed by a Jcc in the same page, becomes one predecoded entry. The hot loop
 * then runs both with a single fetch and dispatch, but still counts two instructions, still
 * records the flags (later readers see them as if the Jcc ran alone), and stops after the
 * first half when the slice ends there. Nothing between the two can fault or be
 * interrupted: the first half either faults (and restarts at its own start, as unfused)
 * or completes, and a Jcc cannot fault. The Jcc keeps its own unfused entry at its own
 * offset for jumps that land on it.
 *
 * <p>Fused entries keep the first instruction's fields and length; {@code jcc},
 * {@code jlen} and {@code jdisp} describe the branch. {@link microlith.hw.cpu.Exec#execute}
 * runs only the first half of a fused entry, so single-stepping sees two instructions.
 */
public final class Fuse {
    private Fuse() {
    }

    /**
     * Fuses {@code i}, decoded at page offset {@code off} of the physical page at
     * {@code frame}, with a plain Jcc right after it (prefixed forms are left alone).
     */
    public static void apply(Insn i, PhysicalMemory mem, long frame, int off) {
        int fused = fusedOp(i);
        if (fused < 0) {
            return;
        }
        int at = off + i.len;
        if (at + 2 > PhysicalMemory.PAGE_SIZE) {
            return;
        }
        int b0 = mem.read8(frame + at);
        if ((b0 & 0xF0) == 0x70) {
            i.jcc = b0 & 0xF;
            i.jlen = 2;
            i.jdisp = (byte) mem.read8(frame + at + 1);
        } else if (b0 == 0x0F && at + 6 <= PhysicalMemory.PAGE_SIZE && (mem.read8(frame + at + 1) & 0xF0) == 0x80) {
            i.jcc = mem.read8(frame + at + 1) & 0xF;
            i.jlen = 6;
            i.jdisp = mem.read32(frame + at + 2);
        } else {
            return;
        }
        i.op = fused;
    }

    /** The fused handler for a first half, or -1 when it cannot be fused. */
    private static int fusedOp(Insn i) {
        switch (i.op) {
            case Op.F_TEST_RR64: return Op.FJ_TEST_RR64;
            case Op.F_TEST_RR32: return Op.FJ_TEST_RR32;
            case Op.F_CMP_RR64: return Op.FJ_CMP_RR64;
            case Op.F_CMP_RR32: return Op.FJ_CMP_RR32;
            case Op.F_CMP_RI64: return Op.FJ_CMP_RI64;
            case Op.F_CMP_RI32: return Op.FJ_CMP_RI32;
            case Op.F_SUB_RI64: return Op.FJ_SUB_RI64;
            case Op.F_SUB_RI32: return Op.FJ_SUB_RI32;
            case Op.F_CMP_MR: return Op.FJ_CMP_MR;
            // Generic forms: only those that write no memory, so the Jcc's bytes cannot change.
            case Op.ALU_RM_R: return !i.mem || i.sub == 7 ? Op.FJ_ALU_RM_R : -1;
            case Op.ALU_RM_I: return !i.mem || i.sub == 7 ? Op.FJ_ALU_RM_I : -1;
            case Op.ALU_R_RM: return Op.FJ_ALU_R_RM;
            case Op.TEST_RM_R: return Op.FJ_TEST_RM_R;
            case Op.TEST_RM_I: return Op.FJ_TEST_RM_I;
            default: return -1;
        }
    }

    /** The unfused handler of a fused entry's first half. */
    public static int firstHalf(int op) {
        switch (op) {
            case Op.FJ_TEST_RR64: return Op.F_TEST_RR64;
            case Op.FJ_TEST_RR32: return Op.F_TEST_RR32;
            case Op.FJ_CMP_RR64: return Op.F_CMP_RR64;
            case Op.FJ_CMP_RR32: return Op.F_CMP_RR32;
            case Op.FJ_CMP_RI64: return Op.F_CMP_RI64;
            case Op.FJ_CMP_RI32: return Op.F_CMP_RI32;
            case Op.FJ_SUB_RI64: return Op.F_SUB_RI64;
            case Op.FJ_SUB_RI32: return Op.F_SUB_RI32;
            case Op.FJ_CMP_MR: return Op.F_CMP_MR;
            case Op.FJ_ALU_RM_R: return Op.ALU_RM_R;
            case Op.FJ_ALU_RM_I: return Op.ALU_RM_I;
            case Op.FJ_ALU_R_RM: return Op.ALU_R_RM;
            case Op.FJ_TEST_RM_R: return Op.TEST_RM_R;
            case Op.FJ_TEST_RM_I: return Op.TEST_RM_I;
            default: return op;
        }
    }
}
