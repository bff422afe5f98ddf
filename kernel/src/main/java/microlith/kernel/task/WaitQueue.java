package microlith.kernel.task;

import java.util.ArrayList;
import java.util.List;

/** Tasks asleep until an event; waking them makes them runnable to retry their call. */
public final class WaitQueue {
    private final List<Task> waiters = new ArrayList<>();

    public void add(Task t) {
        if (!waiters.contains(t)) {
            waiters.add(t);
        }
    }

    public void wakeAll(Scheduler s) {
        for (Task t : waiters) {
            s.wake(t);
        }
        waiters.clear();
    }

    public boolean isEmpty() {
        return waiters.isEmpty();
    }
}
