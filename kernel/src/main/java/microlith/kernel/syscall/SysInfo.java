package microlith.kernel.syscall;

import microlith.module.api.Errno;
import microlith.kernel.uts.Utsname;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import microlith.hw.CostModel;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;

/** uname, clocks on simulated time, and getrandom from the seeded generator. */
final class SysInfo {
    /** CLOCK_REALTIME at boot, fixed so runs are reproducible. */
    public static final long BOOT_EPOCH = microlith.kernel.time.Clock.BOOT_EPOCH;
    private static final int UTS_LEN = 65;

    private final Services k;

    SysInfo(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("uname", (task, buf, b, c, d, e, f) -> uname(task, buf));
        t.register("clock_gettime", (task, clk, ts, c, d, e, f) -> clockGettime(task, clk, ts));
        t.register("clock_getres", (task, clk, res, c, d, e, f) -> clockGetres(task, clk, res));
        t.register("gettimeofday", (task, tv, tz, c, d, e, f) -> gettimeofday(task, tv, tz));
        t.register("time", (task, tloc, b, c, d, e, f) -> time(task, tloc));
        t.register("getrandom", (task, buf, len, flags, d, e, f) -> getrandom(task, buf, len, flags));
    }

    private long uname(Task t, long buf) {
        String[] fields = {"microlith", "microlith", Utsname.RELEASE,
            "#1 SMP PREEMPT microlith " + Utsname.VERSION, Utsname.MACHINE, "(none)"};
        byte[] out = new byte[UTS_LEN * fields.length];
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, out, i * UTS_LEN, Math.min(f.length, UTS_LEN - 1));
        }
        return k.uaccess.copyToUser(t.mm, buf, out, 0, out.length) ? 0 : -Errno.EFAULT;
    }

    private long nanosSinceBoot() {
        return CostModel.nanos(k.cpu.perf.cycles());
    }

    private long clockGettime(Task t, long clk, long ts) {
        long ns;
        switch ((int) clk) {
            case 0: case 8: case 11: // REALTIME, REALTIME_ALARM, TAI
                ns = BOOT_EPOCH * 1_000_000_000L + nanosSinceBoot();
                break;
            case 1: case 4: case 6: case 7: case 9: // MONOTONIC(_RAW, _COARSE), BOOTTIME(_ALARM)
            case 2: case 3: // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID: one task runs at a time here
                ns = nanosSinceBoot();
                break;
            case 5: // REALTIME_COARSE
                ns = BOOT_EPOCH * 1_000_000_000L + nanosSinceBoot();
                break;
            default:
                return -Errno.EINVAL;
        }
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(ns / 1_000_000_000L).putLong(ns % 1_000_000_000L);
        return k.uaccess.copyToUser(t.mm, ts, b.array(), 0, 16) ? 0 : -Errno.EFAULT;
    }

    /**
     * clock_getres: 1 ns for the clocks read from the cycle counter, a tick for the coarse
     * ones (which Linux reads at the last tick); EINVAL for an unknown clock.
     */
    private long clockGetres(Task t, long clk, long res) {
        long ns;
        switch ((int) clk) {
            case 0: case 1: case 2: case 3: case 4: case 7: case 8: case 9: case 11:
                ns = 1;
                break;
            case 5: case 6: // REALTIME_COARSE, MONOTONIC_COARSE
                ns = Clock.NANOS_PER_SECOND / Clock.HZ;
                break;
            default:
                return -Errno.EINVAL;
        }
        if (res == 0) {
            return 0;
        }
        return SysTime.putTimespec(k, t, res, ns) ? 0 : -Errno.EFAULT;
    }

    /** gettimeofday: the time into tv, and a zero struct timezone (UTC, no DST) into tz. */
    private long gettimeofday(Task t, long tv, long tz) {
        if (tv != 0) {
            long us = BOOT_EPOCH * 1_000_000L + nanosSinceBoot() / 1000;
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(us / 1_000_000L).putLong(us % 1_000_000L);
            if (!k.uaccess.copyToUser(t.mm, tv, b.array(), 0, 16)) {
                return -Errno.EFAULT;
            }
        }
        if (tz != 0 && !k.uaccess.copyToUser(t.mm, tz, new byte[8], 0, 8)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    private long time(Task t, long tloc) {
        long s = BOOT_EPOCH + nanosSinceBoot() / 1_000_000_000L;
        if (tloc != 0 && !k.uaccess.putUser64(t.mm, tloc, s)) {
            return -Errno.EFAULT;
        }
        return s;
    }

    private static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

    /**
     * getrandom: Linux's flag checks, then up to len bytes (a size_t, so at most INT_MAX;
     * 1 MiB here per call, a short count as Linux allows). Bytes are copied page by page:
     * a fault after some of them returns how many were copied, as Linux does.
     */
    private long getrandom(Task t, long buf, long len, long flags) {
        if ((flags & ~(long) (GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
            || (flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM)) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(Long.compareUnsigned(len, 1 << 20) > 0 ? 1 << 20 : len, 1 << 20);
        byte[] b = new byte[n];
        k.random.nextBytes(b);
        int done = 0;
        while (done < n) {
            int chunk = (int) Math.min(n - done, 4096 - ((buf + done) & 0xfff));
            if (!k.uaccess.copyToUser(t.mm, buf + done, b, done, chunk)) {
                return done > 0 ? done : -Errno.EFAULT;
            }
            done += chunk;
        }
        return n;
    }
}
