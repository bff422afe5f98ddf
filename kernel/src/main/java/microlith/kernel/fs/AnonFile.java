package microlith.kernel.fs;

import microlith.kernel.task.File;

/**
 * What the files of Linux's anonymous inodes share (eventfd, timerfd, signalfd, epoll):
 * no name, mode 0600, O_NONBLOCK as their only status flag besides O_RDWR, and one open
 * file description counted by its descriptors, released when the last one closes.
 */
public abstract class AnonFile implements File {
    public static final int O_NONBLOCK = 04000;
    private static final int O_RDWR = 2;

    protected boolean nonblock;
    private int refs = 1;

    protected AnonFile(int flags) {
        this.nonblock = (flags & O_NONBLOCK) != 0;
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
