package microlith.modules.mlfs;

/**
 * The fixed sizes of the mlfs on-disk format (docs/mlfs.md) and the geometry that follows
 * from a block count and an inode count. Every multi-byte field on disk is little-endian.
 *
 * <pre>
 *  block 0      1 .. B          B+1 .. B+T            B+T+1 .. blocks-1
 * +-----------+---------------+---------------------+---------------------------+
 * | superblock| block bitmap  | inode table         | data blocks (files, dirs, |
 * |           | (B blocks)    | (T blocks, 32/block)| indirect blocks)          |
 * +-----------+---------------+---------------------+---------------------------+
 * </pre>
 */
public final class Layout {
    public static final int SECTOR_SIZE = 512;
    public static final int BLOCK_SIZE = 4096;
    public static final int SECTORS_PER_BLOCK = BLOCK_SIZE / SECTOR_SIZE;

    /** "MLFS" as stored: the bytes 4D 4C 46 53, read as a little-endian u32. */
    public static final int MAGIC = 0x53464C4D;
    public static final int VERSION = 1;

    /** Superblock state: unmounted cleanly, or mounted read-write (or crashed while mounted). */
    public static final int STATE_CLEAN = 1, STATE_DIRTY = 0;

    public static final int INODE_SIZE = 128;
    public static final int INODES_PER_BLOCK = BLOCK_SIZE / INODE_SIZE;
    public static final int ROOT_INO = 1;

    public static final int BITS_PER_BLOCK = BLOCK_SIZE * 8;

    /** Block pointers in an inode: NDIRECT direct ones, then one single-indirect block. */
    public static final int NDIRECT = 12;
    public static final int PTRS_PER_BLOCK = BLOCK_SIZE / 4;
    public static final int MAX_FILE_BLOCKS = NDIRECT + PTRS_PER_BLOCK;
    public static final long MAX_FILE_SIZE = (long) MAX_FILE_BLOCKS * BLOCK_SIZE;

    public static final int DIRENT_SIZE = 64;
    public static final int DIRENTS_PER_BLOCK = BLOCK_SIZE / DIRENT_SIZE;
    public static final int NAME_MAX = DIRENT_SIZE - 5;

    /** Mode bits as stat(2) has them; mlfs stores only regular files and directories. */
    public static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000;

    /**
     * The smallest filesystem mkfs makes: superblock, one bitmap block, one inode-table
     * block and some room for data.
     */
    public static final long MIN_BLOCKS = 16;

    /** Block numbers are u32 on disk; mlfs keeps them below 2^31 so Java ints hold them. */
    public static final long MAX_BLOCKS = Integer.MAX_VALUE;

    private Layout() {
    }

    public static int bitmapBlocks(long blocks) {
        return (int) ((blocks + BITS_PER_BLOCK - 1) / BITS_PER_BLOCK);
    }

    public static int inodeTableBlocks(long inodes) {
        return (int) ((inodes + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK);
    }

    /** Blocks a file of this size spans (its last block may be partly used). */
    public static long blocksFor(long size) {
        return (size + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** mkfs's default: one inode per 16 KiB of disk, in whole inode-table blocks. */
    public static long defaultInodes(long blocks) {
        long inodes = Math.max(INODES_PER_BLOCK, blocks / 4);
        return (inodes + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK * INODES_PER_BLOCK;
    }
}
