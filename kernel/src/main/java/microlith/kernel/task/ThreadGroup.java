package microlith.kernel.task;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread group (Linux's signal_struct, in part): the tasks that make up one process.
 * Its leader's pid is the process id; the group lives until its last thread exits, and
 * only then does the leader's parent hear of the death.
 */
public final class ThreadGroup {
    public final Task leader;
    /** The group's threads that have not exited yet, the leader first while it lives. */
    public final List<Task> live = new ArrayList<>();
    /** exit_group or a fatal signal is ending every thread (SIGNAL_GROUP_EXIT). */
    public boolean exiting;
    /** The wait status exit_group or the fatal signal gave the whole group. */
    public int exitStatus;

    public ThreadGroup(Task leader) {
        this.leader = leader;
        live.add(leader);
    }

    /**
     * The thread that takes a signal sent to the whole process: one waiting for it in
     * sigtimedwait, else the first live thread (the leader first) that does not block it,
     * else any live one.
     */
    public Task signalTarget(int sig) {
        long bit = 1L << (sig - 1);
        for (Task t : live) {
            if ((t.sigWaitSet & bit) != 0) {
                // A thread asleep in sigwait/sigtimedwait for it takes it first.
                return t;
            }
        }
        for (Task t : live) {
            if ((t.sigMask & bit) == 0) {
                return t;
            }
        }
        return live.isEmpty() ? leader : live.get(0);
    }
}
