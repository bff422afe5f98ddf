package microlith.hw.cpu.integer;

import static microlith.hw.cpu.Flags.*;
import static microlith.hw.cpu.LazyFlags.mask;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.Insn;

/** BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT and BSWAP. */
public final class BitOps {
    private BitOps() {
    }

    /** sub: 0 BT, 1 BTS, 2 BTR, 3 BTC: the operand with the bit changed. */
    private static long apply(int sub, long v, int bit) {
        switch (sub) {
            case 1: return v | (1L << bit);
            case 2: return v & ~(1L << bit);
            case 3: return v ^ (1L << bit);
            default: return v;
        }
    }

    /** Only CF is defined (the old bit); the other flags are kept. Set after any store. */
    private static void setCf(Core c, long v, int bit) {
        long f = c.flags.get();
        c.flags.set(((v >>> bit) & 1) != 0 ? f | CF : f & ~CF);
    }

    public static void btR(Core c, Insn i) {
        int sz = i.osz;
        int bits = sz * 8;
        long off = MulDiv.signExtend(c.getReg(i.reg, sz), sz);
        if (i.mem) {
            // A register bit offset addresses memory beyond the operand (a bit string).
            bitMem(c, i, c.ea(i) + (off >> (sz == 8 ? 6 : sz == 4 ? 5 : 4)) * sz, (int) (off & (bits - 1)));
        } else {
            bitReg(c, i, (int) (off & (bits - 1)));
        }
    }

    public static void btI(Core c, Insn i) {
        int bit = (int) i.imm & (i.osz * 8 - 1);
        if (i.mem) {
            bitMem(c, i, c.ea(i), bit);
        } else {
            bitReg(c, i, bit);
        }
    }

    private static void bitMem(Core c, Insn i, long ea, int bit) {
        long v = c.read(ea, i.osz);
        if (i.sub != 0) {
            c.write(ea, i.osz, apply(i.sub, v, bit));
        }
        setCf(c, v, bit);
    }

    private static void bitReg(Core c, Insn i, int bit) {
        long v = c.getReg(i.rm, i.osz);
        if (i.sub != 0) {
            c.putReg(i.rm, i.osz, apply(i.sub, v, bit));
        }
        setCf(c, v, bit);
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
