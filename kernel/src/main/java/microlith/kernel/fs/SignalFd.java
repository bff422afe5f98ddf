package microlith.kernel.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * signalfd (Linux's fs/signalfd.c): the reading task's pending signals of a mask, taken
 * by read(2) as struct signalfd_siginfo records instead of by handlers. The signals are
 * normally blocked, so they stay pending until read; poll says POLLIN while one of the
 * mask is pending for the task that polls. Sending a signal wakes the task's
 * {@code signalfdWait}.
 *
 * <pre>
 * struct signalfd_siginfo (128 bytes)
 *   +0  u32 ssi_signo   +4  s32 ssi_errno   +8  s32 ssi_code   +12 u32 ssi_pid
 *   +16 u32 ssi_uid     +20 s32 ssi_fd      +24 u32 ssi_tid    +28 u32 ssi_band
 *   +32 u32 ssi_overrun +36 u32 ssi_trapno  +40 s32 ssi_status +44 s32 ssi_int
 *   +48 u64 ssi_ptr     +56 u64 ssi_utime   +64 u64 ssi_stime  +72 u64 ssi_addr
 *   +80 u16 ssi_addr_lsb, then padding
 * </pre>
 */
public final class SignalFd extends AnonFile {
    public static final int SFD_NONBLOCK = O_NONBLOCK;
    public static final int SIGINFO_SIZE = 128;
    private static final int SIGCHLD = 17;

    private final Scheduler sched;
    private long mask;

    public SignalFd(Scheduler sched, long mask, int flags) {
        super(flags);
        this.sched = sched;
        setMask(mask);
    }

    /** signalfd on an existing descriptor: a new mask (SIGKILL and SIGSTOP never read). */
    public void setMask(long m) {
        mask = m & ~Signals.UNBLOCKABLE;
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        int room = len / SIGINFO_SIZE;
        if (room == 0) {
            return -Errno.EINVAL;
        }
        int n = 0;
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        while (n < room && (task.pending & mask) != 0) {
            int sig = Long.numberOfTrailingZeros(task.pending & mask) + 1;
            task.pending &= ~(1L << (sig - 1));
            fill(b, n * SIGINFO_SIZE, sig, task.sigCode[sig], task.sigValue[sig]);
            n++;
        }
        if (n > 0) {
            return n * SIGINFO_SIZE;
        }
        if (nonblock) {
            return -Errno.EAGAIN;
        }
        task.signalfdWait.add(task);
        sched.sleep(task);
        return WOULD_BLOCK;
    }

    /**
     * One record. The sender's pid and uid come with a signal from kill(2) or tgkill(2)
     * (si_code 0 or below) and with SIGCHLD, as the kernel's siginfo union has them.
     */
    private static void fill(ByteBuffer b, int at, int sig, int code, long value) {
        for (int i = 0; i < SIGINFO_SIZE; i += 8) {
            b.putLong(at + i, 0);
        }
        b.putInt(at, sig).putInt(at + 8, code);
        if (code <= 0 || sig == SIGCHLD) {
            b.putInt(at + 12, (int) value).putInt(at + 16, (int) (value >>> 32));
        }
    }

    @Override
    public int poll(Task task, boolean register) {
        if ((task.pending & mask) != 0) {
            return 0x1;
        }
        if (register) {
            task.signalfdWait.add(task);
        }
        return 0;
    }
}
