package microlith.module.api;

import java.util.List;

/**
 * A mounted instance of a module filesystem: Linux's super_operations and
 * inode_operations by inode number. The VFS does path walking, permission checks and
 * "."/".."; the filesystem keeps its on-disk format. Results are as documented, or a
 * negative errno.
 */
public interface SuperBlock {
    long rootIno();

    /** Attributes, or null if the inode does not exist. */
    InodeAttr getattr(long ino);

    /** The inode number of name in directory dir, or -ENOENT. */
    long lookup(long dir, String name);

    /** The entries of a directory, without "." and "..". */
    List<DirEntry> readdir(long dir);

    /** Creates a regular file or directory (by mode's type bits); returns its inode number. */
    long create(long dir, String name, int mode, int uid, int gid, long mtime);

    /**
     * mknod: a device node, FIFO or socket (by mode's type bits) with device number rdev.
     * A filesystem that cannot hold such nodes returns -EPERM, as Linux's do.
     */
    default long mknod(long dir, String name, int mode, long rdev, int uid, int gid, long mtime) {
        return -Errno.EPERM;
    }

    /** A symbolic link named name in dir pointing at target; its inode number. */
    default long symlink(long dir, String name, String target, int uid, int gid, long mtime) {
        return -Errno.EPERM;
    }

    /** The target of a symbolic link, or null if ino is not one. */
    default String readlink(long ino) {
        return null;
    }

    /** A hard link: another name for ino in dir. */
    default int link(long ino, long dir, String name) {
        return -Errno.EPERM;
    }

    /** Removes a file (unlink) or an empty directory (rmdir). */
    int remove(long dir, String name, boolean directory);

    /**
     * The kernel no longer uses an inode whose link count reached zero (its last open file
     * was closed, or none was open when the last name went): free it (Linux's evict_inode).
     */
    default void evict(long ino) {
    }

    /** Moves an entry, replacing a file at the target. */
    int rename(long fromDir, String from, long toDir, String to);

    /** Reads up to len bytes at pos; 0 at end of file. */
    int read(long ino, long pos, byte[] buf, int off, int len);

    /** Writes len bytes at pos, growing the file; returns len or a negative errno. */
    int write(long ino, long pos, byte[] buf, int off, int len, long mtime);

    int truncate(long ino, long size, long mtime);

    int chmod(long ino, int mode);

    /** Changes owner and group (-1 leaves one unchanged). */
    default int chown(long ino, int uid, int gid) {
        return -Errno.EPERM;
    }

    /** Sets the modification time (seconds since the epoch). */
    default int utimes(long ino, long mtime) {
        return -Errno.EPERM;
    }

    /** fsync: makes one file's data and attributes durable; by default the whole filesystem. */
    default int fsync(long ino) {
        return sync();
    }

    /** Writes everything dirty to the device (sync). */
    int sync();

    /** Called by umount after a final sync (put_super). */
    void unmount();

    /** statfs: {block size, total blocks, free blocks, total inodes, free inodes}. */
    long[] statfs();
}
