package microlith.hw.cpu.decode;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.LazyFlags;

/**
 * Rewrites the commonest generic forms into handlers that need no operand-size switch:
 * register-to-register and register-immediate ALU operations, moves and simple loads and
 * stores at 32 and 64 bits. Specialized handlers keep the destination in {@code reg} and
 * the source register in {@code rm}. Everything else keeps its generic handler.
 */
public final class Specialize {
    private Specialize() {
    }

    /**
     * A memory operand [base + index*scale + disp] with 64-bit addressing and no segment
     * override or RIP base. When specializing one, a missing base or index is pointed at
     * the always-zero register slot {@link Core#ZERO}, so
     * {@link microlith.hw.cpu.integer.FastOps#ea} needs no tests.
     */
    private static boolean plainMem(Insn d) {
        if (!d.mem || d.seg >= 0 || d.asz != 8 || d.ripRel) {
            return false;
        }
        if (d.base < 0) {
            d.base = Core.ZERO;
        }
        if (d.index < 0) {
            d.index = Core.ZERO;
        }
        return true;
    }

    public static void apply(Insn d) {
        int sz = d.osz;
        if (d.op == Op.ALU_RM_R && d.sub == 7 && sz >= 2 && plainMem(d)) {
            // CMP [mem], reg at 16, 32 or 64 bits; imm (unused by CMP) holds the size mask.
            d.op = Op.F_CMP_MR;
            d.imm = LazyFlags.mask(sz);
            return;
        }
        if (sz != 8 && sz != 4) {
            return;
        }
        boolean q = sz == 8;
        switch (d.op) {
            case Op.MOV_RM_R:
                if (!d.mem) {
                    int dst = d.rm;
                    d.rm = d.reg;
                    d.reg = dst;
                    d.op = q ? Op.F_MOV_RR64 : Op.F_MOV_RR32;
                } else if (plainMem(d)) {
                    d.op = q ? Op.F_STORE64 : Op.F_STORE32;
                }
                return;
            case Op.MOV_R_RM:
                if (!d.mem) {
                    d.op = q ? Op.F_MOV_RR64 : Op.F_MOV_RR32;
                } else if (plainMem(d)) {
                    d.op = q ? Op.F_LOAD64 : Op.F_LOAD32;
                }
                return;
            case Op.MOV_R_I:
                d.op = q ? Op.F_MOV_RI64 : Op.F_MOV_RI32;
                if (!q) {
                    d.imm &= 0xffffffffL;
                }
                return;
            case Op.ALU_RM_R:
                if (!d.mem) {
                    int dst = d.rm;
                    d.rm = d.reg;
                    d.reg = dst;
                    d.op = aluRR(d.sub, q);
                }
                return;
            case Op.ALU_R_RM:
                if (!d.mem) {
                    d.op = aluRR(d.sub, q);
                }
                return;
            case Op.ALU_RM_I:
                if (!d.mem) {
                    d.reg = d.rm;
                    if (!q) {
                        d.imm &= 0xffffffffL;
                    }
                    d.op = aluRI(d.sub, q);
                }
                return;
            case Op.SHIFT_I: {
                int cnt = (int) d.imm & (q ? 0x3f : 0x1f);
                if (!d.mem && cnt != 0 && (d.sub == 0 || d.sub == 1)) {
                    d.reg = d.rm;
                    d.imm = cnt;
                    d.op = d.sub == 0 ? Op.F_ROL_RI : Op.F_ROR_RI;
                    return;
                }
                if (!d.mem && cnt != 0 && (d.sub == 4 || d.sub == 5 || d.sub == 6 || d.sub == 7)) {
                    d.reg = d.rm;
                    d.imm = cnt;
                    d.op = d.sub == 5 ? Op.F_SHR_RI : d.sub == 7 ? Op.F_SAR_RI : Op.F_SHL_RI;
                }
                return;
            }
            case Op.IMUL_R_RM:
                if (!d.mem) {
                    d.op = q ? Op.F_IMUL_RR64 : Op.F_IMUL_RR32;
                }
                return;
            case Op.IMUL_R_RM_I:
                if (!d.mem) {
                    d.op = q ? Op.F_IMUL_RRI64 : Op.F_IMUL_RRI32;
                }
                return;
            case Op.TEST_RM_R:
                if (!d.mem) {
                    d.op = q ? Op.F_TEST_RR64 : Op.F_TEST_RR32;
                }
                return;
            case Op.PUSH_R:
                d.op = Op.F_PUSH64;
                return;
            case Op.POP_R:
                d.op = Op.F_POP64;
                return;
            case Op.MOVZX:
                // Zero-extending to 32 bits clears the upper half too: one handler for both sizes.
                if (plainMem(d)) {
                    d.op = d.sub == 1 ? Op.F_MOVZX8_M : Op.F_MOVZX16_M;
                }
                return;
            case Op.MOVSX:
                // imm holds the mask of the destination size (MOVSX does not use imm).
                if (plainMem(d)) {
                    d.op = d.sub == 1 ? Op.F_MOVSX8_M : Op.F_MOVSX16_M;
                    d.imm = q ? -1L : 0xffffffffL;
                }
                return;
            case Op.MOVSXD:
                if (q && plainMem(d)) {
                    d.op = Op.F_MOVSXD_M;
                }
                return;
            case Op.LEA:
                if (d.asz == 8 && !d.ripRel && plainMem(d)) {
                    d.op = Op.F_LEA;
                    d.imm = q ? -1L : 0xffffffffL;
                }
                return;
            default:
        }
    }

    private static int aluRR(int kind, boolean q) {
        switch (kind) {
            case 0: return q ? Op.F_ADD_RR64 : Op.F_ADD_RR32;
            case 5: return q ? Op.F_SUB_RR64 : Op.F_SUB_RR32;
            case 7: return q ? Op.F_CMP_RR64 : Op.F_CMP_RR32;
            case 6: return q ? Op.F_XOR_RR64 : Op.F_XOR_RR32;
            case 4: return q ? Op.F_AND_RR64 : Op.F_AND_RR32;
            case 1: return q ? Op.F_OR_RR64 : Op.F_OR_RR32;
            default: return Op.ALU_RR_ANY;
        }
    }

    private static int aluRI(int kind, boolean q) {
        switch (kind) {
            case 0: return q ? Op.F_ADD_RI64 : Op.F_ADD_RI32;
            case 5: return q ? Op.F_SUB_RI64 : Op.F_SUB_RI32;
            case 7: return q ? Op.F_CMP_RI64 : Op.F_CMP_RI32;
            case 4: return q ? Op.F_AND_RI64 : Op.F_AND_RI32;
            default: return Op.ALU_RI_ANY;
        }
    }
}
