package microlith.kernel.syscall;

import java.util.ArrayList;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * wait4 and waitid: a child of the caller's process that exited, stopped or continued,
 * checked in the order Linux's wait_consider_task checks them. Only thread-group leaders
 * are children one waits for; a process whose threads are still running is not a zombie
 * yet. A stop or a continue is reported once; an exit reaps the child unless WNOWAIT.
 */
final class SysWait {
    private static final int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8;
    private static final int WNOWAIT = 0x01000000;
    private static final int WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
    private static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    /** siginfo's si_code for SIGCHLD. */
    private static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;

    private final Services k;

    SysWait(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        // pid, idtype, id and options are C ints: the registers' upper halves mean nothing (-1 may arrive as 0xffffffff).
        t.register("wait4", (task, pid, status, options, rusage, e, f) ->
            wait4(task, (int) pid, status, (int) options, rusage));
        t.register("waitid", (task, type, id, info, options, rusage, f) ->
            waitid(task, (int) type, (int) id, info, (int) options, rusage));
    }

    /** What a wait found: the child and its wait status (as wait4 stores it). */
    private record Found(Task child, int status) {
        int siCode() {
            if (status == 0xffff) {
                return CLD_CONTINUED;
            }
            if ((status & 0xff) == 0x7f) {
                return CLD_STOPPED;
            }
            int sig = status & 0x7f;
            return sig == 0 ? CLD_EXITED : (status & 0x80) != 0 ? CLD_DUMPED : CLD_KILLED;
        }

        int siStatus() {
            switch (siCode()) {
                case CLD_EXITED: return (status >> 8) & 0xff;
                case CLD_STOPPED: return (status >> 8) & 0xff;
                case CLD_CONTINUED: return Signals.SIGCONT;
                default: return status & 0x7f;
            }
        }
    }

    private long wait4(Task t, int pid, long ustatus, int options, long rusage) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        if (pid == Integer.MIN_VALUE) {
            // -pid would overflow back to INT_MIN: Linux names no process group with it.
            return -Errno.ESRCH;
        }
        boolean[] any = new boolean[1];
        Found f = find(t, pid, options | WEXITED, true, any);
        if (f == null) {
            return nothing(t, any[0], options);
        }
        if (ustatus != 0 && !k.uaccess.putUser32(t.mm, ustatus, f.status)) {
            return -Errno.EFAULT;
        }
        if (rusage != 0 && !k.uaccess.copyToUser(t.mm, rusage, new byte[144], 0, 144)) {
            return -Errno.EFAULT;
        }
        return f.child.pid;
    }

    /**
     * waitid: the child's change comes back as a siginfo (si_signo SIGCHLD, si_code
     * CLD_*, si_pid, si_uid, si_status); with WNOWAIT it stays reportable.
     */
    private long waitid(Task t, int idtype, int id, long infop, int options, long rusage) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) != 0
            || (options & (WSTOPPED | WEXITED | WCONTINUED)) == 0) {
            return -Errno.EINVAL;
        }
        int pid;
        switch (idtype) {
            case P_ALL: pid = -1; break;
            case P_PID:
                if (id <= 0) {
                    return -Errno.EINVAL;
                }
                pid = id;
                break;
            case P_PGID:
                // Since Linux 5.4, id 0 means the caller's own process group.
                if (id < 0) {
                    return -Errno.EINVAL;
                }
                pid = id == 0 ? 0 : -id;
                break;
            case P_PIDFD:
                microlith.kernel.fs.PidFd p = SysPidFd.pidfd(t, id);
                if (p == null) {
                    return -Errno.EBADF;
                }
                pid = p.process().pid;
                break;
            default: return -Errno.EINVAL;
        }
        boolean[] any = new boolean[1];
        Found f = find(t, pid, options, (options & WNOWAIT) == 0, any);
        if (f == null) {
            long r = nothing(t, any[0], options);
            // WNOHANG with nothing to report: si_pid (and the rest Linux writes) are zero.
            return r == 0 && infop != 0 && !siginfo(t, infop, 0, 0, 0, 0, 0) ? -Errno.EFAULT : r;
        }
        if (infop != 0 && !siginfo(t, infop, Signals.SIGCHLD, f.siCode(), f.child.pid, f.child.uid(), f.siStatus())) {
            return -Errno.EFAULT;
        }
        if (rusage != 0 && !k.uaccess.copyToUser(t.mm, rusage, new byte[144], 0, 144)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** The fields of siginfo_t that waitid writes: si_signo, si_errno, si_code, si_pid, si_uid, si_status. */
    private boolean siginfo(Task t, long infop, int signo, int code, int pid, int uid, int status) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(28).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo).putInt(4, 0).putInt(8, code).putInt(16, pid).putInt(20, uid).putInt(24, status);
        return k.uaccess.copyToUser(t.mm, infop, b.array(), 0, 28);
    }

    /** No child to report: ECHILD, 0 for WNOHANG, or the caller sleeps until a child changes. */
    private long nothing(Task t, boolean any, int options) {
        if (!any) {
            return -Errno.ECHILD;
        }
        if ((options & WNOHANG) != 0) {
            return 0;
        }
        t.group.leader.childWait.add(t);
        k.sched.sleep(t);
        return -Errno.EINTR;
    }

    /** The first reportable child matching pid (wait4's encoding), consuming the report if asked. */
    private Found find(Task t, int pid, int options, boolean consume, boolean[] any) {
        Task parent = t.group.leader;
        for (Task c : new ArrayList<>(k.sched.all())) {
            if (c.parent != parent || !c.isLeader() || !matches(t, c, pid)) {
                continue;
            }
            any[0] = true;
            if ((options & WEXITED) != 0 && c.state == Task.State.ZOMBIE && c.group.live.isEmpty()) {
                Found f = new Found(c, c.exitStatus);
                if (consume) {
                    k.process.reapChild(t, c.pid, new boolean[1]);
                }
                return f;
            }
            if ((options & WSTOPPED) != 0 && c.state == Task.State.STOPPED && c.stopUnreported) {
                c.stopUnreported &= !consume;
                return new Found(c, c.stopSignal << 8 | 0x7f);
            }
            if ((options & WCONTINUED) != 0 && c.contUnreported) {
                c.contUnreported &= !consume;
                return new Found(c, 0xffff);
            }
        }
        return null;
    }

    private static boolean matches(Task caller, Task c, int pid) {
        if (pid > 0) {
            return c.pid == pid;
        }
        if (pid == 0) {
            return c.pgid == caller.pgid;
        }
        return pid == -1 || c.pgid == -pid;
    }
}
