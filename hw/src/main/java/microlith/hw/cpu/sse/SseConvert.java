package microlith.hw.cpu.sse;

import static microlith.hw.cpu.sse.Sse.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.decode.Insn;

/**
 * SSE/SSE2 conversions between integers, singles and doubles. CVT* round by MXCSR.RC,
 * CVTT* truncate; a NaN, infinite or out-of-range source converts to the integer indefinite
 * (0x80000000 / 0x8000000000000000) with IE. Narrowing packed forms zero the upper half.
 */
public final class SseConvert {
    private SseConvert() {
    }

    public static void execute(Core c, Insn i) {
        int sub = i.sub;
        boolean trunc = sub == CVTTSS2SI || sub == CVTTSD2SI || sub == CVTTPS2DQ || sub == CVTTPD2DQ;
        FpEnv e = trunc ? FpEnv.truncating(c.mxcsr) : new FpEnv(c.mxcsr);
        long[] x = c.xmm;
        int d = 2 * i.reg;
        switch (sub) {
            case CVTSI2SS: case CVTSI2SD: {
                long v = c.readRm(i, i.osz);
                if (i.osz == 4) {
                    v = (int) v;
                }
                boolean dbl = sub == CVTSI2SD;
                long r = SoftFp.fromInt(e, v, dbl);
                e.commit(c);
                x[d] = dbl ? r : (x[d] & ~0xffffffffL) | r;
                return;
            }
            case CVTTSS2SI: case CVTSS2SI: case CVTTSD2SI: case CVTSD2SI: {
                boolean dbl = sub == CVTTSD2SI || sub == CVTSD2SI;
                long v = dbl ? src64(c, i) : src32(c, i);
                long r = SoftFp.toInt(e, v, dbl, i.osz == 8);
                e.commit(c);
                c.r[i.reg] = r;
                return;
            }
            case CVTSS2SD: {
                long r = SoftFp.widen(e, src32(c, i));
                e.commit(c);
                x[d] = r;
                return;
            }
            case CVTSD2SS: {
                long r = SoftFp.narrow(e, src64(c, i));
                e.commit(c);
                x[d] = (x[d] & ~0xffffffffL) | r;
                return;
            }
            case CVTPS2PD: {
                long v = src64(c, i);
                long lo = SoftFp.widen(e, v & 0xffffffffL);
                long hi = SoftFp.widen(e, v >>> 32);
                e.commit(c);
                setDest(c, i, lo, hi);
                return;
            }
            case CVTPD2PS: {
                long[] v = src128(c, i);
                long lo = SoftFp.narrow(e, v[0]);
                long hi = SoftFp.narrow(e, v[1]);
                e.commit(c);
                setDest(c, i, lo | hi << 32, 0);
                return;
            }
            case CVTDQ2PS: {
                long[] v = src128(c, i);
                long r0 = SoftFp.fromInt(e, (int) v[0], false) | SoftFp.fromInt(e, (int) (v[0] >>> 32), false) << 32;
                long r1 = SoftFp.fromInt(e, (int) v[1], false) | SoftFp.fromInt(e, (int) (v[1] >>> 32), false) << 32;
                e.commit(c);
                setDest(c, i, r0, r1);
                return;
            }
            case CVTPS2DQ: case CVTTPS2DQ: {
                long[] v = src128(c, i);
                long r0 = toInt32(e, v[0] & 0xffffffffL, false) | toInt32(e, v[0] >>> 32, false) << 32;
                long r1 = toInt32(e, v[1] & 0xffffffffL, false) | toInt32(e, v[1] >>> 32, false) << 32;
                e.commit(c);
                setDest(c, i, r0, r1);
                return;
            }
            case CVTDQ2PD: {
                long v = src64(c, i);
                long lo = SoftFp.fromInt(e, (int) v, true);
                long hi = SoftFp.fromInt(e, (int) (v >>> 32), true);
                e.commit(c);
                setDest(c, i, lo, hi);
                return;
            }
            case CVTPD2DQ: case CVTTPD2DQ: {
                long[] v = src128(c, i);
                long r = toInt32(e, v[0], true) | toInt32(e, v[1], true) << 32;
                e.commit(c);
                setDest(c, i, r, 0);
                return;
            }
            default:
                throw CpuException.ud();
        }
    }

    private static long toInt32(FpEnv e, long v, boolean dbl) {
        return SoftFp.toInt(e, v, dbl, false) & 0xffffffffL;
    }
}
