package microlith.modules.mlfs;

import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/**
 * 4 KiB blocks over a 512-byte-sector device. A transfer moves only the sectors that
 * cover the byte range asked for, so updating one inode or one bitmap bit writes one
 * sector. Buffers are block-sized and the range keeps its offsets within the block.
 */
public final class BlockIo {
    private final BlockDevice device;
    private WriteGuard guard;

    public BlockIo(BlockDevice device) {
        this.device = device;
    }

    /** From now on every write is checked by guard first (a read-write mount). */
    void guard(WriteGuard g) {
        this.guard = g;
    }

    public BlockDevice device() {
        return device;
    }

    /** Fills buf[from..to) (and the rest of the sectors covering it) from the block. */
    public void read(int block, byte[] buf, int from, int to) {
        int first = from / Layout.SECTOR_SIZE;
        int count = sectors(from, to);
        int got = device.read(lba(block) + first, count, buf, first * Layout.SECTOR_SIZE);
        if (got != count) {
            throw new FsError(Errno.EIO, "read error at block " + block);
        }
    }

    public byte[] readBlock(int block) {
        byte[] buf = new byte[Layout.BLOCK_SIZE];
        read(block, buf, 0, Layout.BLOCK_SIZE);
        return buf;
    }

    /**
     * Writes the sectors of the block that cover buf[from..to). The guard sees exactly the
     * arguments the device gets, computed before it is asked.
     */
    public void write(int block, byte[] buf, int from, int to) {
        int first = from / Layout.SECTOR_SIZE;
        int count = sectors(from, to);
        long lba = lba(block) + first;
        int at = first * Layout.SECTOR_SIZE;
        if (guard != null) {
            guard.admit(lba, count, buf, at);
        }
        int put = device.write(lba, count, buf, at);
        if (put != count) {
            throw new FsError(Errno.EIO, "write error at block " + block);
        }
    }

    public void writeBlock(int block, byte[] buf) {
        write(block, buf, 0, Layout.BLOCK_SIZE);
    }

    /** A cache flush on the device: earlier writes are durable when it returns. */
    public void flush() {
        int r = device.flush();
        if (r < 0) {
            throw new FsError(-r, "flush failed");
        }
    }

    private static long lba(int block) {
        return (long) block * Layout.SECTORS_PER_BLOCK;
    }

    private static int sectors(int from, int to) {
        int first = from / Layout.SECTOR_SIZE;
        int last = (to - 1) / Layout.SECTOR_SIZE;
        return last - first + 1;
    }
}
