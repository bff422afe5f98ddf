package microlith.hw.cpu;

import java.util.function.BooleanSupplier;
import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.io.IoBus;
import microlith.hw.mmu.Mmu;

/**
 * One x86-64 long-mode CPU as the rest of the machine and the kernel see it: registers,
 * MSRs, control registers, memory through the MMU, ports, and running. Every method
 * performs the privilege checks the corresponding instruction does.
 *
 * <p>The execution engine behind it ({@link Core}) keeps its state in public fields for the
 * instruction handlers of the subpackages; only this facade is ever handed out, so code
 * outside hw sees the machine the way real kernel code does.
 */
public final class Cpu {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    /** CR0 bits used here. */
    public static final long CR0_PE = 1L, CR0_WP = 1L << 16, CR0_PG = 1L << 31;
    /** CR4 bits used here. */
    public static final long CR4_PAE = 1L << 5, CR4_PGE = 1L << 7, CR4_OSFXSR = 1L << 9, CR4_PCIDE = 1L << 17;
    /** CR4.SMEP (bit 20) and CR4.SMAP (bit 21): supervisor fetches from, and accesses to, user pages fault. */
    public static final long CR4_SMEP = 1L << 20, CR4_SMAP = 1L << 21;

    private final Core core;
    public final PerfCounters perf;

    public Cpu(PhysicalMemory mem, IoBus io, PerfCounters perf) {
        this.perf = perf;
        this.core = new Core(this, mem, io, perf);
    }

    /** The engine, for hw's own code (FXSAVE for the kernel, tests). */
    Core core() {
        return core;
    }

    // ---------------------------------------------------------------- registers

    public long reg(int n) {
        return core.r[n];
    }

    public void setReg(int n, long v) {
        core.r[n] = v;
    }

    public long rip() {
        return core.rip;
    }

    public void setRip(long v) {
        core.rip = v;
    }

    public long rflags() {
        return core.flags.get();
    }

    public void setRflags(long v) {
        core.flags.set((v & Flags.WRITABLE) | Flags.FIXED1);
    }

    public int cpl() {
        return core.cpl;
    }

    public int cs() {
        return core.cs;
    }

    public int ss() {
        return core.ss;
    }

    public long cr2() {
        return core.cr2;
    }

    public long cr3() {
        return core.cr3;
    }

    public long fsBase() {
        return core.fsBase;
    }

    public long gsBase() {
        return core.gsBase;
    }

    public long xmmLow(int n) {
        return core.xmm[2 * n];
    }

    public long xmmHigh(int n) {
        return core.xmm[2 * n + 1];
    }

    public void setXmm(int n, long lo, long hi) {
        core.xmm[2 * n] = lo;
        core.xmm[2 * n + 1] = hi;
    }

    public Mmu mmu() {
        return core.mmu;
    }

    public PhysicalMemory memory() {
        return core.mem;
    }

    public JavaCallGate javaCallGate() {
        return core.gate;
    }

    public boolean halted() {
        return core.halted;
    }

    // ---------------------------------------------------------------- the board's side

    public void setInterruptController(InterruptController c) {
        core.intc = c;
    }

    /** The external INTR line changed: look at it at the next instruction boundary. */
    public void interruptLineChanged() {
        core.eventPending = true;
    }

    public void requestStop(String reason) {
        core.stopReason = reason;
        core.eventPending = true;
    }

    public String stopReason() {
        return core.stopReason;
    }

    public void clearStop() {
        core.stopReason = null;
    }

    /**
     * Puts the CPU in 64-bit mode at CPL 0 the way a boot loader leaves it for a 64-bit
     * kernel entry (Linux boot protocol, "64-bit boot protocol"): paging on with the given
     * CR3, interrupts off, RSI holding the boot-parameters address.
     */
    public void resetToLongMode(long cr3, long entry, long bootParams, long gdtBase, int gdtLimit) {
        core.resetToLongMode(cr3, entry, bootParams, gdtBase, gdtLimit);
    }

    // ---------------------------------------------------------------- privileged operations

    public long readCr(int n) {
        return core.readCr(n);
    }

    public void writeCr(int n, long v) {
        core.writeCr(n, v);
    }

    public long rdmsr(int msr) {
        return core.rdmsr(msr);
    }

    public void wrmsr(int msr, long v) {
        core.wrmsr(msr, v);
    }

    public long tsc() {
        return core.tsc();
    }

    public void lgdt(long base, int limit) {
        core.lgdt(base, limit);
    }

    public void lidt(long base, int limit) {
        core.lidt(base, limit);
    }

    /** LTR: loads TR and caches the 16-byte TSS descriptor's base and limit. */
    public void ltr(int selector) {
        core.ltr(selector);
    }

    public int in(int port, int size) {
        return core.in(port, size);
    }

    public void out(int port, int size, int value) {
        core.out(port, size, value);
    }

    public void invlpg(long linear) {
        core.invlpg(linear);
    }

    public void swapgs() {
        core.swapgs();
    }

    /** STAC: RFLAGS.AC = 1, so explicit supervisor accesses may reach user pages under SMAP. */
    public void stac() {
        core.stac();
    }

    /** CLAC: RFLAGS.AC = 0. */
    public void clac() {
        core.clac();
    }

    /** INVPCID type, [desc]: see {@link Core#invpcid}. */
    public void invpcid(long type, long desc) {
        core.invpcid(type, desc);
    }

    // ---------------------------------------------------------------- memory at the current CPL

    public int read8(long la) {
        return core.read8(la);
    }

    public int read16(long la) {
        return core.read16(la);
    }

    public int read32(long la) {
        return core.read32(la);
    }

    public long read64(long la) {
        return core.read64(la);
    }

    public void write8(long la, int v) {
        core.write8(la, v);
    }

    public void write16(long la, int v) {
        core.write16(la, v);
    }

    public void write32(long la, int v) {
        core.write32(la, v);
    }

    public void write64(long la, long v) {
        core.write64(la, v);
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs until {@code maxInstructions} more have retired, the CPU halts, or something
     * needs the board's attention. Exceptions are delivered through the IDT.
     */
    public void run(long maxInstructions) {
        core.run(maxInstructions);
    }

    /** Runs one instruction (for tests); exceptions are delivered as in {@link #run}. */
    public void step() {
        core.run(1);
    }

    /** Executes one instruction and lets an exception escape instead of delivering it. */
    public void stepRaw() {
        core.stepRaw();
    }

    /**
     * Turns block translation on or off (on by default unless the system property
     * {@code microlith.translate} is false). Either way the machine computes the same
     * results and counts; tests run programs both ways and compare.
     */
    public void setTranslation(boolean on) {
        core.setTranslation(on);
    }

    /** Arrivals at an entry before it is translated (tests lower it). */
    public void setTranslationThreshold(int arrivals) {
        core.setTranslationThreshold(arrivals);
    }

    // ---------------------------------------------------------------- nested runs

    /**
     * The board around the CPU: what happens between two slices of execution (devices
     * tick, timers fire, input arrives). {@link microlith.hw.Machine} implements it; a
     * nested run uses it so that time and interrupts go on while it runs.
     */
    public interface Board {
        /**
         * Runs the CPU for one slice and lets the devices catch up. Returns false when the
         * machine must stop (power off, a stop request, the instruction limit, shutdown).
         */
        boolean slice();
    }

    private Board board;
    private int nesting;

    public void setBoard(Board b) {
        this.board = b;
    }

    /**
     * Runs the machine from inside a Java routine until {@code done} holds: the
     * migrating-thread call of DESIGN.md, where the kernel lends the CPU to a server (or a
     * server makes a system call) and continues once it has answered. Returns true when
     * done, false if the machine has to stop first; the caller then restores its own
     * state and fails its operation.
     */
    public boolean runNested(BooleanSupplier done) {
        if (board == null) {
            throw new IllegalStateException("no board to run on");
        }
        nesting++;
        try {
            while (!done.getAsBoolean()) {
                if (core.stopReason != null || !board.slice()) {
                    requestYield();
                    return false;
                }
            }
            return true;
        } finally {
            nesting--;
        }
    }

    /** How many {@link #runNested} calls are active (0 in the outermost loop). */
    public int nesting() {
        return nesting;
    }

    /**
     * Ends the current slice after the instruction being executed: a Java routine whose
     * work completed a nested run calls this so nothing else runs before the caller of
     * {@link #runNested} sees it.
     */
    public void requestYield() {
        core.requestYield();
    }
}
