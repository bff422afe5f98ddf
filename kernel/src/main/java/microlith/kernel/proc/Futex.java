package microlith.kernel.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.module.api.Errno;

/**
 * Fast user-space mutexes (Linux's kernel/futex/): wait queues keyed by a 32-bit word
 * in user memory. A waiter parks to be continued, not restarted ({@link
 * Task#parkWithResult}): a wake writes 0 into its saved RAX, a timeout -ETIMEDOUT, and a
 * signal leaves the -EINTR it parked with. Restarting instead would compare the word
 * again and could sleep through a wake whose word did not change.
 *
 * <p>The key is the address space and the virtual address, for private and shared
 * futexes alike: this kernel has no memory shared between address spaces, so the
 * shared key (Linux's inode or page) names the same waiters.
 *
 * <pre>
 * FUTEX_WAKE_OP's val3:  | op:4 | cmp:4 | oparg:12 | cmparg:12 |
 *                          bit 3 of op: oparg is a shift count (1 &lt;&lt; oparg)
 * robust_list_head:      { list (next pointer), futex_offset, list_op_pending }
 * a robust futex word:   | WAITERS:1 | OWNER_DIED:1 | owner tid:30 |
 * </pre>
 */
public final class Futex {
    public static final int WAIT = 0, WAKE = 1, FD = 2, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, LOCK_PI = 6;
    public static final int UNLOCK_PI = 7, TRYLOCK_PI = 8, WAIT_BITSET = 9, WAKE_BITSET = 10, WAIT_REQUEUE_PI = 11;
    public static final int CMP_REQUEUE_PI = 12, LOCK_PI2 = 13;
    public static final int PRIVATE_FLAG = 128, CLOCK_REALTIME = 256, CMD_MASK = ~(PRIVATE_FLAG | CLOCK_REALTIME);
    public static final int BITSET_MATCH_ANY = -1;
    public static final int WAITERS = 0x80000000, OWNER_DIED = 0x40000000, TID_MASK = 0x3fffffff;
    /** ROBUST_LIST_LIMIT: a list longer than this (or a loop) is not walked further. */
    private static final int ROBUST_LIST_LIMIT = 2048;
    public static final int ROBUST_HEAD_BYTES = 24;

    private record Key(AddressSpace mm, long addr) {
    }

    private static final class Waiter {
        final Task task;
        Key key;
        final int bitset;

        Waiter(Task task, Key key, int bitset) {
            this.task = task;
            this.key = key;
            this.bitset = bitset;
        }
    }

    private final Cpu cpu;
    private final Uaccess uaccess;
    private final Scheduler sched;
    private final Map<Key, List<Waiter>> queues = new HashMap<>();

    private final Clock clock;

    public Futex(Cpu cpu, Uaccess uaccess, Scheduler sched, Clock clock) {
        this.cpu = cpu;
        this.uaccess = uaccess;
        this.sched = sched;
        this.clock = clock;
    }

    /** Linux's get_futex_key checks: a 4-byte aligned user address. */
    private static boolean badAddress(long uaddr) {
        return (uaddr & 3) != 0 || !Uaccess.accessOk(uaddr, 4);
    }

    /**
     * FUTEX_WAIT(_BITSET): sleeps if *uaddr == val, until a matching wake, the deadline
     * (simulated ns since boot, or -1 for none) or a signal. Returns what the call returns
     * now; the task may then be parked with that result standing.
     */
    public long wait(Task t, long uaddr, int val, long deadline, int bitset) {
        long now = clock.nanos();
        if (badAddress(uaddr) || bitset == 0) {
            return -Errno.EINVAL;
        }
        Integer cur = uaccess.getUser32(t.mm, uaddr);
        if (cur == null) {
            return -Errno.EFAULT;
        }
        if (cur != val) {
            return -Errno.EAGAIN;
        }
        if (deadline >= 0 && now >= deadline) {
            return -Errno.ETIMEDOUT;
        }
        if ((t.pending & ~t.sigMask) != 0) {
            // A signal is already waiting to be handled: do not sleep through it.
            return -Errno.EINTR;
        }
        Waiter w = new Waiter(t, new Key(t.mm, uaddr), bitset);
        queues.computeIfAbsent(w.key, x -> new ArrayList<>()).add(w);
        t.parkWithResult = true;
        // Woken by anything but a futex wake (its deadline, a signal): leave the queue.
        t.wakeHook = () -> {
            remove(w);
            sched.cancelTimeout(t);
            if (deadline >= 0 && clock.nanos() >= deadline) {
                setResult(t, -Errno.ETIMEDOUT);
            }
        };
        if (deadline >= 0) {
            sched.sleepUntil(t, Math.max(deadline, 1));
        } else {
            sched.sleep(t);
        }
        // A signal ends the wait with EINTR; a wake or the deadline replace this result.
        return -Errno.EINTR;
    }

    private void setResult(Task t, long result) {
        cpu.write64(t.ptRegs() + PtRegs.RAX, result);
    }

    private void remove(Waiter w) {
        List<Waiter> q = queues.get(w.key);
        if (q != null) {
            q.remove(w);
            if (q.isEmpty()) {
                queues.remove(w.key);
            }
        }
    }

    /** Wakes up to n waiters on (mm, uaddr) whose bitset meets bitset; returns how many. */
    private int wakeKey(AddressSpace mm, long uaddr, int n, int bitset) {
        List<Waiter> q = queues.get(new Key(mm, uaddr));
        if (q == null) {
            return 0;
        }
        int woken = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && woken < n;) {
            Waiter w = it.next();
            if ((w.bitset & bitset) == 0) {
                continue;
            }
            it.remove();
            Task t = w.task;
            t.wakeHook = null;
            sched.cancelTimeout(t);
            setResult(t, 0);
            sched.wake(t);
            woken++;
        }
        if (q.isEmpty()) {
            queues.remove(new Key(mm, uaddr));
        }
        return woken;
    }

    /** FUTEX_WAKE(_BITSET). A shared futex must be mapped; a private one need only be aligned. */
    public long wake(Task t, long uaddr, int n, int bitset, boolean isPrivate) {
        if (badAddress(uaddr) || bitset == 0) {
            return -Errno.EINVAL;
        }
        if (!isPrivate && uaccess.getUser32(t.mm, uaddr) == null) {
            return -Errno.EFAULT;
        }
        return wakeKey(t.mm, uaddr, n < 0 ? Integer.MAX_VALUE : n, bitset);
    }

    /**
     * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes nWake waiters on uaddr and moves up to
     * nRequeue of the rest to uaddr2. With cmp, only if *uaddr == val3 (else EAGAIN), and
     * the result counts the requeued too.
     */
    public long requeue(Task t, long uaddr, long uaddr2, int nWake, int nRequeue, boolean cmp, int val3) {
        if (badAddress(uaddr) || badAddress(uaddr2)) {
            return -Errno.EINVAL;
        }
        if (nWake < 0 || nRequeue < 0) {
            return -Errno.EINVAL;
        }
        if (cmp) {
            Integer cur = uaccess.getUser32(t.mm, uaddr);
            if (cur == null) {
                return -Errno.EFAULT;
            }
            if (cur != val3) {
                return -Errno.EAGAIN;
            }
        }
        int woken = wakeKey(t.mm, uaddr, nWake, BITSET_MATCH_ANY);
        int moved = 0;
        List<Waiter> q = queues.get(new Key(t.mm, uaddr));
        if (q != null && uaddr != uaddr2) {
            Key to = new Key(t.mm, uaddr2);
            for (Iterator<Waiter> it = q.iterator(); it.hasNext() && moved < nRequeue;) {
                Waiter w = it.next();
                it.remove();
                w.key = to;
                queues.computeIfAbsent(to, x -> new ArrayList<>()).add(w);
                moved++;
            }
            if (q.isEmpty()) {
                queues.remove(new Key(t.mm, uaddr));
            }
        }
        return cmp ? woken + moved : woken;
    }

    /**
     * FUTEX_WAKE_OP: atomically *uaddr2 = oldval OP oparg, wakes nWake on uaddr, and if
     * oldval CMP cmparg also nWake2 on uaddr2. An unknown op or comparison is ENOSYS.
     */
    public long wakeOp(Task t, long uaddr, long uaddr2, int nWake, int nWake2, int encoded) {
        if (badAddress(uaddr) || badAddress(uaddr2)) {
            return -Errno.EINVAL;
        }
        int op = (encoded >>> 28) & 7;
        boolean shift = (encoded >>> 31) != 0;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if (shift) {
            oparg = 1 << (oparg & 31);
        }
        if (op > 4 || cmp > 5) {
            return -Errno.ENOSYS;
        }
        Integer old = uaccess.getUser32(t.mm, uaddr2);
        if (old == null) {
            return -Errno.EFAULT;
        }
        int v = switch (op) {
            case 0 -> oparg;
            case 1 -> old + oparg;
            case 2 -> old | oparg;
            case 3 -> old & ~oparg;
            default -> old ^ oparg;
        };
        if (!uaccess.putUser32(t.mm, uaddr2, v)) {
            return -Errno.EFAULT;
        }
        int woken = wakeKey(t.mm, uaddr, nWake < 0 ? 0 : nWake, BITSET_MATCH_ANY);
        boolean hit = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            default -> old >= cmparg;
        };
        if (hit) {
            woken += wakeKey(t.mm, uaddr2, nWake2 < 0 ? 0 : nWake2, BITSET_MATCH_ANY);
        }
        return woken;
    }

    /** A task left a futex wait for good (it died): forget its place in any queue. */
    public void forget(Task t) {
        for (Iterator<List<Waiter>> it = queues.values().iterator(); it.hasNext();) {
            List<Waiter> q = it.next();
            q.removeIf(w -> w.task == t);
            if (q.isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * A thread's exit (mm_release and exit_robust_list): every robust futex it still
     * holds is marked OWNER_DIED and one waiter woken; then, if the address space lives
     * on in other threads, the clear_child_tid word is zeroed and its waiters woken
     * (pthread_join). Faults end the walk quietly, as in Linux. t's address space must be
     * the one loaded.
     */
    public void exitRelease(Task t) {
        if (t.robustList != 0) {
            exitRobustList(t);
        }
        if (t.clearChildTid != 0 && t.mm.users > 1) {
            long a = t.clearChildTid;
            t.clearChildTid = 0;
            if ((a & 3) == 0 && uaccess.putUser32(t.mm, a, 0)) {
                wakeKey(t.mm, a, 1, BITSET_MATCH_ANY);
            }
        }
    }

    private void exitRobustList(Task t) {
        long head = t.robustList;
        t.robustList = 0;
        Long first = uaccess.getUser64(t.mm, head);
        Long offset = uaccess.getUser64(t.mm, head + 8);
        Long pending = uaccess.getUser64(t.mm, head + 16);
        if (first == null || offset == null || pending == null) {
            return;
        }
        long entry = first;
        for (int i = 0; i < ROBUST_LIST_LIMIT && entry != head; i++) {
            long e = entry & ~1L;
            Long next = uaccess.getUser64(t.mm, e);
            if (next == null) {
                return;
            }
            if (e != (pending & ~1L)) {
                ownerDied(t, e + offset);
            }
            entry = next;
        }
        if ((pending & ~1L) != 0) {
            ownerDied(t, (pending & ~1L) + offset);
        }
    }

    /** handle_futex_death: the word names t as its owner; mark it and wake one waiter. */
    private void ownerDied(Task t, long uaddr) {
        if ((uaddr & 3) != 0) {
            return;
        }
        Integer v = uaccess.getUser32(t.mm, uaddr);
        if (v == null || (v & TID_MASK) != t.pid) {
            return;
        }
        int next = (v & WAITERS) | OWNER_DIED;
        if (uaccess.putUser32(t.mm, uaddr, next) && (v & WAITERS) != 0) {
            wakeKey(t.mm, uaddr, 1, BITSET_MATCH_ANY);
        }
    }
}
