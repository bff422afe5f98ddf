package microlith.hw.cpu.x87;

import static microlith.hw.cpu.x87.SoftFloat80.DE;
import static microlith.hw.cpu.x87.SoftFloat80.IE;
import static microlith.hw.cpu.x87.SoftFloat80.SF;
import static microlith.hw.cpu.x87.SoftFloat80.ZE;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.x87.SoftFloat80.Env;

/**
 * x87 arithmetic, comparison and the one-operand numeric instructions on the register stack.
 * Each method reads its operands (stack underflow gives the QNaN indefinite), computes
 * with {@link SoftFloat80}, writes the destination unless an unmasked pre-computation
 * exception blocks it, then commits the flags via {@link X87#commit}.
 */
public final class X87Arith {
    /** Operation kinds, numbered as the ModRM reg field of D8 /r. */
    public static final int ADD = 0, MUL = 1, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;

    private X87Arith() {
    }

    /**
     * The DC and DE register forms write ST(i) and their reg field names the operation
     * with ST(i) as the left operand, which swaps the meaning of /4-/7 (DC E8+i is
     * FSUB ST(i), ST(0) = ST(i) - ST(0), while D8 E0+i is FSUB ST(0), ST(i)).
     */
    public static int reversed(int r) {
        return r >= 4 ? r ^ 1 : r;
    }

    public static Float80 compute(int kind, Float80 x, Float80 y, Env env) {
        switch (kind) {
            case ADD: return SoftFloat80.add(x, y, env);
            case MUL: return SoftFloat80.mul(x, y, env);
            case SUB: return SoftFloat80.sub(x, y, env);
            case SUBR: return SoftFloat80.sub(y, x, env);
            case DIV: return SoftFloat80.div(x, y, env);
            default: return SoftFloat80.div(y, x, env);
        }
    }

    /** ST(dest) = ST(dest) op ST(src) (kind already resolved), then pop if asked. */
    public static void arith(X87State s, int kind, int dest, int src, boolean pop) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, dest, env);
        Float80 y = X87.read(s, src, env);
        Float80 r = (env.flags & SF) != 0 ? Float80.INDEFINITE : compute(kind, x, y, env);
        if (X87.deliverable(s, env)) {
            s.set(dest, r);
            if (pop) {
                s.pop();
            }
        }
        X87.commit(s, env, env.roundedUp);
    }

    /**
     * ST(0) = ST(0) op m (m32/m64 real or m16/m32 integer, already converted exactly).
     * srcDenormal: the memory operand was a single/double denormal, which the conversion
     * normalized; it still raises DE like a denormal register operand would.
     */
    public static void arithMem(X87State s, int kind, Float80 y, boolean srcDenormal) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r;
        if ((env.flags & SF) != 0) {
            r = Float80.INDEFINITE;
        } else {
            r = compute(kind, x, y, env);
            if (srcDenormal && !x.isNaN() && !x.isUnsupported() && (env.flags & (ZE | IE)) == 0) {
                env.flags |= DE;
            }
        }
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, env.roundedUp);
    }

    // ---------------------------------------------------------------- comparisons

    /** FCOM/FUCOM/FCOMI/FUCOMI and their popping forms on two stack registers. */
    public static void compare(Core c, X87State s, int a, int b, boolean quiet, int pops, boolean eflags) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, a, env);
        Float80 y = X87.read(s, b, env);
        finishCompare(c, s, env, x, y, false, quiet, pops, eflags);
    }

    /** FCOM/FCOMP/FICOM/FICOMP with a memory operand. */
    public static void compareMem(Core c, X87State s, Float80 y, boolean yDenormal, int pops) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        finishCompare(c, s, env, x, y, yDenormal, false, pops, false);
    }

    /**
     * Sets C3 C2 C0 (or ZF PF CF) from the comparison:
     * <pre>
     *   ST(0) &gt; src   0 0 0      ST(0) &lt; src   0 0 1
     *   ST(0) = src   1 0 0      unordered     1 1 1
     * </pre>
     * FCOM* raise IE for any NaN, FUCOM* only for an SNaN; unsupported formats always.
     */
    private static void finishCompare(Core c, X87State s, Env env, Float80 x, Float80 y,
                                      boolean yDenormal, boolean quiet, int pops, boolean eflags) {
        int cmp;
        if ((env.flags & SF) != 0) {
            cmp = 2;
        } else {
            if (x.isUnsupported() || y.isUnsupported()) {
                env.flags |= IE;
            } else if (x.isNaN() || y.isNaN()) {
                if (!quiet || x.isSNaN() || y.isSNaN()) {
                    env.flags |= IE;
                }
            } else if (x.isDenormal() || y.isDenormal() || yDenormal) {
                env.flags |= DE;
            }
            cmp = SoftFloat80.compare(x, y);
        }
        boolean deliver = X87.deliverable(s, env);
        // The condition codes (or RFLAGS) are written even when an unmasked exception
        // blocks the pop: unordered for a stack fault or an invalid operand.
        int bits = cmp == 2 ? 7 : cmp < 0 ? 1 : cmp == 0 ? 4 : 0; // C3 C2 C0 / ZF PF CF as 4 2 1
        if (eflags) {
            long f = c.flags.get() & ~(Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF | Flags.OF);
            if ((bits & 4) != 0) {
                f |= Flags.ZF;
            }
            if ((bits & 2) != 0) {
                f |= Flags.PF;
            }
            if ((bits & 1) != 0) {
                f |= Flags.CF;
            }
            c.flags.set(f);
        } else {
            s.sw &= ~(X87State.C0 | X87State.C2 | X87State.C3);
            s.sw |= ((bits & 4) != 0 ? X87State.C3 : 0) | ((bits & 2) != 0 ? X87State.C2 : 0)
                | ((bits & 1) != 0 ? X87State.C0 : 0);
        }
        for (int k = 0; deliver && k < pops; k++) {
            s.pop();
        }
        X87.commit(s, env, false);
    }

    /** FTST: compares ST(0) with +0.0 like FCOM. */
    public static void ftst(X87State s) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        finishCompare(null, s, env, x, Float80.POS_ZERO, false, false, 0, false);
    }

    /**
     * FXAM: classifies ST(0) into C3 C2 C0 and copies its sign to C1.
     * <pre>
     *   unsupported 000  NaN 001  normal 010  infinity 011  zero 100  empty 101  denormal 110
     * </pre>
     */
    public static void fxam(X87State s) {
        Float80 x = s.st(0);
        int cls;
        if (s.isEmpty(0)) {
            cls = 5;
        } else if (x.isUnsupported()) {
            cls = 0;
        } else if (x.isNaN()) {
            cls = 1;
        } else if (x.isInf()) {
            cls = 3;
        } else if (x.isZero()) {
            cls = 4;
        } else if (x.isDenormal()) {
            cls = 6;
        } else {
            cls = 2;
        }
        s.sw &= ~(X87State.C0 | X87State.C1 | X87State.C2 | X87State.C3);
        s.sw |= ((cls & 4) != 0 ? X87State.C3 : 0) | ((cls & 2) != 0 ? X87State.C2 : 0)
            | ((cls & 1) != 0 ? X87State.C0 : 0) | (x.neg() ? X87State.C1 : 0);
    }

    // ---------------------------------------------------------------- one-operand

    /** FCHS (chs) and FABS: only the sign changes, NaNs included, no exceptions. */
    public static void unarySign(X87State s, boolean chs) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r = (env.flags & SF) != 0 ? x : chs ? x.negate() : x.abs();
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, false);
    }

    public static void fsqrt(X87State s) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r = (env.flags & SF) != 0 ? x : SoftFloat80.sqrt(x, env);
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, env.roundedUp);
    }

    public static void frndint(X87State s) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 r;
        if ((env.flags & SF) != 0) {
            r = x;
        } else if (x.isUnsupported()) {
            r = SoftFloat80.invalid(env);
        } else if (x.isNaN()) {
            r = SoftFloat80.propagateNaN(x, x, env);
        } else if (x.isInf()) {
            r = x;
        } else {
            if (x.isDenormal()) {
                env.flags |= DE;
            }
            r = SoftFloat80.roundToIntegral(x, env);
        }
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, env.roundedUp);
    }

    public static void fscale(X87State s) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 y = X87.read(s, 1, env);
        Float80 r = (env.flags & SF) != 0 ? Float80.INDEFINITE : SoftFloat80.scale(x, y, env);
        if (X87.deliverable(s, env)) {
            s.set(0, r);
        }
        X87.commit(s, env, env.roundedUp);
    }

    /** FPREM (ieee = false) and FPREM1: C2 = incomplete, C0 C3 C1 = quotient bits 2 1 0. */
    public static void fprem(X87State s, boolean ieee) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 y = X87.read(s, 1, env);
        SoftFloat80.Remainder rem;
        if ((env.flags & SF) != 0) {
            rem = new SoftFloat80.Remainder();
            rem.value = Float80.INDEFINITE;
        } else {
            rem = SoftFloat80.remainder(x, y, ieee, env);
        }
        if (!X87.deliverable(s, env)) {
            X87.commit(s, env, false);
            return;
        }
        s.set(0, rem.value);
        int q = rem.incomplete ? 0 : rem.q;
        s.sw &= ~(X87State.C0 | X87State.C2 | X87State.C3);
        s.sw |= ((q & 4) != 0 ? X87State.C0 : 0) | ((q & 2) != 0 ? X87State.C3 : 0)
            | (rem.incomplete ? X87State.C2 : 0);
        X87.commit(s, env, (q & 1) != 0);
    }

    /** FXTRACT: ST(0) becomes the exponent (as a value), then the significand is pushed. */
    public static void fxtract(X87State s) {
        Env env = X87.env(s);
        Float80 x = X87.read(s, 0, env);
        Float80 exp;
        Float80 sig;
        if ((env.flags & SF) != 0 || x.isUnsupported()) {
            env.flags |= IE;
            exp = Float80.INDEFINITE;
            sig = Float80.INDEFINITE;
        } else if (x.isNaN()) {
            exp = SoftFloat80.propagateNaN(x, x, env);
            sig = exp;
        } else if (x.isZero()) {
            env.flags |= ZE;
            exp = Float80.NEG_INF;
            sig = x;
        } else if (x.isInf()) {
            exp = Float80.POS_INF;
            sig = x;
        } else {
            if (x.isDenormal()) {
                env.flags |= DE;
            }
            exp = Float80.fromLong(SoftFloat80.normExp(x) - Float80.BIAS);
            sig = Float80.of(x.neg(), Float80.BIAS, SoftFloat80.normSig(x));
        }
        boolean overflow = !s.isEmpty(7);
        if (overflow) {
            // The stack fault is checked first: no DE or ZE from the operand then.
            env.flags = env.flags & ~(DE | ZE) | IE | SF;
            exp = Float80.INDEFINITE;
            sig = Float80.INDEFINITE;
        }
        if (X87.deliverable(s, env)) {
            s.set(0, exp);
            s.push(sig);
        }
        X87.commit(s, env, overflow);
    }
}
