package microlith.kernel.fs;

import microlith.kernel.syscall.Errno;

/** A process's file descriptor table. */
public final class FdTable {
    public static final int MAX_FDS = 256;
    private final File[] fds = new File[MAX_FDS];

    public File get(int fd) {
        return fd >= 0 && fd < MAX_FDS ? fds[fd] : null;
    }

    /** Installs at the lowest free descriptor; -EMFILE when full. */
    public int install(File f) {
        for (int i = 0; i < MAX_FDS; i++) {
            if (fds[i] == null) {
                fds[i] = f;
                return i;
            }
        }
        return -Errno.EMFILE;
    }

    public void installAt(int fd, File f) {
        fds[fd] = f;
    }

    public int close(int fd) {
        File f = get(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        fds[fd] = null;
        f.close();
        return 0;
    }

    public void closeAll() {
        for (int i = 0; i < MAX_FDS; i++) {
            if (fds[i] != null) {
                close(i);
            }
        }
    }
}
