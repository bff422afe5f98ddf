package microlith.kernel.proc;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Msr;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * clone and clone3 (Linux's kernel/fork.c copy_process): a new task that shares with its
 * creator what the flags say, from nothing (fork) to everything (a thread).
 *
 * <pre>
 * flag               shared or done                          glibc / musl / Rust use it for
 * CLONE_VM           the address space (mm_users + 1)        threads, posix_spawn, vfork
 * CLONE_FS           the working directory and umask         threads
 * CLONE_FILES        the descriptor table                    threads
 * CLONE_SIGHAND      the signal handler table                threads (needs CLONE_VM)
 * CLONE_THREAD       the thread group: getpid is the creator's, no exit signal (needs SIGHAND)
 * CLONE_VFORK        the creator sleeps until the child execs or exits
 * CLONE_PARENT       the child's parent is the creator's parent
 * CLONE_SETTLS       FS base = tls
 * CLONE_PARENT_SETTID, CLONE_CHILD_SETTID   the new tid stored at ptid / ctid
 * CLONE_CHILD_CLEARTID                      ctid zeroed and futex-woken at the child's exit
 * CLONE_SYSVSEM, CLONE_DETACHED, CLONE_PTRACE, CLONE_UNTRACED, CLONE_IO: accepted, no effect
 * namespaces, CLONE_PIDFD, CLONE_INTO_CGROUP, set_tid: refused with EINVAL (logged)
 * </pre>
 */
public final class Clone {
    public static final long CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400;
    public static final long CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000;
    public static final long CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000;
    public static final long CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000;
    public static final long CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000;
    public static final long CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000;
    public static final long CLONE_NEWCGROUP = 0x2000000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000;
    public static final long CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
    public static final long CLONE_IO = 0x80000000L, CLONE_CLEAR_SIGHAND = 0x100000000L;
    public static final long CLONE_INTO_CGROUP = 0x200000000L, CLONE_NEWTIME = 0x80;

    private static final long SUPPORTED = CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND
        | CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS
        | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID
        | CLONE_IO | CLONE_CLEAR_SIGHAND;

    private static final String[] NAMES = {
        "CLONE_PIDFD", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
        "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_INTO_CGROUP", "CLONE_NEWTIME"};
    private static final long[] BITS = {
        CLONE_PIDFD, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
        CLONE_NEWPID, CLONE_NEWNET, CLONE_INTO_CGROUP, CLONE_NEWTIME};

    /**
     * What the child is to be: flags (with the exit signal in CSIGNAL for clone), the new
     * stack pointer (0: the creator's), where to store the tid, and the TLS base.
     */
    public record Args(long flags, long stack, long parentTid, long childTid, long tls, boolean clone3) {
        public Args(long flags, long stack, long parentTid, long childTid, long tls) {
            this(flags, stack, parentTid, childTid, tls, false);
        }
    }

    private final ProcessManager pm;
    private final Cpu cpu;
    private final Scheduler sched;
    private final Uaccess uaccess;
    private final Printk log;

    Clone(ProcessManager pm, Cpu cpu, Scheduler sched, Uaccess uaccess, Printk log) {
        this.pm = pm;
        this.cpu = cpu;
        this.sched = sched;
        this.uaccess = uaccess;
        this.log = log;
    }

    /** The reason a flag combination is refused (Linux's EINVAL cases), or null. */
    public static String refusal(long flags, boolean clone3) {
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0 && !(BITS[i] == CLONE_NEWTIME && !clone3)) {
                return NAMES[i] + " is not supported";
            }
        }
        if ((flags & ~SUPPORTED & ~CLONE_NEWTIME) != 0) {
            return String.format("unknown flags 0x%x", flags & ~SUPPORTED & ~CLONE_NEWTIME);
        }
        if ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0) {
            return "CLONE_THREAD needs CLONE_SIGHAND";
        }
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) {
            return "CLONE_SIGHAND needs CLONE_VM";
        }
        if ((flags & CLONE_CLEAR_SIGHAND) != 0 && (flags & CLONE_SIGHAND) != 0) {
            return "CLONE_CLEAR_SIGHAND with CLONE_SIGHAND";
        }
        if (!clone3 && (flags & CLONE_CLEAR_SIGHAND) != 0) {
            return "CLONE_CLEAR_SIGHAND needs clone3";
        }
        if ((flags & CSIGNAL) > 64 && !clone3) {
            return "exit signal above 64";
        }
        return null;
    }

    /**
     * copy_process: the child, runnable, or null with a positive errno in err[0]. With
     * CLONE_VFORK the caller is left asleep (to be continued with the child's pid).
     */
    public Task clone(Task parent, Args a, int[] err) {
        long flags = a.flags();
        String why = refusal(flags, a.clone3());
        if (why != null) {
            log.info("%s[%d]: clone: %s (flags 0x%x), returning -EINVAL", parent.comm, parent.pid, why, flags);
            err[0] = Errno.EINVAL;
            return null;
        }
        if ((flags & CLONE_SETTLS) != 0 && !Layout.isUser(a.tls())) {
            err[0] = Errno.EPERM;
            return null;
        }
        if (pm.taskCount() >= ProcessManager.MAX_TASKS) {
            err[0] = Errno.EAGAIN;
            return null;
        }
        Task child = pm.newTask(parent.comm);
        if (child == null) {
            err[0] = Errno.ENOMEM;
            return null;
        }
        microlith.kernel.task.FdTable files = (flags & CLONE_FILES) != 0 ? parent.files : parent.files.copy();
        if (files == null) {
            pm.freeTask(child);
            err[0] = Errno.ENOMEM;
            return null;
        }
        boolean thread = (flags & CLONE_THREAD) != 0;
        Task leader = parent.group.leader;
        if (thread) {
            child.group = parent.group;
            child.group.live.add(child);
            child.parent = leader.parent;
            child.exitSignal = 0;
        } else {
            child.parent = (flags & CLONE_PARENT) != 0 ? leader.parent : leader;
            child.exitSignal = (int) (flags & CSIGNAL);
        }
        if ((flags & CLONE_VM) != 0) {
            child.mm = parent.mm;
            child.mm.users++;
        } else {
            child.mm = parent.mm.fork(pm.kernelPml4());
            // The parent's writable pages just became read-only: forget their old rights.
            cpu.writeCr(3, cpu.cr3());
            if (child.mm == null) {
                // No page for the copy's tables (the copy undid itself): nothing of the child remains but its
                // stack and its copy of the descriptors.
                if (files != parent.files) {
                    files.closeAll();
                }
                pm.freeTask(child);
                err[0] = Errno.ENOMEM;
                return null;
            }
        }
        child.files = files;
        if (files == parent.files) {
            files.users++;
        }
        if ((flags & CLONE_SIGHAND) != 0) {
            child.shareSigactionsWith(parent);
        } else {
            child.copySigactionsFrom(parent);
            if ((flags & CLONE_CLEAR_SIGHAND) != 0) {
                child.flushSignalHandlers();
            }
        }
        child.cwd = parent.cwd;
        if ((flags & CLONE_FS) != 0) {
            child.fsShare = parent.fsShare;
        }
        child.pgid = parent.pgid;
        child.sid = parent.sid;
        child.umask = parent.umask;
        child.nice = parent.nice;
        child.setUid(parent.uid());
        child.setGid(parent.gid());
        child.argv = parent.argv;
        child.exe = parent.exe;
        child.sigMask = parent.sigMask;
        long[] limits = parent.group.leader.rlimits;
        child.rlimits = thread || limits == null ? null : limits.clone();
        child.fsBase = (flags & CLONE_SETTLS) != 0 ? a.tls() : cpu.rdmsr(Msr.FS_BASE);
        if ((flags & CLONE_VM) != 0 && (flags & CLONE_VFORK) == 0) {
            // A new thread starts with no alternate signal stack; fork and vfork keep it.
        } else {
            child.altStackSp = parent.altStackSp;
            child.altStackSize = parent.altStackSize;
            child.altStackFlags = parent.altStackFlags;
        }
        if ((flags & CLONE_VM) == 0) {
            // A forked child keeps its registered rseq area, at the same address in its copy.
            child.rseq = parent.rseq;
            child.rseqLen = parent.rseqLen;
            child.rseqSig = parent.rseqSig;
        }
        long from = parent.ptRegs();
        long to = child.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            cpu.write64(to + off, cpu.read64(from + off));
        }
        cpu.write64(to + PtRegs.RAX, 0);
        if (a.stack() != 0) {
            cpu.write64(to + PtRegs.RSP, a.stack());
        }
        pm.switcher().copyFpu(parent, child);
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            child.clearChildTid = a.childTid();
        }
        // The tid stores are done as Linux does them, ignoring faults.
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            uaccess.putUser32(parent.mm, a.parentTid(), child.pid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            storeInChild(child, a.childTid());
        }
        sched.add(child);
        if ((flags & CLONE_VFORK) != 0) {
            child.vforkParent = parent;
            parent.uninterruptible = true;
            parent.parkWithResult = true;
            sched.sleep(parent);
        }
        return child;
    }

    /**
     * CLONE_CHILD_SETTID stores in the child's memory: the same pages when the address
     * space is shared, else the child's copy-on-write copy, reached with its CR3 loaded.
     */
    private void storeInChild(Task child, long addr) {
        long cr3 = cpu.cr3();
        if ((cr3 & ~0xfffL) == child.mm.pml4) {
            uaccess.putUser32(child.mm, addr, child.pid);
            return;
        }
        cpu.writeCr(3, child.mm.pml4);
        try {
            uaccess.putUser32(child.mm, addr, child.pid);
        } finally {
            cpu.writeCr(3, cr3);
        }
    }
}
