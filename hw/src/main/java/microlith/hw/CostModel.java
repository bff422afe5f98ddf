package microlith.hw;

/**
 * The single cost model that turns counted events into simulated cycles.
 *
 * <p>Simulated time is {@code cycles / CLOCK_HZ}. The constants are round figures of
 * the right order of magnitude for a recent x86-64 core without speculative-execution
 * mitigations, so that the OS-model comparison weighs events in the right proportions;
 * the point is relative cost, not cycle accuracy. docs/cost-model.md gives the
 * reasoning and the kind of measurement each figure stands for.
 * <ul>
 *   <li>{@link #INSTRUCTION}: one cycle per retired instruction (an in-order
 *       simplification of the 1-4 instructions per cycle real cores sustain).</li>
 *   <li>{@link #SYSCALL}: the SYSCALL/SYSRET round trip itself: pipeline drain, mode and
 *       stack switch; lmbench-style null-call measurements put it near 100 cycles.</li>
 *   <li>{@link #EXCEPTION}: delivery through the IDT plus IRETQ, which is microcoded and
 *       slower than SYSRET; about twice a syscall.</li>
 *   <li>{@link #PAGE_WALK}: a four-level walk whose page-table entries hit in the data
 *       caches.</li>
 *   <li>{@link #TLB_FLUSH}: a TLB flush (a CR3 write without the no-flush bit, INVPCID of
 *       a context, a CR0/CR4 change): the flush itself; the refill is charged as page
 *       walks. A CR3 write that keeps the TLB (PCIDs, bit 63) costs only its instruction.</li>
 *   <li>{@link #PORT_IO}: an IN or OUT to a legacy ISA device such as the 16550, on the
 *       order of a microsecond on a real bus.</li>
 *   <li>{@link #JAVA_CALL}: entering a Java kernel routine costs nothing extra; the
 *       routine's work is charged through the events it causes.</li>
 *   <li>{@link #MODULE_BYTECODE}: a loaded module's Java code is instrumented at load and
 *       charged one cycle per bytecode it runs, the same order as a simple instruction.</li>
 *   <li>{@link #IPC_MESSAGE}: the kernel's own path for one IPC message (endpoint lookup,
 *       state changes, the message registers), on top of the SYSCALL, CR3 write and page
 *       walks each transfer also costs: seL4's fastpath runs in a few hundred cycles in all.</li>
 *   <li>{@link #GRANT_COPY}: checking a grant and walking both address spaces' tables.</li>
 *   <li>{@link #BYTES_PER_CYCLE}: bytes copied between address spaces (copy_to_user, grant
 *       copies), at the L1 bandwidth of a rep movsb on recent cores.</li>
 *   <li>{@link #SYSCALL_DISPATCH}: the kernel's own entry and exit code around a system
 *       call (saving and restoring pt_regs, the table lookup, the exit-work checks): about
 *       100 instructions in Linux's entry_SYSCALL_64, do_syscall_64 and
 *       syscall_exit_to_user_mode, charged at {@link #INSTRUCTION} each.</li>
 *   <li>{@link #PATH_COMPONENT}: one step of a path walk (hash the name, look it up in the
 *       dentry cache, check search permission): about 100 instructions of Linux's
 *       walk_component and its helpers.</li>
 *   <li>{@link #PAGE_ZERO} and {@link #PAGE_COPY}: a 4 KiB page cleared or copied by the
 *       kernel, at the same {@link #BYTES_PER_CYCLE} as any other copy.</li>
 * </ul>
 * The rules hold wherever the work is done: a system call a server makes is dispatched
 * like a program's, and a path is walked by the same core in every model.
 */
public final class CostModel {
    public static final long CLOCK_HZ = 1_000_000_000L;
    public static final long INSTRUCTION = 1;
    public static final long SYSCALL = 90;
    public static final long EXCEPTION = 220;
    public static final long PAGE_WALK = 25;
    public static final long TLB_FLUSH = 150;
    public static final long PORT_IO = 1000;
    public static final long JAVA_CALL = 0;
    public static final long MODULE_BYTECODE = 1;
    public static final long IPC_MESSAGE = 50;
    public static final long GRANT_COPY = 100;
    public static final long BYTES_PER_CYCLE = 16;
    public static final long SYSCALL_DISPATCH = 100;
    public static final long PATH_COMPONENT = 100;
    public static final long PAGE_SIZE = 4096;
    public static final long PAGE_ZERO = PAGE_SIZE / BYTES_PER_CYCLE;
    public static final long PAGE_COPY = PAGE_SIZE / BYTES_PER_CYCLE;

    private CostModel() {
    }

    public static long cycles(PerfCounters c) {
        return timeSliced(c) + copyCycles(c) + c.idleCycles;
    }

    /** The cycles of moving bytes between address spaces: per byte, and per grant checked. */
    public static long copyCycles(PerfCounters c) {
        return c.grantCopies * GRANT_COPY + c.bytesCopied / BYTES_PER_CYCLE;
    }

    /**
     * Every cycle that is neither a copy nor idle: what {@link PerfCounters#attribute}
     * divides between programs, the core, servers and the IPC path.
     */
    static long timeSliced(PerfCounters c) {
        return c.instructions * INSTRUCTION
            + c.syscalls * SYSCALL
            + (c.exceptions + c.interrupts) * EXCEPTION
            + c.pageWalks * PAGE_WALK
            + c.tlbFlushes * TLB_FLUSH
            + c.portIo * PORT_IO
            + c.javaCalls * JAVA_CALL
            + c.moduleBytecodes * MODULE_BYTECODE
            + c.ipcMessages * IPC_MESSAGE
            + c.syscallDispatches * SYSCALL_DISPATCH
            + c.pathComponents * PATH_COMPONENT
            + c.pagesZeroed * PAGE_ZERO
            + c.pagesCopied * PAGE_COPY;
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * Simulated nanoseconds for a cycle count, exact for every non-negative count:
     * whole seconds and the remainder are converted apart, so no intermediate product
     * can overflow (a plain {@code cycles * 10^9 / CLOCK_HZ} does after 9.2e9 cycles).
     */
    public static long nanos(long cycles) {
        return cycles / CLOCK_HZ * NANOS_PER_SECOND + cycles % CLOCK_HZ * NANOS_PER_SECOND / CLOCK_HZ;
    }

    /** The first cycle count whose {@link #nanos} is at least ns (for deadlines). */
    public static long cyclesFor(long nanos) {
        long c = nanos / NANOS_PER_SECOND * CLOCK_HZ
            + (nanos % NANOS_PER_SECOND * CLOCK_HZ + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return c;
    }
}
