package microlith.kernel.syscall;

import microlith.module.api.Errno;
import microlith.kernel.time.Clock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.task.Task;

/**
 * nanosleep and clock_nanosleep on simulated time. The sleeping task is parked; the
 * timer tick wakes it and the restarted call finds its deadline passed. The resolution
 * is the tick (1/HZ), as on a kernel without high-resolution timers.
 */
final class SysTime {
    private static final int TIMER_ABSTIME = 1;

    private final Services k;

    SysTime(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("nanosleep", (task, req, rem, c, d, e, f) -> sleep(task, 1, 0, req, rem));
        t.register("clock_nanosleep", (task, clk, flags, req, rem, e, f) -> sleep(task, clk, flags, req, rem));
    }

    private long sleep(Task t, long clock, long flags, long ureq, long urem) {
        long deadline;
        if (t.sleepUntil != 0) {
            // Restarted after a wake-up: done if the time has come, else keep sleeping.
            deadline = t.sleepUntil;
        } else {
            if (clock != 0 && clock != 1 && clock != 7) {
                return -Errno.EINVAL;
            }
            long span = timespec(k, t, ureq);
            if (span < 0) {
                return span;
            }
            long now = k.clock.nanos();
            if ((flags & TIMER_ABSTIME) != 0) {
                long base = clock == 0 ? Clock.BOOT_EPOCH * 1_000_000_000L : 0;
                deadline = span - base;
            } else {
                // Saturate, as a sleep of centuries must not wrap round into the past.
                deadline = span > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + span;
            }
        }
        if (k.clock.nanos() >= deadline) {
            t.sleepUntil = 0;
            return 0;
        }
        k.sched.sleepUntil(t, deadline);
        // A handler ends the sleep with EINTR whatever SA_RESTART says (signal(7)); a
        // relative sleep then reports what was left of it in *rem.
        t.parkedNoRestart = true;
        if ((flags & TIMER_ABSTIME) == 0 && urem != 0) {
            t.onInterrupt = () -> putTimespec(k, t, urem, deadline - k.clock.nanos());
        }
        return -Errno.EINTR;
    }

    /** Writes ns (0 if negative) as a struct timespec; false if the memory is not writable. */
    static boolean putTimespec(Services k, Task t, long uaddr, long ns) {
        long left = Math.max(0, ns);
        return k.uaccess.putUser64(t.mm, uaddr, left / 1_000_000_000L)
            && k.uaccess.putUser64(t.mm, uaddr + 8, left % 1_000_000_000L);
    }

    /**
     * A struct timespec from user memory as nanoseconds, or -EFAULT / -EINVAL; a time past
     * 2^63 ns (292 years) saturates to Long.MAX_VALUE, as Linux's KTIME_MAX does.
     */
    static long timespec(Services k, Task t, long uaddr) {
        byte[] b = new byte[16];
        if (!k.uaccess.copyFromUser(t.mm, uaddr, b, 0, 16)) {
            return -Errno.EFAULT;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long sec = bb.getLong(0);
        long nsec = bb.getLong(8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            return -Errno.EINVAL;
        }
        if (sec > (Long.MAX_VALUE - nsec) / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return sec * 1_000_000_000L + nsec;
    }
}
