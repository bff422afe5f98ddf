package microlith.module.api;

/** What stat reports for one inode of a module filesystem. */
public record InodeAttr(long ino, int mode, int nlink, int uid, int gid, long size, long mtime) {
    public static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000;

    public boolean isDir() {
        return (mode & S_IFMT) == S_IFDIR;
    }
}
