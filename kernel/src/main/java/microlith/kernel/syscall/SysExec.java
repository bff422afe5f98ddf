package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.task.Task;

/** execve and wait4 (fork, vfork and clone are in SysThread). */
final class SysExec {
    private static final int WNOHANG = 1;
    private static final int PATH_MAX = 4096;

    private final Services k;

    SysExec(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("execve", (task, path, argv, envp, d, e, f) -> execve(task, path, argv, envp));
        t.register("wait4", (task, pid, status, options, rusage, e, f) -> wait4(task, pid, status, options, rusage));
        t.register("waitid", (task, type, id, info, options, rusage, f) -> waitid(task, type, id, info, options, rusage));
    }

    /**
     * A NULL-terminated array of user strings, or null with the errno in err[0]: EFAULT for
     * a bad pointer, E2BIG once the strings and pointers read so far pass ARG_MAX (so a
     * huge or unterminated array ends early) or one string passes MAX_ARG_STRLEN.
     */
    private List<String> strings(Task t, long array, long[] room, int[] err) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (int i = 0; ; i++) {
            Long p = k.uaccess.getUser64(t.mm, array + i * 8L);
            if (p == null) {
                err[0] = Errno.EFAULT;
                return null;
            }
            if (p == 0) {
                return out;
            }
            String s = k.uaccess.strncpyFromUser(t.mm, p, ArgLimits.MAX_ARG_STRLEN + 1);
            if (s == null) {
                err[0] = Errno.EFAULT;
                return null;
            }
            room[0] -= 8 + ArgLimits.size(s);
            if (ArgLimits.size(s) > ArgLimits.MAX_ARG_STRLEN || room[0] < 0) {
                err[0] = Errno.E2BIG;
                return null;
            }
            out.add(s);
        }
    }

    private long execve(Task t, long upath, long uargv, long uenvp) {
        String path = k.uaccess.strncpyFromUser(t.mm, upath, PATH_MAX);
        if (path == null) {
            return -Errno.EFAULT;
        }
        if (path.isEmpty()) {
            return -Errno.ENOENT;
        }
        long[] room = {ArgLimits.ARG_MAX};
        int[] err = new int[1];
        List<String> argv = strings(t, uargv, room, err);
        List<String> envp = argv == null ? null : strings(t, uenvp, room, err);
        if (envp == null) {
            return -err[0];
        }
        return k.process.exec(t, path, argv, envp);
    }

    private static final int WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
    private static final int WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
    private static final int P_ALL = 0, P_PID = 1, P_PGID = 2;

    /**
     * waitid: like wait4, but the child's end comes back as a siginfo (si_signo SIGCHLD,
     * si_code CLD_EXITED, CLD_KILLED or CLD_DUMPED, si_pid, si_uid, si_status), and with
     * WNOWAIT the child stays a zombie. No child ever stops here, so WSTOPPED and
     * WCONTINUED alone find nothing.
     */
    private long waitid(Task t, long idtype, long id, long infop, long options, long rusage) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) != 0
            || (options & (WSTOPPED | WEXITED | WCONTINUED)) == 0) {
            return -Errno.EINVAL;
        }
        int pid;
        switch ((int) idtype) {
            case P_ALL: pid = -1; break;
            case P_PID:
                if (id <= 0 || id > Integer.MAX_VALUE) {
                    return -Errno.EINVAL;
                }
                pid = (int) id;
                break;
            case P_PGID: pid = -1; break;
            default: return -Errno.EINVAL;
        }
        boolean[] has = new boolean[1];
        Task child = k.process.reapChild(t, pid, has, false);
        if ((options & WEXITED) == 0) {
            child = null;
        }
        byte[] info = new byte[128];
        if (child == null) {
            if (!has[0]) {
                return -Errno.ECHILD;
            }
            if ((options & WNOHANG) != 0) {
                return infop != 0 && !k.uaccess.copyToUser(t.mm, infop, info, 0, 128) ? -Errno.EFAULT : 0;
            }
            t.group.leader.childWait.add(t);
            k.sched.sleep(t);
            return -Errno.EINTR;
        }
        int status = child.exitStatus;
        int sig = status & 0x7f;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, microlith.kernel.task.Signals.SIGCHLD);
        b.putInt(8, sig == 0 ? 1 : (status & 0x80) != 0 ? 3 : 2);
        b.putInt(16, child.pid).putInt(20, child.uid()).putInt(24, sig == 0 ? (status >> 8) & 0xff : sig);
        if (infop != 0 && !k.uaccess.copyToUser(t.mm, infop, info, 0, 128)) {
            return -Errno.EFAULT;
        }
        if (rusage != 0 && !k.uaccess.copyToUser(t.mm, rusage, new byte[144], 0, 144)) {
            return -Errno.EFAULT;
        }
        if ((options & WNOWAIT) == 0) {
            k.process.reapChild(t, child.pid, has, true);
        }
        return 0;
    }

    private long wait4(Task t, long pid, long ustatus, long options, long rusage) {
        if ((options & ~(WNOHANG | WSTOPPED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        if (pid < -1 || pid == 0) {
            // Process groups arrive with job control; treat "same group" as "any child".
            pid = -1;
        }
        boolean[] has = new boolean[1];
        Task child = k.process.reapChild(t, (int) pid, has);
        if (child == null) {
            if (!has[0]) {
                return -Errno.ECHILD;
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            t.group.leader.childWait.add(t);
            k.sched.sleep(t);
            return -Errno.EINTR;
        }
        if (ustatus != 0 && !k.uaccess.putUser32(t.mm, ustatus, child.exitStatus)) {
            return -Errno.EFAULT;
        }
        if (rusage != 0) {
            byte[] zero = new byte[144];
            if (!k.uaccess.copyToUser(t.mm, rusage, zero, 0, zero.length)) {
                return -Errno.EFAULT;
            }
        }
        return child.pid;
    }
}
