package microlith.kernel.time;

import microlith.hw.CostModel;
import microlith.hw.PerfCounters;

/**
 * Kernel time, all of it derived from the simulated cycle counter (DESIGN.md invariant
 * 4): monotonic nanoseconds since boot, jiffies counted by the timer tick at {@link #HZ},
 * and the wall clock, which starts at {@link #BOOT_EPOCH}.
 */
public final class Clock {
    public static final int HZ = 100;
    /** The wall-clock time at boot, in seconds since the epoch (2026-01-01T00:00:00Z). */
    public static final long BOOT_EPOCH = 1_767_225_600L;
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final PerfCounters perf;
    /** Timer ticks since boot. */
    public long jiffies;

    public Clock(PerfCounters perf) {
        this.perf = perf;
    }

    /** Simulated nanoseconds since boot. */
    public long nanos() {
        return CostModel.nanos(perf.cycles());
    }

    /** CLOCK_REALTIME in whole seconds. */
    public long seconds() {
        return BOOT_EPOCH + nanos() / NANOS_PER_SECOND;
    }
}
