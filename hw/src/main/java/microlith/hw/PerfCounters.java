package microlith.hw;

/**
 * Architectural event counters (DESIGN.md invariant 7). Plain fields: the machine runs on
 * one thread, and the hot paths increment them directly.
 *
 * <p>The counters also say where the cycles went. The kernel names the part of the system
 * that runs ({@link #attribute}: a program, the core, a server, the IPC path) at the few
 * points where that changes - kernel entry, the return to user mode, the IPC path - and
 * the cycles between two such points are that part's. Copies between address spaces and
 * idle time are read off their own counters wherever they happen. The parts always add
 * up to {@link #cycles()}.
 */
public final class PerfCounters {
    /** Parts of the system that cycles are attributed to (indices of {@link #breakdown()}). */
    public static final int USER = 0;
    public static final int CORE = 1;
    public static final int SERVERS = 2;
    public static final int IPC = 3;
    public static final int COPIES = 4;
    public static final int IDLE = 5;
    public static final String[] PARTS = {"user", "core", "servers", "ipc", "copies", "idle"};

    public long instructions;
    public long syscalls;
    public long sysrets;
    public long exceptions;
    public long interrupts;
    public long cr3Writes;
    public long tlbHits;
    public long tlbMisses;
    public long tlbFlushes;
    public long pageWalks;
    public long javaCalls;
    /** Cycles spent halted (HLT) waiting for an interrupt. */
    public long idleCycles;
    public long portIo;
    public long contextSwitches;
    /** Messages delivered to a server (requests) and replies returned from one. */
    public long ipcMessages;
    /** Asynchronous notifications (IRQs, timers) delivered to servers. */
    public long notifications;
    /** Grant copies between address spaces (MINIX 3 safecopies), and the bytes they moved. */
    public long grantCopies;
    public long grantBytes;
    /** The deepest nesting of synchronous calls into servers. */
    public long ipcNestingMax;
    /** TSS I/O bitmap reloads on switching to a task with other ports. */
    public long ioBitmapReloads;
    public long bytesCopied;
    /** System calls dispatched by the kernel's entry code (SYSCALL instructions that reached it). */
    public long syscallDispatches;
    /** Pathname components looked up by the VFS (one per step of a path walk). */
    public long pathComponents;
    /** 4 KiB pages cleared by the kernel (fresh pages) and copied (copy-on-write breaks). */
    public long pagesZeroed;
    public long pagesCopied;
    /** Bytecodes run by Java kernel modules (counted by the loader's instrumentation). */
    public long moduleBytecodes;
    /** Of those, the ones run at CPL 0 (none in the microkernel model). */
    public long moduleBytecodesRing0;

    /** Cycles of USER, CORE, SERVERS and IPC closed so far; the open period is the current part's. */
    private final long[] attributed = new long[4];
    private int part = CORE;
    /** {@link CostModel#timeSliced} at the start of the open period. */
    private long mark;

    /** Simulated cycles, from the one cost model. */
    public long cycles() {
        return CostModel.cycles(this);
    }

    /**
     * From now on cycles belong to part next (USER, CORE, SERVERS or IPC). The last
     * {@code carried} cycles already counted go with it too: the SYSCALL or exception
     * that entered the kernel is the kernel's cost, though the CPU counted it before the
     * kernel could say so.
     */
    public void attribute(int next, long carried) {
        long now = CostModel.timeSliced(this);
        long start = Math.max(mark, now - carried);
        attributed[part] += start - mark;
        mark = start;
        part = next;
    }

    /** The part cycles are attributed to now. */
    public int part() {
        return part;
    }

    /**
     * Cycles per part, indexed by {@link #USER} ... {@link #IDLE}; the open period counts
     * for the current part. The entries add up to {@link #cycles()}.
     */
    public long[] breakdown() {
        long[] b = new long[PARTS.length];
        System.arraycopy(attributed, 0, b, 0, attributed.length);
        b[part] += CostModel.timeSliced(this) - mark;
        b[COPIES] = CostModel.copyCycles(this);
        b[IDLE] = idleCycles;
        return b;
    }

    /** A snapshot of the counters now (e.g. at the end of boot). */
    public PerfCounters copy() {
        return since(new PerfCounters());
    }

    /** The events counted since {@code earlier}, a snapshot of these counters. */
    public PerfCounters since(PerfCounters earlier) {
        PerfCounters d = new PerfCounters();
        d.instructions = instructions - earlier.instructions;
        d.syscalls = syscalls - earlier.syscalls;
        d.sysrets = sysrets - earlier.sysrets;
        d.exceptions = exceptions - earlier.exceptions;
        d.interrupts = interrupts - earlier.interrupts;
        d.cr3Writes = cr3Writes - earlier.cr3Writes;
        d.tlbHits = tlbHits - earlier.tlbHits;
        d.tlbMisses = tlbMisses - earlier.tlbMisses;
        d.tlbFlushes = tlbFlushes - earlier.tlbFlushes;
        d.pageWalks = pageWalks - earlier.pageWalks;
        d.javaCalls = javaCalls - earlier.javaCalls;
        d.idleCycles = idleCycles - earlier.idleCycles;
        d.portIo = portIo - earlier.portIo;
        d.contextSwitches = contextSwitches - earlier.contextSwitches;
        d.ipcMessages = ipcMessages - earlier.ipcMessages;
        d.bytesCopied = bytesCopied - earlier.bytesCopied;
        d.moduleBytecodes = moduleBytecodes - earlier.moduleBytecodes;
        d.moduleBytecodesRing0 = moduleBytecodesRing0 - earlier.moduleBytecodesRing0;
        d.notifications = notifications - earlier.notifications;
        d.grantCopies = grantCopies - earlier.grantCopies;
        d.grantBytes = grantBytes - earlier.grantBytes;
        d.ioBitmapReloads = ioBitmapReloads - earlier.ioBitmapReloads;
        d.syscallDispatches = syscallDispatches - earlier.syscallDispatches;
        d.pathComponents = pathComponents - earlier.pathComponents;
        d.pagesZeroed = pagesZeroed - earlier.pagesZeroed;
        d.pagesCopied = pagesCopied - earlier.pagesCopied;
        // The snapshot's parts are closed: the difference of both breakdowns, nothing open.
        long[] now = breakdown();
        long[] then = earlier.breakdown();
        for (int i = 0; i < d.attributed.length; i++) {
            d.attributed[i] = now[i] - then[i];
        }
        d.part = part;
        d.mark = CostModel.timeSliced(d);
        // A maximum, not a count: the deepest nesting in the period is at most this.
        d.ipcNestingMax = ipcNestingMax;
        return d;
    }

    public String summary() {
        return String.format(
            "instructions=%d cycles=%d idle_cycles=%d syscalls=%d exceptions=%d interrupts=%d "
                + "context_switches=%d cr3_writes=%d tlb_hits=%d tlb_misses=%d tlb_flushes=%d page_walks=%d "
                + "java_calls=%d port_io=%d bytes_copied=%d module_bytecodes=%d module_bytecodes_ring0=%d "
                + "ipc_messages=%d notifications=%d grant_copies=%d grant_bytes=%d ipc_nesting_max=%d "
                + "io_bitmap_reloads=%d syscall_dispatches=%d path_components=%d pages_zeroed=%d pages_copied=%d "
                + "%s",
            instructions, cycles(), idleCycles, syscalls, exceptions, interrupts, contextSwitches, cr3Writes,
            tlbHits, tlbMisses, tlbFlushes, pageWalks, javaCalls, portIo, bytesCopied, moduleBytecodes,
            moduleBytecodesRing0, ipcMessages, notifications, grantCopies, grantBytes, ipcNestingMax, ioBitmapReloads,
            syscallDispatches, pathComponents, pagesZeroed, pagesCopied, breakdownSummary());
    }

    private String breakdownSummary() {
        long[] b = breakdown();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            sb.append(i == 0 ? "" : " ").append("cycles_").append(PARTS[i]).append('=').append(b[i]);
        }
        return sb.toString();
    }
}
