package microlith.hw.cpu.integer;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.Insn;

/**
 * Handlers for the forms {@link microlith.hw.cpu.decode.Specialize} picks out: no size switch, no r/m test, the
 * lazy-flag record written inline. They take their operands as plain values (register
 * numbers, immediates, an effective address) rather than an {@link Insn}, so the same code
 * serves the interpreter loop, which passes an entry's fields, and translated blocks
 * ({@link microlith.hw.cpu.translate.Translator}), which pass constants the JIT then folds in.
 */
public final class FastOps {
    private static final long M32 = 0xffffffffL;

    private FastOps() {
    }

    private static void rec(LazyFlags f, int op, long a, long b, long res, int size) {
        f.op = op;
        f.a = a;
        f.b = b;
        f.res = res;
        f.size = size;
    }

    public static void mov64(Core c, int dst, int src) {
        c.r[dst] = c.r[src];
    }

    public static void mov32(Core c, int dst, int src) {
        c.r[dst] = c.r[src] & M32;
    }

    public static void movImm(Core c, int dst, long imm) {
        c.r[dst] = imm;
    }

    public static void add64(Core c, int dst, int src) {
        long[] r = c.r;
        long a = r[dst];
        long b = r[src];
        long res = a + b;
        r[dst] = res;
        rec(c.flags, LazyFlags.ADD, a, b, res, 8);
    }

    public static void add32(Core c, int dst, int src) {
        long[] r = c.r;
        long a = r[dst] & M32;
        long b = r[src] & M32;
        long res = a + b;
        r[dst] = res & M32;
        rec(c.flags, LazyFlags.ADD, a, b, res, 4);
    }

    public static void sub64(Core c, int dst, int src) {
        long[] r = c.r;
        long a = r[dst];
        long b = r[src];
        long res = a - b;
        r[dst] = res;
        rec(c.flags, LazyFlags.SUB, a, b, res, 8);
    }

    public static void sub32(Core c, int dst, int src) {
        long[] r = c.r;
        long a = r[dst] & M32;
        long b = r[src] & M32;
        long res = a - b;
        r[dst] = res & M32;
        rec(c.flags, LazyFlags.SUB, a, b, res, 4);
    }

    public static void cmp64(Core c, int x, int y) {
        long a = c.r[x];
        long b = c.r[y];
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 8);
    }

    public static void cmp32(Core c, int x, int y) {
        long a = c.r[x] & M32;
        long b = c.r[y] & M32;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 4);
    }

    public static void xor64(Core c, int dst, int src) {
        logic(c, dst, c.r[dst] ^ c.r[src], 8);
    }

    public static void xor32(Core c, int dst, int src) {
        logic(c, dst, (c.r[dst] ^ c.r[src]) & M32, 4);
    }

    public static void and64(Core c, int dst, int src) {
        logic(c, dst, c.r[dst] & c.r[src], 8);
    }

    public static void and32(Core c, int dst, int src) {
        logic(c, dst, c.r[dst] & c.r[src] & M32, 4);
    }

    public static void or64(Core c, int dst, int src) {
        logic(c, dst, c.r[dst] | c.r[src], 8);
    }

    public static void or32(Core c, int dst, int src) {
        logic(c, dst, (c.r[dst] | c.r[src]) & M32, 4);
    }

    private static void logic(Core c, int dst, long res, int size) {
        c.r[dst] = res;
        rec(c.flags, LazyFlags.LOGIC, 0, 0, res, size);
    }

    public static void test64(Core c, int x, int y) {
        rec(c.flags, LazyFlags.LOGIC, 0, 0, c.r[x] & c.r[y], 8);
    }

    public static void test32(Core c, int x, int y) {
        rec(c.flags, LazyFlags.LOGIC, 0, 0, c.r[x] & c.r[y] & M32, 4);
    }

    public static void addImm64(Core c, int dst, long b) {
        long a = c.r[dst];
        long res = a + b;
        c.r[dst] = res;
        rec(c.flags, LazyFlags.ADD, a, b, res, 8);
    }

    /** The 32-bit immediate forms take the immediate already masked to 32 bits. */
    public static void addImm32(Core c, int dst, long b) {
        long a = c.r[dst] & M32;
        long res = a + b;
        c.r[dst] = res & M32;
        rec(c.flags, LazyFlags.ADD, a, b, res, 4);
    }

    public static void subImm64(Core c, int dst, long b) {
        long a = c.r[dst];
        long res = a - b;
        c.r[dst] = res;
        rec(c.flags, LazyFlags.SUB, a, b, res, 8);
    }

    public static void subImm32(Core c, int dst, long b) {
        long a = c.r[dst] & M32;
        long res = a - b;
        c.r[dst] = res & M32;
        rec(c.flags, LazyFlags.SUB, a, b, res, 4);
    }

    public static void cmpImm64(Core c, int x, long b) {
        long a = c.r[x];
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 8);
    }

    public static void cmpImm32(Core c, int x, long b) {
        long a = c.r[x] & M32;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 4);
    }

    public static void andImm(Core c, int dst, long imm, int size) {
        logic(c, dst, c.r[dst] & imm, size);
    }

    /** SHL/SHR/SAR reg, imm with size 4 or 8 and a non-zero masked count. */
    public static void shift(Core c, int reg, int cnt, int size, int kind) {
        long a = size == 8 ? c.r[reg] : c.r[reg] & M32;
        long res;
        if (kind == LazyFlags.SHL) {
            res = size == 8 ? a << cnt : (a << cnt) & M32;
        } else if (kind == LazyFlags.SHR) {
            res = a >>> cnt;
        } else {
            res = size == 8 ? a >> cnt : ((long) (int) a >> cnt) & M32;
        }
        c.r[reg] = res;
        rec(c.flags, kind, a, cnt, res, size);
    }

    /** IMUL r64, r/m64 (other = the destination's value) or IMUL r64, r/m64, imm. */
    public static void imul64(Core c, int dst, int src, long other) {
        long a = c.r[src];
        long lo = a * other;
        c.flags.carry = Math.multiplyHigh(a, other) != (lo >> 63);
        c.r[dst] = lo;
        rec(c.flags, LazyFlags.MUL, 0, 0, lo, 8);
    }

    public static void imulReg64(Core c, int dst, int src) {
        imul64(c, dst, src, c.r[dst]);
    }

    /** IMUL r32, r/m32 (other = the destination's value) or IMUL r32, r/m32, imm: zero-extended. */
    public static void imul32(Core c, int dst, int src, long other) {
        long a = (int) c.r[src];
        long p = a * (int) other;
        c.flags.carry = p != (int) p;
        long lo = p & M32;
        c.r[dst] = lo;
        rec(c.flags, LazyFlags.MUL, 0, 0, lo, 4);
    }

    public static void imulReg32(Core c, int dst, int src) {
        imul32(c, dst, src, c.r[dst]);
    }

    /** ROL/ROR reg, imm (size 4 or 8): only CF and OF change, so the rest is materialized first. */
    public static void rotate(Core c, int reg, int cnt, int size, boolean left) {
        int bits = size * 8;
        int n = cnt % bits;
        long a = size == 8 ? c.r[reg] : c.r[reg] & M32;
        long res;
        boolean cf;
        boolean of;
        if (size == 8) {
            res = left ? Long.rotateLeft(a, n) : Long.rotateRight(a, n);
        } else {
            res = (left ? Integer.rotateLeft((int) a, n) : Integer.rotateRight((int) a, n)) & M32;
        }
        long sign = 1L << (bits - 1);
        if (left) {
            cf = (res & 1) != 0;
            of = ((res & sign) != 0) ^ cf;
        } else {
            cf = (res & sign) != 0;
            of = cf ^ ((res & (sign >>> 1)) != 0);
        }
        c.r[reg] = res;
        long f = c.flags.get() & ~(Flags.CF | Flags.OF);
        c.flags.set(f | (cf ? Flags.CF : 0) | (of ? Flags.OF : 0));
    }

    /** The address of a plain memory operand; a missing base or index reads the zero slot. */
    public static long ea(Core c, Insn i) {
        long[] r = c.r;
        return r[i.base] + (r[i.index] << i.scale) + i.disp;
    }

    public static void load64(Core c, int dst, long addr) {
        c.r[dst] = c.read64(addr);
    }

    public static void load32(Core c, int dst, long addr) {
        c.r[dst] = c.read32(addr) & M32;
    }

    public static void store64(Core c, int src, long addr) {
        c.write64(addr, c.r[src]);
    }

    public static void store32(Core c, int src, long addr) {
        c.write32(addr, (int) c.r[src]);
    }

    public static void movzx8(Core c, int dst, long addr) {
        c.r[dst] = c.read8(addr);
    }

    public static void movzx16(Core c, int dst, long addr) {
        c.r[dst] = c.read16(addr);
    }

    /** MOVSX from memory; {@code mask} is the destination size's mask. */
    public static void movsx8(Core c, int dst, long addr, long mask) {
        c.r[dst] = (byte) c.read8(addr) & mask;
    }

    public static void movsx16(Core c, int dst, long addr, long mask) {
        c.r[dst] = (short) c.read16(addr) & mask;
    }

    public static void movsxd(Core c, int dst, long addr) {
        c.r[dst] = c.read32(addr);
    }

    public static void lea(Core c, int dst, long addr, long mask) {
        c.r[dst] = addr & mask;
    }

    /** CMP [mem], reg at 16, 32 or 64 bits ({@code mask} for the size); returns the memory operand. */
    public static long cmpMem(Core c, int reg, long addr, int size, long mask) {
        long a = c.read(addr, size);
        long b = c.r[reg] & mask;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, size);
        return a;
    }

    public static void push64(Core c, int src) {
        long[] r = c.r;
        long sp = r[Cpu.RSP] - 8;
        c.write64(sp, r[src]);
        r[Cpu.RSP] = sp;
    }

    public static void pop64(Core c, int dst) {
        long[] r = c.r;
        long sp = r[Cpu.RSP];
        long v = c.read64(sp);
        // RSP first: POP RSP loads the popped value into RSP.
        r[Cpu.RSP] = sp + 8;
        r[dst] = v;
    }

    /** The push half of a near CALL: the return address goes on the stack. */
    public static void pushValue(Core c, long v) {
        long[] r = c.r;
        long sp = r[Cpu.RSP] - 8;
        c.write64(sp, v);
        r[Cpu.RSP] = sp;
    }

    /** A near RET: returns the popped address. */
    public static long popValue(Core c) {
        long[] r = c.r;
        long sp = r[Cpu.RSP];
        long v = c.read64(sp);
        r[Cpu.RSP] = sp + 8;
        return v;
    }

    // ---------------------------------------------------------------- compare and branch

    /** Whether Jcc with condition cc is taken, given the flags as they stand. */
    public static boolean jcc(Core c, int cc) {
        return c.flags.jcc(cc);
    }

    public static boolean test64Jcc(Core c, int x, int y, int cc) {
        long v = c.r[x] & c.r[y];
        rec(c.flags, LazyFlags.LOGIC, 0, 0, v, 8);
        return LazyFlags.logicCond(cc, v, 8);
    }

    public static boolean test32Jcc(Core c, int x, int y, int cc) {
        long v = c.r[x] & c.r[y] & M32;
        rec(c.flags, LazyFlags.LOGIC, 0, 0, v, 4);
        return LazyFlags.logicCond(cc, v, 4);
    }

    public static boolean cmp64Jcc(Core c, int x, int y, int cc) {
        long a = c.r[x];
        long b = c.r[y];
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 8);
        return LazyFlags.subCond(cc, a, b, 8);
    }

    public static boolean cmp32Jcc(Core c, int x, int y, int cc) {
        long a = c.r[x] & M32;
        long b = c.r[y] & M32;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 4);
        return LazyFlags.subCond(cc, a, b, 4);
    }

    public static boolean cmpImm64Jcc(Core c, int x, long b, int cc) {
        long a = c.r[x];
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 8);
        return LazyFlags.subCond(cc, a, b, 8);
    }

    public static boolean cmpImm32Jcc(Core c, int x, long b, int cc) {
        long a = c.r[x] & M32;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 4);
        return LazyFlags.subCond(cc, a, b, 4);
    }

    public static boolean subImm64Jcc(Core c, int dst, long b, int cc) {
        long a = c.r[dst];
        subImm64(c, dst, b);
        return LazyFlags.subCond(cc, a, b, 8);
    }

    public static boolean subImm32Jcc(Core c, int dst, long b, int cc) {
        long a = c.r[dst] & M32;
        subImm32(c, dst, b);
        return LazyFlags.subCond(cc, a, b, 4);
    }

    public static boolean cmpMemJcc(Core c, int reg, long addr, int size, long mask, int cc) {
        long a = cmpMem(c, reg, addr, size, mask);
        return LazyFlags.subCond(cc, a, c.r[reg] & mask, size);
    }
}
