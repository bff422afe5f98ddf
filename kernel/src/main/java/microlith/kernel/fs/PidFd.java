package microlith.kernel.fs;

import microlith.kernel.task.Task;

/**
 * A pidfd (Linux's kernel/pid.c pidfd_open): a descriptor naming one process, stable
 * where a pid could be reused. poll says POLLIN once the process has exited (every
 * thread gone, as pidfd_poll says it); pidfd_send_signal and waitid(P_PIDFD) take it.
 */
public final class PidFd extends AnonFile {
    private final Task leader;

    public PidFd(Task leader, int flags) {
        super(flags);
        this.leader = leader;
    }

    /** The process's thread-group leader. */
    public Task process() {
        return leader;
    }

    public boolean exited() {
        return leader.group == null ? leader.state == Task.State.ZOMBIE : leader.group.live.isEmpty();
    }

    @Override
    public int poll(Task task, boolean register) {
        if (exited()) {
            return 0x1;
        }
        if (register) {
            leader.pidfdWait.add(task);
        }
        return 0;
    }
}
