package microlith.kernel.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;

/**
 * An open regular file or directory of any mounted filesystem (Linux's struct file for a
 * generic inode): its position and access mode, and the canonical path it was opened by
 * (what *at calls use as the base for relative paths). Data goes straight to the
 * filesystem's read and write.
 */
public final class InodeFile implements File, HasInode {
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_APPEND = 02000;

    private final Vfs vfs;
    private final Inode inode;
    private final String path;
    private int flags;
    private long pos;
    private int refs = 1;
    /** A directory's entries, read once per pass over it (at position 0). */
    private List<DirEntry> listing;

    InodeFile(Vfs vfs, Inode inode, String path, int flags) {
        this.vfs = vfs;
        this.inode = inode;
        this.path = path;
        this.flags = flags;
        inode.opens++;
        inode.mnt.openFiles++;
    }

    @Override
    public Inode inode() {
        return inode;
    }

    /** The canonical absolute path this file was opened by. */
    public String path() {
        return path;
    }

    public int flags() {
        return flags;
    }

    /** F_SETFL: only O_APPEND and O_NONBLOCK change. */
    public void setFlags(int f) {
        flags = (flags & ~(O_APPEND | 04000)) | (f & (O_APPEND | 04000));
    }

    @Override
    public boolean mayRead() {
        return File.readMode(flags);
    }

    @Override
    public boolean mayWrite() {
        return File.writeMode(flags);
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        if (!mayRead()) {
            return -Errno.EBADF;
        }
        if (inode.isDir()) {
            return -Errno.EISDIR;
        }
        int n = inode.mnt.sb.read(inode.ino, pos, buf, 0, len);
        if (n > 0) {
            pos += n;
        }
        return n;
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        if (!mayWrite()) {
            return -Errno.EBADF;
        }
        if ((flags & O_APPEND) != 0) {
            pos = inode.size;
        }
        if (pos + len < 0) {
            return -Errno.EFBIG;
        }
        int n = inode.mnt.sb.write(inode.ino, pos, buf, 0, len, vfs.now());
        if (n > 0) {
            pos += n;
        }
        inode.mnt.refresh(inode);
        return n;
    }

    /** pread/pwrite: at an explicit offset, leaving the position alone. */
    public int readAt(long off, byte[] buf, int len) {
        if (!mayRead()) {
            return -Errno.EBADF;
        }
        if (inode.isDir()) {
            return -Errno.EISDIR;
        }
        return inode.mnt.sb.read(inode.ino, off, buf, 0, len);
    }

    public int writeAt(long off, byte[] buf, int len) {
        if (!mayWrite()) {
            return -Errno.EBADF;
        }
        int n = inode.mnt.sb.write(inode.ino, off, buf, 0, len, vfs.now());
        inode.mnt.refresh(inode);
        return n;
    }

    /** getdents64: linux_dirent64 records from the current position ("." and ".." first). */
    public int getdents(byte[] buf, long parentIno) {
        if (!inode.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (pos == 0 || listing == null) {
            listing = inode.mnt.sb.readdir(inode.ino);
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        int used = 0;
        while (pos < listing.size() + 2) {
            String name;
            long ino;
            int type;
            if (pos < 2) {
                name = pos == 0 ? "." : "..";
                ino = pos == 0 ? inode.ino : parentIno;
                type = 4;
            } else {
                DirEntry e = listing.get((int) pos - 2);
                name = e.name();
                ino = e.ino();
                Inode n = inode.mnt.inode(ino);
                type = n == null ? 0 : n.type() >>> 12;
            }
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            int reclen = (19 + nb.length + 1 + 7) & ~7;
            if (used + reclen > buf.length) {
                return used == 0 ? -Errno.EINVAL : used;
            }
            b.putLong(used, ino);
            b.putLong(used + 8, pos + 1);
            b.putShort(used + 16, (short) reclen);
            b.put(used + 18, (byte) type);
            System.arraycopy(nb, 0, buf, used + 19, nb.length);
            java.util.Arrays.fill(buf, used + 19 + nb.length, used + reclen, (byte) 0);
            used += reclen;
            pos++;
        }
        return used;
    }

    @Override
    public long lseek(long offset, int whence) {
        long base;
        switch (whence) {
            case 0: base = 0; break;
            case 1: base = pos; break;
            case 2: base = inode.size; break;
            default: return -Errno.EINVAL;
        }
        long np = base + offset;
        if (np < 0 || (offset > 0 && np < base)) {
            return -Errno.EINVAL;
        }
        pos = np;
        if (np == 0) {
            listing = null;
        }
        return np;
    }

    @Override
    public int mode() {
        return inode.mode;
    }

    @Override
    public long size() {
        return inode.isDir() ? 4096 : inode.size;
    }

    @Override
    public long ino() {
        return inode.ino;
    }

    @Override
    public void retain() {
        refs++;
    }

    /** The last descriptor is gone: the mount is less busy, and an unlinked inode may go. */
    @Override
    public void close() {
        if (--refs == 0) {
            inode.opens--;
            inode.mnt.openFiles--;
            inode.mnt.evictIfUnused(inode);
        }
    }
}
