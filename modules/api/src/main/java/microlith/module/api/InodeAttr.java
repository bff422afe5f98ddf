package microlith.module.api;

/**
 * What stat reports for one inode of a module filesystem. {@code rdev} is the device
 * number (major &lt;&lt; 8 | minor) of a device node, else 0.
 */
public record InodeAttr(long ino, int mode, int nlink, int uid, int gid, long size, long mtime, long rdev) {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
        S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    /** Attributes of an inode that is not a device node. */
    public InodeAttr(long ino, int mode, int nlink, int uid, int gid, long size, long mtime) {
        this(ino, mode, nlink, uid, gid, size, mtime, 0);
    }

    public boolean isDir() {
        return (mode & S_IFMT) == S_IFDIR;
    }
}
