package microlith.module.api;

/**
 * A character device's operations (Linux's struct file_operations). User buffers are
 * user-space addresses: move data with {@link ModuleContext#copyToUser} and
 * {@link ModuleContext#copyFromUser}. Results are byte counts or negative errnos; an
 * operation that must wait returns {@link WaitQueue#block()}.
 *
 * <p>The kernel keeps the table as function pointers in kernel memory (kmalloc'd), each
 * pointing at the module's text, and calls through them.
 */
public interface FileOperations {
    default int open(OpenFile file) {
        return 0;
    }

    default long read(OpenFile file, long userBuf, long count) {
        return -Errno.EINVAL;
    }

    default long write(OpenFile file, long userBuf, long count) {
        return -Errno.EINVAL;
    }

    /** Moves the position; whence is SEEK_SET 0, SEEK_CUR 1 or SEEK_END 2. */
    default long llseek(OpenFile file, long offset, int whence) {
        return -Errno.ESPIPE;
    }

    /** unlocked_ioctl: arg is the raw argument, often a user pointer. */
    default long ioctl(OpenFile file, int cmd, long arg) {
        return -Errno.ENOTTY;
    }

    /** A mask of {@link PollTable} bits; register on the queues that change it. */
    default int poll(OpenFile file, PollTable table) {
        return PollTable.POLLIN | PollTable.POLLRDNORM | PollTable.POLLOUT | PollTable.POLLWRNORM;
    }

    default int release(OpenFile file) {
        return 0;
    }
}
