package microlith.hw;

/**
 * The single cost model that turns counted events into simulated cycles.
 *
 * <p>Simulated time is {@code cycles / CLOCK_HZ}. Each constant is a round figure taken from
 * published measurements of a recent x86-64 core, so that the OS-model comparison weighs
 * events in the right proportions; the point is relative cost, not cycle accuracy.
 * <ul>
 *   <li>{@link #INSTRUCTION}: one cycle per retired instruction, an in-order simplification
 *       of the 1-4 IPC that Agner Fog's instruction tables give for simple integer ops.</li>
 *   <li>{@link #SYSCALL}: SYSCALL plus SYSRET round trip, about 70-100 cycles on Skylake-class
 *       cores without mitigations (Soares and Stumm, "FlexSC", OSDI 2010, Table 1 measured
 *       ~100 cycles of direct cost for a null call; Linux's own syscall benchmarks agree).</li>
 *   <li>{@link #EXCEPTION}: exception or interrupt delivery through the IDT and IRET,
 *       roughly 2-3x a SYSCALL (IRET is microcoded; ~200-250 cycles).</li>
 *   <li>{@link #PAGE_WALK}: a TLB miss walking four levels, ~20-30 cycles when the page
 *       tables hit in cache (Intel optimization manual, page-walk latency).</li>
 *   <li>{@link #TLB_FLUSH}: CR3 write without PCID, ~ 100-200 cycles of direct cost.</li>
 *   <li>{@link #PORT_IO}: an IN/OUT to an ISA device, ~1 microsecond on a real bus; we charge
 *       a legacy UART access as ~ 1000 cycles.</li>
 *   <li>{@link #JAVA_CALL}: entering a Java kernel routine is free beyond its instruction;
 *       the work a routine does is charged through the events it causes.</li>
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
            + c.idleCycles;
    }

    /** Simulated nanoseconds for a cycle count. */
    public static long nanos(long cycles) {
        return cycles * 1_000_000_000L / CLOCK_HZ;
    }
}
