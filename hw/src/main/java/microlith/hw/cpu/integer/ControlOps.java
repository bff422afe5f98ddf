package microlith.hw.cpu.integer;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.decode.Insn;

/** Calls, stack frames, loops and the flags register. */
public final class ControlOps {
    private ControlOps() {
    }

    public static void callRm(Core c, Insn i) {
        long target = c.readRm(i, 8);
        c.push(c.rip, 8);
        c.rip = target;
    }

    public static void leave(Core c, Insn i) {
        long bp = c.r[Cpu.RBP];
        long v = c.read(bp, i.osz);
        c.r[Cpu.RSP] = bp + i.osz;
        c.putReg(Cpu.RBP, i.osz, v);
    }

    public static void enter(Core c, Insn i) {
        int size = (int) i.imm;
        int level = (int) i.imm2 & 31;
        long bp = c.r[Cpu.RBP];
        c.push(bp, 8);
        long frame = c.r[Cpu.RSP];
        for (int k = 1; k < level; k++) {
            bp -= 8;
            c.push(c.read64(bp), 8);
        }
        if (level > 0) {
            c.push(frame, 8);
        }
        c.r[Cpu.RBP] = frame;
        c.r[Cpu.RSP] -= size;
    }

    public static void loop(Core c, Insn i) {
        long cx = i.asz == 4 ? (c.r[Cpu.RCX] - 1) & 0xffffffffL : c.r[Cpu.RCX] - 1;
        c.putReg(Cpu.RCX, i.asz, cx);
        boolean take = cx != 0;
        if (i.sub == 0) {
            take &= !c.flags.zf();
        } else if (i.sub == 1) {
            take &= c.flags.zf();
        }
        if (take) {
            c.rip += i.imm;
        }
    }

    public static void jrcxz(Core c, Insn i) {
        long cx = i.asz == 4 ? c.r[Cpu.RCX] & 0xffffffffL : c.r[Cpu.RCX];
        if (cx == 0) {
            c.rip += i.imm;
        }
    }

    public static void pushf(Core c, Insn i) {
        // RF and VM are never pushed.
        c.push(c.flags.get() & ~(Flags.RF | (1L << 17)), i.osz);
    }

    /**
     * POPF: at CPL 3 IOPL is kept, and IF is kept unless CPL &lt;= IOPL (APM vol. 3, POPF);
     * no fault either way.
     */
    public static void popf(Core c, Insn i) {
        long v = c.pop(i.osz);
        long old = c.flags.get();
        long writable = Flags.WRITABLE & ~Flags.RF;
        if (c.cpl > 0) {
            writable &= ~Flags.IOPL;
            if (c.cpl > Flags.iopl(old)) {
                writable &= ~Flags.IF;
            }
        }
        if (i.osz == 2) {
            writable &= 0xffff;
        }
        long f = (old & ~writable) | (v & writable) | Flags.FIXED1;
        c.flags.set(f);
        if ((f & Flags.IF) != 0 && (old & Flags.IF) == 0) {
            c.eventPending = true;
        }
    }
}
