package microlith.kernel.proc;

import java.util.ArrayList;
import java.util.List;
import microlith.kernel.Kernel;

/**
 * Kernel timers on jiffies (Linux's timer wheel, as a list: there are few). The timer
 * interrupt runs every expired timer's function through its address, in expiry order.
 */
public final class Timers {
    /** One timer_list: its function's address, expiry and whether it is armed. */
    public static final class Entry {
        final long fn;
        long expires;
        public boolean pending;

        Entry(long fn) {
            this.fn = fn;
        }
    }

    private final Kernel k;
    private final List<Entry> armed = new ArrayList<>();

    public Timers(Kernel k) {
        this.k = k;
    }

    public Entry create(long fn) {
        return new Entry(fn);
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
                k.modules.callPointer(e.fn, 0, 0, 0);
            }
        }
    }
}
