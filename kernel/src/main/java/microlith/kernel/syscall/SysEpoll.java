package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.fs.Epoll;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * epoll_create(1), epoll_ctl and epoll_wait/epoll_pwait/epoll_pwait2. A wait with nothing
 * ready queues the caller on every watched file and parks it; a wake-up or the timeout
 * (the task's sleep deadline, as poll uses it) restarts the call, which looks again.
 *
 * <pre>
 * struct epoll_event { u32 events; u64 data; } __attribute__((packed))   12 bytes
 * </pre>
 */
final class SysEpoll {
    private static final int O_CLOEXEC = 02000000, EP_MAX_EVENTS = Integer.MAX_VALUE / 12;

    private final Services k;

    SysEpoll(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("epoll_create", (task, size, b, c, d, e, f) -> size <= 0 ? -Errno.EINVAL : create(task, 0));
        t.register("epoll_create1", (task, flags, b, c, d, e, f) ->
            (flags & ~O_CLOEXEC) != 0 ? -Errno.EINVAL : create(task, flags));
        t.register("epoll_ctl", (task, epfd, op, fd, ev, e, f) -> ctl(task, epfd, op, fd, ev));
        t.register("epoll_wait", (task, epfd, events, max, timeout, e, f) ->
            wait(task, epfd, events, max, timeout < 0 ? -1 : timeout * 1_000_000L));
        t.register("epoll_pwait", (task, epfd, events, max, timeout, sig, sigsize) ->
            TemporarySigmask.around(k, task, sig, sigsize, false,
                () -> wait(task, epfd, events, max, (int) timeout < 0 ? -1 : (int) timeout * 1_000_000L)));
        t.register("epoll_pwait2", (task, epfd, events, max, ts, sig, sigsize) -> {
            long ns = -1;
            if (ts != 0) {
                ns = SysTime.timespec(k, task, ts);
                if (ns < 0) {
                    return ns;
                }
            }
            long timeoutNs = ns;
            return TemporarySigmask.around(k, task, sig, sigsize, false, () -> wait(task, epfd, events, max, timeoutNs));
        });
    }

    private File file(Task t, long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
    }

    private long create(Task t, long flags) {
        int fd = t.files.install(new Epoll());
        if (fd >= 0) {
            t.files.setCloexec(fd, (flags & O_CLOEXEC) != 0);
        }
        return fd;
    }

    private long ctl(Task t, long epfd, long op, long fd, long uev) {
        File ep = file(t, epfd);
        File target = file(t, fd);
        if (ep == null || target == null) {
            return -Errno.EBADF;
        }
        if (!(ep instanceof Epoll)) {
            return -Errno.EINVAL;
        }
        if (target instanceof microlith.kernel.fs.InodeFile
            && ((microlith.kernel.fs.InodeFile) target).inode().isRegular()) {
            // Regular files and directories are always ready: Linux refuses to watch them.
            return -Errno.EPERM;
        }
        int events = 0;
        long data = 0;
        if (op != Epoll.CTL_DEL) {
            byte[] b = new byte[12];
            if (!k.uaccess.copyFromUser(t.mm, uev, b, 0, 12)) {
                return -Errno.EFAULT;
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            events = bb.getInt(0);
            data = bb.getLong(4);
        }
        return ((Epoll) ep).ctl((int) op, (int) fd, target, events, data);
    }

    private long wait(Task t, long epfd, long uevents, long max, long timeoutNs) {
        File ep = file(t, epfd);
        if (ep == null) {
            return -Errno.EBADF;
        }
        if (!(ep instanceof Epoll) || max <= 0 || max > EP_MAX_EVENTS) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(max, 1024);
        if (!k.uaccess.writable(t.mm, uevents, n * 12L)) {
            return -Errno.EFAULT;
        }
        int[] events = new int[n];
        long[] data = new long[n];
        boolean restarted = t.sleepUntil != 0;
        boolean timedOut = restarted && k.clock.nanos() >= t.sleepUntil;
        int ready = ((Epoll) ep).collect(t, n, events, data, false);
        if (ready == 0 && timeoutNs != 0 && !timedOut) {
            // Queue on every file, then look once more so a wake-up in between is not lost.
            ready = ((Epoll) ep).collect(t, n, events, data, true);
            if (ready == 0) {
                if (timeoutNs > 0) {
                    k.sched.sleepUntil(t, restarted ? t.sleepUntil : k.clock.nanos() + timeoutNs);
                } else {
                    k.sched.sleep(t);
                }
                t.parkedNoRestart = true; // signal(7): never restarted after a handler
                return -Errno.EINTR;
            }
        }
        t.sleepUntil = 0;
        ByteBuffer out = ByteBuffer.allocate(ready * 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ready; i++) {
            out.putInt(i * 12, events[i]).putLong(i * 12 + 4, data[i]);
        }
        return k.uaccess.copyToUser(t.mm, uevents, out.array(), 0, ready * 12) ? ready : -Errno.EFAULT;
    }
}
