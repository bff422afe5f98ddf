package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.Kernel;
import microlith.kernel.fs.File;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.RegularFile;
import microlith.kernel.proc.Task;

/**
 * open/openat, lseek, the stat family, access and getcwd over the root filesystem, with
 * Unix permission checks (owner/group/other bits; root passes all but execute).
 */
final class SysFile {
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_DIRECTORY = 0200000;
    private static final int PATH_MAX = 4096;

    private final Kernel k;

    SysFile(Kernel k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("open", (task, path, flags, mode, d, e, f) -> openat(task, AT_FDCWD, path, flags, mode));
        t.register("openat", (task, dirfd, path, flags, mode, e, f) -> openat(task, dirfd, path, flags, mode));
        t.register("lseek", (task, fd, off, whence, d, e, f) -> lseek(task, fd, off, whence));
        t.register("fstat", (task, fd, buf, c, d, e, f) -> fstat(task, fd, buf));
        t.register("stat", (task, path, buf, c, d, e, f) -> statPath(task, AT_FDCWD, path, buf, 0));
        t.register("lstat", (task, path, buf, c, d, e, f) -> statPath(task, AT_FDCWD, path, buf, 0));
        t.register("newfstatat", (task, dirfd, path, buf, flags, e, f) -> statPath(task, dirfd, path, buf, flags));
        t.register("access", (task, path, mode, c, d, e, f) -> access(task, AT_FDCWD, path, mode));
        t.register("faccessat", (task, dirfd, path, mode, d, e, f) -> access(task, dirfd, path, mode));
        t.register("getcwd", (task, buf, size, c, d, e, f) -> getcwd(task, buf, size));
    }

    /** Reads a user path and makes it absolute; null (with err[0] set) on failure. */
    String path(Task t, long dirfd, long upath, int[] err) {
        String p = k.uaccess.strncpyFromUser(t.mm, upath, PATH_MAX);
        if (p == null) {
            err[0] = Errno.EFAULT;
            return null;
        }
        if (p.length() >= PATH_MAX) {
            err[0] = Errno.ENAMETOOLONG;
            return null;
        }
        if (p.isEmpty()) {
            err[0] = Errno.ENOENT;
            return null;
        }
        if (p.startsWith("/")) {
            return normalize(p);
        }
        if ((int) dirfd != AT_FDCWD) {
            File f = t.files.get((int) dirfd);
            if (f == null) {
                err[0] = Errno.EBADF;
                return null;
            }
            // Directory file descriptors as bases arrive with the VFS; only the cwd for now.
            err[0] = Errno.ENOTDIR;
            return null;
        }
        return normalize(t.cwd + "/" + p);
    }

    /** Resolves "." and ".." lexically (no symlinks exist yet). */
    static String normalize(String p) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(s);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * The classic Unix check: owner, group or other bits by who asks; root passes every
     * read and write check, and an execute check if any execute bit is set (or a directory).
     */
    static boolean permits(Task t, Inode n, int want) {
        if (t.uid() == 0) {
            return (want & 1) == 0 || n.isDir() || (n.mode & 0111) != 0;
        }
        int bits = t.uid() == n.uid ? n.mode >> 6 : t.gid() == n.gid ? n.mode >> 3 : n.mode;
        return (bits & want & 7) == want;
    }

    /** Search (x) permission on every directory leading to path. */
    int searchable(Task t, String path) {
        StringBuilder sb = new StringBuilder();
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            Inode d = k.rootfs.lookup(sb.length() == 0 ? "/" : sb.toString());
            if (d != null && d.isDir() && !permits(t, d, 1)) {
                return Errno.EACCES;
            }
            sb.append('/').append(parts[i]);
        }
        Inode d = k.rootfs.lookup(sb.length() == 0 ? "/" : sb.toString());
        if (d != null && d.isDir() && !permits(t, d, 1)) {
            return Errno.EACCES;
        }
        return 0;
    }

    private long openat(Task t, long dirfd, long upath, long flags, long mode) {
        int[] err = new int[1];
        String p = path(t, dirfd, upath, err);
        if (p == null) {
            return -err[0];
        }
        int fl = (int) flags;
        int search = searchable(t, p);
        if (search != 0) {
            return -search;
        }
        Inode n = k.rootfs.lookup(p);
        if (n == null) {
            int e = k.rootfs.resolveError(p);
            if ((fl & O_CREAT) == 0 || e == Errno.ENOTDIR) {
                return -e;
            }
            int slash = p.lastIndexOf('/');
            Inode parent = k.rootfs.lookup(slash <= 0 ? "/" : p.substring(0, slash));
            if (parent == null || !parent.isDir()) {
                return -(parent == null ? Errno.ENOENT : Errno.ENOTDIR);
            }
            if (!permits(t, parent, 3)) {
                return -Errno.EACCES;
            }
            try {
                n = k.rootfs.create(p, Inode.S_IFREG | ((int) mode & 07777 & ~t.umask), t.uid(), t.gid());
            } catch (microlith.kernel.fs.Mount.FsError fe) {
                return -fe.errno;
            }
        } else if ((fl & O_CREAT) != 0 && (fl & O_EXCL) != 0) {
            return -Errno.EEXIST;
        }
        if ((fl & O_DIRECTORY) != 0 && !n.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (n.isDir() && (fl & RegularFile.O_ACCMODE) != RegularFile.O_RDONLY) {
            return -Errno.EISDIR;
        }
        int acc = fl & RegularFile.O_ACCMODE;
        int want = acc == RegularFile.O_RDONLY ? 4 : acc == RegularFile.O_WRONLY ? 2 : 6;
        if (!permits(t, n, want)) {
            return -Errno.EACCES;
        }
        if (n.device != null) {
            File dev = n.device.get();
            int openErr = dev.open(t, fl);
            if (openErr < 0) {
                return openErr;
            }
            int fd = t.files.install(dev);
            if (fd < 0) {
                dev.close();
            }
            return fd;
        }
        if ((p.startsWith("/proc/") || p.startsWith("/sys/")) && acc != RegularFile.O_RDONLY) {
            return -Errno.EACCES;
        }
        RegularFile f = new RegularFile(n, fl);
        if ((fl & O_TRUNC) != 0 && (fl & RegularFile.O_ACCMODE) != RegularFile.O_RDONLY && n.isRegular()) {
            f.truncate();
        }
        return t.files.install(f);
    }

    private long lseek(Task t, long fd, long off, long whence) {
        File f = t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        return f.lseek(off, (int) whence);
    }

    /** struct stat for x86-64 (144 bytes, asm/stat.h). */
    private byte[] stat(Inode n, int nlink) {
        byte[] b = stat(n.ino, n.mode, n.uid, n.gid, n.rdev, n.isDir() ? 4096 : n.size(), nlink);
        if (n.mtime != 0) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            bb.putLong(88, n.mtime);
            bb.putLong(104, n.mtime);
        }
        return b;
    }

    private byte[] stat(long ino, int mode, int uid, int gid, long rdev, long size, int nlink) {
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 0x16);           // st_dev
        b.putLong(8, ino);
        b.putLong(16, nlink);
        b.putInt(24, mode);
        b.putInt(28, uid);
        b.putInt(32, gid);
        b.putLong(40, rdev);
        b.putLong(48, size);
        b.putLong(56, 4096);          // st_blksize
        b.putLong(64, (size + 511) / 512);
        long now = SysInfo.BOOT_EPOCH;
        b.putLong(72, now);
        b.putLong(88, now);
        b.putLong(104, now);
        return b.array();
    }

    private long fstat(Task t, long fd, long buf) {
        File f = t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        byte[] st;
        if (f instanceof RegularFile) {
            Inode n = ((RegularFile) f).inode();
            st = stat(n, n.nlink());
        } else {
            st = stat(f.ino(), f.mode(), 0, 5, f.rdev(), f.size(), 1);
        }
        return k.uaccess.copyToUser(t.mm, buf, st, 0, st.length) ? 0 : -Errno.EFAULT;
    }

    private long statPath(Task t, long dirfd, long upath, long buf, long flags) {
        if ((flags & AT_EMPTY_PATH) != 0) {
            String p = k.uaccess.strncpyFromUser(t.mm, upath, 1);
            if (p != null && p.isEmpty()) {
                return fstat(t, dirfd, buf);
            }
        }
        int[] err = new int[1];
        String p = path(t, dirfd, upath, err);
        if (p == null) {
            return -err[0];
        }
        int search = searchable(t, p);
        if (search != 0) {
            return -search;
        }
        Inode n = k.rootfs.lookup(p);
        if (n == null) {
            return -k.rootfs.resolveError(p);
        }
        byte[] st = stat(n, n.nlink());
        return k.uaccess.copyToUser(t.mm, buf, st, 0, st.length) ? 0 : -Errno.EFAULT;
    }

    private long access(Task t, long dirfd, long upath, long mode) {
        if ((mode & ~7) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String p = path(t, dirfd, upath, err);
        if (p == null) {
            return -err[0];
        }
        Inode n = k.rootfs.lookup(p);
        if (n == null) {
            return -k.rootfs.resolveError(p);
        }
        return mode == 0 || permits(t, n, (int) mode) ? 0 : -Errno.EACCES;
    }

    private long getcwd(Task t, long buf, long size) {
        byte[] b = (t.cwd + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (size < b.length) {
            return -Errno.ERANGE;
        }
        return k.uaccess.copyToUser(t.mm, buf, b, 0, b.length) ? b.length : -Errno.EFAULT;
    }
}
