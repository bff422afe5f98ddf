package microlith.kernel.task;

/**
 * Signals for code below the process manager (a pipe's SIGPIPE, a terminal's Ctrl-C), and
 * the process-group facts a terminal's job control needs (drivers/tty/tty_jobctrl.c asks
 * Linux's kernel/exit.c the same).
 */
public interface Signaller {
    /** kill(2)-style: makes sig pending on t. */
    void send(Task t, int sig);

    /** kill_pgrp: sig to every process of group pgrp; 0, or -ESRCH if there is none. */
    int killProcessGroup(int pgrp, int sig);

    /** session_of_pgrp: the session of process group pgrp, or -1 if the group has no process. */
    int sessionOfProcessGroup(int pgrp);

    /** Whether process group pgrp is orphaned (no member has a parent in another group of its session). */
    boolean isOrphanedProcessGroup(int pgrp);

    /** Whether t blocks or ignores sig. */
    boolean ignoresOrBlocks(Task t, int sig);
}
