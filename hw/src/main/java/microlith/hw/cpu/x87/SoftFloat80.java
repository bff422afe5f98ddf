package microlith.hw.cpu.x87;

import java.math.BigInteger;

/**
 * Exact software arithmetic on {@link Float80} values with the x87's rounding: every
 * operation computes the infinitely precise result (kept as a 128-bit significand plus a
 * sticky bit) and rounds it once, to the precision and with the rounding mode of an
 * {@link Env}. Exception flags accumulate in the Env with the x87 status-word bit layout.
 *
 * <p>Working form used between the operations and {@link #roundPack}: a sign, a biased
 * exponent {@code exp} that may lie outside 1..0x7FFE, and a normalized 128-bit significand
 * {@code hi:lo} (bit 63 of hi set), meaning
 * <pre>
 *   value = (hi + lo / 2^64) * 2^(exp - 16383 - 63)
 * </pre>
 * Any nonzero bits lost below lo are ORed into bit 0 of lo ("sticky").
 */
public final class SoftFloat80 {
    /** Status-word exception flags (bits 0-5) and the stack fault bit. */
    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, SF = 64;
    /** Rounding control values (control word bits 10-11). */
    public static final int RN = 0, RD = 1, RU = 2, RZ = 3;

    /** Exponent range of the three storage formats, as biased extended exponents. */
    public static final int EXT_MIN = 1, EXT_MAX = 0x7FFE;
    public static final int DBL_MIN = Float80.BIAS - 1022, DBL_MAX = Float80.BIAS + 1023;
    public static final int FLT_MIN = Float80.BIAS - 126, FLT_MAX = Float80.BIAS + 127;
    /** The exponent wrap the x87 applies to register results on unmasked over/underflow. */
    public static final int WRAP = 24576;

    private SoftFloat80() {
    }

    /** Rounding environment and accumulated flags for one instruction. */
    public static final class Env {
        int rc = RN;
        /** Significand precision in bits: 24, 53 or 64. */
        int prec = 64;
        /** Control-word exception masks (bits 0-5); a masked exception gets the default response. */
        int masks = 0x3F;
        int flags;
        /** The last rounding increased the magnitude (reported in C1). */
        boolean roundedUp;
        // Scratch results of round().
        private long rHi;
        private boolean rCarry;
        private boolean rInexact;
        private boolean rUp;

        Env() {
        }

        Env(int rc, int prec) {
            this.rc = rc;
            this.prec = prec;
        }

        boolean masked(int flag) {
            return (masks & flag) != 0;
        }
    }

    // ---------------------------------------------------------------- rounding

    /**
     * Rounds hi:lo to prec bits (kept in the top of hi) into env.rHi, env.rCarry (the
     * increment overflowed 64 bits: the value became 2^64), env.rInexact and env.rUp.
     */
    private static void round(boolean neg, long hi, long lo, int prec, Env env) {
        long dropMask = prec == 64 ? 0 : (1L << (64 - prec)) - 1;
        long ulp = dropMask + 1;
        long dropped = hi & dropMask;
        long kept = hi & ~dropMask;
        boolean inexact = dropped != 0 || lo != 0;
        boolean up;
        switch (env.rc) {
            case RN: {
                int cmp;
                if (prec == 64) {
                    cmp = Long.compareUnsigned(lo, 1L << 63);
                } else {
                    long half = 1L << (63 - prec);
                    cmp = dropped != half ? Long.compareUnsigned(dropped, half) : lo != 0 ? 1 : 0;
                }
                up = cmp > 0 || cmp == 0 && (kept & ulp) != 0;
                break;
            }
            case RD: up = inexact && neg; break;
            case RU: up = inexact && !neg; break;
            default: up = false;
        }
        long res = up ? kept + ulp : kept;
        env.rCarry = up && res == 0;
        env.rHi = env.rCarry ? Float80.J : res;
        env.rInexact = inexact;
        env.rUp = up;
    }

    /**
     * Rounds the working form to prec bits within the exponent range eMin..eMax, raising
     * PE, UE and OE as the x87 does (tininess is detected after rounding). The result uses
     * the extended layout; a result below eMin is denormalized and marked by exponent
     * eMin - 1 with J clear, which for the extended format is the real denormal encoding and
     * for double/single is what {@link #encode} expects. wrap: on an unmasked overflow or
     * underflow deliver the result with its exponent wrapped by 24576 (register destinations)
     * instead of the masked response.
     */
    public static Float80 roundPack(boolean neg, int exp, long hi, long lo, int prec, int eMin, int eMax,
                             boolean wrap, Env env) {
        env.roundedUp = false;
        if (exp < eMin) {
            boolean tiny = true;
            if (exp == eMin - 1) {
                round(neg, hi, lo, prec, env);
                tiny = !env.rCarry;
            }
            if (tiny && !env.masked(UE)) {
                env.flags |= UE;
                // A result too small even for the wrapped exponent gets the masked response.
                if (wrap && exp + WRAP >= eMin) {
                    return roundPack(neg, exp + WRAP, hi, lo, prec, eMin, eMax, false, env);
                }
            }
            int shift = eMin - exp;
            if (shift >= 128) {
                lo = (hi | lo) != 0 ? 1 : 0;
                hi = 0;
            } else if (shift >= 64) {
                long sticky = lo != 0 || (shift > 64 && hi << (128 - shift) != 0) ? 1 : 0;
                lo = (shift == 64 ? hi : hi >>> (shift - 64)) | sticky;
                hi = 0;
            } else {
                long sticky = lo << (64 - shift) != 0 ? 1 : 0;
                lo = lo >>> shift | hi << (64 - shift) | sticky;
                hi = hi >>> shift;
            }
            round(neg, hi, lo, prec, env);
            if (env.rInexact) {
                env.flags |= PE | (tiny ? UE : 0);
                env.roundedUp = env.rUp;
            }
            long sig = env.rHi;
            int e = sig < 0 ? eMin : eMin - 1;
            return Float80.of(neg, e, sig);
        }
        round(neg, hi, lo, prec, env);
        if (env.rCarry) {
            exp++;
        }
        if (exp > eMax) {
            env.flags |= OE;
            if (wrap && !env.masked(OE) && exp - WRAP <= eMax) {
                if (env.rInexact) {
                    env.flags |= PE;
                    env.roundedUp = env.rUp;
                }
                return Float80.of(neg, exp - WRAP, env.rHi);
            }
            env.flags |= PE;
            int rc = env.rc;
            boolean toInf = rc == RN || rc == RD && neg || rc == RU && !neg;
            env.roundedUp = toInf;
            long max = prec == 64 ? -1L : ~((1L << (64 - prec)) - 1);
            return toInf ? Float80.of(neg, Float80.EXP_MAX, Float80.J) : Float80.of(neg, eMax, max);
        }
        if (env.rInexact) {
            env.flags |= PE;
            env.roundedUp = env.rUp;
        }
        return Float80.of(neg, exp, env.rHi);
    }

    /** Rounds to the Env's precision in the extended range, wrapping on unmasked O/U. */
    public static Float80 roundExt(boolean neg, int exp, long hi, long lo, Env env) {
        return roundPack(neg, exp, hi, lo, env.prec, EXT_MIN, EXT_MAX, true, env);
    }

    // ---------------------------------------------------------------- operand handling

    /** Normalized exponent of a finite nonzero value (denormals get exponents below 1). */
    public static int normExp(Float80 x) {
        if (x.exp() == 0) {
            return 1 - Long.numberOfLeadingZeros(x.sig);
        }
        return x.exp();
    }

    /** Normalized significand of a finite nonzero value. */
    public static long normSig(Float80 x) {
        return x.sig << Long.numberOfLeadingZeros(x.sig);
    }

    /**
     * The x87 rules for NaN operands (Intel SDM vol. 1, table 4-7): an SNaN raises IE;
     * of two NaNs a QNaN beats an SNaN, otherwise the larger significand wins and on a tie
     * the positive one; the result is always quiet.
     */
    public static Float80 propagateNaN(Float80 a, Float80 b, Env env) {
        if (a.isSNaN() || b.isSNaN()) {
            env.flags |= IE;
        }
        if (a.isNaN() && b.isNaN()) {
            Float80 qa = a.quiet();
            Float80 qb = b.quiet();
            if (a.isSNaN() != b.isSNaN()) {
                return a.isSNaN() ? qb : qa;
            }
            int c = Long.compareUnsigned(qa.sig, qb.sig);
            if (c != 0) {
                return c > 0 ? qa : qb;
            }
            return qa.neg() ? qb : qa;
        }
        return (a.isNaN() ? a : b).quiet();
    }

    /** IE with the masked response. */
    public static Float80 invalid(Env env) {
        env.flags |= IE;
        return Float80.INDEFINITE;
    }

    /** NaN and unsupported operands of a two-operand arithmetic operation, or null. */
    private static Float80 special2(Float80 a, Float80 b, Env env) {
        if (a.isUnsupported() || b.isUnsupported()) {
            return invalid(env);
        }
        if (a.isNaN() || b.isNaN()) {
            return propagateNaN(a, b, env);
        }
        return null;
    }

    private static void denormalCheck(Float80 a, Float80 b, Env env) {
        if (a.isDenormal() || b.isDenormal()) {
            env.flags |= DE;
        }
    }

    /** Rounds a finite value as is (used for x + 0 and the like). */
    private static Float80 reround(Float80 x, Env env) {
        if (x.isZero()) {
            return x;
        }
        return roundExt(x.neg(), normExp(x), normSig(x), 0, env);
    }

    // ---------------------------------------------------------------- arithmetic

    public static Float80 add(Float80 a, Float80 b, Env env) {
        Float80 s = special2(a, b, env);
        if (s != null) {
            return s;
        }
        if (a.isInf() || b.isInf()) {
            if (a.isInf() && b.isInf() && a.neg() != b.neg()) {
                return invalid(env);
            }
            denormalCheck(a, b, env);
            return a.isInf() ? a : b;
        }
        denormalCheck(a, b, env);
        if (a.isZero() || b.isZero()) {
            if (a.isZero() && b.isZero()) {
                boolean neg = a.neg() == b.neg() ? a.neg() : env.rc == RD;
                return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
            }
            return reround(a.isZero() ? b : a, env);
        }
        int ea = normExp(a);
        int eb = normExp(b);
        long sa = normSig(a);
        long sb = normSig(b);
        boolean na = a.neg();
        boolean nb = b.neg();
        if (ea < eb || ea == eb && Long.compareUnsigned(sa, sb) < 0) {
            int t = ea; ea = eb; eb = t;
            long u = sa; sa = sb; sb = u;
            boolean v = na; na = nb; nb = v;
        }
        // Larger magnitude in (ahi:alo), one bit of headroom for the carry.
        long ahi = sa >>> 1;
        long alo = sa << 63;
        long bhi = sb >>> 1;
        long blo = sb << 63;
        int d = ea - eb;
        if (d >= 128) {
            bhi = 0;
            blo = 1;
        } else if (d >= 64) {
            long sticky = blo != 0 || (d > 64 && bhi << (128 - d) != 0) ? 1 : 0;
            blo = (d == 64 ? bhi : bhi >>> (d - 64)) | sticky;
            bhi = 0;
        } else if (d > 0) {
            long sticky = blo << (64 - d) != 0 ? 1 : 0;
            blo = blo >>> d | bhi << (64 - d) | sticky;
            bhi = bhi >>> d;
        }
        long hi;
        long lo;
        if (na == nb) {
            lo = alo + blo;
            hi = ahi + bhi + (Long.compareUnsigned(lo, alo) < 0 ? 1 : 0);
        } else {
            lo = alo - blo;
            hi = ahi - bhi - (Long.compareUnsigned(alo, blo) < 0 ? 1 : 0);
        }
        if (hi == 0 && lo == 0) {
            return env.rc == RD ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        return normalizeRound(na, ea + 1, hi, lo, env);
    }

    public static Float80 sub(Float80 a, Float80 b, Env env) {
        // a - b = a + (-b), except that a NaN b must keep its own sign.
        if (b.isNaN() || b.isUnsupported()) {
            return add(a, b, env);
        }
        return add(a, b.negate(), env);
    }

    /** Shifts hi:lo left until bit 127 is set, then rounds. */
    private static Float80 normalizeRound(boolean neg, int exp, long hi, long lo, Env env) {
        if (hi == 0) {
            hi = lo;
            lo = 0;
            exp -= 64;
        }
        int s = Long.numberOfLeadingZeros(hi);
        if (s > 0) {
            hi = hi << s | lo >>> (64 - s);
            lo <<= s;
            exp -= s;
        }
        return roundExt(neg, exp, hi, lo, env);
    }

    public static Float80 mul(Float80 a, Float80 b, Env env) {
        Float80 s = special2(a, b, env);
        if (s != null) {
            return s;
        }
        boolean neg = a.neg() != b.neg();
        if (a.isInf() || b.isInf()) {
            if (a.isZero() || b.isZero()) {
                return invalid(env);
            }
            denormalCheck(a, b, env);
            return neg ? Float80.NEG_INF : Float80.POS_INF;
        }
        denormalCheck(a, b, env);
        if (a.isZero() || b.isZero()) {
            return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        long sa = normSig(a);
        long sb = normSig(b);
        long lo = sa * sb;
        long hi = unsignedMultiplyHigh(sa, sb);
        int exp = normExp(a) + normExp(b) - Float80.BIAS + 1;
        return normalizeRound(neg, exp, hi, lo, env);
    }

    public static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    public static Float80 div(Float80 a, Float80 b, Env env) {
        Float80 s = special2(a, b, env);
        if (s != null) {
            return s;
        }
        boolean neg = a.neg() != b.neg();
        if (a.isInf()) {
            if (b.isInf()) {
                return invalid(env);
            }
            denormalCheck(a, b, env);
            return neg ? Float80.NEG_INF : Float80.POS_INF;
        }
        if (b.isInf()) {
            denormalCheck(a, b, env);
            return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        if (b.isZero()) {
            if (a.isZero()) {
                return invalid(env);
            }
            env.flags |= ZE;
            return neg ? Float80.NEG_INF : Float80.POS_INF;
        }
        denormalCheck(a, b, env);
        if (a.isZero()) {
            return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        long sa = normSig(a);
        long sb = normSig(b);
        // q = sa * 2^k / sb lands in [2^127, 2^128) with k = 127 or 128.
        int k = Long.compareUnsigned(sa, sb) >= 0 ? 127 : 128;
        BigInteger[] qr = unsigned(sa).shiftLeft(k).divideAndRemainder(unsigned(sb));
        long hi = qr[0].shiftRight(64).longValue();
        long lo = qr[0].longValue() | (qr[1].signum() != 0 ? 1 : 0);
        int exp = normExp(a) - normExp(b) + Float80.BIAS + 127 - k;
        return roundExt(neg, exp, hi, lo, env);
    }

    public static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }

    public static Float80 sqrt(Float80 a, Env env) {
        if (a.isUnsupported()) {
            return invalid(env);
        }
        if (a.isNaN()) {
            return propagateNaN(a, a, env);
        }
        if (a.isZero()) {
            return a;
        }
        if (a.neg()) {
            return invalid(env);
        }
        if (a.isInf()) {
            return a;
        }
        denormalCheck(a, a, env);
        int e = normExp(a) - Float80.BIAS;
        // a = sig * 2^(e - 63); scale sig by 2^t with e - 63 - t even so the root is exact-scaled.
        int t = ((e - 63 - 192) & 1) == 0 ? 192 : 193;
        BigInteger n = unsigned(normSig(a)).shiftLeft(t);
        BigInteger r = n.sqrt();
        boolean sticky = !r.multiply(r).equals(n);
        int f = (e - 63 - t) / 2;
        int bl = r.bitLength();
        if (bl > 128) {
            sticky |= r.testBit(0);
            r = r.shiftRight(1);
            f++;
        }
        long hi = r.shiftRight(64).longValue();
        long lo = r.longValue() | (sticky ? 1 : 0);
        // r has 128 bits (t was chosen so), value = r * 2^f = hi * 2^(f + 64).
        return roundExt(false, f + Float80.BIAS + 127, hi, lo, env);
    }

    // ---------------------------------------------------------------- integers

    /**
     * Rounds a finite value to an integral value per env.rc (FRNDINT): PE when inexact,
     * env.roundedUp when the magnitude grew.
     */
    public static Float80 roundToIntegral(Float80 x, Env env) {
        env.roundedUp = false;
        if (x.isZero()) {
            return x;
        }
        int e = normExp(x);
        if (e >= Float80.BIAS + 63) {
            return x;
        }
        long sig = normSig(x);
        int fb = Float80.BIAS + 63 - e; // number of fraction bits, >= 1
        long ip;
        long frac;
        long half;
        boolean fracBelowHalfNonzero;
        if (fb >= 64) {
            ip = 0;
            // fraction = sig / 2^fb < 1; compare with 1/2 = 2^(fb-1)
            int cmp = fb == 64 ? Long.compareUnsigned(sig, 1L << 63) : -1;
            boolean up = roundDecision(x.neg(), cmp, true, false, env.rc);
            return integralResult(x.neg(), up ? 1 : 0, true, up, env);
        }
        ip = sig >>> fb;
        frac = sig & ((1L << fb) - 1);
        half = 1L << (fb - 1);
        boolean inexact = frac != 0;
        int cmp = Long.compareUnsigned(frac, half);
        fracBelowHalfNonzero = inexact;
        boolean up = roundDecision(x.neg(), cmp, fracBelowHalfNonzero, (ip & 1) != 0, env.rc);
        return integralResult(x.neg(), up ? ip + 1 : ip, inexact, up, env);
    }

    /** Whether to add one to the integer part, given the fraction's comparison with 1/2. */
    private static boolean roundDecision(boolean neg, int cmpHalf, boolean inexact, boolean odd, int rc) {
        switch (rc) {
            case RN: return cmpHalf > 0 || cmpHalf == 0 && odd;
            case RD: return inexact && neg;
            case RU: return inexact && !neg;
            default: return false;
        }
    }

    private static Float80 integralResult(boolean neg, long mag, boolean inexact, boolean up, Env env) {
        if (inexact) {
            env.flags |= PE;
            env.roundedUp = up;
        }
        if (mag == 0) {
            return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        // mag may be 2^63 (as an unsigned long) after rounding up 2^63 - 0.5.
        return Float80.normalized(neg, Float80.BIAS + 63, mag);
    }

    /**
     * FIST/FISTP/FISTTP: converts to a signed integer of the given width (16, 32, 64) with
     * rounding mode rc; returns null (after raising IE) if the value is a NaN, infinite,
     * unsupported or out of range, in which case the caller stores the integer indefinite.
     */
    public static Long toInteger(Float80 x, int bits, int rc, Env env) {
        if (x.isNaN() || x.isInf() || x.isUnsupported()) {
            env.flags |= IE;
            return null;
        }
        int saved = env.rc;
        int flagsBefore = env.flags;
        env.rc = rc;
        Float80 r = roundToIntegral(x, env);
        env.rc = saved;
        long v;
        if (r.isZero()) {
            v = 0;
        } else {
            int e = r.exp() - Float80.BIAS;
            if (e > 63) {
                env.flags = flagsBefore | IE;
                env.roundedUp = false;
                return null;
            }
            long mag = r.sig >>> (63 - e);
            v = r.neg() ? -mag : mag;
            boolean fits = r.neg() ? Long.compareUnsigned(mag, 1L << (bits - 1)) <= 0
                : Long.compareUnsigned(mag, (1L << (bits - 1)) - 1) <= 0 && e < 63;
            if (bits == 64 && r.neg()) {
                fits = Long.compareUnsigned(mag, 1L << 63) <= 0;
            }
            if (!fits) {
                env.flags = flagsBefore | IE;
                env.roundedUp = false;
                return null;
            }
        }
        return v;
    }

    // ---------------------------------------------------------------- storing to memory

    /** FST m64: rounds to double (precision 53, double range, per env.rc). */
    public static long toDoubleBits(Float80 x, Env env) {
        return encode(x, 53, DBL_MIN, DBL_MAX, 11, 52, env);
    }

    /** FST m32: rounds to single. */
    public static int toFloatBits(Float80 x, Env env) {
        return (int) encode(x, 24, FLT_MIN, FLT_MAX, 8, 23, env);
    }

    private static long encode(Float80 x, int prec, int eMin, int eMax, int expBits, int fracBits, Env env) {
        long sign = x.neg() ? 1L << (expBits + fracBits) : 0;
        long expAll = (1L << expBits) - 1;
        if (x.isUnsupported()) {
            x = invalid(env);
        }
        if (x.isNaN()) {
            if (x.isSNaN()) {
                env.flags |= IE;
            }
            long frac = (x.sig | Float80.QUIET) << 1 >>> (64 - fracBits);
            return sign | expAll << fracBits | frac;
        }
        if (x.isInf()) {
            return sign | expAll << fracBits;
        }
        if (x.isZero()) {
            return sign;
        }
        Float80 r = roundPack(x.neg(), normExp(x), normSig(x), 0, prec, eMin, eMax, false, env);
        if (r.isInf()) {
            return sign | expAll << fracBits;
        }
        long e = r.sig < 0 ? r.exp() - (eMin - 1) : 0;
        long frac = r.sig << 1 >>> (64 - fracBits);
        return sign | e << fracBits | frac;
    }

    // ---------------------------------------------------------------- comparison

    /** Ordering of two values: -1, 0, 1, or 2 when unordered (a NaN or unsupported operand). */
    public static int compare(Float80 a, Float80 b) {
        if (a.isNaN() || b.isNaN() || a.isUnsupported() || b.isUnsupported()) {
            return 2;
        }
        if (a.isZero() && b.isZero()) {
            return 0;
        }
        if (a.neg() != b.neg()) {
            return a.neg() ? -1 : 1;
        }
        int m = compareMagnitude(a, b);
        return a.neg() ? -m : m;
    }

    private static int compareMagnitude(Float80 a, Float80 b) {
        if (a.isZero() || b.isZero()) {
            return a.isZero() ? (b.isZero() ? 0 : -1) : 1;
        }
        if (a.isInf() || b.isInf()) {
            return a.isInf() ? (b.isInf() ? 0 : 1) : -1;
        }
        int ea = normExp(a);
        int eb = normExp(b);
        if (ea != eb) {
            return ea < eb ? -1 : 1;
        }
        return Long.compareUnsigned(normSig(a), normSig(b));
    }

    // ---------------------------------------------------------------- scaling and remainders

    /** FSCALE: a * 2^trunc(b), rounded to 64 bits with env.rc. */
    public static Float80 scale(Float80 a, Float80 b, Env env) {
        Float80 s = special2(a, b, env);
        if (s != null) {
            return s;
        }
        if (b.isInf()) {
            if (a.isZero() && !b.neg() || a.isInf() && b.neg()) {
                return invalid(env);
            }
            denormalCheck(a, b, env);
            if (a.isZero() || a.isInf()) {
                return a;
            }
            return b.neg() ? (a.neg() ? Float80.NEG_ZERO : Float80.POS_ZERO)
                : (a.neg() ? Float80.NEG_INF : Float80.POS_INF);
        }
        denormalCheck(a, b, env);
        if (a.isZero() || a.isInf()) {
            return a;
        }
        long n = truncToClampedInt(b);
        return roundPack(a.neg(), (int) (normExp(a) + n), normSig(a), 0, 64, EXT_MIN, EXT_MAX, true, env);
    }

    /** trunc(b) clamped to +-2^20, which is beyond any exponent that matters. */
    private static long truncToClampedInt(Float80 b) {
        if (b.isZero()) {
            return 0;
        }
        int e = normExp(b) - Float80.BIAS;
        if (e < 0) {
            return 0;
        }
        long mag = e > 20 ? 1L << 20 : normSig(b) >>> (63 - e);
        return b.neg() ? -mag : mag;
    }

    /** Result of FPREM/FPREM1: the new ST(0) and the condition bits. */
    public static final class Remainder {
        Float80 value;
        boolean incomplete;
        /** Low three bits of the quotient (Q2 Q1 Q0). */
        int q;
    }

    /**
     * FPREM (ieee = false: truncated quotient) and FPREM1 (ieee = true: quotient rounded to
     * nearest even). When the exponents differ by 64 or more only a partial remainder is
     * produced, reducing the exponent difference to a value in 32..63 as the manuals allow.
     */
    public static Remainder remainder(Float80 a, Float80 b, boolean ieee, Env env) {
        Remainder res = new Remainder();
        Float80 s = special2(a, b, env);
        if (s != null) {
            res.value = s;
            return res;
        }
        if (a.isInf() || b.isZero()) {
            res.value = invalid(env);
            return res;
        }
        denormalCheck(a, b, env);
        if (a.isZero() || b.isInf()) {
            res.value = a.isDenormal() ? reroundExact(a, env) : a;
            return res;
        }
        int ea = normExp(a);
        int eb = normExp(b);
        long sa = normSig(a);
        long sb = normSig(b);
        int d = ea - eb;
        if (d < 0) {
            // |a| < |b|: quotient 0 (or +-1 for FPREM1 when |a| > |b| / 2).
            if (ieee && d == -1 && Long.compareUnsigned(sa, sb) > 0) {
                // |a| > |b|/2: r = a - sign(a) b, exactly, sign flips.
                BigInteger r = unsigned(sb).shiftLeft(1).subtract(unsigned(sa));
                res.q = 1;
                res.value = packExact(!a.neg(), r, ea, env);
                return res;
            }
            res.value = reroundExact(a, env);
            return res;
        }
        BigInteger bigA = unsigned(sa);
        BigInteger bigB = unsigned(sb);
        int n = d;
        if (d >= 64) {
            res.incomplete = true;
            n = 32 + ((d - 64) & 31);
        }
        BigInteger[] qr = bigA.shiftLeft(n).divideAndRemainder(bigB);
        BigInteger q = qr[0];
        BigInteger r = qr[1];
        boolean neg = a.neg();
        if (ieee && !res.incomplete) {
            int c = r.shiftLeft(1).compareTo(bigB);
            if (c > 0 || c == 0 && q.testBit(0)) {
                q = q.add(BigInteger.ONE);
                r = bigB.subtract(r);
                neg = !neg;
            }
        }
        res.q = q.intValue() & 7;
        // r is in units of 2^(eb - BIAS - 63) (for the partial case, 2^(ea - n - BIAS - 63)).
        int unitExp = res.incomplete ? ea - n : eb;
        if (r.signum() == 0) {
            res.value = a.neg() ? Float80.NEG_ZERO : Float80.POS_ZERO;
            return res;
        }
        res.value = packExact(neg, r, unitExp, env);
        return res;
    }

    /** An exact nonzero integer r times 2^(unitExp - BIAS - 63), rounded (exactly) to 64 bits. */
    private static Float80 packExact(boolean neg, BigInteger r, int unitExp, Env env) {
        int bl = r.bitLength();
        long hi = r.shiftLeft(64 - bl).longValue();
        return roundPack(neg, unitExp + bl - 64, hi, 0, 64, EXT_MIN, EXT_MAX, true, env);
    }

    private static Float80 reroundExact(Float80 a, Env env) {
        if (a.isZero()) {
            return a;
        }
        return roundPack(a.neg(), normExp(a), normSig(a), 0, 64, EXT_MIN, EXT_MAX, true, env);
    }
}
