package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import microlith.kernel.mm.Layout;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.task.FdTable;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.module.api.Errno;

/** Resource limits and usage, sysinfo and prctl. */
final class SysResource {
    private static final int RLIM_NLIMITS = 16;
    private static final long RLIM_INFINITY = -1;
    private static final int RLIMIT_STACK = 3, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7;
    private static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
    private static final int PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_TIMERSLACK = 30, PR_SET_TIMERSLACK = 29;
    private static final int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;

    private final Services k;

    SysResource(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("getrlimit", (task, res, old, c, d, e, f) -> prlimit(task, 0, res, 0, old));
        t.register("setrlimit", (task, res, lim, c, d, e, f) -> prlimit(task, 0, res, lim, 0));
        t.register("prlimit64", (task, pid, res, lim, old, e, f) -> prlimit(task, pid, res, lim, old));
        t.register("getrusage", (task, who, usage, c, d, e, f) -> getrusage(task, who, usage));
        t.register("times", (task, buf, b, c, d, e, f) -> times(task, buf));
        t.register("sysinfo", (task, info, b, c, d, e, f) -> sysinfo(task, info));
        t.register("prctl", this::prctl);
    }

    /** The limits a task starts with: Linux's defaults, with this kernel's own caps. */
    static long[] defaults() {
        long[] l = new long[RLIM_NLIMITS * 2];
        java.util.Arrays.fill(l, RLIM_INFINITY);
        l[RLIMIT_STACK * 2] = 8L << 20;
        l[RLIMIT_NPROC * 2] = l[RLIMIT_NPROC * 2 + 1] = ProcessManager.MAX_TASKS;
        l[RLIMIT_NOFILE * 2] = l[RLIMIT_NOFILE * 2 + 1] = FdTable.MAX_FDS;
        l[4 * 2] = 0; // RLIMIT_CORE soft
        l[8 * 2] = l[8 * 2 + 1] = 8L << 20; // RLIMIT_MEMLOCK
        l[11 * 2] = l[11 * 2 + 1] = 1024; // RLIMIT_SIGPENDING
        l[12 * 2] = l[12 * 2 + 1] = 819200; // RLIMIT_MSGQUEUE
        l[13 * 2] = l[13 * 2 + 1] = 0; // RLIMIT_NICE
        l[14 * 2] = l[14 * 2 + 1] = 0; // RLIMIT_RTPRIO
        return l;
    }

    private long prlimit(Task t, long pid, long res, long newLim, long oldLim) {
        if (res < 0 || res >= RLIM_NLIMITS) {
            return -Errno.EINVAL;
        }
        Task x = pid == 0 ? t : pid < 0 || pid > Integer.MAX_VALUE ? null : k.sched.find((int) pid);
        if (x == null || x.state == Task.State.ZOMBIE) {
            return -Errno.ESRCH;
        }
        if (x != t && t.uid() != 0 && x.uid() != t.uid()) {
            return -Errno.EPERM;
        }
        Task owner = x.group.leader;
        if (owner.rlimits == null) {
            owner.rlimits = defaults();
        }
        long[] l = owner.rlimits;
        int i = (int) res * 2;
        long cur = l[i], max = l[i + 1];
        if (newLim != 0) {
            Long s = k.uaccess.getUser64(t.mm, newLim);
            Long h = k.uaccess.getUser64(t.mm, newLim + 8);
            if (s == null || h == null) {
                return -Errno.EFAULT;
            }
            if (Long.compareUnsigned(s, h) > 0) {
                return -Errno.EINVAL;
            }
            if (Long.compareUnsigned(h, max) > 0 && t.uid() != 0) {
                return -Errno.EPERM;
            }
            if (res == RLIMIT_NOFILE && Long.compareUnsigned(h, FdTable.MAX_FDS) > 0) {
                // nr_open: the descriptor table cannot grow past its size.
                return -Errno.EPERM;
            }
            l[i] = s;
            l[i + 1] = h;
        }
        if (oldLim != 0 && (!k.uaccess.putUser64(t.mm, oldLim, cur) || !k.uaccess.putUser64(t.mm, oldLim + 8, max))) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** struct rusage: ru_utime, ru_stime (timevals), then 14 longs; only times and maxrss are kept. */
    private long getrusage(Task t, long who, long usage) {
        if (who != 0 && who != -1 && who != 1) { // SELF, CHILDREN, THREAD
            return -Errno.EINVAL;
        }
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        if (who != -1) {
            long us = k.clock.nanos() / 1000;
            b.putLong(0, us / 1_000_000).putLong(8, us % 1_000_000);
            b.putLong(32, t.mm == null ? 0 : t.mm.residentPages() * 4L);
        }
        return k.uaccess.copyToUser(t.mm, usage, b.array(), 0, 144) ? 0 : -Errno.EFAULT;
    }

    /** times: struct tms in clock ticks (USER_HZ 100), returning ticks since boot. */
    private long times(Task t, long buf) {
        long ticks = k.clock.nanos() / (Clock.NANOS_PER_SECOND / 100);
        if (buf != 0) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, ticks);
            if (!k.uaccess.copyToUser(t.mm, buf, b.array(), 0, 32)) {
                return -Errno.EFAULT;
            }
        }
        return ticks;
    }

    /**
     * struct sysinfo: uptime, loads[3], totalram, freeram, sharedram, bufferram, totalswap,
     * freeswap (longs), procs (u16), pad, totalhigh, freehigh, mem_unit (u32): 112 bytes.
     */
    private long sysinfo(Task t, long info) {
        ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, k.clock.nanos() / Clock.NANOS_PER_SECOND);
        b.putLong(32, (long) k.pages.totalPages() * Layout.PAGE_SIZE);
        b.putLong(40, (long) k.pages.freePages() * Layout.PAGE_SIZE);
        b.putShort(80, (short) k.sched.all().size());
        b.putInt(104, 1);
        return k.uaccess.copyToUser(t.mm, info, b.array(), 0, 112) ? 0 : -Errno.EFAULT;
    }

    private long prctl(Task t, long option, long arg2, long arg3, long arg4, long arg5, long f) {
        switch ((int) option) {
            case PR_SET_NAME: {
                byte[] b = new byte[16];
                if (!k.uaccess.copyFromUser(t.mm, arg2, b, 0, 16) && !shortName(t, arg2, b)) {
                    return -Errno.EFAULT;
                }
                int n = 0;
                while (n < 15 && b[n] != 0) {
                    n++;
                }
                t.comm = new String(b, 0, n, StandardCharsets.UTF_8);
                return 0;
            }
            case PR_GET_NAME: {
                byte[] name = t.comm.getBytes(StandardCharsets.UTF_8);
                byte[] b = new byte[16];
                System.arraycopy(name, 0, b, 0, Math.min(15, name.length));
                return k.uaccess.copyToUser(t.mm, arg2, b, 0, 16) ? 0 : -Errno.EFAULT;
            }
            case PR_SET_PDEATHSIG:
                return arg2 < 0 || arg2 > 64 ? -Errno.EINVAL : 0;
            case PR_GET_PDEATHSIG:
                return k.uaccess.putUser32(t.mm, arg2, 0) ? 0 : -Errno.EFAULT;
            case PR_GET_DUMPABLE:
                return 1;
            case PR_SET_DUMPABLE:
                return arg2 == 0 || arg2 == 1 ? 0 : -Errno.EINVAL;
            case PR_SET_NO_NEW_PRIVS:
                return arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0 ? -Errno.EINVAL : 0;
            case PR_GET_NO_NEW_PRIVS:
                return arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0 ? -Errno.EINVAL : 0;
            case PR_GET_TIMERSLACK:
                return 50_000;
            case PR_SET_TIMERSLACK:
            case PR_SET_CHILD_SUBREAPER:
                return 0;
            case PR_GET_CHILD_SUBREAPER:
                return k.uaccess.putUser32(t.mm, arg2, 0) ? 0 : -Errno.EFAULT;
            default:
                k.log.info("%s[%d]: prctl: option %d is not supported, returning -EINVAL", t.comm, t.pid, option);
                return -Errno.EINVAL;
        }
    }

    /** PR_SET_NAME's name may end less than 16 bytes before an unmapped page. */
    private boolean shortName(Task t, long addr, byte[] b) {
        String s = k.uaccess.strncpyFromUser(t.mm, addr, 16);
        if (s == null) {
            return false;
        }
        byte[] n = s.getBytes(StandardCharsets.UTF_8);
        java.util.Arrays.fill(b, (byte) 0);
        System.arraycopy(n, 0, b, 0, Math.min(15, n.length));
        return true;
    }
}
