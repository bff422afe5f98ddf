package microlith.kernel.log;

/**
 * Kernel panic: logged with Linux's lines, then thrown through the Java kernel code to the
 * entry path, which stops the CPU at panic_halt.
 */
public final class Panic extends RuntimeException {
    private Panic(String m) {
        super(m, null, false, false);
    }

    /** Logs "Kernel panic - not syncing: msg" and returns the exception to throw. */
    public static Panic panic(Printk log, String msg) {
        if (log != null) {
            log.emerg("Kernel panic - not syncing: %s", msg);
            log.emerg("---[ end Kernel panic - not syncing: %s ]---", msg);
        }
        return new Panic(msg);
    }
}
