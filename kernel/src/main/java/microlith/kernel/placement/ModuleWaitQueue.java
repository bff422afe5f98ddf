package microlith.kernel.placement;

import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;
import microlith.module.api.WaitQueue;

/** A module's wait queue in the kernel: the kernel's queue of parked tasks behind the SDK interface. */
final class ModuleWaitQueue implements WaitQueue {
    private final Scheduler sched;
    final microlith.kernel.task.WaitQueue queue = new microlith.kernel.task.WaitQueue();

    ModuleWaitQueue(Scheduler sched) {
        this.sched = sched;
    }

    @Override
    public int block() {
        Task t = sched.current();
        if (t != null) {
            queue.add(t);
            sched.sleep(t);
        }
        return -Errno.ERESTARTSYS;
    }

    @Override
    public void wakeUp() {
        queue.wakeAll(sched);
    }

    @Override
    public boolean hasWaiters() {
        return !queue.isEmpty();
    }
}
