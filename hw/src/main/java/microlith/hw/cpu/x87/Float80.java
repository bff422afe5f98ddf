package microlith.hw.cpu.x87;

/**
 * One x87 double-extended value, exactly as it sits in a data register or in memory.
 *
 * <pre>
 *   79  78            64  63  62                                    0
 *  +---+----------------+---+---------------------------------------+
 *  | S |  exponent (15) | J |        fraction (63)                  |
 *  +---+----------------+---+---------------------------------------+
 *   se = S:exponent       sig = J:fraction (J is the explicit integer bit)
 * </pre>
 *
 * value = (-1)^S * sig * 2^(exponent - 16383 - 63). Exponent 0 holds zeros and denormals
 * (J = 0), whose scale is that of exponent 1; exponent 0 with J = 1 is a pseudo-denormal.
 * Exponent 0x7FFF with J = 1 holds infinity (fraction 0) and NaNs (bit 62 = 1 quiet).
 * Encodings with J = 0 and a nonzero exponent (unnormals, pseudo-NaN, pseudo-infinity)
 * are "unsupported": since the 387 every arithmetic instruction treats them as invalid.
 * Immutable; the arithmetic lives in {@link SoftFloat80}.
 */
public final class Float80 {
    public static final int BIAS = 16383;
    public static final int EXP_MAX = 0x7FFF;
    public static final long J = 1L << 63;
    public static final long QUIET = 1L << 62;

    public static final Float80 POS_ZERO = new Float80(0, 0);
    public static final Float80 NEG_ZERO = new Float80(0x8000, 0);
    public static final Float80 ONE = new Float80(BIAS, J);
    public static final Float80 POS_INF = new Float80(0x7FFF, J);
    public static final Float80 NEG_INF = new Float80(0xFFFF, J);
    /** The QNaN "real indefinite" every masked invalid operation produces. */
    public static final Float80 INDEFINITE = new Float80(0xFFFF, 0xC000000000000000L);

    /** Sign (bit 15) and biased exponent (bits 0-14). */
    public final int se;
    /** The 64-bit significand including the explicit integer bit. */
    public final long sig;

    public Float80(int se, long sig) {
        this.se = se & 0xFFFF;
        this.sig = sig;
    }

    public static Float80 of(boolean neg, int exp, long sig) {
        return new Float80((neg ? 0x8000 : 0) | exp, sig);
    }

    public boolean neg() {
        return (se & 0x8000) != 0;
    }

    public int exp() {
        return se & 0x7FFF;
    }

    public boolean isZero() {
        return exp() == 0 && sig == 0;
    }

    /** A true denormal or a pseudo-denormal. */
    public boolean isDenormal() {
        return exp() == 0 && sig != 0;
    }

    public boolean isInf() {
        return exp() == EXP_MAX && sig == J;
    }

    public boolean isNaN() {
        return exp() == EXP_MAX && (sig & J) != 0 && (sig << 1) != 0;
    }

    public boolean isSNaN() {
        return isNaN() && (sig & QUIET) == 0;
    }

    public boolean isUnsupported() {
        return exp() != 0 && (sig & J) == 0;
    }

    public Float80 negate() {
        return new Float80(se ^ 0x8000, sig);
    }

    public Float80 abs() {
        return new Float80(se & 0x7FFF, sig);
    }

    public Float80 withSign(boolean neg) {
        return new Float80(neg ? se | 0x8000 : se & 0x7FFF, sig);
    }

    public Float80 quiet() {
        return new Float80(se, sig | QUIET);
    }

    // ---------------------------------------------------------------- exact loads

    /** IEEE binary32 bits to extended: always exact (denormals become normal). */
    public static Float80 fromFloatBits(int bits) {
        boolean neg = bits < 0;
        int e = bits >>> 23 & 0xFF;
        long frac = bits & 0x7FFFFFL;
        if (e == 0xFF) {
            return of(neg, EXP_MAX, J | frac << 40);
        }
        if (e == 0) {
            return frac == 0 ? of(neg, 0, 0) : normalized(neg, BIAS - 126 - 23 + 63, frac);
        }
        return of(neg, e - 127 + BIAS, J | frac << 40);
    }

    /** IEEE binary64 bits to extended: always exact. */
    public static Float80 fromDoubleBits(long bits) {
        boolean neg = bits < 0;
        int e = (int) (bits >>> 52 & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        if (e == 0x7FF) {
            return of(neg, EXP_MAX, J | frac << 11);
        }
        if (e == 0) {
            return frac == 0 ? of(neg, 0, 0) : normalized(neg, BIAS - 1022 - 52 + 63, frac);
        }
        return of(neg, e - 1023 + BIAS, J | frac << 11);
    }

    /** A 64-bit two's complement integer, exactly. */
    public static Float80 fromLong(long v) {
        if (v == 0) {
            return POS_ZERO;
        }
        boolean neg = v < 0;
        long m = neg ? -v : v; // Long.MIN_VALUE stays 0x8000..., which is its magnitude
        return normalized(neg, BIAS + 63, m);
    }

    /**
     * m * 2^(exp - BIAS - 63) shifted left until J is set. m is nonzero and the result is
     * assumed to be in the normal range (callers only pass small shifts).
     */
    public static Float80 normalized(boolean neg, int exp, long m) {
        int s = Long.numberOfLeadingZeros(m);
        return of(neg, exp - s, m << s);
    }

    // ---------------------------------------------------------------- host conversions

    /** For tests and debugging only: the nearest double (no flags, ties to even). */
    public double toDoubleApprox() {
        SoftFloat80.Env env = new SoftFloat80.Env();
        return Double.longBitsToDouble(SoftFloat80.toDoubleBits(this, env));
    }

    public static Float80 ofDouble(double d) {
        return fromDoubleBits(Double.doubleToRawLongBits(d));
    }

    /** Little-endian bytes 0-7 = sig, 8-9 = se (the m80 memory layout). */
    @Override
    public String toString() {
        return String.format("%04x:%016x", se, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Float80 && ((Float80) o).se == se && ((Float80) o).sig == sig;
    }

    @Override
    public int hashCode() {
        return se * 31 + Long.hashCode(sig);
    }
}
