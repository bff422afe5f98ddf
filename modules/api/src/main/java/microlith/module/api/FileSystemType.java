package microlith.module.api;

/** A filesystem a module registers (Linux's struct file_system_type), mounted by mount(2). */
public interface FileSystemType {
    /** The name given to {@code mount -t}. */
    String name();

    /**
     * Whether mount(2) must name a block device (Linux's FS_REQUIRES_DEV). A filesystem
     * that keeps everything in memory (ramfs) says false and is handed a null device.
     */
    default boolean requiresDevice() {
        return true;
    }

    /**
     * Reads the device's superblock and returns the mounted instance.
     *
     * @throws MountException with an errno (EINVAL for a device that does not hold this
     *         filesystem, EUCLEAN for a corrupt one)
     */
    SuperBlock mount(BlockDevice device, String options, boolean readOnly) throws MountException;

    /** A failed mount, carrying its errno. */
    final class MountException extends Exception {
        private final int errno;

        public MountException(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
