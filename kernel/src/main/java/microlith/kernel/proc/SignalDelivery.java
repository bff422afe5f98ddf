package microlith.kernel.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.FpuState;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signaller;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.arch.Segments;
import microlith.kernel.mm.Layout;
import microlith.module.api.Errno;

/**
 * Signal generation and delivery to user handlers (Linux's kernel/signal.c and
 * arch/x86/kernel/signal.c). A signal becomes pending; on the way back to user mode the
 * task takes the first deliverable one: its default action, or a call to its handler on
 * a frame Linux's x86-64 rt_sigreturn understands.
 *
 * <pre>
 * rt_sigframe (on the user stack, below the 128-byte red zone)
 *   +0    pretcode      sa_restorer: the handler's return address (calls rt_sigreturn)
 *   +8    ucontext      uc_flags, uc_link, uc_stack (24), uc_mcontext (sigcontext, 256),
 *                       uc_sigmask (8)                                        = 304 bytes
 *   +312  siginfo       si_signo, si_errno, si_code, then si_addr or si_pid/si_uid = 128
 *   ...   fpstate       FXSAVE image, 64-byte aligned, pointed to by sigcontext.fpstate
 * sigcontext: r8 r9 r10 r11 r12 r13 r14 r15 rdi rsi rbp rbx rdx rax rcx rsp rip eflags
 *             cs gs fs ss (2 bytes each) err trapno oldmask cr2 fpstate reserved[8]
 * </pre>
 * Stop signals (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) stop the task by default and SIGCONT
 * continues it, whatever its handler (see {@link JobControl}).
 */
public final class SignalDelivery implements Signaller {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_SIGINFO = 4, SA_RESTORER = 0x04000000L, SA_ONSTACK = 0x08000000L;
    public static final long SA_RESTART = 0x10000000L, SA_NODEFER = 0x40000000L, SA_RESETHAND = 0x80000000L;
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SEGV_MAPERR = 1, SEGV_ACCERR = 2;
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    private static final int SIGRTMIN = 32;
    private static final int UC = 8;
    private static final int MC = UC + 40;
    private static final int INFO = 8 + 304;
    private static final int FRAME = INFO + 128;

    private final ProcessManager process;
    private final Scheduler sched;
    private final Uaccess uaccess;
    private final Printk log;
    /**
     * Whether init is shielded from signals it has no handler for (Linux's
     * SIGNAL_UNKILLABLE). On by default; `run` turns it off with init.protect=0, since
     * there the single program is pid 1 only by necessity and should die as usual.
     */
    private final boolean protectInit;
    /** Stopping and continuing, and the process-group facts a terminal asks about. */
    public final JobControl jobs;

    SignalDelivery(ProcessManager process, Scheduler sched, Uaccess uaccess, Printk log, boolean protectInit) {
        this.process = process;
        this.sched = sched;
        this.uaccess = uaccess;
        this.log = log;
        this.protectInit = protectInit;
        this.jobs = new JobControl(sched, this, protectInit);
    }

    private boolean protectInit() {
        return protectInit;
    }

    @Override
    public void send(Task t, int sig) {
        sendToProcess(t, sig, SI_USER, 0);
    }

    /** kill_pgrp: sig to every live process of group pgrp (a terminal's Ctrl-C). */
    @Override
    public int killProcessGroup(int pgrp, int sig) {
        boolean any = false;
        for (Task t : new java.util.ArrayList<>(sched.all())) {
            if (t.pgid == pgrp && t.isLeader() && !t.group.live.isEmpty()) {
                sendToProcess(t, sig, SI_KERNEL, 0);
                any = true;
            }
        }
        return any ? 0 : -microlith.module.api.Errno.ESRCH;
    }

    @Override
    public int sessionOfProcessGroup(int pgrp) {
        return jobs.sessionOf(pgrp);
    }

    @Override
    public boolean isOrphanedProcessGroup(int pgrp) {
        return jobs.orphaned(pgrp, null);
    }

    @Override
    public boolean ignoresOrBlocks(Task t, int sig) {
        return JobControl.ignoresOrBlocks(t, sig);
    }

    private static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static boolean ignoredByDefault(int sig) {
        return sig == Signals.SIGCHLD || sig == JobControl.SIGCONT || sig == 23 || sig == 28;
    }

    /**
     * A signal to a whole process (kill(2), SIGCHLD, SIGPIPE): one of its threads that
     * does not block it takes it (see {@link microlith.kernel.task.ThreadGroup#signalTarget}).
     */
    public void sendToProcess(Task t, int sig, int code, long value) {
        Task target = t.group == null || sig == 0 ? t : t.group.signalTarget(sig);
        send(target, sig, code, value);
    }

    /** tkill(2), tgkill(2), a fault: makes sig pending on one thread, waking it if it can take it. */
    public void send(Task t, int sig, int code, long value) {
        if (t.state == Task.State.ZOMBIE) {
            return;
        }
        if (sig == Signals.SIGKILL) {
            if (t.pid != 1 || !protectInit()) {
                process.kill(t, sig);
            }
            return;
        }
        // Linux's prepare_signal: SIGCONT continues the task and cancels pending stops; a
        // stop cancels a pending SIGCONT. This happens even if the signal is then ignored.
        if (sig == JobControl.SIGCONT) {
            jobs.cont(t);
        } else if (JobControl.isStop(sig)) {
            t.pending &= ~bit(JobControl.SIGCONT);
        }
        long handler = t.sigaction(sig, 0);
        boolean held = ((t.sigMask | t.sigWaitSet) & bit(sig)) != 0;
        if ((handler == SIG_IGN || handler == SIG_DFL && ignoredByDefault(sig)) && !held) {
            // Linux's sig_ignored: an ignored signal is dropped unless it is blocked (or
            // awaited): a blocked one stays pending for sigwait, signalfd or a later handler.
            return;
        }
        if (t.pid == 1 && handler == SIG_DFL && protectInit()) {
            // Init is unkillable by signals it has no handler for (SIGNAL_UNKILLABLE).
            return;
        }
        if ((t.pending & bit(sig)) != 0 && sig < SIGRTMIN) {
            // legacy_queue: a standard signal already pending is not queued again; the
            // first one's siginfo stands.
            return;
        }
        t.pending |= bit(sig);
        t.sigCode[sig] = code;
        t.sigValue[sig] = value;
        if (!t.signalfdWait.isEmpty()) {
            t.signalfdWait.wakeAll(sched);
        }
        boolean awaited = (t.sigMask & bit(sig)) == 0 || (t.sigWaitSet & bit(sig)) != 0;
        if (awaited && t.state == Task.State.SLEEPING && !t.uninterruptible) {
            sched.wake(t);
        }
    }

    /**
     * A fault's signal (SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP). If the task ignores or
     * blocks it, the default action is restored first, as Linux's force_sig does: a fault
     * cannot be ignored. Returns true when a handler will run, false when the task dies.
     */
    public boolean force(Task t, int sig, int code, long addr) {
        if (t.sigaction(sig, 0) == SIG_IGN || (t.sigMask & bit(sig)) != 0) {
            t.setSigaction(sig, 0, SIG_DFL);
            t.sigMask &= ~bit(sig);
        }
        if (t.sigaction(sig, 0) == SIG_DFL) {
            process.kill(t, sig);
            return false;
        }
        t.pending |= bit(sig);
        t.sigCode[sig] = code;
        t.sigValue[sig] = addr;
        return true;
    }

    /**
     * On the way to user mode in t (already switched to): takes pending, unblocked signals.
     * Returns false if t died.
     */
    public boolean deliver(Cpu cpu, Task t) {
        if ((t.pending & bit(Signals.SIGKILL)) != 0) {
            // A kill that waited for a system call to finish: before any handler runs.
            process.kill(t, Signals.SIGKILL);
            return false;
        }
        while ((t.pending & ~t.sigMask) != 0) {
            int sig = Long.numberOfTrailingZeros(t.pending & ~t.sigMask) + 1;
            t.pending &= ~bit(sig);
            long[] act = t.sigactionCopy(sig);
            if (act[0] == SIG_IGN || act[0] == SIG_DFL && ignoredByDefault(sig)) {
                continue;
            }
            if (act[0] == SIG_DFL && JobControl.isStop(sig)) {
                // A terminal stop signal to an orphaned process group is discarded (Linux's
                // get_signal); otherwise the task stops here, before returning to user mode.
                if (sig != JobControl.SIGSTOP && jobs.orphaned(t.pgid, null)) {
                    continue;
                }
                jobs.stop(t, sig);
                return false;
            }
            if (act[0] == SIG_DFL) {
                process.kill(t, sig);
                return false;
            }
            if (t.rseq != 0 && !process.rseq.resume(t)) {
                // rseq_signal_deliver: a bad rseq area is a SIGSEGV, whatever was being delivered.
                log.info("%s[%d]: bad rseq area at 0x%x, killed", t.comm, t.pid, t.rseq);
                process.kill(t, Signals.SIGSEGV);
                return false;
            }
            if (!setupFrame(cpu, t, sig, act)) {
                log.info("%s[%d]: bad signal frame for signal %d, killed", t.comm, t.pid, sig);
                process.kill(t, Signals.SIGSEGV);
                return false;
            }
            return true;
        }
        if (t.savedMask != -1 && !t.parkedInSyscall) {
            // Every signal let in was ignored and no frame will restore the mask a waiting
            // call installed (ppoll, pselect6, epoll_pwait): restore_saved_sigmask does it.
            t.sigMask = t.savedMask;
            t.savedMask = -1;
        }
        return true;
    }

    private boolean setupFrame(Cpu cpu, Task t, int sig, long[] act) {
        long regs = t.ptRegs();
        long maskToSave = t.savedMask != -1 ? t.savedMask : t.sigMask;
        t.savedMask = -1;
        if (t.parkedInSyscall) {
            t.parkedInSyscall = false;
            if ((act[1] & SA_RESTART) == 0 || t.parkedNoRestart) {
                // Interrupted without SA_RESTART: the parked call returns EINTR.
                cpu.write64(regs + PtRegs.RIP, cpu.read64(regs + PtRegs.RIP) + 2);
                cpu.write64(regs + PtRegs.RAX, -Errno.EINTR);
                if (t.onInterrupt != null) {
                    t.onInterrupt.run();
                    t.onInterrupt = null;
                }
                t.sleepUntil = 0;
            }
        }
        long userSp = cpu.read64(regs + PtRegs.RSP);
        long sp = userSp - 128;
        boolean onAltStack = t.altStackSize != 0 && Long.compareUnsigned(userSp - t.altStackSp, t.altStackSize) < 0;
        if ((act[1] & SA_ONSTACK) != 0 && (t.altStackFlags & SS_DISABLE) == 0 && !onAltStack) {
            // sigaltstack: the handler runs on the alternate stack (no red zone there).
            sp = t.altStackSp + t.altStackSize;
        }
        long fp = (sp - FpuState.AREA_BYTES) & ~63L;
        long frame = ((fp - FRAME) & ~15L) - 8;
        if ((act[1] & SA_RESTORER) == 0 || !uaccess.writable(t.mm, frame, sp - frame)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(FRAME).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, act[2]);
        long[] gpr = {PtRegs.R8, PtRegs.R9, PtRegs.R10, PtRegs.R11, PtRegs.R12, PtRegs.R13, PtRegs.R14,
            PtRegs.R15, PtRegs.RDI, PtRegs.RSI, PtRegs.RBP, PtRegs.RBX, PtRegs.RDX, PtRegs.RAX, PtRegs.RCX,
            PtRegs.RSP, PtRegs.RIP, PtRegs.RFLAGS};
        for (int i = 0; i < gpr.length; i++) {
            b.putLong(MC + i * 8, cpu.read64(regs + gpr[i]));
        }
        b.putShort(MC + 144, (short) Segments.USER_CS);
        b.putShort(MC + 150, (short) Segments.USER_DS);
        b.putLong(MC + 176, maskToSave);
        b.putLong(MC + 184, sig == Signals.SIGSEGV || sig == Signals.SIGBUS ? t.sigValue[sig] : 0);
        b.putLong(MC + 192, fp);
        b.putLong(UC + 296, maskToSave);
        // uc_stack: the alternate stack as sigaltstack reports it (rt_sigreturn restores it).
        b.putLong(UC + 16, t.altStackSp);
        b.putInt(UC + 24, onAltStack ? SS_ONSTACK : t.altStackFlags);
        b.putLong(UC + 32, t.altStackSize);
        b.putInt(INFO, sig);
        b.putInt(INFO + 8, t.sigCode[sig]);
        b.putLong(INFO + 16, t.sigValue[sig]);
        if (!uaccess.copyToUser(t.mm, frame, b.array(), 0, FRAME)) {
            return false;
        }
        uaccess.userAccessBegin();
        try {
            // The task is current and owns the FPU registers: save them into the frame.
            FpuState.save(cpu, fp);
            FpuState.reset(cpu);
        } catch (CpuException e) {
            return false;
        } finally {
            uaccess.userAccessEnd();
        }
        cpu.write64(regs + PtRegs.RSP, frame);
        cpu.write64(regs + PtRegs.RIP, act[0]);
        cpu.write64(regs + PtRegs.RDI, sig);
        cpu.write64(regs + PtRegs.RSI, frame + INFO);
        cpu.write64(regs + PtRegs.RDX, frame + UC);
        cpu.write64(regs + PtRegs.RAX, 0);
        long flags = cpu.read64(regs + PtRegs.RFLAGS) & ~(microlith.hw.cpu.Flags.DF | microlith.hw.cpu.Flags.TF);
        cpu.write64(regs + PtRegs.RFLAGS, flags);
        t.sigMask |= act[3];
        if ((act[1] & SA_NODEFER) == 0) {
            t.sigMask |= bit(sig);
        }
        if ((act[1] & SA_RESETHAND) != 0) {
            t.setSigaction(sig, 0, SIG_DFL);
        }
        t.sigMask &= ~(bit(Signals.SIGKILL) | bit(19));
        return true;
    }

    /** rt_sigreturn: restores what setupFrame saved; returns the restored RAX. */
    public long sigreturn(Cpu cpu, Task t) {
        long regs = t.ptRegs();
        long frame = cpu.read64(regs + PtRegs.RSP) - 8;
        byte[] raw = new byte[FRAME];
        if (!uaccess.copyFromUser(t.mm, frame, raw, 0, FRAME)) {
            process.kill(t, Signals.SIGSEGV);
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] gpr = {PtRegs.R8, PtRegs.R9, PtRegs.R10, PtRegs.R11, PtRegs.R12, PtRegs.R13, PtRegs.R14,
            PtRegs.R15, PtRegs.RDI, PtRegs.RSI, PtRegs.RBP, PtRegs.RBX, PtRegs.RDX, PtRegs.RAX, PtRegs.RCX,
            PtRegs.RSP, PtRegs.RIP};
        long rip = b.getLong(MC + 16 * 8);
        if (!Layout.isUser(rip)) {
            process.kill(t, Signals.SIGSEGV);
            return 0;
        }
        long fp = b.getLong(MC + 192);
        if (fp != 0) {
            try {
                if (!Layout.isUser(fp) || !uaccess.writable(t.mm, fp, FpuState.AREA_BYTES)) {
                    throw CpuException.gp(0);
                }
                uaccess.userAccessBegin();
                try {
                    FpuState.restore(cpu, fp);
                } finally {
                    uaccess.userAccessEnd();
                }
            } catch (CpuException e) {
                process.kill(t, Signals.SIGSEGV);
                return 0;
            }
        }
        for (int i = 0; i < gpr.length; i++) {
            cpu.write64(regs + gpr[i], b.getLong(MC + i * 8));
        }
        // Only the flags a user program may change come back (no IOPL, no IF games).
        long userFlags = microlith.hw.cpu.Flags.ARITH | microlith.hw.cpu.Flags.DF | microlith.hw.cpu.Flags.TF
            | microlith.hw.cpu.Flags.AC | microlith.hw.cpu.Flags.ID;
        long old = cpu.read64(regs + PtRegs.RFLAGS);
        long saved = b.getLong(MC + 17 * 8);
        cpu.write64(regs + PtRegs.RFLAGS, (old & ~userFlags) | (saved & userFlags));
        cpu.write64(regs + PtRegs.CS, Segments.USER_CS);
        cpu.write64(regs + PtRegs.SS, Segments.USER_DS);
        cpu.write64(regs + PtRegs.ORIG_RAX, -1);
        t.sigMask = b.getLong(UC + 296) & ~(bit(Signals.SIGKILL) | bit(19));
        return b.getLong(MC + 13 * 8);
    }
}
