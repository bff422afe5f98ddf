package microlith.kernel.syscall;

import microlith.kernel.Kernel;
import microlith.kernel.fs.File;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.RegularFile;
import microlith.kernel.proc.Task;

/**
 * Directory and metadata calls: chdir, mkdir, rmdir, unlink, rename, getdents64,
 * umask, chmod and chown (and their *at forms), with Linux's permission rules:
 * changing a directory's entries needs write and search permission on it; in a sticky
 * directory (/tmp) only the owner of an entry (or of the directory, or root) may remove
 * or rename it; chmod needs ownership; chown is root's alone.
 */
final class SysDir {
    private static final int AT_FDCWD = -100;
    private static final int AT_REMOVEDIR = 0x200;

    private final Kernel k;
    private final SysFile files;

    SysDir(Kernel k, SysFile files) {
        this.k = k;
        this.files = files;
    }

    void register(SyscallTable t) {
        t.register("chdir", (task, path, b, c, d, e, f) -> chdir(task, path));
        t.register("mkdir", (task, path, mode, c, d, e, f) -> mkdir(task, AT_FDCWD, path, mode));
        t.register("mkdirat", (task, dfd, path, mode, d, e, f) -> mkdir(task, dfd, path, mode));
        t.register("rmdir", (task, path, b, c, d, e, f) -> remove(task, AT_FDCWD, path, true));
        t.register("unlink", (task, path, b, c, d, e, f) -> remove(task, AT_FDCWD, path, false));
        t.register("unlinkat", (task, dfd, path, flags, d, e, f) -> remove(task, dfd, path, (flags & AT_REMOVEDIR) != 0));
        t.register("rename", (task, a, b, c, d, e, f) -> rename(task, AT_FDCWD, a, AT_FDCWD, b));
        t.register("renameat", (task, da, a, db, b, e, f) -> rename(task, da, a, db, b));
        t.register("renameat2", (task, da, a, db, b, flags, f) -> flags != 0 ? -Errno.EINVAL : rename(task, da, a, db, b));
        t.register("link", (task, a, b, c, d, e, f) -> link(task, AT_FDCWD, a, AT_FDCWD, b));
        t.register("linkat", (task, da, a, db, b, flags, f) -> link(task, da, a, db, b));
        t.register("getdents64", (task, fd, buf, count, d, e, f) -> getdents(task, fd, buf, count));
        t.register("umask", (task, mask, b, c, d, e, f) -> {
            int old = task.umask;
            task.umask = (int) mask & 0777;
            return old;
        });
        t.register("utimensat", (task, dfd, path, times, flags, e, f) -> utimensat(task, dfd, path, times));
        t.register("chmod", (task, path, mode, c, d, e, f) -> chmod(task, AT_FDCWD, path, mode));
        t.register("fchmodat", (task, dfd, path, mode, d, e, f) -> chmod(task, dfd, path, mode));
        t.register("chown", (task, path, uid, gid, d, e, f) -> chown(task, AT_FDCWD, path, uid, gid));
        t.register("lchown", (task, path, uid, gid, d, e, f) -> chown(task, AT_FDCWD, path, uid, gid));
        t.register("fchownat", (task, dfd, path, uid, gid, e, f) -> chown(task, dfd, path, uid, gid));
    }

    private static String parentOf(String p) {
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    private static String nameOf(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** An existing node named by a user path: its absolute path in out[0], or null with err[0] set. */
    private Inode existing(Task t, long dfd, long upath, int[] err, String[] out) {
        String p = files.path(t, dfd, upath, err);
        if (p == null) {
            return null;
        }
        Inode n = k.rootfs.lookup(p);
        if (n == null) {
            err[0] = k.rootfs.resolveError(p);
            return null;
        }
        out[0] = p;
        return n;
    }

    private long chdir(Task t, long upath) {
        int[] err = new int[1];
        String[] path = new String[1];
        Inode n = existing(t, AT_FDCWD, upath, err, path);
        if (n == null) {
            return -err[0];
        }
        String p = path[0];
        if (!n.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (files.searchable(t, p + "/x") != 0) {
            return -Errno.EACCES;
        }
        t.cwd = p;
        return 0;
    }

    /** Checks write+search permission on p's parent; 0 or an errno. */
    private int canModifyParent(Task t, String p) {
        if (p.equals("/") || p.startsWith("/proc") || p.startsWith("/dev/")) {
            return p.equals("/") ? Errno.EBUSY : Errno.EACCES;
        }
        int search = files.searchable(t, p);
        if (search != 0) {
            return search;
        }
        Inode parent = k.rootfs.lookup(parentOf(p));
        if (parent == null) {
            return Errno.ENOENT;
        }
        if (!parent.isDir()) {
            return Errno.ENOTDIR;
        }
        return SysFile.permits(t, parent, 3) ? 0 : Errno.EACCES;
    }

    /** The sticky-bit rule for removing or renaming an entry. */
    private boolean stickyAllows(Task t, String p, Inode victim) {
        Inode parent = k.rootfs.lookup(parentOf(p));
        return (parent.mode & 01000) == 0 || t.uid() == 0 || t.uid() == victim.uid || t.uid() == parent.uid;
    }

    private long mkdir(Task t, long dfd, long upath, long mode) {
        int[] err = new int[1];
        String p = files.path(t, dfd, upath, err);
        if (p == null) {
            return -err[0];
        }
        if (k.rootfs.lookup(p) != null) {
            return -Errno.EEXIST;
        }
        int e = canModifyParent(t, p);
        if (e != 0) {
            return -e;
        }
        try {
            k.rootfs.create(p, Inode.S_IFDIR | ((int) mode & 07777 & ~t.umask), t.uid(), t.gid());
        } catch (microlith.kernel.fs.Mount.FsError fe) {
            return -fe.errno;
        }
        return 0;
    }

    private long remove(Task t, long dfd, long upath, boolean dir) {
        int[] err = new int[1];
        String[] path = new String[1];
        Inode n = existing(t, dfd, upath, err, path);
        if (n == null) {
            return -err[0];
        }
        String p = path[0];
        int e = canModifyParent(t, p);
        if (e != 0) {
            return -e;
        }
        if (dir && !n.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (!dir && n.isDir()) {
            return -Errno.EISDIR;
        }
        if (dir && !n.children.isEmpty()) {
            return -Errno.ENOTEMPTY;
        }
        if (!stickyAllows(t, p, n)) {
            return -Errno.EPERM;
        }
        return -k.rootfs.remove(parentOf(p), nameOf(p), dir);
    }

    /** link(2): a second name for a file (not a directory), in the same filesystem. */
    private long link(Task t, long da, long ua, long db, long ub) {
        int[] err = new int[1];
        String[] path = new String[1];
        Inode n = existing(t, da, ua, err, path);
        if (n == null) {
            return -err[0];
        }
        String to = files.path(t, db, ub, err);
        if (to == null) {
            return -err[0];
        }
        if (n.isDir()) {
            return -Errno.EPERM;
        }
        if (k.rootfs.lookup(to) != null) {
            return -Errno.EEXIST;
        }
        int e = canModifyParent(t, to);
        if (e != 0) {
            return -e;
        }
        return -k.rootfs.link(to, n);
    }

    private long rename(Task t, long da, long ua, long db, long ub) {
        int[] err = new int[1];
        String from = files.path(t, da, ua, err);
        if (from == null) {
            return -err[0];
        }
        String to = files.path(t, db, ub, err);
        if (to == null) {
            return -err[0];
        }
        Inode n = k.rootfs.lookup(from);
        if (n == null) {
            return -k.rootfs.resolveError(from);
        }
        int e = canModifyParent(t, from);
        if (e == 0) {
            e = canModifyParent(t, to);
        }
        if (e != 0) {
            return -e;
        }
        if (!stickyAllows(t, from, n)) {
            return -Errno.EPERM;
        }
        if (n.isDir() && (to + "/").startsWith(from + "/") && !to.equals(from)) {
            return -Errno.EINVAL;
        }
        Inode target = k.rootfs.lookup(to);
        if (target != null && target != n) {
            if (target.isDir() && !n.isDir()) {
                return -Errno.EISDIR;
            }
            if (!target.isDir() && n.isDir()) {
                return -Errno.ENOTDIR;
            }
            if (target.isDir() && !target.children.isEmpty()) {
                return -Errno.ENOTEMPTY;
            }
        }
        if (target == n) {
            return 0;
        }
        return -k.rootfs.rename(parentOf(from), nameOf(from), parentOf(to), nameOf(to));
    }

    private long getdents(Task t, long fd, long ubuf, long count) {
        File f = t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof RegularFile)) {
            return -Errno.ENOTDIR;
        }
        byte[] buf = new byte[(int) Math.min(Math.max(count, 0), 1 << 16)];
        int n = ((RegularFile) f).getdents(buf, 0);
        if (n <= 0) {
            return n;
        }
        return k.uaccess.copyToUser(t.mm, ubuf, buf, 0, n) ? n : -Errno.EFAULT;
    }

    /**
     * utimensat: sets the modification time (to now on simulated time, or the given
     * one); needs ownership or, for "now", write permission. A null path with a dirfd
     * is futimens, which needs the VFS's fd-to-inode link: EBADF for non-files.
     */
    private long utimensat(Task t, long dfd, long upath, long times) {
        Inode n;
        if (upath == 0) {
            File f = t.files.get((int) dfd);
            if (!(f instanceof RegularFile)) {
                return -Errno.EBADF;
            }
            n = ((RegularFile) f).inode();
        } else {
            int[] err = new int[1];
            n = existing(t, dfd, upath, err, new String[1]);
            if (n == null) {
                return -err[0];
            }
        }
        long now = SysInfo.BOOT_EPOCH + k.nanos() / 1_000_000_000L;
        long mtime = now;
        if (times != 0) {
            Long sec = k.uaccess.getUser64(t.mm, times + 16);
            Long nsec = k.uaccess.getUser64(t.mm, times + 24);
            if (sec == null || nsec == null) {
                return -Errno.EFAULT;
            }
            if (nsec != (1L << 30) - 2) {       // UTIME_OMIT leaves it alone
                mtime = nsec == (1L << 30) - 1 ? now : sec;  // UTIME_NOW
            } else {
                mtime = n.mtime;
            }
            if (t.uid() != 0 && t.uid() != n.uid) {
                return -Errno.EPERM;
            }
        } else if (t.uid() != 0 && t.uid() != n.uid && !SysFile.permits(t, n, 2)) {
            return -Errno.EACCES;
        }
        n.mtime = mtime;
        return 0;
    }

    private long chmod(Task t, long dfd, long upath, long mode) {
        int[] err = new int[1];
        String[] path = new String[1];
        Inode n = existing(t, dfd, upath, err, path);
        if (n == null) {
            return -err[0];
        }
        if (t.uid() != 0 && t.uid() != n.uid) {
            return -Errno.EPERM;
        }
        n.mode = (n.mode & Inode.S_IFMT) | ((int) mode & 07777);
        if (n.mnt != null) {
            return n.mnt.chmod(n, n.mode);
        }
        return 0;
    }

    private long chown(Task t, long dfd, long upath, long uid, long gid) {
        int[] err = new int[1];
        String[] path = new String[1];
        Inode n = existing(t, dfd, upath, err, path);
        if (n == null) {
            return -err[0];
        }
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if ((int) uid != -1) {
            n.uid = (int) uid;
        }
        if ((int) gid != -1) {
            n.gid = (int) gid;
        }
        return 0;
    }
}
