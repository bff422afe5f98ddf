package microlith.hw.cpu.integer;

import static microlith.hw.cpu.Flags.*;
import static microlith.hw.cpu.LazyFlags.mask;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.Insn;

/**
 * MUL, IMUL and DIV, IDIV in all widths. Multiplies set CF=OF when the high half is
 * significant; SF, ZF, AF and PF are undefined by the manuals, and we set them from the
 * low half of the result (SF, ZF, PF) with AF clear. Divides leave all six undefined; we
 * leave them unchanged. Division by zero and quotient overflow raise #DE.
 */
public final class MulDiv {
    private MulDiv() {
    }

    private static void mulFlags(Core c, boolean overflow, long low, int size) {
        c.flags.carry = overflow;
        c.flags.record(LazyFlags.MUL, 0, 0, low, size);
    }

    public static void mul(Core c, Insn i) {
        int sz = i.osz;
        long src = c.readRm(i, sz);
        long a = c.getReg(Cpu.RAX, sz);
        switch (sz) {
            case 1: {
                long p = a * src;
                c.putReg(Cpu.RAX, 2, p);
                mulFlags(c, (p >>> 8) != 0, p, 1);
                return;
            }
            case 2: {
                long p = a * src;
                c.putReg(Cpu.RAX, 2, p);
                c.putReg(Cpu.RDX, 2, p >>> 16);
                mulFlags(c, (p >>> 16) != 0, p, 2);
                return;
            }
            case 4: {
                long p = a * src;
                c.putReg(Cpu.RAX, 4, p);
                c.putReg(Cpu.RDX, 4, p >>> 32);
                mulFlags(c, (p >>> 32) != 0, p, 4);
                return;
            }
            default: {
                long lo = a * src;
                long hi = Math.multiplyHigh(a, src) + ((a >> 63) & src) + ((src >> 63) & a);
                c.r[Cpu.RAX] = lo;
                c.r[Cpu.RDX] = hi;
                mulFlags(c, hi != 0, lo, 8);
            }
        }
    }

    public static void imul1(Core c, Insn i) {
        int sz = i.osz;
        long src = signExtend(c.readRm(i, sz), sz);
        long a = signExtend(c.getReg(Cpu.RAX, sz), sz);
        switch (sz) {
            case 1: {
                long p = a * src;
                c.putReg(Cpu.RAX, 2, p);
                mulFlags(c, p != (byte) p, p, 1);
                return;
            }
            case 2: {
                long p = a * src;
                c.putReg(Cpu.RAX, 2, p);
                c.putReg(Cpu.RDX, 2, p >>> 16);
                mulFlags(c, p != (short) p, p, 2);
                return;
            }
            case 4: {
                long p = a * src;
                c.putReg(Cpu.RAX, 4, p);
                c.putReg(Cpu.RDX, 4, p >>> 32);
                mulFlags(c, p != (int) p, p, 4);
                return;
            }
            default: {
                long lo = a * src;
                long hi = Math.multiplyHigh(a, src);
                c.r[Cpu.RAX] = lo;
                c.r[Cpu.RDX] = hi;
                mulFlags(c, hi != (lo >> 63), lo, 8);
            }
        }
    }

    /** Two- and three-operand IMUL: reg = r/m * other, truncated to the operand size. */
    public static void imulRRm(Core c, Insn i, long other) {
        int sz = i.osz;
        if (sz == 8) {
            long a = c.readRm(i, 8);
            long lo = a * other;
            boolean overflow = Math.multiplyHigh(a, other) != (lo >> 63);
            c.r[i.reg] = lo;
            mulFlags(c, overflow, lo, 8);
            return;
        }
        long a = signExtend(c.readRm(i, sz), sz);
        long b = signExtend(other & mask(sz), sz);
        long lo = a * b;
        boolean overflow = lo != signExtend(lo & mask(sz), sz);
        c.putReg(i.reg, sz, lo);
        mulFlags(c, overflow, lo, sz);
    }

    public static long signExtend(long v, int size) {
        switch (size) {
            case 1: return (byte) v;
            case 2: return (short) v;
            case 4: return (int) v;
            default: return v;
        }
    }

    public static void div(Core c, Insn i) {
        int sz = i.osz;
        long d = c.readRm(i, sz);
        if (d == 0) {
            throw CpuException.de();
        }
        switch (sz) {
            case 1: {
                long n = c.r[Cpu.RAX] & 0xffff;
                long q = n / d;
                if (q > 0xff) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 1, q);
                c.putReg(16, 1, n % d);
                return;
            }
            case 2: {
                long n = (c.r[Cpu.RDX] & 0xffff) << 16 | (c.r[Cpu.RAX] & 0xffff);
                long q = n / d;
                if (q > 0xffff) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 2, q);
                c.putReg(Cpu.RDX, 2, n % d);
                return;
            }
            case 4: {
                long n = (c.r[Cpu.RDX] & 0xffffffffL) << 32 | (c.r[Cpu.RAX] & 0xffffffffL);
                long q = Long.divideUnsigned(n, d);
                if ((q >>> 32) != 0) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 4, q);
                c.putReg(Cpu.RDX, 4, Long.remainderUnsigned(n, d));
                return;
            }
            default: {
                long hi = c.r[Cpu.RDX];
                long lo = c.r[Cpu.RAX];
                if (Long.compareUnsigned(hi, d) >= 0) {
                    throw CpuException.de();
                }
                long[] qr = Wide.divu128(hi, lo, d);
                c.r[Cpu.RAX] = qr[0];
                c.r[Cpu.RDX] = qr[1];
            }
        }
    }

    public static void idiv(Core c, Insn i) {
        int sz = i.osz;
        long d = signExtend(c.readRm(i, sz), sz);
        if (d == 0) {
            throw CpuException.de();
        }
        switch (sz) {
            case 1: {
                long n = (short) c.r[Cpu.RAX];
                long q = n / d;
                if (q != (byte) q) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 1, q);
                c.putReg(16, 1, n % d);
                return;
            }
            case 2: {
                long n = (int) ((c.r[Cpu.RDX] & 0xffff) << 16 | (c.r[Cpu.RAX] & 0xffff));
                long q = n / d;
                if (q != (short) q) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 2, q);
                c.putReg(Cpu.RDX, 2, n % d);
                return;
            }
            case 4: {
                long n = (c.r[Cpu.RDX] & 0xffffffffL) << 32 | (c.r[Cpu.RAX] & 0xffffffffL);
                if (n == Long.MIN_VALUE && d == -1) {
                    throw CpuException.de();
                }
                long q = n / d;
                if (q != (int) q) {
                    throw CpuException.de();
                }
                c.putReg(Cpu.RAX, 4, q);
                c.putReg(Cpu.RDX, 4, n % d);
                return;
            }
            default: {
                long[] qr = Wide.divs128(c.r[Cpu.RDX], c.r[Cpu.RAX], d);
                if (qr == null) {
                    throw CpuException.de();
                }
                c.r[Cpu.RAX] = qr[0];
                c.r[Cpu.RDX] = qr[1];
            }
        }
    }
}
