package microlith.kernel.task;

/** Linux signal numbers and the names and messages shells print for them. */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6;
    public static final int SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12;
    public static final int SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18;
    public static final int SIGSTOP = 19;
    /** SIGKILL and SIGSTOP: no mask blocks them, no handler or signalfd takes them. */
    public static final long UNBLOCKABLE = 1L << (SIGKILL - 1) | 1L << (SIGSTOP - 1);

    private Signals() {
    }

    /** Whether the default action dumps core (the 0x80 bit of a wait status). */
    public static boolean dumpsCore(int sig) {
        switch (sig) {
            case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
                return true;
            default:
                return false;
        }
    }
}
