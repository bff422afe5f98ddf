package microlith.kernel.fs;

import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * What the files of Linux's anonymous inodes share (eventfd, timerfd, signalfd, epoll,
 * pidfd): no name, mode 0600, O_NONBLOCK as their only status flag besides O_RDWR, one
 * open file description counted by its descriptors and released when the last one
 * closes, and EINVAL for a read or write the file type has no use for.
 */
public abstract class AnonFile implements File {
    public static final int O_NONBLOCK = 04000;
    private static final int O_RDWR = 2;

    protected boolean nonblock;
    private int refs = 1;

    protected AnonFile(int flags) {
        this.nonblock = (flags & O_NONBLOCK) != 0;
    }

    /** Most of these files cannot be read or written (epoll, pidfd): EINVAL, as Linux's. */
    @Override
    public int read(Task task, byte[] buf, int len) {
        return -Errno.EINVAL;
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        return -Errno.EINVAL;
    }

    /** The last descriptor is gone: give back what the file holds. */
    protected void release() {
    }

    @Override
    public int statusFlags() {
        return O_RDWR | (nonblock ? O_NONBLOCK : 0);
    }

    @Override
    public void setStatusFlags(int flags) {
        nonblock = (flags & O_NONBLOCK) != 0;
    }

    @Override
    public int mode() {
        return 0600;
    }

    @Override
    public void retain() {
        refs++;
    }

    @Override
    public void close() {
        if (--refs == 0) {
            release();
        }
    }
}
