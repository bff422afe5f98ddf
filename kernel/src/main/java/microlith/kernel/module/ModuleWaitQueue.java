package microlith.kernel.module;

import microlith.kernel.Kernel;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;
import microlith.module.api.WaitQueue;

/** A module's wait queue: the kernel's queue of parked tasks behind the SDK interface. */
final class ModuleWaitQueue implements WaitQueue {
    private final Kernel k;
    final microlith.kernel.proc.WaitQueue queue = new microlith.kernel.proc.WaitQueue();

    ModuleWaitQueue(Kernel k) {
        this.k = k;
    }

    @Override
    public int block() {
        Task t = k.sched.current();
        if (t != null) {
            queue.add(t);
            k.sched.sleep(t);
        }
        return -Errno.ERESTARTSYS;
    }

    @Override
    public void wakeUp() {
        queue.wakeAll(k.sched);
    }

    @Override
    public boolean hasWaiters() {
        return !queue.isEmpty();
    }
}
