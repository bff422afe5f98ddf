package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.proc.IntervalTimers;
import microlith.kernel.proc.IntervalTimers.Timer;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.module.api.Errno;

/**
 * alarm, setitimer, getitimer and the POSIX timers (timer_create, timer_settime,
 * timer_gettime, timer_getoverrun, timer_delete) on simulated time, with Linux's
 * argument checks in Linux's order (kernel/time/itimer.c, posix-timers.c,
 * alarmtimer.c). The timers themselves are {@link IntervalTimers}.
 *
 * <pre>
 * struct itimerval  { struct timeval  it_interval, it_value; }   timeval  = { long sec, usec }
 * struct itimerspec { struct timespec it_interval, it_value; }   timespec = { long sec, nsec }
 * struct sigevent   { long sigev_value; int sigev_signo; int sigev_notify; int tid; ... } 64 bytes
 * </pre>
 */
final class SysTimer {
    private static final int TIMER_ABSTIME = 1;
    private static final int SIGEVENT_BYTES = 64, SIGRTMAX = 64;
    private static final long NS = Clock.NANOS_PER_SECOND;

    private final Services k;

    SysTimer(Services k) {
        this.k = k;
    }

    private IntervalTimers timers() {
        return k.process.itimers;
    }

    void register(SyscallTable t) {
        t.register("alarm", (task, secs, b, c, d, e, f) -> alarm(task, secs));
        t.register("setitimer", (task, which, val, old, d, e, f) -> setitimer(task, (int) which, val, old));
        t.register("getitimer", (task, which, val, c, d, e, f) -> getitimer(task, (int) which, val));
        t.register("timer_create", (task, clock, sev, id, d, e, f) -> timerCreate(task, (int) clock, sev, id));
        t.register("timer_settime", (task, id, flags, val, old, e, f) -> timerSettime(task, (int) id, flags, val, old));
        t.register("timer_gettime", (task, id, val, c, d, e, f) -> timerGettime(task, (int) id, val));
        t.register("timer_getoverrun", (task, id, b, c, d, e, f) -> {
            Timer tm = timers().posix(task, (int) id);
            return tm == null ? -Errno.EINVAL : tm.lastOverrun;
        });
        t.register("timer_delete", (task, id, b, c, d, e, f) ->
            timers().deletePosix(task, (int) id) ? 0 : -Errno.EINVAL);
    }

    /** sec and a sub-second part in units of unit ns, as nanoseconds; saturates like ktime_set. */
    private static long nanos(long sec, long sub, long unit) {
        if (sec >= Long.MAX_VALUE / NS) {
            return IntervalTimers.NEVER;
        }
        return sec * NS + sub * unit;
    }

    /** now + span, or NEVER when that would overflow. */
    private static long after(long now, long span) {
        return span >= IntervalTimers.NEVER - now ? IntervalTimers.NEVER : now + span;
    }

    /** Two (interval, value) pairs as user memory writes them: sec, then usec or nsec. */
    static boolean putPair(Services k, Task t, long uaddr, long intervalNs, long valueNs, long unit) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(intervalNs / NS).putLong(intervalNs % NS / unit).putLong(valueNs / NS).putLong(valueNs % NS / unit);
        return k.uaccess.copyToUser(t.mm, uaddr, b.array(), 0, 32);
    }

    /** Reads (interval, value) in ns from an itimerval (unit 1000) or itimerspec (unit 1). */
    static long[] getPair(Services k, Task t, long uaddr, long unit, long[] err) {
        byte[] raw = new byte[32];
        if (!k.uaccess.copyFromUser(t.mm, uaddr, raw, 0, 32)) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long limit = NS / unit;
        long[] v = new long[2];
        for (int i = 0; i < 2; i++) {
            long sec = b.getLong(i * 16);
            long sub = b.getLong(i * 16 + 8);
            if (sec < 0 || sub < 0 || sub >= limit) {
                err[0] = -Errno.EINVAL;
                return null;
            }
            v[i] = nanos(sec, sub, unit);
        }
        return v;
    }

    /** alarm: ITIMER_REAL set to whole seconds; returns the old timer's seconds, rounded as Linux does. */
    private long alarm(Task t, long secs) {
        Timer tm = timers().itimer(t, IntervalTimers.ITIMER_REAL);
        long now = k.clock.nanos();
        long left = timers().remaining(tm, now);
        long s = secs & 0xffff_ffffL;
        tm.interval = 0;
        tm.value = s == 0 ? 0 : after(now, s * NS);
        long oldSec = left / NS;
        long oldUsec = left % NS / 1000;
        if (oldSec == 0 && oldUsec != 0 || oldUsec >= 500_000) {
            oldSec++;
        }
        return oldSec;
    }

    private long setitimer(Task t, int which, long uval, long uold) {
        long[] nv = {0, 0};
        if (uval != 0) {
            long[] err = new long[1];
            nv = getPair(k, t, uval, 1000, err);
            if (nv == null) {
                return err[0];
            }
        }
        if (which < IntervalTimers.ITIMER_REAL || which > IntervalTimers.ITIMER_PROF) {
            return -Errno.EINVAL;
        }
        Timer tm = timers().itimer(t, which);
        long now = k.clock.nanos();
        long oldValue = timers().remaining(tm, now);
        long oldInterval = tm.interval;
        if (nv[1] == 0) {
            tm.value = 0;
            tm.interval = 0;
        } else {
            tm.interval = nv[0];
            tm.value = tm.cpu ? nv[1] : after(now, nv[1]);
        }
        if (uold != 0 && !putPair(k, t, uold, oldInterval, oldValue, 1000)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    private long getitimer(Task t, int which, long uval) {
        if (which < IntervalTimers.ITIMER_REAL || which > IntervalTimers.ITIMER_PROF) {
            return -Errno.EINVAL;
        }
        Timer tm = timers().itimer(t, which);
        return putPair(k, t, uval, tm.interval, timers().remaining(tm, k.clock.nanos()), 1000) ? 0 : -Errno.EFAULT;
    }

    /** A clock id's kind: 0 wall clock, 1 CPU time, or a negative errno. */
    private static int clockKind(Task t, int clock) {
        switch (clock) {
            case 0: case 1: case 7: case 11: // REALTIME, MONOTONIC, BOOTTIME, TAI
                return 0;
            case 2: case 3: // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID
                return 1;
            case 4: case 5: case 6: // MONOTONIC_RAW and the coarse clocks have no timers
                return -Errno.EOPNOTSUPP;
            case 8: case 9: // REALTIME_ALARM, BOOTTIME_ALARM: no RTC to wake the machine
                return -Errno.EOPNOTSUPP;
            default:
                if (clock < 0 && (clock & 7) != 3 && (clock & 3) != 3) {
                    // A CPU clock by pid (clock_getcpuclockid): this process's own only.
                    int pid = ~clock >> 3;
                    return pid == 0 || pid == t.tgid() ? 1 : -Errno.EINVAL;
                }
                return -Errno.EINVAL;
        }
    }

    private long timerCreate(Task t, int clock, long usev, long uid) {
        long sigval = 0;
        int signo = Signals.SIGALRM;
        int notify = IntervalTimers.SIGEV_SIGNAL;
        int tid = 0;
        boolean given = usev != 0;
        if (given) {
            byte[] raw = new byte[SIGEVENT_BYTES];
            if (!k.uaccess.copyFromUser(t.mm, usev, raw, 0, raw.length)) {
                return -Errno.EFAULT;
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            sigval = b.getLong(0);
            signo = b.getInt(8);
            notify = b.getInt(12);
            tid = b.getInt(16);
        }
        int kind = clockKind(t, clock);
        if (kind < 0) {
            return kind;
        }
        if (given && !goodSigevent(t, notify, signo, tid)) {
            return -Errno.EINVAL;
        }
        Timer tm = timers().createPosix(t, clock, kind == 1);
        if (tm == null) {
            return -Errno.EAGAIN;
        }
        tm.notify = notify & ~IntervalTimers.SIGEV_THREAD_ID;
        tm.thread = (notify & IntervalTimers.SIGEV_THREAD_ID) != 0 ? k.sched.find(tid) : null;
        tm.signo = signo;
        tm.sigval = given ? sigval : tm.id;
        if (!k.uaccess.putUser32(t.mm, uid, tm.id)) {
            timers().deletePosix(t, tm.id);
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** Linux's good_sigevent: how the expiry is to be told must make sense. */
    private boolean goodSigevent(Task t, int notify, int signo, int tid) {
        switch (notify) {
            case IntervalTimers.SIGEV_SIGNAL | IntervalTimers.SIGEV_THREAD_ID: {
                // The thread named must be one of the caller's process.
                Task to = tid > 0 ? k.sched.find(tid) : null;
                if (to == null || to.group != t.group || to.state == Task.State.ZOMBIE) {
                    return false;
                }
                return signo > 0 && signo <= SIGRTMAX;
            }
            case IntervalTimers.SIGEV_SIGNAL:
            case IntervalTimers.SIGEV_THREAD:
                return signo > 0 && signo <= SIGRTMAX;
            case IntervalTimers.SIGEV_NONE:
                return true;
            default:
                return false;
        }
    }

    private long timerSettime(Task t, int id, long flags, long uval, long uold) {
        if (uval == 0) {
            return -Errno.EINVAL;
        }
        long[] err = new long[1];
        long[] nv = getPair(k, t, uval, 1, err);
        if (nv == null) {
            return err[0];
        }
        Timer tm = timers().posix(t, id);
        if (tm == null) {
            return -Errno.EINVAL;
        }
        long now = k.clock.nanos();
        long oldValue = timers().remaining(tm, now);
        long oldInterval = tm.interval;
        tm.overrun = 0;
        tm.interval = nv[0];
        if (nv[1] == 0) {
            tm.value = 0;
            tm.interval = 0;
        } else if ((flags & TIMER_ABSTIME) != 0) {
            // Absolute: on the realtime clocks counted from the epoch, else from boot.
            long base = tm.clock == 0 || tm.clock == 11 ? Clock.BOOT_EPOCH * NS : 0;
            long at = nv[1] == IntervalTimers.NEVER ? nv[1] : nv[1] - base;
            tm.value = tm.cpu ? Math.max(1, at - now) : Math.max(1, at);
        } else {
            tm.value = tm.cpu ? nv[1] : after(now, nv[1]);
        }
        if (uold != 0 && !putPair(k, t, uold, oldInterval, oldValue, 1)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    private long timerGettime(Task t, int id, long uval) {
        Timer tm = timers().posix(t, id);
        if (tm == null) {
            return -Errno.EINVAL;
        }
        return putPair(k, t, uval, tm.interval, timers().remaining(tm, k.clock.nanos()), 1) ? 0 : -Errno.EFAULT;
    }
}
