package microlith.hw.cpu.x87;

import static microlith.hw.cpu.x87.SoftFloat80.DE;
import static microlith.hw.cpu.x87.SoftFloat80.IE;
import static microlith.hw.cpu.x87.SoftFloat80.SF;
import static microlith.hw.cpu.x87.SoftFloat80.ZE;

import java.math.BigInteger;
import microlith.hw.cpu.x87.ExactMath.Big;
import microlith.hw.cpu.x87.SoftFloat80.Env;

/**
 * The x87 transcendental instructions: FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and
 * FYL2XP1. Special operands (zeros, infinities, NaNs, unsupported encodings, denormals) follow
 * the tables of the Intel SDM and what an x86-64 host does; finite results are computed to
 * over 200 bits by {@link ExactMath} and rounded once, to 64 bits with the control word's
 * rounding mode (precision control does not apply to these instructions), so they are the
 * correctly rounded values. Real CPUs are within about one ulp of them.
 *
 * <p>Condition codes: C1 reports a rounded-up result (0 on stack underflow, 1 on overflow);
 * C2 is set by FSIN, FCOS, FSINCOS and FPTAN when |ST(0)| &gt;= 2^63, in which case the
 * operand is left as it is and nothing is raised. C0 and C3 are left unchanged.
 */
public final class X87Transcendental {
    private X87Transcendental() {
    }

    /** The environment for these instructions: always 64-bit precision. */
    private static Env env(X87State s) {
        Env e = X87.env(s);
        e.prec = 64;
        return e;
    }

    /**
     * Rounds a value known to be inexact (irrational) once to the extended format. v is the
     * approximation; when it is short (no bits below the top 128), the true value lies just
     * beyond it in magnitude (dir &gt; 0) or just short of it (dir &lt; 0): the approximation
     * dropped terms too small to register, such as the x^3/6 of sin(x) for a tiny x.
     */
    public static Float80 roundInexact(Big v, int dir, Env env) {
        boolean neg = v.signum() < 0;
        BigInteger m = v.m.abs();
        int len = m.bitLength();
        int exp = v.e + len - 1 + Float80.BIAS;
        BigInteger top;
        boolean shortValue;
        if (len > 128) {
            top = m.shiftRight(len - 128);
            shortValue = m.getLowestSetBit() >= len - 128;
        } else {
            top = m.shiftLeft(128 - len);
            shortValue = true;
        }
        if (shortValue && dir < 0) {
            top = top.subtract(BigInteger.ONE);
            if (top.bitLength() < 128) {
                top = top.shiftLeft(1);
                exp--;
            }
        }
        long hi = top.shiftRight(64).longValue();
        long lo = top.longValue() | 1;
        return SoftFloat80.roundExt(neg, exp, hi, lo, env);
    }

    public static Float80 roundInexact(Big v, Env env) {
        return roundInexact(v, 1, env);
    }

    private static Float80 zero(boolean neg) {
        return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
    }

    private static Float80 inf(boolean neg) {
        return neg ? Float80.NEG_INF : Float80.POS_INF;
    }

    /** |x| >= 2^63: outside the range of the reduction instructions. */
    private static boolean outOfRange(Float80 x) {
        return x.exp() >= Float80.BIAS + 63;
    }

    private static void denormal(Float80 x, Env env) {
        if (x.isDenormal()) {
            env.flags |= DE;
        }
    }

    private static void setC2(X87State s, boolean c2) {
        s.sw = s.sw & ~X87State.C2 | (c2 ? X87State.C2 : 0);
    }

    // ---------------------------------------------------------------- FSIN, FCOS

    public static void fsinOrCos(X87State s, boolean sin) {
        Env env = env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r;
        boolean c2 = false;
        if ((env.flags & SF) != 0) {
            r = x;
        } else if (x.isUnsupported() || x.isInf()) {
            r = SoftFloat80.invalid(env);
        } else if (x.isNaN()) {
            r = SoftFloat80.propagateNaN(x, x, env);
        } else if (outOfRange(x)) {
            c2 = true;
            r = x;
        } else {
            denormal(x, env);
            if (x.isZero()) {
                r = sin ? x : Float80.ONE;
            } else {
                Big[] sc = ExactMath.sinCos(Big.of(x), s.pi66);
                r = roundInexact(sin ? sc[0] : sc[1], -1, env);
            }
        }
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        setC2(s, c2);
        X87.commit(s, env, env.roundedUp);
    }

    // ---------------------------------------------------------------- FSINCOS, FPTAN

    /**
     * FSINCOS (tan = false: ST(0) = sin, then cos pushed) and FPTAN (ST(0) = tan, then 1.0
     * pushed). A stack overflow makes both registers the indefinite, as does an invalid
     * operand; a NaN operand is copied into both.
     */
    private static void pushPair(X87State s, boolean tan) {
        Env env = env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 first;
        Float80 second;
        boolean c1;
        boolean overflow = !s.isEmpty(7);
        if (overflow) {
            env.flags |= IE | SF;
            first = Float80.INDEFINITE;
            second = Float80.INDEFINITE;
            c1 = true;
        } else if ((env.flags & SF) != 0) {
            first = Float80.INDEFINITE;
            second = Float80.INDEFINITE;
            c1 = false;
        } else if (x.isUnsupported() || x.isInf()) {
            first = SoftFloat80.invalid(env);
            second = first;
            c1 = false;
        } else if (x.isNaN()) {
            first = SoftFloat80.propagateNaN(x, x, env);
            second = first;
            c1 = false;
        } else if (outOfRange(x)) {
            setC2(s, true);
            X87.commit(s, env, false);
            return;
        } else {
            denormal(x, env);
            if (x.isZero()) {
                first = x;
                second = Float80.ONE;
                c1 = false;
            } else if (tan) {
                first = roundInexact(ExactMath.tan(Big.of(x), s.pi66), 1, env);
                second = Float80.ONE;
                c1 = env.roundedUp;
            } else {
                Big[] sc = ExactMath.sinCos(Big.of(x), s.pi66);
                first = roundInexact(sc[0], -1, env);
                boolean up = env.roundedUp;
                second = roundInexact(sc[1], -1, env);
                c1 = up;
            }
        }
        if (X87.deliverable(s, env)) {
            s.set(0, first);
            s.push(second);
        } else {
            c1 = overflow;
        }
        setC2(s, false);
        X87.commit(s, env, c1);
    }

    public static void fsincos(X87State s) {
        pushPair(s, false);
    }

    public static void fptan(X87State s) {
        pushPair(s, true);
    }

    // ---------------------------------------------------------------- F2XM1

    public static void f2xm1(X87State s) {
        Env env = env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r;
        if ((env.flags & SF) != 0) {
            r = x;
        } else if (x.isUnsupported()) {
            r = SoftFloat80.invalid(env);
        } else if (x.isNaN()) {
            r = SoftFloat80.propagateNaN(x, x, env);
        } else if (x.isInf()) {
            r = x.neg() ? Float80.ONE.negate() : x;
        } else {
            denormal(x, env);
            if (x.isZero()) {
                r = x;
            } else if (SoftFloat80.normExp(x) >= Float80.BIAS && !x.abs().equals(Float80.ONE)) {
                // |x| > 1 is outside the documented domain: the host returns x, inexact.
                env.flags |= SoftFloat80.PE;
                r = x;
            } else if (x.equals(Float80.ONE)) {
                // Exact, but the hardware reports these two as inexact as well.
                env.flags |= SoftFloat80.PE;
                r = Float80.ONE;
            } else if (x.equals(Float80.ONE.negate())) {
                env.flags |= SoftFloat80.PE;
                r = Float80.of(true, Float80.BIAS - 1, Float80.J);
            } else {
                r = roundInexact(ExactMath.exp2m1(Big.of(x)), env);
            }
        }
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, env.roundedUp);
    }

    // ---------------------------------------------------------------- FYL2X, FYL2XP1

    /** ST(1) = ST(1) * log2(ST(0)) (plusOne: log2(ST(0) + 1)), then pop. */
    public static void fyl2x(X87State s, boolean plusOne) {
        Env env = env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 y = X87.read(s, 1, env);
        Float80 r;
        if ((env.flags & SF) != 0) {
            r = Float80.INDEFINITE;
        } else if (x.isUnsupported() || y.isUnsupported()) {
            r = SoftFloat80.invalid(env);
        } else if (x.isNaN() || y.isNaN()) {
            r = SoftFloat80.propagateNaN(x, y, env);
        } else {
            r = plusOne ? ylog2p1(x, y, env) : ylog2(x, y, env);
        }
        if (X87.deliverable(s, env)) {
            s.set(1, r);
            s.pop();
        }
        X87.commit(s, env, env.roundedUp);
    }

    private static Float80 ylog2(Float80 x, Float80 y, Env env) {
        if (x.neg() && !x.isZero()) {
            return SoftFloat80.invalid(env);
        }
        if (x.isZero()) {
            // log2(0) = -inf: y * -inf.
            if (y.isZero()) {
                return SoftFloat80.invalid(env);
            }
            if (!y.isInf()) {
                env.flags |= ZE;
            }
            return inf(!y.neg());
        }
        if (x.isInf()) {
            if (y.isZero()) {
                return SoftFloat80.invalid(env);
            }
            denormal(y, env);
            return inf(y.neg());
        }
        boolean below1 = SoftFloat80.normExp(x) < Float80.BIAS;
        boolean one = x.equals(Float80.ONE);
        if (y.isInf()) {
            if (one) {
                return SoftFloat80.invalid(env);
            }
            denormal(x, env);
            return inf(y.neg() != below1);
        }
        denormal(x, env);
        denormal(y, env);
        if (y.isZero()) {
            return zero(y.neg() != below1);
        }
        if (SoftFloat80.normSig(x) == Float80.J) {
            // A power of two: log2 is the integer exponent and the product is rounded once.
            // The hardware flags even an exact nonzero product as inexact, and so do we.
            Float80 r = SoftFloat80.mul(y, Float80.fromLong(SoftFloat80.normExp(x) - Float80.BIAS), env);
            if (!r.isZero()) {
                env.flags |= SoftFloat80.PE | (r.exp() == 0 ? SoftFloat80.UE : 0);
            }
            return r;
        }
        return roundInexact(Big.of(y).mul(ExactMath.log2(Big.of(x))), env);
    }

    private static Float80 ylog2p1(Float80 x, Float80 y, Env env) {
        if (x.isInf()) {
            return x.neg() ? SoftFloat80.invalid(env) : ylog2(x, y, env);
        }
        if (x.isZero()) {
            if (y.isInf()) {
                return SoftFloat80.invalid(env);
            }
            denormal(y, env);
            return zero(x.neg() != y.neg());
        }
        if (x.neg() && SoftFloat80.normExp(x) >= Float80.BIAS && !x.equals(Float80.ONE.negate())) {
            // x < -1, outside the domain: the host returns x (inexact), or a zero for y = 0.
            denormal(y, env);
            if (y.isZero()) {
                return zero(x.neg() != y.neg());
            }
            env.flags |= SoftFloat80.PE;
            return x;
        }
        if (SoftFloat80.normExp(x) >= Float80.BIAS - 2) {
            // Outside the documented range |x| < 1 - sqrt(2)/2: log2 of 1 + x computed exactly.
            Big u = Big.of(1).add(Big.of(x));
            if (u.signum() < 0) {
                return SoftFloat80.invalid(env);
            }
            if (u.isZero()) {
                return ylog2(Float80.POS_ZERO, y, env);
            }
            if (u.m.bitLength() <= 64 && u.m.bitCount() == 1) {
                Float80 pow = Float80.of(false, u.top() + Float80.BIAS, Float80.J);
                denormal(x, env);
                return ylog2(pow, y, env);
            }
            if (y.isInf()) {
                return inf(y.neg() != x.neg());
            }
            denormal(y, env);
            return y.isZero() ? zero(y.neg() != x.neg()) : roundInexact(Big.of(y).mul(ExactMath.log2(u)), env);
        }
        denormal(x, env);
        if (y.isInf()) {
            return inf(y.neg() != x.neg());
        }
        denormal(y, env);
        if (y.isZero()) {
            return zero(y.neg() != x.neg());
        }
        return roundInexact(Big.of(y).mul(ExactMath.log2p1(Big.of(x))), env);
    }

    // ---------------------------------------------------------------- FPATAN

    /** ST(1) = atan(ST(1) / ST(0)) with the quadrant of (ST(0), ST(1)), then pop. */
    public static void fpatan(X87State s) {
        Env env = env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 y = X87.read(s, 1, env);
        Float80 r;
        if ((env.flags & SF) != 0) {
            r = Float80.INDEFINITE;
        } else if (x.isUnsupported() || y.isUnsupported()) {
            r = SoftFloat80.invalid(env);
        } else if (x.isNaN() || y.isNaN()) {
            r = SoftFloat80.propagateNaN(x, y, env);
        } else {
            denormal(x, env);
            denormal(y, env);
            boolean neg = y.neg();
            Big pi = ExactMath.PI;
            if (y.isZero()) {
                r = x.neg() ? roundInexact(neg ? pi.negate() : pi, env) : y;
            } else if (y.isInf()) {
                Big v = x.isInf() ? (x.neg() ? pi.mul(Big.of(3)).shift(-2) : pi.shift(-2)) : pi.shift(-1);
                r = roundInexact(neg ? v.negate() : v, env);
            } else if (x.isZero()) {
                Big v = pi.shift(-1);
                r = roundInexact(neg ? v.negate() : v, env);
            } else if (x.isInf()) {
                r = x.neg() ? roundInexact(neg ? pi.negate() : pi, env) : zero(neg);
            } else {
                r = roundInexact(ExactMath.atan2(Big.of(y), Big.of(x)), -1, env);
            }
        }
        if (X87.deliverable(s, env)) {
            s.set(1, r);
            s.pop();
        }
        X87.commit(s, env, env.roundedUp);
    }
}
