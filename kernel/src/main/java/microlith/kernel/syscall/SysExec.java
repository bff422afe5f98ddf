package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.task.Task;

/** fork, vfork, clone (fork-like only), execve and wait4. */
final class SysExec {
    private static final long SIGCHLD = 17;
    private static final long CSIGNAL = 0xff;
    private static final int WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8;
    private static final long WNOTHREAD = 0x20000000L, WALL = 0x40000000L, WCLONE = 0x80000000L;
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

    /**
     * wait4: a child matching pid (&gt;0 that one, -1 any, 0 the caller's process group,
     * &lt;-1 group -pid) that has exited, or with WUNTRACED stopped, or with WCONTINUED
     * continued since last reported, in the order Linux's wait_consider_task checks them.
     * Stopped reports (sig &lt;&lt; 8 | 0x7f) and continued ones (0xffff) are given once.
     */
    private long wait4(Task t, long pid, long ustatus, long options, long rusage) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        boolean any = false;
        Task child = null;
        int status = 0;
        for (Task c : new ArrayList<>(k.sched.all())) {
            if (c.parent != t || !matches(t, c, pid)) {
                continue;
            }
            any = true;
            if (c.state == Task.State.ZOMBIE) {
                child = k.process.reapChild(t, c.pid, new boolean[1]);
                status = child.exitStatus;
                break;
            }
            if ((options & WUNTRACED) != 0 && c.state == Task.State.STOPPED && c.stopUnreported) {
                c.stopUnreported = false;
                child = c;
                status = c.stopSignal << 8 | 0x7f;
                break;
            }
            if ((options & WCONTINUED) != 0 && c.contUnreported) {
                c.contUnreported = false;
                child = c;
                status = 0xffff;
                break;
            }
        }
        if (child == null) {
            if (!any) {
                return -Errno.ECHILD;
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            t.childWait.add(t);
            k.sched.sleep(t);
            return -Errno.EINTR;
        }
        if (ustatus != 0 && !k.uaccess.putUser32(t.mm, ustatus, status)) {
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

    private static boolean matches(Task parent, Task c, long pid) {
        if (pid > 0) {
            return c.pid == pid;
        }
        if (pid == 0) {
            return c.pgid == parent.pgid;
        }
        return pid == -1 || c.pgid == -pid;
    }
}
