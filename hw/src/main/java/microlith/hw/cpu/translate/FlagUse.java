package microlith.hw.cpu.translate;

import microlith.hw.cpu.decode.Fuse;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;

/**
 * Which entries read the arithmetic flags and which overwrite all of them, for the
 * region's liveness pass. The flags are one unit here, as the lazy record is: an entry
 * that changes only some flags (INC, DEC, rotates) reads the rest. An entry that may
 * fault reads them too, since a fault hands them to the exception frame.
 */
final class FlagUse {
    private FlagUse() {
    }

    static boolean reads(Insn i, int kind) {
        switch (kind) {
            case Region.INLINE:
                return readsFlags(i, i.op) || InstructionCode.mayFault(i, i.op);
            case Region.FUSED:
                return readsFlags(i, Fuse.firstHalf(i.op)) || InstructionCode.mayFault(i, Fuse.firstHalf(i.op));
            case Region.JMP:
                return false;
            default:
                // Conditions, generic handlers, calls and returns (which may fault).
                return true;
        }
    }

    static boolean writesAll(Insn i, int kind) {
        if (kind == Region.FUSED) {
            return overwrites(i, Fuse.firstHalf(i.op));
        }
        return kind == Region.INLINE && overwrites(i, i.op);
    }

    private static boolean readsFlags(Insn i, int op) {
        switch (op) {
            case Op.SETCC: case Op.CMOVCC: case Op.INC: case Op.DEC:
            case Op.F_ROL_RI: case Op.F_ROR_RI:
                return true;
            case Op.ALU_RM_R: case Op.ALU_R_RM: case Op.ALU_RM_I: case Op.ALU_RR_ANY: case Op.ALU_RI_ANY:
                return i.sub == 2 || i.sub == 3;
            case Op.SHIFT_1: case Op.SHIFT_I: case Op.SHIFT_CL:
                // Rotates keep SF, ZF, AF, PF; a shift by CL may shift by zero and keep all.
                return i.sub < 4 || op == Op.SHIFT_CL;
            default:
                return false;
        }
    }

    private static boolean overwrites(Insn i, int op) {
        switch (op) {
            case Op.ALU_RM_R: case Op.ALU_R_RM: case Op.ALU_RM_I: case Op.ALU_RR_ANY: case Op.ALU_RI_ANY:
            case Op.TEST_RM_R: case Op.TEST_RM_I: case Op.NEG:
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_SUB_RR64: case Op.F_SUB_RR32:
            case Op.F_CMP_RR64: case Op.F_CMP_RR32: case Op.F_XOR_RR64: case Op.F_XOR_RR32:
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_OR_RR64: case Op.F_OR_RR32:
            case Op.F_TEST_RR64: case Op.F_TEST_RR32:
            case Op.F_ADD_RI64: case Op.F_ADD_RI32: case Op.F_SUB_RI64: case Op.F_SUB_RI32:
            case Op.F_CMP_RI64: case Op.F_CMP_RI32: case Op.F_AND_RI64: case Op.F_AND_RI32:
            case Op.F_CMP_MR:
            case Op.F_SHL_RI: case Op.F_SHR_RI: case Op.F_SAR_RI:
            case Op.F_IMUL_RR64: case Op.F_IMUL_RRI64: case Op.F_IMUL_RR32: case Op.F_IMUL_RRI32:
            case Op.IMUL_R_RM: case Op.IMUL_R_RM_I: case Op.MUL: case Op.IMUL1:
                return true;
            case Op.SHIFT_1:
                return i.sub >= 4;
            case Op.SHIFT_I:
                return i.sub >= 4 && (i.imm & (i.osz == 8 ? 0x3f : 0x1f)) != 0;
            default:
                return false;
        }
    }
}
