package microlith.kernel.fs;

import java.util.LinkedHashMap;
import java.util.Map;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * An epoll instance (Linux's fs/eventpoll.c): the interest list of (descriptor, file)
 * pairs with their events and user data. Readiness is asked of each file's poll when
 * epoll_wait looks, as poll(2) does; EPOLLET reports a file again only once it has
 * become ready for something it was not ready for at the last look or holds more data
 * than then (an approximation of Linux's wake-up edges), and EPOLLONESHOT
 * disarms an entry after one report until EPOLL_CTL_MOD.
 */
public final class Epoll extends AnonFile {
    public static final int EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    public static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;

    /** One watched descriptor. */
    public static final class Entry {
        public final int fd;
        public final File file;
        public int events;
        public long data;
        /** What the file was ready for at the last look, and how much it held (EPOLLET). */
        public int lastSeen;
        public long lastAmount;
        public boolean disarmed;

        Entry(int fd, File file, int events, long data) {
            this.fd = fd;
            this.file = file;
            this.events = events;
            this.data = data;
        }
    }

    private final Map<Integer, Entry> entries = new LinkedHashMap<>();

    public Epoll() {
        super(0);
    }

    public Map<Integer, Entry> entries() {
        return entries;
    }

    /** epoll_ctl on an instance: 0 or a negative errno. */
    public int ctl(int op, int fd, File target, int events, long data) {
        if (target == this) {
            return -Errno.EINVAL;
        }
        Entry e = entries.get(fd);
        if (e != null && e.file != target) {
            // The descriptor was closed and reused: the old entry is gone, as in Linux.
            entries.remove(fd);
            e = null;
        }
        switch (op) {
            case CTL_ADD:
                if (e != null) {
                    return -Errno.EEXIST;
                }
                entries.put(fd, new Entry(fd, target, events | EPOLLERR | EPOLLHUP, data));
                return 0;
            case CTL_MOD:
                if (e == null) {
                    return -Errno.ENOENT;
                }
                if ((e.events & EPOLLEXCLUSIVE) != 0) {
                    return -Errno.EINVAL;
                }
                e.events = events | EPOLLERR | EPOLLHUP;
                e.data = data;
                e.disarmed = false;
                e.lastSeen = 0;
                return 0;
            case CTL_DEL:
                if (e == null) {
                    return -Errno.ENOENT;
                }
                entries.remove(fd);
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /**
     * Collects up to max ready entries as (events, data) pairs; with register, queues t
     * on every watched file when none is ready. Entries whose descriptor no longer names
     * their file are dropped.
     */
    public int collect(Task t, int max, int[] events, long[] data, boolean register) {
        int n = 0;
        for (var it = entries.values().iterator(); it.hasNext() && n < max;) {
            Entry e = it.next();
            if (t.files.get(e.fd) != e.file) {
                it.remove();
                continue;
            }
            if (e.disarmed) {
                continue;
            }
            int ready = e.file.poll(t, false) & (e.events | EPOLLERR | EPOLLHUP) & ~(EPOLLET | EPOLLONESHOT);
            boolean report = ready != 0;
            if ((e.events & EPOLLET) != 0) {
                // A new kind of readiness, or more data than at the last look, is an edge.
                long amount = e.file.fionread() >= 0 ? e.file.fionread() : e.file.size();
                report = (ready & ~e.lastSeen) != 0 || (ready & EPOLLIN) != 0 && amount > e.lastAmount;
                e.lastSeen = ready;
                e.lastAmount = amount;
            }
            if (report) {
                events[n] = ready;
                data[n] = e.data;
                n++;
                if ((e.events & EPOLLONESHOT) != 0) {
                    e.disarmed = true;
                }
            }
        }
        if (n == 0 && register) {
            for (Entry e : entries.values()) {
                if (!e.disarmed) {
                    e.file.poll(t, true);
                }
            }
        }
        return n;
    }

    /** An epoll descriptor is readable when one of its files is ready. */
    @Override
    public int poll(Task task, boolean register) {
        for (Entry e : entries.values()) {
            if (!e.disarmed && task.files.get(e.fd) == e.file
                && (e.file.poll(task, false) & (e.events | EPOLLERR | EPOLLHUP)) != 0) {
                return EPOLLIN;
            }
        }
        if (register) {
            for (Entry e : entries.values()) {
                e.file.poll(task, true);
            }
        }
        return 0;
    }

    /** The last descriptor gone: the watched files are let go. */
    @Override
    protected void release() {
        entries.clear();
    }
}
