package microlith.modules.mlfs;

import java.util.TreeSet;
import microlith.module.api.Errno;

/**
 * The block bitmap, held in memory while mounted and written through: bit b (byte b/8,
 * bit b%8, least significant first, across the bitmap blocks) is 1 when block b is in
 * use. The superblock, bitmap and inode table are always marked in use, and so are the
 * padding bits past the last block, so the allocator never has to skip them.
 */
final class BlockBitmap {
    private final BlockIo io;
    private final DiskSuperblock sb;
    private final byte[][] blocks;
    private int free;
    private int hint;

    private BlockBitmap(BlockIo io, DiskSuperblock sb, byte[][] blocks) {
        this.io = io;
        this.sb = sb;
        this.blocks = blocks;
        this.hint = sb.dataStart();
        for (int b = sb.dataStart(); b < sb.blocks(); b++) {
            if (!isUsed(b)) {
                free++;
            }
        }
    }

    /** The bitmap of an empty filesystem: metadata and padding set. */
    static byte[][] fresh(DiskSuperblock sb) {
        byte[][] bits = new byte[sb.bitmapBlocks()][Layout.BLOCK_SIZE];
        for (int b = 0; b < sb.dataStart(); b++) {
            set(bits, b, true);
        }
        for (long b = sb.blocks(); b < (long) sb.bitmapBlocks() * Layout.BITS_PER_BLOCK; b++) {
            set(bits, (int) b, true);
        }
        return bits;
    }

    /** Reads the bitmap; EUCLEAN if it does not mark the metadata and padding in use. */
    static BlockBitmap load(BlockIo io, DiskSuperblock sb) {
        byte[][] bits = new byte[sb.bitmapBlocks()][];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = io.readBlock(sb.bitmapStart() + i);
        }
        for (int b = 0; b < sb.dataStart(); b++) {
            if (!get(bits, b)) {
                throw new FsError(Errno.EUCLEAN, "block bitmap does not mark metadata block " + b + " in use");
            }
        }
        for (long b = sb.blocks(); b < (long) bits.length * Layout.BITS_PER_BLOCK; b++) {
            if (!get(bits, (int) b)) {
                throw new FsError(Errno.EUCLEAN, "padding at end of block bitmap is not set");
            }
        }
        return new BlockBitmap(io, sb, bits);
    }

    boolean isUsed(int block) {
        return get(blocks, block);
    }

    int freeCount() {
        return free;
    }

    /** Claims a free data block and records it on disk; ENOSPC when there is none. */
    int allocate() {
        if (free == 0) {
            throw new FsError(Errno.ENOSPC, "no free blocks");
        }
        int dataBlocks = sb.blocks() - sb.dataStart();
        for (int i = 0; i < dataBlocks; i++) {
            int b = sb.dataStart() + (hint - sb.dataStart() + i) % dataBlocks;
            if (!isUsed(b)) {
                set(blocks, b, true);
                free--;
                hint = b + 1 < sb.blocks() ? b + 1 : sb.dataStart();
                writeBit(b);
                return b;
            }
        }
        throw new FsError(Errno.EUCLEAN, "block bitmap free count is wrong");
    }

    /** Releases blocks, writing each changed bitmap sector once. */
    void free(int[] released) {
        TreeSet<Integer> sectors = new TreeSet<>();
        for (int b : released) {
            if (b < sb.dataStart() || b >= sb.blocks() || !isUsed(b)) {
                throw new FsError(Errno.EUCLEAN, "freeing block " + b + " which is not an allocated data block");
            }
            set(blocks, b, false);
            free++;
            hint = Math.min(hint, b);
            sectors.add(b / (Layout.SECTOR_SIZE * 8));
        }
        for (int s : sectors) {
            int block = s / Layout.SECTORS_PER_BLOCK;
            int off = s % Layout.SECTORS_PER_BLOCK * Layout.SECTOR_SIZE;
            io.write(sb.bitmapStart() + block, blocks[block], off, off + Layout.SECTOR_SIZE);
        }
    }

    private void writeBit(int b) {
        int block = b / Layout.BITS_PER_BLOCK;
        int off = b % Layout.BITS_PER_BLOCK / 8;
        io.write(sb.bitmapStart() + block, blocks[block], off, off + 1);
    }

    private static boolean get(byte[][] bits, int b) {
        int off = b % Layout.BITS_PER_BLOCK;
        return (bits[b / Layout.BITS_PER_BLOCK][off >>> 3] >> (off & 7) & 1) != 0;
    }

    private static void set(byte[][] bits, int b, boolean used) {
        int off = b % Layout.BITS_PER_BLOCK;
        byte[] block = bits[b / Layout.BITS_PER_BLOCK];
        if (used) {
            block[off >>> 3] |= (byte) (1 << (off & 7));
        } else {
            block[off >>> 3] &= (byte) ~(1 << (off & 7));
        }
    }
}
