package microlith.hw.cpu;

import static microlith.hw.cpu.Flags.*;

import microlith.hw.cpu.integer.MulDiv;

/**
 * RFLAGS with lazily evaluated status flags, after JPC and QEMU's cc_op: a flag-setting
 * operation records its kind, operands, result and size, and CF/PF/AF/ZF/SF/OF are worked
 * out only when an instruction reads them. Operations with unusual flag rules (shifts,
 * rotates, multiplies, bit tests) compute their flags eagerly and store them with
 * {@link #set}.
 */
public final class LazyFlags {
    public static final int EAGER = 0, ADD = 1, ADC = 2, SUB = 3, SBB = 4, LOGIC = 5, INC = 6, DEC = 7;
    /** Shifts keep the original operand in a and the masked count in b; AF reads as clear. */
    public static final int SHL = 8, SHR = 9, SAR = 10;
    /** Multiplies keep the low result in res and "high half significant" in carry (CF=OF). */
    public static final int MUL = 11;

    /** Non-status bits always; status bits too while {@code op == EAGER}. */
    public long bits = FIXED1;
    public int op = EAGER;
    public long a;
    public long b;
    public long res;
    /** Carry-in for ADC/SBB; the preserved CF for INC/DEC. */
    public boolean carry;
    public int size = 8;

    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    public static long sign(int size) {
        return 1L << (size * 8 - 1);
    }

    public void set(long v) {
        bits = v;
        op = EAGER;
    }

    public void record(int op, long a, long b, long res, int size) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.res = res;
        this.size = size;
    }

    public long get() {
        return evaluate(op, a, b, res, size, carry, bits);
    }

    /**
     * RFLAGS from a lazy record: {@code bits} for the non-status flags (and the status
     * flags too when {@code op} is EAGER), the status flags worked out from the record.
     * Static so that translated code, which keeps the record in locals, shares it.
     */
    public static long evaluate(int op, long a, long b, long res, int size, boolean carry, long bits) {
        switch (op) {
            case EAGER:
                return bits;
            case LOGIC:
                // CF = OF = AF = 0.
                return (bits & ~ARITH) | szp(res, size);
            case MUL:
                return (bits & ~ARITH) | szp(res, size) | (carry ? CF | OF : 0);
            default: {
                long f = (bits & ~ARITH) | szp(res, size);
                if (cf(op, a, b, res, size, carry, bits)) f |= CF;
                if (af(op, a, b, res, bits)) f |= AF;
                if (of(op, a, b, res, size, carry, bits)) f |= OF;
                return f;
            }
        }
    }

    /** SF, ZF and PF of a result. */
    private static long szp(long res, int size) {
        int shift = 64 - size * 8;
        long x = res << shift;
        long f = x == 0 ? ZF : 0;
        if (x < 0) f |= SF;
        if ((Integer.bitCount((int) res & 0xff) & 1) == 0) f |= PF;
        return f;
    }

    /** Folds the lazy state into {@link #bits}, for instructions that change one flag. */
    public void materialize() {
        if (op != EAGER) {
            bits = get();
            op = EAGER;
        }
    }

    public boolean cf() {
        return cf(op, a, b, res, size, carry, bits);
    }

    private static boolean cf(int op, long a, long b, long res, int size, boolean carry, long bits) {
        long m = mask(size);
        switch (op) {
            case EAGER: return (bits & CF) != 0;
            case ADD: return Long.compareUnsigned(res & m, a & m) < 0;
            case ADC: return carry ? Long.compareUnsigned(res & m, a & m) <= 0 : Long.compareUnsigned(res & m, a & m) < 0;
            case SUB: return Long.compareUnsigned(a & m, b & m) < 0;
            case SBB: return carry ? Long.compareUnsigned(a & m, b & m) <= 0 : Long.compareUnsigned(a & m, b & m) < 0;
            case LOGIC: return false;
            case SHL: return b <= size * 8 && ((a >>> (size * 8 - b)) & 1) != 0;
            case SHR: return b <= size * 8 && ((a >>> (b - 1)) & 1) != 0;
            case SAR: return ((MulDiv.signExtend(a, size) >> Math.min(b - 1, 63)) & 1) != 0;
            default: return carry;
        }
    }

    public boolean zf() {
        return op == EAGER ? (bits & ZF) != 0 : (res & mask(size)) == 0;
    }

    public boolean sf() {
        return op == EAGER ? (bits & SF) != 0 : (res & sign(size)) != 0;
    }

    public boolean pf() {
        return op == EAGER ? (bits & PF) != 0 : (Integer.bitCount((int) res & 0xff) & 1) == 0;
    }

    public boolean af() {
        return af(op, a, b, res, bits);
    }

    private static boolean af(int op, long a, long b, long res, long bits) {
        switch (op) {
            case EAGER: return (bits & AF) != 0;
            case LOGIC: case SHL: case SHR: case SAR: case MUL: return false;
            case INC: return (res & 0xf) == 0;
            case DEC: return (res & 0xf) == 0xf;
            default: return ((a ^ b ^ res) & 0x10) != 0;
        }
    }

    public boolean of() {
        return of(op, a, b, res, size, carry, bits);
    }

    private static boolean of(int op, long a, long b, long res, int size, boolean carry, long bits) {
        long s = sign(size);
        switch (op) {
            case EAGER: return (bits & OF) != 0;
            case ADD: case ADC: return ((a ^ res) & (b ^ res) & s) != 0;
            case SUB: case SBB: return ((a ^ b) & (a ^ res) & s) != 0;
            case INC: return (res & mask(size)) == s;
            case DEC: return (res & mask(size)) == s - 1;
            case SHL: return ((res & s) != 0) ^ cf(op, a, b, res, size, carry, bits);
            case SHR: return (a & s) != 0;
            case MUL: return carry;
            default: return false;
        }
    }

    /** A small first try at a condition after a compare, so the JIT can inline it into the loop. */
    public boolean jcc(int cc) {
        if (op == LOGIC && (cc == 4 || cc == 5)) {
            return ((res << (64 - size * 8)) == 0) == (cc == 4);
        }
        if (op == SUB) {
            int shift = 64 - size * 8;
            long x = a << shift;
            long y = b << shift;
            switch (cc) {
                case 2: return Long.compareUnsigned(x, y) < 0;
                case 4: return x == y;
                case 5: return x != y;
                case 12: return x < y;
                default: break;
            }
        }
        return cond(cc);
    }

    /** Evaluates condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
    public boolean cond(int cc) {
        if (op == LOGIC) {
            return logicCond(cc, res, size);
        }
        if (op == SUB) {
            return subCond(cc, a, b, size);
        }
        boolean v;
        switch (cc >>> 1) {
            case 0: v = of(); break;
            case 1: v = cf(); break;
            case 2: v = zf(); break;
            case 3: v = cf() || zf(); break;
            case 4: v = sf(); break;
            case 5: v = pf(); break;
            case 6: v = sf() != of(); break;
            default: v = zf() || sf() != of(); break;
        }
        return (cc & 1) == 0 ? v : !v;
    }

    /** Condition cc (the low nibble of Jcc/SETcc/CMOVcc) on materialized RFLAGS. */
    public static boolean test(int cc, long f) {
        boolean v;
        switch (cc >>> 1) {
            case 0: v = (f & OF) != 0; break;
            case 1: v = (f & CF) != 0; break;
            case 2: v = (f & ZF) != 0; break;
            case 3: v = (f & (CF | ZF)) != 0; break;
            case 4: v = (f & SF) != 0; break;
            case 5: v = (f & PF) != 0; break;
            case 6: v = ((f & SF) != 0) != ((f & OF) != 0); break;
            default: v = (f & ZF) != 0 || ((f & SF) != 0) != ((f & OF) != 0); break;
        }
        return (cc & 1) == 0 ? v : !v;
    }

    /** Condition cc after a logic operation (TEST/AND/OR/XOR): CF = OF = 0. */
    public static boolean logicCond(int cc, long res, int size) {
        long x = res << (64 - size * 8);
        switch (cc) {
            case 0: case 2: return false;
            case 1: case 3: return true;
            case 4: case 6: return x == 0;
            case 5: case 7: return x != 0;
            case 8: case 12: return x < 0;
            case 9: case 13: return x >= 0;
            case 10: return parityEven(res);
            case 11: return !parityEven(res);
            case 14: return x <= 0;
            default: return x > 0;
        }
    }

    /**
     * Condition cc after CMP/SUB a, b, decided from the operands: shifted to the top of a
     * long, the 64-bit comparisons and overflow give the flags of the narrower size. Kept
     * small (one case per pair of conditions) so that the JIT inlines it and, with cc
     * constant in a translated block, keeps a single comparison.
     */
    public static boolean subCond(int cc, long a, long b, int size) {
        int shift = 64 - size * 8;
        long x = a << shift;
        long y = b << shift;
        boolean v;
        switch (cc >>> 1) {
            case 0: v = ((x ^ y) & (x ^ (x - y))) < 0; break;
            case 1: v = Long.compareUnsigned(x, y) < 0; break;
            case 2: v = x == y; break;
            case 3: v = Long.compareUnsigned(x, y) <= 0; break;
            case 4: v = x - y < 0; break;
            case 5: v = parityEven(a - b); break;
            case 6: v = x < y; break;
            default: v = x <= y; break;
        }
        return v != ((cc & 1) != 0);
    }

    private static boolean parityEven(long res) {
        return (Integer.bitCount((int) res & 0xff) & 1) == 0;
    }
}
