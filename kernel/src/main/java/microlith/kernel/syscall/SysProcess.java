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
        t.register("exit", (task, code, b, c, d, e, f) -> exit(task, code));
        t.register("exit_group", (task, code, b, c, d, e, f) -> exit(task, code));
        t.register("getpid", (task, a, b, c, d, e, f) -> task.pid);
        t.register("gettid", (task, a, b, c, d, e, f) -> task.pid);
        t.register("getppid", (task, a, b, c, d, e, f) -> task.parent == null ? 0 : task.parent.pid);
        t.register("getuid", (task, a, b, c, d, e, f) -> task.uid());
        t.register("geteuid", (task, a, b, c, d, e, f) -> task.uid());
        t.register("getgid", (task, a, b, c, d, e, f) -> task.gid());
        t.register("getegid", (task, a, b, c, d, e, f) -> task.gid());
        t.register("set_tid_address", (task, ptr, b, c, d, e, f) -> {
            task.clearChildTid = ptr;
            return task.pid;
        });
        t.register("arch_prctl", this::archPrctl);
        t.register("kill", this::kill);
        t.register("tkill", (task, tid, sig, c, d, e, f) -> tkill(task, 0, (int) tid, (int) sig));
        t.register("tgkill", (task, tgid, tid, sig, d, e, f) ->
            (int) tgid <= 0 ? -Errno.EINVAL : tkill(task, (int) tgid, (int) tid, (int) sig));
        t.register("rt_sigaction", this::rtSigaction);
        t.register("rt_sigprocmask", this::rtSigprocmask);
        t.register("pause", (task, a, b, c, d, e, f) -> pause(task));
        t.register("rt_sigsuspend", (task, set, size, c, d, e, f) -> sigsuspend(task, set, size));
        t.register("rt_sigreturn", (task, a, b, c, d, e, f) -> k.process.signals.sigreturn(k.cpu, task));
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
        if (size != 8) {
            return -Errno.EINVAL;
        }
        Long mask = k.uaccess.getUser64(task.mm, set);
        if (mask == null) {
            return -Errno.EFAULT;
        }
        if (task.savedMask == -1) {
            task.savedMask = task.sigMask;
        }
        task.sigMask = mask & ~(1L << (Signals.SIGKILL - 1) | 1L << (19 - 1));
        return pause(task);
    }

    private long exit(Task task, long code) {
        k.process.exit(task, ((int) code & 0xff) << 8);
        return 0;
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
    private long kill(Task task, long upid, long usig, long c, long d, long e, long f) {
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
                if (x.pid > 1 && x != task && !x.server && x.state != Task.State.ZOMBIE) {
                    tried++;
                    if (mayKill(task, x) && sig != 0) {
                        k.process.sendSignal(x, sig);
                    }
                }
            }
            return tried > 0 ? 0 : -Errno.ESRCH;
        }
        int group = pid == 0 ? task.pgid : -pid;
        boolean any = false;
        boolean sent = false;
        for (Task x : all) {
            if (x.pgid == group && !x.server && x.state != Task.State.ZOMBIE) {
                any = true;
                if (mayKill(task, x)) {
                    sent = true;
                    if (sig != 0) {
                        k.process.sendSignal(x, sig);
                    }
                }
            }
        }
        return sent ? 0 : any ? -Errno.EPERM : -Errno.ESRCH;
    }

    /** One task: the signal number is checked once the task is found, then the permission. */
    private long signalOne(Task task, Task target, int sig) {
        if (!validSignal(sig)) {
            return -Errno.EINVAL;
        }
        if (target.server || !mayKill(task, target)) {
            return -Errno.EPERM;
        }
        if (sig != 0 && target.state != Task.State.ZOMBIE) {
            k.process.sendSignal(target, sig);
        }
        return 0;
    }

    /** tkill and tgkill (tgid 0): one thread per process, so a thread id names its process. */
    private long tkill(Task task, int tgid, int tid, int sig) {
        if (tid <= 0) {
            return -Errno.EINVAL;
        }
        Task target = k.sched.find(tid);
        if (target == null || target.state == Task.State.ZOMBIE || tgid > 0 && tgid != tid) {
            return -Errno.ESRCH;
        }
        return signalOne(task, target, sig);
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
            next[3] &= ~(1L << (Signals.SIGKILL - 1) | 1L << (19 - 1));
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
            long unblockable = 1L << (Signals.SIGKILL - 1) | 1L << (19 - 1);
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
