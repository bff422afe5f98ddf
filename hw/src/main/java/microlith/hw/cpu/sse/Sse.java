package microlith.hw.cpu.sse;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.decode.Insn;

/**
 * Execution of the SSE/SSE2 operations decoded by {@link microlith.hw.cpu.decode.SseDecode}: the operation ids
 * (Insn.sub), the dispatch to the per-concern classes, and operand access shared by them.
 *
 * <p>XMM register n is the pair xmm[2n] (low quadword), xmm[2n+1] (high quadword). Handlers
 * read every operand (which may fault) before they write any register or memory, so a
 * faulting instruction changes nothing.
 */
public final class Sse {
    private Sse() {
    }

    /** Insn.imm2 bits set by the decoder. */
    public static final int ALIGNED = 1, IMM_COUNT = 2;

    // Moves and MXCSR (SseOps): 1-39.
    public static final int MOV_LD = 1, MOV_ST = 2, MOVSS_LD = 3, MOVSS_ST = 4, MOVSD_LD = 5, MOVSD_ST = 6;
    public static final int MOVLP_LD = 7, MOVHLPS = 8, MOVLP_ST = 9, MOVHP_LD = 10, MOVLHPS = 11, MOVHP_ST = 12;
    public static final int MOVMSKPS = 13, MOVMSKPD = 14, PMOVMSKB = 15;
    public static final int MOVD_TO = 16, MOVD_FROM = 17, MOVQ_LD = 18, MOVQ_ST = 19, PINSRW = 20, PEXTRW = 21;
    public static final int LDMXCSR = 22, STMXCSR = 23, FXSAVE = 24, FXRSTOR = 25;

    // Packed integer (SseInt): 40-89.
    public static final int AND = 40, ANDN = 41, OR = 42, XOR = 43;
    public static final int PADDB = 44, PADDW = 45, PADDD = 46, PADDQ = 47;
    public static final int PSUBB = 48, PSUBW = 49, PSUBD = 50, PSUBQ = 51;
    public static final int PADDSB = 52, PADDSW = 53, PADDUSB = 54, PADDUSW = 55;
    public static final int PSUBSB = 56, PSUBSW = 57, PSUBUSB = 58, PSUBUSW = 59;
    public static final int PMULLW = 60, PMULHW = 61, PMULHUW = 62, PMULUDQ = 63, PMADDWD = 64;
    public static final int PCMPEQB = 65, PCMPEQW = 66, PCMPEQD = 67, PCMPGTB = 68, PCMPGTW = 69, PCMPGTD = 70;
    public static final int PMINUB = 71, PMAXUB = 72, PMINSW = 73, PMAXSW = 74, PAVGB = 75, PAVGW = 76;
    public static final int PSADBW = 77;
    public static final int PSRLW = 78, PSRLD = 79, PSRLQ = 80, PSRAW = 81, PSRAD = 82;
    public static final int PSLLW = 83, PSLLD = 84, PSLLQ = 85, PSRLDQ = 86, PSLLDQ = 87;

    // Unpack, pack and shuffle (SseShuffle): 90-119.
    public static final int PUNPCKLBW = 90, PUNPCKLWD = 91, PUNPCKLDQ = 92, PUNPCKLQDQ = 93;
    public static final int PUNPCKHBW = 94, PUNPCKHWD = 95, PUNPCKHDQ = 96, PUNPCKHQDQ = 97;
    public static final int PACKSSWB = 98, PACKSSDW = 99, PACKUSWB = 100;
    public static final int PSHUFD = 101, PSHUFHW = 102, PSHUFLW = 103, SHUFPS = 104, SHUFPD = 105;

    // Floating-point arithmetic (SseArith): FP + 4 * kind + form, form 0 PS, 1 PD, 2 SS, 3 SD.
    public static final int FP = 120;
    public static final int FP_ADD = 0, FP_SUB = 1, FP_MUL = 2, FP_DIV = 3, FP_MIN = 4, FP_MAX = 5, FP_SQRT = 6;
    public static final int FP_CMP = 7, FP_RCP = 8, FP_RSQRT = 9;
    public static final int UCOMISS = 160, UCOMISD = 161, COMISS = 162, COMISD = 163;

    // Conversions (SseConvert): 170-199.
    public static final int CVTSI2SS = 170, CVTSI2SD = 171, CVTTSS2SI = 172, CVTTSD2SI = 173;
    public static final int CVTSS2SI = 174, CVTSD2SI = 175, CVTSS2SD = 176, CVTSD2SS = 177;
    public static final int CVTPS2PD = 178, CVTPD2PS = 179, CVTDQ2PS = 180, CVTPS2DQ = 181, CVTTPS2DQ = 182;
    public static final int CVTDQ2PD = 183, CVTPD2DQ = 184, CVTTPD2DQ = 185;

    public static void execute(Core c, Insn i) {
        int s = i.sub;
        if (s < 40) {
            SseOps.execute(c, i);
        } else if (s < 90) {
            SseInt.execute(c, i);
        } else if (s < FP) {
            SseShuffle.execute(c, i);
        } else if (s < CVTSI2SS) {
            SseArith.execute(c, i);
        } else {
            SseConvert.execute(c, i);
        }
    }

    // ---------------------------------------------------------------- operand access

    /** The #GP(0) of a misaligned 128-bit operand, for translated code that checked the address. */
    public static void misaligned() {
        throw CpuException.gp(0);
    }

    /** Effective address of the r/m memory operand; #GP(0) if it must be aligned and is not. */
    public static long ea(Core c, Insn i) {
        long ea = c.ea(i);
        if ((i.imm2 & ALIGNED) != 0 && (ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        return ea;
    }

    /** The 128-bit r/m source as {low, high}. */
    public static long[] src128(Core c, Insn i) {
        if (i.mem) {
            long ea = ea(c, i);
            long lo = c.read64(ea);
            return new long[] {lo, c.read64(ea + 8)};
        }
        return new long[] {c.xmm[2 * i.rm], c.xmm[2 * i.rm + 1]};
    }

    /** The low 64 bits of the r/m source (an m64 operand when in memory). */
    public static long src64(Core c, Insn i) {
        return i.mem ? c.read64(c.ea(i)) : c.xmm[2 * i.rm];
    }

    /** The low 32 bits of the r/m source, zero-extended (an m32 operand when in memory). */
    public static long src32(Core c, Insn i) {
        return i.mem ? c.read32(c.ea(i)) & 0xffffffffL : c.xmm[2 * i.rm] & 0xffffffffL;
    }

    public static void setDest(Core c, Insn i, long lo, long hi) {
        c.xmm[2 * i.reg] = lo;
        c.xmm[2 * i.reg + 1] = hi;
    }

    /** Stores 128 bits; the first write probes the high half so a fault there writes nothing. */
    public static void store128(Core c, long ea, long lo, long hi) {
        c.write64(ea + 8, c.read64(ea + 8));
        c.write64(ea, lo);
        c.write64(ea + 8, hi);
    }
}
