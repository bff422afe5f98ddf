package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.proc.Clone;
import microlith.kernel.proc.Futex;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.module.api.Errno;

/**
 * Threads and process creation: fork, vfork, clone, clone3, exit, exit_group, the ids,
 * tkill/tgkill, futex, robust lists, sigaltstack and the scheduler calls a libc makes.
 */
final class SysThread {
    private static final int CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88;
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31, MINSIGSTKSZ = 2048;

    private final Services k;

    SysThread(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("fork", (task, a, b, c, d, e, f) -> clone(task, new Clone.Args(17, 0, 0, 0, 0)));
        t.register("vfork", (task, a, b, c, d, e, f) ->
            clone(task, new Clone.Args(Clone.CLONE_VM | Clone.CLONE_VFORK | 17, 0, 0, 0, 0)));
        t.register("clone", (task, flags, stack, ptid, ctid, tls, f) ->
            clone(task, new Clone.Args(flags, stack, ptid, ctid, tls)));
        t.register("clone3", (task, args, size, c, d, e, f) -> clone3(task, args, size));
        t.register("exit", (task, code, b, c, d, e, f) -> {
            k.process.exitThread(task, ((int) code & 0xff) << 8);
            return 0;
        });
        t.register("exit_group", (task, code, b, c, d, e, f) -> {
            k.process.exit(task, ((int) code & 0xff) << 8);
            return 0;
        });
        t.register("getpid", (task, a, b, c, d, e, f) -> task.tgid());
        t.register("gettid", (task, a, b, c, d, e, f) -> task.pid);
        t.register("getppid", (task, a, b, c, d, e, f) -> {
            Task p = task.group.leader.parent;
            return p == null ? 0 : p.tgid();
        });
        t.register("set_tid_address", (task, ptr, b, c, d, e, f) -> {
            task.clearChildTid = ptr;
            return task.pid;
        });
        // tgid, tid and sig are C ints: the registers' upper halves mean nothing.
        t.register("tkill", (task, tid, sig, c, d, e, f) -> tgkill(task, -1, (int) tid, (int) sig));
        t.register("tgkill", (task, tgid, tid, sig, d, e, f) ->
            (int) tgid <= 0 ? -Errno.EINVAL : tgkill(task, (int) tgid, (int) tid, (int) sig));
        t.register("futex", this::futex);
        t.register("set_robust_list", (task, head, len, c, d, e, f) -> {
            if (len != Futex.ROBUST_HEAD_BYTES) {
                return -Errno.EINVAL;
            }
            task.robustList = head;
            task.robustLen = len;
            return 0;
        });
        t.register("get_robust_list", this::getRobustList);
        t.register("rseq", (task, rseq, len, flags, sig, e, f) -> k.process.rseq.rseq(task, rseq, len, flags, sig));
        t.register("sigaltstack", (task, ss, oss, c, d, e, f) -> sigaltstack(task, ss, oss));
        t.register("sched_yield", (task, a, b, c, d, e, f) -> {
            k.sched.yieldCurrent();
            return 0;
        });
        t.register("sched_getaffinity", this::getAffinity);
        t.register("sched_setaffinity", (task, pid, len, mask, d, e, f) -> setAffinity(task, pid, len, mask));
        t.register("getcpu", (task, cpu, node, c, d, e, f) -> {
            if (cpu != 0 && !k.uaccess.putUser32(task.mm, cpu, 0) || node != 0 && !k.uaccess.putUser32(task.mm, node, 0)) {
                return -Errno.EFAULT;
            }
            return 0;
        });
        t.register("sched_getscheduler", (task, pid, b, c, d, e, f) -> find(task, pid) == null ? -Errno.ESRCH : 0);
        t.register("sched_getparam", (task, pid, param, c, d, e, f) -> {
            if (pid < 0 || param == 0) {
                return -Errno.EINVAL;
            }
            if (find(task, pid) == null) {
                return -Errno.ESRCH;
            }
            return k.uaccess.putUser32(task.mm, param, 0) ? 0 : -Errno.EFAULT;
        });
        t.register("sched_get_priority_max", (task, policy, b, c, d, e, f) -> priorityLimit(policy, 99));
        t.register("sched_get_priority_min", (task, policy, b, c, d, e, f) -> priorityLimit(policy, 1));
    }

    /** SCHED_OTHER, BATCH and IDLE have priority 0; FIFO and RR 1 to 99. */
    private static long priorityLimit(long policy, int rt) {
        if (policy == 1 || policy == 2) {
            return rt;
        }
        return policy == 0 || policy == 3 || policy == 5 || policy == 6 ? 0 : -Errno.EINVAL;
    }

    private Task find(Task self, long pid) {
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            return null;
        }
        if (pid == 0) {
            return self;
        }
        Task x = k.sched.find((int) pid);
        return x == null || x.state == Task.State.ZOMBIE ? null : x;
    }

    private long clone(Task t, Clone.Args a) {
        int[] err = new int[1];
        Task child = k.process.cloner().clone(t, a, err);
        return child == null ? -err[0] : child.pid;
    }

    /** clone3(struct clone_args *, size): the extensible form glibc 2.34 and later try first. */
    private long clone3(Task t, long uargs, long size) {
        if (size < CLONE_ARGS_SIZE_VER0) {
            return -Errno.EINVAL;
        }
        if (size > 4096) {
            return -Errno.E2BIG;
        }
        byte[] raw = new byte[(int) size];
        if (!k.uaccess.copyFromUser(t.mm, uargs, raw, 0, raw.length)) {
            return -Errno.EFAULT;
        }
        for (int i = CLONE_ARGS_SIZE_VER2; i < raw.length; i++) {
            if (raw[i] != 0) {
                return -Errno.E2BIG;
            }
        }
        ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(raw, CLONE_ARGS_SIZE_VER2)).order(ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0);
        long childTid = b.getLong(16), parentTid = b.getLong(24), exitSignal = b.getLong(32);
        long stack = b.getLong(40), stackSize = b.getLong(48), tls = b.getLong(56);
        long setTid = b.getLong(64), setTidSize = b.getLong(72);
        if ((flags & Clone.CSIGNAL) != 0 || Long.compareUnsigned(exitSignal, 64) > 0) {
            return -Errno.EINVAL;
        }
        if (setTid != 0 || setTidSize != 0) {
            k.log.info("%s[%d]: clone3: set_tid is not supported, returning -EINVAL", t.comm, t.pid);
            return -Errno.EINVAL;
        }
        if ((stack == 0) != (stackSize == 0)) {
            return -Errno.EINVAL;
        }
        String why = Clone.refusal(flags, true);
        if (why != null) {
            k.log.info("%s[%d]: clone3: %s (flags 0x%x), returning -EINVAL", t.comm, t.pid, why, flags);
            return -Errno.EINVAL;
        }
        long sp = stack == 0 ? 0 : stack + stackSize;
        return clone(t, new Clone.Args(flags & ~Clone.CLONE_NEWTIME | exitSignal, sp, parentTid, childTid, tls, true));
    }

    /**
     * do_send_specific's order: the thread is looked up first (ESRCH), then the signal
     * number checked (EINVAL), then the permission (EPERM).
     */
    private long tgkill(Task t, int tgid, int tid, int sig) {
        if (tid <= 0) {
            return -Errno.EINVAL;
        }
        Task target = k.sched.find(tid);
        if (target == null || target.state == Task.State.ZOMBIE || tgid > 0 && target.tgid() != tgid) {
            return -Errno.ESRCH;
        }
        if (sig < 0 || sig > 64) {
            return -Errno.EINVAL;
        }
        if (target.server || target.uid() != t.uid() && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (sig != 0) {
            k.process.signals.send(target, sig, -6 /* SI_TKILL */, SysProcess.sender(t));
        }
        return 0;
    }

    /** futex(uaddr, op, val, timeout or val2, uaddr2, val3). */
    private long futex(Task t, long uaddr, long op, long val, long utime, long uaddr2, long val3) {
        int cmd = (int) op & Futex.CMD_MASK;
        boolean priv = (op & Futex.PRIVATE_FLAG) != 0;
        boolean realtime = (op & Futex.CLOCK_REALTIME) != 0;
        if (realtime && cmd != Futex.WAIT && cmd != Futex.WAIT_BITSET && cmd != Futex.WAIT_REQUEUE_PI
            && cmd != Futex.LOCK_PI2) {
            return -Errno.ENOSYS;
        }
        Futex fx = k.process.futex;
        switch (cmd) {
            case Futex.WAIT:
            case Futex.WAIT_BITSET: {
                long deadline = -1;
                if (utime != 0) {
                    long ns = timespec(t, utime);
                    if (ns < 0) {
                        return ns;
                    }
                    if (cmd == Futex.WAIT) {
                        deadline = sat(k.clock.nanos() + ns);
                    } else {
                        deadline = realtime ? Math.max(0, ns - Clock.BOOT_EPOCH * Clock.NANOS_PER_SECOND) : ns;
                    }
                }
                int bitset = cmd == Futex.WAIT ? Futex.BITSET_MATCH_ANY : (int) val3;
                return fx.wait(t, uaddr, (int) val, deadline, bitset);
            }
            case Futex.WAKE:
            case Futex.WAKE_BITSET: {
                int bitset = cmd == Futex.WAKE ? Futex.BITSET_MATCH_ANY : (int) val3;
                return fx.wake(t, uaddr, Math.max(1, (int) val), bitset, priv);
            }
            case Futex.REQUEUE:
            case Futex.CMP_REQUEUE:
                return fx.requeue(t, uaddr, uaddr2, (int) val, (int) utime, cmd == Futex.CMP_REQUEUE, (int) val3);
            case Futex.WAKE_OP:
                return fx.wakeOp(t, uaddr, uaddr2, Math.max(1, (int) val), Math.max(1, (int) utime), (int) val3);
            default:
                // FUTEX_FD is gone from Linux; the priority-inheritance operations are not built.
                if (k.log != null && cmd >= Futex.LOCK_PI && cmd <= Futex.LOCK_PI2) {
                    k.log.info("%s[%d]: futex: op %d (priority inheritance) is not supported, returning -ENOSYS",
                        t.comm, t.pid, cmd);
                }
                return -Errno.ENOSYS;
        }
    }

    private static long sat(long ns) {
        return ns < 0 ? Long.MAX_VALUE / 2 : ns;
    }

    /** A struct timespec as nanoseconds (saturating), or -EFAULT / -EINVAL. */
    private long timespec(Task t, long uaddr) {
        Long sec = k.uaccess.getUser64(t.mm, uaddr);
        Long nsec = k.uaccess.getUser64(t.mm, uaddr + 8);
        if (sec == null || nsec == null) {
            return -Errno.EFAULT;
        }
        if (sec < 0 || nsec < 0 || nsec >= Clock.NANOS_PER_SECOND) {
            return -Errno.EINVAL;
        }
        if (sec > Long.MAX_VALUE / 4 / Clock.NANOS_PER_SECOND) {
            return Long.MAX_VALUE / 4;
        }
        return sec * Clock.NANOS_PER_SECOND + nsec;
    }

    private long getRobustList(Task t, long pid, long headPtr, long lenPtr, long d, long e, long f) {
        Task x = find(t, pid);
        if (x == null) {
            return -Errno.ESRCH;
        }
        if (x.uid() != t.uid() && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (!k.uaccess.putUser64(t.mm, lenPtr, Futex.ROBUST_HEAD_BYTES) || !k.uaccess.putUser64(t.mm, headPtr, x.robustList)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** sigaltstack(ss, old_ss): stack_t is { void *ss_sp; int ss_flags; size_t ss_size; }. */
    private long sigaltstack(Task t, long ss, long oss) {
        long sp = k.cpu.read64(t.ptRegs() + microlith.kernel.arch.PtRegs.RSP);
        boolean on = t.altStackSize != 0 && Long.compareUnsigned(sp - t.altStackSp, t.altStackSize) < 0;
        if (oss != 0) {
            byte[] b = new byte[24];
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            bb.putLong(0, t.altStackSp);
            bb.putInt(8, on ? SS_ONSTACK : t.altStackFlags);
            bb.putLong(16, t.altStackSize);
            if (!k.uaccess.copyToUser(t.mm, oss, b, 0, 24)) {
                return -Errno.EFAULT;
            }
        }
        if (ss != 0) {
            byte[] b = new byte[24];
            if (!k.uaccess.copyFromUser(t.mm, ss, b, 0, 24)) {
                return -Errno.EFAULT;
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long base = bb.getLong(0);
            int flags = bb.getInt(8);
            long size = bb.getLong(16);
            if (on) {
                return -Errno.EPERM;
            }
            int mode = flags & ~SS_AUTODISARM;
            if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) {
                return -Errno.EINVAL;
            }
            if (mode == SS_DISABLE) {
                t.altStackSp = 0;
                t.altStackSize = 0;
                t.altStackFlags = SS_DISABLE;
            } else {
                if (Long.compareUnsigned(size, MINSIGSTKSZ) < 0) {
                    return -Errno.ENOMEM;
                }
                t.altStackSp = base;
                t.altStackSize = size;
                t.altStackFlags = flags & SS_AUTODISARM;
            }
        }
        return 0;
    }

    private long getAffinity(Task t, long pid, long len, long mask, long d, long e, long f) {
        if (len < 1 || (len & 7) != 0) {
            return -Errno.EINVAL;
        }
        if (find(t, pid) == null) {
            return -Errno.ESRCH;
        }
        // One CPU: bit 0. The kernel's cpumask is 8 bytes.
        return k.uaccess.putUser64(t.mm, mask, 1) ? 8 : -Errno.EFAULT;
    }

    private long setAffinity(Task t, long pid, long len, long mask) {
        if (find(t, pid) == null) {
            return -Errno.ESRCH;
        }
        if (len < 1) {
            return -Errno.EINVAL;
        }
        byte[] b = new byte[1];
        if (!k.uaccess.copyFromUser(t.mm, mask, b, 0, 1)) {
            return -Errno.EFAULT;
        }
        return (b[0] & 1) == 0 ? -Errno.EINVAL : 0;
    }
}
