package microlith.hw;

/**
 * The boot loader cannot start the machine as asked (the initrd does not fit in RAM, the
 * command line is too long): a user's mistake to report in one line, not a machine fault.
 */
public final class BootException extends RuntimeException {
    public BootException(String message) {
        super(message, null, false, false);
    }
}
