package microlith.hw.cpu;

/**
 * The SSE/SSE2 subset that compilers emit for copies, zeroing and string scanning: moves,
 * bitwise logic, MOVD/MOVQ, a few unpacks and compares, PMOVMSKB, PSHUFD and MXCSR.
 * XMM register n is the pair xmm[2n] (low quadword), xmm[2n+1] (high quadword).
 */
final class SseOps {
    private SseOps() {
    }

    private static void checkAligned(Cpu c, long ea) {
        if ((ea & 15) != 0) {
            throw CpuException.gp(0);
        }
    }

    /** Reads the 128-bit r/m source into tmp[0..1]. */
    private static void src128(Cpu c, Insn i, long[] tmp, boolean aligned) {
        if (i.mem) {
            long ea = c.ea(i);
            if (aligned) {
                checkAligned(c, ea);
            }
            tmp[0] = c.read64(ea);
            tmp[1] = c.read64(ea + 8);
        } else {
            tmp[0] = c.xmm[2 * i.rm];
            tmp[1] = c.xmm[2 * i.rm + 1];
        }
    }

    static void movLoad(Cpu c, Insn i) {
        int d = 2 * i.reg;
        switch (i.osz) {
            case 4:
                if (i.mem) {
                    c.xmm[d] = c.read32(c.ea(i)) & 0xffffffffL;
                    c.xmm[d + 1] = 0;
                } else {
                    c.xmm[d] = (c.xmm[d] & ~0xffffffffL) | (c.xmm[2 * i.rm] & 0xffffffffL);
                }
                return;
            case 8:
                if (i.mem) {
                    c.xmm[d] = c.read64(c.ea(i));
                    c.xmm[d + 1] = 0;
                } else {
                    c.xmm[d] = c.xmm[2 * i.rm];
                }
                return;
            default: {
                long[] t = new long[2];
                src128(c, i, t, i.imm == 1);
                c.xmm[d] = t[0];
                c.xmm[d + 1] = t[1];
            }
        }
    }

    static void movStore(Cpu c, Insn i) {
        int s = 2 * i.reg;
        switch (i.osz) {
            case 4:
                if (i.mem) {
                    c.write32(c.ea(i), (int) c.xmm[s]);
                } else {
                    int d = 2 * i.rm;
                    c.xmm[d] = (c.xmm[d] & ~0xffffffffL) | (c.xmm[s] & 0xffffffffL);
                }
                return;
            case 8:
                if (i.mem) {
                    c.write64(c.ea(i), c.xmm[s]);
                } else {
                    c.xmm[2 * i.rm] = c.xmm[s];
                }
                return;
            default:
                if (i.mem) {
                    long ea = c.ea(i);
                    if (i.imm == 1) {
                        checkAligned(c, ea);
                    }
                    // Probe both halves first so a fault leaves memory unchanged.
                    c.write64(ea + 8, c.read64(ea + 8));
                    c.write64(ea, c.xmm[s]);
                    c.write64(ea + 8, c.xmm[s + 1]);
                } else {
                    c.xmm[2 * i.rm] = c.xmm[s];
                    c.xmm[2 * i.rm + 1] = c.xmm[s + 1];
                }
        }
    }

    /** sub: 0 AND, 1 ANDN, 2 OR, 3 XOR. The packed-integer forms require 16-byte alignment. */
    static void logic(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        int d = 2 * i.reg;
        for (int k = 0; k < 2; k++) {
            long a = c.xmm[d + k];
            long b = t[k];
            switch (i.sub) {
                case 0: c.xmm[d + k] = a & b; break;
                case 1: c.xmm[d + k] = ~a & b; break;
                case 2: c.xmm[d + k] = a | b; break;
                default: c.xmm[d + k] = a ^ b;
            }
        }
    }

    static void movdToXmm(Cpu c, Insn i) {
        long v = c.readRm(i, i.osz);
        c.xmm[2 * i.reg] = v;
        c.xmm[2 * i.reg + 1] = 0;
    }

    static void movdFromXmm(Cpu c, Insn i) {
        long v = c.xmm[2 * i.reg];
        c.writeRm(i, i.osz, i.osz == 4 ? v & 0xffffffffL : v);
    }

    /** MOVQ xmm, xmm/m64 (F3 0F 7E): zero-extends into the high quadword. */
    static void movqLoad(Cpu c, Insn i) {
        long v = i.mem ? c.read64(c.ea(i)) : c.xmm[2 * i.rm];
        c.xmm[2 * i.reg] = v;
        c.xmm[2 * i.reg + 1] = 0;
    }

    /** MOVQ xmm/m64, xmm (66 0F D6). */
    static void movqStore(Cpu c, Insn i) {
        if (i.mem) {
            c.write64(c.ea(i), c.xmm[2 * i.reg]);
        } else {
            c.xmm[2 * i.rm] = c.xmm[2 * i.reg];
            c.xmm[2 * i.rm + 1] = 0;
        }
    }

    static void punpcklqdq(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        c.xmm[2 * i.reg + 1] = t[0];
    }

    /** PUNPCKL{BW,WD,DQ}: interleave the low halves element by element. */
    static void punpckl(Cpu c, Insn i, int width) {
        long[] t = new long[2];
        src128(c, i, t, true);
        long a = c.xmm[2 * i.reg];
        long b = t[0];
        int bits = width * 8;
        long elemMask = (1L << bits) - 1;
        long lo = 0;
        long hi = 0;
        int n = 8 / width;
        for (int k = 0; k < n; k++) {
            long ea = (a >>> (k * bits)) & elemMask;
            long eb = (b >>> (k * bits)) & elemMask;
            long pair = ea | eb << bits;
            int pos = k * 2 * bits;
            if (pos < 64) {
                lo |= pair << pos;
            } else {
                hi |= pair << (pos - 64);
            }
        }
        c.xmm[2 * i.reg] = lo;
        c.xmm[2 * i.reg + 1] = hi;
    }

    static void pcmpeq(Cpu c, Insn i, int width) {
        long[] t = new long[2];
        src128(c, i, t, true);
        int bits = width * 8;
        long elemMask = (1L << bits) - 1;
        for (int q = 0; q < 2; q++) {
            long a = c.xmm[2 * i.reg + q];
            long b = t[q];
            long r = 0;
            for (int k = 0; k < 64; k += bits) {
                if (((a >>> k) & elemMask) == ((b >>> k) & elemMask)) {
                    r |= elemMask << k;
                }
            }
            c.xmm[2 * i.reg + q] = r;
        }
    }

    static void pmovmskb(Cpu c, Insn i) {
        long lo = c.xmm[2 * i.rm];
        long hi = c.xmm[2 * i.rm + 1];
        long m = 0;
        for (int k = 0; k < 8; k++) {
            m |= ((lo >>> (k * 8 + 7)) & 1) << k;
            m |= ((hi >>> (k * 8 + 7)) & 1) << (k + 8);
        }
        c.putReg(i.reg, 4, m);
        c.r[i.reg] = m;
    }

    static void paddq(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        c.xmm[2 * i.reg] += t[0];
        c.xmm[2 * i.reg + 1] += t[1];
    }

    static void psubb(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        for (int q = 0; q < 2; q++) {
            long a = c.xmm[2 * i.reg + q];
            long b = t[q];
            long r = 0;
            for (int k = 0; k < 64; k += 8) {
                r |= (((a >>> k) - (b >>> k)) & 0xff) << k;
            }
            c.xmm[2 * i.reg + q] = r;
        }
    }

    static void pminub(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        for (int q = 0; q < 2; q++) {
            long a = c.xmm[2 * i.reg + q];
            long b = t[q];
            long r = 0;
            for (int k = 0; k < 64; k += 8) {
                r |= Math.min((a >>> k) & 0xff, (b >>> k) & 0xff) << k;
            }
            c.xmm[2 * i.reg + q] = r;
        }
    }

    static void pshufd(Cpu c, Insn i) {
        long[] t = new long[2];
        src128(c, i, t, true);
        int[] dw = {(int) t[0], (int) (t[0] >>> 32), (int) t[1], (int) (t[1] >>> 32)};
        int sel = (int) i.imm;
        long lo = (dw[sel & 3] & 0xffffffffL) | (long) dw[(sel >>> 2) & 3] << 32;
        long hi = (dw[(sel >>> 4) & 3] & 0xffffffffL) | (long) dw[(sel >>> 6) & 3] << 32;
        c.xmm[2 * i.reg] = lo;
        c.xmm[2 * i.reg + 1] = hi;
    }

    static void ldmxcsr(Cpu c, Insn i) {
        int v = c.read32(c.ea(i));
        if ((v & ~0xffff) != 0) {
            throw CpuException.gp(0);
        }
        c.mxcsr = v;
    }
}
