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
 *   <li>{@link #TLB_FLUSH}: a CR3 write without PCIDs: the flush itself (the refill is
 *       charged as page walks).</li>
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
 * </ul>
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

    private CostModel() {
    }

    public static long cycles(PerfCounters c) {
        return c.instructions * INSTRUCTION
            + c.syscalls * SYSCALL
            + (c.exceptions + c.interrupts) * EXCEPTION
            + c.pageWalks * PAGE_WALK
            + c.cr3Writes * TLB_FLUSH
            + c.portIo * PORT_IO
            + c.javaCalls * JAVA_CALL
            + c.moduleBytecodes * MODULE_BYTECODE
            + c.ipcMessages * IPC_MESSAGE
            + c.grantCopies * GRANT_COPY
            + c.bytesCopied / BYTES_PER_CYCLE
            + c.idleCycles;
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
