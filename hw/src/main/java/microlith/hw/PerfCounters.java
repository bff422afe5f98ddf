package microlith.hw;

/**
 * Architectural event counters (DESIGN.md invariant 7). Plain fields: the machine runs on
 * one thread, and the hot paths increment them directly.
 */
public final class PerfCounters {
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
    /** Bytecodes run by Java kernel modules (counted by the loader's instrumentation). */
    public long moduleBytecodes;
    /** Of those, the ones run at CPL 0 (none in the microkernel model). */
    public long moduleBytecodesRing0;

    /** Simulated cycles, from the one cost model. */
    public long cycles() {
        return CostModel.cycles(this);
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
                + "io_bitmap_reloads=%d",
            instructions, cycles(), idleCycles, syscalls, exceptions, interrupts, contextSwitches, cr3Writes,
            tlbHits, tlbMisses, tlbFlushes, pageWalks, javaCalls, portIo, bytesCopied, moduleBytecodes,
            moduleBytecodesRing0, ipcMessages, notifications, grantCopies, grantBytes, ipcNestingMax, ioBitmapReloads);
    }
}
