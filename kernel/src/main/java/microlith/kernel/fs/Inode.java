package microlith.kernel.fs;

import java.util.TreeMap;

/** A file or directory in the in-memory root filesystem. */
public final class Inode {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFLNK = 0120000;

    private static long nextIno = 1;

    public final long ino = nextIno++;
    public int mode;
    public int uid;
    public int gid;
    public long mtime;
    public byte[] data = new byte[0];
    /** For a device node: what opening it gives (devfs). */
    public java.util.function.Supplier<File> device;
    /** Device number shown by stat (major &lt;&lt; 8 | minor). */
    public long rdev;
    public final TreeMap<String, Inode> children;
    /** For a node of a mounted module filesystem: its mount and its inode number there. */
    public Mount mnt;
    public long fsIno;
    /** The root of a filesystem mounted on this directory, which lookups cross into. */
    public Inode mountedHere;
    /** Cached size and link count of a mounted file (the filesystem's getattr). */
    public long fsSize;
    public int fsNlink = 1;
    /** Names this file has in the root filesystem (hard links: cpio archives, link(2)). */
    public int links = 1;

    public Inode(int mode, int uid, int gid) {
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.children = (mode & S_IFMT) == S_IFDIR ? new TreeMap<>() : null;
    }

    public boolean isDir() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** The file's size in bytes. */
    public long size() {
        return mnt != null ? fsSize : data.length;
    }

    /** The link count: a directory has 2 plus one per subdirectory (their ".."), as in Linux. */
    public int nlink() {
        if (mnt != null) {
            return fsNlink;
        }
        if (!isDir()) {
            return links;
        }
        int n = 2;
        for (Inode c : children.values()) {
            if (c.isDir()) {
                n++;
            }
        }
        return n;
    }

    /** The whole file, read from its filesystem if it is mounted (for exec). */
    public byte[] contents() {
        return mnt != null ? mnt.readAll(this) : data;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }
}
