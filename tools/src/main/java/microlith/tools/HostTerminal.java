package microlith.tools;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The host terminal in raw mode while `boot` runs interactively, through libc's termios
 * calls via jnr-ffi (the JDK has no API for them). Keys then reach the simulated UART one
 * by one, and the guest's line discipline does the echoing and editing. The saved mode
 * is restored on every exit path: normal return, exception, and JVM shutdown.
 */
final class HostTerminal implements AutoCloseable {
    /** The few libc calls needed. */
    public interface LibC {
        int isatty(int fd);

        int tcgetattr(int fd, Pointer termios);

        int tcsetattr(int fd, int optionalActions, Pointer termios);

        void cfmakeraw(Pointer termios);
    }

    private static final int TCSANOW = 0;
    /** sizeof(struct termios) in glibc x86-64 is 60; leave room. */
    private static final int TERMIOS_BYTES = 128;

    private final LibC libc;
    private final Pointer saved;
    private final Thread hook;
    private boolean restored;

    private HostTerminal(LibC libc, Pointer saved) {
        this.libc = libc;
        this.saved = saved;
        this.hook = new Thread(this::restore);
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Puts stdin in raw mode if stdin and stdout are terminals; null otherwise or on failure. */
    static HostTerminal rawIfInteractive() {
        if (System.console() == null) {
            return null;
        }
        try {
            LibC libc = LibraryLoader.create(LibC.class).load("c");
            if (libc.isatty(0) != 1) {
                return null;
            }
            Runtime rt = Runtime.getRuntime(libc);
            Pointer saved = Memory.allocateDirect(rt, TERMIOS_BYTES);
            if (libc.tcgetattr(0, saved) != 0) {
                return null;
            }
            Pointer raw = Memory.allocateDirect(rt, TERMIOS_BYTES);
            byte[] copy = new byte[TERMIOS_BYTES];
            saved.get(0, copy, 0, TERMIOS_BYTES);
            raw.put(0, copy, 0, TERMIOS_BYTES);
            libc.cfmakeraw(raw);
            HostTerminal term = new HostTerminal(libc, saved);
            if (libc.tcsetattr(0, TCSANOW, raw) != 0) {
                term.close();
                return null;
            }
            return term;
        } catch (RuntimeException | LinkageError e) {
            // No native access here: stay in cooked mode.
            return null;
        }
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            libc.tcsetattr(0, TCSANOW, saved);
        }
    }

    @Override
    public void close() {
        restore();
        try {
            java.lang.Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook runs (harmlessly) anyway.
        }
    }
}
