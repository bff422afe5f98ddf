package microlith.kernel.syscall;

import microlith.kernel.fs.SignalFd;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/** signalfd and signalfd4 (Linux's fs/signalfd.c): a new signalfd, or a new mask for one. */
final class SysSignalFd {
    private static final int SFD_CLOEXEC = 02000000;
    private static final long SIGSET_SIZE = 8;

    private final Services k;

    SysSignalFd(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("signalfd", (task, fd, mask, size, d, e, f) -> signalfd(task, fd, mask, size, 0));
        t.register("signalfd4", (task, fd, mask, size, flags, e, f) -> signalfd(task, fd, mask, size, flags));
    }

    private long signalfd(Task t, long ufd, long umask, long size, long flags) {
        if ((flags & ~(SFD_CLOEXEC | SignalFd.SFD_NONBLOCK)) != 0 || size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Long mask = k.uaccess.getUser64(t.mm, umask);
        if (mask == null) {
            return -Errno.EFAULT;
        }
        int fd = (int) ufd;
        if (fd == -1) {
            fd = t.files.install(new SignalFd(k.sched, mask, (int) flags));
            if (fd >= 0) {
                t.files.setCloexec(fd, (flags & SFD_CLOEXEC) != 0);
            }
            return fd;
        }
        File f = t.files.get(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof SignalFd)) {
            return -Errno.EINVAL;
        }
        ((SignalFd) f).setMask(mask);
        return fd;
    }
}
