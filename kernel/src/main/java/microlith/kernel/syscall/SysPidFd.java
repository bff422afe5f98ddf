package microlith.kernel.syscall;

import microlith.kernel.fs.AnonFile;
import microlith.kernel.fs.PidFd;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * pidfd_open and pidfd_send_signal (Linux's kernel/pid.c and kernel/signal.c); waitid
 * takes a pidfd with P_PIDFD (SysWait). A pidfd is always close-on-exec.
 */
final class SysPidFd {
    private static final long PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

    private final Services k;
    private final SysProcess process;

    SysPidFd(Services k, SysProcess process) {
        this.k = k;
        this.process = process;
    }

    void register(SyscallTable t) {
        t.register("pidfd_open", (task, pid, flags, c, d, e, f) -> open(task, (int) pid, flags));
        t.register("pidfd_send_signal", (task, fd, sig, info, flags, e, f) -> send(task, fd, (int) sig, info, flags));
    }

    private long open(Task t, int pid, long flags) {
        if ((flags & ~AnonFile.O_NONBLOCK) != 0 || pid <= 0) {
            return -Errno.EINVAL;
        }
        Task p = k.sched.find(pid);
        if (p == null || p.server || p.group == null || p.group.live.isEmpty()) {
            return -Errno.ESRCH;
        }
        if (p.group.leader != p) {
            return -Errno.EINVAL; // a thread, not a process
        }
        int fd = t.files.install(new PidFd(p, (int) flags));
        if (fd >= 0) {
            t.files.setCloexec(fd, true);
        }
        return fd;
    }

    /** The process a pidfd names, or null (EBADF: not a descriptor, or not a pidfd). */
    static PidFd pidfd(Task t, long fd) {
        File f = fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
        return f instanceof PidFd ? (PidFd) f : null;
    }

    /**
     * pidfd_send_signal with no siginfo of the caller's: kill(2)'s checks, to the process,
     * or, with Linux 6.9's scope flags, to its leader thread (PIDFD_SIGNAL_THREAD) or its
     * process group (PIDFD_SIGNAL_PROCESS_GROUP). A siginfo of the caller's
     * (rt_sigqueueinfo's) is not supported: EINVAL, logged.
     */
    private long send(Task t, long fd, int sig, long info, long flags) {
        if ((flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP)) != 0
            || Long.bitCount(flags) > 1) {
            return -Errno.EINVAL;
        }
        PidFd p = pidfd(t, fd);
        if (p == null) {
            return -Errno.EBADF;
        }
        if (info != 0) {
            k.log.info("%s[%d]: pidfd_send_signal: a caller's siginfo is not supported, returning -EINVAL",
                t.comm, t.pid);
            return -Errno.EINVAL;
        }
        if (p.exited()) {
            return -Errno.ESRCH;
        }
        if (flags == PIDFD_SIGNAL_PROCESS_GROUP) {
            return process.kill(t, -p.process().pgid, sig, 0, 0, 0, 0);
        }
        if (flags == PIDFD_SIGNAL_THREAD) {
            return process.signalThread(t, p.process(), sig);
        }
        return process.signalOne(t, p.process(), sig);
    }
}
