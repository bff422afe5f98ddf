package microlith.hw.cpu.sse;

import static microlith.hw.cpu.sse.Sse.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.decode.Insn;

/**
 * SSE2 packed-integer arithmetic, comparisons, bitwise logic and shifts. Each operation is
 * applied to the two 64-bit halves of the 128-bit operands; within a half, elements of
 * 8, 16, 32 or 64 bits are processed lane by lane.
 */
public final class SseInt {
    private SseInt() {
    }

    public static void execute(Core c, Insn i) {
        int sub = i.sub;
        if (sub >= PSRLW) {
            shift(c, i);
            return;
        }
        long[] b = src128(c, i);
        long a0 = c.xmm[2 * i.reg];
        long a1 = c.xmm[2 * i.reg + 1];
        switch (sub) {
            case PMULUDQ:
                setDest(c, i, (a0 & 0xffffffffL) * (b[0] & 0xffffffffL), (a1 & 0xffffffffL) * (b[1] & 0xffffffffL));
                return;
            case PMADDWD:
                setDest(c, i, pmaddwd(a0, b[0]), pmaddwd(a1, b[1]));
                return;
            case PSADBW:
                setDest(c, i, psadbw(a0, b[0]), psadbw(a1, b[1]));
                return;
            default:
                setDest(c, i, half(sub, a0, b[0]), half(sub, a1, b[1]));
        }
    }

    /** Element width in bits of a lane-wise operation. */
    private static int width(int sub) {
        switch (sub) {
            case PADDB: case PSUBB: case PADDSB: case PADDUSB: case PSUBSB: case PSUBUSB:
            case PCMPEQB: case PCMPGTB: case PMINUB: case PMAXUB: case PAVGB:
                return 8;
            case PADDD: case PSUBD: case PCMPEQD: case PCMPGTD:
                return 32;
            case AND: case ANDN: case OR: case XOR: case PADDQ: case PSUBQ:
                return 64;
            default:
                return 16;
        }
    }

    /** One 64-bit half of a lane-wise binary operation. */
    private static long half(int sub, long a, long b) {
        switch (sub) {
            case AND: return a & b;
            case ANDN: return ~a & b;
            case OR: return a | b;
            case XOR: return a ^ b;
            case PADDQ: return a + b;
            case PSUBQ: return a - b;
            default:
                break;
        }
        int w = width(sub);
        long mask = (1L << w) - 1;
        long r = 0;
        for (int k = 0; k < 64; k += w) {
            long x = a >>> k & mask;
            long y = b >>> k & mask;
            r |= (lane(sub, x, y, w) & mask) << k;
        }
        return r;
    }

    /** One element: x and y are the zero-extended element values. */
    private static long lane(int sub, long x, long y, int w) {
        long sx = x << (64 - w) >> (64 - w); // sign-extended
        long sy = y << (64 - w) >> (64 - w);
        long max = (1L << (w - 1)) - 1;
        long min = -max - 1;
        long umax = (1L << w) - 1;
        switch (sub) {
            case PADDB: case PADDW: case PADDD: return x + y;
            case PSUBB: case PSUBW: case PSUBD: return x - y;
            case PADDSB: case PADDSW: return clamp(sx + sy, min, max);
            case PSUBSB: case PSUBSW: return clamp(sx - sy, min, max);
            case PADDUSB: case PADDUSW: return Math.min(x + y, umax);
            case PSUBUSB: case PSUBUSW: return Math.max(x - y, 0);
            case PMULLW: return sx * sy;
            case PMULHW: return sx * sy >> 16;
            case PMULHUW: return x * y >>> 16;
            case PCMPEQB: case PCMPEQW: case PCMPEQD: return x == y ? -1 : 0;
            case PCMPGTB: case PCMPGTW: case PCMPGTD: return sx > sy ? -1 : 0;
            case PMINUB: return Math.min(x, y);
            case PMAXUB: return Math.max(x, y);
            case PMINSW: return Math.min(sx, sy);
            case PMAXSW: return Math.max(sx, sy);
            case PAVGB: case PAVGW: return (x + y + 1) >>> 1;
            default: throw CpuException.ud();
        }
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    /** Multiplies signed words and adds adjacent products into doublewords. */
    private static long pmaddwd(long a, long b) {
        long r = 0;
        for (int k = 0; k < 64; k += 32) {
            long p0 = (long) (short) (a >>> k) * (short) (b >>> k);
            long p1 = (long) (short) (a >>> (k + 16)) * (short) (b >>> (k + 16));
            // 0x8000 * 0x8000 twice wraps to 0x80000000, as on hardware.
            r |= ((p0 + p1) & 0xffffffffL) << k;
        }
        return r;
    }

    /** Sum of absolute byte differences into the low word of the half. */
    private static long psadbw(long a, long b) {
        long sum = 0;
        for (int k = 0; k < 64; k += 8) {
            sum += Math.abs((a >>> k & 0xff) - (b >>> k & 0xff));
        }
        return sum;
    }

    /**
     * PSRL/PSRA/PSLL by imm8 or by the low 64 bits of xmm/m128 (the whole quadword is the
     * count: anything above the element width clears the element, or fills it with the sign
     * for PSRA). PSRLDQ/PSLLDQ shift the whole register by bytes.
     */
    private static void shift(Core c, Insn i) {
        long count;
        if ((i.imm2 & IMM_COUNT) != 0) {
            count = i.imm & 0xff;
        } else {
            count = src128(c, i)[0];
        }
        int d = (i.imm2 & IMM_COUNT) != 0 ? 2 * i.rm : 2 * i.reg;
        long lo = c.xmm[d];
        long hi = c.xmm[d + 1];
        switch (i.sub) {
            case PSRLDQ:
            case PSLLDQ: {
                int n = (int) Math.min(count, 16) * 8;
                long[] r = i.sub == PSRLDQ ? shr128(lo, hi, n) : shl128(lo, hi, n);
                c.xmm[d] = r[0];
                c.xmm[d + 1] = r[1];
                return;
            }
            default:
                break;
        }
        int w;
        switch (i.sub) {
            case PSRLW: case PSRAW: case PSLLW: w = 16; break;
            case PSRLD: case PSRAD: case PSLLD: w = 32; break;
            default: w = 64;
        }
        boolean arith = i.sub == PSRAW || i.sub == PSRAD;
        // Unsigned compare: a huge 64-bit count is still "too large".
        int n = Long.compareUnsigned(count, w - 1) > 0 ? (arith ? w - 1 : w) : (int) count;
        c.xmm[d] = shiftHalf(i.sub, lo, w, n);
        c.xmm[d + 1] = shiftHalf(i.sub, hi, w, n);
    }

    private static long shiftHalf(int sub, long v, int w, int n) {
        if (n >= w) {
            return 0; // logical shift by the element width or more
        }
        long mask = w == 64 ? -1L : (1L << w) - 1;
        long r = 0;
        for (int k = 0; k < 64; k += w) {
            long e = v >>> k & mask;
            long out;
            switch (sub) {
                case PSRLW: case PSRLD: case PSRLQ: out = e >>> n; break;
                case PSLLW: case PSLLD: case PSLLQ: out = e << n; break;
                default: out = (e << (64 - w) >> (64 - w)) >> n; // PSRAW, PSRAD
            }
            r |= (out & mask) << k;
        }
        return r;
    }

    public static long[] shr128(long lo, long hi, int n) {
        if (n == 0) {
            return new long[] {lo, hi};
        }
        if (n >= 128) {
            return new long[] {0, 0};
        }
        if (n >= 64) {
            return new long[] {hi >>> (n - 64), 0};
        }
        return new long[] {lo >>> n | hi << (64 - n), hi >>> n};
    }

    public static long[] shl128(long lo, long hi, int n) {
        if (n == 0) {
            return new long[] {lo, hi};
        }
        if (n >= 128) {
            return new long[] {0, 0};
        }
        if (n >= 64) {
            return new long[] {0, lo << (n - 64)};
        }
        return new long[] {lo << n, hi << n | lo >>> (64 - n)};
    }
}
