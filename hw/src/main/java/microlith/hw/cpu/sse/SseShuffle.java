package microlith.hw.cpu.sse;

import static microlith.hw.cpu.sse.Sse.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.decode.Insn;

/**
 * SSE/SSE2 element rearrangement: unpacks (interleaves), packs with saturation, and the
 * imm8-controlled shuffles. UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD decode to the integer
 * unpacks of the same element size, which move the same bits.
 */
public final class SseShuffle {
    private SseShuffle() {
    }

    public static void execute(Core c, Insn i) {
        long[] b = src128(c, i);
        long a0 = c.xmm[2 * i.reg];
        long a1 = c.xmm[2 * i.reg + 1];
        int imm = (int) i.imm & 0xff;
        switch (i.sub) {
            case PUNPCKLBW: interleave(c, i, a0, b[0], 8); return;
            case PUNPCKLWD: interleave(c, i, a0, b[0], 16); return;
            case PUNPCKLDQ: interleave(c, i, a0, b[0], 32); return;
            case PUNPCKLQDQ: setDest(c, i, a0, b[0]); return;
            case PUNPCKHBW: interleave(c, i, a1, b[1], 8); return;
            case PUNPCKHWD: interleave(c, i, a1, b[1], 16); return;
            case PUNPCKHDQ: interleave(c, i, a1, b[1], 32); return;
            case PUNPCKHQDQ: setDest(c, i, a1, b[1]); return;
            case PACKSSWB:
                setDest(c, i, pack(a0, a1, 16, -128, 127), pack(b[0], b[1], 16, -128, 127));
                return;
            case PACKUSWB:
                setDest(c, i, pack(a0, a1, 16, 0, 255), pack(b[0], b[1], 16, 0, 255));
                return;
            case PACKSSDW:
                setDest(c, i, pack(a0, a1, 32, -32768, 32767), pack(b[0], b[1], 32, -32768, 32767));
                return;
            case PSHUFD: {
                long[] dw = {b[0] & 0xffffffffL, b[0] >>> 32, b[1] & 0xffffffffL, b[1] >>> 32};
                setDest(c, i, dw[imm & 3] | dw[imm >> 2 & 3] << 32, dw[imm >> 4 & 3] | dw[imm >> 6 & 3] << 32);
                return;
            }
            case PSHUFHW: setDest(c, i, b[0], shuffleWords(b[1], imm)); return;
            case PSHUFLW: setDest(c, i, shuffleWords(b[0], imm), b[1]); return;
            case SHUFPS: {
                // Low two results come from the destination, high two from the source.
                long[] da = {a0 & 0xffffffffL, a0 >>> 32, a1 & 0xffffffffL, a1 >>> 32};
                long[] db = {b[0] & 0xffffffffL, b[0] >>> 32, b[1] & 0xffffffffL, b[1] >>> 32};
                setDest(c, i, da[imm & 3] | da[imm >> 2 & 3] << 32, db[imm >> 4 & 3] | db[imm >> 6 & 3] << 32);
                return;
            }
            case SHUFPD:
                setDest(c, i, (imm & 1) == 0 ? a0 : a1, (imm & 2) == 0 ? b[0] : b[1]);
                return;
            default:
                throw CpuException.ud();
        }
    }

    /** Interleaves the elements of two quadwords: a's element k goes to 2k, b's to 2k+1. */
    private static void interleave(Core c, Insn i, long a, long b, int w) {
        long mask = (1L << w) - 1;
        long lo = 0;
        long hi = 0;
        for (int k = 0; k < 64 / w; k++) {
            long pair = (a >>> (k * w) & mask) | (b >>> (k * w) & mask) << w;
            int pos = 2 * k * w;
            if (pos < 64) {
                lo |= pair << pos;
            } else {
                hi |= pair << (pos - 64);
            }
        }
        setDest(c, i, lo, hi);
    }

    /** Narrows the signed w-bit elements of (lo, hi) to w/2 bits, saturating to [min, max]. */
    private static long pack(long lo, long hi, int w, long min, long max) {
        int n = 64 / w;
        int half = w / 2;
        long mask = (1L << half) - 1;
        long r = 0;
        for (int k = 0; k < 2 * n; k++) {
            long src = k < n ? lo : hi;
            long e = src << (64 - w * (k % n + 1)) >> (64 - w);
            long s = Math.max(min, Math.min(max, e));
            r |= (s & mask) << (k * half);
        }
        return r;
    }

    private static long shuffleWords(long q, int imm) {
        long r = 0;
        for (int k = 0; k < 4; k++) {
            long w = q >>> (16 * (imm >> (2 * k) & 3)) & 0xffff;
            r |= w << (16 * k);
        }
        return r;
    }
}
