package microlith.modules.serial;

import microlith.module.api.Errno;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;
import microlith.module.api.WaitQueue;

/**
 * A serial port without a line discipline (/dev/uart0, /dev/uart1): the same UART as
 * ttyS0/ttyS1, but not a terminal. Bytes pass unchanged both ways, no character is
 * special, ioctls other than FIONREAD fail with ENOTTY (so isatty(3) is false), and when
 * the carrier drops (the host's end of the line closed) a read of an empty buffer returns
 * 0: it behaves as a pipe does. {@code run} gives it to a program whose host stdin, stdout
 * or stderr is not a terminal.
 *
 * <p>While a file opened for reading is open, the port's received bytes come here instead
 * of to its terminal. Nothing is ever dropped: when the buffer is full the driver stops
 * taking bytes from the UART (the receive interrupt off, as a driver throttles its line)
 * until a reader makes room.
 *
 * <pre>
 * struct serial_raw (kmalloc'd)
 *   0x00 u32 head     0x04 u32 tail   (free-running; index = value % RING)
 *   0x08 u32 readers  (open files with read access)
 *   0x0c u32 throttled
 *   0x10 u64 ring     -> RING bytes received and not yet read
 * </pre>
 */
final class RawPort implements SerialLine {
    private static final int HEAD = 0x00, TAIL = 0x04, READERS = 0x08, THROTTLED = 0x0c, BUF = 0x10, STATE = 0x18;
    static final int RING = 8192;
    private static final int FIONREAD = 0x541B;

    private final ModuleContext ctx;
    private final Uart uart;
    private final long state;
    private final WaitQueue readers;

    private RawPort(ModuleContext ctx, Uart uart, long state, WaitQueue readers) {
        this.ctx = ctx;
        this.uart = uart;
        this.state = state;
        this.readers = readers;
    }

    /** A raw port on uart; null without memory. */
    static RawPort create(ModuleContext ctx, Uart uart) {
        long st = ctx.kzalloc(STATE);
        long ring = ctx.kzalloc(RING);
        if (st == 0 || ring == 0) {
            ctx.kfree(st);
            ctx.kfree(ring);
            return null;
        }
        ctx.write64(st + BUF, ring);
        return new RawPort(ctx, uart, st, ctx.waitQueue());
    }

    void destroy() {
        ctx.kfree(ctx.read64(state + BUF));
        ctx.kfree(state);
    }

    private int u32(int off) {
        return ctx.read32(state + off);
    }

    private void setU32(int off, int v) {
        ctx.write32(state + off, v);
    }

    private int buffered() {
        return u32(TAIL) - u32(HEAD);
    }

    private static boolean readable(OpenFile f) {
        return (f.flags() & OpenFile.O_ACCMODE) != OpenFile.O_WRONLY;
    }

    @Override
    public int open(OpenFile f) {
        if (readable(f)) {
            setU32(READERS, u32(READERS) + 1);
        }
        return 0;
    }

    @Override
    public int release(OpenFile f) {
        if (readable(f)) {
            setU32(READERS, u32(READERS) - 1);
        }
        return 0;
    }

    /** Whether received bytes belong to this port rather than to the terminal. */
    boolean hasReaders() {
        return u32(READERS) > 0;
    }

    /** The receive path: move what the UART holds into the buffer, throttling when it is full. */
    void receive() {
        long ring = ctx.read64(state + BUF);
        int tail = u32(TAIL);
        int head = u32(HEAD);
        int before = tail;
        while (tail - head < RING && uart.dataReady()) {
            ctx.write8(ring + Integer.remainderUnsigned(tail, RING), uart.receive());
            tail++;
        }
        setU32(TAIL, tail);
        if (tail - head == RING && uart.dataReady()) {
            setU32(THROTTLED, 1);
            uart.setReceiveInterrupt(false);
        }
        if (tail != before) {
            readers.wakeUp();
        }
    }

    /** The carrier changed: readers waiting for data must look again (at end of file). */
    void carrierChanged() {
        readers.wakeUp();
    }

    @Override
    public long read(OpenFile f, long userBuf, long count) {
        if (count == 0) {
            return 0;
        }
        if (buffered() == 0) {
            receive();
        }
        int n = (int) Math.min(count, buffered());
        if (n == 0) {
            if (!uart.carrier()) {
                return 0;
            }
            return f.nonBlocking() ? -Errno.EAGAIN : readers.block();
        }
        long ring = ctx.read64(state + BUF);
        int head = u32(HEAD);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ctx.read8(ring + Integer.remainderUnsigned(head + i, RING));
        }
        if (ctx.copyToUser(userBuf, out, 0, n) != 0) {
            return -Errno.EFAULT;
        }
        setU32(HEAD, head + n);
        if (u32(THROTTLED) != 0) {
            setU32(THROTTLED, 0);
            uart.setReceiveInterrupt(true);
        }
        return n;
    }

    /** Writes count bytes unchanged; the count, or -EFAULT if nothing could be read. */
    @Override
    public long write(OpenFile f, long userBuf, long count) {
        return SerialLine.eachUserByte(ctx, userBuf, count, uart::transmit);
    }

    /** Readable with data or once the carrier is gone (POLLHUP, as a pipe whose writer closed); always writable. */
    @Override
    public int poll(PollTable table) {
        int mask = PollTable.POLLOUT | PollTable.POLLWRNORM;
        if (buffered() > 0 || uart.dataReady()) {
            mask |= PollTable.POLLIN | PollTable.POLLRDNORM;
        }
        if (!uart.carrier()) {
            mask |= PollTable.POLLIN | PollTable.POLLRDNORM | PollTable.POLLHUP;
            // Looking at MSR acknowledged the change: wake any reader the interrupt would have.
            readers.wakeUp();
        }
        if ((mask & PollTable.POLLIN) == 0) {
            table.wait(readers);
        }
        return mask;
    }

    /** Only FIONREAD, which pipes answer too; everything else is a terminal's ioctl. */
    @Override
    public long ioctl(OpenFile f, int cmd, long arg) {
        if (cmd == FIONREAD) {
            int v = buffered();
            byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
            return ctx.copyToUser(arg, b, 0, 4) == 0 ? 0 : -Errno.EFAULT;
        }
        return -Errno.ENOTTY;
    }
}
