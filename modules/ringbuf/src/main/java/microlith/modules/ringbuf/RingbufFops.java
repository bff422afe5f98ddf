package microlith.modules.ringbuf;

import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;
import microlith.module.api.WaitQueue;

/**
 * /dev/ringbuf's file operations. A read waits while the ring is empty and a write while
 * it is full; each wakes the other side. Waiting restarts the whole call when woken, so
 * every operation checks its condition from the start.
 */
final class RingbufFops implements FileOperations {
    private final ModuleContext ctx;
    private final RingBuffer ring;
    private final WaitQueue readers;
    private final WaitQueue writers;

    RingbufFops(ModuleContext ctx, RingBuffer ring) {
        this.ctx = ctx;
        this.ring = ring;
        this.readers = ctx.waitQueue();
        this.writers = ctx.waitQueue();
    }

    boolean readersWaiting() {
        return readers.hasWaiters();
    }

    @Override
    public long read(OpenFile file, long userBuf, long count) {
        if (count == 0) {
            return 0;
        }
        int used = ring.used();
        if (used == 0) {
            return file.nonBlocking() ? -Errno.EAGAIN : readers.block();
        }
        int n = (int) Math.min(count, used);
        byte[] bytes = new byte[n];
        ring.peek(bytes, n);
        // Consume only what reached the reader: a bad buffer loses no data.
        if (ctx.copyToUser(userBuf, bytes, 0, n) != 0) {
            return -Errno.EFAULT;
        }
        ring.consume(n);
        writers.wakeUp();
        return n;
    }

    @Override
    public long write(OpenFile file, long userBuf, long count) {
        if (count == 0) {
            return 0;
        }
        int space = ring.space();
        if (space == 0) {
            return file.nonBlocking() ? -Errno.EAGAIN : writers.block();
        }
        // A short write when only part fits, as a pipe does; the caller writes the rest.
        int n = (int) Math.min(count, space);
        byte[] bytes = new byte[n];
        if (ctx.copyFromUser(bytes, 0, userBuf, n) != 0) {
            return -Errno.EFAULT;
        }
        ring.append(bytes, n);
        readers.wakeUp();
        return n;
    }

    @Override
    public int poll(OpenFile file, PollTable table) {
        table.wait(readers);
        table.wait(writers);
        int mask = 0;
        if (ring.used() > 0) {
            mask |= PollTable.POLLIN | PollTable.POLLRDNORM;
        }
        if (ring.space() > 0) {
            mask |= PollTable.POLLOUT | PollTable.POLLWRNORM;
        }
        return mask;
    }

    @Override
    public long ioctl(OpenFile file, int cmd, long arg) {
        if (cmd == RingbufIoctl.RINGBUF_IOC_SIZE) {
            int size = ring.size();
            byte[] le = {(byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)};
            return ctx.copyToUser(arg, le, 0, le.length) == 0 ? 0 : -Errno.EFAULT;
        }
        if (cmd == RingbufIoctl.RINGBUF_IOC_CLEAR) {
            ring.clear();
            writers.wakeUp();
            return 0;
        }
        return -Errno.ENOTTY;
    }
}
