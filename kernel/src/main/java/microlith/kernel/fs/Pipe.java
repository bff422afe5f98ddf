package microlith.kernel.fs;

import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.task.File;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;
import microlith.module.api.Errno;

/**
 * A pipe: a 64 KiB ring buffer in kernel memory (16 physical pages, as Linux's default
 * pipe size) with a read end and a write end. A reader of an empty pipe with writers
 * sleeps; with no writers left it reads end of file. A writer to a full pipe sleeps;
 * with no readers left it gets EPIPE (and SIGPIPE, sent by the caller). A write that
 * finds some room writes what fits and returns that count.
 */
public final class Pipe {
    public static final int PAGES = 16;
    public static final int SIZE = PAGES * 4096;

    private final PhysicalMemory mem;
    private final PageAllocator pages;
    private final Scheduler sched;
    /** The 64 KiB buffer's physical address, or -1 while nobody has the pipe open (a FIFO). */
    private long buf;
    private long head;
    private long tail;
    private int readers;
    private int writers;
    private final WaitQueue readWait = new WaitQueue();
    private final WaitQueue writeWait = new WaitQueue();

    private Pipe(PhysicalMemory mem, PageAllocator pages, Scheduler sched, long buf) {
        this.mem = mem;
        this.pages = pages;
        this.sched = sched;
        this.buf = buf;
    }

    /** Both ends, [read, write], or null when no memory is left for the buffer. */
    public static End[] create(PhysicalMemory mem, PageAllocator pages, Scheduler sched, boolean nonblock) {
        long buf = pages.allocContiguous(PAGES);
        if (buf < 0) {
            return null;
        }
        Pipe p = new Pipe(mem, pages, sched, buf);
        p.readers = 1;
        p.writers = 1;
        return new End[] {p.new End(false, nonblock), p.new End(true, nonblock)};
    }

    /** A named pipe (FIFO): no buffer until the first open. */
    static Pipe fifo(PhysicalMemory mem, PageAllocator pages, Scheduler sched) {
        return new Pipe(mem, pages, sched, -1);
    }

    /** Opens of each kind so far: a sleeping open proceeds once the other kind's count moved. */
    private long readerOpens;
    private long writerOpens;
    /** A task asleep in open: the other kind's opens it saw, and whether it opens to write. */
    private record Opener(long seen, boolean write) {
    }

    private final java.util.Map<Task, Opener> openWaiters = new java.util.HashMap<>();
    /** Openers woken and about to retry: they still count as waiting. */
    private final java.util.Map<Task, Opener> woken = new java.util.HashMap<>();
    private final WaitQueue openWait = new WaitQueue();

    /**
     * FIFO open (Linux's fifo_open): a reader waits for a writer and a writer for a reader,
     * unless O_NONBLOCK (then a writer without readers gets ENXIO). Returns the end, or null
     * with err[0] set: -ENXIO, -ENOMEM, or 1 when t now sleeps and the open must be retried.
     */
    End openFifo(Task t, boolean write, boolean nonblock, int[] err) {
        long otherOpens = write ? readerOpens : writerOpens;
        int others = write ? readers : writers;
        Opener was = woken.remove(t);
        if (was == null) {
            was = openWaiters.remove(t);
        }
        Long seen = was == null ? null : was.seen();
        // An opener of the other kind asleep in open is a partner too (Linux counts it
        // before it sleeps), so a reader and a writer opening at once both proceed.
        boolean partnerCame = others > 0 || seen != null && otherOpens > seen || waiting(!write);
        if (!partnerCame) {
            if (write && nonblock) {
                err[0] = -Errno.ENXIO;
                return null;
            }
            if (!nonblock) {
                openWaiters.put(t, new Opener(otherOpens, write));
                t.wakeHook = () -> {
                    Opener o = openWaiters.remove(t);
                    if (o != null) {
                        woken.put(t, o);
                    }
                };
                openWait.add(t);
                sched.sleep(t);
                err[0] = 1;
                return null;
            }
        }
        if (buf < 0) {
            buf = pages.allocContiguous(PAGES);
            if (buf < 0) {
                err[0] = -Errno.ENOMEM;
                return null;
            }
            head = 0;
            tail = 0;
        }
        if (write) {
            writers++;
            writerOpens++;
        } else {
            readers++;
            readerOpens++;
        }
        openWait.wakeAll(sched);
        return new End(write, nonblock);
    }

    /** Nobody has the FIFO open or is opening it: it holds no memory and can be forgotten. */
    boolean idle() {
        return readers == 0 && writers == 0 && openWaiters.isEmpty() && woken.isEmpty();
    }

    /** Whether an opener of that kind is asleep in open or woken to retry it. */
    private boolean waiting(boolean writer) {
        for (Opener o : openWaiters.values()) {
            if (o.write() == writer) {
                return true;
            }
        }
        for (java.util.Map.Entry<Task, Opener> e : woken.entrySet()) {
            if (e.getValue().write() == writer && e.getKey().state != Task.State.ZOMBIE) {
                return true;
            }
        }
        return false;
    }

    private int used() {
        return (int) (tail - head);
    }

    /** One end of the pipe, shared by every descriptor that refers to it. */
    public final class End implements File {
        private final boolean writeEnd;
        public boolean nonblock;
        private int refs = 1;

        End(boolean writeEnd, boolean nonblock) {
            this.writeEnd = writeEnd;
            this.nonblock = nonblock;
        }

        public boolean isWriteEnd() {
            return writeEnd;
        }

        /** Readable with data or at end of file (POLLHUP); writable with room; POLLERR without readers. */
        @Override
        public int poll(Task task, boolean register) {
            int mask;
            if (writeEnd) {
                mask = readers == 0 && !waiting(false) ? 0x8 : used() < SIZE ? 0x4 : 0;
            } else {
                mask = (used() > 0 ? 0x1 : 0) | (writers == 0 && !waiting(true) ? 0x10 : 0);
            }
            if (register && mask == 0) {
                (writeEnd ? writeWait : readWait).add(task);
            }
            return mask;
        }

        @Override
        public boolean mayRead() {
            return !writeEnd;
        }

        @Override
        public boolean mayWrite() {
            return writeEnd;
        }

        @Override
        public int read(Task task, byte[] dst, int len) {
            if (writeEnd) {
                return -Errno.EBADF;
            }
            int n = Math.min(len, used());
            if (n == 0) {
                if (writers == 0 && !waiting(true)) {
                    return 0;
                }
                if (nonblock) {
                    return -Errno.EAGAIN;
                }
                readWait.add(task);
                sched.sleep(task);
                return WOULD_BLOCK;
            }
            for (int i = 0; i < n; i++) {
                dst[i] = (byte) mem.read8(buf + (head + i) % SIZE);
            }
            head += n;
            writeWait.wakeAll(sched);
            return n;
        }

        /** recv(MSG_PEEK) on a socket built on this pipe: read without consuming. */
        public int peek(Task task, byte[] dst, int len) {
            int n = Math.min(len, used());
            if (n == 0) {
                return read(task, dst, len);
            }
            for (int i = 0; i < n; i++) {
                dst[i] = (byte) mem.read8(buf + (head + i) % SIZE);
            }
            return n;
        }

        @Override
        public int write(Task task, byte[] src, int len) {
            if (!writeEnd) {
                return -Errno.EBADF;
            }
            if (readers == 0 && !waiting(false)) {
                return -Errno.EPIPE;
            }
            int n = Math.min(len, SIZE - used());
            if (n == 0) {
                if (nonblock) {
                    return -Errno.EAGAIN;
                }
                writeWait.add(task);
                sched.sleep(task);
                return WOULD_BLOCK;
            }
            for (int i = 0; i < n; i++) {
                mem.write8(buf + (tail + i) % SIZE, src[i]);
            }
            tail += n;
            readWait.wakeAll(sched);
            return n;
        }

        @Override
        public int mode() {
            return 0010600; // S_IFIFO | 0600
        }

        @Override
        public long size() {
            return used();
        }

        @Override
        public void retain() {
            refs++;
        }

        @Override
        public void close() {
            if (--refs > 0) {
                return;
            }
            if (writeEnd) {
                writers--;
                readWait.wakeAll(sched);
            } else {
                readers--;
                writeWait.wakeAll(sched);
            }
            if (idle() && buf >= 0) {
                for (int i = 0; i < PAGES; i++) {
                    pages.free(buf + i * 4096L);
                }
                buf = -1;
            }
        }
    }
}
