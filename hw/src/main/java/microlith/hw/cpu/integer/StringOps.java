package microlith.hw.cpu.integer;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.decode.Insn;

/**
 * MOVS, STOS, LODS, CMPS, SCAS, INS and OUTS with REP/REPE/REPNE. A repeated string
 * instruction runs to completion within one step; if an element faults, RSI/RDI/RCX
 * already describe the remaining work, so restarting the instruction continues it, as
 * on hardware.
 */
public final class StringOps {
    private StringOps() {
    }

    private static long step(Core c, int size) {
        return (c.flags.bits & Flags.DF) != 0 ? -size : size;
    }

    private static long count(Core c, Insn i) {
        return i.asz == 4 ? c.r[Cpu.RCX] & 0xffffffffL : c.r[Cpu.RCX];
    }

    private static void advance(Core c, Insn i, int reg, long delta) {
        if (i.asz == 4) {
            c.r[reg] = (c.r[reg] + delta) & 0xffffffffL;
        } else {
            c.r[reg] += delta;
        }
    }

    private static long src(Core c, Insn i) {
        long a = i.asz == 4 ? c.r[Cpu.RSI] & 0xffffffffL : c.r[Cpu.RSI];
        if (i.seg >= 0) {
            a += i.seg == 4 ? c.fsBase : c.gsBase;
        }
        return a;
    }

    private static long dst(Core c, Insn i) {
        return i.asz == 4 ? c.r[Cpu.RDI] & 0xffffffffL : c.r[Cpu.RDI];
    }

    public static void movs(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        if (i.rep == 0) {
            c.write(dst(c, i), sz, c.read(src(c, i), sz));
            advance(c, i, Cpu.RSI, d);
            advance(c, i, Cpu.RDI, d);
            return;
        }
        for (long n = count(c, i); n != 0; n--) {
            c.write(dst(c, i), sz, c.read(src(c, i), sz));
            advance(c, i, Cpu.RSI, d);
            advance(c, i, Cpu.RDI, d);
            advance(c, i, Cpu.RCX, -1);
        }
    }

    public static void stos(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        long v = c.getReg(Cpu.RAX, sz);
        if (i.rep == 0) {
            c.write(dst(c, i), sz, v);
            advance(c, i, Cpu.RDI, d);
            return;
        }
        for (long n = count(c, i); n != 0; n--) {
            c.write(dst(c, i), sz, v);
            advance(c, i, Cpu.RDI, d);
            advance(c, i, Cpu.RCX, -1);
        }
    }

    public static void lods(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        if (i.rep == 0) {
            c.putReg(Cpu.RAX, sz, c.read(src(c, i), sz));
            advance(c, i, Cpu.RSI, d);
            return;
        }
        for (long n = count(c, i); n != 0; n--) {
            c.putReg(Cpu.RAX, sz, c.read(src(c, i), sz));
            advance(c, i, Cpu.RSI, d);
            advance(c, i, Cpu.RCX, -1);
        }
    }

    public static void cmps(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        if (i.rep == 0) {
            long a = c.read(src(c, i), sz);
            long b = c.read(dst(c, i), sz);
            IntOps.alu(c, 7, a, b, sz);
            advance(c, i, Cpu.RSI, d);
            advance(c, i, Cpu.RDI, d);
            return;
        }
        for (long n = count(c, i); n != 0; n--) {
            long a = c.read(src(c, i), sz);
            long b = c.read(dst(c, i), sz);
            IntOps.alu(c, 7, a, b, sz);
            advance(c, i, Cpu.RSI, d);
            advance(c, i, Cpu.RDI, d);
            advance(c, i, Cpu.RCX, -1);
            if (c.flags.zf() != (i.rep == 1)) {
                return;
            }
        }
    }

    public static void scas(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        long acc = c.getReg(Cpu.RAX, sz);
        if (i.rep == 0) {
            IntOps.alu(c, 7, acc, c.read(dst(c, i), sz), sz);
            advance(c, i, Cpu.RDI, d);
            return;
        }
        for (long n = count(c, i); n != 0; n--) {
            IntOps.alu(c, 7, acc, c.read(dst(c, i), sz), sz);
            advance(c, i, Cpu.RDI, d);
            advance(c, i, Cpu.RCX, -1);
            if (c.flags.zf() != (i.rep == 1)) {
                return;
            }
        }
    }

    public static void ins(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        int port = (int) c.r[Cpu.RDX] & 0xffff;
        long n = i.rep == 0 ? 1 : count(c, i);
        for (; n != 0; n--) {
            c.checkIoPermission(port, sz);
            long v = c.in(port, sz);
            c.write(dst(c, i), sz, v);
            advance(c, i, Cpu.RDI, d);
            if (i.rep != 0) {
                advance(c, i, Cpu.RCX, -1);
            }
        }
    }

    public static void outs(Core c, Insn i) {
        int sz = i.osz;
        long d = step(c, sz);
        int port = (int) c.r[Cpu.RDX] & 0xffff;
        long n = i.rep == 0 ? 1 : count(c, i);
        for (; n != 0; n--) {
            c.checkIoPermission(port, sz);
            long v = c.read(src(c, i), sz);
            c.out(port, sz, (int) v);
            advance(c, i, Cpu.RSI, d);
            if (i.rep != 0) {
                advance(c, i, Cpu.RCX, -1);
            }
        }
    }
}
