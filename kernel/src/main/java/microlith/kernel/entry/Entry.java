package microlith.kernel.entry;

import microlith.hw.CostModel;
import microlith.hw.PerfCounters;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.mmu.Mmu;
import microlith.kernel.arch.KernelText;
import microlith.kernel.arch.Pic;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.log.Panic;
import microlith.kernel.log.Printk;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.proc.SignalDelivery;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.kernel.time.Timers;
import microlith.module.api.Errno;
import microlith.server.abi.Ipc;

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
    /** What the entry path works with once the kernel is running (set by start_kernel). */
    public record Runtime(Printk log, Scheduler sched, ContextSwitch switcher, ProcessManager process, Traps traps,
                          Pic pic, Timers timers, int syscallSlots, long idleStackTop, Runnable powerOff,
                          KernelText text) {
    }

    /** Work done on the way back to user mode in a task (IPC deliveries to a server, say). */
    public interface ResumeHook {
        /** Called after next became the running task and before its registers are loaded. */
        void resume(Task next);
    }

    private Runtime rt;
    private ResumeHook resumeHook = t -> { };
    private long tableDisp;
    private long sysretStub;
    private long iretUserStub;
    private long iretKernelStub;
    private long idleLoop;
    private long idleEnd;
    private long panicHalt;
    private boolean timerMasked;

    public void attach(Runtime runtime) {
        this.rt = runtime;
    }

    public void setResumeHook(ResumeHook hook) {
        this.resumeHook = hook;
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
    public void dispatch(KernelText text, int id, Cpu cpu) {
        try {
            text.call(id, cpu);
        } catch (CpuException e) {
            throw e;
        } catch (Panic e) {
            cpu.setRip(panicHalt);
        } catch (RuntimeException | Error e) {
            Printk log = rt == null ? null : rt.log();
            if (log != null) {
                log.emerg("BUG: kernel Java routine failed: %s", e);
                if (Boolean.getBoolean("microlith.debug")) {
                    for (StackTraceElement s : e.getStackTrace()) {
                        log.emerg("    at %s", s);
                    }
                }
                log.emerg("Kernel panic - not syncing: Fatal exception");
            }
            cpu.setRip(panicHalt);
        }
    }

    private void syscallEnter(Cpu cpu) {
        Task t = rt.sched().current();
        t.parkedInSyscall = false;
        t.parkedNoRestart = false;
        t.onInterrupt = null;
        long regs = t.ptRegs();
        cpu.write64(regs + PtRegs.SS, microlith.kernel.arch.Segments.USER_DS);
        cpu.write64(regs + PtRegs.RSP, cpu.reg(Cpu.RSP));
        cpu.write64(regs + PtRegs.RFLAGS, cpu.reg(Cpu.R11));
        cpu.write64(regs + PtRegs.CS, microlith.kernel.arch.Segments.USER_CS);
        cpu.write64(regs + PtRegs.RIP, cpu.reg(Cpu.RCX));
        long nr = cpu.reg(Cpu.RAX);
        // A server's own IPC system calls are the IPC path's cycles; anything else the core's.
        boolean ipc = t.server && (nr == Ipc.SYS_IPC_REPLY_RECV || nr == Ipc.SYS_IPC_CALL);
        cpu.perf.attribute(ipc ? PerfCounters.IPC : PerfCounters.CORE, CostModel.SYSCALL);
        cpu.perf.syscallDispatches++;
        cpu.write64(regs + PtRegs.ORIG_RAX, nr);
        PtRegs.saveGprs(cpu, regs);
        cpu.write64(regs + PtRegs.RAX, -Errno.ENOSYS);
        cpu.setReg(Cpu.RSP, regs);
        cpu.setReg(Cpu.RDI, regs);
        int slots = rt.syscallSlots();
        // The number is an int, as Linux's entry code sign-extends EAX (high bits of RAX do
        // not count); out-of-range numbers use the last slot, sys_ni_syscall.
        int number = (int) nr;
        cpu.setReg(Cpu.RAX, number >= 0 && number < slots - 1 ? number : slots - 1);
    }

    /**
     * Acts on a tick that ended the current task's slice, unless a server's handler holds
     * the CPU: then the request stays pending until the client's system call returns (a
     * task whose time goes into servers' handlers is preempted on its way out of them).
     */
    private void preemptIfDue() {
        Scheduler s = rt.sched();
        Task cur = s.current();
        reschedDeferred = cur != null && cur.serverBusy || s.nestedTop() != null;
        if (reschedDeferred) {
            return;
        }
        s.needResched = false;
        s.yieldCurrent();
    }

    /** A tick ended the slice while a server's handler held the CPU (see {@link #preemptIfDue}). */
    private boolean reschedDeferred;

    private void syscallExit(Cpu cpu) {
        if (reschedDeferred && rt.sched().needResched) {
            preemptIfDue();
        }
        Task t = rt.sched().current();
        long ret = cpu.reg(Cpu.RAX);
        boolean restart = t != null && t.state == Task.State.RUNNABLE && ret == -Errno.ERESTARTSYS;
        if (t != null && t.state == Task.State.RUNNABLE && !restart) {
            cpu.write64(t.ptRegs() + PtRegs.RAX, ret);
        } else if (t != null && t.state == Task.State.SLEEPING && t.parkWithResult) {
            // Parked to be continued (futex wait, vfork): the result stands unless the waker changes it.
            t.parkWithResult = false;
            cpu.write64(t.ptRegs() + PtRegs.RAX, ret);
        } else if (restart || t != null && t.state == Task.State.SLEEPING && !t.ipcReceive) {
            // Parked, or -ERESTARTSYS with a signal pending (a background read of the
            // terminal sent SIGTTIN): re-execute the SYSCALL instruction (2 bytes) when
            // woken, or once the signal was taken (after SIGCONT, if it stopped the task),
            // unless a handler without SA_RESTART makes the call fail with EINTR.
            t.parkedInSyscall = true;
            long regs = t.ptRegs();
            cpu.write64(regs + PtRegs.RIP, cpu.read64(regs + PtRegs.RIP) - 2);
            cpu.write64(regs + PtRegs.RAX, cpu.read64(regs + PtRegs.ORIG_RAX));
            if ((t.pending & 1L << (Signals.SIGKILL - 1)) != 0) {
                // A kill that waited for this call must not sleep with it: it is taken now.
                rt.sched().wake(t);
            }
        }
        exitToUser(cpu, t);
    }

    /**
     * Common exception and interrupt entry. The CPU has pushed SS, RSP, RFLAGS, CS, RIP
     * and maybe an error code; completing pt_regs around that frame makes the interrupted
     * context a task's saved state.
     */
    void exceptionEntry(Cpu cpu, int vector, boolean hasError) {
        cpu.perf.attribute(PerfCounters.CORE, CostModel.EXCEPTION);
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
        boolean irq = vector >= Traps.IRQ_BASE && vector < Traps.IRQ_BASE + 16;
        if (irq) {
            rt.traps().irq(cpu, vector - Traps.IRQ_BASE);
        } else if (fromUser) {
            rt.traps().userException(cpu, rt.sched().current(), vector, cpu.read64(regs + PtRegs.ORIG_RAX), regs);
        } else if (rt.traps().kernelException(cpu, vector, cpu.read64(regs + PtRegs.ORIG_RAX), regs)) {
            // The fault ended a call through a function pointer: its caller unwinds and
            // restores the machine state, so nothing here may pick another task.
            return;
        }
        if (fromUser && rt.sched().needResched) {
            // The tick ended the running task's slice: round robin to the next one.
            preemptIfDue();
        }
        if (fromUser || !irq) {
            // Back to user mode; after a kernel oops that killed the task, to another task.
            exitToUser(cpu, null);
            return;
        }
        long rip = cpu.read64(regs + PtRegs.RIP);
        boolean inIdle = Long.compareUnsigned(rip, idleLoop) >= 0 && Long.compareUnsigned(rip, idleEnd) < 0;
        if (inIdle && rt.sched().pickNext() != null) {
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
        if (rt.process().initExited()) {
            // Init is gone: the session is over, whatever else still runs.
            rt.powerOff().run();
            cpu.setRip(panicHalt);
            return;
        }
        Task next = rt.sched().pickNext();
        if (next == null && rt.sched().nestedTop() != null) {
            // The server a call is nested in died: the call is over, nothing else may run here.
            cpu.setRip(idleLoop);
            return;
        }
        if (next == null) {
            rt.sched().setCurrent(null);
            // A process timer (alarm) must fire while its process sleeps in pause().
            setTimerMasked(!rt.sched().anyTimedSleepers() && !rt.timers().anyPending()
                && !rt.process().itimers.anyWallClockArmed());
            cpu.setReg(Cpu.RSP, rt.idleStackTop());
            cpu.setRip(idleLoop);
            return;
        }
        setTimerMasked(false);
        rt.switcher().switchTo(next);
        resumeHook.resume(next);
        if (next.rseqResume && !rt.process().rseq.resume(next)) {
            rt.process().signals.force(next, Signals.SIGSEGV, SignalDelivery.SI_KERNEL, 0);
        }
        if (next.groupStopPending && (next.pending & 1L << (Signals.SIGKILL - 1)) == 0) {
            // Another thread of its process took a stop signal: this one stops here too.
            rt.process().signals.jobs.stopPending(next);
            exitToUser(cpu, null);
            return;
        }
        if (next.pending != 0 && !next.server && !rt.process().signals.deliver(cpu, next)) {
            // The signal's default action ended the task: run someone else.
            exitToUser(cpu, null);
            return;
        }
        long regs = next.ptRegs();
        long rip = cpu.read64(regs + PtRegs.RIP);
        if (!Mmu.canonical(rip)) {
            // IRET to a non-canonical RIP would #GP in ring 0; Linux's bad_iret makes it the
            // task's SIGSEGV. A signal handler, a sigreturn frame or an ELF entry can name one.
            // The task dies rather than taking a handler: a SIGSEGV handler could be the bad
            // address itself.
            rt.log().info("traps: %s[%d] general protection fault ip:%x sp:%x error:0", next.comm, next.pid, rip,
                cpu.read64(regs + PtRegs.RSP));
            rt.process().kill(next, Signals.SIGSEGV);
            exitToUser(cpu, null);
            return;
        }
        returnToUser(cpu, next, next == syscallCaller);
    }

    /**
     * Loads t's saved user registers and leaves through SYSRET when it came in by SYSCALL
     * and its state allows it (RCX/R11 match RIP/RFLAGS, canonical RIP), IRET otherwise.
     */
    public void returnToUser(Cpu cpu, Task next) {
        returnToUser(cpu, next, false);
    }

    public void returnToUser(Cpu cpu, Task next, boolean viaSysret) {
        cpu.perf.attribute(next.server ? PerfCounters.SERVERS : PerfCounters.USER, 0);
        long regs = next.ptRegs();
        PtRegs.restoreGprs(cpu, regs);
        long rip = cpu.read64(regs + PtRegs.RIP);
        long rflags = cpu.read64(regs + PtRegs.RFLAGS);
        // SYSRET needs a canonical RIP (Intel faults in ring 0 otherwise) and restores
        // RCX/R11 from RIP/RFLAGS, so it is only used where those match.
        boolean sysretOk = viaSysret && Mmu.canonical(rip)
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

    /**
     * Tickless idle: with nothing waiting for time to pass, the timer interrupt is masked
     * so the idle machine can wait for input instead of ticking.
     */
    private void setTimerMasked(boolean masked) {
        if (masked != timerMasked) {
            timerMasked = masked;
            rt.pic().setMasked(0, masked);
        }
    }

    public long panicHalt() {
        return panicHalt;
    }

    /** Panics: logs and unwinds to panic_halt. */
    public RuntimeException panic(String msg) {
        throw Panic.panic(rt == null ? null : rt.log(), msg);
    }
}
