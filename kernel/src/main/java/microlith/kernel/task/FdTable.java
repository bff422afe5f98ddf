package microlith.kernel.task;

import microlith.module.api.Errno;

/** A process's file descriptor table. */
public final class FdTable {
    public static final int MAX_FDS = 256;
    private final File[] fds = new File[MAX_FDS];
    private final boolean[] cloexec = new boolean[MAX_FDS];
    /** Tasks sharing this table (CLONE_FILES): the files close when the last one leaves. */
    public int users = 1;

    /** fork: the child's table refers to the same open files. */
    public FdTable copy() {
        FdTable t = new FdTable();
        for (int i = 0; i < MAX_FDS; i++) {
            if (fds[i] != null) {
                fds[i].retain();
                t.fds[i] = fds[i];
                t.cloexec[i] = cloexec[i];
            }
        }
        return t;
    }

    public boolean cloexec(int fd) {
        return cloexec[fd];
    }

    public void setCloexec(int fd, boolean on) {
        cloexec[fd] = on;
    }

    /** dup/F_DUPFD: the lowest free descriptor at or above min; -EMFILE if none. */
    public int dup(int fd, int min, boolean closeOnExec) {
        File f = get(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        for (int i = Math.max(0, min); i < MAX_FDS; i++) {
            if (fds[i] == null) {
                f.retain();
                fds[i] = f;
                cloexec[i] = closeOnExec;
                return i;
            }
        }
        return -Errno.EMFILE;
    }

    /** dup2/dup3: newfd refers to oldfd's file, closing what newfd held. */
    public int dupTo(int oldfd, int newfd, boolean closeOnExec) {
        File f = get(oldfd);
        if (f == null || newfd < 0 || newfd >= MAX_FDS) {
            return -Errno.EBADF;
        }
        if (oldfd == newfd) {
            return newfd;
        }
        f.retain();
        if (fds[newfd] != null) {
            close(newfd);
        }
        fds[newfd] = f;
        cloexec[newfd] = closeOnExec;
        return newfd;
    }

    /** execve: descriptors marked close-on-exec go away. */
    public void closeOnExec() {
        for (int i = 0; i < MAX_FDS; i++) {
            if (fds[i] != null && cloexec[i]) {
                close(i);
            }
        }
    }

    public File get(int fd) {
        return fd >= 0 && fd < MAX_FDS ? fds[fd] : null;
    }

    /** Installs at the lowest free descriptor; -EMFILE when full. */
    public int install(File f) {
        for (int i = 0; i < MAX_FDS; i++) {
            if (fds[i] == null) {
                fds[i] = f;
                cloexec[i] = false;
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
        cloexec[fd] = false;
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
