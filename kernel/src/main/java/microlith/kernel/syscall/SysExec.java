package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.fs.Namei;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.task.Task;

/** fork, vfork, clone (fork-like only), execve and wait4. */
final class SysExec {
    private static final long SIGCHLD = 17;
    private static final long CSIGNAL = 0xff;
    private static final int WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8;
    private static final int WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
    private static final int PATH_MAX = 4096;

    private final Services k;

    SysExec(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("fork", (task, a, b, c, d, e, f) -> fork(task));
        // vfork's sharing is an optimization; a copy-on-write fork is a faithful stand-in.
        t.register("vfork", (task, a, b, c, d, e, f) -> fork(task));
        t.register("clone", (task, flags, stack, ptid, ctid, tls, f) -> clone(task, flags, stack));
        t.register("execve", (task, path, argv, envp, d, e, f) -> execve(task, path, argv, envp));
        t.register("wait4", (task, pid, status, options, rusage, e, f) -> wait4(task, pid, status, options, rusage));
    }

    private long fork(Task t) {
        int[] err = new int[1];
        Task child = k.process.fork(t, err);
        return child == null ? -err[0] : child.pid;
    }

    /** Only the fork-like clone (no shared VM, files or threads) is supported. */
    private long clone(Task t, long flags, long stack) {
        if ((flags & ~CSIGNAL) != 0 || stack != 0) {
            return -Errno.EINVAL;
        }
        return fork(t);
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
            // No NUL within MAX_ARG_STRLEN is E2BIG; an unreadable byte before it EFAULT.
            Uaccess.UserString s = k.uaccess.copyString(t.mm, p, ArgLimits.MAX_ARG_STRLEN);
            if (!s.ok()) {
                err[0] = s.errno() == Errno.EFAULT ? Errno.EFAULT : Errno.E2BIG;
                return null;
            }
            room[0] -= 8 + ArgLimits.size(s.value());
            if (room[0] < 0) {
                err[0] = Errno.E2BIG;
                return null;
            }
            out.add(s.value());
        }
    }

    /**
     * execve in Linux's order: the path is copied (ENAMETOOLONG without a NUL within
     * PATH_MAX) and the file opened, with search permission on its directories and
     * execute permission for the caller, before argv and envp are copied.
     */
    private long execve(Task t, long upath, long uargv, long uenvp) {
        Uaccess.UserString ps = k.uaccess.copyString(t.mm, upath, PATH_MAX);
        if (!ps.ok()) {
            return -ps.errno();
        }
        String path = ps.value();
        if (path.isEmpty()) {
            return -Errno.ENOENT;
        }
        int[] err = new int[1];
        Namei.Walk file = k.process.openExec(t, path, err);
        if (file == null) {
            return err[0];
        }
        long[] room = {ArgLimits.ARG_MAX};
        List<String> argv = strings(t, uargv, room, err);
        List<String> envp = argv == null ? null : strings(t, uenvp, room, err);
        if (envp == null) {
            return -err[0];
        }
        return k.process.exec(t, file, path, argv, envp);
    }

    /**
     * wait4: pid &gt; 0 that child, -1 any child, 0 a child in the caller's process group,
     * &lt; -1 a child in group -pid. Unknown options are EINVAL; INT_MIN names no one.
     */
    private long wait4(Task t, long upid, long ustatus, long options, long rusage) {
        // options is an int: the high half of the register does not count.
        if (((int) options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        int pid = (int) upid;
        if (pid == Integer.MIN_VALUE) {
            return -Errno.ESRCH;
        }
        boolean[] has = new boolean[1];
        Task child = pid >= -1 && pid != 0 ? k.process.reapChild(t, pid, has)
            : reapFromGroup(t, pid == 0 ? t.pgid : -pid, has);
        if (child == null) {
            if (!has[0]) {
                return -Errno.ECHILD;
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            t.childWait.add(t);
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

    /** Reaps a zombie child of t in process group pgrp; has[0] tells whether any child is in it. */
    private Task reapFromGroup(Task t, int pgrp, boolean[] has) {
        for (Task c : new ArrayList<>(k.sched.all())) {
            if (c.parent == t && c.pgid == pgrp) {
                has[0] = true;
                if (c.state == Task.State.ZOMBIE) {
                    return k.process.reapChild(t, c.pid, new boolean[1]);
                }
            }
        }
        return null;
    }
}
