package microlith.modules.mlfs;

import microlith.module.api.Errno;

/**
 * The inode table: inode n (from 1) lives at byte (n-1)*128 of the table. Which inodes
 * are in use (mode != 0) is learned by one scan at mount and kept in memory; the inodes
 * themselves are read and written on disk each time, one sector at a time.
 */
final class InodeTable {
    private final BlockIo io;
    private final DiskSuperblock sb;
    private final boolean[] used;
    private int free;

    private InodeTable(BlockIo io, DiskSuperblock sb, boolean[] used) {
        this.io = io;
        this.sb = sb;
        this.used = used;
        for (int i = 1; i < used.length; i++) {
            if (!used[i]) {
                free++;
            }
        }
    }

    static InodeTable load(BlockIo io, DiskSuperblock sb) {
        boolean[] used = new boolean[sb.inodes() + 1];
        for (int t = 0; t < sb.inodeTableBlocks(); t++) {
            byte[] block = io.readBlock(sb.inodeTableStart() + t);
            for (int i = 0; i < Layout.INODES_PER_BLOCK; i++) {
                int ino = t * Layout.INODES_PER_BLOCK + i + 1;
                if (ino <= sb.inodes()) {
                    used[ino] = DiskInode.decode(block, i * Layout.INODE_SIZE).inUse();
                }
            }
        }
        return new InodeTable(io, sb, used);
    }

    int count() {
        return sb.inodes();
    }

    int freeCount() {
        return free;
    }

    boolean exists(long ino) {
        return ino >= 1 && ino <= sb.inodes() && used[(int) ino];
    }

    /** The inode, ENOENT if it is not in use, EUCLEAN if it makes no sense. */
    DiskInode read(long ino) {
        if (!exists(ino)) {
            throw new FsError(Errno.ENOENT, "no inode " + ino);
        }
        byte[] block = new byte[Layout.BLOCK_SIZE];
        int off = offset((int) ino);
        io.read(block((int) ino), block, off, off + Layout.INODE_SIZE);
        DiskInode n = DiskInode.decode(block, off);
        if (!n.isDir() && !n.isRegular()) {
            throw new FsError(Errno.EUCLEAN, "inode " + ino + " has bad mode 0" + Integer.toOctalString(n.mode));
        }
        if (n.size < 0 || n.size > Layout.MAX_FILE_SIZE || n.isDir() && n.size % Layout.BLOCK_SIZE != 0) {
            throw new FsError(Errno.EUCLEAN, "inode " + ino + " has bad size " + n.size);
        }
        return n;
    }

    /** Stores the inode; the one sector holding it is read, patched and written. */
    void write(int ino, DiskInode n) {
        byte[] block = new byte[Layout.BLOCK_SIZE];
        int off = offset(ino);
        io.read(block(ino), block, off, off + Layout.INODE_SIZE);
        n.encode(block, off);
        io.write(block(ino), block, off, off + Layout.INODE_SIZE);
    }

    /** Reserves the lowest free inode number in memory; the caller then writes the inode. */
    int allocate() {
        for (int ino = 1; ino < used.length; ino++) {
            if (!used[ino]) {
                used[ino] = true;
                free--;
                return ino;
            }
        }
        throw new FsError(Errno.ENOSPC, "no free inodes");
    }

    /** Frees an inode: zeroes it on disk (if it was ever written) and forgets it. */
    void release(int ino, boolean onDisk) {
        if (onDisk) {
            write(ino, new DiskInode());
        }
        used[ino] = false;
        free++;
    }

    private int block(int ino) {
        return sb.inodeTableStart() + (ino - 1) / Layout.INODES_PER_BLOCK;
    }

    private static int offset(int ino) {
        return (ino - 1) % Layout.INODES_PER_BLOCK * Layout.INODE_SIZE;
    }
}
