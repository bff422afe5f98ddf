package microlith.kernel.fs;

import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;

/** An open ramfs file or directory with its own offset and access mode. */
public final class RegularFile implements File {
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_APPEND = 02000;

    private final Inode inode;
    private final int flags;
    private long pos;

    private int refs = 1;

    public RegularFile(Inode inode, int flags) {
        this.inode = inode;
        this.flags = flags;
        if (inode.mnt != null) {
            inode.mnt.openFiles++;
        }
    }

    @Override
    public void retain() {
        refs++;
    }

    /** The last descriptor is gone: a mounted filesystem is no longer busy with this file. */
    @Override
    public void close() {
        if (--refs == 0 && inode.mnt != null) {
            inode.mnt.openFiles--;
        }
    }

    /** Current simulated time in seconds since the epoch, for mtime. */
    public static java.util.function.LongSupplier clock = () -> 0;

    public Inode inode() {
        return inode;
    }

    private boolean readable() {
        return (flags & O_ACCMODE) != O_WRONLY;
    }

    private boolean writable() {
        return (flags & O_ACCMODE) != O_RDONLY;
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        if (!readable()) {
            return -Errno.EBADF;
        }
        if (inode.isDir()) {
            return -Errno.EISDIR;
        }
        if (inode.mnt != null) {
            int n = inode.mnt.read(inode, pos, buf, len);
            if (n > 0) {
                pos += n;
            }
            return n;
        }
        byte[] d = inode.data;
        if (pos >= d.length) {
            return 0;
        }
        int n = (int) Math.min(len, d.length - pos);
        System.arraycopy(d, (int) pos, buf, 0, n);
        pos += n;
        return n;
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        if (!writable()) {
            return -Errno.EBADF;
        }
        if ((flags & O_APPEND) != 0) {
            pos = inode.size();
        }
        if (inode.mnt != null) {
            int n = inode.mnt.write(inode, pos, buf, len, clock.getAsLong());
            if (n > 0) {
                pos += n;
            }
            return n;
        }
        long end = pos + len;
        if (end > Integer.MAX_VALUE - 8) {
            return -Errno.EFBIG;
        }
        if (end > inode.data.length) {
            inode.data = java.util.Arrays.copyOf(inode.data, (int) end);
        }
        System.arraycopy(buf, 0, inode.data, (int) pos, len);
        pos = end;
        return len;
    }

    /** getdents64: fills buf with linux_dirent64 records from the current position. */
    public int getdents(byte[] buf, long parentIno) {
        if (!inode.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (inode.mnt != null && pos == 0) {
            inode.mnt.refresh(inode);
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<Inode> nodes = new java.util.ArrayList<>();
        names.add(".");
        nodes.add(inode);
        names.add("..");
        nodes.add(null);
        for (java.util.Map.Entry<String, Inode> e : inode.children.entrySet()) {
            names.add(e.getKey());
            nodes.add(e.getValue());
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int used = 0;
        while (pos < names.size()) {
            byte[] name = names.get((int) pos).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int reclen = (19 + name.length + 1 + 7) & ~7;
            if (used + reclen > buf.length) {
                return used == 0 ? -Errno.EINVAL : used;
            }
            Inode n = nodes.get((int) pos);
            int type;
            if (n == null || n.isDir()) {
                type = 4;
            } else if ((n.mode & Inode.S_IFMT) == Inode.S_IFCHR) {
                type = 2;
            } else if ((n.mode & Inode.S_IFMT) == Inode.S_IFLNK) {
                type = 10;
            } else {
                type = 8;
            }
            b.putLong(used, n == null ? parentIno : n.ino);
            b.putLong(used + 8, pos + 1);
            b.putShort(used + 16, (short) reclen);
            b.put(used + 18, (byte) type);
            System.arraycopy(name, 0, buf, used + 19, name.length);
            for (int i = used + 19 + name.length; i < used + reclen; i++) {
                buf[i] = 0;
            }
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
            case 2: base = inode.size(); break;
            default: return -Errno.EINVAL;
        }
        long np = base + offset;
        if (np < 0) {
            return -Errno.EINVAL;
        }
        pos = np;
        return np;
    }

    @Override
    public int mode() {
        return inode.mode;
    }

    @Override
    public long size() {
        return inode.isDir() ? 4096 : inode.size();
    }

    @Override
    public long ino() {
        return inode.ino;
    }

    public void truncate() {
        if (inode.mnt != null) {
            inode.mnt.truncate(inode, 0, clock.getAsLong());
            return;
        }
        inode.data = new byte[0];
    }
}
