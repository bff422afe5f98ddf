package microlith.kernel.syscall;

import microlith.module.api.Errno;
import microlith.kernel.task.File;
import microlith.kernel.fs.ChrdevFile;
import microlith.kernel.fs.InodeFile;
import microlith.kernel.fs.Pipe;
import microlith.kernel.task.Task;

/** pipe, pipe2, dup, dup2, dup3 and fcntl. */
final class SysPipe {
    private static final int O_NONBLOCK = 04000, O_DIRECT = 040000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int FD_CLOEXEC = 1;

    private static final int F_SETOWN = 8, F_GETOWN = 9, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

    private final Services k;
    private final SysLock locks;

    SysPipe(Services k, SysLock locks) {
        this.k = k;
        this.locks = locks;
    }

    /** F_GETFL: the access mode and status flags of an open file. */
    static int getfl(File f) {
        if (f instanceof Pipe.End) {
            return (((Pipe.End) f).isWriteEnd() ? 1 : 0) | (((Pipe.End) f).nonblock ? O_NONBLOCK : 0);
        }
        if (f instanceof InodeFile) {
            return ((InodeFile) f).flags() & ~(O_CLOEXEC | 0300 | 01000);
        }
        if (f instanceof ChrdevFile) {
            return ((ChrdevFile) f).flags();
        }
        return f.statusFlags();
    }

    /** F_SETFL: O_APPEND, O_NONBLOCK and friends; the access mode stays. */
    static void setfl(File f, int flags) {
        if (f instanceof Pipe.End) {
            ((Pipe.End) f).nonblock = (flags & O_NONBLOCK) != 0;
        } else if (f instanceof InodeFile) {
            ((InodeFile) f).setFlags(flags);
        } else if (f instanceof ChrdevFile) {
            ((ChrdevFile) f).setFlags(flags);
        } else {
            f.setStatusFlags((f.statusFlags() & 3) | (flags & ~3));
        }
    }

    void register(SyscallTable t) {
        t.register("pipe", (task, fds, b, c, d, e, f) -> pipe(task, fds, 0));
        t.register("pipe2", (task, fds, flags, c, d, e, f) -> pipe(task, fds, flags));
        t.register("eventfd", (task, initval, b, c, d, e, f) -> eventfd(task, initval, 0));
        t.register("eventfd2", (task, initval, flags, c, d, e, f) -> eventfd(task, initval, flags));
        t.register("dup", (task, fd, b, c, d, e, f) -> task.files.dup((int) fd, 0, false));
        t.register("dup2", (task, o, n, c, d, e, f) -> dup2(task, o, n));
        t.register("dup3", (task, o, n, flags, d, e, f) -> dup3(task, o, n, flags));
        t.register("fcntl", (task, fd, cmd, arg, d, e, f) -> fcntl(task, fd, cmd, arg));
    }

    private long pipe(Task t, long ufds, long flags) {
        // O_DIRECT (packet mode) is accepted and the pipe stays a byte stream.
        if ((flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT)) != 0) {
            return -Errno.EINVAL;
        }
        Pipe.End[] ends = Pipe.create(k.mem, k.pages, k.sched, (flags & O_NONBLOCK) != 0);
        if (ends == null) {
            return -Errno.ENOMEM;
        }
        int r = t.files.install(ends[0]);
        if (r < 0) {
            ends[0].close();
            ends[1].close();
            return r;
        }
        int w = t.files.install(ends[1]);
        if (w < 0) {
            t.files.close(r);
            ends[1].close();
            return w;
        }
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        t.files.setCloexec(r, cloexec);
        t.files.setCloexec(w, cloexec);
        if (!k.uaccess.putUser32(t.mm, ufds, r) || !k.uaccess.putUser32(t.mm, ufds + 4, w)) {
            t.files.close(r);
            t.files.close(w);
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** eventfd2(initval, flags): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC. */
    private long eventfd(Task t, long initval, long flags) {
        if ((flags & ~(1 | O_NONBLOCK | O_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        int fd = t.files.install(new microlith.kernel.fs.EventFd(k.sched, initval & 0xffffffffL, (int) flags));
        if (fd >= 0) {
            t.files.setCloexec(fd, (flags & O_CLOEXEC) != 0);
        }
        return fd;
    }

    private long dup2(Task t, long oldfd, long newfd) {
        if (t.files.get((int) oldfd) == null) {
            return -Errno.EBADF;
        }
        return t.files.dupTo((int) oldfd, (int) newfd, false);
    }

    private long dup3(Task t, long oldfd, long newfd, long flags) {
        if (oldfd == newfd || (flags & ~O_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        return t.files.dupTo((int) oldfd, (int) newfd, (flags & O_CLOEXEC) != 0);
    }

    private long fcntl(Task t, long fd, long cmd, long arg) {
        File f = t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        switch ((int) cmd) {
            case F_DUPFD:
            case F_DUPFD_CLOEXEC:
                // The lowest descriptor from an unsigned int arg; at or past the limit is EINVAL.
                if (Integer.compareUnsigned((int) arg, microlith.kernel.task.FdTable.MAX_FDS) >= 0) {
                    return -Errno.EINVAL;
                }
                return t.files.dup((int) fd, (int) arg, (int) cmd == F_DUPFD_CLOEXEC);
            case F_GETFD: return t.files.cloexec((int) fd) ? FD_CLOEXEC : 0;
            case F_SETFD:
                t.files.setCloexec((int) fd, (arg & FD_CLOEXEC) != 0);
                return 0;
            case F_GETFL:
                return getfl(f);
            case F_SETFL:
                setfl(f, (int) arg);
                return 0;
            case SysLock.F_GETLK: case SysLock.F_SETLK: case SysLock.F_SETLKW:
            case SysLock.F_OFD_GETLK: case SysLock.F_OFD_SETLK: case SysLock.F_OFD_SETLKW:
                return locks.fcntl(t, (int) fd, f, (int) cmd, arg, getfl(f) & 3);
            case F_SETPIPE_SZ:
            case F_GETPIPE_SZ:
                return f instanceof Pipe.End ? Pipe.SIZE : -Errno.EBADF;
            case F_GETOWN:
                return 0;
            case F_SETOWN:
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }
}
