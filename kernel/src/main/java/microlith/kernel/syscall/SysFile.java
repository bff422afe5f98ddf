package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import microlith.kernel.fs.HasInode;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.InodeFile;
import microlith.kernel.fs.Namei;
import microlith.kernel.fs.Permission;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Calls that name a file: open/openat, the stat family, access, getcwd, readlink,
 * symlink, link, mknod, truncate, fsync and statfs, with their *at forms relative to a
 * directory descriptor. Path resolution and permission rules are the VFS's.
 */
final class SysFile {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400;
    static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_CLOEXEC = 02000000;

    private final Services k;

    SysFile(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("open", (task, path, flags, mode, d, e, f) -> openat(task, AT_FDCWD, path, flags, mode));
        t.register("openat", (task, dirfd, path, flags, mode, e, f) -> openat(task, dirfd, path, flags, mode));
        t.register("creat", (task, path, mode, c, d, e, f) -> openat(task, AT_FDCWD, path, 01101, mode));
        t.register("lseek", (task, fd, off, whence, d, e, f) -> lseek(task, fd, off, whence));
        t.register("fstat", (task, fd, buf, c, d, e, f) -> fstat(task, fd, buf));
        t.register("stat", (task, path, buf, c, d, e, f) -> statPath(task, AT_FDCWD, path, buf, 0));
        t.register("lstat", (task, path, buf, c, d, e, f) -> statPath(task, AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW));
        t.register("statx", (task, dirfd, path, flags, mask, buf, f) -> statx(task, dirfd, path, flags, mask, buf));
        t.register("newfstatat", (task, dirfd, path, buf, flags, e, f) -> statPath(task, dirfd, path, buf, flags));
        t.register("access", (task, path, mode, c, d, e, f) -> access(task, AT_FDCWD, path, mode));
        t.register("faccessat", (task, dirfd, path, mode, d, e, f) -> access(task, dirfd, path, mode));
        t.register("faccessat2", (task, dirfd, path, mode, flags, e, f) -> access(task, dirfd, path, mode));
        t.register("getcwd", (task, buf, size, c, d, e, f) -> getcwd(task, buf, size));
        t.register("readlink", (task, path, buf, size, d, e, f) -> readlink(task, AT_FDCWD, path, buf, size));
        t.register("readlinkat", (task, dfd, path, buf, size, e, f) -> readlink(task, dfd, path, buf, size));
        t.register("symlink", (task, target, path, c, d, e, f) -> symlink(task, target, AT_FDCWD, path));
        t.register("symlinkat", (task, target, dfd, path, d, e, f) -> symlink(task, target, dfd, path));
        t.register("link", (task, a, b, c, d, e, f) -> link(task, AT_FDCWD, a, AT_FDCWD, b, 0));
        t.register("linkat", (task, da, a, db, b, flags, f) -> link(task, da, a, db, b, flags));
        t.register("mknod", (task, path, mode, dev, d, e, f) -> mknod(task, AT_FDCWD, path, mode, dev));
        t.register("mknodat", (task, dfd, path, mode, dev, e, f) -> mknod(task, dfd, path, mode, dev));
        t.register("truncate", (task, path, len, c, d, e, f) -> truncate(task, path, len));
        t.register("ftruncate", (task, fd, len, c, d, e, f) -> ftruncate(task, fd, len));
        t.register("fsync", (task, fd, b, c, d, e, f) -> fsync(task, fd));
        t.register("fdatasync", (task, fd, b, c, d, e, f) -> fsync(task, fd));
        t.register("statfs", (task, path, buf, c, d, e, f) -> statfs(task, path, buf));
        t.register("fstatfs", (task, fd, buf, c, d, e, f) -> fstatfs(task, fd, buf));
    }

    /** The file behind a descriptor: an unsigned int in Linux, so the high bits go. */
    File file(Task t, long fd) {
        return t.files.get((int) fd);
    }

    /** The base directory of an *at call: the cwd for AT_FDCWD, else the directory fd's path. */
    String base(Task t, long dirfd, int[] err) {
        if ((int) dirfd == AT_FDCWD) {
            return t.cwd;
        }
        File f = file(t, (int) dirfd);
        if (f == null) {
            err[0] = -Errno.EBADF;
            return null;
        }
        if (!(f instanceof InodeFile) || !((InodeFile) f).inode().isDir()) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        return ((InodeFile) f).path();
    }

    /**
     * Reads a user path (getname): null with err[0] on failure, EFAULT for an unreadable
     * byte, ENAMETOOLONG when no NUL comes within PATH_MAX bytes (not characters: a
     * 4096-byte UTF-8 path used to pass as a shorter string), ENOENT for "".
     */
    String userPath(Task t, long upath, int[] err) {
        Uaccess.UserString us = k.uaccess.copyString(t.mm, upath, Namei.PATH_MAX);
        if (!us.ok()) {
            err[0] = -us.errno();
            return null;
        }
        String p = us.value();
        if (p.isEmpty()) {
            err[0] = -Errno.ENOENT;
            return null;
        }
        return p;
    }

    /** A path and its base for an *at call: {base, path}, or null with err[0]. */
    String[] at(Task t, long dirfd, long upath, int[] err) {
        String p = userPath(t, upath, err);
        if (p == null) {
            return null;
        }
        String base = p.startsWith("/") ? t.cwd : base(t, dirfd, err);
        return base == null ? null : new String[] {base, p};
    }

    /** The inode an *at call names, honouring AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
    Inode inodeAt(Task t, long dirfd, long upath, long flags, int[] err) {
        if ((flags & AT_EMPTY_PATH) != 0) {
            String p = k.uaccess.strncpyFromUser(t.mm, upath, 1);
            if (p != null && p.isEmpty()) {
                File f = (int) dirfd == AT_FDCWD ? null : file(t, dirfd);
                if ((int) dirfd == AT_FDCWD) {
                    return k.vfs.lookup(t, null, t.cwd, true, err);
                }
                if (!(f instanceof HasInode)) {
                    err[0] = -Errno.EBADF;
                    return null;
                }
                return ((HasInode) f).inode();
            }
        }
        String[] bp = at(t, dirfd, upath, err);
        if (bp == null) {
            return null;
        }
        return k.vfs.lookup(t, bp[0], bp[1], (flags & AT_SYMLINK_NOFOLLOW) == 0, err);
    }

    private long openat(Task t, long dirfd, long upath, long flags, long mode) {
        int[] err = new int[1];
        String[] bp = at(t, dirfd, upath, err);
        if (bp == null) {
            return err[0];
        }
        File f = k.vfs.open(t, bp[0], bp[1], (int) flags, (int) mode, err);
        if (f == null) {
            // 1: a FIFO open now sleeps until its other end opens; the call restarts then.
            return err[0] == 1 ? -Errno.EINTR : err[0];
        }
        int fd = t.files.install(f);
        if (fd < 0) {
            f.close();
            return fd;
        }
        t.files.setCloexec(fd, (flags & O_CLOEXEC) != 0);
        return fd;
    }

    private long lseek(Task t, long fd, long off, long whence) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        return f.lseek(off, (int) whence);
    }

    /** struct stat for x86-64 (asm/stat.h), 144 bytes. */
    static byte[] stat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long mtime) {
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, dev);
        b.putLong(8, ino);
        b.putLong(16, nlink);
        b.putInt(24, mode);
        b.putInt(28, uid);
        b.putInt(32, gid);
        b.putLong(40, rdev);
        b.putLong(48, size);
        b.putLong(56, 4096);
        b.putLong(64, (size + 511) / 512);
        long time = mtime == 0 ? microlith.kernel.time.Clock.BOOT_EPOCH : mtime;
        b.putLong(72, time);
        b.putLong(88, time);
        b.putLong(104, time);
        return b.array();
    }

    static byte[] stat(Inode n) {
        return stat(n.mnt.dev, n.ino, n.mode, n.nlink, n.uid, n.gid, n.rdev, n.isDir() ? 4096 : n.size, n.mtime);
    }

    private byte[] fstatBytes(Task t, long fd, int[] err) {
        File f = file(t, fd);
        if (f == null) {
            err[0] = -Errno.EBADF;
            return null;
        }
        return f instanceof HasInode ? stat(((HasInode) f).inode())
            : stat(0xd, f.ino(), f.mode(), 1, t.uid(), t.gid(), f.rdev(), f.size(), 0);
    }

    private long fstat(Task t, long fd, long buf) {
        int[] err = new int[1];
        byte[] st = fstatBytes(t, fd, err);
        if (st == null) {
            return err[0];
        }
        return k.uaccess.copyToUser(t.mm, buf, st, 0, st.length) ? 0 : -Errno.EFAULT;
    }

    /** The struct stat newfstatat would store, or null with the errno in err[0]. */
    private byte[] statBytes(Task t, long dirfd, long upath, long flags, int[] err) {
        // vfs_fstatat's flags: AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH, AT_STATX_SYNC_TYPE.
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000)) != 0) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        if ((flags & AT_EMPTY_PATH) != 0) {
            String p = k.uaccess.strncpyFromUser(t.mm, upath, 1);
            if (p != null && p.isEmpty() && (int) dirfd != AT_FDCWD) {
                return fstatBytes(t, dirfd, err);
            }
        }
        Inode n = inodeAt(t, dirfd, upath, flags, err);
        return n == null ? null : stat(n);
    }

    private long statPath(Task t, long dirfd, long upath, long buf, long flags) {
        int[] err = new int[1];
        byte[] st = statBytes(t, dirfd, upath, flags, err);
        if (st == null) {
            return err[0];
        }
        return k.uaccess.copyToUser(t.mm, buf, st, 0, st.length) ? 0 : -Errno.EFAULT;
    }

    /**
     * statx: the basic fields (STATX_BASIC_STATS) in struct statx, 256 bytes:
     * mask, blksize, attributes, nlink, uid, gid, mode, ino, size, blocks, attributes_mask,
     * atime btime ctime mtime (16 bytes each), rdev and dev as major/minor pairs.
     */
    private long statx(Task t, long dirfd, long upath, long flags, long mask, long buf) {
        if ((flags & 0x6000) == 0x6000 || (mask & 0x80000000L) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        byte[] st = statBytes(t, dirfd, upath, flags & ~0x6000L, err);
        if (st == null) {
            return err[0];
        }
        ByteBuffer in = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x7ff);
        b.putInt(4, (int) in.getLong(56));
        b.putInt(16, (int) in.getLong(16));
        b.putInt(20, in.getInt(28));
        b.putInt(24, in.getInt(32));
        b.putShort(28, (short) in.getInt(24));
        b.putLong(32, in.getLong(8));
        b.putLong(40, in.getLong(48));
        b.putLong(48, in.getLong(64));
        b.putLong(64, in.getLong(72));
        b.putLong(96, in.getLong(104));
        b.putLong(112, in.getLong(88));
        long rdev = in.getLong(40), dev = in.getLong(0);
        b.putInt(128, major(rdev)).putInt(132, minor(rdev)).putInt(136, major(dev)).putInt(140, minor(dev));
        return k.uaccess.copyToUser(t.mm, buf, b.array(), 0, 256) ? 0 : -Errno.EFAULT;
    }

    private static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    private static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    private long access(Task t, long dirfd, long upath, long mode) {
        if ((mode & ~7) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        Inode n = inodeAt(t, dirfd, upath, 0, err);
        if (n == null) {
            return err[0];
        }
        if ((mode & 2) != 0 && n.mnt.readOnly && (n.isRegular() || n.isDir())) {
            return -Errno.EROFS;
        }
        return mode == 0 || Permission.permits(t, n, (int) mode) ? 0 : -Errno.EACCES;
    }

    private long getcwd(Task t, long buf, long size) {
        byte[] b = (t.cwd + "\0").getBytes(StandardCharsets.UTF_8);
        if (Long.compareUnsigned(size, b.length) < 0) { // size is a size_t
            return -Errno.ERANGE;
        }
        return k.uaccess.copyToUser(t.mm, buf, b, 0, b.length) ? b.length : -Errno.EFAULT;
    }

    private long readlink(Task t, long dirfd, long upath, long buf, long size) {
        if (size <= 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String[] bp = at(t, dirfd, upath, err);
        if (bp == null) {
            return err[0];
        }
        String target = k.vfs.readlink(t, bp[0], bp[1], err);
        if (target == null) {
            return err[0];
        }
        byte[] b = target.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, size);
        return k.uaccess.copyToUser(t.mm, buf, b, 0, n) ? n : -Errno.EFAULT;
    }

    private long symlink(Task t, long utarget, long dirfd, long upath) {
        int[] err = new int[1];
        // The target is a name too (getname): EFAULT, ENAMETOOLONG, and ENOENT when empty.
        String target = userPath(t, utarget, err);
        if (target == null) {
            return err[0];
        }
        String[] bp = at(t, dirfd, upath, err);
        if (bp == null) {
            return err[0];
        }
        return k.vfs.symlink(t, target, bp[0], bp[1]);
    }

    private long link(Task t, long da, long ua, long db, long ub, long flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String[] a = at(t, da, ua, err);
        if (a == null) {
            return err[0];
        }
        String[] b = at(t, db, ub, err);
        if (b == null) {
            return err[0];
        }
        return k.vfs.link(t, a[0], a[1], b[0], b[1], (flags & AT_SYMLINK_FOLLOW) != 0);
    }

    private long mknod(Task t, long dirfd, long upath, long mode, long dev) {
        int[] err = new int[1];
        String[] bp = at(t, dirfd, upath, err);
        if (bp == null) {
            return err[0];
        }
        // The user ABI's dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
        long major = (dev >>> 8 & 0xfff) | (dev >>> 32 & ~0xfffL);
        long minor = (dev & 0xff) | (dev >>> 12 & ~0xffL);
        return k.vfs.mknod(t, bp[0], bp[1], (int) mode, major << 8 | (minor & 0xff));
    }

    private long truncate(Task t, long upath, long len) {
        if (len < 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String p = userPath(t, upath, err);
        if (p == null) {
            return err[0];
        }
        Inode n = k.vfs.lookup(t, null, p, true, err);
        if (n == null) {
            return err[0];
        }
        if (n.isDir()) {
            return -Errno.EISDIR;
        }
        if (!Permission.permits(t, n, Permission.MAY_WRITE)) {
            return -Errno.EACCES;
        }
        return k.vfs.truncate(n, len);
    }

    private long ftruncate(Task t, long fd, long len) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (len < 0 || !(f instanceof InodeFile)) {
            return -Errno.EINVAL;
        }
        InodeFile file = (InodeFile) f;
        if (!file.mayWrite()) {
            return -Errno.EINVAL;
        }
        return k.vfs.truncate(file.inode(), len);
    }

    private long fsync(Task t, long fd) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof InodeFile)) {
            return f instanceof HasInode ? 0 : -Errno.EINVAL;
        }
        return k.vfs.fsync(((InodeFile) f).inode());
    }

    /** struct statfs for x86-64 (120 bytes); f_type is the filesystem's magic number. */
    private long putStatfs(Task t, Inode n, long buf) {
        long[] s = k.vfs.statfs(n);
        ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, magic(n.mnt.type));
        b.putLong(8, s[0]);
        b.putLong(16, s[1]);
        b.putLong(24, s[2]);
        b.putLong(32, s[2]);
        b.putLong(40, s[3]);
        b.putLong(48, s[4]);
        b.putLong(56, n.mnt.dev);
        b.putLong(64, Namei.NAME_MAX);
        b.putLong(72, s[0]);
        b.putLong(80, n.mnt.readOnly ? 1 : 0);
        return k.uaccess.copyToUser(t.mm, buf, b.array(), 0, 120) ? 0 : -Errno.EFAULT;
    }

    /** Linux's magic numbers (include/uapi/linux/magic.h); mlfs's own from its superblock. */
    private static long magic(String type) {
        switch (type) {
            case "ramfs": return 0x858458f6L;
            case "proc": return 0x9fa0;
            case "sysfs": return 0x62656572;
            case "mlfs": return 0x4d4c4653;
            default: return 0;
        }
    }

    private long statfs(Task t, long upath, long buf) {
        int[] err = new int[1];
        String p = userPath(t, upath, err);
        if (p == null) {
            return err[0];
        }
        Inode n = k.vfs.lookup(t, null, p, true, err);
        return n == null ? err[0] : putStatfs(t, n, buf);
    }

    private long fstatfs(Task t, long fd, long buf) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof HasInode)) {
            return -Errno.EINVAL;
        }
        return putStatfs(t, ((HasInode) f).inode(), buf);
    }
}
