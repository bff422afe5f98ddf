package microlith.module.api;

/** Linux errno values a module returns, negated, as Linux kernel code does ({@code return -EINVAL;}). */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
        ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28,
        ESPIPE = 29, EROFS = 30, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ETIME = 62,
        EUCLEAN = 117;
    /**
     * Returned by an operation that put the caller on a {@link WaitQueue}: the kernel parks
     * the process and restarts the call when the queue is woken (Linux's -ERESTARTSYS).
     */
    public static final int ERESTARTSYS = 512;

    private Errno() {
    }
}
