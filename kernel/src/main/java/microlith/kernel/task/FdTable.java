package microlith.kernel.task;

import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.Layout;
import microlith.module.api.Errno;

/**
 * A process's file descriptor table (Linux's files_struct with its fdtable), in kmalloc'd
 * memory where a kernel memory bug can reach it (DESIGN.md invariant 3):
 *
 * <pre>
 * struct fdtable                     2,080 bytes, made at the first descriptor
 *   +0x000  struct file *fd[256]     0 = free; else a struct file ({@link Filp})
 *   +0x800  u64 close_on_exec[4]     bit n of word n / 64: descriptor n
 * </pre>
 *
 * Every lookup reads the entry and follows it, so a descriptor names whatever the
 * memory says it names. Changes resolve every pointer they will follow before they write
 * anything, so a bad one oopses with nothing half done. Which tasks share the table
 * ({@link #users}) stays bookkeeping.
 */
public final class FdTable {
    public static final int MAX_FDS = 256;
    private static final int CLOEXEC = MAX_FDS * 8;
    private static final int BYTES = CLOEXEC + MAX_FDS / 8;

    private final Filp filp;
    private final PhysicalMemory mem;
    /** The table's physical address; -1 until the first descriptor (threads that share their creator's never need one). */
    private long pa = -1;
    /** Tasks sharing this table (CLONE_FILES): the files close when the last one leaves. */
    public int users = 1;

    public FdTable(Filp filp) {
        this.filp = filp;
        this.mem = filp.memory();
    }

    /** The table's kernel address, 0 while it has never held a descriptor. */
    public long address() {
        return pa < 0 ? 0 : Layout.va(pa);
    }

    /** fork: the child's table refers to the same open files; null when no memory is left for it. */
    public FdTable copy() {
        FdTable t = new FdTable(filp);
        if (pa < 0) {
            return t;
        }
        File[] files = resolveAll();
        if (!t.allocate()) {
            return null;
        }
        for (int i = 0; i < MAX_FDS; i++) {
            if (files[i] != null) {
                long ptr = slot(i);
                filp.hold(ptr);
                files[i].retain();
                mem.write64(t.pa + i * 8L, ptr);
            }
        }
        for (int w = 0; w < MAX_FDS / 64; w++) {
            mem.write64(t.pa + CLOEXEC + w * 8L, mem.read64(pa + CLOEXEC + w * 8L));
        }
        return t;
    }

    public boolean cloexec(int fd) {
        return pa >= 0 && (mem.read64(cloexecWord(fd)) & 1L << fd) != 0;
    }

    public void setCloexec(int fd, boolean on) {
        if (pa < 0) {
            return;
        }
        long word = cloexecWord(fd);
        long bits = mem.read64(word);
        mem.write64(word, on ? bits | 1L << fd : bits & ~(1L << fd));
    }

    /** dup/F_DUPFD: the lowest free descriptor at or above min; -EMFILE if none. */
    public int dup(int fd, int min, boolean closeOnExec) {
        File f = get(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        for (int i = Math.max(0, min); i < MAX_FDS; i++) {
            if (slot(i) == 0) {
                share(fd, i, f, closeOnExec);
                return i;
            }
        }
        return -Errno.EMFILE;
    }

    /** dup2/dup3: newfd refers to oldfd's file, closing what newfd held. */
    public int dupTo(int oldfd, int newfd, boolean closeOnExec) {
        File f = get(oldfd);
        if (f == null || newfd < 0 || newfd >= MAX_FDS) {
            return -Errno.EBADF;
        }
        if (oldfd == newfd) {
            return newfd;
        }
        File old = get(newfd);
        long oldPtr = slot(newfd);
        share(oldfd, newfd, f, closeOnExec);
        if (old != null) {
            filp.put(oldPtr);
            old.close();
        }
        return newfd;
    }

    /** execve: descriptors marked close-on-exec go away. */
    public void closeOnExec() {
        for (int i = 0; i < MAX_FDS; i++) {
            if (slot(i) != 0 && cloexec(i)) {
                close(i);
            }
        }
    }

    /** The open file descriptor fd names, or null; a pointer to no struct file is a kernel BUG (oops). */
    public File get(int fd) {
        if (fd < 0 || fd >= MAX_FDS || pa < 0) {
            return null;
        }
        long ptr = mem.read64(pa + fd * 8L);
        if (ptr == 0) {
            return null;
        }
        File f = filp.resolve(ptr);
        if (f == null) {
            throw filp.bug(fd, ptr);
        }
        return f;
    }

    /** Installs at the lowest free descriptor; -EMFILE when full, -ENOMEM when no memory is left. */
    public int install(File f) {
        if (pa < 0 && !allocate()) {
            return -Errno.ENOMEM;
        }
        for (int i = 0; i < MAX_FDS; i++) {
            if (slot(i) == 0) {
                return installAt(i, f);
            }
        }
        return -Errno.EMFILE;
    }

    /** fd_install at a free descriptor: fd, or -ENOMEM. */
    public int installAt(int fd, File f) {
        if (pa < 0 && !allocate()) {
            return -Errno.ENOMEM;
        }
        long ptr = filp.get(f);
        if (ptr == 0) {
            return -Errno.ENOMEM;
        }
        mem.write64(pa + fd * 8L, ptr);
        setCloexec(fd, false);
        return fd;
    }

    public int close(int fd) {
        File f = get(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        long ptr = slot(fd);
        mem.write64(pa + fd * 8L, 0);
        setCloexec(fd, false);
        filp.put(ptr);
        f.close();
        return 0;
    }

    /**
     * The last task using the table is gone (exit, or a failed start): every file closes
     * and the table's memory is freed. A pointer to no struct file is logged and skipped.
     */
    public void closeAll() {
        if (pa < 0) {
            return;
        }
        for (int i = 0; i < MAX_FDS; i++) {
            long ptr = slot(i);
            if (ptr == 0) {
                continue;
            }
            mem.write64(pa + i * 8L, 0);
            File f = filp.resolve(ptr);
            if (f == null) {
                filp.leak(i, ptr);
                continue;
            }
            filp.put(ptr);
            f.close();
        }
        filp.kmalloc().free(Layout.va(pa));
        pa = -1;
    }

    private long slot(int fd) {
        return pa < 0 ? 0 : mem.read64(pa + fd * 8L);
    }

    private long cloexecWord(int fd) {
        return pa + CLOEXEC + (fd >>> 6) * 8L;
    }

    /** Descriptor to of this table refers to from's struct file (to is free). */
    private void share(int from, int to, File f, boolean closeOnExec) {
        long ptr = slot(from);
        filp.hold(ptr);
        f.retain();
        mem.write64(pa + to * 8L, ptr);
        setCloexec(to, closeOnExec);
    }

    /** Every descriptor's open file, each pointer checked before anything is copied. */
    private File[] resolveAll() {
        File[] files = new File[MAX_FDS];
        for (int i = 0; i < MAX_FDS; i++) {
            if (slot(i) != 0) {
                files[i] = get(i);
            }
        }
        return files;
    }

    private boolean allocate() {
        long va = filp.kmalloc().allocZeroed(BYTES, this, mem);
        if (va == 0) {
            return false;
        }
        pa = Layout.pa(va);
        return true;
    }
}
