package microlith.kernel.syscall;

import microlith.kernel.task.FdTable;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Calls a libc or runtime makes in passing, each with Linux's checks: close_range,
 * membarrier, get/setpriority, personality, fadvise64, and the extended-attribute calls
 * (no filesystem here keeps attributes). The mlock family and msync are in SysMemory.
 */
final class SysMisc {
    private static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
    private static final int MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_SUPPORTED = 0x1f;
    private static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    private final Services k;

    SysMisc(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("close_range", (task, first, last, flags, d, e, f) -> closeRange(task, first, last, flags));
        t.register("membarrier", (task, cmd, flags, cpu, d, e, f) -> membarrier(cmd, flags));
        t.register("getpriority", (task, which, who, c, d, e, f) -> {
            Task x = priorityTarget(task, which, who);
            return x == null ? -Errno.ESRCH : 20 - x.nice;
        });
        t.register("setpriority", (task, which, who, prio, d, e, f) -> setpriority(task, which, who, prio));
        t.register("personality", (task, persona, b, c, d, e, f) ->
            persona == 0xffffffffL || persona == 0 ? 0 : -Errno.EINVAL);
        t.register("fadvise64", (task, fd, off, len, advice, e, f) -> {
            if (task.files.get((int) fd) == null || fd < 0) {
                return -Errno.EBADF;
            }
            return advice < 0 || advice > 5 || len < 0 ? -Errno.EINVAL : 0;
        });
        t.register("getxattr", (task, path, n, v, size, e, f) -> xattrPath(task, path, -Errno.ENODATA));
        t.register("lgetxattr", (task, path, n, v, size, e, f) -> xattrPath(task, path, -Errno.ENODATA));
        t.register("listxattr", (task, path, list, size, d, e, f) -> xattrPath(task, path, 0));
        t.register("llistxattr", (task, path, list, size, d, e, f) -> xattrPath(task, path, 0));
        t.register("setxattr", (task, path, n, v, size, flags, f) -> xattrPath(task, path, -Errno.EOPNOTSUPP));
        t.register("lsetxattr", (task, path, n, v, size, flags, f) -> xattrPath(task, path, -Errno.EOPNOTSUPP));
        t.register("removexattr", (task, path, n, c, d, e, f) -> xattrPath(task, path, -Errno.EOPNOTSUPP));
        t.register("lremovexattr", (task, path, n, c, d, e, f) -> xattrPath(task, path, -Errno.EOPNOTSUPP));
        t.register("fgetxattr", (task, fd, n, v, size, e, f) -> xattrFd(task, fd, -Errno.ENODATA));
        t.register("flistxattr", (task, fd, list, size, d, e, f) -> xattrFd(task, fd, 0));
        t.register("fsetxattr", (task, fd, n, v, size, flags, f) -> xattrFd(task, fd, -Errno.EOPNOTSUPP));
        t.register("fremovexattr", (task, fd, n, c, d, e, f) -> xattrFd(task, fd, -Errno.EOPNOTSUPP));
    }

    /** close_range(first, last, flags): closes (or marks close-on-exec) every open descriptor in range. */
    private long closeRange(Task t, long first, long last, long flags) {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || Integer.toUnsignedLong((int) first) > Integer.toUnsignedLong((int) last)) {
            return -Errno.EINVAL;
        }
        if ((flags & CLOSE_RANGE_UNSHARE) != 0 && t.files.users > 1) {
            FdTable own = t.files.copy();
            if (own == null) {
                return -Errno.ENOMEM;
            }
            t.files.users--;
            t.files = own;
        }
        long hi = Math.min(Integer.toUnsignedLong((int) last), FdTable.MAX_FDS - 1);
        for (long fd = Integer.toUnsignedLong((int) first); fd <= hi; fd++) {
            if (t.files.get((int) fd) == null) {
                continue;
            }
            if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                t.files.setCloexec((int) fd, true);
            } else {
                t.files.close((int) fd);
            }
        }
        return 0;
    }

    /** One CPU and no caches to order: every barrier is already in place. */
    private static long membarrier(long cmd, long flags) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (cmd == MEMBARRIER_CMD_QUERY) {
            return MEMBARRIER_SUPPORTED;
        }
        return Long.bitCount(cmd) == 1 && (cmd & MEMBARRIER_SUPPORTED) != 0 ? 0 : -Errno.EINVAL;
    }

    private Task priorityTarget(Task t, long which, long who) {
        if (which == PRIO_PROCESS) {
            return who == 0 ? t : who < 0 || who > Integer.MAX_VALUE ? null : k.sched.find((int) who);
        }
        if (which == PRIO_PGRP || which == PRIO_USER) {
            for (Task x : k.sched.all()) {
                if (x.state != Task.State.ZOMBIE && (which == PRIO_PGRP ? x.pgid == (who == 0 ? t.pgid : who)
                    : x.uid() == (who == 0 ? t.uid() : who))) {
                    return x;
                }
            }
        }
        return null;
    }

    private long setpriority(Task t, long which, long who, long prio) {
        if (which < PRIO_PROCESS || which > PRIO_USER) {
            return -Errno.EINVAL;
        }
        Task x = priorityTarget(t, which, who);
        if (x == null) {
            return -Errno.ESRCH;
        }
        int nice = (int) Math.max(-20, Math.min(19, prio));
        if (x.uid() != t.uid() && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (nice < x.nice && t.uid() != 0) {
            return -Errno.EACCES;
        }
        x.nice = nice;
        return 0;
    }

    private long xattrPath(Task t, long upath, long result) {
        String p = k.uaccess.strncpyFromUser(t.mm, upath, 4096);
        if (p == null) {
            return -Errno.EFAULT;
        }
        int[] err = new int[1];
        return k.vfs.lookup(t, null, p, false, err) == null ? err[0] : result;
    }

    private long xattrFd(Task t, long fd, long result) {
        return fd < 0 || fd > Integer.MAX_VALUE || t.files.get((int) fd) == null ? -Errno.EBADF : result;
    }
}
