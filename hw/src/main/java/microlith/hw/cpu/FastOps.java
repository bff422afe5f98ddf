package microlith.hw.cpu;

/**
 * Handlers for the forms {@link Specialize} picks out: no size switch, no r/m test, the
 * lazy-flag record written inline. Destination register in {@code reg}, source in {@code rm}.
 */
final class FastOps {
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

    static void addRR64(Cpu c, Insn i) {
        long[] r = c.r;
        long a = r[i.reg];
        long b = r[i.rm];
        long res = a + b;
        r[i.reg] = res;
        rec(c.flags, LazyFlags.ADD, a, b, res, 8);
    }

    static void addRR32(Cpu c, Insn i) {
        long[] r = c.r;
        long a = r[i.reg] & M32;
        long b = r[i.rm] & M32;
        long res = a + b;
        r[i.reg] = res & M32;
        rec(c.flags, LazyFlags.ADD, a, b, res, 4);
    }

    static void subRR64(Cpu c, Insn i) {
        long[] r = c.r;
        long a = r[i.reg];
        long b = r[i.rm];
        long res = a - b;
        r[i.reg] = res;
        rec(c.flags, LazyFlags.SUB, a, b, res, 8);
    }

    static void subRR32(Cpu c, Insn i) {
        long[] r = c.r;
        long a = r[i.reg] & M32;
        long b = r[i.rm] & M32;
        long res = a - b;
        r[i.reg] = res & M32;
        rec(c.flags, LazyFlags.SUB, a, b, res, 4);
    }

    static void cmpRR64(Cpu c, Insn i) {
        long a = c.r[i.reg];
        long b = c.r[i.rm];
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 8);
    }

    static void cmpRR32(Cpu c, Insn i) {
        long a = c.r[i.reg] & M32;
        long b = c.r[i.rm] & M32;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, 4);
    }

    static void logicRR(Cpu c, Insn i, long res, int size) {
        c.r[i.reg] = res;
        rec(c.flags, LazyFlags.LOGIC, 0, 0, res, size);
    }

    static void testRR(Cpu c, long res, int size) {
        rec(c.flags, LazyFlags.LOGIC, 0, 0, res, size);
    }

    static void addRI64(Cpu c, Insn i) {
        long a = c.r[i.reg];
        long b = i.imm;
        long res = a + b;
        c.r[i.reg] = res;
        rec(c.flags, LazyFlags.ADD, a, b, res, 8);
    }

    static void addRI32(Cpu c, Insn i) {
        long a = c.r[i.reg] & M32;
        long b = i.imm;
        long res = a + b;
        c.r[i.reg] = res & M32;
        rec(c.flags, LazyFlags.ADD, a, b, res, 4);
    }

    static void subRI64(Cpu c, Insn i) {
        long a = c.r[i.reg];
        long b = i.imm;
        long res = a - b;
        c.r[i.reg] = res;
        rec(c.flags, LazyFlags.SUB, a, b, res, 8);
    }

    static void subRI32(Cpu c, Insn i) {
        long a = c.r[i.reg] & M32;
        long b = i.imm;
        long res = a - b;
        c.r[i.reg] = res & M32;
        rec(c.flags, LazyFlags.SUB, a, b, res, 4);
    }

    static void cmpRI64(Cpu c, Insn i) {
        long a = c.r[i.reg];
        rec(c.flags, LazyFlags.SUB, a, i.imm, a - i.imm, 8);
    }

    static void cmpRI32(Cpu c, Insn i) {
        long a = c.r[i.reg] & M32;
        rec(c.flags, LazyFlags.SUB, a, i.imm, a - i.imm, 4);
    }

    static void andRI(Cpu c, Insn i, int size) {
        long res = c.r[i.reg] & i.imm;
        c.r[i.reg] = res;
        rec(c.flags, LazyFlags.LOGIC, 0, 0, res, size);
    }

    /** SHL/SHR/SAR reg, imm with osz 4 or 8 and a non-zero masked count. */
    static void shiftRI(Cpu c, Insn i, int kind) {
        int sz = i.osz;
        int cnt = (int) i.imm;
        long a = sz == 8 ? c.r[i.reg] : c.r[i.reg] & M32;
        long res;
        if (kind == LazyFlags.SHL) {
            res = sz == 8 ? a << cnt : (a << cnt) & M32;
        } else if (kind == LazyFlags.SHR) {
            res = a >>> cnt;
        } else {
            res = sz == 8 ? a >> cnt : ((long) (int) a >> cnt) & M32;
        }
        c.r[i.reg] = res;
        rec(c.flags, kind, a, cnt, res, sz);
    }

    /** IMUL r64, r/m64 (other = reg) or IMUL r64, r/m64, imm (other = imm). */
    static void imul64(Cpu c, Insn i, long other) {
        long a = c.r[i.rm];
        long lo = a * other;
        c.flags.carry = Math.multiplyHigh(a, other) != (lo >> 63);
        c.r[i.reg] = lo;
        rec(c.flags, LazyFlags.MUL, 0, 0, lo, 8);
    }

    /** IMUL r32, r/m32 (other = reg) or IMUL r32, r/m32, imm: the low 32 bits, zero-extended. */
    static void imul32(Cpu c, Insn i, long other) {
        long a = (int) c.r[i.rm];
        long p = a * (int) other;
        c.flags.carry = p != (int) p;
        long lo = p & M32;
        c.r[i.reg] = lo;
        rec(c.flags, LazyFlags.MUL, 0, 0, lo, 4);
    }

    /** ROL/ROR reg, imm (osz 4 or 8): only CF and OF change, so the rest is materialized first. */
    static void rotateRI(Cpu c, Insn i, boolean left) {
        int sz = i.osz;
        int bits = sz * 8;
        int n = (int) i.imm % bits;
        long a = sz == 8 ? c.r[i.reg] : c.r[i.reg] & M32;
        long res;
        boolean cf;
        boolean of;
        if (sz == 8) {
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
        c.r[i.reg] = res;
        long f = c.flags.get() & ~(Flags.CF | Flags.OF);
        c.flags.set(f | (cf ? Flags.CF : 0) | (of ? Flags.OF : 0));
    }

    /** The address of a plain memory operand; a missing base or index reads the zero slot. */
    static long ea(Cpu c, Insn i) {
        long[] r = c.r;
        return r[i.base] + (r[i.index] << i.scale) + i.disp;
    }

    static void load64(Cpu c, Insn i) {
        c.r[i.reg] = c.read64(ea(c, i));
    }

    static void load32(Cpu c, Insn i) {
        c.r[i.reg] = c.read32(ea(c, i)) & M32;
    }

    static void store64(Cpu c, Insn i) {
        c.write64(ea(c, i), c.r[i.reg]);
    }

    static void store32(Cpu c, Insn i) {
        c.write32(ea(c, i), (int) c.r[i.reg]);
    }

    static void movzx8(Cpu c, Insn i) {
        c.r[i.reg] = c.read8(ea(c, i));
    }

    static void movzx16(Cpu c, Insn i) {
        c.r[i.reg] = c.read16(ea(c, i));
    }

    static void movsx8(Cpu c, Insn i) {
        c.r[i.reg] = (byte) c.read8(ea(c, i)) & i.imm;
    }

    static void movsx16(Cpu c, Insn i) {
        c.r[i.reg] = (short) c.read16(ea(c, i)) & i.imm;
    }

    static void movsxd(Cpu c, Insn i) {
        c.r[i.reg] = c.read32(ea(c, i));
    }

    /** CMP [mem], reg (osz 2, 4 or 8; the size mask in imm); returns the memory operand. */
    static long cmpMR(Cpu c, Insn i) {
        long a = c.read(ea(c, i), i.osz);
        long b = c.r[i.reg] & i.imm;
        rec(c.flags, LazyFlags.SUB, a, b, a - b, i.osz);
        return a;
    }

    static void push64(Cpu c, Insn i) {
        long[] r = c.r;
        long sp = r[Cpu.RSP] - 8;
        c.write64(sp, r[i.reg]);
        r[Cpu.RSP] = sp;
    }

    static void pop64(Cpu c, Insn i) {
        long[] r = c.r;
        long sp = r[Cpu.RSP];
        long v = c.read64(sp);
        // RSP first: POP RSP loads the popped value into RSP.
        r[Cpu.RSP] = sp + 8;
        r[i.reg] = v;
    }

    static void lea(Cpu c, Insn i) {
        c.r[i.reg] = ea(c, i) & i.imm;
    }
}
