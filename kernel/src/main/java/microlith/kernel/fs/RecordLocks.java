package microlith.kernel.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;

/**
 * POSIX record locks (fcntl F_GETLK/F_SETLK/F_SETLKW and the open-file-description
 * F_OFD_* forms; Linux's fs/locks.c). Locks belong to an owner, a process (its tgid) or
 * an open file description, on byte ranges of one file; a process's locks on a file go
 * away when it closes any descriptor of that file or exits. Ranges are [start, end) with
 * {@code Long.MAX_VALUE} for "to the end of the file and beyond".
 */
public final class RecordLocks {
    public static final int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    /** One lock: its owner, the pid F_GETLK reports (-1 for an OFD lock), its type and range. */
    public record Lock(Object owner, int pid, int type, long start, long end) {
        boolean overlaps(long s, long e) {
            return start < e && s < end;
        }
    }

    private final Map<Object, List<Lock>> byFile = new HashMap<>();
    private final Map<Object, WaitQueue> waiters = new HashMap<>();
    private final Scheduler sched;

    public RecordLocks(Scheduler sched) {
        this.sched = sched;
    }

    /** The first lock of another owner that conflicts with type over [start, end), or null. */
    public Lock conflict(Object file, Object owner, int type, long start, long end) {
        for (Lock l : byFile.getOrDefault(file, List.of())) {
            if (l.owner() != owner && !l.owner().equals(owner) && l.overlaps(start, end)
                && (type == F_WRLCK || l.type() == F_WRLCK)) {
                return l;
            }
        }
        return null;
    }

    /**
     * Sets (or with F_UNLCK removes) owner's lock over [start, end). Returns false if it
     * conflicts; with wait, t is then queued to retry when a lock on the file goes away.
     */
    public boolean set(Object file, Object owner, int pid, int type, long start, long end, Task t, boolean wait) {
        if (type != F_UNLCK && conflict(file, owner, type, start, end) != null) {
            if (wait) {
                waiters.computeIfAbsent(file, x -> new WaitQueue()).add(t);
                sched.sleep(t);
            }
            return false;
        }
        List<Lock> locks = byFile.computeIfAbsent(file, x -> new ArrayList<>());
        List<Lock> next = new ArrayList<>();
        for (Lock l : locks) {
            if (!l.owner().equals(owner) || !l.overlaps(start, end)) {
                next.add(l);
                continue;
            }
            if (l.start() < start) {
                next.add(new Lock(l.owner(), l.pid(), l.type(), l.start(), start));
            }
            if (l.end() > end) {
                next.add(new Lock(l.owner(), l.pid(), l.type(), end, l.end()));
            }
        }
        if (type != F_UNLCK) {
            next.add(new Lock(owner, pid, type, start, end));
        }
        next.sort((a, b) -> Long.compare(a.start(), b.start()));
        locks.clear();
        locks.addAll(next);
        if (locks.isEmpty()) {
            byFile.remove(file);
        }
        wake(file);
        return true;
    }

    /** Every lock owner holds on file goes (close of a descriptor of it). */
    public void releaseFile(Object file, Object owner) {
        List<Lock> locks = byFile.get(file);
        if (locks != null && locks.removeIf(l -> l.owner().equals(owner))) {
            if (locks.isEmpty()) {
                byFile.remove(file);
            }
            wake(file);
        }
    }

    /** Every lock owner holds on any file goes (the process exited, the description closed). */
    public void releaseOwner(Object owner) {
        for (Iterator<Map.Entry<Object, List<Lock>>> it = byFile.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Object, List<Lock>> e = it.next();
            if (e.getValue().removeIf(l -> l.owner().equals(owner))) {
                WaitQueue q = waiters.remove(e.getKey());
                if (q != null) {
                    q.wakeAll(sched);
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    private void wake(Object file) {
        WaitQueue q = waiters.remove(file);
        if (q != null) {
            q.wakeAll(sched);
        }
    }
}
