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

    /** Removes a file (unlink) or an empty directory (rmdir). */
    int remove(long dir, String name, boolean directory);

    /** Moves an entry, replacing a file at the target. */
    int rename(long fromDir, String from, long toDir, String to);

    /** Reads up to len bytes at pos; 0 at end of file. */
    int read(long ino, long pos, byte[] buf, int off, int len);

    /** Writes len bytes at pos, growing the file; returns len or a negative errno. */
    int write(long ino, long pos, byte[] buf, int off, int len, long mtime);

    int truncate(long ino, long size, long mtime);

    int chmod(long ino, int mode);

    /** Writes everything dirty to the device (sync). */
    int sync();

    /** Called by umount after a final sync (put_super). */
    void unmount();

    /** statfs: {block size, total blocks, free blocks, total inodes, free inodes}. */
    long[] statfs();
}
