package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;
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
        t.register("select", (task, n, in, out, ex, tv, f) -> {
            long[] ns = {-1};
            long err = timeval(task, tv, ns);
            return err != 0 ? err : updatingTimeout(task, tv, true, ns[0], () -> select(task, n, in, out, ex, ns[0]));
        });
        t.register("pselect6", (task, n, in, out, ex, ts, sig) -> {
            long ns = -1;
            if (ts != 0) {
                ns = SysTime.timespec(k, task, ts);
                if (ns < 0) {
                    return ns;
                }
            }
            long timeoutNs = ns;
            if (sig == 0) {
                return updatingTimeout(task, ts, false, timeoutNs, () -> select(task, n, in, out, ex, timeoutNs));
            }
            // The sixth argument points at { const sigset_t *ss; size_t ss_len }.
            Long ss = k.uaccess.getUser64(task.mm, sig);
            Long len = k.uaccess.getUser64(task.mm, sig + 8);
            if (ss == null || len == null) {
                return -Errno.EFAULT;
            }
            return updatingTimeout(task, ts, false, timeoutNs,
                () -> TemporarySigmask.around(k, task, ss, len, true, () -> select(task, n, in, out, ex, timeoutNs)));
        });
        t.register("poll", (task, fds, nfds, timeout, d, e, f) -> poll(task, fds, nfds, (int) timeout));
        t.register("ppoll", (task, fds, nfds, tsp, sig, sigsize, f) -> {
            long ns = -1;
            long ms = -1;
            if (tsp != 0) {
                ns = SysTime.timespec(k, task, tsp);
                if (ns < 0) {
                    return ns;
                }
                // A saturated timespec (past 2^63 ns) is no timeout at all.
                ms = ns == Long.MAX_VALUE ? -1 : ns / 1_000_000 + (ns % 1_000_000 == 0 ? 0 : 1);
            }
            int timeoutMs = (int) Math.min(ms, Integer.MAX_VALUE);
            return updatingTimeout(task, tsp, false, ns,
                () -> TemporarySigmask.around(k, task, sig, sigsize, true, () -> poll(task, fds, nfds, timeoutMs)));
        });
    }

    /**
     * Linux's poll_select_finish: select, pselect6 and ppoll write what is left of a
     * non-zero timeout back to the caller (a timeval for select, else a timespec), also
     * when a handler interrupts the wait. A failed copy is ignored, as Linux ignores it.
     */
    private long updatingTimeout(Task task, long uaddr, boolean timeval, long timeoutNs, LongSupplier call) {
        if (uaddr == 0 || timeoutNs <= 0) {
            return call.getAsLong();
        }
        long now = k.clock.nanos();
        long deadline = task.sleepUntil != 0 ? task.sleepUntil
            : timeoutNs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutNs;
        long r = call.getAsLong();
        Runnable write = () -> {
            long left = Math.max(0, deadline - k.clock.nanos());
            if (timeval) {
                k.uaccess.putUser64(task.mm, uaddr, left / 1_000_000_000L);
                k.uaccess.putUser64(task.mm, uaddr + 8, left % 1_000_000_000L / 1000);
            } else {
                SysTime.putTimespec(k, task, uaddr, left);
            }
        };
        if (task.state == Task.State.SLEEPING) {
            task.onInterrupt = write;
        } else {
            write.run();
        }
        return r;
    }

    /** A struct timeval (null: no timeout, -1) as nanoseconds in ns[0]; 0, -EFAULT or -EINVAL. */
    private long timeval(Task t, long tv, long[] ns) {
        if (tv == 0) {
            return 0;
        }
        Long sec = k.uaccess.getUser64(t.mm, tv);
        Long usec = k.uaccess.getUser64(t.mm, tv + 8);
        if (sec == null || usec == null) {
            return -Errno.EFAULT;
        }
        if (sec < 0 || usec < 0 || usec >= 1_000_000) {
            return -Errno.EINVAL;
        }
        ns[0] = Math.min(sec, 1L << 31) * 1_000_000_000L + usec * 1000;
        return 0;
    }

    private long poll(Task t, long ufds, long unfds, int timeoutMs) {
        long nfds = unfds & 0xffff_ffffL; // an unsigned int
        if (nfds > MAX_FDS) {
            return -Errno.EINVAL;
        }
        int n = (int) nfds;
        byte[] b = new byte[n * 8];
        if (n > 0 && !k.uaccess.copyFromUser(t.mm, ufds, b, 0, b.length)) {
            return -Errno.EFAULT;
        }
        long ready = pollCore(t, b, n, timeoutMs);
        if (ready < 0 || t.state == Task.State.SLEEPING) {
            return ready;
        }
        if (n > 0 && !k.uaccess.copyToUser(t.mm, ufds, b, 0, b.length)) {
            return -Errno.EFAULT;
        }
        return ready;
    }

    private static final int POLLIN = 1, POLLPRI = 2, POLLOUT = 4;

    /**
     * select and pselect6 on top of poll: each fd named in a set becomes a pollfd; readable
     * is POLLIN, POLLHUP or POLLERR, writable POLLOUT or POLLERR, exceptional POLLPRI.
     */
    private long select(Task t, long nfds, long inp, long outp, long exp, long timeoutNs) {
        if (nfds < 0 || nfds > Integer.MAX_VALUE) {
            return -Errno.EINVAL;
        }
        int max = (int) Math.min(nfds, microlith.kernel.task.FdTable.MAX_FDS);
        int words = (int) ((nfds + 63) / 64);
        long[][] sets = new long[3][words];
        long[] ptrs = {inp, outp, exp};
        for (int s = 0; s < 3; s++) {
            for (int w = 0; ptrs[s] != 0 && w < words; w++) {
                Long v = k.uaccess.getUser64(t.mm, ptrs[s] + w * 8L);
                if (v == null) {
                    return -Errno.EFAULT;
                }
                sets[s][w] = v;
            }
        }
        java.util.List<Integer> fds = new java.util.ArrayList<>();
        for (int fd = 0; fd < nfds; fd++) {
            boolean any = false;
            for (int s = 0; s < 3; s++) {
                any |= (sets[s][fd / 64] >>> (fd % 64) & 1) != 0;
            }
            if (any) {
                if (fd >= max || t.files.get(fd) == null) {
                    return -Errno.EBADF;
                }
                fds.add(fd);
            }
        }
        byte[] b = new byte[fds.size() * 8];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < fds.size(); i++) {
            int fd = fds.get(i);
            int ev = 0;
            ev |= (sets[0][fd / 64] >>> (fd % 64) & 1) != 0 ? POLLIN : 0;
            ev |= (sets[1][fd / 64] >>> (fd % 64) & 1) != 0 ? POLLOUT : 0;
            ev |= (sets[2][fd / 64] >>> (fd % 64) & 1) != 0 ? POLLPRI : 0;
            bb.putInt(i * 8, fd).putShort(i * 8 + 4, (short) ev);
        }
        int ms = timeoutNs < 0 ? -1 : (int) Math.min((timeoutNs + 999_999) / 1_000_000, Integer.MAX_VALUE);
        long r = pollCore(t, b, fds.size(), ms);
        if (r < 0 || t.state == Task.State.SLEEPING) {
            return r;
        }
        long[][] out = new long[3][words];
        int count = 0;
        for (int i = 0; i < fds.size(); i++) {
            int fd = fds.get(i);
            int ev = bb.getShort(i * 8 + 4);
            int rev = bb.getShort(i * 8 + 6);
            boolean[] hit = {(ev & POLLIN) != 0 && (rev & (POLLIN | POLLHUP | POLLERR)) != 0,
                (ev & POLLOUT) != 0 && (rev & (POLLOUT | POLLERR)) != 0, (ev & POLLPRI) != 0 && (rev & POLLPRI) != 0};
            for (int s = 0; s < 3; s++) {
                if (hit[s]) {
                    out[s][fd / 64] |= 1L << (fd % 64);
                    count++;
                }
            }
        }
        for (int s = 0; s < 3; s++) {
            for (int w = 0; ptrs[s] != 0 && w < words; w++) {
                if (!k.uaccess.putUser64(t.mm, ptrs[s] + w * 8L, out[s][w])) {
                    return -Errno.EFAULT;
                }
            }
        }
        return count;
    }

    /** Polls the pollfds in b (revents filled in); parks the task when it must wait. */
    private long pollCore(Task t, byte[] b, int n, int timeoutMs) {
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
                t.parkedNoRestart = true; // signal(7): never restarted after a handler
                return -Errno.EINTR;
            }
            k.sched.wake(t);
        }
        t.sleepUntil = 0;
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
