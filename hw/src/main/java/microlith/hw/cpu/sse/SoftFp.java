package microlith.hw.cpu.sse;

import java.math.BigInteger;

/**
 * IEEE 754 binary32/binary64 arithmetic on raw bits, as SSE performs it: every rounding mode,
 * FTZ/DAZ, the x86 NaN rules and the MXCSR exception flags.
 *
 * <p>Java arithmetic rounds to nearest only and may canonicalize NaNs, so the exact result is
 * formed here as an integer significand times a power of two (with a sticky bit for division
 * and square root) and rounded by {@link #round}. Operands stay raw bits in a long (a single
 * in the low 32 bits); {@code dbl} selects the format. Tininess is detected after rounding,
 * as x86 does.
 */
public final class SoftFp {
    private SoftFp() {
    }

    public static final long DEFAULT_NAN_S = 0xFFC00000L;
    public static final long DEFAULT_NAN_D = 0xFFF8000000000000L;

    // ---------------------------------------------------------------- format parameters

    /** Significand precision including the hidden bit. */
    public static int prec(boolean dbl) {
        return dbl ? 53 : 24;
    }

    public static int bias(boolean dbl) {
        return dbl ? 1023 : 127;
    }

    public static long signBit(boolean dbl) {
        return dbl ? Long.MIN_VALUE : 0x80000000L;
    }

    /** The exponent field all ones: the bits of +infinity. */
    public static long infBits(boolean dbl) {
        return dbl ? 0x7FF0000000000000L : 0x7F800000L;
    }

    public static long fracMask(boolean dbl) {
        return dbl ? 0x000FFFFFFFFFFFFFL : 0x007FFFFFL;
    }

    public static long quietBit(boolean dbl) {
        return dbl ? 1L << 51 : 1L << 22;
    }

    public static long defaultNaN(boolean dbl) {
        return dbl ? DEFAULT_NAN_D : DEFAULT_NAN_S;
    }

    // ---------------------------------------------------------------- classification

    public static boolean isNaN(long x, boolean dbl) {
        long m = x & ~signBit(dbl);
        return m > infBits(dbl);
    }

    public static boolean isSNaN(long x, boolean dbl) {
        return isNaN(x, dbl) && (x & quietBit(dbl)) == 0;
    }

    public static boolean isInf(long x, boolean dbl) {
        return (x & ~signBit(dbl)) == infBits(dbl);
    }

    public static boolean isZero(long x, boolean dbl) {
        return (x & ~signBit(dbl)) == 0;
    }

    public static boolean isDenormal(long x, boolean dbl) {
        return (x & infBits(dbl)) == 0 && (x & fracMask(dbl)) != 0;
    }

    public static boolean isNeg(long x, boolean dbl) {
        return (x & signBit(dbl)) != 0;
    }

    /** Significand of a finite nonzero value, hidden bit included. */
    public static long sig(long x, boolean dbl) {
        long f = x & fracMask(dbl);
        return (x & infBits(dbl)) == 0 ? f : f | (fracMask(dbl) + 1);
    }

    /** Exponent of the significand's last bit: |x| = sig(x) * 2^exp(x). */
    public static int exp(long x, boolean dbl) {
        int p = prec(dbl);
        int e = (int) ((x & infBits(dbl)) >>> (p - 1));
        return Math.max(e, 1) - bias(dbl) - (p - 1);
    }

    /** The exact value as a double (a single widens exactly); for comparisons. */
    public static double value(long x, boolean dbl) {
        return dbl ? Double.longBitsToDouble(x) : Float.intBitsToFloat((int) x);
    }

    // ---------------------------------------------------------------- rounding

    /**
     * Rounds mag * 2^exp (mag > 0; sticky: the true value is a little above that) to the
     * format under e's rounding mode and returns the bits with the sign applied.
     */
    public static long round(FpEnv e, boolean neg, BigInteger mag, int exp, boolean sticky, boolean dbl) {
        int p = prec(dbl);
        int emin = 1 - bias(dbl);
        long sign = neg ? signBit(dbl) : 0;
        int top = exp + mag.bitLength() - 1;
        if (top > bias(dbl)) {
            return overflow(e, sign, dbl);
        }
        boolean tiny = false;
        if (top < emin) {
            // Tiny unless rounding to p bits with an unbounded exponent carries up to 2^emin.
            tiny = top < emin - 1 || (roundAt(e.rc, neg, mag, exp, top - (p - 1), sticky) & ~INEXACT) >>> p == 0;
        }
        int lsb = Math.max(top, emin) - (p - 1);
        long q = roundAt(e.rc, neg, mag, exp, lsb, sticky);
        boolean inexact = (q & INEXACT) != 0;
        q &= ~INEXACT;
        if (tiny && e.ftz && (e.unmasked & FpEnv.UE) == 0) {
            e.post |= FpEnv.UE | FpEnv.PE;
            return sign;
        }
        // Biased exponent minus one, shifted, plus a significand that carries into it.
        long bits = ((long) (lsb + (p - 1) + bias(dbl) - 1) << (p - 1)) + q;
        if (bits >= infBits(dbl)) {
            return overflow(e, sign, dbl);
        }
        if (tiny && (inexact || (e.unmasked & FpEnv.UE) != 0)) {
            e.post |= FpEnv.UE;
        }
        if (inexact) {
            e.post |= FpEnv.PE;
        }
        return sign | bits;
    }

    public static long round(FpEnv e, boolean neg, long mag, int exp, boolean dbl) {
        return round(e, neg, BigInteger.valueOf(mag), exp, false, dbl);
    }

    private static long overflow(FpEnv e, long sign, boolean dbl) {
        e.post |= FpEnv.OE | FpEnv.PE;
        boolean neg = sign != 0;
        boolean toInf = e.rc == FpEnv.RN || (e.rc == FpEnv.RD && neg) || (e.rc == FpEnv.RU && !neg);
        return sign | (toInf ? infBits(dbl) : infBits(dbl) - 1);
    }

    /** Flag bit in roundAt's result: the dropped bits were nonzero (q itself is below 2^55). */
    private static final long INEXACT = 1L << 62;

    /**
     * mag * 2^exp rounded to an integer multiple of 2^lsb, returned in units of 2^lsb, with
     * {@link #INEXACT} or'ed in when that lost anything.
     */
    private static long roundAt(int rc, boolean neg, BigInteger mag, int exp, int lsb, boolean sticky) {
        int shift = lsb - exp;
        long q;
        boolean half;
        boolean rest;
        if (shift <= 0) {
            q = mag.shiftLeft(-shift).longValue();
            half = false;
            rest = sticky;
        } else {
            q = mag.shiftRight(shift).longValue();
            half = mag.testBit(shift - 1);
            int low = mag.getLowestSetBit();
            rest = sticky || low < shift - 1;
        }
        boolean inexact = half || rest;
        boolean up;
        switch (rc) {
            case FpEnv.RN: up = half && (rest || (q & 1) != 0); break;
            case FpEnv.RD: up = neg && inexact; break;
            case FpEnv.RU: up = !neg && inexact; break;
            default: up = false;
        }
        return (up ? q + 1 : q) | (inexact ? INEXACT : 0);
    }

    // ---------------------------------------------------------------- NaN propagation

    /** x86: the first source's NaN made quiet if it is one, else the second's. */
    public static long propagate(FpEnv e, long a, long b, boolean dbl) {
        if (isSNaN(a, dbl) || isSNaN(b, dbl)) {
            e.invalid();
        }
        return (isNaN(a, dbl) ? a : b) | quietBit(dbl);
    }

    public static long quietOne(FpEnv e, long a, boolean dbl) {
        if (isSNaN(a, dbl)) {
            e.invalid();
        }
        return a | quietBit(dbl);
    }

    private static long invalidResult(FpEnv e, boolean dbl) {
        e.invalid();
        return defaultNaN(dbl);
    }

    // ---------------------------------------------------------------- fast paths

    /*
     * Round-to-nearest with normal (or zero) operands and a normal result is what nearly all
     * code does, so it avoids BigInteger: Java's double arithmetic is the IEEE operation, and
     * an error-free transformation (TwoSum, or an FMA residual) tells whether it was exact,
     * which is all PE needs. Singles are computed in double and rounded once more; for these
     * operations that double rounding is harmless, since 53 >= 2 * 24 + 2. Anything else
     * (NaN, infinity, denormal, a tiny or overflowing result, directed rounding) returns
     * NO_FAST and takes the exact path.
     */
    private static final long NO_FAST = 0x7FF0000000000001L; // an SNaN: never a fast result
    private static final double SAFE = 0x1p-900; // residuals of results this large are exact

    /** Normal or zero: not denormal, infinite or NaN. */
    private static boolean plain(long x, boolean dbl) {
        long e = x & infBits(dbl);
        return e != infBits(dbl) && (e != 0 || (x & fracMask(dbl)) == 0);
    }

    private static long fast(FpEnv e, int kind, long a, long b, boolean dbl) {
        if (e.rc != FpEnv.RN || !plain(a, dbl) || !plain(b, dbl)) {
            return NO_FAST;
        }
        double x = value(a, dbl);
        double y = value(b, dbl);
        double r;
        boolean exact;
        switch (kind) {
            case 0: { // add (subtraction arrives with b negated)
                r = x + y;
                double bv = r - x;
                exact = (x - (r - bv)) + (y - bv) == 0;
                break;
            }
            case 1:
                r = x * y;
                if (x != 0 && y != 0 && Math.abs(r) < SAFE) {
                    return NO_FAST; // near or below the underflow threshold (even flushed to 0)
                }
                exact = r == 0 || Math.fma(x, y, -r) == 0;
                break;
            case 2:
                if (y == 0 || (x != 0 && (Math.abs(x) < SAFE || Math.abs(x / y) < SAFE))) {
                    return NO_FAST;
                }
                r = x / y;
                exact = Math.fma(-r, y, x) == 0;
                break;
            default: // sqrt of b
                if (y < 0 || (y != 0 && y < SAFE)) {
                    return NO_FAST;
                }
                r = Math.sqrt(y);
                exact = Math.fma(-r, r, y) == 0;
        }
        if (Double.isInfinite(r) || Double.isNaN(r)) {
            return NO_FAST;
        }
        long bits;
        if (dbl) {
            if (r != 0 && Math.abs(r) < Double.MIN_NORMAL) {
                return NO_FAST;
            }
            bits = Double.doubleToRawLongBits(r);
        } else {
            float f = (float) r;
            if (Float.isInfinite(f) || (f != 0 && Math.abs(f) < Float.MIN_NORMAL) || (f == 0 && r != 0)) {
                return NO_FAST;
            }
            exact &= f == r;
            bits = Float.floatToRawIntBits(f) & 0xffffffffL;
        }
        if (!exact) {
            e.post |= FpEnv.PE;
        }
        return bits;
    }

    // ---------------------------------------------------------------- arithmetic

    public static long add(FpEnv e, long a, long b, boolean dbl, boolean subtract) {
        long f = fast(e, 0, a, subtract ? b ^ signBit(dbl) : b, dbl);
        if (f != NO_FAST) {
            return f;
        }
        if (isNaN(a, dbl) || isNaN(b, dbl)) {
            return propagate(e, a, b, dbl);
        }
        a = e.operand(a, dbl);
        b = e.operand(b, dbl);
        if (subtract) {
            b ^= signBit(dbl);
        }
        if (isInf(a, dbl) || isInf(b, dbl)) {
            if (isInf(a, dbl) && isInf(b, dbl) && a != b) {
                return invalidResult(e, dbl);
            }
            return isInf(a, dbl) ? a : b;
        }
        boolean za = isZero(a, dbl);
        boolean zb = isZero(b, dbl);
        if (za && zb) {
            return a == b ? a : e.rc == FpEnv.RD ? signBit(dbl) : 0;
        }
        if (za || zb) {
            // x + 0 = x, but FTZ may still flush a denormal x.
            long x = za ? b : a;
            return round(e, isNeg(x, dbl), sig(x, dbl), exp(x, dbl), dbl);
        }
        int ea = exp(a, dbl);
        int eb = exp(b, dbl);
        int lo = Math.min(ea, eb);
        BigInteger va = BigInteger.valueOf(sig(a, dbl)).shiftLeft(ea - lo);
        BigInteger vb = BigInteger.valueOf(sig(b, dbl)).shiftLeft(eb - lo);
        BigInteger sum = (isNeg(a, dbl) ? va.negate() : va).add(isNeg(b, dbl) ? vb.negate() : vb);
        if (sum.signum() == 0) {
            return e.rc == FpEnv.RD ? signBit(dbl) : 0;
        }
        return round(e, sum.signum() < 0, sum.abs(), lo, false, dbl);
    }

    public static long mul(FpEnv e, long a, long b, boolean dbl) {
        long f = fast(e, 1, a, b, dbl);
        if (f != NO_FAST) {
            return f;
        }
        if (isNaN(a, dbl) || isNaN(b, dbl)) {
            return propagate(e, a, b, dbl);
        }
        a = e.operand(a, dbl);
        b = e.operand(b, dbl);
        long sign = (a ^ b) & signBit(dbl);
        if (isInf(a, dbl) || isInf(b, dbl)) {
            if (isZero(a, dbl) || isZero(b, dbl)) {
                return invalidResult(e, dbl);
            }
            return sign | infBits(dbl);
        }
        if (isZero(a, dbl) || isZero(b, dbl)) {
            return sign;
        }
        BigInteger m = BigInteger.valueOf(sig(a, dbl)).multiply(BigInteger.valueOf(sig(b, dbl)));
        return round(e, sign != 0, m, exp(a, dbl) + exp(b, dbl), false, dbl);
    }

    public static long div(FpEnv e, long a, long b, boolean dbl) {
        long f = fast(e, 2, a, b, dbl);
        if (f != NO_FAST) {
            return f;
        }
        if (isNaN(a, dbl) || isNaN(b, dbl)) {
            return propagate(e, a, b, dbl);
        }
        a = e.dazOnly(a, dbl);
        b = e.dazOnly(b, dbl);
        long sign = (a ^ b) & signBit(dbl);
        boolean ia = isInf(a, dbl);
        boolean ib = isInf(b, dbl);
        boolean za = isZero(a, dbl);
        boolean zb = isZero(b, dbl);
        if ((ia && ib) || (za && zb)) {
            return invalidResult(e, dbl);
        }
        if (zb) {
            // Divide-by-zero outranks the denormal-operand exception (SDM vol. 1, 4.9.2).
            e.pre |= FpEnv.ZE;
            return sign | infBits(dbl);
        }
        a = e.operand(a, dbl);
        b = e.operand(b, dbl);
        if (ia) {
            return sign | infBits(dbl);
        }
        if (za || ib) {
            return sign;
        }
        long sa = sig(a, dbl);
        long sb = sig(b, dbl);
        int k = Math.max(0, prec(dbl) + 3 + bitLength(sb) - bitLength(sa));
        BigInteger[] qr = BigInteger.valueOf(sa).shiftLeft(k).divideAndRemainder(BigInteger.valueOf(sb));
        return round(e, sign != 0, qr[0], exp(a, dbl) - exp(b, dbl) - k, qr[1].signum() != 0, dbl);
    }

    public static long sqrt(FpEnv e, long b, boolean dbl) {
        long f = fast(e, 3, 0, b, dbl);
        if (f != NO_FAST) {
            return f;
        }
        if (isNaN(b, dbl)) {
            return quietOne(e, b, dbl);
        }
        b = e.dazOnly(b, dbl);
        if (isZero(b, dbl)) {
            return b;
        }
        if (isNeg(b, dbl)) {
            return invalidResult(e, dbl); // invalid outranks a denormal operand
        }
        b = e.operand(b, dbl);
        if (isInf(b, dbl)) {
            return b;
        }
        long s = sig(b, dbl);
        int x = exp(b, dbl);
        if ((x & 1) != 0) {
            s <<= 1;
            x--;
        }
        // Scale by 4^k so the root has at least p + 2 bits before rounding.
        int k = Math.max(0, (2 * prec(dbl) + 6 - bitLength(s) + 1) / 2);
        BigInteger n = BigInteger.valueOf(s).shiftLeft(2 * k);
        BigInteger r = n.sqrt();
        boolean sticky = !r.multiply(r).equals(n);
        return round(e, false, r, (x - 2 * k) / 2, sticky, dbl);
    }

    /** MINxx/MAXxx: any NaN (quiet too) is invalid and yields the second operand unchanged. */
    public static long minMax(FpEnv e, long a, long b, boolean dbl, boolean max) {
        // DAZ applies even to the operand returned because the other one is a NaN.
        a = e.dazOnly(a, dbl);
        b = e.dazOnly(b, dbl);
        if (isNaN(a, dbl) || isNaN(b, dbl)) {
            e.invalid();
            return b;
        }
        a = e.operand(a, dbl);
        b = e.operand(b, dbl);
        double va = value(a, dbl);
        double vb = value(b, dbl);
        // Both zero (either sign) also yields the second operand: the compare is false.
        return (max ? va > vb : va < vb) ? a : b;
    }

    /**
     * CMPxx predicate (imm8 bits 2:0): EQ LT LE UNORD NEQ NLT NLE ORD. LT, LE, NLT and NLE
     * are signaling (invalid on a QNaN too); the others are invalid on SNaN only.
     */
    public static boolean compare(FpEnv e, long a, long b, boolean dbl, int pred) {
        if (isNaN(a, dbl) || isNaN(b, dbl)) {
            boolean signaling = (pred & 3) == 1 || (pred & 3) == 2;
            if (signaling || isSNaN(a, dbl) || isSNaN(b, dbl)) {
                e.invalid();
            }
            return pred >= 3 && pred <= 6;
        }
        double va = value(e.operand(a, dbl), dbl);
        double vb = value(e.operand(b, dbl), dbl);
        switch (pred) {
            case 0: return va == vb;
            case 1: return va < vb;
            case 2: return va <= vb;
            case 3: return false;
            case 4: return va != vb;
            case 5: return !(va < vb);
            case 6: return !(va <= vb);
            default: return true;
        }
    }

    // ---------------------------------------------------------------- conversions

    /** Signed integer to float/double under the rounding mode (CVTSI2SS, CVTDQ2PS...). */
    public static long fromInt(FpEnv e, long v, boolean dbl) {
        if (v == 0) {
            return 0;
        }
        boolean neg = v < 0;
        // Long.MIN_VALUE negates to itself; as an unsigned magnitude it is still right.
        long mag = neg ? -v : v;
        if (mag > 0 && mag < 1L << prec(dbl)) {
            // Exact: no rounding, no flags.
            long bits = dbl ? Double.doubleToRawLongBits((double) mag) : Float.floatToRawIntBits((float) mag) & 0xffffffffL;
            return bits | (neg ? signBit(dbl) : 0);
        }
        BigInteger m = mag > 0 ? BigInteger.valueOf(mag) : BigInteger.ONE.shiftLeft(63);
        return round(e, neg, m, 0, false, dbl);
    }

    /**
     * Float/double to a signed 32- or 64-bit integer under e's rounding mode. NaN, infinity
     * and out-of-range values are invalid and give the integer indefinite (only the sign bit).
     */
    public static long toInt(FpEnv e, long x, boolean dbl, boolean wide) {
        long indefinite = wide ? Long.MIN_VALUE : 0x80000000L;
        if (isNaN(x, dbl) || isInf(x, dbl)) {
            e.invalid();
            return indefinite;
        }
        double v = value(e.dazOnly(x, dbl), dbl);
        double r;
        switch (e.rc) {
            case FpEnv.RN: r = Math.rint(v); break;
            case FpEnv.RD: r = Math.floor(v); break;
            case FpEnv.RU: r = Math.ceil(v); break;
            default: r = v < 0 ? Math.ceil(v) : Math.floor(v);
        }
        double limit = wide ? 0x1p63 : 0x1p31;
        if (r >= limit || r < -limit) {
            e.invalid();
            return indefinite;
        }
        if (r != v) {
            e.post |= FpEnv.PE;
        }
        long n = (long) r;
        return wide ? n : n & 0xffffffffL;
    }

    /** CVTSS2SD / CVTPS2PD: exact, except that an SNaN is quieted (and invalid). */
    public static long widen(FpEnv e, long x) {
        if (isNaN(x, false)) {
            x = quietOne(e, x, false);
            return (x & 0x80000000L) << 32 | 0x7FF0000000000000L | (x & 0x7FFFFFL) << 29;
        }
        x = e.operand(x, false);
        return Double.doubleToRawLongBits(Float.intBitsToFloat((int) x));
    }

    /** CVTSD2SS / CVTPD2PS: rounds; a NaN keeps the top of its payload. */
    public static long narrow(FpEnv e, long x) {
        if (isNaN(x, true)) {
            x = quietOne(e, x, true);
            return (x >>> 32 & 0x80000000L) | 0x7F800000L | (x >>> 29 & 0x7FFFFFL);
        }
        x = e.operand(x, true);
        long sign = x < 0 ? 0x80000000L : 0;
        if (isZero(x, true)) {
            return sign;
        }
        if (isInf(x, true)) {
            return sign | 0x7F800000L;
        }
        return round(e, sign != 0, sig(x, true), exp(x, true), false);
    }

    private static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }
}
