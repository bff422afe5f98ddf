package microlith.modules.mlfs;

import java.util.List;
import microlith.module.api.BlockDevice;

/**
 * Writes an empty mlfs (mke2fs's job): the bitmap and inode table first, the superblock
 * last, so an interrupted mkfs leaves no valid-looking filesystem behind. The root
 * directory is mode 0755, owned by root, and empty. Data blocks are not touched.
 */
public final class Mkfs {
    private Mkfs() {
    }

    /**
     * Formats the first blocks*8 sectors of device with inodes inodes.
     *
     * @throws IllegalArgumentException if the counts do not make a filesystem that fits
     * @throws FsError if the device fails
     */
    public static DiskSuperblock format(BlockDevice device, long blocks, long inodes, long mtime) {
        if (blocks < Layout.MIN_BLOCKS || blocks > Layout.MAX_BLOCKS || inodes < 1 || inodes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(blocks + " blocks and " + inodes + " inodes is not a valid mlfs size");
        }
        DiskSuperblock sb = DiskSuperblock.create((int) blocks, (int) inodes);
        List<String> problems = sb.problems(device.sectors() / Layout.SECTORS_PER_BLOCK);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        BlockIo io = new BlockIo(device);
        byte[][] bitmap = BlockBitmap.fresh(sb);
        for (int i = 0; i < bitmap.length; i++) {
            io.writeBlock(sb.bitmapStart() + i, bitmap[i]);
        }
        byte[] firstTableBlock = new byte[Layout.BLOCK_SIZE];
        rootInode(mtime).encode(firstTableBlock, 0);
        byte[] zeros = new byte[Layout.BLOCK_SIZE];
        for (int t = 0; t < sb.inodeTableBlocks(); t++) {
            io.writeBlock(sb.inodeTableStart() + t, t == 0 ? firstTableBlock : zeros);
        }
        byte[] block0 = new byte[Layout.BLOCK_SIZE];
        System.arraycopy(sb.encode(), 0, block0, 0, Layout.SECTOR_SIZE);
        io.writeBlock(0, block0);
        io.flush();
        return sb;
    }

    private static DiskInode rootInode(long mtime) {
        DiskInode root = new DiskInode();
        root.mode = Layout.S_IFDIR | 0755;
        root.nlink = 2;
        root.parent = Layout.ROOT_INO;
        root.mtime = mtime;
        return root;
    }
}
