package microlith.modules.mlfs;

/**
 * An operation failed with a Linux errno. Thrown deep inside mlfs and turned into the
 * negative return value at the SuperBlock boundary, so helpers need not thread error
 * codes through every call.
 */
public final class FsError extends RuntimeException {
    private final int errno;

    public FsError(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
