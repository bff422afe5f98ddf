package microlith.modules.mlfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The superblock: the first 52 bytes of block 0 (the rest of the block is zero).
 *
 * <pre>
 * offset size field
 * 0x00   4    magic             "MLFS" (4D 4C 46 53)
 * 0x04   4    version           1
 * 0x08   4    block_size        4096
 * 0x0C   4    blocks_count      blocks in the filesystem, metadata included
 * 0x10   4    inodes_count      inodes in the table (numbered 1..inodes_count)
 * 0x14   4    bitmap_start      1
 * 0x18   4    bitmap_blocks     ceil(blocks_count / 32768)
 * 0x1C   4    inode_table_start bitmap_start + bitmap_blocks
 * 0x20   4    inode_table_blocks ceil(inodes_count / 32)
 * 0x24   4    data_start        inode_table_start + inode_table_blocks
 * 0x28   4    root_ino          1
 * 0x2C   4    state             1 clean, 0 mounted read-write or not cleanly unmounted
 * 0x30   4    checksum          CRC-32 of bytes 0x00..0x2F
 * </pre>
 *
 * The geometry fields are redundant with the two counts on purpose: a reader need not
 * know the formulas, and a checker compares the two.
 */
public record DiskSuperblock(int magic, int version, int blockSize, int blocks, int inodes, int bitmapStart,
        int bitmapBlocks, int inodeTableStart, int inodeTableBlocks, int dataStart, int rootIno, int state,
        int checksum) {
    /** Bytes covered by the checksum; the checksum follows them. */
    public static final int CHECKED_BYTES = 0x30;
    public static final int SIZE = CHECKED_BYTES + 4;

    /** The superblock mkfs writes for a filesystem of these counts, clean. */
    public static DiskSuperblock create(int blocks, int inodes) {
        int bitmapBlocks = Layout.bitmapBlocks(blocks);
        int tableStart = 1 + bitmapBlocks;
        int tableBlocks = Layout.inodeTableBlocks(inodes);
        DiskSuperblock sb = new DiskSuperblock(Layout.MAGIC, Layout.VERSION, Layout.BLOCK_SIZE, blocks, inodes, 1,
            bitmapBlocks, tableStart, tableBlocks, tableStart + tableBlocks, Layout.ROOT_INO, Layout.STATE_CLEAN, 0);
        return sb.withChecksum();
    }

    public static DiskSuperblock decode(byte[] sector) {
        ByteBuffer b = ByteBuffer.wrap(sector, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        return new DiskSuperblock(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
            b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    /** The first sector of block 0. */
    public byte[] encode() {
        byte[] sector = new byte[Layout.SECTOR_SIZE];
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(version).putInt(blockSize).putInt(blocks).putInt(inodes).putInt(bitmapStart)
            .putInt(bitmapBlocks).putInt(inodeTableStart).putInt(inodeTableBlocks).putInt(dataStart)
            .putInt(rootIno).putInt(state).putInt(checksum);
        return sector;
    }

    /** The checksum the other fields call for. */
    public int expectedChecksum() {
        return Crc32.of(encode(), 0, CHECKED_BYTES);
    }

    public DiskSuperblock withChecksum() {
        return new DiskSuperblock(magic, version, blockSize, blocks, inodes, bitmapStart, bitmapBlocks,
            inodeTableStart, inodeTableBlocks, dataStart, rootIno, state, expectedChecksum());
    }

    /** This superblock in another state, checksum updated. */
    public DiskSuperblock withState(int newState) {
        return new DiskSuperblock(magic, version, blockSize, blocks, inodes, bitmapStart, bitmapBlocks,
            inodeTableStart, inodeTableBlocks, dataStart, rootIno, newState, 0).withChecksum();
    }

    public boolean isClean() {
        return state == Layout.STATE_CLEAN;
    }

    /**
     * Everything wrong with this superblock on a device of deviceBlocks 4 KiB blocks, one
     * sentence each; empty when the rest of the filesystem can be trusted to be where the
     * superblock says.
     */
    public List<String> problems(long deviceBlocks) {
        List<String> p = new ArrayList<>();
        if (magic != Layout.MAGIC) {
            p.add("bad magic number in superblock");
            return p;
        }
        if (version != Layout.VERSION) {
            p.add("unsupported mlfs version " + Integer.toUnsignedString(version));
        }
        if (checksum != expectedChecksum()) {
            p.add("superblock checksum is 0x" + Integer.toHexString(checksum) + ", should be 0x"
                + Integer.toHexString(expectedChecksum()));
        }
        if (blockSize != Layout.BLOCK_SIZE) {
            p.add("block size is " + Integer.toUnsignedString(blockSize) + ", should be " + Layout.BLOCK_SIZE);
        }
        if (blocks < Layout.MIN_BLOCKS) {
            p.add("block count " + Integer.toUnsignedString(blocks) + " is out of range");
            return p;
        }
        if (blocks > deviceBlocks) {
            p.add("the filesystem size is " + blocks + " blocks, but the device holds only " + deviceBlocks);
        }
        if (inodes <= 0) {
            p.add("inode count " + Integer.toUnsignedString(inodes) + " is out of range");
            return p;
        }
        expect(p, "bitmap_start", bitmapStart, 1);
        expect(p, "bitmap_blocks", bitmapBlocks, Layout.bitmapBlocks(blocks));
        expect(p, "inode_table_start", inodeTableStart, 1L + bitmapBlocks);
        expect(p, "inode_table_blocks", inodeTableBlocks, Layout.inodeTableBlocks(inodes));
        expect(p, "data_start", dataStart, (long) inodeTableStart + inodeTableBlocks);
        if (Integer.toUnsignedLong(dataStart) >= blocks) {
            p.add("data_start " + Integer.toUnsignedString(dataStart) + " leaves no data blocks in "
                + blocks + " blocks");
        }
        expect(p, "root_ino", rootIno, Layout.ROOT_INO);
        if (state != Layout.STATE_CLEAN && state != Layout.STATE_DIRTY) {
            p.add("unknown superblock state " + Integer.toUnsignedString(state));
        }
        return p;
    }

    private static void expect(List<String> p, String field, int value, long should) {
        if (Integer.toUnsignedLong(value) != should) {
            p.add("superblock " + field + " is " + Integer.toUnsignedString(value) + ", should be " + should);
        }
    }
}
