package microlith.kernel.task;

/** Sends signals for code below the process manager (a pipe's SIGPIPE, a terminal's Ctrl-C). */
public interface Signaller {
    /** kill(2)-style: makes sig pending on t. */
    void send(Task t, int sig);

    /** kill_pgrp: sig to every process of group pgrp; 0, or -ESRCH if there is none. */
    int killProcessGroup(int pgrp, int sig);
}
