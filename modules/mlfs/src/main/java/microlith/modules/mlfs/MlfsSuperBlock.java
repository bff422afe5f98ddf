package microlith.modules.mlfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;

/**
 * A mounted mlfs. Every change is written to the device before the call returns
 * (write-through; only the bitmap and the in-use map of inodes are kept in memory), in an
 * order that leaves at worst leaked blocks or inodes after a crash: data before the
 * pointer to it, an inode before the entry naming it, entries removed before what they
 * named is freed. sync() therefore only flushes the device's cache.
 */
final class MlfsSuperBlock implements SuperBlock {
    /** Too many links (a directory with 65533 subdirectories); not in the SDK's Errno. */
    private static final int EMLINK = 31;
    private static final int MAX_NLINK = 0xffff;

    private final BlockIo io;
    private final boolean readOnly;
    /** Checks every write before it reaches the disk; null on a read-only mount. */
    private final WriteGuard guard;
    private final BlockBitmap bitmap;
    private final InodeTable inodes;
    private final BlockMap map;
    private final Directory dirs;
    private DiskSuperblock sb;

    MlfsSuperBlock(BlockIo io, DiskSuperblock sb, BlockBitmap bitmap, InodeTable inodes, WriteGuard guard) {
        this.io = io;
        this.sb = sb;
        this.bitmap = bitmap;
        this.inodes = inodes;
        this.guard = guard;
        this.readOnly = guard == null;
        this.map = new BlockMap(io, sb, bitmap);
        this.dirs = new Directory(io, map, inodes);
    }

    @Override
    public long rootIno() {
        return Layout.ROOT_INO;
    }

    @Override
    public InodeAttr getattr(long ino) {
        try {
            DiskInode n = inodes.read(ino);
            return new InodeAttr(ino, n.mode, n.nlink, n.uid, n.gid, n.size, n.mtime);
        } catch (FsError e) {
            return null;
        }
    }

    @Override
    public long lookup(long dir, String name) {
        long r = run(() -> {
            byte[] nm = name(name, Errno.ENOENT);
            Directory.Slot s = dirs.find(directory(dir), nm);
            return s == null ? -Errno.ENOENT : s.ino();
        });
        return guard == null || guard.lookupAgrees(dir, name, r) ? r : -Errno.EIO;
    }

    @Override
    public List<DirEntry> readdir(long dir) {
        try {
            return dirs.list(directory(dir));
        } catch (FsError e) {
            return List.of();
        }
    }

    @Override
    public long create(long dir, String name, int mode, int uid, int gid, long mtime) {
        return change(g -> g.create(dir, name, mode, uid, gid), () -> {
            byte[] nm = name(name, Errno.EINVAL);
            int type = (mode & Layout.S_IFMT) == 0 ? Layout.S_IFREG : mode & Layout.S_IFMT;
            if (type != Layout.S_IFREG && type != Layout.S_IFDIR) {
                throw new FsError(Errno.EINVAL, "mlfs stores only files and directories");
            }
            boolean isDir = type == Layout.S_IFDIR;
            DiskInode d = directory(dir);
            if (dirs.find(d, nm) != null) {
                throw new FsError(Errno.EEXIST, name);
            }
            if (isDir && d.nlink >= MAX_NLINK) {
                throw new FsError(EMLINK, "too many subdirectories");
            }
            int ino = inodes.allocate();
            DiskInode n = new DiskInode();
            n.mode = type | mode & 07777;
            n.nlink = isDir ? 2 : 1;
            n.uid = uid;
            n.gid = gid;
            n.parent = isDir ? (int) dir : 0;
            n.mtime = mtime;
            try {
                inodes.write(ino, n);
            } catch (FsError e) {
                inodes.release(ino, false);
                throw e;
            }
            try {
                dirs.add((int) dir, d, nm, ino);
            } catch (FsError e) {
                inodes.release(ino, true);
                throw e;
            }
            if (isDir) {
                d.nlink++;
            }
            d.mtime = mtime;
            inodes.write((int) dir, d);
            return ino;
        });
    }

    @Override
    public int remove(long dir, String name, boolean directory) {
        return (int) change(g -> g.remove(dir, name), () -> {
            byte[] nm = name(name, Errno.ENOENT);
            DiskInode d = directory(dir);
            Directory.Slot s = dirs.find(d, nm);
            if (s == null) {
                throw new FsError(Errno.ENOENT, name);
            }
            DiskInode t = inodes.read(s.ino());
            if (directory && !t.isDir()) {
                throw new FsError(Errno.ENOTDIR, name);
            }
            if (!directory && t.isDir()) {
                throw new FsError(Errno.EISDIR, name);
            }
            if (t.isDir() && !dirs.isEmpty(t)) {
                throw new FsError(Errno.ENOTEMPTY, name);
            }
            dirs.setIno(s, 0);
            if (t.isDir()) {
                d.nlink--;
                inodes.write((int) dir, d);
            }
            unlink(s.ino(), t);
            return 0;
        });
    }

    @Override
    public int rename(long fromDir, String from, long toDir, String to) {
        return (int) change(g -> g.rename(fromDir, from, toDir, to), () -> {
            byte[] fromName = name(from, Errno.ENOENT);
            byte[] toName = name(to, Errno.EINVAL);
            DiskInode fd = directory(fromDir);
            DiskInode td = fromDir == toDir ? fd : directory(toDir);
            Directory.Slot src = dirs.find(fd, fromName);
            if (src == null) {
                throw new FsError(Errno.ENOENT, from);
            }
            DiskInode s = inodes.read(src.ino());
            Directory.Slot dst = dirs.find(td, toName);
            DiskInode t = null;
            if (dst != null) {
                if (dst.ino() == src.ino()) {
                    return 0;
                }
                t = inodes.read(dst.ino());
                if (s.isDir() && !t.isDir()) {
                    throw new FsError(Errno.ENOTDIR, to);
                }
                if (!s.isDir() && t.isDir()) {
                    throw new FsError(Errno.EISDIR, to);
                }
                if (t.isDir() && !dirs.isEmpty(t)) {
                    throw new FsError(Errno.ENOTEMPTY, to);
                }
            }
            boolean moves = s.isDir() && fromDir != toDir;
            if (moves) {
                refuseDescendant(src.ino(), toDir);
                if (t == null && td.nlink >= MAX_NLINK) {
                    throw new FsError(EMLINK, "too many subdirectories");
                }
            }
            // Point of no return: the new name first, so a crash leaves at worst two names.
            if (dst != null) {
                dirs.setIno(dst, src.ino());
            } else {
                dirs.add((int) toDir, td, toName, src.ino());
            }
            dirs.setIno(src, 0);
            if (moves) {
                s.parent = (int) toDir;
                inodes.write(src.ino(), s);
                fd.nlink--;
                td.nlink++;
            }
            if (t != null && t.isDir()) {
                td.nlink--;
            }
            if (moves || t != null && t.isDir()) {
                inodes.write((int) fromDir, fd);
                if (td != fd) {
                    inodes.write((int) toDir, td);
                }
            }
            if (t != null) {
                unlink(dst.ino(), t);
            }
            return 0;
        });
    }

    @Override
    public int read(long ino, long pos, byte[] buf, int off, int len) {
        return (int) run(() -> {
            DiskInode n = file(ino);
            if (pos < 0 || len < 0) {
                throw new FsError(Errno.EINVAL, "negative position or length");
            }
            if (pos >= n.size) {
                return 0;
            }
            int total = (int) Math.min(len, n.size - pos);
            byte[] block = new byte[Layout.BLOCK_SIZE];
            for (int done = 0; done < total; ) {
                long p = pos + done;
                int within = (int) (p % Layout.BLOCK_SIZE);
                int chunk = Math.min(Layout.BLOCK_SIZE - within, total - done);
                int at = map.lookup(n, p / Layout.BLOCK_SIZE);
                if (at == 0) {
                    Arrays.fill(buf, off + done, off + done + chunk, (byte) 0);
                } else {
                    io.read(at, block, within, within + chunk);
                    System.arraycopy(block, within, buf, off + done, chunk);
                }
                done += chunk;
            }
            return total;
        });
    }

    @Override
    public int write(long ino, long pos, byte[] buf, int off, int len, long mtime) {
        return (int) change(g -> g.write(ino, pos, buf, off, len), () -> {
            DiskInode n = file(ino);
            if (pos < 0 || len < 0) {
                throw new FsError(Errno.EINVAL, "negative position or length");
            }
            if (len == 0) {
                return 0;
            }
            if (pos >= Layout.MAX_FILE_SIZE) {
                throw new FsError(Errno.EFBIG, "past the largest file mlfs can hold");
            }
            int total = (int) Math.min(len, Layout.MAX_FILE_SIZE - pos);
            byte[] block = new byte[Layout.BLOCK_SIZE];
            int done = 0;
            try {
                while (done < total) {
                    long p = pos + done;
                    long index = p / Layout.BLOCK_SIZE;
                    int within = (int) (p % Layout.BLOCK_SIZE);
                    int chunk = Math.min(Layout.BLOCK_SIZE - within, total - done);
                    int at = map.lookup(n, index);
                    if (at == 0) {
                        Arrays.fill(block, (byte) 0);
                        System.arraycopy(buf, off + done, block, within, chunk);
                        map.allocate(n, index, block);
                    } else {
                        if (within % Layout.SECTOR_SIZE != 0 || (within + chunk) % Layout.SECTOR_SIZE != 0) {
                            io.read(at, block, within, within + chunk);
                        }
                        System.arraycopy(buf, off + done, block, within, chunk);
                        io.write(at, block, within, within + chunk);
                    }
                    done += chunk;
                }
            } catch (FsError e) {
                // As Linux: a write that made progress reports it; the error comes next time.
                if (done == 0) {
                    throw e;
                }
            }
            n.size = Math.max(n.size, pos + done);
            n.mtime = mtime;
            inodes.write((int) ino, n);
            return done;
        });
    }

    @Override
    public int truncate(long ino, long size, long mtime) {
        return (int) change(g -> g.truncate(ino, size), () -> {
            DiskInode n = file(ino);
            if (size < 0) {
                throw new FsError(Errno.EINVAL, "negative size");
            }
            if (size > Layout.MAX_FILE_SIZE) {
                throw new FsError(Errno.EFBIG, "past the largest file mlfs can hold");
            }
            int[] gone = new int[0];
            if (size < n.size) {
                gone = map.truncate(n, Layout.blocksFor(size));
                zeroTail(n, size);
            }
            n.size = size;
            n.mtime = mtime;
            inodes.write((int) ino, n);
            bitmap.free(gone);
            return 0;
        });
    }

    @Override
    public int chmod(long ino, int mode) {
        return (int) change(g -> g.chmod(ino, mode), () -> {
            DiskInode n = inodes.read(ino);
            n.mode = n.mode & Layout.S_IFMT | mode & 07777;
            inodes.write((int) ino, n);
            return 0;
        });
    }

    @Override
    public int sync() {
        return (int) run(() -> {
            io.flush();
            return 0;
        });
    }

    @Override
    public void unmount() {
        if (readOnly) {
            return;
        }
        try {
            io.flush();
            guard.superblock();
            sb = sb.withState(Layout.STATE_CLEAN);
            io.write(0, sb.encode(), 0, DiskSuperblock.SIZE);
            io.flush();
        } catch (FsError e) {
            // The filesystem stays marked not clean, which is the truth: fsck will look at it.
        }
        guard.finish(0);
    }

    @Override
    public long[] statfs() {
        return new long[] {Layout.BLOCK_SIZE, sb.blocks(), bitmap.freeCount(), sb.inodes(), inodes.freeCount()};
    }

    /** Drops one link to an inode whose entry is already gone, freeing it with the last. */
    private void unlink(int ino, DiskInode n) {
        if (!n.isDir() && --n.nlink > 0) {
            inodes.write(ino, n);
            return;
        }
        int[] gone = map.truncate(n, 0);
        inodes.release(ino, true);
        bitmap.free(gone);
    }

    /**
     * Bytes past the end of a file inside its last block are kept zero, so growing a file
     * later (by truncate or by writing beyond the end) exposes zeros, not old data.
     */
    private void zeroTail(DiskInode n, long size) {
        int within = (int) (size % Layout.BLOCK_SIZE);
        int at = within == 0 ? 0 : map.lookup(n, size / Layout.BLOCK_SIZE);
        if (at != 0) {
            byte[] block = new byte[Layout.BLOCK_SIZE];
            io.read(at, block, within, within + 1);
            Arrays.fill(block, within, Layout.BLOCK_SIZE, (byte) 0);
            io.write(at, block, within, Layout.BLOCK_SIZE);
        }
    }

    /** EINVAL when moving directory ino to dir would put it inside itself. */
    private void refuseDescendant(int ino, long dir) {
        long p = dir;
        for (int steps = 0; p != Layout.ROOT_INO; steps++) {
            if (p == ino) {
                throw new FsError(Errno.EINVAL, "cannot move a directory into itself");
            }
            if (steps > sb.inodes()) {
                throw new FsError(Errno.EUCLEAN, "directory parents form a loop");
            }
            p = Integer.toUnsignedLong(inodes.read(p).parent);
        }
    }

    private DiskInode directory(long ino) {
        DiskInode n = inodes.read(ino);
        if (!n.isDir()) {
            throw new FsError(Errno.ENOTDIR, "inode " + ino);
        }
        return n;
    }

    private DiskInode file(long ino) {
        DiskInode n = inodes.read(ino);
        if (n.isDir()) {
            throw new FsError(Errno.EISDIR, "inode " + ino);
        }
        return n;
    }

    /** The name's UTF-8 bytes; ENAMETOOLONG past 59 bytes, ifInvalid for an impossible name. */
    private static byte[] name(String name, int ifInvalid) {
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        if (nm.length > Layout.NAME_MAX) {
            throw new FsError(Errno.ENAMETOOLONG, name);
        }
        if (!DiskDirent.isValidName(nm)) {
            throw new FsError(ifInvalid, name);
        }
        return nm;
    }

    private static long run(LongSupplier op) {
        try {
            return op.getAsLong();
        } catch (FsError e) {
            return -e.errno();
        }
    }

    /**
     * An operation that modifies the filesystem: EROFS on a read-only mount. It first tells
     * the guard what it is about to change; EIO if the guard finds its answer at odds with
     * what it wrote.
     */
    private long change(Consumer<WriteGuard> intent, LongSupplier op) {
        if (readOnly) {
            return -Errno.EROFS;
        }
        intent.accept(guard);
        long r = run(op);
        return guard.finish(r) ? r : -Errno.EIO;
    }
}
