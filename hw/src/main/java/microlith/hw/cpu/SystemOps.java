package microlith.hw.cpu;

import microlith.hw.cpu.decode.Insn;
import microlith.hw.mmu.Mmu;

/** SYSCALL/SYSRET, IRET, HLT, CLI/STI, MSRs, descriptor tables and segment registers. */
public final class SystemOps {
    private SystemOps() {
    }

    /*
     * STAR
     *  63        48 47        32 31                0
     * +------------+------------+------------------+
     * | SYSRET CS  | SYSCALL CS | 32-bit SYSCALL EIP|
     * +------------+------------+------------------+
     * SYSCALL: CS = STAR[47:32], SS = STAR[47:32] + 8
     * SYSRET (64-bit): CS = STAR[63:48] + 16 | 3, SS = STAR[63:48] + 8 | 3
     */

    public static void syscall(Core c) {
        if ((c.efer & Msr.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        c.perf.syscalls++;
        c.r[Cpu.RCX] = c.rip;
        long f = c.flags.get();
        c.r[Cpu.R11] = f & ~Flags.RF;
        c.flags.set((f & ~c.sfmask & ~Flags.RF) | Flags.FIXED1);
        int sel = (int) (c.star >>> 32) & 0xffff;
        c.cs = sel & 0xfffc;
        c.ss = (sel + 8) & 0xfffc;
        c.setCpl(0);
        c.rip = c.lstar;
    }

    /**
     * SYSRET. We follow Intel for a non-canonical RCX: #GP(0) raised at CPL 0 before any
     * state changes (AMD instead returns to CPL 3 and faults there). A 32-bit SYSRET
     * would enter compatibility mode, which this machine does not model: #GP(0).
     */
    public static void sysret(Core c, Insn i) {
        if ((c.efer & Msr.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
        if (i.osz != 8) {
            throw CpuException.gp(0);
        }
        long target = c.r[Cpu.RCX];
        if (!Mmu.canonical(target)) {
            throw CpuException.gp(0);
        }
        c.perf.sysrets++;
        int sel = (int) (c.star >>> 48) & 0xffff;
        c.cs = ((sel + 16) & 0xfffc) | 3;
        c.ss = ((sel + 8) & 0xfffc) | 3;
        c.flags.set((c.r[Cpu.R11] & Flags.WRITABLE & ~Flags.RF) | Flags.FIXED1);
        c.setCpl(3);
        c.rip = target;
        if ((c.flags.bits & Flags.IF) != 0) {
            c.eventPending = true;
        }
    }

    /**
     * IRETQ in 64-bit mode: pops RIP, CS, RFLAGS, RSP, SS. Returning to a more privileged
     * level raises #GP(selector); so does a CS that is not a present 64-bit code segment
     * whose DPL equals its RPL.
     */
    public static void iret(Core c, Insn i) {
        if (i.osz != 8) {
            throw CpuException.gp(0);
        }
        long sp = c.r[Cpu.RSP];
        long newRip = c.read64(sp);
        int newCs = (int) c.read64(sp + 8) & 0xffff;
        long newFlags = c.read64(sp + 16);
        long newRsp = c.read64(sp + 24);
        int newSs = (int) c.read64(sp + 32) & 0xffff;
        int rpl = newCs & 3;
        if (rpl < c.cpl) {
            throw CpuException.gp(newCs & 0xfffc);
        }
        long desc = c.descriptor(newCs);
        boolean code = (desc & (1L << 43)) != 0 && (desc & (1L << 44)) != 0;
        boolean present = (desc & (1L << 47)) != 0;
        boolean longMode = (desc & (1L << 53)) != 0;
        int dpl = (int) (desc >>> 45) & 3;
        if (!code || !longMode || dpl != rpl) {
            throw CpuException.gp(newCs & 0xfffc);
        }
        if (!present) {
            throw new CpuException(Vectors.NP, true, newCs & 0xfffc, 0);
        }
        if (!Mmu.canonical(newRip)) {
            throw CpuException.gp(0);
        }
        long old = c.flags.get();
        long writable = Flags.WRITABLE;
        if (c.cpl > 0) {
            writable &= ~Flags.IOPL;
            if (c.cpl > Flags.iopl(old)) {
                writable &= ~Flags.IF;
            }
        }
        c.flags.set((old & ~writable) | (newFlags & writable) | Flags.FIXED1);
        c.rip = newRip;
        c.cs = newCs;
        c.ss = newSs;
        c.r[Cpu.RSP] = newRsp;
        c.setCpl(rpl);
        c.eventPending = true;
    }

    public static void hlt(Core c) {
        c.requireCpl0();
        c.halted = true;
        c.eventPending = true;
    }

    private static boolean ioPrivileged(Core c) {
        return c.cpl <= Flags.iopl(c.flags.get());
    }

    public static void cli(Core c) {
        if (!ioPrivileged(c)) {
            throw CpuException.gp(0);
        }
        c.flags.bits &= ~Flags.IF;
    }

    public static void sti(Core c) {
        if (!ioPrivileged(c)) {
            throw CpuException.gp(0);
        }
        if ((c.flags.bits & Flags.IF) == 0) {
            c.flags.bits |= Flags.IF;
            // Interrupts are recognised only after the next instruction (so STI; HLT works).
            c.interruptShadow = true;
            c.eventPending = true;
        }
    }

    public static void rdmsr(Core c) {
        long v = c.rdmsr((int) c.r[Cpu.RCX]);
        c.r[Cpu.RAX] = v & 0xffffffffL;
        c.r[Cpu.RDX] = v >>> 32;
    }

    public static void wrmsr(Core c) {
        long v = (c.r[Cpu.RAX] & 0xffffffffL) | (c.r[Cpu.RDX] << 32);
        c.wrmsr((int) c.r[Cpu.RCX], v);
    }

    public static void rdtsc(Core c) {
        if ((c.cr4 & 4) != 0 && c.cpl != 0) {
            throw CpuException.gp(0);
        }
        long t = c.tsc();
        c.r[Cpu.RAX] = t & 0xffffffffL;
        c.r[Cpu.RDX] = t >>> 32;
    }

    public static void rdtscp(Core c) {
        rdtsc(c);
        c.r[Cpu.RCX] = 0;
    }

    public static void lgdt(Core c, Insn i) {
        c.requireCpl0();
        long ea = c.ea(i);
        c.lgdt(c.read64(ea + 2), c.read16(ea));
    }

    public static void lidt(Core c, Insn i) {
        c.requireCpl0();
        long ea = c.ea(i);
        c.lidt(c.read64(ea + 2), c.read16(ea));
    }

    // SGDT/SIDT are not privileged without UMIP, as on older hardware.
    public static void sgdt(Core c, Insn i) {
        long ea = c.ea(i);
        c.write16(ea, c.gdtLimit);
        c.write64(ea + 2, c.gdtBase);
    }

    public static void sidt(Core c, Insn i) {
        long ea = c.ea(i);
        c.write16(ea, c.idtLimit);
        c.write64(ea + 2, c.idtBase);
    }

    public static void lldt(Core c, Insn i) {
        c.requireCpl0();
        int sel = (int) c.readRm(i, 2);
        if ((sel & 0xfffc) != 0) {
            // No LDTs on this machine.
            throw CpuException.gp(sel & 0xfffc);
        }
    }

    public static void lmsw(Core c, Insn i) {
        c.requireCpl0();
        long v = c.readRm(i, 2) & 0xf;
        c.cr0 = (c.cr0 & ~0xeL) | v | (c.cr0 & 1);
    }

    public static long readSreg(Core c, int n) {
        switch (n) {
            case 1: return c.cs;
            case 2: return c.ss;
            case 0: case 3: case 4: case 5: return c.sreg[n];
            default: throw CpuException.ud();
        }
    }

    /**
     * MOV to DS/ES/FS/GS/SS. In 64-bit mode only the selector matters for DS/ES/SS; a
     * non-null selector must index a present descriptor whose DPL admits the CPL. Loading
     * FS or GS clears the hidden base, as on Intel.
     */
    public static void writeSreg(Core c, int n, int sel) {
        if (n == 1 || n > 5) {
            throw CpuException.ud();
        }
        if ((sel & 0xfffc) != 0) {
            long d = c.descriptor(sel);
            boolean present = (d & (1L << 47)) != 0;
            int dpl = (int) (d >>> 45) & 3;
            if (!present || dpl < Math.max(c.cpl, sel & 3)) {
                throw CpuException.gp(sel & 0xfffc);
            }
        } else if (n == 2 && c.cpl == 3) {
            throw CpuException.gp(0);
        }
        if (n == 2) {
            c.ss = sel;
            c.interruptShadow = true;
            c.eventPending = true;
        } else {
            c.sreg[n] = sel;
            if (n == 4) {
                c.fsBase = 0;
            } else if (n == 5) {
                c.gsBase = 0;
            }
        }
    }
}
