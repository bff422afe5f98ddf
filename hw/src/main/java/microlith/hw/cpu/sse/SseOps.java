package microlith.hw.cpu.sse;

import static microlith.hw.cpu.sse.Sse.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Vectors;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.x87.X87;

/**
 * SSE/SSE2 data movement: full and partial XMM moves, MOVD/MOVQ, the sign-mask extractions,
 * PINSRW/PEXTRW, LDMXCSR/STMXCSR, and the SSE part of FXSAVE/FXRSTOR.
 */
public final class SseOps {
    private SseOps() {
    }

    /** MXCSR bits that exist (MXCSR_MASK with DAZ): writing any other bit is #GP(0). */
    public static final int MXCSR_MASK = 0xFFFF;

    public static void execute(Core c, Insn i) {
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
            case FXSAVE:
                fxsave(c, c.ea(i), i.rexW);
                return;
            case FXRSTOR:
                fxrstor(c, c.ea(i), i.rexW);
                return;
            default:
                throw CpuException.ud();
        }
    }

    /** #NM (CR0.EM or CR0.TS) and #GP(0) for an unaligned image, in that order. */
    private static void fxCheck(Core c, long a) {
        if ((c.cr0 & (1L << 2 | 1L << 3)) != 0) {
            throw new CpuException(Vectors.NM, false, 0, 0);
        }
        if ((a & 15) != 0) {
            throw CpuException.gp(0);
        }
    }

    /**
     * FXSAVE: the x87 part by {@link X87#fxsave}, then MXCSR (+24), MXCSR_MASK (+28) and
     * XMM0-15 (+160, 16 bytes each). Bytes 416-511 are not written. The far end is probed
     * first, so a page fault anywhere in the image leaves memory unchanged.
     */
    public static void fxsave(Core c, long a, boolean rexW) {
        fxCheck(c, a);
        c.write64(a + 408, c.read64(a + 408));
        X87.fxsave(c, a, rexW);
        c.write32(a + 24, c.mxcsr);
        c.write32(a + 28, MXCSR_MASK);
        long[] x = c.xmm;
        for (int k = 0; k < 16; k++) {
            c.write64(a + 160 + 16L * k, x[2 * k]);
            c.write64(a + 168 + 16L * k, x[2 * k + 1]);
        }
    }

    /**
     * FXRSTOR: reads MXCSR and the XMM registers (#GP(0) if MXCSR has a reserved bit set),
     * then lets {@link X87#fxrstor} read and load the x87 part, and only then loads the SSE
     * part: a fault anywhere changes no state.
     */
    public static void fxrstor(Core c, long a, boolean rexW) {
        fxCheck(c, a);
        int mx = c.read32(a + 24);
        long[] v = new long[32];
        for (int k = 0; k < 32; k++) {
            v[k] = c.read64(a + 160 + 8L * k);
        }
        if ((mx & ~MXCSR_MASK) != 0) {
            throw CpuException.gp(0);
        }
        X87.fxrstor(c, a, rexW);
        c.mxcsr = mx;
        System.arraycopy(v, 0, c.xmm, 0, 32);
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
