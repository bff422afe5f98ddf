package microlith.hw.cpu.decode;

import static microlith.hw.cpu.sse.Sse.*;

/**
 * Decodes the SSE/SSE2 opcodes of the 0F map into {@link Op#SSE} with Insn.sub naming the
 * operation (constants in {@link microlith.hw.cpu.sse.Sse}). The mandatory prefix (Insn.pfx: none, 66, F3, F2;
 * the decoder keeps the last F2/F3, else 66) selects the form. Other fields:
 * <ul>
 * <li>imm: the imm8 of shuffles, compares, PINSRW/PEXTRW and immediate shifts;
 * <li>imm2 bit 0 ({@link microlith.hw.cpu.sse.Sse#ALIGNED}): a 128-bit memory operand must be 16-byte aligned
 *     (legacy SSE rule; not for MOVUPS/MOVUPD/MOVDQU and the scalar or 64-bit forms);
 *     bit 1 ({@link microlith.hw.cpu.sse.Sse#IMM_COUNT}): a packed shift takes its count from imm8;
 * <li>osz: 4 or 8 for the general register of MOVD/MOVQ and the int conversions.
 * </ul>
 * MMX forms (no prefix on the packed-integer opcodes), SSE3 and later, and the 0F 38 / 0F 3A
 * maps are #UD: the CPUID this machine reports does not offer them.
 */
public final class SseDecode {
    private SseDecode() {
    }

    private static final int NONE = 0, P66 = 1, PF3 = 2, PF2 = 3;

    public static void decode(Decoder dec, Insn d, Decoder.Ctx c, int opcode) {
        d.op = Op.UD;
        int p = d.pfx == 0x66 ? P66 : d.pfx == 0xF3 ? PF3 : d.pfx == 0xF2 ? PF2 : NONE;
        if (opcode == 0x38 && p == P66 && dec.next() == 0x82) {
            // INVPCID r64, m128 (the only 0F 38 instruction offered); a register operand is #UD.
            dec.modrm(d, c, false);
            d.op = d.mem ? Op.INVPCID : Op.UD;
            return;
        }
        if (opcode == 0x38 || opcode == 0x3A) {
            return; // SSSE3/SSE4 three-byte maps: not offered
        }
        if (opcode == 0xAE) {
            group15(dec, d, c, p);
            return;
        }
        if (opcode == 0xC3) {
            // MOVNTI m32/m64, r: an ordinary store here (no caches to bypass).
            dec.modrm(d, c, false);
            d.osz = c.osz == 8 ? 8 : 4;
            d.op = d.mem && p == NONE ? Op.MOV_RM_R : Op.UD;
            return;
        }
        int sub = select(opcode, p);
        if (sub == 0) {
            return;
        }
        dec.modrm(d, c, false);
        d.op = Op.SSE;
        d.sub = sub;
        d.osz = d.rexW ? 8 : 4;
        if (needsImm(opcode)) {
            d.imm = dec.next();
        }
        if (aligned(opcode, p, sub)) {
            d.imm2 |= ALIGNED;
        }
        if (!operandsValid(opcode, p, d)) {
            d.op = Op.UD;
            return;
        }
        if (opcode >= 0x71 && opcode <= 0x73) {
            d.sub = shiftGroup(opcode, d.reg & 7);
            d.imm2 |= IMM_COUNT;
            if (d.sub == 0) {
                d.op = Op.UD;
            }
        }
    }

    private static boolean needsImm(int op) {
        return op == 0x70 || op == 0x71 || op == 0x72 || op == 0x73 || op == 0xC2 || op == 0xC4 || op == 0xC5
            || op == 0xC6;
    }

    /** Register-only and memory-only forms: the other ModRM kind is #UD. */
    private static boolean operandsValid(int op, int p, Insn d) {
        switch (op) {
            case 0x12: case 0x16:
                return d.mem || p == NONE; // reg form: MOVHLPS / MOVLHPS (no 66 form)
            case 0x13: case 0x17: case 0x2B: case 0xE7:
                return d.mem;
            case 0x50: case 0x71: case 0x72: case 0x73: case 0xC5: case 0xD7:
                return !d.mem;
            default:
                return true;
        }
    }

    private static boolean aligned(int op, int p, int sub) {
        switch (op) {
            case 0x10: case 0x11: case 0x12: case 0x13: case 0x16: case 0x17: case 0x2A: case 0x2C:
            case 0x2D: case 0x2E: case 0x2F: case 0x6E: case 0x7E: case 0xC4: case 0xD6:
                return false;
            case 0x6F: case 0x7F:
                return p == P66; // MOVDQU is F3
            case 0x5A:
                return p == P66; // CVTPD2PS reads m128; the others m32/m64
            case 0xE6:
                return p != PF3; // CVTDQ2PD reads m64
            default:
                // Packed forms read m128 (aligned); scalar forms (F3/F2) read m32/m64.
                return !(p == PF3 || p == PF2) || op == 0x5B || op == 0x70;
        }
    }

    /** Operation for opcode and prefix, 0 if that combination is not an SSE/SSE2 instruction. */
    private static int select(int op, int p) {
        switch (op) {
            case 0x10: return pick(p, MOV_LD, MOV_LD, MOVSS_LD, MOVSD_LD);
            case 0x11: return pick(p, MOV_ST, MOV_ST, MOVSS_ST, MOVSD_ST);
            case 0x12: return pick(p, MOVLP_LD, MOVLP_LD, 0, 0);
            case 0x13: return pick(p, MOVLP_ST, MOVLP_ST, 0, 0);
            case 0x14: return pick(p, PUNPCKLDQ, PUNPCKLQDQ, 0, 0);
            case 0x15: return pick(p, PUNPCKHDQ, PUNPCKHQDQ, 0, 0);
            case 0x16: return pick(p, MOVHP_LD, MOVHP_LD, 0, 0);
            case 0x17: return pick(p, MOVHP_ST, MOVHP_ST, 0, 0);
            case 0x28: return pick(p, MOV_LD, MOV_LD, 0, 0);
            case 0x29: case 0x2B: return pick(p, MOV_ST, MOV_ST, 0, 0);
            case 0x2A: return pick(p, 0, 0, CVTSI2SS, CVTSI2SD);
            case 0x2C: return pick(p, 0, 0, CVTTSS2SI, CVTTSD2SI);
            case 0x2D: return pick(p, 0, 0, CVTSS2SI, CVTSD2SI);
            case 0x2E: return pick(p, UCOMISS, UCOMISD, 0, 0);
            case 0x2F: return pick(p, COMISS, COMISD, 0, 0);
            case 0x50: return pick(p, MOVMSKPS, MOVMSKPD, 0, 0);
            case 0x51: return fp(FP_SQRT, p);
            case 0x52: return pick(p, FP + 4 * FP_RSQRT, 0, FP + 4 * FP_RSQRT + 2, 0);
            case 0x53: return pick(p, FP + 4 * FP_RCP, 0, FP + 4 * FP_RCP + 2, 0);
            case 0x54: return pick(p, AND, AND, 0, 0);
            case 0x55: return pick(p, ANDN, ANDN, 0, 0);
            case 0x56: return pick(p, OR, OR, 0, 0);
            case 0x57: return pick(p, XOR, XOR, 0, 0);
            case 0x58: return fp(FP_ADD, p);
            case 0x59: return fp(FP_MUL, p);
            case 0x5A: return pick(p, CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS);
            case 0x5B: return pick(p, CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ, 0);
            case 0x5C: return fp(FP_SUB, p);
            case 0x5D: return fp(FP_MIN, p);
            case 0x5E: return fp(FP_DIV, p);
            case 0x5F: return fp(FP_MAX, p);
            case 0x6E: return pick(p, 0, MOVD_TO, 0, 0);
            case 0x6F: return pick(p, 0, MOV_LD, MOV_LD, 0);
            case 0x70: return pick(p, 0, PSHUFD, PSHUFHW, PSHUFLW);
            case 0x71: case 0x72: case 0x73: return pick(p, 0, -1, 0, 0); // resolved by ModRM.reg
            case 0x7E: return pick(p, 0, MOVD_FROM, MOVQ_LD, 0);
            case 0x7F: return pick(p, 0, MOV_ST, MOV_ST, 0);
            case 0xC2: return fp(FP_CMP, p);
            case 0xC4: return pick(p, 0, PINSRW, 0, 0);
            case 0xC5: return pick(p, 0, PEXTRW, 0, 0);
            case 0xC6: return pick(p, SHUFPS, SHUFPD, 0, 0);
            case 0xD6: return pick(p, 0, MOVQ_ST, 0, 0);
            case 0xE6: return pick(p, 0, CVTTPD2DQ, CVTDQ2PD, CVTPD2DQ);
            case 0xE7: return pick(p, 0, MOV_ST, 0, 0);
            default:
                return p == P66 ? packedInt(op) : 0;
        }
    }

    /** The 66-prefixed packed-integer opcodes 60-6D, 74-76 and D1-FE. */
    private static int packedInt(int op) {
        switch (op) {
            case 0x60: return PUNPCKLBW;
            case 0x61: return PUNPCKLWD;
            case 0x62: return PUNPCKLDQ;
            case 0x63: return PACKSSWB;
            case 0x64: return PCMPGTB;
            case 0x65: return PCMPGTW;
            case 0x66: return PCMPGTD;
            case 0x67: return PACKUSWB;
            case 0x68: return PUNPCKHBW;
            case 0x69: return PUNPCKHWD;
            case 0x6A: return PUNPCKHDQ;
            case 0x6B: return PACKSSDW;
            case 0x6C: return PUNPCKLQDQ;
            case 0x6D: return PUNPCKHQDQ;
            case 0x74: return PCMPEQB;
            case 0x75: return PCMPEQW;
            case 0x76: return PCMPEQD;
            case 0xD1: return PSRLW;
            case 0xD2: return PSRLD;
            case 0xD3: return PSRLQ;
            case 0xD4: return PADDQ;
            case 0xD5: return PMULLW;
            case 0xD7: return PMOVMSKB;
            case 0xD8: return PSUBUSB;
            case 0xD9: return PSUBUSW;
            case 0xDA: return PMINUB;
            case 0xDB: return AND;
            case 0xDC: return PADDUSB;
            case 0xDD: return PADDUSW;
            case 0xDE: return PMAXUB;
            case 0xDF: return ANDN;
            case 0xE0: return PAVGB;
            case 0xE1: return PSRAW;
            case 0xE2: return PSRAD;
            case 0xE3: return PAVGW;
            case 0xE4: return PMULHUW;
            case 0xE5: return PMULHW;
            case 0xE8: return PSUBSB;
            case 0xE9: return PSUBSW;
            case 0xEA: return PMINSW;
            case 0xEB: return OR;
            case 0xEC: return PADDSB;
            case 0xED: return PADDSW;
            case 0xEE: return PMAXSW;
            case 0xEF: return XOR;
            case 0xF1: return PSLLW;
            case 0xF2: return PSLLD;
            case 0xF3: return PSLLQ;
            case 0xF4: return PMULUDQ;
            case 0xF5: return PMADDWD;
            case 0xF6: return PSADBW;
            case 0xF8: return PSUBB;
            case 0xF9: return PSUBW;
            case 0xFA: return PSUBD;
            case 0xFB: return PSUBQ;
            case 0xFC: return PADDB;
            case 0xFD: return PADDW;
            case 0xFE: return PADDD;
            default: return 0;
        }
    }

    /** 66 0F 71/72/73 /r ib: the shift by immediate selected by ModRM.reg. */
    private static int shiftGroup(int op, int r) {
        switch (op << 4 | r) {
            case 0x712: return PSRLW;
            case 0x714: return PSRAW;
            case 0x716: return PSLLW;
            case 0x722: return PSRLD;
            case 0x724: return PSRAD;
            case 0x726: return PSLLD;
            case 0x732: return PSRLQ;
            case 0x733: return PSRLDQ;
            case 0x736: return PSLLQ;
            case 0x737: return PSLLDQ;
            default: return 0;
        }
    }

    private static int pick(int p, int none, int p66, int f3, int f2) {
        switch (p) {
            case P66: return p66;
            case PF3: return f3;
            case PF2: return f2;
            default: return none;
        }
    }

    /** Arithmetic kinds: sub = FP + 4 * kind + form, form 0 PS, 1 PD, 2 SS, 3 SD. */
    private static int fp(int kind, int p) {
        return FP + 4 * kind + p;
    }

    /**
     * 0F AE: FXSAVE/FXRSTOR (/0 /1, REX.W: the 64-bit layout, kept in Insn.rexW), fences,
     * LDMXCSR/STMXCSR, CLFLUSH. XSAVE* are not offered.
     */
    private static void group15(Decoder dec, Insn d, Decoder.Ctx c, int p) {
        dec.modrm(d, c, false);
        int r = d.reg & 7;
        if (!d.mem) {
            d.op = p == NONE && r >= 5 ? Op.FENCE : Op.UD;
        } else if (p == NONE && r <= 3) {
            d.op = Op.SSE;
            d.sub = r == 0 ? FXSAVE : r == 1 ? FXRSTOR : r == 2 ? LDMXCSR : STMXCSR;
        } else if ((p == NONE || p == P66) && r == 7) {
            d.op = Op.NOP; // CLFLUSH / CLFLUSHOPT: no caches to flush
        }
    }
}
