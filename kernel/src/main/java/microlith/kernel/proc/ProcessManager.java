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
import microlith.kernel.mm.PageTables;
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
    public static final int MAX_TASKS = 128;

    private final Cpu cpu;
    private final PageAllocator pages;
    /** The kernel's tables: new address spaces write their entries under its rules (NX, PCIDs). */
    private final PageTables tables;
    private final long kernelPml4;
    private final Scheduler sched;
    private final Vfs vfs;
    private final ContextSwitch switcher;
    private final SplittableRandom random;
    private final Printk log;
    private final microlith.kernel.task.Filp filp;
    private final ElfLoader loader;
    public final SignalDelivery signals;
    /** Processes' alarm, setitimer and timer_create timers, run from the tick. */
    public final IntervalTimers itimers;
    private final OomKiller oom;
    /** Told of every task that ends (the IPC layer learns that a server died). */
    private java.util.function.Consumer<Task> exitHook = t -> { };
    public final Futex futex;
    public final Rseq rseq;
    /** POSIX record locks (fcntl) and BSD whole-file locks (flock). */
    public final microlith.kernel.fs.RecordLocks locks, flocks;
    /** Exited threads that nobody waits for (CLONE_THREAD), freed once off their kernel stack. */
    private final List<Task> deadThreads = new java.util.ArrayList<>();
    private int initStatus;
    private int initWaitStatus;
    /** Set when pid 1 exits: the next return to user mode powers the machine off. */
    private boolean initExited;

    public ProcessManager(Cpu cpu, PageAllocator pages, PageTables tables, long kernelPml4, Scheduler sched, Vfs vfs,
                          ContextSwitch switcher, SplittableRandom random, Printk log,
                          microlith.kernel.mm.Uaccess uaccess, microlith.kernel.time.Clock clock,
                          boolean protectInit, microlith.kernel.task.Filp filp) {
        this.cpu = cpu;
        this.pages = pages;
        this.tables = tables;
        this.kernelPml4 = kernelPml4;
        this.sched = sched;
        this.vfs = vfs;
        this.switcher = switcher;
        this.random = random;
        this.log = log;
        this.filp = filp;
        this.loader = new ElfLoader(cpu.memory());
        this.rseq = new Rseq(cpu, uaccess);
        this.signals = new SignalDelivery(this, sched, uaccess, log, protectInit);
        this.itimers = new IntervalTimers(sched, signals);
        this.oom = new OomKiller(sched, this, log);
        this.futex = new Futex(cpu, uaccess, sched, clock);
        this.locks = new microlith.kernel.fs.RecordLocks(sched);
        this.flocks = new microlith.kernel.fs.RecordLocks(sched);
        this.cloner = new Clone(this, cpu, sched, uaccess, log);
    }

    private final Clone cloner;

    public Clone cloner() {
        return cloner;
    }

    public long kernelPml4() {
        return kernelPml4;
    }

    ContextSwitch switcher() {
        return switcher;
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

    /**
     * No free page for a fault of (or a copy into the memory of) faulting: the OOM killer
     * chooses whom to kill, the largest process (see {@link OomKiller}). Returns the victim.
     */
    public Task oomKill(Task faulting) {
        return oom.killFor(faulting);
    }

    /** How init ended, as wait4(2) reports it to a parent. */
    public int initWaitStatus() {
        return initWaitStatus;
    }

    /** A kernel stack and a task_struct for a new task; null when memory or pids run out. */
    public Task newTask(String comm) {
        freeDeadThreads();
        return newTask(comm, sched.allocPid());
    }

    private Task newTask(String comm, int pid) {
        if (pid < 0) {
            return null;
        }
        // THREAD_SIZE-aligned, as Linux's stacks are: RSP & ~(THREAD_SIZE - 1) is the stack's bottom.
        long kstack = pages.allocContiguous(Task.KSTACK_PAGES, Task.KSTACK_PAGES);
        if (kstack < 0) {
            return null;
        }
        Task t = new Task(cpu.memory(), pid, comm, kstack);
        t.files = new microlith.kernel.task.FdTable(filp);
        // Its own thread group until clone(CLONE_THREAD) says otherwise (servers and init too).
        t.group = new microlith.kernel.task.ThreadGroup(t);
        return t;
    }

    /**
     * Frees a task's kernel stack (reaped, or never started). A stack whose signal handler
     * table other tasks still use (CLONE_SIGHAND) is freed with the last of them.
     */
    public void freeTask(Task t) {
        t.freed = true;
        Task owner = t.unshareSigactions(false);
        if (t.sighandSharers == 0) {
            freeStack(t);
        }
        if (owner != null && owner.sighandSharers == 0 && owner.freed) {
            freeStack(owner);
        }
    }

    private void freeStack(Task t) {
        for (int i = 0; i < Task.KSTACK_PAGES; i++) {
            pages.free(t.kstackPhys + i * 4096L);
        }
    }

    /** Frees the exited threads no one waits for, except one whose stack is still in use. */
    private void freeDeadThreads() {
        for (java.util.Iterator<Task> it = deadThreads.iterator(); it.hasNext();) {
            Task t = it.next();
            if (t != sched.current()) {
                it.remove();
                sched.remove(t);
                freeTask(t);
            }
        }
    }

    /** The number of tasks in the table (fork and clone meet EAGAIN at MAX_TASKS). */
    int taskCount() {
        freeDeadThreads();
        // Servers are part of the operating system, not processes a user's fork competes with.
        return (int) sched.all().stream().filter(x -> !x.server).count();
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

    /** fork: clone with SIGCHLD and nothing shared. Returns the child or null with the errno in err[0]. */
    public Task fork(Task parent, int[] err) {
        return cloner.clone(parent, new Clone.Args(Signals.SIGCHLD, 0, 0, 0, 0), err);
    }

    /**
     * wait4's core: reaps a zombie child matching pid (-1 any, &gt;0 that one). Returns
     * the child reaped, or null; {@code hasChild[0]} tells whether any child matched.
     */
    public Task reapChild(Task waiter, int pid, boolean[] hasChild) {
        return reapChild(waiter, pid, hasChild, true);
    }

    /** As {@link #reapChild(Task, int, boolean[])}; without reap the zombie stays (WNOWAIT). */
    public Task reapChild(Task waiter, int pid, boolean[] hasChild, boolean reap) {
        Task parent = waiter.group.leader;
        for (Task c : new java.util.ArrayList<>(sched.all())) {
            if (c.parent != parent || !c.isLeader() || (pid > 0 && c.pid != pid)) {
                continue;
            }
            hasChild[0] = true;
            if (c.state == Task.State.ZOMBIE && c.group.live.isEmpty()) {
                if (reap) {
                    sched.remove(c);
                    freeTask(c);
                }
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
        return exec(t, path, argv, envp, 0, path);
    }

    /** How deep "#!" interpreters may nest before execve fails with ELOOP (as Linux's binfmt_script). */
    private static final int MAX_INTERPRETERS = 4;
    /** The "#!" line is read from this many bytes at most (BINPRM_BUF_SIZE). */
    private static final int BINPRM_BUF_SIZE = 256;

    /**
     * A script starting with "#!interpreter [arg]" runs its interpreter with the script's
     * path (Linux's binfmt_script): argv becomes interpreter, arg (if any), path, argv[1..].
     * The process keeps the name of the file execve was given (its comm), as in Linux.
     */
    private int execScript(Task t, String path, byte[] image, List<String> argv, List<String> envp, int depth,
                           String name) {
        if (depth >= MAX_INTERPRETERS) {
            return -Errno.ELOOP;
        }
        int end = 2;
        while (end < image.length && end < BINPRM_BUF_SIZE && image[end] != '\n') {
            end++;
        }
        String line = new String(image, 2, end - 2, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        if (line.isEmpty()) {
            return -Errno.ENOEXEC;
        }
        String[] words = line.split("[ \t]+", 2);
        List<String> nargv = new java.util.ArrayList<>();
        nargv.add(words[0]);
        if (words.length > 1) {
            nargv.add(words[1]);
        }
        nargv.add(path);
        if (argv.size() > 1) {
            nargv.addAll(argv.subList(1, argv.size()));
        }
        return exec(t, words[0], nargv, envp, depth + 1, name);
    }

    private int exec(Task t, String path, List<String> argv, List<String> envp, int depth, String name) {
        int[] err = new int[1];
        Namei.Walk w = openExec(t, path, err);
        return w == null ? err[0] : load(t, w, path, argv, envp, depth, name);
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
        return load(t, w, path, argv, envp, 0, path);
    }

    /** The image of w (a script's interpreter at depth &gt; 0) replaces t's; name becomes its comm. */
    private int load(Task t, Namei.Walk w, String path, List<String> argv, List<String> envp, int depth, String name) {
        Inode n = w.node;
        if (!ArgLimits.fits(path, argv, envp)) {
            return -Errno.E2BIG;
        }
        byte[] image = vfs.readAll(n);
        if (image == null) {
            return -Errno.ENOMEM;
        }
        if (image.length >= 2 && image[0] == '#' && image[1] == '!') {
            return execScript(t, path, image, argv, envp, depth, name);
        }
        ElfImage elf;
        try {
            elf = ElfImage.parse(image);
        } catch (ElfImage.FormatException e) {
            log.info("%s: cannot execute %s: %s", t.comm, path, e.getMessage());
            return -Errno.ENOEXEC;
        }
        AddressSpace mm = AddressSpace.create(tables, pages, cpu.memory(), kernelPml4);
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
        // The point of no return: the other threads die, shared tables become private.
        boolean wasCurrent = sched.current() == t;
        if (!t.isLeader()) {
            t = becomeLeader(t);
        }
        killOtherThreads(t);
        t.unshareSigactions(true);
        // unshare_files. With no memory left for the copy the table stays shared (Linux fails
        // the exec before its point of no return; here that point has passed).
        microlith.kernel.task.FdTable own = t.files.users > 1 ? t.files.copy() : null;
        if (own != null) {
            t.files.users--;
            t.files = own;
        }
        AddressSpace old = t.mm;
        t.mm = mm;
        t.files.closeOnExec();
        t.comm = baseName(name);
        t.exe = w.path;
        t.argv = argv.toArray(new String[0]);
        t.flushSignalHandlers();
        itimers.execve(t);
        t.fsBase = 0;
        t.robustList = 0;
        t.rseq = 0;
        t.rseqLen = 0;
        t.rseqSig = 0;
        t.rseqResume = false;
        t.clearChildTid = 0;
        t.altStackSp = 0;
        t.altStackSize = 0;
        t.altStackFlags = SS_DISABLE;
        if (old != null) {
            releaseMm(old);
        }
        releaseVforkParent(t);
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
        if (wasCurrent) {
            // The CPU's x87/SSE registers are the caller's: they start afresh as t's.
            switcher.resetFpu(t);
        }
        return 0;
    }

    /**
     * execve in a thread other than the leader (Linux's de_thread): the process keeps its
     * pid, so the leader's task takes over. The other threads and the leader as it was
     * are ended without a word to the parent; the caller's files, address space, ids,
     * signal mask and pending signals move to the leader, which becomes runnable; the
     * caller ends quietly. Returns the leader, to be given the new image.
     */
    private Task becomeLeader(Task t) {
        microlith.kernel.task.ThreadGroup g = t.group;
        Task leader = g.leader;
        for (Task o : new java.util.ArrayList<>(g.live)) {
            if (o != t && o != leader) {
                exitThread(o, 0);
            }
        }
        if (leader.state != Task.State.ZOMBIE) {
            futex.forget(leader);
            leader.wakeHook = null;
            sched.cancelTimeout(leader);
            leader.uninterruptible = false;
            if (--leader.files.users == 0) {
                leader.files.closeAll();
            }
            if (leader.mm != null) {
                releaseMm(leader.mm);
            }
            sched.exited(leader);
            g.live.remove(leader);
        }
        leader.files = t.files;
        t.files = new microlith.kernel.task.FdTable(filp);
        leader.mm = t.mm;
        t.mm = null;
        leader.setUid(t.uid());
        leader.setGid(t.gid());
        leader.sigMask = t.sigMask;
        leader.pending = t.pending;
        System.arraycopy(t.sigCode, 0, leader.sigCode, 0, t.sigCode.length);
        System.arraycopy(t.sigValue, 0, leader.sigValue, 0, t.sigValue.length);
        leader.cwd = t.cwd;
        leader.umask = t.umask;
        leader.fsShare = t.fsShare;
        leader.nice = t.nice;
        leader.exitStatus = 0;
        leader.sleepUntil = 0;
        leader.parkedInSyscall = false;
        leader.savedMask = -1;
        leader.sigWaitSet = 0;
        leader.vforkParent = t.vforkParent;
        t.vforkParent = null;
        leader.state = Task.State.RUNNABLE;
        sched.add(leader);
        g.live.add(0, leader);
        t.clearChildTid = 0;
        t.robustList = 0;
        exitThread(t, 0);
        return leader;
    }

    private static final int SS_DISABLE = 2;

    /** A vfork child has exec'd or exited: its parent wakes with the child's pid. */
    private void releaseVforkParent(Task t) {
        Task p = t.vforkParent;
        if (p != null) {
            t.vforkParent = null;
            p.uninterruptible = false;
            sched.wake(p);
        }
    }

    /** Drops one user of an address space; the last one frees it. */
    private void releaseMm(AddressSpace mm) {
        if (--mm.users > 0) {
            return;
        }
        if ((cpu.cr3() & ~0xfffL) == mm.pml4) {
            // Never keep a page table loaded that is about to be freed.
            cpu.writeCr(3, kernelPml4);
        }
        mm.destroy();
    }

    /**
     * exit_group, or death by signal: every thread of t's process ends, and the process
     * with them, with a wait status (exit code &lt;&lt; 8, or a signal number).
     */
    public void exit(Task t, int waitStatus) {
        if (t.state == Task.State.ZOMBIE) {
            return;
        }
        microlith.kernel.task.ThreadGroup g = t.group;
        if (!g.exiting) {
            g.exiting = true;
            g.exitStatus = waitStatus;
        }
        killOtherThreads(t);
        exitThread(t, waitStatus);
    }

    /** Ends every thread of t's group but t (exit_group, execve's de_thread). */
    private void killOtherThreads(Task t) {
        for (Task o : new java.util.ArrayList<>(t.group.live)) {
            if (o != t) {
                exitThread(o, t.group.exitStatus);
            }
        }
    }

    /**
     * exit(2): this thread ends. Its robust futexes and clear_child_tid word are released
     * (when its address space is the one loaded, so the writes land in the right memory),
     * a vfork parent wakes, and the files and memory it shared lose a user. When it was
     * the last thread of its process, the process dies: its leader becomes the zombie the
     * parent reaps, and the parent hears of it.
     */
    public void exitThread(Task t, int waitStatus) {
        if (t.state == Task.State.ZOMBIE) {
            return;
        }
        microlith.kernel.task.ThreadGroup g = t.group;
        t.exitStatus = waitStatus;
        futex.forget(t);
        t.wakeHook = null;
        t.uninterruptible = false;
        if (t.mm != null && (cpu.cr3() & ~0xfffL) == t.mm.pml4) {
            futex.exitRelease(t);
        }
        releaseVforkParent(t);
        if (--t.files.users == 0) {
            t.files.closeAll();
        }
        if (t.mm != null) {
            releaseMm(t.mm);
            t.mm = null;
        }
        sched.exited(t);
        exitHook.accept(t);
        g.live.remove(t);
        if (t != g.leader) {
            // Nobody waits for a thread: it is freed once the CPU has left its stack.
            deadThreads.add(t);
        }
        if (!g.live.isEmpty()) {
            return;
        }
        Task leader = g.leader;
        locks.releaseOwner(leader.pid);
        // The process is gone: a process group it leaves orphaned with stopped members gets SIGHUP and SIGCONT.
        signals.jobs.exiting(leader);
        if (g.exiting) {
            leader.exitStatus = g.exitStatus;
        }
        if (leader.pid == 1) {
            initStatus = shellStatus(leader.exitStatus);
            initWaitStatus = leader.exitStatus;
            initExited = true;
        }
        // Orphans go to init, which reaps them; the parent hears of the death.
        Task init = sched.find(1);
        for (Task c : sched.all()) {
            if (c.parent == leader) {
                c.parent = init != null && init != leader ? init : null;
                if (c.state == Task.State.ZOMBIE && c.parent != null) {
                    c.parent.childWait.wakeAll(sched);
                }
            }
        }
        if (leader.parent != null) {
            leader.parent.childWait.wakeAll(sched);
            if (leader.exitSignal != 0) {
                signals.sendToProcess(leader.parent, leader.exitSignal, 1 /* CLD_EXITED */, leader.pid);
            }
        }
        leader.pidfdWait.wakeAll(sched);
        // The leader's kernel stack stays until it is reaped: its pt_regs hold the status.
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
        // The whole thread group goes: a thread of it inside a server call holds the kill for all.
        boolean held = false;
        for (Task o : t.group.live) {
            if (o.ipcCallsInFlight > 0) {
                o.pending |= 1L << (Signals.SIGKILL - 1);
                held = true;
            }
        }
        if (held || t.ipcCallsInFlight > 0) {
            t.pending |= 1L << (Signals.SIGKILL - 1);
            return;
        }
        exit(t, sig | (Signals.dumpsCore(sig) ? 0x80 : 0));
    }

    /** Sends a signal from kill(2) or the kernel (SIGPIPE): see {@link SignalDelivery#send}. */
    public void sendSignal(Task t, int sig) {
        signals.sendToProcess(t, sig, SignalDelivery.SI_USER, 0);
    }

    /** The status a shell reports for a wait status: the exit code, or 128 + signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }
}
