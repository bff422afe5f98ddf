package microlith.hw.dev;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The medium behind a disk: a host file of 512-byte sectors (a trailing partial sector is
 * not part of the disk). Writes go straight through to the file, so whatever the guest
 * wrote survives the machine stopping at any moment; {@link #flush} also forces it to the
 * host's storage, which is what a cache flush promises.
 */
public final class DiskImage implements Closeable {
    public static final int SECTOR_SIZE = 512;

    private final FileChannel file;
    private final long sectors;

    private DiskImage(FileChannel file, long sectors) {
        this.file = file;
        this.sectors = sectors;
    }

    /**
     * Opens IMAGE for reading and writing.
     *
     * @throws IOException with a message fit for one line of output when the file is
     *         missing, not a regular file, not readable and writable, or smaller than a sector
     */
    public static DiskImage open(Path image) throws IOException {
        if (!Files.exists(image)) {
            throw new IOException(image + ": No such file or directory");
        }
        if (!Files.isRegularFile(image)) {
            throw new IOException(image + ": not a regular file");
        }
        if (!Files.isReadable(image) || !Files.isWritable(image)) {
            throw new IOException(image + ": Permission denied (the disk image must be readable and writable)");
        }
        FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long sectors = ch.size() / SECTOR_SIZE;
        if (sectors == 0) {
            ch.close();
            throw new IOException(image + ": disk image smaller than one " + SECTOR_SIZE + "-byte sector");
        }
        return new DiskImage(ch, sectors);
    }

    public long sectors() {
        return sectors;
    }

    /** Reads sector lba into buf[0..512). */
    public void read(long lba, byte[] buf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, SECTOR_SIZE);
        long pos = lba * SECTOR_SIZE;
        while (b.hasRemaining()) {
            if (file.read(b, pos + b.position()) < 0) {
                throw new IOException("disk image shrank below sector " + lba);
            }
        }
    }

    /** Writes buf[0..512) to sector lba. */
    public void write(long lba, byte[] buf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, SECTOR_SIZE);
        long pos = lba * SECTOR_SIZE;
        while (b.hasRemaining()) {
            file.write(b, pos + b.position());
        }
    }

    /** Forces every write so far to the host's storage. */
    public void flush() throws IOException {
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
