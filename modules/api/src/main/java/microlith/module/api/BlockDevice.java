package microlith.module.api;

/**
 * A disk as a driver exposes it and a filesystem uses it: 512-byte sectors addressed by
 * LBA. Transfers are synchronous; results are sector counts or negative errnos.
 */
public interface BlockDevice {
    int SECTOR_SIZE = 512;

    long sectors();

    /** Reads count sectors from lba into buf at off. */
    int read(long lba, int count, byte[] buf, int off);

    /** Writes count sectors from buf at off to lba. */
    int write(long lba, int count, byte[] buf, int off);

    /** Makes earlier writes durable (a cache flush). */
    default int flush() {
        return 0;
    }
}
