package microlith.kernel.time;

import java.util.ArrayList;
import java.util.List;

/**
 * Kernel timers on jiffies (Linux's timer wheel, as a list: there are few). The timer
 * interrupt runs every expired timer's function, in expiry order; what "running" means
 * (a call through a function pointer, a notification to a server) is the timer's owner's.
 */
public final class Timers {
    /** One timer_list: what firing does, its expiry and whether it is armed. */
    public static final class Entry {
        final Runnable fire;
        long expires;
        public boolean pending;

        Entry(Runnable fire) {
            this.fire = fire;
        }
    }

    private final List<Entry> armed = new ArrayList<>();

    public Entry create(Runnable fire) {
        return new Entry(fire);
    }

    public void mod(Entry e, long expires) {
        e.expires = expires;
        if (!e.pending) {
            e.pending = true;
            armed.add(e);
        }
    }

    public boolean delete(Entry e) {
        boolean was = e.pending;
        e.pending = false;
        armed.remove(e);
        return was;
    }

    public boolean anyPending() {
        return !armed.isEmpty();
    }

    /** From the tick: run what has expired (a timer may re-arm itself). */
    public void run(long jiffies) {
        if (armed.isEmpty()) {
            return;
        }
        List<Entry> due = new ArrayList<>();
        for (Entry e : armed) {
            if (e.expires - jiffies <= 0) {
                due.add(e);
            }
        }
        due.sort((a, b) -> Long.compare(a.expires, b.expires));
        for (Entry e : due) {
            if (e.pending && e.expires - jiffies <= 0) {
                e.pending = false;
                armed.remove(e);
                e.fire.run();
            }
        }
    }
}
