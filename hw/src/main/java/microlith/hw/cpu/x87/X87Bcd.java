package microlith.hw.cpu.x87;

import static microlith.hw.cpu.x87.SoftFloat80.IE;
import static microlith.hw.cpu.x87.SoftFloat80.SF;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.x87.SoftFloat80.Env;

/**
 * FBLD and FBSTP: the 80-bit packed BCD format, 18 digits and a sign.
 * <pre>
 *   byte 9     bytes 8 .. 0
 *   S 0000000  d17 d16 | ... | d1 d0      (two digits per byte, low digit in the low nibble)
 * </pre>
 */
public final class X87Bcd {
    private static final long LIMIT = 1_000_000_000_000_000_000L; // 10^18

    private X87Bcd() {
    }

    /** FBLD: exact (at most 10^18 - 1 with valid digits). Invalid digits are undefined; taken at face value. */
    public static Float80 load(Core c, long a) {
        long v = 0;
        for (int k = 8; k >= 0; k--) {
            int b = c.read8(a + k);
            v = v * 100 + (b >>> 4) * 10 + (b & 15);
        }
        boolean neg = (c.read8(a + 9) & 0x80) != 0;
        if (v == 0) {
            return neg ? Float80.NEG_ZERO : Float80.POS_ZERO;
        }
        return Float80.fromLong(neg ? -v : v);
    }

    /** FBSTP: rounds per RC; out of range or NaN gives IE and the BCD indefinite (FFFF C000 0...). */
    public static void store(Core c, X87State s, long a) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        byte[] out = new byte[10];
        boolean ok = false;
        if ((env.flags & SF) == 0 && !x.isNaN() && !x.isInf() && !x.isUnsupported()) {
            Float80 r = SoftFloat80.roundToIntegral(x, env);
            long mag = r.isZero() ? 0 : r.exp() - Float80.BIAS > 62 ? LIMIT : r.sig >>> (63 - (r.exp() - Float80.BIAS));
            if (mag < LIMIT) {
                ok = true;
                for (int k = 0; k < 9; k++) {
                    int lo = (int) (mag % 10);
                    mag /= 10;
                    int hi = (int) (mag % 10);
                    mag /= 10;
                    out[k] = (byte) (hi << 4 | lo);
                }
                out[9] = (byte) (x.neg() ? 0x80 : 0);
            }
        }
        if (!ok) {
            env.flags = env.flags & (SF | IE) | IE;
            env.roundedUp = false;
            out[7] = (byte) 0xC0;
            out[8] = (byte) 0xFF;
            out[9] = (byte) 0xFF;
        }
        if (X87.storable(s, env)) {
            c.write8(a + 9, out[9]);
            for (int k = 0; k < 9; k++) {
                c.write8(a + k, out[k]);
            }
            s.pop();
        }
        X87.commit(s, env, env.roundedUp);
    }
}
