package microlith.modules.mlfs;

import java.util.Arrays;
import microlith.module.api.BlockDevice;

/** A RAM disk for the tests: the bytes are the disk, shared by every mount of it. */
final class MemoryDisk implements BlockDevice {
    final byte[] bytes;
    int writes;

    MemoryDisk(long size) {
        bytes = new byte[(int) size];
    }

    @Override
    public long sectors() {
        return bytes.length / SECTOR_SIZE;
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        if (lba < 0 || lba + count > sectors()) {
            return -5;
        }
        System.arraycopy(bytes, (int) lba * SECTOR_SIZE, buf, off, count * SECTOR_SIZE);
        return count;
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        if (lba < 0 || lba + count > sectors()) {
            return -5;
        }
        System.arraycopy(buf, off, bytes, (int) lba * SECTOR_SIZE, count * SECTOR_SIZE);
        writes++;
        return count;
    }

    byte[] snapshot() {
        return Arrays.copyOf(bytes, bytes.length);
    }
}
