package microlith.tools;

/** How a shell names the signal that killed a program (the strings of bash and of the guest's sh). */
final class Signal {
    static final int SIGINT = 2, SIGKILL = 9, SIGPIPE = 13;

    private static final String[] NAMES = {
        null, "Hangup", null, "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
        "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
        null, "Alarm clock", "Terminated", "Stack fault", null, null, null, null, null, null, null,
        "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
        null, "I/O possible", "Power failure", "Bad system call",
    };

    private Signal() {
    }

    /** The line a shell prints for a program killed by sig; null for SIGINT and SIGPIPE, which it leaves silent. */
    static String describe(int sig) {
        if (sig == SIGINT || sig == SIGPIPE) {
            return null;
        }
        String name = sig < NAMES.length ? NAMES[sig] : null;
        return name != null ? name : "Unknown signal " + sig;
    }
}
