package microlith.hw.cpu.sse;

import static microlith.hw.cpu.sse.Sse.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.decode.Insn;

/**
 * SSE/SSE2 floating-point arithmetic, MIN/MAX, SQRT, CMPxx, (U)COMISx and the RCP/RSQRT
 * approximations, packed (PS, PD) and scalar (SS, SD; the rest of the destination is kept).
 * The element arithmetic is {@link SoftFp}; flags go through {@link FpEnv} so that an
 * unmasked exception leaves the destination unchanged.
 */
public final class SseArith {
    private SseArith() {
    }

    public static void execute(Core c, Insn i) {
        if (i.sub >= UCOMISS) {
            comis(c, i);
            return;
        }
        int kind = (i.sub - FP) >> 2;
        int form = (i.sub - FP) & 3;
        boolean dbl = (form & 1) != 0;
        boolean scalar = form >= 2;
        long a0 = c.xmm[2 * i.reg];
        long a1 = c.xmm[2 * i.reg + 1];
        long b0;
        long b1 = 0;
        if (!scalar) {
            long[] b = src128(c, i);
            b0 = b[0];
            b1 = b[1];
        } else {
            b0 = dbl ? src64(c, i) : src32(c, i);
        }
        FpEnv e = new FpEnv(c.mxcsr);
        int pred = (int) i.imm & 7;
        long r0;
        long r1;
        if (dbl) {
            r0 = op(e, kind, a0, b0, true, pred);
            r1 = scalar ? a1 : op(e, kind, a1, b1, true, pred);
        } else if (scalar) {
            r0 = (a0 & ~0xffffffffL) | op(e, kind, a0 & 0xffffffffL, b0, false, pred);
            r1 = a1;
        } else {
            r0 = pair(e, kind, a0, b0, pred);
            r1 = pair(e, kind, a1, b1, pred);
        }
        if (kind != FP_RCP && kind != FP_RSQRT) {
            e.commit(c); // RCP and RSQRT raise no exceptions
        }
        setDest(c, i, r0, r1);
    }

    /**
     * One scalar element of ADD, SUB, MUL, DIV, MIN, MAX or SQRT (kind FP_ADD..FP_SQRT) on
     * raw bits (a single in the low 32 bits), with MXCSR's flags and exceptions: what
     * translated code calls with operands it fetched itself.
     */
    public static long scalar(Core c, int kind, long a, long b, boolean dbl) {
        FpEnv e = new FpEnv(c.mxcsr);
        long r = op(e, kind, a, b, dbl, 0);
        e.commit(c);
        return r;
    }

    /** Two singles packed in a quadword. */
    private static long pair(FpEnv e, int kind, long a, long b, int pred) {
        long lo = op(e, kind, a & 0xffffffffL, b & 0xffffffffL, false, pred);
        long hi = op(e, kind, a >>> 32, b >>> 32, false, pred);
        return lo | hi << 32;
    }

    private static long op(FpEnv e, int kind, long a, long b, boolean dbl, int pred) {
        switch (kind) {
            case FP_ADD: return SoftFp.add(e, a, b, dbl, false);
            case FP_SUB: return SoftFp.add(e, a, b, dbl, true);
            case FP_MUL: return SoftFp.mul(e, a, b, dbl);
            case FP_DIV: return SoftFp.div(e, a, b, dbl);
            case FP_MIN: return SoftFp.minMax(e, a, b, dbl, false);
            case FP_MAX: return SoftFp.minMax(e, a, b, dbl, true);
            case FP_SQRT: return SoftFp.sqrt(e, b, dbl);
            case FP_CMP: return SoftFp.compare(e, a, b, dbl, pred) ? (dbl ? -1L : 0xffffffffL) : 0;
            case FP_RCP: return approximate(b, false);
            default: return approximate(b, true);
        }
    }

    /**
     * RCPSS/RSQRTSS and the packed forms. The manuals only bound the relative error
     * (|err| <= 1.5 * 2^-12); this gives the correctly rounded single instead, which is
     * within that bound but is not bit-identical to any particular CPU's table lookup.
     * Denormal inputs count as zero and tiny results flush to zero, as the manuals say.
     */
    public static long approximate(long b, boolean rsqrt) {
        float x = Float.intBitsToFloat((int) b);
        long sign = b & 0x80000000L;
        if (Float.isNaN(x)) {
            return b | 0x00400000L;
        }
        if (SoftFp.isZero(b, false) || SoftFp.isDenormal(b, false)) {
            return sign | 0x7F800000L; // 1/±0 and 1/sqrt(±0) are ±inf
        }
        if (rsqrt) {
            if (sign != 0) {
                return SoftFp.DEFAULT_NAN_S;
            }
            return Float.floatToRawIntBits((float) (1.0 / Math.sqrt(x))) & 0xffffffffL;
        }
        float r = (float) (1.0 / x);
        if (Math.abs(r) < Float.MIN_NORMAL) {
            return sign;
        }
        return Float.floatToRawIntBits(r) & 0xffffffffL;
    }

    /**
     * (U)COMISS/(U)COMISD: ZF, PF, CF = 111 unordered, 000 greater, 001 less, 100 equal;
     * OF, SF and AF are cleared. COMIS is invalid on any NaN, UCOMIS only on an SNaN.
     */
    private static void comis(Core c, Insn i) {
        boolean dbl = i.sub == UCOMISD || i.sub == COMISD;
        boolean signaling = i.sub == COMISS || i.sub == COMISD;
        long a = dbl ? c.xmm[2 * i.reg] : c.xmm[2 * i.reg] & 0xffffffffL;
        long b = dbl ? src64(c, i) : src32(c, i);
        FpEnv e = new FpEnv(c.mxcsr);
        long bits;
        if (SoftFp.isNaN(a, dbl) || SoftFp.isNaN(b, dbl)) {
            if (signaling || SoftFp.isSNaN(a, dbl) || SoftFp.isSNaN(b, dbl)) {
                e.invalid();
            }
            bits = Flags.ZF | Flags.PF | Flags.CF;
        } else {
            double va = SoftFp.value(e.operand(a, dbl), dbl);
            double vb = SoftFp.value(e.operand(b, dbl), dbl);
            bits = va > vb ? 0 : va < vb ? Flags.CF : Flags.ZF;
        }
        e.commit(c);
        c.flags.set((c.flags.get() & ~Flags.ARITH) | bits);
    }
}
