package microlith.kernel.fs;

import microlith.module.api.InodeAttr;

/**
 * The VFS's in-core copy of one inode of a mounted filesystem (Linux's struct inode):
 * which mount and inode number it is, and the attributes last read from the filesystem.
 * The VFS refreshes them after every operation it routes to the filesystem that can
 * change them, so stat is answered here without asking the filesystem again.
 */
public final class Inode {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    public final Mount mnt;
    public final long ino;
    public int mode;
    public int uid;
    public int gid;
    public int nlink;
    public long size;
    public long mtime;
    /** Device number of a device node (major &lt;&lt; 8 | minor). */
    public long rdev;
    /** The filesystem mounted on this directory, which path walks cross into. */
    Mount mounted;
    /** Open files on this inode: an unlinked inode is evicted when the last one closes. */
    int opens;

    Inode(Mount mnt, long ino) {
        this.mnt = mnt;
        this.ino = ino;
    }

    void set(InodeAttr a) {
        mode = a.mode();
        uid = a.uid();
        gid = a.gid();
        nlink = a.nlink();
        size = a.size();
        mtime = a.mtime();
        rdev = a.rdev();
    }

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDir() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    @Override
    public String toString() {
        return mnt.type + ":" + ino;
    }
}
