package microlith.hw.cpu.x87;

import static microlith.hw.cpu.x87.SoftFloat80.DE;
import static microlith.hw.cpu.x87.SoftFloat80.IE;
import static microlith.hw.cpu.x87.SoftFloat80.SF;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.x87.SoftFloat80.Env;

/**
 * x87 data transfer: loads and stores of every memory format, register moves, FCMOVcc,
 * constants, and the environment/state images of FNSTENV, FNSAVE and FXSAVE.
 *
 * <p>Stores compute everything first and write memory before touching the FPU state, so a
 * page fault on the destination leaves the stack, flags and pointers as they were and the
 * instruction can simply be restarted.
 */
public final class X87Transfer {
    private X87Transfer() {
    }

    /** Memory forms: sub = (escape - D8) * 8 + reg. */
    public static void memory(Core c, Insn i, X87State s, int sub) {
        long a = c.ea(i);
        int esc = sub >>> 3;
        int r = sub & 7;
        boolean control = false;
        switch (esc) {
            case 0: { // D8: m32real arithmetic
                int bits = c.read32(a);
                arithOrCompare(c, s, r, Float80.fromFloatBits(bits), (bits & 0x7F800000) == 0 && (bits & 0x7FFFFF) != 0);
                break;
            }
            case 2: // DA: m32int
                arithOrCompare(c, s, r, Float80.fromLong(c.read32(a)), false);
                break;
            case 4: { // DC: m64real
                long bits = c.read64(a);
                arithOrCompare(c, s, r, Float80.fromDoubleBits(bits),
                    (bits & 0x7FF0000000000000L) == 0 && (bits & 0xFFFFFFFFFFFFFL) != 0);
                break;
            }
            case 6: // DE: m16int
                arithOrCompare(c, s, r, Float80.fromLong((short) c.read16(a)), false);
                break;
            case 1: // D9
                switch (r) {
                    case 0: loadFloat(s, c.read32(a)); break;
                    case 2: storeReal(c, s, a, 4, false); break;
                    case 3: storeReal(c, s, a, 4, true); break;
                    case 4: fldenv(c, s, a, i.osz == 2); control = true; break;
                    case 5: fldcw(s, c.read16(a)); control = true; break;
                    case 6: fnstenv(c, s, a, i.osz == 2); control = true; break;
                    default: c.write16(a, s.cw); control = true; break;
                }
                break;
            case 3: // DB
                switch (r) {
                    case 0: push(s, Float80.fromLong(c.read32(a))); break;
                    case 1: storeInt(c, s, a, 32, true, true); break;
                    case 2: storeInt(c, s, a, 32, false, false); break;
                    case 3: storeInt(c, s, a, 32, true, false); break;
                    case 5: push(s, read80(c, a)); break;
                    default: storeExt(c, s, a); break;
                }
                break;
            case 5: // DD
                switch (r) {
                    case 0: loadDouble(s, c.read64(a)); break;
                    case 1: storeInt(c, s, a, 64, true, true); break;
                    case 2: storeReal(c, s, a, 8, false); break;
                    case 3: storeReal(c, s, a, 8, true); break;
                    case 4: frstor(c, s, a, i.osz == 2); control = true; break;
                    case 6: fnsave(c, s, a, i.osz == 2); control = true; break;
                    default: c.write16(a, s.statusWord()); control = true; break;
                }
                break;
            default: // DF
                switch (r) {
                    case 0: push(s, Float80.fromLong((short) c.read16(a))); break;
                    case 1: storeInt(c, s, a, 16, true, true); break;
                    case 2: storeInt(c, s, a, 16, false, false); break;
                    case 3: storeInt(c, s, a, 16, true, false); break;
                    case 4: push(s, X87Bcd.load(c, a)); break;
                    case 5: push(s, Float80.fromLong(c.read64(a))); break;
                    case 6: X87Bcd.store(c, s, a); break;
                    default: storeInt(c, s, a, 64, true, false); break;
                }
                break;
        }
        if (!control) {
            X87.recordPointers(c, i, s, a);
        }
    }

    private static void arithOrCompare(Core c, X87State s, int r, Float80 v, boolean denormal) {
        if (r == 2 || r == 3) {
            X87Arith.compareMem(c, s, v, denormal, r - 2);
        } else {
            X87Arith.arithMem(s, r, v, denormal);
        }
    }

    // ---------------------------------------------------------------- loads

    public static void push(X87State s, Float80 v) {
        X87.push(s, v, X87.env(s));
    }

    /** FLD m32: exact, but an SNaN is quieted (IE) and a denormal raises DE. */
    private static void loadFloat(X87State s, int bits) {
        Env env = X87.env(s);
        Float80 v = Float80.fromFloatBits(bits);
        if (v.isSNaN()) {
            env.flags |= IE;
            v = v.quiet();
        } else if ((bits & 0x7F800000) == 0 && (bits & 0x7FFFFF) != 0) {
            env.flags |= DE;
        }
        X87.push(s, v, env);
    }

    private static void loadDouble(X87State s, long bits) {
        Env env = X87.env(s);
        Float80 v = Float80.fromDoubleBits(bits);
        if (v.isSNaN()) {
            env.flags |= IE;
            v = v.quiet();
        } else if ((bits & 0x7FF0000000000000L) == 0 && (bits & 0xFFFFFFFFFFFFFL) != 0) {
            env.flags |= DE;
        }
        X87.push(s, v, env);
    }

    public static Float80 read80(Core c, long a) {
        long sig = c.read64(a);
        int se = c.read16(a + 8);
        return new Float80(se, sig);
    }

    public static void write80(Core c, long a, Float80 v) {
        // The high word first: if either write faults, nothing of the FPU state has changed.
        c.write16(a + 8, v.se);
        c.write64(a, v.sig);
    }

    /**
     * FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ. The irrational constants are held
     * with more than 64 bits and rounded by RC (as since the 387); the table keeps the
     * value rounded down and whether rounding to nearest goes up.
     */
    public static void loadConstant(X87State s, int m) {
        Float80 v;
        long down;
        int exp;
        boolean nearestUp;
        switch (m) {
            case 0xE8: v = Float80.ONE; push(s, v); return;
            case 0xEE: push(s, Float80.POS_ZERO); return;
            case 0xE9: down = 0xD49A784BCD1B8AFEL; exp = 0x4000; nearestUp = false; break; // log2(10)
            case 0xEA: down = 0xB8AA3B295C17F0BBL; exp = 0x3FFF; nearestUp = true; break;  // log2(e)
            case 0xEB: down = 0xC90FDAA22168C234L; exp = 0x4000; nearestUp = true; break;  // pi
            case 0xEC: down = 0x9A209A84FBCFF798L; exp = 0x3FFD; nearestUp = true; break;  // log10(2)
            default: down = 0xB17217F7D1CF79ABL; exp = 0x3FFE; nearestUp = true; break;    // ln(2)
        }
        int rc = s.rc();
        boolean up = rc == SoftFloat80.RU || rc == SoftFloat80.RN && nearestUp;
        push(s, Float80.of(false, exp, up ? down + 1 : down));
    }

    // ---------------------------------------------------------------- stores

    /** FST/FSTP m32 (size 4) or m64 (size 8), rounded per RC to the memory format. */
    private static void storeReal(Core c, X87State s, long a, int size, boolean pop) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        boolean store;
        if (size == 4) {
            int bits = SoftFloat80.toFloatBits(x, env);
            store = X87.storable(s, env);
            if (store) {
                c.write32(a, bits);
            }
        } else {
            long bits = SoftFloat80.toDoubleBits(x, env);
            store = X87.storable(s, env);
            if (store) {
                c.write64(a, bits);
            }
        }
        if (!store) {
            // An unmasked overflow or underflow stores nothing and so reports no PE either.
            env.flags &= ~SoftFloat80.PE;
            env.roundedUp = false;
        }
        if (store && pop) {
            s.pop();
        }
        X87.commit(s, env, env.roundedUp);
    }

    /** FSTP m80: an exact copy of the register. */
    private static void storeExt(Core c, X87State s, long a) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        boolean store = X87.storable(s, env);
        if (store) {
            write80(c, a, x);
            s.pop();
        }
        X87.commit(s, env, false);
    }

    /**
     * FIST/FISTP (rounding per RC) and FISTTP (truncating). Out of range, NaN and infinity
     * give IE and the "integer indefinite" (only the sign bit set) when IE is masked.
     */
    private static void storeInt(Core c, X87State s, long a, int bits, boolean pop, boolean truncate) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Long v = (env.flags & SF) != 0 ? null
            : SoftFloat80.toInteger(x, bits, truncate ? SoftFloat80.RZ : s.rc(), env);
        long value = v != null ? v : 1L << (bits - 1);
        boolean store = X87.storable(s, env);
        if (store) {
            switch (bits) {
                case 16: c.write16(a, (int) value); break;
                case 32: c.write32(a, (int) value); break;
                default: c.write64(a, value); break;
            }
            if (pop) {
                s.pop();
            }
        }
        X87.commit(s, env, v != null && env.roundedUp);
    }

    // ---------------------------------------------------------------- register moves

    /** FST/FSTP ST(i) (and the FSTP1/8/9 aliases): a plain copy, no exceptions. */
    public static void fstReg(X87State s, int sti, boolean pop) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        if (X87.deliverable(s, env)) {
            s.set(sti, x);
            if (pop) {
                s.pop();
            }
        }
        X87.commit(s, env, false);
    }

    /**
     * D9 D8+i, the undocumented FSTP1 alias: on the host it behaves as a store without the
     * stack check, copying ST(0) together with its empty/full state, then popping.
     */
    public static void fstp1(X87State s, int sti) {
        boolean wasEmpty = s.isEmpty(0);
        s.set(sti, s.st(0));
        if (wasEmpty) {
            s.free(sti);
        }
        s.pop();
        s.sw &= ~X87State.C1;
    }

    public static void fxch(X87State s, int sti) {
        Env env = X87.env(s);
        Float80 a = X87.read(s, 0, env);
        Float80 b = X87.read(s, sti, env);
        if (X87.deliverable(s, env)) {
            s.set(0, b);
            s.set(sti, a);
        }
        X87.commit(s, env, false);
    }

    /**
     * FCMOVcc. group: C0 B (CF), C8 E (ZF), D0 BE (CF or ZF), D8 U (PF); negate for the DB
     * forms (NB, NE, NBE, NU).
     */
    public static void fcmov(Core c, X87State s, int group, int sti, boolean negate) {
        long f = c.flags.get();
        boolean cond;
        switch (group) {
            case 0xC0: cond = (f & Flags.CF) != 0; break;
            case 0xC8: cond = (f & Flags.ZF) != 0; break;
            case 0xD0: cond = (f & (Flags.CF | Flags.ZF)) != 0; break;
            default: cond = (f & Flags.PF) != 0; break;
        }
        if (negate) {
            cond = !cond;
        }
        Env env = X87.env(s);
        X87.read(s, 0, env);
        Float80 src = X87.read(s, sti, env);
        if ((env.flags & SF) != 0) {
            if (X87.deliverable(s, env)) {
                s.set(0, Float80.INDEFINITE);
            }
        } else if (cond) {
            s.set(0, src);
        }
        X87.commit(s, env, false);
    }

    // ---------------------------------------------------------------- control and state

    public static void fldcw(X87State s, int v) {
        // Bit 6 reads as 1 and bits 13-15 as 0; bit 12 (the 287's infinity control) is kept.
        s.cw = (v & 0x1F3F) | 0x40;
        s.updateSummary();
    }

    /**
     * FNSTENV, 32-bit operand size (28 bytes; also what 64-bit mode uses without a 66h
     * prefix), and the 16-bit form (14 bytes):
     * <pre>
     *   32-bit                                  16-bit
     *   +0  FCW        (upper 16 bits = FFFF)    +0  FCW
     *   +4  FSW                                  +2  FSW
     *   +8  FTW                                  +4  FTW
     *   +12 FIP[31:0]                            +6  FIP[15:0]
     *   +16 FOP[10:0] &lt;&lt; 16 | FCS              +8  FCS
     *   +20 FDP[31:0]                            +10 FDP[15:0]
     *   +24 FDS        (upper 16 bits = FFFF)    +12 FDS
     * </pre>
     * Afterwards all exceptions are masked.
     */
    public static void fnstenv(Core c, X87State s, long a, boolean small) {
        writeEnv(c, s, a, small);
        s.cw |= 0x3F;
    }

    private static int envSize(boolean small) {
        return small ? 14 : 28;
    }

    private static void writeEnv(Core c, X87State s, long a, boolean small) {
        if (small) {
            c.write16(a + 12, 0);
            c.write16(a, s.cw);
            c.write16(a + 2, s.statusWord());
            c.write16(a + 4, s.tagWord());
            c.write16(a + 6, (int) s.fip);
            c.write16(a + 8, c.cs);
            c.write16(a + 10, (int) s.fdp);
            return;
        }
        c.write32(a + 24, 0xFFFF0000);
        c.write32(a, 0xFFFF0000 | s.cw);
        c.write32(a + 4, 0xFFFF0000 | s.statusWord());
        c.write32(a + 8, 0xFFFF0000 | s.tagWord());
        c.write32(a + 12, (int) s.fip);
        c.write32(a + 16, s.fop << 16 | (c.cs & 0xFFFF));
        c.write32(a + 20, (int) s.fdp);
    }

    /** Reads an environment image; returns {cw, sw, tw, fip, fop, fdp} without applying it. */
    private static long[] readEnv(Core c, long a, boolean small) {
        if (small) {
            return new long[] {c.read16(a), c.read16(a + 2), c.read16(a + 4), c.read16(a + 6), 0, c.read16(a + 10)};
        }
        return new long[] {c.read16(a), c.read16(a + 4), c.read16(a + 8), c.read32(a + 12) & 0xFFFFFFFFL,
            c.read32(a + 16) >>> 16 & 0x7FF, c.read32(a + 20) & 0xFFFFFFFFL};
    }

    private static void applyEnv(X87State s, long[] e) {
        s.cw = ((int) e[0] & 0x1F3F) | 0x40;
        s.setStatusWord((int) e[1]);
        s.setTagWord((int) e[2]);
        s.fip = e[3];
        s.fop = (int) e[4];
        s.fdp = e[5];
        s.updateSummary();
    }

    public static void fldenv(Core c, X87State s, long a, boolean small) {
        applyEnv(s, readEnv(c, a, small));
    }

    /** FNSAVE: the environment, then ST(0)..ST(7) as 10-byte values; then FNINIT. */
    public static void fnsave(Core c, X87State s, long a, boolean small) {
        int base = envSize(small);
        // Probe the last byte first so a fault there happens before anything is written.
        c.write8(a + base + 79, c.read8(a + base + 79));
        writeEnv(c, s, a, small);
        for (int k = 0; k < 8; k++) {
            write80(c, a + base + 10L * k, s.st(k));
        }
        s.init();
    }

    public static void frstor(Core c, X87State s, long a, boolean small) {
        long[] e = readEnv(c, a, small);
        int base = envSize(small);
        Float80[] v = new Float80[8];
        for (int k = 0; k < 8; k++) {
            v[k] = read80(c, a + base + 10L * k);
        }
        applyEnv(s, e);
        for (int k = 0; k < 8; k++) {
            s.regs[s.phys(k)] = v[k];
        }
    }
}
