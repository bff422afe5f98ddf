package microlith.hw.cpu;

import static microlith.hw.cpu.Sse.*;

/**
 * SSE/SSE2 data movement: full and partial XMM moves, MOVD/MOVQ, the sign-mask extractions,
 * PINSRW/PEXTRW, and LDMXCSR/STMXCSR.
 */
final class SseOps {
    private SseOps() {
    }

    /** MXCSR bits that exist (MXCSR_MASK with DAZ): writing any other bit is #GP(0). */
    static final int MXCSR_MASK = 0xFFFF;

    static void execute(Cpu c, Insn i) {
        long[] x = c.xmm;
        int d = 2 * i.reg;
        int s = 2 * i.rm;
        switch (i.sub) {
            case MOV_LD: {
                long[] v = src128(c, i);
                setDest(c, i, v[0], v[1]);
                return;
            }
            case MOV_ST:
                if (i.mem) {
                    store128(c, ea(c, i), x[d], x[d + 1]);
                } else {
                    x[s] = x[d];
                    x[s + 1] = x[d + 1];
                }
                return;
            case MOVSS_LD:
                // From memory the rest of the register is zeroed; from a register it is kept.
                if (i.mem) {
                    setDest(c, i, c.read32(c.ea(i)) & 0xffffffffL, 0);
                } else {
                    x[d] = (x[d] & ~0xffffffffL) | (x[s] & 0xffffffffL);
                }
                return;
            case MOVSS_ST:
                if (i.mem) {
                    c.write32(c.ea(i), (int) x[d]);
                } else {
                    x[s] = (x[s] & ~0xffffffffL) | (x[d] & 0xffffffffL);
                }
                return;
            case MOVSD_LD:
                if (i.mem) {
                    setDest(c, i, c.read64(c.ea(i)), 0);
                } else {
                    x[d] = x[s];
                }
                return;
            case MOVSD_ST:
            case MOVLP_ST:
                if (i.mem) {
                    c.write64(c.ea(i), x[d]);
                } else {
                    x[s] = x[d];
                }
                return;
            case MOVLP_LD:
                // MOVLPS/MOVLPD m64 load the low quadword; the register form is MOVHLPS.
                x[d] = i.mem ? c.read64(c.ea(i)) : x[s + 1];
                return;
            case MOVHP_LD:
                // MOVHPS/MOVHPD m64 load the high quadword; the register form is MOVLHPS.
                x[d + 1] = i.mem ? c.read64(c.ea(i)) : x[s];
                return;
            case MOVHP_ST:
                c.write64(c.ea(i), x[d + 1]);
                return;
            case MOVMSKPS: {
                long lo = x[s];
                long hi = x[s + 1];
                long m = (lo >>> 31 & 1) | (lo >>> 62 & 2) | (hi >>> 29 & 4) | (hi >>> 60 & 8);
                c.r[i.reg] = m;
                return;
            }
            case MOVMSKPD:
                c.r[i.reg] = (x[s] >>> 63) | (x[s + 1] >>> 62 & 2);
                return;
            case PMOVMSKB:
                c.r[i.reg] = byteSigns(x[s]) | byteSigns(x[s + 1]) << 8;
                return;
            case MOVD_TO: {
                long v = c.readRm(i, i.osz);
                setDest(c, i, v, 0);
                return;
            }
            case MOVD_FROM:
                c.writeRm(i, i.osz, i.osz == 4 ? x[d] & 0xffffffffL : x[d]);
                return;
            case MOVQ_LD:
                setDest(c, i, src64(c, i), 0);
                return;
            case MOVQ_ST:
                if (i.mem) {
                    c.write64(c.ea(i), x[d]);
                } else {
                    x[s] = x[d];
                    x[s + 1] = 0;
                }
                return;
            case PINSRW: {
                long w = (i.mem ? c.read16(c.ea(i)) : c.r[i.rm]) & 0xffff;
                int k = (int) i.imm & 7;
                int q = d + (k >> 2);
                int sh = (k & 3) * 16;
                x[q] = (x[q] & ~(0xffffL << sh)) | w << sh;
                return;
            }
            case PEXTRW: {
                int k = (int) i.imm & 7;
                c.r[i.reg] = x[s + (k >> 2)] >>> ((k & 3) * 16) & 0xffff;
                return;
            }
            case LDMXCSR: {
                int v = c.read32(c.ea(i));
                if ((v & ~MXCSR_MASK) != 0) {
                    throw CpuException.gp(0);
                }
                c.mxcsr = v;
                return;
            }
            case STMXCSR:
                c.write32(c.ea(i), c.mxcsr);
                return;
            default:
                throw CpuException.ud();
        }
    }

    /** The top bit of each of the 8 bytes of v, byte k giving bit k. */
    private static long byteSigns(long v) {
        long m = 0;
        for (int k = 0; k < 8; k++) {
            m |= (v >>> (8 * k + 7) & 1) << k;
        }
        return m;
    }
}
