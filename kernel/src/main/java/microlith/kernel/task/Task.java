package microlith.kernel.task;

import microlith.kernel.arch.PtRegs;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;

/**
 * A task (Linux's task_struct): a thread, which with the others of its {@link
 * ThreadGroup} makes a process. Its user register state lives in simulated memory, in
 * the pt_regs at the top of its kernel stack; the rest is kernel bookkeeping. Threads
 * of one process share the address space, the descriptor table and the signal handler
 * table of the task that created them (clone's CLONE_VM, CLONE_FILES, CLONE_SIGHAND).
 */
public final class Task {
    public enum State { RUNNABLE, SLEEPING, STOPPED, ZOMBIE }

    public static final int KSTACK_PAGES = 4;

    public final int pid;
    public String comm;
    public Task parent;
    public AddressSpace mm;
    /** Set by the process manager as the task is made (its own, empty) or cloned. */
    public FdTable files;
    /** wait4 callers asleep until a child of this task changes state. */
    public final WaitQueue childWait = new WaitQueue();
    /** Tasks waiting in read or poll of a signalfd for this task's signals: a new one wakes them. */
    public final WaitQueue signalfdWait = new WaitQueue();
    /** Tasks polling a pidfd of this process (its leader's): woken when the process exits. */
    public final WaitQueue pidfdWait = new WaitQueue();
    public State state = State.RUNNABLE;
    /** Wait status as wait4 reports it: (code &lt;&lt; 8) for exit, the signal number for a kill. */
    public int exitStatus;
    public long fsBase;
    /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits. */
    public long clearChildTid;
    /** The thread group (process) this task belongs to; getpid() is its leader's pid. */
    public ThreadGroup group;
    /** The signal clone asked for at this child's death (CSIGNAL); 0 sends none. */
    public int exitSignal = Signals.SIGCHLD;
    /** set_robust_list: head of the user's robust futex list and its length. */
    public long robustList;
    public long robustLen;
    /** rseq(2): the registered struct rseq (0 for none), its length and signature. */
    public long rseq;
    public int rseqLen;
    public int rseqSig;
    /** Set when the task was switched out or registered: the next return to user mode runs rseq's fix-up. */
    public boolean rseqResume;
    /** sigaltstack: the alternate signal stack (ss_sp, ss_size, ss_flags). */
    public long altStackSp;
    public long altStackSize;
    public int altStackFlags = 2; // SS_DISABLE
    /** A CLONE_VFORK child's parent, asleep until this task execs or exits. */
    public Task vforkParent;
    /** Asleep in a way no signal but SIGKILL ends (a vfork parent). */
    public boolean uninterruptible;
    /**
     * Parked to be continued, not restarted: syscall_exit stores the call's result in
     * pt_regs as for a finished call, and the waker may overwrite it (futex, vfork).
     */
    public boolean parkWithResult;
    /** Run once when the task is woken from its current sleep (a futex wait's clean-up). */
    public Runnable wakeHook;
    /** rt_sigtimedwait: signals that wake this sleeping task though it blocks them. */
    public long sigWaitSet;
    /** getrlimit/setrlimit: RLIM_NLIMITS pairs of (soft, hard); null means the defaults. */
    public long[] rlimits;
    public String cwd = "/";
    /** Tasks with the same token share cwd and umask (CLONE_FS; Linux's fs_struct). */
    public Object fsShare = new Object();
    /** The executable the task runs (/proc/PID/exe), null for kernel-made tasks. */
    public String exe;
    /** Process group and session (job control). */
    public int pgid;
    public int sid;
    public int umask = 022;
    /** The nice value getpriority/setpriority see (-20..19); the scheduler ignores it. */
    public int nice;
    /** Memory the task's struct cred lives in (see {@link #uid()}). */
    private final microlith.hw.PhysicalMemory mem;
    public String[] argv = new String[0];
    public long sigMask;
    /** Pending signals (bit sig-1), with each one's si_code and address or sender. */
    public long pending;
    public final int[] sigCode = new int[65];
    public final long[] sigValue = new long[65];
    /** The task's pt_regs were rewound to re-execute a parked system call. */
    public boolean parkedInSyscall;
    /**
     * A handled signal ends the parked call with EINTR even under SA_RESTART: pause,
     * sigsuspend and the calls signal(7) lists as never restarted after a handler (poll,
     * select, epoll_wait, nanosleep and their variants).
     */
    public boolean parkedNoRestart;
    /**
     * What the parked call writes back when a handler interrupts it (nanosleep's remaining
     * time, select's updated timeout), as Linux's restart_block keeps it; reset at each entry.
     */
    public Runnable onInterrupt;
    /** rt_sigsuspend's saved mask, restored after the handler runs (or -1). */
    public long savedMask = -1;
    /** Job control: the signal that stopped the task, and the stop or continue wait4 still owes its parent. */
    public int stopSignal;
    /**
     * Another thread of the group took a stop signal: this one stops on its way back to
     * user mode (Linux's JOBCTL_STOP_PENDING), since a stop stops the whole process.
     */
    public boolean groupStopPending;
    public boolean stopUnreported;
    public boolean contUnreported;
    /** nanosleep's wake-up time in simulated nanoseconds since boot, or 0 when not sleeping. */
    public long sleepUntil;

    /** A ring-3 server of the microkernel model (a module's process). */
    public boolean server;
    /** The server is running a handler: never preempted until it replies (DESIGN.md). */
    public boolean serverBusy;
    /**
     * Waiting in SYS_IPC_REPLY_RECV: a request or notification resumes it with the message
     * in its IPC buffer, instead of the call being re-executed as a parked call would be.
     */
    public boolean ipcReceive;
    /**
     * IPC calls in flight on this task's behalf: a kernel routine working for it (its
     * system call) lent the CPU to a server and waits for the reply. While this is
     * non-zero the task cannot be torn down; a kill waits (ProcessManager.kill).
     */
    public int ipcCallsInFlight;
    /** I/O ports this task may use from ring 3, as [first, last] pairs (a server's grants). */
    public final java.util.List<int[]> ioPorts = new java.util.ArrayList<>();

    /** Physical base of the kernel stack (KSTACK_PAGES contiguous pages). */
    public final long kstackPhys;
    /**
     * Where the signal handler table in use lives: this task's own (in its kernel stack)
     * or, after CLONE_SIGHAND, the one of the task it shares with.
     */
    private Task sighandOwner = this;
    /** How many other tasks use this task's handler table (CLONE_SIGHAND). */
    public int sighandSharers;
    /** Reaped: the kernel stack goes back to the allocator once no one shares its handler table. */
    public boolean freed;

    /*
     * The bottom of the kernel stack, in simulated memory:
     *
     *   kstackPhys + 0x000  FXSAVE area, 512 bytes (fpuArea)
     *   kstackPhys + 0x200  struct cred { u32 uid; u32 gid; }
     *   kstackPhys + 0x240  struct k_sigaction[65] { u64 handler, flags, restorer, mask; }
     *   ...                 free, then the stack grows down from kstackTop
     *
     * Credentials live where a kernel memory bug can reach them, as on hardware (and as
     * Linux's thread_info once shared the stack): overflowing the kernel stack or a wild
     * module write to this address changes who the process is.
     */
    public static final int CRED = 0x200;
    /** The signal handler table (Linux's sighand_struct), 65 entries of 32 bytes. */
    public static final int SIGHAND = 0x240, SIGACTION_BYTES = 32, NSIG = 65;

    public Task(microlith.hw.PhysicalMemory mem, int pid, String comm, long kstackPhys) {
        this.mem = mem;
        this.pid = pid;
        this.comm = comm;
        this.kstackPhys = kstackPhys;
        this.pgid = pid;
        this.sid = pid;
    }

    /** The user id (real and effective are one here). */
    public int uid() {
        return mem.read32(kstackPhys + CRED);
    }

    public int gid() {
        return mem.read32(kstackPhys + CRED + 4);
    }

    public void setUid(int uid) {
        mem.write32(kstackPhys + CRED, uid);
    }

    public void setGid(int gid) {
        mem.write32(kstackPhys + CRED + 4, gid);
    }

    /**
     * One field of a signal's k_sigaction: 0 handler (SIG_DFL 0, SIG_IGN 1), 1 sa_flags,
     * 2 sa_restorer, 3 sa_mask.
     */
    public long sigaction(int sig, int field) {
        return mem.read64(sighandOwner.kstackPhys + SIGHAND + (long) sig * SIGACTION_BYTES + field * 8L);
    }

    public void setSigaction(int sig, int field, long value) {
        mem.write64(sighandOwner.kstackPhys + SIGHAND + (long) sig * SIGACTION_BYTES + field * 8L, value);
    }

    /** The four fields of a signal's k_sigaction. */
    public long[] sigactionCopy(int sig) {
        long[] a = new long[4];
        for (int i = 0; i < 4; i++) {
            a[i] = sigaction(sig, i);
        }
        return a;
    }

    /** fork: the child starts with a copy of the parent's handlers. */
    public void copySigactionsFrom(Task parent) {
        byte[] table = new byte[NSIG * SIGACTION_BYTES];
        mem.readBytes(parent.sighandOwner.kstackPhys + SIGHAND, table, 0, table.length);
        mem.writeBytes(kstackPhys + SIGHAND, table, 0, table.length);
    }

    /** CLONE_SIGHAND: this new task uses other's handler table. */
    public void shareSigactionsWith(Task other) {
        sighandOwner = other.sighandOwner;
        sighandOwner.sighandSharers++;
    }

    /**
     * Stops using a shared handler table (execve, or the task is freed). With copy, the
     * table's contents are kept in this task's own. Returns the owner whose kernel stack
     * may now be freed, or null.
     */
    public Task unshareSigactions(boolean copy) {
        if (sighandOwner == this) {
            return null;
        }
        Task owner = sighandOwner;
        if (copy) {
            copySigactionsFrom(this);
        }
        sighandOwner = this;
        owner.sighandSharers--;
        return owner;
    }

    /** The thread group id: getpid(). */
    public int tgid() {
        return group == null ? pid : group.leader.pid;
    }

    /** Whether this task leads its thread group (is what wait4 and ps see as a process). */
    public boolean isLeader() {
        return group == null || group.leader == this;
    }

    /** execve: caught signals go back to SIG_DFL (their handlers are gone); ignored stay ignored. */
    public void flushSignalHandlers() {
        for (int sig = 1; sig < NSIG; sig++) {
            if (sigaction(sig, 0) != 1) {
                for (int f = 0; f < 4; f++) {
                    setSigaction(sig, f, 0);
                }
            }
        }
    }

    /** Kernel virtual address of struct cred. */
    public long cred() {
        return Layout.va(kstackPhys) + CRED;
    }

    /** Virtual address just above the kernel stack (the TSS RSP0 value). */
    public long kstackTop() {
        return Layout.va(kstackPhys) + KSTACK_PAGES * Layout.PAGE_SIZE;
    }

    /**
     * The task's FXSAVE area (512 bytes) at the bottom of its kernel stack, far below
     * anything the entry code pushes.
     */
    public long fpuArea() {
        return Layout.va(kstackPhys);
    }

    /** Where this task's pt_regs live. */
    public long ptRegs() {
        return kstackTop() - PtRegs.SIZE;
    }

    @Override
    public String toString() {
        return comm + "[" + pid + "]";
    }
}
