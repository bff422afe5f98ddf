package microlith.tools.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/** A disk image file on the host as a 512-byte-sector block device (what losetup gives Linux). */
public final class ImageDevice implements BlockDevice, AutoCloseable {
    private final FileChannel file;
    private final long sectors;

    private ImageDevice(FileChannel file) throws IOException {
        this.file = file;
        this.sectors = file.size() / SECTOR_SIZE;
    }

    public static ImageDevice open(Path image, boolean writable) throws IOException {
        return writable
            ? new ImageDevice(FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE))
            : new ImageDevice(FileChannel.open(image, StandardOpenOption.READ));
    }

    @Override
    public long sectors() {
        return sectors;
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        if (lba < 0 || count < 0 || lba + count > sectors) {
            return -Errno.EIO;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, off, count * SECTOR_SIZE);
        try {
            while (b.hasRemaining()) {
                if (file.read(b, lba * SECTOR_SIZE + b.position() - off) < 0) {
                    return -Errno.EIO;
                }
            }
        } catch (IOException e) {
            return -Errno.EIO;
        }
        return count;
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        if (lba < 0 || count < 0 || lba + count > sectors) {
            return -Errno.EIO;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, off, count * SECTOR_SIZE);
        try {
            while (b.hasRemaining()) {
                file.write(b, lba * SECTOR_SIZE + b.position() - off);
            }
        } catch (IOException e) {
            return -Errno.EIO;
        }
        return count;
    }

    @Override
    public int flush() {
        try {
            file.force(false);
            return 0;
        } catch (IOException e) {
            return -Errno.EIO;
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
