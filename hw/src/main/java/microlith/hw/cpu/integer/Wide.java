package microlith.hw.cpu.integer;

import java.math.BigInteger;

/** 128-by-64-bit division for the 64-bit DIV and IDIV. */
public final class Wide {
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    private Wide() {
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(TWO64) : b;
    }

    /** Unsigned (hi:lo) / d, with hi &lt; d guaranteed by the caller. Returns {q, r}. */
    public static long[] divu128(long hi, long lo, long d) {
        if (hi == 0) {
            return new long[] {Long.divideUnsigned(lo, d), Long.remainderUnsigned(lo, d)};
        }
        BigInteger n = unsigned(hi).shiftLeft(64).or(unsigned(lo));
        BigInteger[] qr = n.divideAndRemainder(unsigned(d));
        return new long[] {qr[0].longValue(), qr[1].longValue()};
    }

    /** Signed (hi:lo) / d; null when the quotient does not fit in 64 bits. */
    public static long[] divs128(long hi, long lo, long d) {
        if (hi == (lo >> 63)) {
            if (lo == Long.MIN_VALUE && d == -1) {
                return null;
            }
            return new long[] {lo / d, lo % d};
        }
        BigInteger n = BigInteger.valueOf(hi).shiftLeft(64).or(unsigned(lo));
        BigInteger[] qr = n.divideAndRemainder(BigInteger.valueOf(d));
        if (qr[0].bitLength() > 63) {
            return null;
        }
        return new long[] {qr[0].longValue(), qr[1].longValue()};
    }
}
