package microlith.kernel.proc;

import java.util.List;
import java.util.SplittableRandom;
import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.arch.Segments;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.Namei;
import microlith.kernel.fs.Permission;
import microlith.kernel.fs.Vfs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.task.File;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * The process manager (Linux's kernel/fork.c, exec.c and exit.c; procnto's process
 * manager in QNX): creating init, fork, execve, exit, reaping, and death by signal. It
 * stays in the ring-0 core in every OS model.
 */
public final class ProcessManager {
    /** The process table's limit: a fork bomb meets EAGAIN here. */
    public static final int MAX_TASKS = 64;

    private final Cpu cpu;
    private final PageAllocator pages;
    private final long kernelPml4;
    private final Scheduler sched;
    private final Vfs vfs;
    private final ContextSwitch switcher;
    private final SplittableRandom random;
    private final Printk log;
    private final ElfLoader loader;
    public final SignalDelivery signals;
    /** Processes' alarm, setitimer and timer_create timers, run from the tick. */
    public final IntervalTimers itimers;
    /** Told of every task that ends (the IPC layer learns that a server died). */
    private java.util.function.Consumer<Task> exitHook = t -> { };
    private int initStatus;
    private int initWaitStatus;
    /** Set when pid 1 exits: the next return to user mode powers the machine off. */
    private boolean initExited;

    public ProcessManager(Cpu cpu, PageAllocator pages, long kernelPml4, Scheduler sched, Vfs vfs,
                          ContextSwitch switcher, SplittableRandom random, Printk log,
                          microlith.kernel.mm.Uaccess uaccess, boolean protectInit) {
        this.cpu = cpu;
        this.pages = pages;
        this.kernelPml4 = kernelPml4;
        this.sched = sched;
        this.vfs = vfs;
        this.switcher = switcher;
        this.random = random;
        this.log = log;
        this.loader = new ElfLoader(cpu.memory());
        this.signals = new SignalDelivery(this, sched, uaccess, log, protectInit);
        this.itimers = new IntervalTimers(sched, signals);
    }

    public void setExitHook(java.util.function.Consumer<Task> hook) {
        this.exitHook = hook;
    }

    public boolean initExited() {
        return initExited;
    }

    public int initStatus() {
        return initStatus;
    }

    /** How init ended, as wait4(2) reports it to a parent. */
    public int initWaitStatus() {
        return initWaitStatus;
    }

    /** A kernel stack and a task_struct for a new task; null when memory or pids run out. */
    public Task newTask(String comm) {
        return newTask(comm, sched.allocPid());
    }

    private Task newTask(String comm, int pid) {
        if (pid < 0) {
            return null;
        }
        long kstack = pages.allocContiguous(Task.KSTACK_PAGES);
        if (kstack < 0) {
            return null;
        }
        return new Task(cpu.memory(), pid, comm, kstack);
    }

    /** Frees a task's kernel stack (reaped, or never started). */
    public void freeTask(Task t) {
        for (int i = 0; i < Task.KSTACK_PAGES; i++) {
            pages.free(t.kstackPhys + i * 4096L);
        }
    }

    /**
     * Creates pid 1 from an executable in the root filesystem, with stdio as its file
     * descriptors 0-2; 0 or a negative errno.
     */
    public int spawnInit(String path, List<String> argv, List<String> envp, File[] stdio) {
        Task t = newTask(baseName(path), 1);
        if (t == null) {
            return -Errno.ENOMEM;
        }
        for (int i = 0; i < stdio.length; i++) {
            if (stdio[i] != null) {
                // One reference per descriptor: a file serving an earlier fd gains one.
                for (int j = 0; j < i; j++) {
                    if (stdio[j] == stdio[i]) {
                        stdio[i].retain();
                        break;
                    }
                }
                t.files.installAt(i, stdio[i]);
            }
        }
        int err = exec(t, path, argv, envp);
        if (err != 0) {
            t.files.closeAll();
            freeTask(t);
            return err;
        }
        switcher.resetFpu(t);
        sched.add(t);
        return 0;
    }

    /**
     * fork: a copy of parent whose pages are shared copy-on-write, with the same open
     * files, and whose saved registers return 0 from the system call. Returns the child
     * or a negative errno in {@code err[0]}.
     */
    public Task fork(Task parent, int[] err) {
        if (sched.all().stream().filter(x -> !x.server).count() >= MAX_TASKS) {
            err[0] = Errno.EAGAIN;
            return null;
        }
        Task child = newTask(parent.comm);
        if (child == null) {
            err[0] = Errno.ENOMEM;
            return null;
        }
        child.parent = parent;
        child.mm = parent.mm.fork(kernelPml4);
        if (child.mm == null) {
            // No page for the copy's tables: nothing of the child remains but its stack.
            freeTask(child);
            err[0] = Errno.ENOMEM;
            return null;
        }
        // The parent's writable pages just became read-only: forget their old rights.
        cpu.writeCr(3, cpu.cr3());
        child.files = parent.files.copy();
        child.cwd = parent.cwd;
        child.pgid = parent.pgid;
        child.sid = parent.sid;
        child.umask = parent.umask;
        child.setUid(parent.uid());
        child.setGid(parent.gid());
        child.argv = parent.argv;
        child.sigMask = parent.sigMask;
        child.copySigactionsFrom(parent);
        child.exe = parent.exe;
        child.fsBase = cpu.rdmsr(microlith.hw.cpu.Msr.FS_BASE);
        long from = parent.ptRegs();
        long to = child.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            cpu.write64(to + off, cpu.read64(from + off));
        }
        cpu.write64(to + PtRegs.RAX, 0);
        switcher.copyFpu(parent, child);
        sched.add(child);
        return child;
    }

    /**
     * wait4's core: reaps a zombie child matching pid (-1 any, &gt;0 that one). Returns
     * the child reaped, or null; {@code hasChild[0]} tells whether any child matched.
     */
    public Task reapChild(Task parent, int pid, boolean[] hasChild) {
        for (Task c : new java.util.ArrayList<>(sched.all())) {
            if (c.parent != parent || (pid > 0 && c.pid != pid)) {
                continue;
            }
            hasChild[0] = true;
            if (c.state == Task.State.ZOMBIE) {
                sched.remove(c);
                freeTask(c);
                return c;
            }
        }
        return null;
    }

    static String baseName(String path) {
        String b = path.substring(path.lastIndexOf('/') + 1);
        // TASK_COMM_LEN is 16 including the NUL.
        return b.length() > 15 ? b.substring(0, 15) : b;
    }

    /**
     * Replaces t's image with the executable at path. On failure t is unchanged and a
     * negative errno comes back, as execve returns.
     */
    public int exec(Task t, String path, List<String> argv, List<String> envp) {
        int[] err = new int[1];
        Namei.Walk w = openExec(t, path, err);
        return w == null ? err[0] : exec(t, w, path, argv, envp);
    }

    /**
     * do_open_execat: the executable at path, looked up with search permission on its
     * directories, and a regular file t may execute; null with the errno in err[0]. execve
     * does this before it copies argv and envp (as Linux since 6.7), so a missing or
     * forbidden file is ENOENT or EACCES whatever the arguments are.
     */
    public Namei.Walk openExec(Task t, String path, int[] err) {
        Namei.Walk w = vfs.walk(t, null, path, Namei.FOLLOW, err);
        if (w == null) {
            return null;
        }
        Inode n = w.node;
        if (!n.isRegular() || (n.mode & 0111) == 0 || !Permission.permits(t, n, Permission.MAY_EXEC)) {
            err[0] = -Errno.EACCES;
            return null;
        }
        return w;
    }

    /** execve's second half: the file openExec found becomes t's image. */
    public int exec(Task t, Namei.Walk w, String path, List<String> argv, List<String> envp) {
        Inode n = w.node;
        if (!ArgLimits.fits(path, argv, envp)) {
            return -Errno.E2BIG;
        }
        byte[] image = vfs.readAll(n);
        if (image == null) {
            return -Errno.ENOMEM;
        }
        ElfImage elf;
        try {
            elf = ElfImage.parse(image);
        } catch (ElfImage.FormatException e) {
            log.info("%s: cannot execute %s: %s", t.comm, path, e.getMessage());
            return -Errno.ENOEXEC;
        }
        AddressSpace mm = AddressSpace.create(pages, cpu.memory(), kernelPml4);
        if (mm == null) {
            return -Errno.ENOMEM;
        }
        byte[] random = new byte[16];
        this.random.nextBytes(random);
        ElfLoader.Entry e;
        try {
            e = loader.load(mm, elf, path, argv, envp, random, t.uid(), t.gid());
        } catch (OutOfMemoryError oom) {
            e = null;
        }
        if (e == null) {
            mm.destroy();
            return -Errno.ENOMEM;
        }
        AddressSpace old = t.mm;
        t.mm = mm;
        t.files.closeOnExec();
        t.comm = baseName(path);
        t.exe = w.path;
        t.argv = argv.toArray(new String[0]);
        t.flushSignalHandlers();
        itimers.execve(t);
        t.fsBase = 0;
        if (old != null) {
            releaseMm(old);
        }
        // A fresh register state: everything zero but RIP, RSP, the selectors and IF.
        long regs = t.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            cpu.write64(regs + off, 0);
        }
        cpu.write64(regs + PtRegs.RIP, e.rip);
        cpu.write64(regs + PtRegs.RSP, e.rsp);
        cpu.write64(regs + PtRegs.CS, Segments.USER_CS);
        cpu.write64(regs + PtRegs.SS, Segments.USER_DS);
        cpu.write64(regs + PtRegs.RFLAGS, 0x202);
        cpu.write64(regs + PtRegs.ORIG_RAX, -1);
        if (sched.current() == t) {
            switcher.resetFpu(t);
        }
        return 0;
    }

    private void releaseMm(AddressSpace mm) {
        if (cpu.cr3() == mm.pml4) {
            // Never keep a page table loaded that is about to be freed.
            cpu.writeCr(3, kernelPml4);
        }
        mm.destroy();
    }

    /** Ends t with a wait status (exit code &lt;&lt; 8, or a signal number). */
    public void exit(Task t, int waitStatus) {
        if (t.state == Task.State.ZOMBIE) {
            return;
        }
        t.exitStatus = waitStatus;
        t.files.closeAll();
        if (t.mm != null) {
            releaseMm(t.mm);
            t.mm = null;
        }
        sched.exited(t);
        exitHook.accept(t);
        if (t.pid == 1) {
            initStatus = shellStatus(waitStatus);
            initWaitStatus = waitStatus;
            initExited = true;
        }
        // Orphans go to init, which reaps them; the parent hears of the death.
        Task init = sched.find(1);
        for (Task c : sched.all()) {
            if (c.parent == t) {
                c.parent = init != null && init != t ? init : null;
                if (c.state == Task.State.ZOMBIE && c.parent != null) {
                    c.parent.childWait.wakeAll(sched);
                }
            }
        }
        if (t.parent != null) {
            t.parent.childWait.wakeAll(sched);
            signals.send(t.parent, Signals.SIGCHLD, 1 /* CLD_EXITED */, t.pid);
        }
        // The kernel stack stays until the task is reaped: its pt_regs hold the status.
    }

    /**
     * Default action of a fatal signal: the task dies with that signal as its status. A
     * task whose system call is waiting for a server's reply (the server models' nested
     * calls: a tick during the call can fire its POSIX timer's SIGKILL) cannot be torn
     * down under the kernel routine still working for it: its files, address space and
     * page tables would go while that routine uses them. The kill then waits as a pending
     * SIGKILL, taken on the task's way back to user mode, as Linux takes a fatal signal
     * on the way out of a system call.
     */
    public void kill(Task t, int sig) {
        if (t.ipcCallsInFlight > 0) {
            t.pending |= 1L << (Signals.SIGKILL - 1);
            return;
        }
        exit(t, sig | (Signals.dumpsCore(sig) ? 0x80 : 0));
    }

    /** Sends a signal from kill(2) or the kernel (SIGPIPE): see {@link SignalDelivery#send}. */
    public void sendSignal(Task t, int sig) {
        signals.send(t, sig, SignalDelivery.SI_USER, 0);
    }

    /** The status a shell reports for a wait status: the exit code, or 128 + signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }
}
