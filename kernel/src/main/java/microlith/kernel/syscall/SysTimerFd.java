package microlith.kernel.syscall;

import microlith.kernel.fs.TimerFd;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.module.api.Errno;

/**
 * timerfd_create, timerfd_settime and timerfd_gettime (Linux's fs/timerfd.c), with its
 * checks in its order: flags and the itimerspec first, then the descriptor.
 */
final class SysTimerFd {
    private static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7;
    private static final int CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;
    private static final int TFD_CLOEXEC = 02000000, TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

    private final Services k;

    SysTimerFd(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("timerfd_create", (task, clock, flags, c, d, e, f) -> create(task, clock, flags));
        t.register("timerfd_settime", (task, fd, flags, val, old, e, f) -> settime(task, fd, flags, val, old));
        t.register("timerfd_gettime", (task, fd, cur, c, d, e, f) -> gettime(task, fd, cur));
    }

    private long create(Task t, long clock, long flags) {
        if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME
            && clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM
            || (flags & ~(TFD_CLOEXEC | TimerFd.TFD_NONBLOCK)) != 0) {
            return -Errno.EINVAL;
        }
        if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) && t.uid() != 0) {
            return -Errno.EPERM; // CAP_WAKE_ALARM
        }
        TimerFd tf = new TimerFd(k.sched, k.clock, k.timers, (int) flags, (int) clock);
        int fd = t.files.install(tf);
        if (fd < 0) {
            tf.close();
            return fd;
        }
        t.files.setCloexec(fd, (flags & TFD_CLOEXEC) != 0);
        return fd;
    }

    private TimerFd timerfd(Task t, long fd, long[] err) {
        File f = fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
        err[0] = f == null ? -Errno.EBADF : f instanceof TimerFd ? 0 : -Errno.EINVAL;
        return err[0] == 0 ? (TimerFd) f : null;
    }

    private long settime(Task t, long fd, long flags, long uval, long uold) {
        long[] err = {0};
        long[] nv = SysTimer.getPair(k, t, uval, 1, err);
        if (nv == null) {
            return err[0];
        }
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) {
            return -Errno.EINVAL;
        }
        TimerFd tf = timerfd(t, fd, err);
        if (tf == null) {
            return err[0];
        }
        long oldInterval = tf.interval();
        long oldValue = tf.remaining();
        long now = k.clock.nanos();
        long expiry = 0;
        if (nv[1] != 0) {
            if ((flags & TFD_TIMER_ABSTIME) != 0) {
                boolean wall = tf.clock() == CLOCK_REALTIME || tf.clock() == CLOCK_REALTIME_ALARM;
                expiry = Math.max(1, nv[1] - (wall ? Clock.BOOT_EPOCH * Clock.NANOS_PER_SECOND : 0));
            } else {
                expiry = nv[1] > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nv[1];
            }
        }
        tf.set(expiry, nv[0]);
        if (uold != 0 && !SysTimer.putPair(k, t, uold, oldInterval, oldValue, 1)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    private long gettime(Task t, long fd, long ucur) {
        long[] err = {0};
        TimerFd tf = timerfd(t, fd, err);
        if (tf == null) {
            return err[0];
        }
        return SysTimer.putPair(k, t, ucur, tf.interval(), tf.remaining(), 1) ? 0 : -Errno.EFAULT;
    }
}
