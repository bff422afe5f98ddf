package microlith.kernel.fs;

import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;
import microlith.module.api.Errno;

/**
 * timerfd (Linux's fs/timerfd.c): a timer read as a file. Each expiry adds to a count that
 * read(2) returns as a u64 and clears (blocking at zero); poll says POLLIN while it is not
 * zero, so an event loop waits for it with epoll. The timer is a kernel timer on jiffies,
 * so an expiry is seen at the first tick after it, as on a kernel without high-resolution
 * timers; a periodic timer counts every period that passed.
 */
public final class TimerFd extends AnonFile {
    public static final int TFD_NONBLOCK = O_NONBLOCK;

    private final Scheduler sched;
    private final Clock clock;
    private final Timers timers;
    private final Timers.Entry entry;
    private final int clockId;
    private final WaitQueue waiters = new WaitQueue();
    /** The next expiry in ns since boot (0: disarmed), and the period (0: one-shot). */
    private long expiry;
    private long interval;
    /** Expirations not read yet. */
    private long ticks;

    public TimerFd(Scheduler sched, Clock clock, Timers timers, int flags, int clockId) {
        super(flags);
        this.sched = sched;
        this.clockId = clockId;
        this.clock = clock;
        this.timers = timers;
        this.entry = timers.create(this::fire);
    }

    /** The clock it was made on (CLOCK_REALTIME, CLOCK_MONOTONIC...). */
    public int clock() {
        return clockId;
    }

    /**
     * timerfd_settime: arms at expiry (ns since boot; 0 disarms) with a period; the count
     * restarts. An expiry already past counts at once.
     */
    public void set(long expiryNs, long intervalNs) {
        timers.delete(entry);
        ticks = 0;
        expiry = expiryNs;
        interval = intervalNs;
        if (expiry != 0 && expiry <= clock.nanos()) {
            fire();
        } else if (expiry != 0) {
            arm();
        }
    }

    /** The time left to the next expiry (0 when disarmed), as timerfd_gettime reports it. */
    public long remaining() {
        return expiry == 0 ? 0 : Math.max(1, expiry - clock.nanos());
    }

    public long interval() {
        return interval;
    }

    private void arm() {
        long tick = Clock.NANOS_PER_SECOND / Clock.HZ;
        timers.mod(entry, Math.max(clock.jiffies + 1, (expiry + tick - 1) / tick));
    }

    private void fire() {
        long now = clock.nanos();
        if (now < expiry) {
            arm(); // the tick came a little early for it
            return;
        }
        if (interval > 0) {
            long periods = 1 + (now - expiry) / interval;
            ticks += periods;
            expiry += periods * interval;
            arm();
        } else {
            ticks++;
            expiry = 0;
        }
        waiters.wakeAll(sched);
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        if (ticks == 0) {
            if (nonblock) {
                return -Errno.EAGAIN;
            }
            waiters.add(task);
            sched.sleep(task);
            return WOULD_BLOCK;
        }
        for (int i = 0; i < 8; i++) {
            buf[i] = (byte) (ticks >>> (8 * i));
        }
        ticks = 0;
        return 8;
    }

    @Override
    public int poll(Task task, boolean register) {
        if (ticks != 0) {
            return 0x1;
        }
        if (register) {
            waiters.add(task);
        }
        return 0;
    }

    /** The last descriptor gone: the timer goes too. */
    @Override
    protected void release() {
        timers.delete(entry);
    }
}
