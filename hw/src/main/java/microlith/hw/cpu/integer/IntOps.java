package microlith.hw.cpu.integer;

import static microlith.hw.cpu.LazyFlags.mask;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.Insn;

/** Integer moves and ALU operations. */
public final class IntOps {
    private IntOps() {
    }

    /** ALU kinds in opcode order: ADD OR ADC SBB AND SUB XOR CMP. */
    public static long alu(Core c, int kind, long a, long b, int size) {
        boolean cin = carryIn(c, kind);
        long res = aluResult(kind, a, b, cin);
        recordAlu(c.flags, kind, a, b, res, size, cin);
        return res;
    }

    /** The carry an ALU kind consumes: CF for ADC and SBB, nothing for the others. */
    static boolean carryIn(Core c, int kind) {
        return (kind == 2 || kind == 3) && c.flags.cf();
    }

    static long aluResult(int kind, long a, long b, boolean cin) {
        switch (kind) {
            case 0: return a + b;
            case 1: return a | b;
            case 2: return a + b + (cin ? 1 : 0);
            case 3: return a - b - (cin ? 1 : 0);
            case 4: return a & b;
            case 5: case 7: return a - b;
            default: return a ^ b;
        }
    }

    static void recordAlu(LazyFlags f, int kind, long a, long b, long res, int size, boolean cin) {
        switch (kind) {
            case 0: f.record(LazyFlags.ADD, a, b, res, size); return;
            case 2: f.carry = cin; f.record(LazyFlags.ADC, a, b, res, size); return;
            case 3: f.carry = cin; f.record(LazyFlags.SBB, a, b, res, size); return;
            case 5: case 7: f.record(LazyFlags.SUB, a, b, res, size); return;
            default: f.record(LazyFlags.LOGIC, a, b, res, size);
        }
    }

    /**
     * An ALU operation on memory: the store comes before the flags, so that a store that
     * faults (a copy-on-write page) leaves RFLAGS as they were, as on hardware, and the
     * restarted instruction sees the carry it started with.
     */
    private static void aluMem(Core c, int kind, long ea, long b, int sz) {
        long a = c.read(ea, sz);
        boolean cin = carryIn(c, kind);
        long res = aluResult(kind, a, b, cin);
        if (kind != 7) {
            c.write(ea, sz, res);
        }
        recordAlu(c.flags, kind, a, b, res, sz, cin);
    }

    /** Register-register ALU in the specialized layout: dst in reg, src in rm. */
    public static void aluRR(Core c, Insn i) {
        long res = alu(c, i.sub, c.getReg(i.reg, i.osz), c.getReg(i.rm, i.osz), i.osz);
        if (i.sub != 7) {
            c.putReg(i.reg, i.osz, res);
        }
    }

    /** Register-immediate ALU in the specialized layout: dst in reg. */
    public static void aluRI(Core c, Insn i) {
        long res = alu(c, i.sub, c.getReg(i.reg, i.osz), i.imm & mask(i.osz), i.osz);
        if (i.sub != 7) {
            c.putReg(i.reg, i.osz, res);
        }
    }

    public static void movRRm(Core c, Insn i) {
        c.putReg(i.reg, i.osz, c.readRm(i, i.osz));
    }

    public static void movRmR(Core c, Insn i) {
        c.writeRm(i, i.osz, c.getReg(i.reg, i.osz));
    }

    public static void aluRmR(Core c, Insn i) {
        int sz = i.osz;
        if (i.mem) {
            aluMem(c, i.sub, c.ea(i), c.getReg(i.reg, sz), sz);
        } else {
            long res = alu(c, i.sub, c.getReg(i.rm, sz), c.getReg(i.reg, sz), sz);
            if (i.sub != 7) {
                c.putReg(i.rm, sz, res);
            }
        }
    }

    public static void aluRRm(Core c, Insn i) {
        int sz = i.osz;
        long res = alu(c, i.sub, c.getReg(i.reg, sz), c.readRm(i, sz), sz);
        if (i.sub != 7) {
            c.putReg(i.reg, sz, res);
        }
    }

    public static void aluRmI(Core c, Insn i) {
        int sz = i.osz;
        long imm = i.imm & mask(sz);
        if (i.mem) {
            aluMem(c, i.sub, c.ea(i), imm, sz);
        } else {
            long res = alu(c, i.sub, c.getReg(i.rm, sz), imm, sz);
            if (i.sub != 7) {
                c.putReg(i.rm, sz, res);
            }
        }
    }

    public static void testRmR(Core c, Insn i) {
        long v = c.readRm(i, i.osz) & c.getReg(i.reg, i.osz);
        c.flags.record(LazyFlags.LOGIC, 0, 0, v, i.osz);
    }

    public static void testRmI(Core c, Insn i) {
        long v = c.readRm(i, i.osz) & i.imm & mask(i.osz);
        c.flags.record(LazyFlags.LOGIC, 0, 0, v, i.osz);
    }

    public static void lea(Core c, Insn i) {
        long a = i.disp;
        if (i.ripRel) {
            a += c.rip;
        } else if (i.base >= 0) {
            a += c.r[i.base];
        }
        if (i.index >= 0) {
            a += c.r[i.index] << i.scale;
        }
        if (i.asz == 4) {
            a &= 0xffffffffL;
        }
        c.putReg(i.reg, i.osz, a);
    }

    public static void movzx(Core c, Insn i) {
        c.putReg(i.reg, i.osz, c.readRm(i, i.sub));
    }

    public static void movsx(Core c, Insn i) {
        long v = c.readRm(i, i.sub);
        v = i.sub == 1 ? (byte) v : (short) v;
        c.putReg(i.reg, i.osz, v);
    }

    public static void movsxd(Core c, Insn i) {
        long v = c.readRm(i, 4);
        c.putReg(i.reg, i.osz, i.osz == 8 ? (int) v : v);
    }

    public static void xchg(Core c, Insn i) {
        int sz = i.osz;
        if (i.mem) {
            long ea = c.ea(i);
            long m = c.read(ea, sz);
            c.write(ea, sz, c.getReg(i.reg, sz));
            c.putReg(i.reg, sz, m);
        } else {
            long a = c.getReg(i.rm, sz);
            c.putReg(i.rm, sz, c.getReg(i.reg, sz));
            c.putReg(i.reg, sz, a);
        }
    }

    public static void xchgAx(Core c, Insn i) {
        long a = c.getReg(Cpu.RAX, i.osz);
        c.putReg(Cpu.RAX, i.osz, c.getReg(i.reg, i.osz));
        c.putReg(i.reg, i.osz, a);
    }

    public static void popR(Core c, Insn i) {
        long v = c.pop(i.osz);
        c.putReg(i.reg, i.osz, v);
    }

    public static void popRm(Core c, Insn i) {
        // POP r/m computes a memory address with RSP already incremented (APM vol. 3, POP).
        long sp = c.r[Cpu.RSP];
        long v = c.read(sp, i.osz);
        c.r[Cpu.RSP] = sp + i.osz;
        try {
            c.writeRm(i, i.osz, v);
        } catch (CpuException e) {
            c.r[Cpu.RSP] = sp;
            throw e;
        }
    }

    public static void incDec(Core c, Insn i, boolean inc) {
        int sz = i.osz;
        LazyFlags f = c.flags;
        if (i.mem) {
            long ea = c.ea(i);
            long v = c.read(ea, sz);
            long res = inc ? v + 1 : v - 1;
            c.write(ea, sz, res);
            boolean cf = f.cf();
            f.carry = cf;
            f.record(inc ? LazyFlags.INC : LazyFlags.DEC, v, 1, res, sz);
        } else {
            long v = c.getReg(i.rm, sz);
            long res = inc ? v + 1 : v - 1;
            c.putReg(i.rm, sz, res);
            boolean cf = f.cf();
            f.carry = cf;
            f.record(inc ? LazyFlags.INC : LazyFlags.DEC, v, 1, res, sz);
        }
    }

    public static void neg(Core c, Insn i) {
        int sz = i.osz;
        long v = c.readRm(i, sz);
        long res = -v;
        c.writeRm(i, sz, res);
        c.flags.record(LazyFlags.SUB, 0, v, res, sz);
    }

    public static void cmov(Core c, Insn i) {
        long v = c.readRm(i, i.osz);
        if (c.flags.cond(i.sub)) {
            c.putReg(i.reg, i.osz, v);
        } else if (i.osz == 4) {
            // A 32-bit CMOV zero-extends its destination even when the condition is false.
            c.r[i.reg] &= 0xffffffffL;
        }
    }

    public static void cbw(Core c, Insn i) {
        long a = c.r[Cpu.RAX];
        switch (i.osz) {
            case 2: c.putReg(Cpu.RAX, 2, (byte) a); return;
            case 4: c.putReg(Cpu.RAX, 4, (short) a); return;
            default: c.r[Cpu.RAX] = (int) a;
        }
    }

    public static void cwd(Core c, Insn i) {
        long a = c.r[Cpu.RAX];
        switch (i.osz) {
            case 2: c.putReg(Cpu.RDX, 2, ((short) a) >> 15); return;
            case 4: c.putReg(Cpu.RDX, 4, ((int) a) >> 31); return;
            default: c.r[Cpu.RDX] = a >> 63;
        }
    }

    public static void sahf(Core c) {
        c.flags.materialize();
        long ah = (c.r[Cpu.RAX] >>> 8) & 0xff;
        long keep = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;
        c.flags.bits = (c.flags.bits & ~keep) | (ah & keep);
    }

    public static void lahf(Core c) {
        long f = (c.flags.get() & 0xd5) | Flags.FIXED1;
        c.putReg(16, 1, f);
    }

    public static void cmpxchg(Core c, Insn i) {
        int sz = i.osz;
        long acc = c.getReg(Cpu.RAX, sz);
        if (i.mem) {
            long ea = c.ea(i);
            long m = c.read(ea, sz);
            // The destination is written back even on failure (the bus sees a write);
            // flags and RAX change only once the write succeeded.
            c.write(ea, sz, acc == m ? c.getReg(i.reg, sz) : m);
            alu(c, 7, acc, m, sz);
            if (acc != m) {
                c.putReg(Cpu.RAX, sz, m);
            }
        } else {
            long m = c.getReg(i.rm, sz);
            alu(c, 7, acc, m, sz);
            if (acc == m) {
                c.putReg(i.rm, sz, c.getReg(i.reg, sz));
            } else {
                c.putReg(Cpu.RAX, sz, m);
            }
        }
    }

    public static void xadd(Core c, Insn i) {
        int sz = i.osz;
        long src = c.getReg(i.reg, sz);
        if (i.mem) {
            long ea = c.ea(i);
            long d = c.read(ea, sz);
            long sum = d + src;
            c.write(ea, sz, sum);
            alu(c, 0, d, src, sz);
            c.putReg(i.reg, sz, d);
        } else {
            long d = c.getReg(i.rm, sz);
            long sum = alu(c, 0, d, src, sz);
            c.putReg(i.reg, sz, d);
            c.putReg(i.rm, sz, sum);
        }
    }

    public static void cmpxchg16b(Core c, Insn i) {
        long ea = c.ea(i);
        c.flags.materialize();
        if (i.osz == 16) {
            if ((ea & 15) != 0) {
                throw CpuException.gp(0);
            }
            long lo = c.read64(ea);
            long hi = c.read64(ea + 8);
            if (lo == c.r[Cpu.RAX] && hi == c.r[Cpu.RDX]) {
                c.write64(ea, c.r[Cpu.RBX]);
                c.write64(ea + 8, c.r[Cpu.RCX]);
                c.flags.bits |= Flags.ZF;
            } else {
                c.write64(ea, lo);
                c.write64(ea + 8, hi);
                c.r[Cpu.RAX] = lo;
                c.r[Cpu.RDX] = hi;
                c.flags.bits &= ~Flags.ZF;
            }
        } else {
            long m = c.read64(ea);
            long cmp = (c.r[Cpu.RAX] & 0xffffffffL) | c.r[Cpu.RDX] << 32;
            if (m == cmp) {
                c.write64(ea, (c.r[Cpu.RBX] & 0xffffffffL) | c.r[Cpu.RCX] << 32);
                c.flags.bits |= Flags.ZF;
            } else {
                c.write64(ea, m);
                c.r[Cpu.RAX] = m & 0xffffffffL;
                c.r[Cpu.RDX] = m >>> 32;
                c.flags.bits &= ~Flags.ZF;
            }
        }
    }

    private static long moffs(Core c, Insn i) {
        long a = i.imm;
        if (i.asz == 4) {
            a &= 0xffffffffL;
        }
        if (i.seg >= 0) {
            a += i.seg == 4 ? c.fsBase : c.gsBase;
        }
        return a;
    }

    public static void moffsLoad(Core c, Insn i) {
        c.putReg(Cpu.RAX, i.osz, c.read(moffs(c, i), i.osz));
    }

    public static void moffsStore(Core c, Insn i) {
        c.write(moffs(c, i), i.osz, c.getReg(Cpu.RAX, i.osz));
    }
}
