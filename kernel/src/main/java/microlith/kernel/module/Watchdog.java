package microlith.kernel.module;

import java.util.function.IntConsumer;
import microlith.hw.PerfCounters;

/**
 * Charges module bytecode to simulated time and stops module code that runs too long.
 *
 * <p>The instrumentation calls {@link #tick} with bytecode counts. While the kernel is
 * inside a module call, the call has a deadline in simulated cycles; past it, the module's
 * code is interrupted by {@link Expired}, the way Linux's soft-lockup watchdog reports a
 * CPU stuck in kernel code (here the kernel also gets its CPU back).
 */
final class Watchdog implements IntConsumer {
    /** Thrown through module code when its budget is spent; module code cannot name it. */
    static final class Expired extends Error {
        Expired() {
            super("soft lockup", null, false, false);
        }
    }

    private final PerfCounters perf;
    private final java.util.function.IntSupplier cpl;
    private long deadline = Long.MAX_VALUE;
    private int depth;
    private boolean expired;

    Watchdog(PerfCounters perf, java.util.function.IntSupplier cpl) {
        this.perf = perf;
        this.cpl = cpl;
    }

    @Override
    public void accept(int bytecodes) {
        perf.moduleBytecodes += bytecodes;
        if (cpl.getAsInt() == 0) {
            perf.moduleBytecodesRing0 += bytecodes;
        }
        if (depth > 0 && (expired || perf.cycles() > deadline)) {
            expired = true;
            throw new Expired();
        }
    }

    /** Entering module code with this many cycles to finish; nested calls keep the outer deadline. */
    void enter(long budget) {
        if (depth++ == 0) {
            deadline = perf.cycles() + budget;
            expired = false;
        }
    }

    /** Whether the innermost module call is also the outermost. */
    boolean depthIsOne() {
        return depth == 1;
    }

    void leave() {
        if (--depth == 0) {
            deadline = Long.MAX_VALUE;
            expired = false;
        }
    }
}
