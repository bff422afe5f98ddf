package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;

/**
 * poll and ppoll. With nothing ready the caller is queued on every file's wait queues
 * and parked; a wake-up or the timeout (on the task's sleep deadline, like nanosleep)
 * restarts the call, which looks again.
 */
final class SysPoll {
    private static final int POLLNVAL = 0x20, POLLERR = 0x8, POLLHUP = 0x10;
    private static final int MAX_FDS = 1024;

    private final Services k;

    SysPoll(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("poll", (task, fds, nfds, timeout, d, e, f) -> poll(task, fds, nfds, (int) timeout));
        t.register("ppoll", (task, fds, nfds, tsp, sig, e, f) -> {
            long ms = -1;
            if (tsp != 0) {
                long ns = SysTime.timespec(k, task, tsp);
                if (ns < 0) {
                    return ns;
                }
                ms = ns / 1_000_000 + (ns % 1_000_000 == 0 ? 0 : 1);
            }
            return poll(task, fds, nfds, (int) Math.min(ms, Integer.MAX_VALUE));
        });
    }

    private long poll(Task t, long ufds, long nfds, int timeoutMs) {
        if (nfds < 0 || nfds > MAX_FDS) {
            return -Errno.EINVAL;
        }
        int n = (int) nfds;
        byte[] b = new byte[n * 8];
        if (n > 0 && !k.uaccess.copyFromUser(t.mm, ufds, b, 0, b.length)) {
            return -Errno.EFAULT;
        }
        boolean restarted = t.sleepUntil != 0;
        boolean timedOut = restarted && k.clock.nanos() >= t.sleepUntil;
        boolean mayWait = timeoutMs != 0 && !timedOut;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int ready = scan(t, bb, n, false);
        if (ready == 0 && mayWait) {
            // Queue on every file, then look once more so a wake-up in between is not lost.
            ready = scan(t, bb, n, true);
            if (ready == 0) {
                if (timeoutMs > 0) {
                    k.sched.sleepUntil(t, restarted ? t.sleepUntil : k.clock.nanos() + timeoutMs * 1_000_000L);
                } else {
                    k.sched.sleep(t);
                }
                return -Errno.EINTR;
            }
            k.sched.wake(t);
        }
        t.sleepUntil = 0;
        if (n > 0 && !k.uaccess.copyToUser(t.mm, ufds, b, 0, b.length)) {
            return -Errno.EFAULT;
        }
        return ready;
    }

    /** Fills revents; returns how many entries have any. */
    private int scan(Task t, ByteBuffer bb, int n, boolean register) {
        int ready = 0;
        for (int i = 0; i < n; i++) {
            int fd = bb.getInt(i * 8);
            int events = bb.getShort(i * 8 + 4) & 0xffff;
            int rev = 0;
            if (fd >= 0) {
                File f = t.files.get(fd);
                rev = f == null ? POLLNVAL : f.poll(t, register) & (events | POLLERR | POLLHUP);
            }
            bb.putShort(i * 8 + 6, (short) rev);
            if (rev != 0) {
                ready++;
            }
        }
        return ready;
    }
}
