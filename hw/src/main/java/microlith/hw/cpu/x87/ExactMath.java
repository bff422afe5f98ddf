package microlith.hw.cpu.x87;

import java.math.BigInteger;

/**
 * High-precision elementary functions for the x87 transcendental instructions. Values are
 * binary floating-point numbers {@code m * 2^e} with a signed BigInteger significand kept
 * to about {@link #P} bits, so relative accuracy survives any exponent (denormal operands,
 * results far below 1). Every function here is accurate to well over 200 bits; the callers
 * round once, to 64 bits, with {@link SoftFloat80}.
 *
 * <p>Methods: sine and cosine after an exact reduction modulo pi/2 (pi to 1100 bits, enough
 * for any |x| &lt; 2^63), the inverse tangent by two argument halvings and its Taylor series,
 * the natural logarithm via the inverse hyperbolic tangent series, and exp(z) - 1 by its
 * Taylor series.
 */
public final class ExactMath {
    /** Working precision in bits. */
    public static final int P = 256;
    /** Fraction bits of the fixed-point pi used for argument reduction. */
    private static final int F = 1100;

    /** pi/2 as an integer: pi/2 = PI_HALF_FIX * 2^-F (truncated). */
    private static final BigInteger PI_HALF_FIX;
    /**
     * pi/2 rounded to 66 significant bits, in the same fixed point: the approximation Intel
     * and AMD hardware reduce with (measured on the host: its FSIN/FCOS/FPTAN/FSINCOS results
     * match a reduction by this value, and differ from an exact one, for large arguments).
     */
    private static final BigInteger PI66_HALF_FIX;
    public static final Big PI;
    public static final Big LN2;

    static {
        int g = F + 64;
        BigInteger pi = arctanInverse(5, g, true).shiftLeft(4).subtract(arctanInverse(239, g, true).shiftLeft(2));
        PI_HALF_FIX = pi.shiftRight(64 + 1);
        PI = new Big(pi, -g).norm();
        LN2 = new Big(arctanInverse(3, g, false).shiftLeft(1), -g).norm();
        int drop = PI_HALF_FIX.bitLength() - 66;
        PI66_HALF_FIX = PI_HALF_FIX.add(BigInteger.ONE.shiftLeft(drop - 1)).shiftRight(drop).shiftLeft(drop);
    }

    private ExactMath() {
    }

    /**
     * atan(1/n) (alternating) or atanh(1/n) as a fixed-point integer with g fraction bits,
     * by the series sum (+-1)^k / ((2k + 1) n^(2k + 1)).
     */
    private static BigInteger arctanInverse(int n, int g, boolean alternating) {
        BigInteger term = BigInteger.ONE.shiftLeft(g).divide(BigInteger.valueOf(n));
        BigInteger n2 = BigInteger.valueOf((long) n * n);
        BigInteger sum = BigInteger.ZERO;
        for (int k = 0; term.signum() != 0; k++) {
            BigInteger t = term.divide(BigInteger.valueOf(2L * k + 1));
            sum = alternating && (k & 1) != 0 ? sum.subtract(t) : sum.add(t);
            term = term.divide(n2);
        }
        return sum;
    }

    /** An arbitrary-precision binary float m * 2^e (m = 0 is zero). Immutable. */
    public static final class Big {
        final BigInteger m;
        final int e;

        Big(BigInteger m, int e) {
            this.m = m;
            this.e = e;
        }

        static Big of(long v) {
            return new Big(BigInteger.valueOf(v), 0);
        }

        /** The exact value of a finite Float80. */
        static Big of(Float80 x) {
            BigInteger m = SoftFloat80.unsigned(x.sig);
            int ex = Math.max(x.exp(), 1);
            return new Big(x.neg() ? m.negate() : m, ex - Float80.BIAS - 63);
        }

        boolean isZero() {
            return m.signum() == 0;
        }

        int signum() {
            return m.signum();
        }

        /** Exponent of the leading bit: 2^top &lt;= |value| &lt; 2^(top + 1). */
        int top() {
            return e + m.bitLength() - 1;
        }

        /** Truncates the significand to P bits. */
        Big norm() {
            int excess = m.bitLength() - P;
            if (excess <= 0) {
                return this;
            }
            return new Big(m.signum() < 0 ? m.negate().shiftRight(excess).negate() : m.shiftRight(excess),
                e + excess);
        }

        Big negate() {
            return new Big(m.negate(), e);
        }

        Big abs() {
            return m.signum() < 0 ? negate() : this;
        }

        Big shift(int k) {
            return new Big(m, e + k);
        }

        Big mul(Big o) {
            return new Big(m.multiply(o.m), e + o.e).norm();
        }

        Big div(Big o) {
            int s = P + 2 + o.m.bitLength() - m.bitLength();
            BigInteger q = (s >= 0 ? m.shiftLeft(s) : m.shiftRight(-s)).divide(o.m);
            return new Big(q, e - s - o.e).norm();
        }

        Big div(long n) {
            return div(of(n));
        }

        /** Sum, exact before the final truncation unless one term is negligible. */
        Big add(Big o) {
            if (o.isZero()) {
                return norm();
            }
            if (isZero()) {
                return o.norm();
            }
            Big a = this;
            Big b = o;
            if (a.top() < b.top()) {
                Big t = a;
                a = b;
                b = t;
            }
            if (a.top() - b.top() > 2 * P) {
                return a.norm(); // b is below a's last kept bit by far more than P bits
            }
            if (a.e > b.e) {
                return new Big(a.m.shiftLeft(a.e - b.e).add(b.m), b.e).norm();
            }
            return new Big(b.m.shiftLeft(b.e - a.e).add(a.m), a.e).norm();
        }

        Big sub(Big o) {
            return add(o.negate());
        }

        Big sqrt() {
            int s = 2 * P + 2 - m.bitLength();
            if (s < 0) {
                s = 0;
            }
            if (((e - s) & 1) != 0) {
                s++;
            }
            return new Big(m.shiftLeft(s).sqrt(), (e - s) / 2).norm();
        }

        /** The term is negligible next to sum (below its P + 8th bit). */
        boolean negligible(Big sum) {
            return isZero() || !sum.isZero() && top() < sum.top() - P - 8;
        }
    }

    // ---------------------------------------------------------------- trigonometric

    /** Result of the reduction x = k pi/2 + r with |r| &lt;= pi/4. */
    public static final class Reduced {
        Big r;
        int quadrant;
    }

    /**
     * Reduction of a finite |x| &lt; 2^64 modulo pi/2: exact, or (pi66) with the 66-bit pi
     * of the hardware, which loses accuracy when x is large or close to a multiple of pi/2.
     */
    public static Reduced reduce(Big x, boolean pi66) {
        Reduced red = new Reduced();
        boolean neg = x.signum() < 0;
        Big ax = x.abs();
        if (ax.top() < -1) { // |x| < 1/2 < pi/4
            red.r = x;
            return red;
        }
        BigInteger fx = ax.e + F >= 0 ? ax.m.shiftLeft(ax.e + F) : ax.m.shiftRight(-(ax.e + F));
        BigInteger piHalf = pi66 ? PI66_HALF_FIX : PI_HALF_FIX;
        BigInteger[] qr = fx.divideAndRemainder(piHalf);
        BigInteger k = qr[0];
        BigInteger rem = qr[1];
        if (rem.shiftLeft(1).compareTo(piHalf) > 0) {
            k = k.add(BigInteger.ONE);
            rem = rem.subtract(piHalf);
        }
        Big r = new Big(rem, -F).norm();
        int q = k.intValue() & 3;
        if (neg) {
            r = r.negate();
            q = -q & 3;
        }
        red.r = r;
        red.quadrant = q;
        return red;
    }

    /** sin(r) by its Taylor series, |r| &lt;= pi/4. */
    public static Big sinSeries(Big r) {
        if (r.isZero()) {
            return r;
        }
        Big r2 = r.mul(r);
        Big term = r;
        Big sum = r;
        for (int k = 1; ; k++) {
            term = term.mul(r2).div((2L * k) * (2L * k + 1)).negate();
            if (term.negligible(sum)) {
                return sum;
            }
            sum = sum.add(term);
        }
    }

    /** cos(r) by its Taylor series, |r| &lt;= pi/4. */
    public static Big cosSeries(Big r) {
        Big one = Big.of(1);
        if (r.isZero()) {
            return one;
        }
        Big r2 = r.mul(r);
        Big term = one;
        Big sum = one;
        for (int k = 0; ; k++) {
            term = term.mul(r2).div((2L * k + 1) * (2L * k + 2)).negate();
            if (term.negligible(sum)) {
                return sum;
            }
            sum = sum.add(term);
        }
    }

    /** sin(x) and cos(x) of a finite |x| &lt; 2^64: {sin, cos}. */
    public static Big[] sinCos(Big x, boolean pi66) {
        Reduced red = reduce(x, pi66);
        Big s = sinSeries(red.r);
        Big c = cosSeries(red.r);
        switch (red.quadrant) {
            case 0: return new Big[] {s, c};
            case 1: return new Big[] {c, s.negate()};
            case 2: return new Big[] {s.negate(), c.negate()};
            default: return new Big[] {c.negate(), s};
        }
    }

    public static Big tan(Big x, boolean pi66) {
        Reduced red = reduce(x, pi66);
        Big s = sinSeries(red.r);
        Big c = cosSeries(red.r);
        return (red.quadrant & 1) == 0 ? s.div(c) : c.div(s).negate();
    }

    // ---------------------------------------------------------------- inverse tangent

    /** atan(t) for 0 &lt;= t &lt;= 1. */
    public static Big atanUnit(Big t) {
        if (t.isZero()) {
            return t;
        }
        Big one = Big.of(1);
        // atan(t) = 2 atan(t / (1 + sqrt(1 + t^2))): twice brings t below tan(pi/16) = 0.199.
        int halvings = 0;
        while (t.top() >= -3 && halvings < 3) {
            t = t.div(one.add(one.add(t.mul(t)).sqrt()));
            halvings++;
        }
        Big t2 = t.mul(t);
        Big pow = t;
        Big sum = t;
        for (int k = 1; ; k++) {
            pow = pow.mul(t2).negate();
            Big term = pow.div(2L * k + 1);
            if (term.negligible(sum)) {
                break;
            }
            sum = sum.add(term);
        }
        return sum.shift(halvings);
    }

    /** atan2(y, x) for finite nonzero y and x, in (-pi, pi]. */
    public static Big atan2(Big y, Big x) {
        Big a = y.abs();
        Big b = x.abs();
        Big th;
        if (a.top() < b.top() || a.top() == b.top() && a.sub(b).signum() <= 0) {
            th = atanUnit(a.div(b));
        } else {
            th = PI.shift(-1).sub(atanUnit(b.div(a)));
        }
        if (x.signum() < 0) {
            th = PI.sub(th);
        }
        return y.signum() < 0 ? th.negate() : th;
    }

    // ---------------------------------------------------------------- logarithms

    /** 2 atanh(t) = ln((1 + t) / (1 - t)) for |t| &lt;= 1/5 or so. */
    public static Big twoAtanh(Big t) {
        if (t.isZero()) {
            return t;
        }
        Big t2 = t.mul(t);
        Big pow = t;
        Big sum = t;
        for (int k = 1; ; k++) {
            pow = pow.mul(t2);
            Big term = pow.div(2L * k + 1);
            if (term.negligible(sum)) {
                break;
            }
            sum = sum.add(term);
        }
        return sum.shift(1);
    }

    /** log2(v) for v &gt; 0, not an exact power of two (else the result would be exact). */
    public static Big log2(Big v) {
        // v = s * 2^k with s in [sqrt(1/2), sqrt(2)): ln(s) = 2 atanh((s - 1) / (s + 1)).
        int k = v.top();
        Big s = v.shift(-k); // [1, 2)
        if (s.mul(s).sub(Big.of(2)).signum() >= 0) {
            s = s.shift(-1);
            k++;
        }
        Big one = Big.of(1);
        Big lnS = twoAtanh(s.sub(one).div(s.add(one)));
        return Big.of(k).add(lnS.div(LN2));
    }

    /** log2(1 + x) for |x| &lt; 1/4, x != 0. */
    public static Big log2p1(Big x) {
        return twoAtanh(x.div(Big.of(2).add(x))).div(LN2);
    }

    // ---------------------------------------------------------------- exponential

    /** exp(z) - 1 by its Taylor series; |z| &lt;= 1. */
    public static Big expm1(Big z) {
        if (z.isZero()) {
            return z;
        }
        Big term = z;
        Big sum = z;
        for (int k = 2; ; k++) {
            term = term.mul(z).div(k);
            if (term.negligible(sum)) {
                return sum;
            }
            sum = sum.add(term);
        }
    }

    /** 2^x - 1 for a finite x (the hardware defines it only for |x| &lt;= 1). */
    public static Big exp2m1(Big x) {
        if (x.top() < 0) {
            return expm1(x.mul(LN2));
        }
        // 2^x = 2^n * 2^f, n = round(x), |f| <= 1/2; clamp n far outside the format's range.
        BigInteger n = x.e >= 0 ? x.m.shiftLeft(x.e) : x.m.add(BigInteger.ONE.shiftLeft(-x.e - 1)).shiftRight(-x.e);
        long nn = n.bitLength() > 20 ? (n.signum() < 0 ? -(1L << 20) : 1L << 20) : n.longValue();
        Big f = x.sub(Big.of(nn));
        if (nn == 1L << 20 || nn == -(1L << 20)) {
            f = Big.of(0);
        }
        Big pow = expm1(f.mul(LN2)).add(Big.of(1)).shift((int) nn);
        return pow.sub(Big.of(1));
    }
}
