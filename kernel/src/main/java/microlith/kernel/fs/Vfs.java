package microlith.kernel.fs;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.task.File;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.SuperBlock;

/**
 * The virtual filesystem switch (Linux's fs/open.c, namei.c and friends): every call that
 * names a path resolves it here, checks permissions by Linux's rules, and routes the
 * operation to the filesystem the path lands in, whatever module (or kernel code) serves
 * it. Errors are negative errnos; calls that produce something return it and put the
 * errno in {@code err[0]}.
 *
 * <p>A null task is the kernel itself (boot-time unpacking, device nodes): root, no
 * permission checks.
 */
public final class Vfs {
    public static final int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_PATH = 010000000;

    private final Mounts mounts;
    private final Namei namei;
    private final CharDevices chrdevs;
    private final BlockDevices blockdevs;
    private final LongSupplier now;
    private final PhysicalMemory mem;
    private final PageAllocator pages;
    private final Scheduler sched;
    private final Map<Inode, Pipe> fifos = new HashMap<>();

    public Vfs(Mounts mounts, CharDevices chrdevs, BlockDevices blockdevs, LongSupplier now, PhysicalMemory mem,
               PageAllocator pages, Scheduler sched, microlith.hw.PerfCounters perf) {
        this.mounts = mounts;
        this.namei = new Namei(mounts, perf);
        this.chrdevs = chrdevs;
        this.blockdevs = blockdevs;
        this.now = now;
        this.mem = mem;
        this.pages = pages;
        this.sched = sched;
        chrdevs.attach(this);
        blockdevs.attach(this);
    }

    /** Simulated wall-clock seconds, for modification times. */
    long now() {
        return now.getAsLong();
    }

    public Mounts mounts() {
        return mounts;
    }

    private static String cwd(Task t) {
        return t == null ? "/" : t.cwd;
    }

    private static boolean may(Task t, Inode n, int want) {
        return t == null || Permission.permits(t, n, want);
    }

    /** Resolves a path from base (a canonical directory path); null with err[0] on failure. */
    public Namei.Walk walk(Task t, String base, String path, int flags, int[] err) {
        return namei.walk(t, base == null ? cwd(t) : base, path, flags, err);
    }

    /** The inode a path names (following a final symbolic link if asked). */
    public Inode lookup(Task t, String base, String path, boolean follow, int[] err) {
        Namei.Walk w = walk(t, base, path, follow ? Namei.FOLLOW : 0, err);
        return w == null ? null : w.node;
    }

    /** Resolves the parent of a path that names an entry to create or remove. */
    private Namei.Walk parent(Task t, String base, String path, int[] err) {
        Namei.Walk w = walk(t, base, path, Namei.PARENT, err);
        if (w == null) {
            return null;
        }
        if (!w.dir.isDir()) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        return w;
    }

    /** Write and search permission on a directory whose entries change, on a writable mount. */
    private int mayModify(Task t, Inode dir) {
        if (dir.mnt.readOnly) {
            return -Errno.EROFS;
        }
        return may(t, dir, Permission.MAY_WRITE | Permission.MAY_EXEC) ? 0 : -Errno.EACCES;
    }

    private static int umask(Task t, int mode) {
        return t == null ? mode : mode & ~t.umask;
    }

    private static int uid(Task t) {
        return t == null ? 0 : t.uid();
    }

    private static int gid(Task t) {
        return t == null ? 0 : t.gid();
    }

    /** After the filesystem changed dir's entry name: drop the cached entry, re-read the directory. */
    private static void changed(Inode dir, String name) {
        dir.mnt.invalidate(dir, name);
        dir.mnt.refresh(dir);
    }

    // ------------------------------------------------------------------ open

    /** open(2): the new open file, or null with err[0]. A sleeping FIFO open sets err[0] to 1. */
    public File open(Task t, String base, String path, int flags, int mode, int[] err) {
        Inode n;
        String canonical;
        if ((flags & O_CREAT) != 0) {
            Namei.Walk w = parent(t, base, path, err);
            if (w == null) {
                if (err[0] == -Errno.EEXIST) {
                    err[0] = -Errno.EISDIR;
                }
                return null;
            }
            n = w.node;
            canonical = w.path;
            if (n != null && (flags & O_EXCL) != 0) {
                err[0] = -Errno.EEXIST;
                return null;
            }
            if (n != null && n.isSymlink()) {
                if ((flags & O_NOFOLLOW) != 0) {
                    err[0] = -Errno.ELOOP;
                    return null;
                }
                Namei.Walk f = walk(t, base, path, Namei.FOLLOW, err);
                if (f == null) {
                    return null;
                }
                n = f.node;
                canonical = f.path;
            }
            if (n == null) {
                if (w.trailingSlash) {
                    err[0] = -Errno.EISDIR;
                    return null;
                }
                int e = mayModify(t, w.dir);
                if (e < 0) {
                    err[0] = e;
                    return null;
                }
                long ino = w.dir.mnt.sb.create(w.dir.ino, w.last, Inode.S_IFREG | umask(t, mode & 07777), uid(t),
                    gid(t), now());
                if (ino >= 0) {
                    ino = createdAsNamed(w.dir, w.last, ino);
                }
                if (ino < 0) {
                    err[0] = (int) ino;
                    return null;
                }
                changed(w.dir, w.last);
                n = w.dir.mnt.inode(ino);
                if (n == null) {
                    err[0] = -Errno.EIO;
                    return null;
                }
                // A file just created may be opened as asked, whatever its new mode says.
                return openInode(t, n, canonical, flags & ~O_TRUNC, err, false);
            }
        } else {
            Namei.Walk w = walk(t, base, path, (flags & O_NOFOLLOW) != 0 ? 0 : Namei.FOLLOW, err);
            if (w == null) {
                return null;
            }
            n = w.node;
            canonical = w.path;
            if (n.isSymlink()) {
                err[0] = -Errno.ELOOP;
                return null;
            }
        }
        return openInode(t, n, canonical, flags, err, true);
    }

    /** Opens an inode found by open(2) or created by it. */
    private File openInode(Task t, Inode n, String path, int flags, int[] err, boolean check) {
        int acc = flags & InodeFile.O_ACCMODE;
        if ((flags & O_DIRECTORY) != 0 && !n.isDir()) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        if (n.isDir() && acc != InodeFile.O_RDONLY) {
            err[0] = -Errno.EISDIR;
            return null;
        }
        if (check) {
            int want = acc == InodeFile.O_RDONLY ? Permission.MAY_READ
                : acc == InodeFile.O_WRONLY ? Permission.MAY_WRITE : Permission.MAY_READ | Permission.MAY_WRITE;
            if (acc == 3 || !may(t, n, want)) {
                err[0] = acc == 3 ? -Errno.EINVAL : -Errno.EACCES;
                return null;
            }
            if (acc != InodeFile.O_RDONLY && n.mnt.readOnly && (n.isRegular() || n.isDir())) {
                err[0] = -Errno.EROFS;
                return null;
            }
        }
        switch (n.type()) {
            case Inode.S_IFCHR:
                return chrdevs.open(t, n, flags, err);
            case Inode.S_IFBLK:
                return blockdevs.open(n, flags, err);
            case Inode.S_IFIFO:
                return openFifo(t, n, flags, err);
            case Inode.S_IFSOCK:
                err[0] = -Errno.ENXIO;
                return null;
            default:
                break;
        }
        if (n.mnt.sb instanceof KernelFs) {
            File f = ((KernelFs) n.mnt.sb).open(n.ino, t, flags, err);
            if (f != null || err[0] != 0) {
                return f;
            }
        }
        if ((flags & O_TRUNC) != 0 && acc != InodeFile.O_RDONLY && n.isRegular()) {
            int r = n.mnt.sb.truncate(n.ino, 0, now());
            n.mnt.refresh(n);
            if (r < 0) {
                err[0] = r;
                return null;
            }
        }
        return new InodeFile(this, n, path, flags);
    }

    private File openFifo(Task t, Inode n, int flags, int[] err) {
        int acc = flags & InodeFile.O_ACCMODE;
        if (acc == InodeFile.O_RDWR) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        Pipe p = fifos.computeIfAbsent(n, x -> Pipe.fifo(mem, pages, sched));
        Pipe.End end = p.openFifo(t, acc == InodeFile.O_WRONLY, (flags & O_NONBLOCK) != 0, err);
        if (end == null && p.idle()) {
            fifos.remove(n);
        }
        return end;
    }

    // ------------------------------------------------------------------ namespace

    /** mkdir(2). */
    public int mkdir(Task t, String base, String path, int mode) {
        return makeNode(t, base, path, Inode.S_IFDIR | umask(t, mode & 07777), 0, null);
    }

    /** mknod(2): regular files, FIFOs, sockets; device nodes need root (CAP_MKNOD). */
    public int mknod(Task t, String base, String path, int mode, long rdev) {
        int type = mode & Inode.S_IFMT;
        if (type == 0) {
            type = Inode.S_IFREG;
        }
        if (type == Inode.S_IFDIR || type == Inode.S_IFLNK || (type & ~Inode.S_IFMT) != 0) {
            return -Errno.EINVAL;
        }
        if ((type == Inode.S_IFCHR || type == Inode.S_IFBLK) && uid(t) != 0) {
            return -Errno.EPERM;
        }
        return makeNode(t, base, path, type | umask(t, mode & 07777), rdev, null);
    }

    /** symlink(2): a link at path pointing at target. */
    public int symlink(Task t, String target, String base, String path) {
        if (target.isEmpty()) {
            return -Errno.ENOENT;
        }
        if (target.length() >= Namei.PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        return makeNode(t, base, path, Inode.S_IFLNK | 0777, 0, target);
    }

    private int makeNode(Task t, String base, String path, int mode, long rdev, String linkTarget) {
        int[] err = new int[1];
        Namei.Walk w = parent(t, base, path, err);
        if (w == null) {
            return err[0];
        }
        if (w.node != null) {
            return -Errno.EEXIST;
        }
        if (w.trailingSlash && (mode & Inode.S_IFMT) != Inode.S_IFDIR) {
            return -Errno.ENOENT;
        }
        int e = mayModify(t, w.dir);
        if (e < 0) {
            return e;
        }
        SuperBlock sb = w.dir.mnt.sb;
        long r;
        switch (mode & Inode.S_IFMT) {
            case Inode.S_IFDIR:
            case Inode.S_IFREG:
                r = sb.create(w.dir.ino, w.last, mode, uid(t), gid(t), now());
                break;
            case Inode.S_IFLNK:
                r = sb.symlink(w.dir.ino, w.last, linkTarget, uid(t), gid(t), now());
                break;
            default:
                r = sb.mknod(w.dir.ino, w.last, mode, rdev, uid(t), gid(t), now());
        }
        changed(w.dir, w.last);
        return r < 0 ? (int) r : 0;
    }

    /**
     * The inode a filesystem says it created, held against what its directory now names:
     * open(O_CREAT) goes on to write through that inode, so a wrong answer (a filesystem
     * module's bug, or a fault injected into it) would put the new file's data into
     * another file. A mismatch fails the open with EIO, and the new file stays empty.
     * The kernel trusts no filesystem module's answer it can check (docs/microkernel.md,
     * "Failure"); this costs one lookup per file created.
     */
    private long createdAsNamed(Inode dir, String name, long ino) {
        long named = dir.mnt.sb.lookup(dir.ino, name);
        if (named == ino) {
            return ino;
        }
        mounts.log().err("VFS: %s (%s): create answered inode %d but the directory names %d: EIO", name,
            dir.mnt.type, ino, named);
        return -Errno.EIO;
    }

    /** link(2): newpath as another name for the file at oldpath. */
    public int link(Task t, String oldBase, String oldPath, String newBase, String newPath, boolean follow) {
        int[] err = new int[1];
        Inode n = lookup(t, oldBase, oldPath, follow, err);
        if (n == null) {
            return err[0];
        }
        Namei.Walk w = parent(t, newBase, newPath, err);
        if (w == null) {
            return err[0];
        }
        if (w.node != null) {
            return -Errno.EEXIST;
        }
        if (n.isDir()) {
            return -Errno.EPERM;
        }
        if (w.dir.mnt != n.mnt) {
            return -Errno.EXDEV;
        }
        int e = mayModify(t, w.dir);
        if (e < 0) {
            return e;
        }
        int r = n.mnt.sb.link(n.ino, w.dir.ino, w.last);
        changed(w.dir, w.last);
        n.mnt.refresh(n);
        return r;
    }

    /** unlink(2) (directory false) and rmdir(2) (directory true). */
    public int remove(Task t, String base, String path, boolean directory) {
        int[] err = new int[1];
        Namei.Walk w = parent(t, base, path, err);
        if (w == null) {
            return err[0] == -Errno.EEXIST ? (directory ? -Errno.EBUSY : -Errno.EISDIR) : err[0];
        }
        Inode n = w.node;
        if (n == null) {
            return -Errno.ENOENT;
        }
        if (directory && w.last.equals(".")) {
            return -Errno.EINVAL;
        }
        int e = mayModify(t, w.dir);
        if (e < 0) {
            return e;
        }
        if (directory && !n.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (!directory && n.isDir()) {
            return -Errno.EISDIR;
        }
        if (!directory && w.trailingSlash) {
            return -Errno.ENOTDIR;
        }
        if (n.mnt != w.dir.mnt || n.mounted != null) {
            return -Errno.EBUSY;
        }
        if (t != null && !Permission.stickyAllows(t, w.dir, n)) {
            return -Errno.EPERM;
        }
        int r = w.dir.mnt.sb.remove(w.dir.ino, w.last, directory);
        changed(w.dir, w.last);
        if (r == 0 && n.mnt.refresh(n)) {
            n.mnt.evictIfUnused(n);
        }
        return r;
    }

    /**
     * rename(2), with Linux's checks for replacing an entry and moving a directory into
     * itself; with noReplace (renameat2's RENAME_NOREPLACE) an existing target is EEXIST.
     */
    public int rename(Task t, String baseA, String from, String baseB, String to, boolean noReplace) {
        int[] err = new int[1];
        Namei.Walk a = parent(t, baseA, from, err);
        if (a == null) {
            return err[0] == -Errno.EEXIST ? -Errno.EBUSY : err[0];
        }
        Namei.Walk b = parent(t, baseB, to, err);
        if (b == null) {
            return err[0] == -Errno.EEXIST ? -Errno.EBUSY : err[0];
        }
        Inode n = a.node;
        if (n == null) {
            return -Errno.ENOENT;
        }
        if (a.dir.mnt != b.dir.mnt || n.mnt != a.dir.mnt) {
            return -Errno.EXDEV;
        }
        if (noReplace && b.node != null) {
            return -Errno.EEXIST;
        }
        int e = mayModify(t, a.dir);
        if (e == 0) {
            e = mayModify(t, b.dir);
        }
        if (e < 0) {
            return e;
        }
        if (t != null && !Permission.stickyAllows(t, a.dir, n)) {
            return -Errno.EPERM;
        }
        if (n.isDir() && (b.path + "/").startsWith(a.path + "/") && !b.path.equals(a.path)) {
            return -Errno.EINVAL;
        }
        Inode target = b.node;
        if (target == n) {
            return 0;
        }
        if (target != null) {
            if (target.isDir() && !n.isDir()) {
                return -Errno.EISDIR;
            }
            if (!target.isDir() && n.isDir()) {
                return -Errno.ENOTDIR;
            }
            if (target.mounted != null) {
                return -Errno.EBUSY;
            }
            if (t != null && !Permission.stickyAllows(t, b.dir, target)) {
                return -Errno.EPERM;
            }
        }
        if (n.mounted != null) {
            return -Errno.EBUSY;
        }
        int r = a.dir.mnt.sb.rename(a.dir.ino, a.last, b.dir.ino, b.last);
        changed(a.dir, a.last);
        changed(b.dir, b.last);
        n.mnt.refresh(n);
        if (r == 0 && target != null && target.mnt.refresh(target)) {
            target.mnt.evictIfUnused(target);
        }
        return r;
    }

    /** readlink(2): the target, or null with err[0] (-EINVAL for something that is not a link). */
    public String readlink(Task t, String base, String path, int[] err) {
        Inode n = lookup(t, base, path, false, err);
        if (n == null) {
            return null;
        }
        String target = n.isSymlink() ? n.mnt.sb.readlink(n.ino) : null;
        if (target == null) {
            err[0] = -Errno.EINVAL;
        }
        return target;
    }

    /** chdir(2): the new canonical working directory, or null with err[0]. */
    public String chdirPath(Task t, String base, String path, int[] err) {
        Namei.Walk w = walk(t, base, path, Namei.FOLLOW, err);
        if (w == null) {
            return null;
        }
        if (!w.node.isDir()) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        if (!may(t, w.node, Permission.MAY_EXEC)) {
            err[0] = -Errno.EACCES;
            return null;
        }
        return w.path;
    }

    // ------------------------------------------------------------------ attributes

    /** chmod(2) on an inode: the owner or root. */
    public int chmod(Task t, Inode n, int mode) {
        if (t != null && t.uid() != 0 && t.uid() != n.uid) {
            return -Errno.EPERM;
        }
        if (n.mnt.readOnly) {
            return -Errno.EROFS;
        }
        int r = n.mnt.sb.chmod(n.ino, mode & 07777);
        n.mnt.refresh(n);
        return r;
    }

    /** chown(2): root only; -1 leaves a field unchanged. */
    public int chown(Task t, Inode n, int uid, int gid) {
        if (t != null && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (n.mnt.readOnly) {
            return -Errno.EROFS;
        }
        int r = n.mnt.sb.chown(n.ino, uid, gid);
        n.mnt.refresh(n);
        return r;
    }

    /**
     * Whether t may change n's times (setattr_prepare's rule): times it names need
     * ownership (EPERM), "now" ownership or write permission (EACCES). 0 when allowed.
     */
    public int mayUtimes(Task t, Inode n, boolean explicit) {
        if (t != null && t.uid() != 0 && t.uid() != n.uid && (explicit || !Permission.permits(t, n, Permission.MAY_WRITE))) {
            return explicit ? -Errno.EPERM : -Errno.EACCES;
        }
        return 0;
    }

    /** utimensat's modification time; explicit times need ownership, "now" write permission. */
    public int utimes(Task t, Inode n, long mtime, boolean explicit) {
        int e = mayUtimes(t, n, explicit);
        if (e < 0) {
            return e;
        }
        int r = n.mnt.sb.utimes(n.ino, mtime < 0 ? now() : mtime);
        n.mnt.refresh(n);
        return r;
    }

    /** truncate(2) / ftruncate(2) (permission checked by the caller). */
    public int truncate(Inode n, long size) {
        if (n.isDir()) {
            return -Errno.EISDIR;
        }
        if (!n.isRegular()) {
            return -Errno.EINVAL;
        }
        if (n.mnt.readOnly) {
            return -Errno.EROFS;
        }
        int r = n.mnt.sb.truncate(n.ino, size, now());
        n.mnt.refresh(n);
        return r;
    }

    public int fsync(Inode n) {
        return n.mnt.sb.fsync(n.ino);
    }

    /** statfs: {block size, blocks, free, inodes, free inodes}. */
    public long[] statfs(Inode n) {
        return n.mnt.sb.statfs();
    }

    /** The whole contents of a regular file (execve reads the image with it). */
    public byte[] readAll(Inode n) {
        if (n.size > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] b = new byte[(int) n.size];
        int done = 0;
        while (done < b.length) {
            int r = n.mnt.sb.read(n.ino, done, b, done, Math.min(1 << 20, b.length - done));
            if (r <= 0) {
                return java.util.Arrays.copyOf(b, done);
            }
            done += r;
        }
        return b;
    }

    // ------------------------------------------------------------------ mounts

    /** mount(2): root only; a block filesystem from a device node, a nodev one from nothing. */
    public int mount(Task t, String source, String target, String fstype, long flags, String data) {
        if (uid(t) != 0) {
            return -Errno.EPERM;
        }
        int[] err = new int[1];
        Namei.Walk dir = walk(t, null, target, Namei.FOLLOW, err);
        if (dir == null) {
            return err[0];
        }
        if (!dir.node.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (!mounts.known(fstype)) {
            return -Errno.ENODEV;
        }
        BlockDevice device = null;
        Owner devOwner = Owner.KERNEL;
        if (mounts.requiresDevice(fstype)) {
            Inode dev = lookup(t, null, source, true, err);
            if (dev == null) {
                return err[0];
            }
            BlockDevices.Entry disk = blockdevs.forNode(dev);
            if (disk == null) {
                return -Errno.ENOTBLK;
            }
            for (Mount m : mounts.all()) {
                if (m.source.equals(source)) {
                    return -Errno.EBUSY;
                }
            }
            device = disk.device();
            devOwner = disk.owner();
        }
        if (dir.node.mounted != null || dir.node == mounts.rootInode() || dir.node == dir.node.mnt.root) {
            return -Errno.EBUSY;
        }
        return mounts.mount(fstype, source, device, devOwner, dir.node, dir.path, (flags & Mounts.MS_RDONLY) != 0, data);
    }

    /** Mounts the root filesystem at boot. */
    public int mountRoot(String fstype, String data) {
        return mounts.mount(fstype, "rootfs", null, Owner.KERNEL, null, "/", false, data);
    }

    /** Mounts a kernel filesystem (proc, sysfs) on an existing directory at boot. */
    public void mountKernel(String type, SuperBlock sb, String target) {
        int[] err = new int[1];
        Namei.Walk w = walk(null, null, target, Namei.FOLLOW, err);
        mounts.mountKernel(type, sb, w.node, w.path);
    }

    /** umount2(2): EBUSY while files are open in it, a process works inside it or something is mounted below. */
    public int umount(Task t, String target, java.util.Collection<Task> tasks) {
        if (uid(t) != 0) {
            return -Errno.EPERM;
        }
        int[] err = new int[1];
        Namei.Walk w = walk(t, null, target, Namei.FOLLOW, err);
        if (w == null) {
            return err[0];
        }
        Mount m = w.node.mnt;
        if (w.node != m.root) {
            return -Errno.EINVAL;
        }
        if (m == mounts.rootMount() || m.type.equals("proc") || m.type.equals("sysfs")) {
            return -Errno.EBUSY;
        }
        if (m.openFiles > 0 || mounts.hasChildren(m)) {
            return -Errno.EBUSY;
        }
        for (Task x : tasks) {
            if (x.state != Task.State.ZOMBIE && (x.cwd.equals(m.target) || x.cwd.startsWith(m.target + "/"))) {
                return -Errno.EBUSY;
            }
        }
        mounts.detach(m);
        return 0;
    }

    // ------------------------------------------------------------------ kernel-internal

    /** Creates every missing directory on the way to path (mode 0755, root). */
    public void kernelMkdirs(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            sb.append('/').append(part);
            int[] err = new int[1];
            if (lookup(null, null, sb.toString(), true, err) == null) {
                mkdir(null, null, sb.toString(), 0755);
            }
        }
    }

    /** A device node made by the kernel (device_create); -EEXIST if the name is taken. */
    public int kernelMknod(String path, int mode, long rdev) {
        return makeNode(null, null, path, mode, rdev, null);
    }

    /** Removes a kernel-made device node of the given type, if it is still one. */
    public void kernelRemoveDevice(String path, int type) {
        int[] err = new int[1];
        Inode n = lookup(null, null, path, false, err);
        if (n != null && n.type() == type) {
            remove(null, null, path, false);
        }
    }

    public void kernelChown(String path, int uid, int gid) {
        int[] err = new int[1];
        Inode n = lookup(null, null, path, false, err);
        if (n != null) {
            chown(null, n, uid, gid);
        }
    }

    /** An initramfs hard link: path as another name for the file at target. 0 or a negative errno. */
    public int kernelLink(String path, String target) {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            kernelMkdirs(path.substring(0, slash));
        }
        return link(null, null, target, null, path, false);
    }

    /**
     * One initramfs entry: directories, files with their bytes, symbolic links and device
     * nodes, with the archive's owner, mode and time. 0 or a negative errno.
     */
    public int kernelInstall(String path, int mode, int uid, int gid, long mtime, long rdev, byte[] data, int off,
                             int len) {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            kernelMkdirs(path.substring(0, slash));
        }
        int type = mode & Inode.S_IFMT;
        int[] err = new int[1];
        Inode n = lookup(null, null, path, false, err);
        if (n == null) {
            int r = type == Inode.S_IFLNK
                ? symlink(null, new String(data, off, len, java.nio.charset.StandardCharsets.UTF_8), null, path)
                : makeNode(null, null, path, mode, rdev, null);
            if (r < 0) {
                return r;
            }
            n = lookup(null, null, path, false, err);
            if (n == null) {
                return err[0];
            }
        } else if (n.type() != type) {
            return -Errno.EEXIST;
        }
        if (type == Inode.S_IFREG && len > 0) {
            byte[] chunk = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
            int w = n.mnt.sb.write(n.ino, 0, chunk, 0, len, mtime);
            if (w != len) {
                return w < 0 ? w : -Errno.ENOSPC;
            }
        }
        if (type != Inode.S_IFLNK) {
            n.mnt.sb.chmod(n.ino, mode & 07777);
        }
        n.mnt.sb.chown(n.ino, uid, gid);
        n.mnt.sb.utimes(n.ino, mtime);
        n.mnt.refresh(n);
        return 0;
    }
}
