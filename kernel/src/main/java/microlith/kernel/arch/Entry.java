package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Msr;
import microlith.hw.mmu.Mmu;
import microlith.kernel.Kernel;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;

/**
 * Kernel entry and exit: the SYSCALL path, the common exception/interrupt path and the
 * return to user mode (Linux's arch/x86/entry/entry_64.S, with the C parts in Java).
 *
 * <pre>
 * entry_SYSCALL_64:
 *     swapgs
 *     KCALL syscall_enter        ; build pt_regs, switch to the task's kernel stack,
 *                                ; RDI = &pt_regs, RAX = table index (bounds-checked)
 *     call [sys_call_table + rax*8]
 *     KCALL syscall_exit         ; store the result, pick the task to run, load its registers
 * entry_SYSRETQ:                 ; fast exit when returning from a syscall to its caller
 *     swapgs
 *     sysretq
 * ret_to_user_iret:              ; every other return to user mode
 *     swapgs
 *     iretq
 * ret_to_kernel_iret:            ; an interrupt taken in the idle loop, nothing to run
 *     iretq
 * cpu_idle:
 *     sti
 *     hlt
 *     jmp cpu_idle
 * panic_halt:
 *     cli
 *     hlt
 *     jmp panic_halt
 * </pre>
 *
 * Kernel work runs to completion in each Java routine; a task that must wait is left
 * asleep with its pt_regs rewound to re-execute the SYSCALL when woken, so no host
 * stack ever holds a waiting task.
 */
public final class Entry {
    private final Kernel k;
    private long tableDisp;
    private long sysretStub;
    private long iretUserStub;
    private long iretKernelStub;
    private long idleLoop;
    private long idleEnd;
    private long panicHalt;

    public Entry(Kernel k) {
        this.k = k;
    }

    public long tableDisplacementAt() {
        return tableDisp;
    }

    public void build(KernelText t) {
        t.label("entry_SYSCALL_64");
        t.swapgs().kcall("syscall_enter", this::syscallEnter);
        tableDisp = t.callTableRax();
        t.kcall("syscall_exit", this::syscallExit);
        sysretStub = t.label("entry_SYSRETQ");
        t.swapgs().sysretq();
        iretUserStub = t.label("ret_to_user_iret");
        t.swapgs().iretq();
        iretKernelStub = t.label("ret_to_kernel_iret");
        t.iretq();
        idleLoop = t.label("cpu_idle");
        t.sti().hlt().jmp(idleLoop);
        idleEnd = t.here();
        panicHalt = t.label("panic_halt");
        t.cli().hlt().jmp(panicHalt);
    }

    /**
     * Runs KCALL routine id. A kernel panic unwinds to panic_halt; a Java failure inside
     * the kernel is reported as an oops and also halts. CPU exceptions (a kernel page
     * fault, say) are not caught: they go back to the CPU and through the IDT.
     */
    public void dispatch(int id, Cpu cpu) {
        try {
            k.callRoutine(id, cpu);
        } catch (CpuException e) {
            throw e;
        } catch (Kernel.PanicException e) {
            cpu.setRip(panicHalt);
        } catch (RuntimeException | Error e) {
            if (k.log != null) {
                k.log.emerg("BUG: kernel Java routine failed: %s", e);
                if (Boolean.getBoolean("microlith.debug")) {
                    for (StackTraceElement s : e.getStackTrace()) {
                        k.log.emerg("    at %s", s);
                    }
                }
                k.log.emerg("Kernel panic - not syncing: Fatal exception");
            }
            cpu.setRip(panicHalt);
        }
    }

    private void syscallEnter(Cpu cpu) {
        Task t = k.sched.current();
        t.parkedInSyscall = false;
        t.parkedNoRestart = false;
        long regs = t.ptRegs();
        cpu.write64(regs + PtRegs.SS, Segments.USER_DS);
        cpu.write64(regs + PtRegs.RSP, cpu.reg(Cpu.RSP));
        cpu.write64(regs + PtRegs.RFLAGS, cpu.reg(Cpu.R11));
        cpu.write64(regs + PtRegs.CS, Segments.USER_CS);
        cpu.write64(regs + PtRegs.RIP, cpu.reg(Cpu.RCX));
        long nr = cpu.reg(Cpu.RAX);
        cpu.write64(regs + PtRegs.ORIG_RAX, nr);
        PtRegs.saveGprs(cpu, regs);
        cpu.write64(regs + PtRegs.RAX, -Errno.ENOSYS);
        cpu.setReg(Cpu.RSP, regs);
        cpu.setReg(Cpu.RDI, regs);
        int slots = k.syscalls.size();
        // Out-of-range numbers use the last slot, sys_ni_syscall (array_index_nospec's job).
        cpu.setReg(Cpu.RAX, Long.compareUnsigned(nr, slots - 1) < 0 ? nr : slots - 1);
    }

    private void syscallExit(Cpu cpu) {
        Task t = k.sched.current();
        long ret = cpu.reg(Cpu.RAX);
        if (t != null && t.state == Task.State.RUNNABLE && ret != -Errno.ERESTARTSYS) {
            cpu.write64(t.ptRegs() + PtRegs.RAX, ret);
        } else if (t != null && (t.state == Task.State.SLEEPING || t.state == Task.State.RUNNABLE)) {
            // Parked, or -ERESTARTSYS with a signal pending (a background read of the
            // terminal): re-execute the SYSCALL instruction (2 bytes) when woken or after
            // the signal, unless a handler without SA_RESTART makes it fail with EINTR.
            t.parkedInSyscall = true;
            long regs = t.ptRegs();
            cpu.write64(regs + PtRegs.RIP, cpu.read64(regs + PtRegs.RIP) - 2);
            cpu.write64(regs + PtRegs.RAX, cpu.read64(regs + PtRegs.ORIG_RAX));
        }
        exitToUser(cpu, t);
    }

    /**
     * Common exception and interrupt entry. The CPU has pushed SS, RSP, RFLAGS, CS, RIP
     * and maybe an error code; completing pt_regs around that frame makes the interrupted
     * context a task's saved state.
     */
    void exceptionEntry(Cpu cpu, int vector, boolean hasError) {
        long sp = cpu.reg(Cpu.RSP);
        if (!hasError) {
            sp -= 8;
            cpu.write64(sp, -1);
        }
        long regs = sp - PtRegs.ORIG_RAX;
        long cs = cpu.read64(regs + PtRegs.CS);
        boolean fromUser = (cs & 3) == 3;
        if (fromUser) {
            cpu.swapgs();
        }
        PtRegs.saveGprs(cpu, regs);
        cpu.setReg(Cpu.RSP, regs);
        if (vector >= Traps.IRQ_BASE && vector < Traps.IRQ_BASE + 16) {
            k.traps.irq(cpu, vector - Traps.IRQ_BASE);
        } else if (fromUser) {
            k.traps.userException(cpu, k.sched.current(), vector, cpu.read64(regs + PtRegs.ORIG_RAX), regs);
        } else {
            k.traps.kernelException(cpu, vector, cpu.read64(regs + PtRegs.ORIG_RAX), regs);
        }
        boolean irq = vector >= Traps.IRQ_BASE && vector < Traps.IRQ_BASE + 16;
        if (fromUser && k.needResched) {
            // The tick ended the running task's slice: round robin to the next one.
            k.needResched = false;
            k.sched.yieldCurrent();
        }
        if (fromUser || !irq) {
            // Back to user mode; after a kernel oops that killed the task, to another task.
            exitToUser(cpu, null);
            return;
        }
        long rip = cpu.read64(regs + PtRegs.RIP);
        boolean inIdle = Long.compareUnsigned(rip, idleLoop) >= 0 && Long.compareUnsigned(rip, idleEnd) < 0;
        if (inIdle && k.sched.pickNext() != null) {
            exitToUser(cpu, null);
            return;
        }
        PtRegs.restoreGprs(cpu, regs);
        cpu.setReg(Cpu.RSP, regs + PtRegs.RIP);
        cpu.setRip(iretKernelStub);
    }

    /**
     * Returns to user mode in whichever task should run next: SYSRET when going back to
     * the task that made the syscall and its state allows it, IRET otherwise. With no
     * task to run, idles; with no task left alive, powers off.
     */
    public void exitToUser(Cpu cpu, Task syscallCaller) {
        if (k.initExited()) {
            // Init is gone: the session is over, whatever else still runs.
            k.powerOff(k.initStatus());
            cpu.setRip(panicHalt);
            return;
        }
        Task next = k.sched.pickNext();
        if (next == null) {
            k.sched.setCurrent(null);
            k.setTimerMasked(!k.sched.anyTimedSleepers() && (k.timers == null || !k.timers.anyPending()));
            cpu.setReg(Cpu.RSP, k.idleStackTop);
            cpu.setRip(idleLoop);
            return;
        }
        k.setTimerMasked(false);
        switchTo(cpu, next);
        if (next.pending != 0 && !k.signals.deliver(cpu, next)) {
            // The signal's default action ended the task: run someone else.
            exitToUser(cpu, null);
            return;
        }
        long regs = next.ptRegs();
        PtRegs.restoreGprs(cpu, regs);
        long rip = cpu.read64(regs + PtRegs.RIP);
        long rflags = cpu.read64(regs + PtRegs.RFLAGS);
        // SYSRET needs a canonical RIP (Intel faults in ring 0 otherwise) and restores
        // RCX/R11 from RIP/RFLAGS, so it is only used where those match.
        boolean sysretOk = next == syscallCaller && Mmu.canonical(rip)
            && cpu.read64(regs + PtRegs.RCX) == rip && cpu.read64(regs + PtRegs.R11) == rflags
            && (rflags & (microlith.hw.cpu.Flags.RF | microlith.hw.cpu.Flags.TF)) == 0;
        if (sysretOk) {
            cpu.setReg(Cpu.RCX, rip);
            cpu.setReg(Cpu.R11, rflags);
            cpu.setReg(Cpu.RSP, cpu.read64(regs + PtRegs.RSP));
            cpu.setRip(sysretStub);
        } else {
            cpu.setReg(Cpu.RSP, regs + PtRegs.RIP);
            cpu.setRip(iretUserStub);
        }
    }

    /** Makes next the running task: address space, kernel stack in the TSS, FS base. */
    private void switchTo(Cpu cpu, Task next) {
        Task prev = k.sched.current();
        if (prev == next && cpu.cr3() == next.mm.pml4) {
            return;
        }
        if (prev != null && prev != next && prev.state != Task.State.ZOMBIE) {
            prev.fsBase = cpu.rdmsr(Msr.FS_BASE);
        }
        k.sched.setCurrent(next);
        switchFpu(cpu, next);
        if (cpu.cr3() != next.mm.pml4) {
            cpu.writeCr(3, next.mm.pml4);
        }
        Segments.setRsp0(cpu, k.tss, next.kstackTop());
        cpu.wrmsr(Msr.FS_BASE, next.fsBase);
        if (prev != next) {
            cpu.perf.contextSwitches++;
        }
    }

    /** The task whose x87/SSE state is in the CPU's registers. */
    private Task fpuOwner;

    /**
     * x87/SSE state is per task: FXSAVE the owner's registers into its save area and
     * FXRSTOR the next task's, at the bottom of each task's kernel stack.
     */
    private void switchFpu(Cpu cpu, Task next) {
        if (fpuOwner == next) {
            return;
        }
        if (fpuOwner != null && fpuOwner.state != Task.State.ZOMBIE) {
            microlith.hw.cpu.FpuState.save(cpu, fpuOwner.fpuArea());
        }
        microlith.hw.cpu.FpuState.restore(cpu, next.fpuArea());
        fpuOwner = next;
    }

    /** A fresh x87/SSE state (after execve or for a new init) for t, which must be current. */
    public void resetFpu(Cpu cpu, Task t) {
        microlith.hw.cpu.FpuState.reset(cpu);
        microlith.hw.cpu.FpuState.save(cpu, t.fpuArea());
        fpuOwner = t;
    }

    /** fork: the child starts with the parent's (current) register state. */
    public void copyFpu(Cpu cpu, Task parent, Task child) {
        if (fpuOwner == parent) {
            microlith.hw.cpu.FpuState.save(cpu, child.fpuArea());
        } else {
            for (int off = 0; off < microlith.hw.cpu.FpuState.AREA_BYTES; off += 8) {
                cpu.write64(child.fpuArea() + off, cpu.read64(parent.fpuArea() + off));
            }
        }
    }

    public long panicHalt() {
        return panicHalt;
    }
}
