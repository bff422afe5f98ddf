package microlith.kernel.fs;

import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;
import microlith.module.api.Errno;

/**
 * eventfd (Linux's fs/eventfd.c): a 64-bit counter. write adds to it (blocking while the
 * sum would reach 2^64-1), read takes it whole, or one at a time with EFD_SEMAPHORE, and
 * blocks at zero.
 */
public final class EventFd extends AnonFile {
    public static final int EFD_SEMAPHORE = 1, EFD_NONBLOCK = O_NONBLOCK;
    private static final long MAX = 0xfffffffffffffffeL;

    private final Scheduler sched;
    private final boolean semaphore;
    private long count;
    private final WaitQueue waiters = new WaitQueue();

    public EventFd(Scheduler sched, long initial, int flags) {
        super(flags);
        this.sched = sched;
        this.count = initial;
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        if (count == 0) {
            if (nonblock) {
                return -Errno.EAGAIN;
            }
            waiters.add(task);
            sched.sleep(task);
            return WOULD_BLOCK;
        }
        long v = semaphore ? 1 : count;
        count -= v;
        for (int i = 0; i < 8; i++) {
            buf[i] = (byte) (v >>> (8 * i));
        }
        waiters.wakeAll(sched);
        return 8;
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buf[i] & 0xffL) << (8 * i);
        }
        if (v == -1L) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(v, MAX - count) > 0) {
            if (nonblock) {
                return -Errno.EAGAIN;
            }
            waiters.add(task);
            sched.sleep(task);
            return WOULD_BLOCK;
        }
        count += v;
        waiters.wakeAll(sched);
        return 8;
    }

    @Override
    public int poll(Task task, boolean register) {
        int mask = (count != 0 ? 0x1 : 0) | (Long.compareUnsigned(count, MAX) < 0 ? 0x4 : 0);
        if (register && (mask & 0x1) == 0) {
            waiters.add(task);
        }
        return mask;
    }
}
