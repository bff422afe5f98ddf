package microlith.kernel.fs;

import java.util.HashMap;
import java.util.Map;
import microlith.kernel.module.LoadedModule;
import microlith.module.api.DirEntry;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;

/**
 * One mounted module filesystem and the VFS's view of it: kernel {@link Inode}s that
 * stand for the filesystem's inodes (an inode cache keyed by inode number). Attributes
 * and directory entries are re-read from the filesystem on lookup, data goes straight
 * through to it, so the filesystem owns its on-disk state.
 */
public final class Mount {
    public final String source;
    public final String target;
    public final String type;
    public final boolean readOnly;
    final SuperBlock sb;
    final LoadedModule fsOwner;
    final LoadedModule devOwner;
    final Inode covered;
    Inode root;
    int openFiles;
    private final Map<Long, Inode> cache = new HashMap<>();

    Mount(String source, String target, String type, boolean readOnly, SuperBlock sb, LoadedModule fsOwner,
          LoadedModule devOwner, Inode covered) {
        this.source = source;
        this.target = target;
        this.type = type;
        this.readOnly = readOnly;
        this.sb = sb;
        this.fsOwner = fsOwner;
        this.devOwner = devOwner;
        this.covered = covered;
    }

    /** The VFS inode for a filesystem inode, refreshed from getattr; null if it is gone. */
    Inode inode(long ino) {
        InodeAttr a = sb.getattr(ino);
        if (a == null) {
            cache.remove(ino);
            return null;
        }
        Inode n = cache.get(ino);
        if (n == null || n.isDir() != a.isDir()) {
            n = new Inode(a.mode(), a.uid(), a.gid());
            n.mnt = this;
            n.fsIno = ino;
            cache.put(ino, n);
        }
        n.mode = a.mode();
        n.uid = a.uid();
        n.gid = a.gid();
        n.mtime = a.mtime();
        n.fsSize = a.size();
        n.fsNlink = a.nlink();
        return n;
    }

    /** Re-reads a directory's entries into its children map (for getdents and emptiness). */
    void refresh(Inode dir) {
        dir.children.clear();
        for (DirEntry e : sb.readdir(dir.fsIno)) {
            Inode c = inode(e.ino());
            if (c != null) {
                dir.children.put(e.name(), c);
            }
        }
    }

    Inode lookup(Inode dir, String name) {
        if (!dir.isDir()) {
            return null;
        }
        long ino = sb.lookup(dir.fsIno, name);
        if (ino < 0) {
            return null;
        }
        Inode n = inode(ino);
        if (n != null && n.isDir()) {
            refresh(n);
        }
        return n;
    }

    Inode create(Inode dir, String name, int mode, int uid, int gid, long mtime) {
        long ino = sb.create(dir.fsIno, name, mode, uid, gid, mtime);
        if (ino < 0) {
            throw new FsError((int) -ino);
        }
        refresh(dir);
        return inode(ino);
    }

    int remove(Inode dir, String name, boolean directory) {
        int r = sb.remove(dir.fsIno, name, directory);
        refresh(dir);
        return r;
    }

    int rename(Inode fromDir, String from, Inode toDir, String to) {
        int r = sb.rename(fromDir.fsIno, from, toDir.fsIno, to);
        refresh(fromDir);
        refresh(toDir);
        return r;
    }

    int read(Inode n, long pos, byte[] buf, int len) {
        return sb.read(n.fsIno, pos, buf, 0, len);
    }

    int write(Inode n, long pos, byte[] buf, int len, long mtime) {
        int r = sb.write(n.fsIno, pos, buf, 0, len, mtime);
        inode(n.fsIno);
        return r;
    }

    int truncate(Inode n, long size, long mtime) {
        int r = sb.truncate(n.fsIno, size, mtime);
        inode(n.fsIno);
        return r;
    }

    public int chmod(Inode n, int mode) {
        return sb.chmod(n.fsIno, mode);
    }

    byte[] readAll(Inode n) {
        long size = n.fsSize;
        if (size > Integer.MAX_VALUE - 8) {
            return new byte[0];
        }
        byte[] b = new byte[(int) size];
        int done = 0;
        while (done < b.length) {
            byte[] chunk = new byte[Math.min(65536, b.length - done)];
            int r = sb.read(n.fsIno, done, chunk, 0, chunk.length);
            if (r <= 0) {
                return java.util.Arrays.copyOf(b, done);
            }
            System.arraycopy(chunk, 0, b, done, r);
            done += r;
        }
        return b;
    }

    /** A filesystem error surfaced through a VFS call that has no errno return. */
    public static final class FsError extends RuntimeException {
        public final int errno;

        FsError(int errno) {
            super("errno " + errno, null, false, false);
            this.errno = errno;
        }
    }
}
