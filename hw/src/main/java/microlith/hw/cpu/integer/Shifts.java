package microlith.hw.cpu.integer;

import static microlith.hw.cpu.Flags.*;
import static microlith.hw.cpu.LazyFlags.mask;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.Insn;

/**
 * Shifts and rotates (group 2: ROL ROR RCL RCR SHL SHR SAL SAR) and SHLD/SHRD. The count
 * is masked to 5 bits, or 6 with a 64-bit operand; a masked count of zero changes nothing,
 * flags included. OF is defined only for 1-bit shifts; for larger counts we compute it by
 * the 1-bit rule, and tests mask it as the manual allows.
 */
public final class Shifts {
    private Shifts() {
    }

    private static long setFlag(long f, long bit, boolean on) {
        return on ? f | bit : f & ~bit;
    }

    private static long resultFlags(long f, long res, int size) {
        f &= ~(SF | ZF | PF | AF);
        long m = mask(size);
        if ((res & LazyFlags.sign(size)) != 0) f |= SF;
        if ((res & m) == 0) f |= ZF;
        if ((Integer.bitCount((int) res & 0xff) & 1) == 0) f |= PF;
        return f;
    }

    /**
     * A masked count of zero leaves flags and value alone, but the operand is still read
     * (and for memory, may fault) and a 32-bit register destination is still written, so
     * its upper half is cleared as by any 32-bit write (observed on hardware).
     */
    private static void zeroCountWrite(Core c, Insn i, int sz) {
        long v = c.readRm(i, sz);
        if (!i.mem && sz == 4) {
            c.putReg(i.rm, 4, v);
        }
    }

    public static void shift(Core c, Insn i, int rawCount) {
        int sz = i.osz;
        int bits = sz * 8;
        int cnt = rawCount & (sz == 8 ? 0x3f : 0x1f);
        if (cnt == 0) {
            zeroCountWrite(c, i, sz);
            return;
        }
        long ea = i.mem ? c.ea(i) : 0;
        long a = (i.mem ? c.read(ea, sz) : c.getReg(i.rm, sz)) & mask(sz);
        long m = mask(sz);
        if (i.sub >= 4) {
            // Shifts leave their flags lazy: only a later reader pays for CF and OF.
            long res;
            int kind;
            if (i.sub == 5) {
                res = cnt >= 64 ? 0 : a >>> cnt;
                kind = LazyFlags.SHR;
            } else if (i.sub == 7) {
                res = (MulDiv.signExtend(a, sz) >> Math.min(cnt, 63)) & m;
                kind = LazyFlags.SAR;
            } else {
                res = cnt >= 64 ? 0 : (a << cnt) & m;
                kind = LazyFlags.SHL;
            }
            if (i.mem) {
                c.write(ea, sz, res);
            } else {
                c.putReg(i.rm, sz, res);
            }
            c.flags.record(kind, a, cnt, res, sz);
            return;
        }
        long sign = LazyFlags.sign(sz);
        long f = c.flags.get();
        long res;
        switch (i.sub) {
            case 0: { // ROL
                int n = cnt % bits;
                res = n == 0 ? a : ((a << n) | (a >>> (bits - n))) & m;
                boolean cf = (res & 1) != 0;
                f = setFlag(f, CF, cf);
                f = setFlag(f, OF, ((res & sign) != 0) ^ cf);
                break;
            }
            case 1: { // ROR
                int n = cnt % bits;
                res = n == 0 ? a : ((a >>> n) | (a << (bits - n))) & m;
                boolean msb = (res & sign) != 0;
                boolean msb1 = (res & (sign >>> 1)) != 0;
                f = setFlag(f, CF, msb);
                f = setFlag(f, OF, msb ^ msb1);
                break;
            }
            case 2: { // RCL: rotate through CF, a (bits+1)-bit rotation
                int n = sz <= 2 ? cnt % (bits + 1) : cnt;
                boolean cf = (f & CF) != 0;
                res = a;
                for (int k = 0; k < n; k++) {
                    boolean out = (res & sign) != 0;
                    res = ((res << 1) | (cf ? 1 : 0)) & m;
                    cf = out;
                }
                f = setFlag(f, CF, cf);
                f = setFlag(f, OF, ((res & sign) != 0) ^ cf);
                break;
            }
            case 3: { // RCR
                int n = sz <= 2 ? cnt % (bits + 1) : cnt;
                boolean cf = (f & CF) != 0;
                boolean of = ((a & sign) != 0) ^ cf;
                res = a;
                for (int k = 0; k < n; k++) {
                    boolean out = (res & 1) != 0;
                    res = (res >>> 1) | (cf ? sign : 0);
                    cf = out;
                }
                f = setFlag(f, CF, cf);
                f = setFlag(f, OF, of);
                break;
            }
            case 4: case 6: { // SHL/SAL
                res = cnt >= 64 ? 0 : (a << cnt) & m;
                boolean cf = cnt <= bits && ((a >>> (bits - cnt)) & 1) != 0;
                f = resultFlags(f, res, sz);
                f = setFlag(f, CF, cf);
                f = setFlag(f, OF, ((res & sign) != 0) ^ cf);
                break;
            }
            case 5: { // SHR
                res = cnt >= 64 ? 0 : a >>> cnt;
                boolean cf = cnt <= bits && ((a >>> (cnt - 1)) & 1) != 0;
                f = resultFlags(f, res, sz);
                f = setFlag(f, CF, cf);
                f = setFlag(f, OF, (a & sign) != 0);
                break;
            }
            default: { // SAR
                long sa = MulDiv.signExtend(a, sz);
                res = (sa >> Math.min(cnt, 63)) & m;
                boolean cf = ((sa >> Math.min(cnt - 1, 63)) & 1) != 0;
                f = resultFlags(f, res, sz);
                f = setFlag(f, CF, cf);
                f &= ~OF;
                break;
            }
        }
        if (i.mem) {
            c.write(ea, sz, res);
        } else {
            c.putReg(i.rm, sz, res);
        }
        c.flags.set(f);
    }

    public static void shld(Core c, Insn i, int rawCount) {
        int sz = i.osz;
        int bits = sz * 8;
        int cnt = rawCount & (sz == 8 ? 0x3f : 0x1f);
        if (cnt == 0) {
            zeroCountWrite(c, i, sz);
            return;
        }
        long ea = i.mem ? c.ea(i) : 0;
        long m = mask(sz);
        long a = (i.mem ? c.read(ea, sz) : c.getReg(i.rm, sz)) & m;
        long b = c.getReg(i.reg, sz) & m;
        long res;
        boolean cf;
        if (sz == 2 && cnt > 16) {
            // Undefined result for 16-bit counts above 16; hardware shifts the 48-bit a:b:a.
            long wide = (a << 32) | (b << 16) | a;
            res = (wide << cnt >>> 32) & m;
            cf = ((wide >>> (48 - cnt)) & 1) != 0;
        } else {
            res = cnt >= 64 ? b : ((a << cnt) | (cnt == bits ? b : b >>> (bits - cnt))) & m;
            cf = ((a >>> (bits - cnt)) & 1) != 0;
        }
        finishDoubleShift(c, i, ea, sz, a, res, cf);
    }

    public static void shrd(Core c, Insn i, int rawCount) {
        int sz = i.osz;
        int bits = sz * 8;
        int cnt = rawCount & (sz == 8 ? 0x3f : 0x1f);
        if (cnt == 0) {
            zeroCountWrite(c, i, sz);
            return;
        }
        long ea = i.mem ? c.ea(i) : 0;
        long m = mask(sz);
        long a = (i.mem ? c.read(ea, sz) : c.getReg(i.rm, sz)) & m;
        long b = c.getReg(i.reg, sz) & m;
        long res;
        boolean cf;
        if (sz == 2 && cnt > 16) {
            long wide = (b << 32) | (a << 16) | b;
            res = ((wide << 16 | a) >>> cnt) & m;
            cf = (((wide << 16 | a) >>> (cnt - 1)) & 1) != 0;
        } else {
            res = ((a >>> cnt) | (cnt == bits ? 0 : b << (bits - cnt))) & m;
            if (cnt == bits) {
                res = b;
            }
            cf = ((a >>> (cnt - 1)) & 1) != 0;
        }
        finishDoubleShift(c, i, ea, sz, a, res, cf);
    }

    /** SHLD/SHRD's common end: flags from the result (OF from the sign change) and the store. */
    private static void finishDoubleShift(Core c, Insn i, long ea, int sz, long a, long res, boolean cf) {
        long f = resultFlags(c.flags.get(), res, sz);
        f = setFlag(f, CF, cf);
        f = setFlag(f, OF, ((res ^ a) & LazyFlags.sign(sz)) != 0);
        if (i.mem) {
            c.write(ea, sz, res);
        } else {
            c.putReg(i.rm, sz, res);
        }
        c.flags.set(f);
    }
}
