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
        /** Linux's TIMER_DEFERRABLE: it never keeps an idle machine ticking, and fires at the next tick. */
        final boolean deferrable;
        long expires;
        public boolean pending;
        /** Where a ring-0 module's timer_list.function lives in kernel memory; 0 for the kernel's own timers. */
        public long functionSlot;

        Entry(Runnable fire, boolean deferrable) {
            this.fire = fire;
            this.deferrable = deferrable;
        }
    }

    private final List<Entry> armed = new ArrayList<>();

    public Entry create(Runnable fire) {
        return new Entry(fire, false);
    }

    /** A timer that does not wake an idle machine (a periodic check with nothing to check then). */
    public Entry createDeferrable(Runnable fire) {
        return new Entry(fire, true);
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

    /** The function slots of the armed timers of ring-0 modules. */
    public List<Long> armedFunctionSlots() {
        List<Long> slots = new ArrayList<>();
        for (Entry e : armed) {
            if (e.functionSlot != 0) {
                slots.add(e.functionSlot);
            }
        }
        return slots;
    }

    /** Whether a timer that must wake the machine is armed. */
    public boolean anyPending() {
        for (Entry e : armed) {
            if (!e.deferrable) {
                return true;
            }
        }
        return false;
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
