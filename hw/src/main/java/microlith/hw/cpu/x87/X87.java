package microlith.hw.cpu.x87;

import static microlith.hw.cpu.decode.X87Decode.mem;
import static microlith.hw.cpu.decode.X87Decode.reg;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Vectors;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.X87Decode;
import microlith.hw.cpu.x87.SoftFloat80.Env;

/**
 * x87 instruction execution: dispatch on the code {@link X87Decode} put in Insn.sub, the
 * register-stack discipline (stack overflow and underflow), and the bookkeeping every
 * instruction shares: which exceptions were raised, whether the destination is written
 * (not when an unmasked invalid, denormal or divide-by-zero exception occurs), C1, and the
 * pending-exception check that raises #MF on the next waiting instruction (CR0.NE = 1).
 * Arithmetic is in {@link X87Arith}, data transfer and state save/restore in
 * {@link X87Transfer}, the numerics themselves in {@link SoftFloat80}.
 */
public final class X87 {
    private static final long CR0_MP = 1L << 1, CR0_EM = 1L << 2, CR0_TS = 1L << 3;

    private X87() {
    }

    public static void execute(Core c, Insn i) {
        X87State s = c.x87;
        int sub = i.sub;
        if (sub == X87Decode.FWAIT) {
            if ((c.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) {
                throw new CpuException(Vectors.NM, false, 0, 0);
            }
            checkPending(s);
            return;
        }
        if ((c.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw new CpuException(Vectors.NM, false, 0, 0);
        }
        if (!nonWaiting(sub)) {
            checkPending(s);
        }
        if (sub < 64) {
            X87Transfer.memory(c, i, s, sub);
        } else {
            register(c, i, s, sub);
        }
    }

    /** FNINIT, FNCLEX, FNSTCW, FNSTSW, FNSTENV, FNSAVE do not check for pending exceptions. */
    private static boolean nonWaiting(int sub) {
        return sub == reg(0xDB, 0xE3) || sub == reg(0xDB, 0xE2) || sub == mem(0xD9, 7)
            || sub == mem(0xDD, 7) || sub == reg(0xDF, 0xE0) || sub == mem(0xD9, 6) || sub == mem(0xDD, 6);
    }

    /** An unmasked exception flagged by an earlier instruction is delivered now, as #MF. */
    public static void checkPending(X87State s) {
        if ((s.sw & ~s.cw & 0x3F) != 0) {
            throw new CpuException(Vectors.MF, false, 0, 0);
        }
    }

    /** Records the last-instruction pointers that FNSTENV/FXSAVE report. */
    public static void recordPointers(Core c, Insn i, X87State s, long operand) {
        s.fip = c.insnStart;
        s.fop = (int) (i.imm2 & 0x7FF);
        s.fdp = operand;
    }

    public static Env env(X87State s) {
        Env e = new Env(s.rc(), s.precision());
        e.masks = s.cw & 0x3F;
        return e;
    }

    /** Merges an instruction's flags into the status word; C1 is replaced by c1. */
    public static void commit(X87State s, Env env, boolean c1) {
        s.sw = (s.sw | (env.flags & 0x7F)) & ~X87State.C1 | (c1 ? X87State.C1 : 0);
        s.updateSummary();
    }

    /**
     * Arithmetic result delivery: false when an unmasked pre-computation exception (IE, DE,
     * ZE) blocks it. The operation is then not carried out at all, so the flags it would
     * have raised afterwards (OE, UE, PE and the rounding C1) are dropped here.
     */
    public static boolean deliverable(X87State s, Env env) {
        if ((env.flags & ~s.cw & (SoftFloat80.IE | SoftFloat80.DE | SoftFloat80.ZE)) == 0) {
            return true;
        }
        env.flags &= ~(SoftFloat80.OE | SoftFloat80.UE | SoftFloat80.PE);
        env.roundedUp = false;
        return false;
    }

    /** Store-to-memory delivery: any unmasked exception except PE suppresses the store. */
    public static boolean storable(X87State s, Env env) {
        return (env.flags & ~s.cw & 0x1F) == 0;
    }

    /** ST(i) for reading; an empty register is a stack underflow (IE + SF, C1 = 0). */
    public static Float80 read(X87State s, int i, Env env) {
        if (s.isEmpty(i)) {
            env.flags |= SoftFloat80.IE | SoftFloat80.SF;
            return Float80.INDEFINITE;
        }
        return s.st(i);
    }

    /** Pushes v unless ST(7) is occupied: then stack overflow (IE + SF, C1 = 1). */
    public static void push(X87State s, Float80 v, Env env) {
        boolean c1 = false;
        if (!s.isEmpty(7)) {
            env.flags |= SoftFloat80.IE | SoftFloat80.SF;
            c1 = true;
            v = Float80.INDEFINITE;
        }
        if (deliverable(s, env)) {
            s.push(v);
        }
        commit(s, env, c1);
    }

    // ---------------------------------------------------------------- register forms

    private static void register(Core c, Insn i, X87State s, int sub) {
        int r = sub - 64;
        int esc = 0xD8 + (r >>> 6);
        int m = 0xC0 | (r & 0x3F);
        int sti = i.rm;
        int group = m & 0xF8;
        if (esc == 0xD9 && group == 0xC0) {
            recordPointers(c, i, s, 0);
            Env env = env(s);
            Float80 v = read(s, sti, env);
            push(s, v, env);
            return;
        }
        if (!(esc == 0xDB && m >= 0xE0 && m <= 0xE4 || esc == 0xDF && m == 0xE0)) {
            recordPointers(c, i, s, 0);
        }
        switch (esc) {
            case 0xD8:
                if (group == 0xD0 || group == 0xD8) {
                    X87Arith.compare(c, s, 0, sti, false, group == 0xD8 ? 1 : 0, false);
                } else {
                    X87Arith.arith(s, (m >>> 3) & 7, 0, sti, false);
                }
                return;
            case 0xD9:
                d9(c, s, m, sti);
                return;
            case 0xDA:
                if (m == 0xE9) {
                    X87Arith.compare(c, s, 0, 1, true, 2, false);
                } else {
                    X87Transfer.fcmov(c, s, group, sti, false);
                }
                return;
            case 0xDB:
                if (m == 0xE2) {
                    s.sw &= ~(0xFF | X87State.B);
                } else if (m == 0xE3) {
                    s.init();
                } else if (m < 0xE8 && m >= 0xE0) {
                    return; // FENI, FDISI, FSETPM: no-ops since the 387
                } else if (group == 0xE8 || group == 0xF0) {
                    X87Arith.compare(c, s, 0, sti, group == 0xE8, 0, true);
                } else {
                    X87Transfer.fcmov(c, s, group, sti, true);
                }
                return;
            case 0xDC:
                if (group == 0xD0 || group == 0xD8) {
                    X87Arith.compare(c, s, 0, sti, false, group == 0xD8 ? 1 : 0, false);
                } else {
                    X87Arith.arith(s, X87Arith.reversed((m >>> 3) & 7), sti, 0, false);
                }
                return;
            case 0xDD:
                switch (group) {
                    case 0xC0: s.free(sti); commitClearC1(s); return;
                    case 0xC8: X87Transfer.fxch(s, sti); return;
                    case 0xD0: X87Transfer.fstReg(s, sti, false); return;
                    case 0xD8: X87Transfer.fstReg(s, sti, true); return;
                    case 0xE0: X87Arith.compare(c, s, 0, sti, true, 0, false); return;
                    default: X87Arith.compare(c, s, 0, sti, true, 1, false); return;
                }
            case 0xDE:
                if (group == 0xD0) {
                    X87Arith.compare(c, s, 0, sti, false, 1, false);
                } else if (m == 0xD9) {
                    X87Arith.compare(c, s, 0, 1, false, 2, false);
                } else {
                    X87Arith.arith(s, X87Arith.reversed((m >>> 3) & 7), sti, 0, true);
                }
                return;
            default: // 0xDF
                switch (group) {
                    case 0xC0: s.free(sti); s.pop(); commitClearC1(s); return;
                    case 0xC8: X87Transfer.fxch(s, sti); return;
                    case 0xD0: case 0xD8: X87Transfer.fstReg(s, sti, true); return;
                    case 0xE0: c.r[Cpu.RAX] = c.r[Cpu.RAX] & ~0xFFFFL | s.statusWord(); return;
                    case 0xE8: X87Arith.compare(c, s, 0, sti, true, 1, true); return;
                    default: X87Arith.compare(c, s, 0, sti, false, 1, true); return;
                }
        }
    }

    private static void commitClearC1(X87State s) {
        s.sw &= ~X87State.C1;
    }

    private static void d9(Core c, X87State s, int m, int sti) {
        switch (m & 0xF8) {
            case 0xC8: X87Transfer.fxch(s, sti); return;
            case 0xD0: return; // FNOP
            case 0xD8: X87Transfer.fstp1(s, sti); return;
            default:
                break;
        }
        switch (m) {
            case 0xE0: X87Arith.unarySign(s, true); return;
            case 0xE1: X87Arith.unarySign(s, false); return;
            case 0xE4: X87Arith.ftst(s); return;
            case 0xE5: X87Arith.fxam(s); return;
            case 0xE8: case 0xE9: case 0xEA: case 0xEB: case 0xEC: case 0xED: case 0xEE:
                X87Transfer.loadConstant(s, m);
                return;
            case 0xF0: X87Transcendental.f2xm1(s); return;
            case 0xF1: X87Transcendental.fyl2x(s, false); return;
            case 0xF2: X87Transcendental.fptan(s); return;
            case 0xF3: X87Transcendental.fpatan(s); return;
            case 0xF4: X87Arith.fxtract(s); return;
            case 0xF5: X87Arith.fprem(s, true); return;
            case 0xF6: s.top = (s.top - 1) & 7; commitClearC1(s); return;
            case 0xF7: s.top = (s.top + 1) & 7; commitClearC1(s); return;
            case 0xF8: X87Arith.fprem(s, false); return;
            case 0xF9: X87Transcendental.fyl2x(s, true); return;
            case 0xFA: X87Arith.fsqrt(s); return;
            case 0xFB: X87Transcendental.fsincos(s); return;
            case 0xFC: X87Arith.frndint(s); return;
            case 0xFD: X87Arith.fscale(s); return;
            case 0xFE: X87Transcendental.fsinOrCos(s, true); return;
            default: X87Transcendental.fsinOrCos(s, false); return;
        }
    }

    // ---------------------------------------------------------------- FXSAVE / FXRSTOR

    /**
     * The x87 part of FXSAVE (0F AE /0; REX.W selects the 64-bit pointer layout). Writes
     * bytes 0-23 and 32-159 of the 512-byte image; MXCSR (24), MXCSR_MASK (28) and the XMM
     * registers (160-415) belong to the SSE unit and are the caller's to write.
     * <pre>
     *   +0 FCW  +2 FSW  +4 abridged FTW (1 byte)  +5 0  +6 FOP
     *   +8  FIP[63:0]                    (REX.W=0: FIP[31:0], FCS, 0)
     *   +16 FDP[63:0]                    (REX.W=0: FDP[31:0], FDS, 0)
     *   +32 + 16 i   ST(i): 10 bytes, then 6 reserved (written as 0)
     * </pre>
     * Raises #GP(0) if the address is not 16-byte aligned, #NM if CR0.EM or CR0.TS is set.
     */
    public static void fxsave(Core c, long a, boolean rexW) {
        if ((c.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw new CpuException(Vectors.NM, false, 0, 0);
        }
        if ((a & 15) != 0) {
            throw CpuException.gp(0);
        }
        X87State s = c.x87;
        c.write64(a + 152, 0); // probe the far end first: a fault there leaves memory untouched
        c.write16(a, s.cw);
        c.write16(a + 2, s.statusWord());
        c.write8(a + 4, s.abridgedTag());
        c.write8(a + 5, 0);
        c.write16(a + 6, s.fop);
        if (rexW) {
            c.write64(a + 8, s.fip);
            c.write64(a + 16, s.fdp);
        } else {
            c.write64(a + 8, (s.fip & 0xFFFFFFFFL) | (long) (c.cs & 0xFFFF) << 32);
            c.write64(a + 16, s.fdp & 0xFFFFFFFFL);
        }
        for (int k = 0; k < 8; k++) {
            Float80 v = s.st(k);
            c.write64(a + 32 + 16L * k, v.sig);
            c.write64(a + 40 + 16L * k, v.se & 0xFFFF);
        }
    }

    /** The x87 part of FXRSTOR (0F AE /1): reads everything first, then applies it. */
    public static void fxrstor(Core c, long a, boolean rexW) {
        if ((c.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw new CpuException(Vectors.NM, false, 0, 0);
        }
        if ((a & 15) != 0) {
            throw CpuException.gp(0);
        }
        int cw = c.read16(a);
        int sw = c.read16(a + 2);
        int tag = c.read8(a + 4);
        int fop = c.read16(a + 6) & 0x7FF;
        long fip = rexW ? c.read64(a + 8) : c.read32(a + 8) & 0xFFFFFFFFL;
        long fdp = rexW ? c.read64(a + 16) : c.read32(a + 16) & 0xFFFFFFFFL;
        Float80[] v = new Float80[8];
        for (int k = 0; k < 8; k++) {
            v[k] = new Float80(c.read16(a + 40 + 16L * k), c.read64(a + 32 + 16L * k));
        }
        X87State s = c.x87;
        s.cw = (cw & 0x1F3F) | 0x40;
        s.setStatusWord(sw);
        s.setAbridgedTag(tag);
        s.fop = fop;
        s.fip = fip;
        s.fdp = fdp;
        for (int k = 0; k < 8; k++) {
            s.regs[s.phys(k)] = v[k];
        }
        s.updateSummary();
    }
}
