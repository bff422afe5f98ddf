package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.hw.cpu.Msr;
import microlith.kernel.proc.SignalDelivery;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;

/** Process identity and lifetime: exit, getpid and friends, arch_prctl, kill. */
final class SysProcess {
    private static final int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

    private final Services k;

    SysProcess(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("getuid", (task, a, b, c, d, e, f) -> task.uid());
        t.register("geteuid", (task, a, b, c, d, e, f) -> task.uid());
        t.register("getgid", (task, a, b, c, d, e, f) -> task.gid());
        t.register("getegid", (task, a, b, c, d, e, f) -> task.gid());
        t.register("arch_prctl", this::archPrctl);
        t.register("kill", this::kill);
        t.register("rt_sigaction", this::rtSigaction);
        t.register("rt_sigprocmask", this::rtSigprocmask);
        t.register("pause", (task, a, b, c, d, e, f) -> pause(task));
        t.register("rt_sigsuspend", (task, set, size, c, d, e, f) -> sigsuspend(task, set, size));
        t.register("rt_sigpending", (task, set, size, c, d, e, f) -> size > 8 ? -Errno.EINVAL
            : k.uaccess.copyToUser(task.mm, set, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(0, task.pending & task.sigMask).array(), 0, (int) size) ? 0 : -Errno.EFAULT);
        t.register("rt_sigtimedwait", (task, set, info, ts, size, e, f) -> sigtimedwait(task, set, info, ts, size));
        t.register("rt_sigqueueinfo", (task, pid, sig, info, d, e, f) -> sigqueue(task, pid, -1, sig, info));
        t.register("rt_tgsigqueueinfo", (task, tgid, tid, sig, info, e, f) -> sigqueue(task, tgid, tid, sig, info));
        t.register("rt_sigreturn", (task, a, b, c, d, e, f) -> k.process.signals.sigreturn(k.cpu, task));
    }

    /**
     * rt_sigtimedwait: takes a pending signal of set without running its handler, or
     * waits for one (it wakes the task though blocked), up to the timeout: EAGAIN then.
     */
    private long sigtimedwait(Task t, long uset, long info, long ts, long size) {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        Long set = k.uaccess.getUser64(t.mm, uset);
        if (set == null) {
            return -Errno.EFAULT;
        }
        long wanted = set & ~Signals.UNBLOCKABLE;
        long timeout = -1;
        if (ts != 0) {
            timeout = SysTime.timespec(k, t, ts);
            if (timeout < 0) {
                return timeout;
            }
        }
        long ready = t.pending & wanted;
        t.sigWaitSet = 0;
        if (ready == 0) {
            ready = takeFromGroup(t, wanted);
        }
        if (ready != 0) {
            int sig = Long.numberOfTrailingZeros(ready) + 1;
            t.pending &= ~(1L << (sig - 1));
            k.sched.cancelTimeout(t);
            if (info != 0) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(0, sig).putInt(8, t.sigCode[sig]).putLong(16, t.sigValue[sig]);
                if (!k.uaccess.copyToUser(t.mm, info, b.array(), 0, 128)) {
                    return -Errno.EFAULT;
                }
            }
            return sig;
        }
        boolean restarted = t.sleepUntil != 0;
        if (timeout == 0 || restarted && k.clock.nanos() >= t.sleepUntil) {
            t.sleepUntil = 0;
            return -Errno.EAGAIN;
        }
        if ((t.pending & ~t.sigMask) != 0) {
            return -Errno.EINTR;
        }
        t.sigWaitSet = wanted;
        if (timeout > 0) {
            k.sched.sleepUntil(t, restarted ? t.sleepUntil : k.clock.nanos() + timeout);
        } else {
            k.sched.sleep(t);
        }
        return -Errno.EINTR;
    }

    /**
     * No shared pending set is kept: a process-directed signal that every thread blocked
     * waits on one of them. sigtimedwait in another thread of the process takes it from
     * there (moving it, with its siginfo, to the caller), as it would from Linux's
     * shared_pending.
     */
    private static long takeFromGroup(Task t, long wanted) {
        for (Task o : t.group.live) {
            long blocked = o.pending & o.sigMask & wanted;
            if (o != t && blocked != 0) {
                int sig = Long.numberOfTrailingZeros(blocked) + 1;
                o.pending &= ~(1L << (sig - 1));
                t.pending |= 1L << (sig - 1);
                t.sigCode[sig] = o.sigCode[sig];
                t.sigValue[sig] = o.sigValue[sig];
                return 1L << (sig - 1);
            }
        }
        return 0;
    }

    /** rt_sigqueueinfo (tid -1) and rt_tgsigqueueinfo: a signal with the caller's si_code. */
    private long sigqueue(Task t, long tgid, long tid, long sig, long info) {
        if (sig < 0 || sig > 64) {
            return -Errno.EINVAL;
        }
        Integer code = k.uaccess.getUser32(t.mm, info + 8);
        Long value = k.uaccess.getUser64(t.mm, info + 24);
        if (code == null || value == null) {
            return -Errno.EFAULT;
        }
        Task target = k.sched.find((int) (tid == -1 ? tgid : tid));
        if (target == null || target.state == Task.State.ZOMBIE || tid != -1 && target.tgid() != tgid) {
            return -Errno.ESRCH;
        }
        if ((code >= 0 || code == -6) && target.group != t.group) {
            // Only the kernel may claim SI_USER/SI_KERNEL, and SI_TKILL is tgkill's.
            return -Errno.EPERM;
        }
        if (sig != 0) {
            if (tid == -1) {
                k.process.signals.sendToProcess(target, (int) sig, code, value);
            } else {
                k.process.signals.send(target, (int) sig, code, value);
            }
        }
        return 0;
    }

    /** pause: sleep until a signal is delivered; always ends with EINTR. */
    private long pause(Task task) {
        if ((task.pending & ~task.sigMask) != 0) {
            return -Errno.EINTR;
        }
        k.sched.sleep(task);
        task.parkedNoRestart = true;
        return -Errno.EINTR;
    }

    /** rt_sigsuspend: wait for a signal with a temporary mask, restored after the handler. */
    private long sigsuspend(Task task, long set, long size) {
        long err = TemporarySigmask.install(k, task, set, size);
        if (err != 0) {
            return err;
        }
        return pause(task);
    }

    private long archPrctl(Task task, long code, long addr, long c, long d, long e, long f) {
        switch ((int) code) {
            case ARCH_SET_FS:
                if (!microlith.hw.mmu.Mmu.canonical(addr) || Long.compareUnsigned(addr, microlith.kernel.mm.Layout.TASK_SIZE) >= 0) {
                    return -Errno.EPERM;
                }
                task.fsBase = addr;
                k.cpu.wrmsr(Msr.FS_BASE, addr);
                return 0;
            case ARCH_GET_FS:
                return k.uaccess.putUser64(task.mm, addr, task.fsBase) ? 0 : -Errno.EFAULT;
            case ARCH_SET_GS:
            case ARCH_GET_GS:
                // User GS is not switched per task yet.
                return -Errno.EINVAL;
            default:
                return -Errno.EINVAL;
        }
    }

    private static boolean validSignal(int sig) {
        return sig >= 0 && sig <= 64;
    }

    /** A live process (one entry per thread group, its leader) a user's signal may reach: servers never. */
    private static boolean isProcess(Task x) {
        return x.isLeader() && !x.group.live.isEmpty() && !x.server;
    }

    /** check_kill_permission's rule for one uid per task: root, or the same uid. */
    private static boolean mayKill(Task from, Task to) {
        return from.uid() == 0 || from.uid() == to.uid();
    }

    /**
     * kill(2), as Linux's kill_something_info: pid &gt; 0 one process (a zombie too: the
     * signal is discarded), 0 the caller's group, -1 everyone the caller may signal but
     * init and itself, &lt; -1 the group -pid. pid and sig are ints. Servers are part of
     * the operating system, as kernel threads are: never a signal's target.
     */
    long kill(Task task, long upid, long usig, long c, long d, long e, long f) {
        int pid = (int) upid;
        int sig = (int) usig;
        if (pid == Integer.MIN_VALUE) {
            return -Errno.ESRCH;
        }
        if (pid > 0) {
            Task target = k.sched.find(pid);
            if (target == null) {
                return -Errno.ESRCH;
            }
            return signalOne(task, target, sig);
        }
        if (!validSignal(sig)) {
            return -Errno.EINVAL;
        }
        List<Task> all = new ArrayList<>(k.sched.all());
        if (pid == -1) {
            int tried = 0;
            for (Task x : all) {
                if (x.pid > 1 && x.group != task.group && isProcess(x)) {
                    tried++;
                    if (mayKill(task, x) && sig != 0) {
                        k.process.signals.sendToProcess(x, sig, SignalDelivery.SI_USER, sender(task));
                    }
                }
            }
            return tried > 0 ? 0 : -Errno.ESRCH;
        }
        int group = pid == 0 ? task.pgid : -pid;
        boolean any = false;
        boolean sent = false;
        for (Task x : all) {
            if (x.pgid == group && isProcess(x)) {
                any = true;
                if (mayKill(task, x)) {
                    sent = true;
                    if (sig != 0) {
                        k.process.signals.sendToProcess(x, sig, SignalDelivery.SI_USER, sender(task));
                    }
                }
            }
        }
        return sent ? 0 : any ? -Errno.EPERM : -Errno.ESRCH;
    }

    /** One task: the signal number is checked once the task is found, then the permission. */
    /** A signal to one thread (pidfd_send_signal's PIDFD_SIGNAL_THREAD), with kill(2)'s checks. */
    long signalThread(Task task, Task target, int sig) {
        if (!validSignal(sig)) {
            return -Errno.EINVAL;
        }
        if (target.server || !mayKill(task, target)) {
            return -Errno.EPERM;
        }
        if (sig != 0 && target.state != Task.State.ZOMBIE) {
            k.process.signals.send(target, sig, SignalDelivery.SI_USER, sender(task));
        }
        return 0;
    }

    long signalOne(Task task, Task target, int sig) {
        if (!validSignal(sig)) {
            return -Errno.EINVAL;
        }
        if (target.server) {
            // A server is part of the operating system: only root may end one, with SIGKILL
            // (the reincarnation server then restarts it, as MINIX 3's does after kill -9);
            // no other signal reaches it, as none reaches a kernel thread.
            if (task.uid() != 0 || sig != 0 && sig != Signals.SIGKILL) {
                return -Errno.EPERM;
            }
            if (sig != 0) {
                k.process.kill(target, Signals.SIGKILL);
            }
            return 0;
        }
        if (!mayKill(task, target)) {
            return -Errno.EPERM;
        }
        // A thread id names its process too; a process whose threads all ended is a zombie: the signal is discarded.
        if (sig != 0 && !target.group.live.isEmpty()) {
            k.process.signals.sendToProcess(target, sig, SignalDelivery.SI_USER, sender(task));
        }
        return 0;
    }

    /** siginfo's si_pid and si_uid for a signal task sends (they share one 64-bit slot). */
    static long sender(Task task) {
        return (long) task.uid() << 32 | (task.tgid() & 0xffffffffL);
    }

    /**
     * rt_sigaction in Linux's order: the sigset size, the new action copied in (EFAULT),
     * then the signal (SIGKILL and SIGSTOP may be asked about but not changed), the old
     * action copied out last. Ignoring a signal discards it if pending.
     */
    private long rtSigaction(Task task, long usig, long act, long oldact, long size, long e, long f) {
        int sig = (int) usig;
        if (size != 8) {
            return -Errno.EINVAL;
        }
        long[] next = null;
        if (act != 0) {
            next = new long[4];
            for (int i = 0; i < 4; i++) {
                Long v = k.uaccess.getUser64(task.mm, act + i * 8L);
                if (v == null) {
                    return -Errno.EFAULT;
                }
                next[i] = v;
            }
        }
        if (sig < 1 || sig > 64 || next != null && (sig == Signals.SIGKILL || sig == 19)) {
            return -Errno.EINVAL;
        }
        long[] cur = task.sigactionCopy(sig);
        if (next != null) {
            next[3] &= ~Signals.UNBLOCKABLE;
            for (int i = 0; i < 4; i++) {
                task.setSigaction(sig, i, next[i]);
            }
            if (next[0] == SignalDelivery.SIG_IGN) {
                task.pending &= ~(1L << (sig - 1));
            }
        }
        if (oldact != 0) {
            for (int i = 0; i < 4; i++) {
                if (!k.uaccess.putUser64(task.mm, oldact + i * 8L, cur[i])) {
                    return -Errno.EFAULT;
                }
            }
        }
        return 0;
    }

    private long rtSigprocmask(Task task, long how, long set, long oldset, long size, long e, long f) {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        long old = task.sigMask;
        if (set != 0) {
            Long v = k.uaccess.getUser64(task.mm, set);
            if (v == null) {
                return -Errno.EFAULT;
            }
            long unblockable = Signals.UNBLOCKABLE;
            switch ((int) how) {
                case 0: task.sigMask |= v; break;
                case 1: task.sigMask &= ~v; break;
                case 2: task.sigMask = v; break;
                default: return -Errno.EINVAL;
            }
            task.sigMask &= ~unblockable;
        }
        if (oldset != 0 && !k.uaccess.putUser64(task.mm, oldset, old)) {
            return -Errno.EFAULT;
        }
        return 0;
    }
}
