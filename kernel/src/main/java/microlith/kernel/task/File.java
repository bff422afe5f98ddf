package microlith.kernel.task;

import microlith.kernel.task.Task;

/**
 * An open file description (Linux's struct file) with its operations. Reads and writes
 * work on kernel byte arrays; the syscall layer does the user copies. A read that would
 * block returns {@link #WOULD_BLOCK} after queueing the task on a wait queue.
 */
public interface File {
    int WOULD_BLOCK = Integer.MIN_VALUE;

    /** Bytes read into buf (0 at end of file), a negative errno, or WOULD_BLOCK. */
    int read(Task task, byte[] buf, int len);

    /** Bytes written, or a negative errno. */
    int write(Task task, byte[] buf, int len);

    /**
     * FMODE_READ: whether the file was opened for reading. read(2) refuses one that was
     * not with EBADF before it looks at the buffer, as Linux's vfs_read does.
     */
    default boolean mayRead() {
        return true;
    }

    /** FMODE_WRITE: whether the file was opened for writing (write(2): EBADF first). */
    default boolean mayWrite() {
        return true;
    }

    /** Linux's OPEN_FMODE: access mode 0 reads, 1 writes, 2 both, 3 neither (ioctl only). */
    static boolean readMode(int openFlags) {
        return ((openFlags + 1) & 1) != 0;
    }

    static boolean writeMode(int openFlags) {
        return ((openFlags + 1) & 2) != 0;
    }

    /** An ioctl; arg is the raw user argument. Negative errno on failure. */
    default long ioctl(Task task, int cmd, long arg) {
        return -microlith.module.api.Errno.ENOTTY;
    }

    default long lseek(long offset, int whence) {
        return -microlith.module.api.Errno.ESPIPE;
    }

    /** Called once after a device node's open produced this file; 0 or a negative errno. */
    default int open(Task task, int flags) {
        return 0;
    }

    /** Whether the driver moves data to and from user memory itself (a module's device). */
    default boolean userIo() {
        return false;
    }

    /** With {@link #userIo}: read into the user buffer; bytes, or a negative errno. */
    default long readUser(Task task, long buf, long count) {
        return -microlith.module.api.Errno.EINVAL;
    }

    /** With {@link #userIo}: write from the user buffer. */
    default long writeUser(Task task, long buf, long count) {
        return -microlith.module.api.Errno.EINVAL;
    }

    /**
     * poll: the ready events (POLLIN 1, POLLOUT 4, POLLERR 8, POLLHUP 16). With register,
     * also queue the caller to be woken when that may change.
     */
    default int poll(Task task, boolean register) {
        return 0x1 | 0x4;
    }

    /** F_GETFL for file types that keep their own flags: access mode and O_NONBLOCK etc. */
    default int statusFlags() {
        return 2;
    }

    /** F_SETFL for those types. */
    default void setStatusFlags(int flags) {
    }

    /** FIONREAD: bytes ready to read, or -1 to let the driver's ioctl answer. */
    default long fionread() {
        return -1;
    }

    /** st_mode for fstat. */
    int mode();

    default long size() {
        return 0;
    }

    /** Inode number for fstat. */
    default long ino() {
        return 0;
    }

    /** Device number (st_rdev) of a character device, else 0. */
    default long rdev() {
        return 0;
    }

    /** Another descriptor now refers to this open file (dup, fork). */
    default void retain() {
    }

    /** A descriptor referring to this open file was closed. */
    default void close() {
    }
}
