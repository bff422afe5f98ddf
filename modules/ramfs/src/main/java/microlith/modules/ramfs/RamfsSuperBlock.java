package microlith.modules.ramfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;
import microlith.module.api.InodeAttr;
import microlith.module.api.ModuleContext;
import microlith.module.api.SuperBlock;

/**
 * One mounted ramfs. Every inode and every byte of file data lives in memory the module
 * allocates with kmalloc, so a memory bug elsewhere in the kernel reaches it as it would
 * on hardware; only the directory entries are Java bookkeeping.
 *
 * <pre>
 * struct ramfs_inode (48 bytes, kmalloc'd)
 *   0x00 u32 mode    0x04 u32 uid    0x08 u32 gid    0x0c u32 nlink
 *   0x10 u64 size    0x18 u64 mtime  0x20 u64 rdev   0x28 u64 pages
 *
 * page vector (kmalloc'd, grown by doubling)     data page (4 KiB, kmalloc'd)
 *   0x00 u64 capacity (slots)
 *   0x08 u64 page[0], page[1], ...   ----------> bytes [i*4096, (i+1)*4096) of the file;
 *                                                  0 is a hole that reads as zeros
 * </pre>
 * A name removed while the file is open keeps the inode (nlink 0) until the kernel
 * evicts it at the last close, as Linux does.
 */
final class RamfsSuperBlock implements SuperBlock {
    private static final int I_MODE = 0x00, I_UID = 0x04, I_GID = 0x08, I_NLINK = 0x0c, I_SIZE = 0x10;
    private static final int I_MTIME = 0x18, I_RDEV = 0x20, I_PAGES = 0x28, INODE_BYTES = 0x30;
    private static final int PAGE = 4096;
    private static final long ROOT = 1;
    /** Largest file: 1 GiB, a page vector of 256 Ki slots. */
    private static final long MAX_SIZE = 1L << 30;
    private static final int NAME_MAX = 255;

    private final ModuleContext ctx;
    private final boolean readOnly;
    /** Inode number to the address of its struct ramfs_inode. */
    private final Map<Long, Long> inodes = new HashMap<>();
    /** A directory's entries, by inode number. */
    private final Map<Long, TreeMap<String, Long>> dirs = new HashMap<>();
    private long nextIno = ROOT;

    private RamfsSuperBlock(ModuleContext ctx, boolean readOnly) {
        this.ctx = ctx;
        this.readOnly = readOnly;
    }

    /** A new filesystem holding an empty root directory, or null without memory. */
    static RamfsSuperBlock create(ModuleContext ctx, boolean readOnly) {
        RamfsSuperBlock sb = new RamfsSuperBlock(ctx, readOnly);
        long root = sb.newInode(InodeAttr.S_IFDIR | 0755, 0, 0, 0, 0);
        if (root < 0) {
            return null;
        }
        sb.dirs.put(root, new TreeMap<>());
        sb.setNlink(root, 2);
        return sb;
    }

    // ------------------------------------------------------------------ struct ramfs_inode

    private long addr(long ino) {
        Long a = inodes.get(ino);
        return a == null ? 0 : a;
    }

    private int mode(long ino) {
        return ctx.read32(addr(ino) + I_MODE);
    }

    private long size(long ino) {
        return ctx.read64(addr(ino) + I_SIZE);
    }

    private int nlink(long ino) {
        return ctx.read32(addr(ino) + I_NLINK);
    }

    private void setNlink(long ino, int n) {
        ctx.write32(addr(ino) + I_NLINK, n);
    }

    /** Allocates an inode; its number, or -ENOSPC. */
    private long newInode(int mode, int uid, int gid, long mtime, long rdev) {
        long a = ctx.kzalloc(INODE_BYTES);
        if (a == 0) {
            return -Errno.ENOSPC;
        }
        long ino = nextIno++;
        inodes.put(ino, a);
        ctx.write32(a + I_MODE, mode);
        ctx.write32(a + I_UID, uid);
        ctx.write32(a + I_GID, gid);
        ctx.write32(a + I_NLINK, 1);
        ctx.write64(a + I_MTIME, mtime);
        ctx.write64(a + I_RDEV, rdev);
        return ino;
    }

    private static boolean isDir(int mode) {
        return (mode & InodeAttr.S_IFMT) == InodeAttr.S_IFDIR;
    }

    // ------------------------------------------------------------------ file data

    private long vector(long ino) {
        return ctx.read64(addr(ino) + I_PAGES);
    }

    private long pageAt(long ino, long index) {
        long v = vector(ino);
        if (v == 0 || index >= ctx.read64(v)) {
            return 0;
        }
        return ctx.read64(v + 8 + index * 8);
    }

    /** The page holding file page index, allocating the vector slot and the page; 0 when out of memory. */
    private long pageFor(long ino, long index) {
        long v = vector(ino);
        long cap = v == 0 ? 0 : ctx.read64(v);
        if (index >= cap) {
            long newCap = Math.max(8, cap);
            while (newCap <= index) {
                newCap *= 2;
            }
            long nv = ctx.kzalloc(8 + newCap * 8);
            if (nv == 0) {
                return 0;
            }
            ctx.write64(nv, newCap);
            for (long i = 0; i < cap; i++) {
                ctx.write64(nv + 8 + i * 8, ctx.read64(v + 8 + i * 8));
            }
            ctx.kfree(v);
            ctx.write64(addr(ino) + I_PAGES, nv);
            v = nv;
        }
        long p = ctx.read64(v + 8 + index * 8);
        if (p == 0) {
            p = ctx.kzalloc(PAGE);
            if (p == 0) {
                return 0;
            }
            ctx.write64(v + 8 + index * 8, p);
        }
        return p;
    }

    /** Frees the data pages from file page index on (and the vector when from is 0). */
    private void freePagesFrom(long ino, long from) {
        long v = vector(ino);
        if (v == 0) {
            return;
        }
        long cap = ctx.read64(v);
        for (long i = from; i < cap; i++) {
            long p = ctx.read64(v + 8 + i * 8);
            if (p != 0) {
                ctx.kfree(p);
                ctx.write64(v + 8 + i * 8, 0);
            }
        }
        if (from == 0) {
            ctx.kfree(v);
            ctx.write64(addr(ino) + I_PAGES, 0);
        }
    }

    private void freeInode(long ino) {
        freePagesFrom(ino, 0);
        ctx.kfree(addr(ino));
        inodes.remove(ino);
        dirs.remove(ino);
    }

    // ------------------------------------------------------------------ SuperBlock

    @Override
    public long rootIno() {
        return ROOT;
    }

    @Override
    public InodeAttr getattr(long ino) {
        long a = addr(ino);
        if (a == 0) {
            return null;
        }
        return new InodeAttr(ino, ctx.read32(a + I_MODE), ctx.read32(a + I_NLINK), ctx.read32(a + I_UID),
            ctx.read32(a + I_GID), ctx.read64(a + I_SIZE), ctx.read64(a + I_MTIME), ctx.read64(a + I_RDEV));
    }

    @Override
    public long lookup(long dir, String name) {
        TreeMap<String, Long> d = dirs.get(dir);
        if (d == null) {
            return -Errno.ENOTDIR;
        }
        Long ino = d.get(name);
        return ino == null ? -Errno.ENOENT : ino;
    }

    @Override
    public List<DirEntry> readdir(long dir) {
        TreeMap<String, Long> d = dirs.get(dir);
        List<DirEntry> out = new ArrayList<>();
        if (d != null) {
            for (Map.Entry<String, Long> e : d.entrySet()) {
                out.add(new DirEntry(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Checks that name may be added to dir; 0 or a negative errno. */
    private int canAdd(long dir, String name) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        TreeMap<String, Long> d = dirs.get(dir);
        if (d == null) {
            return -Errno.ENOTDIR;
        }
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            return -Errno.EINVAL;
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        return d.containsKey(name) ? -Errno.EEXIST : 0;
    }

    private long add(long dir, String name, int mode, int uid, int gid, long mtime, long rdev) {
        int err = canAdd(dir, name);
        if (err < 0) {
            return err;
        }
        long ino = newInode(mode, uid, gid, mtime, rdev);
        if (ino < 0) {
            return ino;
        }
        if (isDir(mode)) {
            dirs.put(ino, new TreeMap<>());
            setNlink(ino, 2);
            setNlink(dir, nlink(dir) + 1);
        }
        dirs.get(dir).put(name, ino);
        ctx.write64(addr(dir) + I_MTIME, mtime);
        return ino;
    }

    @Override
    public long create(long dir, String name, int mode, int uid, int gid, long mtime) {
        int type = mode & InodeAttr.S_IFMT;
        if (type != InodeAttr.S_IFREG && type != InodeAttr.S_IFDIR) {
            return -Errno.EINVAL;
        }
        return add(dir, name, mode, uid, gid, mtime, 0);
    }

    @Override
    public long mknod(long dir, String name, int mode, long rdev, int uid, int gid, long mtime) {
        int type = mode & InodeAttr.S_IFMT;
        if (type != InodeAttr.S_IFCHR && type != InodeAttr.S_IFBLK && type != InodeAttr.S_IFIFO
            && type != InodeAttr.S_IFSOCK && type != InodeAttr.S_IFREG) {
            return -Errno.EINVAL;
        }
        return add(dir, name, mode, uid, gid, mtime, type == InodeAttr.S_IFCHR || type == InodeAttr.S_IFBLK ? rdev : 0);
    }

    @Override
    public long symlink(long dir, String name, String target, int uid, int gid, long mtime) {
        byte[] t = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (t.length == 0 || t.length >= PAGE) {
            return t.length == 0 ? -Errno.ENOENT : -Errno.ENAMETOOLONG;
        }
        long ino = add(dir, name, InodeAttr.S_IFLNK | 0777, uid, gid, mtime, 0);
        if (ino < 0) {
            return ino;
        }
        if (writeData(ino, 0, t, 0, t.length) != t.length) {
            remove(dir, name, false);
            evict(ino);
            return -Errno.ENOSPC;
        }
        return ino;
    }

    @Override
    public String readlink(long ino) {
        if (addr(ino) == 0 || (mode(ino) & InodeAttr.S_IFMT) != InodeAttr.S_IFLNK) {
            return null;
        }
        byte[] b = new byte[(int) size(ino)];
        readData(ino, 0, b, 0, b.length);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public int link(long ino, long dir, String name) {
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        if (isDir(mode(ino))) {
            return -Errno.EPERM;
        }
        int err = canAdd(dir, name);
        if (err < 0) {
            return err;
        }
        dirs.get(dir).put(name, ino);
        setNlink(ino, nlink(ino) + 1);
        return 0;
    }

    @Override
    public int remove(long dir, String name, boolean directory) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        TreeMap<String, Long> d = dirs.get(dir);
        if (d == null) {
            return -Errno.ENOTDIR;
        }
        Long ino = d.get(name);
        if (ino == null) {
            return -Errno.ENOENT;
        }
        boolean isDir = isDir(mode(ino));
        if (directory != isDir) {
            return directory ? -Errno.ENOTDIR : -Errno.EISDIR;
        }
        if (isDir && !dirs.get(ino).isEmpty()) {
            return -Errno.ENOTEMPTY;
        }
        d.remove(name);
        if (isDir) {
            setNlink(ino, 0);
            setNlink(dir, nlink(dir) - 1);
        } else {
            setNlink(ino, nlink(ino) - 1);
        }
        return 0;
    }

    @Override
    public int rename(long fromDir, String from, long toDir, String to) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        TreeMap<String, Long> a = dirs.get(fromDir);
        TreeMap<String, Long> b = dirs.get(toDir);
        if (a == null || b == null) {
            return -Errno.ENOTDIR;
        }
        Long ino = a.get(from);
        if (ino == null) {
            return -Errno.ENOENT;
        }
        Long old = b.get(to);
        boolean isDir = isDir(mode(ino));
        if (old != null && old.equals(ino)) {
            return 0;
        }
        if (old != null) {
            boolean oldDir = isDir(mode(old));
            if (oldDir != isDir) {
                return oldDir ? -Errno.EISDIR : -Errno.ENOTDIR;
            }
            if (oldDir && !dirs.get(old).isEmpty()) {
                return -Errno.ENOTEMPTY;
            }
            int r = remove(toDir, to, oldDir);
            if (r < 0) {
                return r;
            }
        } else if (to.isEmpty() || to.indexOf('/') >= 0) {
            return -Errno.EINVAL;
        }
        a.remove(from);
        b.put(to, ino);
        if (isDir && fromDir != toDir) {
            setNlink(fromDir, nlink(fromDir) - 1);
            setNlink(toDir, nlink(toDir) + 1);
        }
        return 0;
    }

    @Override
    public void evict(long ino) {
        if (addr(ino) != 0 && nlink(ino) == 0 && ino != ROOT) {
            freeInode(ino);
        }
    }

    private int readData(long ino, long pos, byte[] buf, int off, int len) {
        long size = size(ino);
        if (pos >= size || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long p = pos + done;
            int inPage = (int) (p % PAGE);
            int chunk = Math.min(n - done, PAGE - inPage);
            long page = pageAt(ino, p / PAGE);
            if (page == 0) {
                java.util.Arrays.fill(buf, off + done, off + done + chunk, (byte) 0);
            } else {
                ctx.readBytes(page + inPage, buf, off + done, chunk);
            }
            done += chunk;
        }
        return n;
    }

    private int writeData(long ino, long pos, byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            long p = pos + done;
            int inPage = (int) (p % PAGE);
            int chunk = Math.min(len - done, PAGE - inPage);
            long page = pageFor(ino, p / PAGE);
            if (page == 0) {
                break;
            }
            ctx.writeBytes(page + inPage, buf, off + done, chunk);
            done += chunk;
        }
        if (pos + done > size(ino)) {
            ctx.write64(addr(ino) + I_SIZE, pos + done);
        }
        return done;
    }

    @Override
    public int read(long ino, long pos, byte[] buf, int off, int len) {
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        if (isDir(mode(ino))) {
            return -Errno.EISDIR;
        }
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        return readData(ino, pos, buf, off, len);
    }

    @Override
    public int write(long ino, long pos, byte[] buf, int off, int len, long mtime) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        if (isDir(mode(ino))) {
            return -Errno.EISDIR;
        }
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        if (pos + len > MAX_SIZE || pos + len < 0) {
            if (pos >= MAX_SIZE) {
                return -Errno.EFBIG;
            }
            len = (int) (MAX_SIZE - pos);
        }
        int n = writeData(ino, pos, buf, off, len);
        ctx.write64(addr(ino) + I_MTIME, mtime);
        return n == 0 && len > 0 ? -Errno.ENOSPC : n;
    }

    @Override
    public int truncate(long ino, long size, long mtime) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        if (isDir(mode(ino))) {
            return -Errno.EISDIR;
        }
        if (size < 0) {
            return -Errno.EINVAL;
        }
        if (size > MAX_SIZE) {
            return -Errno.EFBIG;
        }
        long old = size(ino);
        if (size < old) {
            long keep = (size + PAGE - 1) / PAGE;
            freePagesFrom(ino, keep);
            int tail = (int) (size % PAGE);
            long last = tail == 0 ? 0 : pageAt(ino, size / PAGE);
            if (last != 0) {
                ctx.writeBytes(last + tail, new byte[PAGE - tail], 0, PAGE - tail);
            }
        }
        ctx.write64(addr(ino) + I_SIZE, size);
        ctx.write64(addr(ino) + I_MTIME, mtime);
        return 0;
    }

    @Override
    public int chmod(long ino, int mode) {
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        ctx.write32(addr(ino) + I_MODE, (mode(ino) & InodeAttr.S_IFMT) | (mode & 07777));
        return 0;
    }

    @Override
    public int chown(long ino, int uid, int gid) {
        long a = addr(ino);
        if (a == 0) {
            return -Errno.ENOENT;
        }
        if (uid != -1) {
            ctx.write32(a + I_UID, uid);
        }
        if (gid != -1) {
            ctx.write32(a + I_GID, gid);
        }
        return 0;
    }

    @Override
    public int utimes(long ino, long mtime) {
        if (addr(ino) == 0) {
            return -Errno.ENOENT;
        }
        ctx.write64(addr(ino) + I_MTIME, mtime);
        return 0;
    }

    @Override
    public int sync() {
        return 0;
    }

    @Override
    public int fsync(long ino) {
        return addr(ino) == 0 ? -Errno.ENOENT : 0;
    }

    @Override
    public void unmount() {
        for (Long ino : new ArrayList<>(inodes.keySet())) {
            freeInode(ino);
        }
    }

    /** Like Linux's ramfs, no size limit of its own: statfs reports only the block size. */
    @Override
    public long[] statfs() {
        return new long[] {PAGE, 0, 0, 0, 0};
    }
}
