package microlith.kernel.syscall;

import microlith.kernel.fs.HasInode;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.InodeFile;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Directory and metadata calls: chdir, fchdir, mkdir, rmdir, unlink, rename, getdents64,
 * umask, utimensat, chmod and chown (with their f* and *at forms). The permission rules
 * (write and search on a changed directory, the sticky bit, ownership for chmod, root for
 * chown) are the VFS's.
 */
final class SysDir {
    private final Services k;
    private final SysFile files;

    SysDir(Services k, SysFile files) {
        this.k = k;
        this.files = files;
    }

    void register(SyscallTable t) {
        t.register("chdir", (task, path, b, c, d, e, f) -> chdir(task, path));
        t.register("fchdir", (task, fd, b, c, d, e, f) -> fchdir(task, fd));
        t.register("mkdir", (task, path, mode, c, d, e, f) -> mkdir(task, SysFile.AT_FDCWD, path, mode));
        t.register("mkdirat", (task, dfd, path, mode, d, e, f) -> mkdir(task, dfd, path, mode));
        t.register("rmdir", (task, path, b, c, d, e, f) -> remove(task, SysFile.AT_FDCWD, path, true));
        t.register("unlink", (task, path, b, c, d, e, f) -> remove(task, SysFile.AT_FDCWD, path, false));
        t.register("unlinkat", (task, dfd, path, flags, d, e, f) -> (flags & ~SysFile.AT_REMOVEDIR) != 0
            ? -Errno.EINVAL : remove(task, dfd, path, (flags & SysFile.AT_REMOVEDIR) != 0));
        t.register("rename", (task, a, b, c, d, e, f) -> rename(task, SysFile.AT_FDCWD, a, SysFile.AT_FDCWD, b, false));
        t.register("renameat", (task, da, a, db, b, e, f) -> rename(task, da, a, db, b, false));
        t.register("renameat2", (task, da, a, db, b, flags, f) -> renameat2(task, da, a, db, b, flags));
        t.register("getdents64", (task, fd, buf, count, d, e, f) -> getdents(task, fd, buf, count));
        t.register("umask", (task, mask, b, c, d, e, f) -> {
            int old = task.umask;
            for (Task x : fsSharers(task)) {
                x.umask = (int) mask & 0777;
            }
            return old;
        });
        t.register("utimensat", (task, dfd, path, times, flags, e, f) -> utimensat(task, dfd, path, times, flags));
        t.register("chmod", (task, path, mode, c, d, e, f) -> chmod(task, SysFile.AT_FDCWD, path, mode, 0));
        t.register("fchmodat", (task, dfd, path, mode, d, e, f) -> chmod(task, dfd, path, mode, 0));
        t.register("fchmod", (task, fd, mode, c, d, e, f) -> fchmod(task, fd, mode));
        t.register("chown", (task, path, uid, gid, d, e, f) -> chown(task, SysFile.AT_FDCWD, path, uid, gid, 0));
        t.register("lchown", (task, path, uid, gid, d, e, f) ->
            chown(task, SysFile.AT_FDCWD, path, uid, gid, SysFile.AT_SYMLINK_NOFOLLOW));
        t.register("fchownat", (task, dfd, path, uid, gid, flags, f) ->
            (flags & ~(SysFile.AT_SYMLINK_NOFOLLOW | SysFile.AT_EMPTY_PATH)) != 0 ? -Errno.EINVAL
                : chown(task, dfd, path, uid, gid, flags));
        t.register("fchown", (task, fd, uid, gid, d, e, f) -> fchown(task, fd, uid, gid));
    }

    private long chdir(Task t, long upath) {
        int[] err = new int[1];
        String p = files.userPath(t, upath, err);
        if (p == null) {
            return err[0];
        }
        String cwd = k.vfs.chdirPath(t, null, p, err);
        if (cwd == null) {
            return err[0];
        }
        for (Task x : fsSharers(t)) {
            x.cwd = cwd;
        }
        return 0;
    }

    /** The tasks that share t's working directory and umask (CLONE_FS), t among them. */
    private java.util.List<Task> fsSharers(Task t) {
        java.util.List<Task> out = new java.util.ArrayList<>();
        for (Task x : k.sched.all()) {
            if (x == t || x.fsShare == t.fsShare && x.state != Task.State.ZOMBIE) {
                out.add(x);
            }
        }
        return out;
    }

    private long fchdir(Task t, long fd) {
        File f = files.file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof InodeFile) || !((InodeFile) f).inode().isDir()) {
            return -Errno.ENOTDIR;
        }
        int[] err = new int[1];
        String cwd = k.vfs.chdirPath(t, null, ((InodeFile) f).path(), err);
        if (cwd == null) {
            return err[0];
        }
        for (Task x : fsSharers(t)) {
            x.cwd = cwd;
        }
        return 0;
    }

    private long mkdir(Task t, long dfd, long upath, long mode) {
        int[] err = new int[1];
        String[] bp = files.at(t, dfd, upath, err);
        return bp == null ? err[0] : k.vfs.mkdir(t, bp[0], bp[1], (int) mode);
    }

    private long remove(Task t, long dfd, long upath, boolean dir) {
        int[] err = new int[1];
        String[] bp = files.at(t, dfd, upath, err);
        return bp == null ? err[0] : k.vfs.remove(t, bp[0], bp[1], dir);
    }

    private static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    /**
     * renameat2: Linux's flag checks (unknown flags, NOREPLACE or WHITEOUT with EXCHANGE:
     * EINVAL; WHITEOUT without root: EPERM). NOREPLACE is honoured; EXCHANGE and WHITEOUT
     * need file-system support no filesystem here has (EINVAL, as Linux on such a fs).
     */
    private long renameat2(Task t, long da, long ua, long db, long ub, long flags) {
        if ((flags & ~(long) (RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
            || (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & RENAME_WHITEOUT) != 0 && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if ((flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) {
            return -Errno.EINVAL;
        }
        return rename(t, da, ua, db, ub, (flags & RENAME_NOREPLACE) != 0);
    }

    private long rename(Task t, long da, long ua, long db, long ub, boolean noReplace) {
        int[] err = new int[1];
        String[] a = files.at(t, da, ua, err);
        if (a == null) {
            return err[0];
        }
        String[] b = files.at(t, db, ub, err);
        if (b == null) {
            return err[0];
        }
        return k.vfs.rename(t, a[0], a[1], b[0], b[1], noReplace);
    }

    private long getdents(Task t, long fd, long ubuf, long count) {
        File f = files.file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof InodeFile)) {
            return -Errno.ENOTDIR;
        }
        InodeFile dir = (InodeFile) f;
        // count is an unsigned int: what is beyond 64 KiB is not needed for one batch.
        byte[] buf = new byte[(int) Math.min(count & 0xffff_ffffL, 1 << 16)];
        int[] err = new int[1];
        String path = dir.path();
        Inode parent = path.equals("/") ? dir.inode()
            : k.vfs.lookup(t, null, path.substring(0, Math.max(1, path.lastIndexOf('/'))), true, err);
        int n = dir.getdents(buf, parent == null ? dir.inode().ino : parent.ino);
        if (n <= 0) {
            return n;
        }
        return k.uaccess.copyToUser(t.mm, ubuf, buf, 0, n) ? n : -Errno.EFAULT;
    }

    private static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    private static boolean nsecValid(long nsec) {
        return nsec >= 0 && nsec < 1_000_000_000L || nsec == UTIME_NOW || nsec == UTIME_OMIT;
    }

    /**
     * utimensat: sets the modification time to now or to the given one (the access time is
     * not kept). Linux's order: both timespecs copied (EFAULT; UTIME_OMIT twice is done at
     * once), the flags checked (EINVAL), the file looked up, then the nanoseconds (EINVAL).
     * A null path with a descriptor is futimens.
     */
    private long utimensat(Task t, long dfd, long upath, long times, long flags) {
        long sec = 0;
        long nsec = UTIME_NOW;
        long ansec = UTIME_NOW;
        if (times != 0) {
            byte[] raw = new byte[32];
            if (!k.uaccess.copyFromUser(t.mm, times, raw, 0, 32)) {
                return -Errno.EFAULT;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ansec = b.getLong(8);
            sec = b.getLong(16);
            nsec = b.getLong(24);
            if (ansec == UTIME_OMIT && nsec == UTIME_OMIT) {
                return 0;
            }
        }
        Inode n;
        int[] err = new int[1];
        if (upath == 0 && (int) dfd != SysFile.AT_FDCWD) {
            if (flags != 0) {
                return -Errno.EINVAL;
            }
            File f = files.file(t, dfd);
            if (!(f instanceof HasInode)) {
                return -Errno.EBADF;
            }
            n = ((HasInode) f).inode();
        } else {
            if ((flags & ~(SysFile.AT_SYMLINK_NOFOLLOW | SysFile.AT_EMPTY_PATH)) != 0) {
                return -Errno.EINVAL;
            }
            if (upath == 0) {
                return -Errno.EFAULT;
            }
            n = files.inodeAt(t, dfd, upath, flags, err);
            if (n == null) {
                return err[0];
            }
        }
        if (!nsecValid(ansec) || !nsecValid(nsec)) {
            return -Errno.EINVAL;
        }
        // A time the caller names (either of the two) needs ownership; "now" write permission.
        boolean explicit = nsec != UTIME_NOW || ansec != UTIME_NOW && ansec != UTIME_OMIT;
        if (nsec == UTIME_OMIT) {
            return k.vfs.mayUtimes(t, n, explicit);
        }
        return k.vfs.utimes(t, n, nsec == UTIME_NOW ? -1 : sec, explicit);
    }

    private long chmod(Task t, long dfd, long upath, long mode, long flags) {
        int[] err = new int[1];
        Inode n = files.inodeAt(t, dfd, upath, flags, err);
        return n == null ? err[0] : k.vfs.chmod(t, n, (int) mode);
    }

    private long fchmod(Task t, long fd, long mode) {
        File f = files.file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        return f instanceof HasInode ? k.vfs.chmod(t, ((HasInode) f).inode(), (int) mode) : -Errno.EINVAL;
    }

    private long chown(Task t, long dfd, long upath, long uid, long gid, long flags) {
        int[] err = new int[1];
        Inode n = files.inodeAt(t, dfd, upath, flags, err);
        return n == null ? err[0] : k.vfs.chown(t, n, (int) uid, (int) gid);
    }

    private long fchown(Task t, long fd, long uid, long gid) {
        File f = files.file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        return f instanceof HasInode ? k.vfs.chown(t, ((HasInode) f).inode(), (int) uid, (int) gid) : -Errno.EINVAL;
    }
}
