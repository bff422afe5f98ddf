package microlith.hw.cpu.integer;

import static microlith.hw.cpu.Flags.*;
import static microlith.hw.cpu.LazyFlags.mask;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.Insn;

/** BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT and BSWAP. */
public final class BitOps {
    private BitOps() {
    }

    /** sub: 0 BT, 1 BTS, 2 BTR, 3 BTC. Only CF is defined; the other flags are kept. */
    private static long apply(Core c, int sub, long v, int bit) {
        boolean set = ((v >>> bit) & 1) != 0;
        long f = c.flags.get();
        c.flags.set(set ? f | CF : f & ~CF);
        switch (sub) {
            case 1: return v | (1L << bit);
            case 2: return v & ~(1L << bit);
            case 3: return v ^ (1L << bit);
            default: return v;
        }
    }

    public static void btR(Core c, Insn i) {
        int sz = i.osz;
        int bits = sz * 8;
        long off = MulDiv.signExtend(c.getReg(i.reg, sz), sz);
        if (i.mem) {
            // A register bit offset addresses memory beyond the operand (a bit string).
            long ea = c.ea(i) + (off >> (sz == 8 ? 6 : sz == 4 ? 5 : 4)) * sz;
            long v = c.read(ea, sz);
            long res = apply(c, i.sub, v, (int) (off & (bits - 1)));
            if (i.sub != 0) {
                c.write(ea, sz, res);
            }
        } else {
            long v = c.getReg(i.rm, sz);
            long res = apply(c, i.sub, v, (int) (off & (bits - 1)));
            if (i.sub != 0) {
                c.putReg(i.rm, sz, res);
            }
        }
    }

    public static void btI(Core c, Insn i) {
        int sz = i.osz;
        int bit = (int) i.imm & (sz * 8 - 1);
        if (i.mem) {
            long ea = c.ea(i);
            long res = apply(c, i.sub, c.read(ea, sz), bit);
            if (i.sub != 0) {
                c.write(ea, sz, res);
            }
        } else {
            long res = apply(c, i.sub, c.getReg(i.rm, sz), bit);
            if (i.sub != 0) {
                c.putReg(i.rm, sz, res);
            }
        }
    }

    /** BSF/BSR: ZF=1 and the destination unchanged when the source is zero. */
    public static void bsf(Core c, Insn i) {
        long v = c.readRm(i, i.osz) & mask(i.osz);
        long f = c.flags.get();
        if (v == 0) {
            c.flags.set(f | ZF);
            return;
        }
        c.putReg(i.reg, i.osz, Long.numberOfTrailingZeros(v));
        c.flags.set(f & ~ZF);
    }

    public static void bsr(Core c, Insn i) {
        long v = c.readRm(i, i.osz) & mask(i.osz);
        long f = c.flags.get();
        if (v == 0) {
            c.flags.set(f | ZF);
            return;
        }
        c.putReg(i.reg, i.osz, 63 - Long.numberOfLeadingZeros(v));
        c.flags.set(f & ~ZF);
    }

    private static void countFlags(Core c, long count, long src, int bits) {
        long f = c.flags.get() & ~(CF | ZF);
        if (count == bits) f |= CF;
        if (count == 0) f |= ZF;
        c.flags.set(f);
    }

    public static void tzcnt(Core c, Insn i) {
        int bits = i.osz * 8;
        long v = c.readRm(i, i.osz) & mask(i.osz);
        long n = v == 0 ? bits : Long.numberOfTrailingZeros(v);
        c.putReg(i.reg, i.osz, n);
        countFlags(c, n, v, bits);
    }

    public static void lzcnt(Core c, Insn i) {
        int bits = i.osz * 8;
        long v = c.readRm(i, i.osz) & mask(i.osz);
        long n = v == 0 ? bits : Long.numberOfLeadingZeros(v) - (64 - bits);
        c.putReg(i.reg, i.osz, n);
        countFlags(c, n, v, bits);
    }

    public static void popcnt(Core c, Insn i) {
        long v = c.readRm(i, i.osz) & mask(i.osz);
        long n = Long.bitCount(v);
        c.putReg(i.reg, i.osz, n);
        c.flags.set((c.flags.get() & ~ARITH) | (v == 0 ? ZF : 0));
    }

    public static void bswap(Core c, Insn i) {
        if (i.osz == 8) {
            c.r[i.reg] = Long.reverseBytes(c.r[i.reg]);
        } else if (i.osz == 4) {
            c.putReg(i.reg, 4, Integer.reverseBytes((int) c.r[i.reg]) & 0xffffffffL);
        } else {
            // BSWAP with a 16-bit operand is undefined; Intel and AMD both clear the low word.
            c.putReg(i.reg, 2, 0);
        }
    }
}
