package microlith.tools.compare;

import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.hw.PerfCounters;

/**
 * One workload on one model: the counters of the large scale less those of the small
 * one, divided by the units between them. Set-up work (boot, the shell, modprobe,
 * mount) is the same at both scales and drops out; what remains is the cost of one
 * unit. A workload that failed at either scale keeps its reason instead.
 */
public final class Measurement {
    /** A column of the comparison: a counter per unit. */
    public record Metric(String name, String header, ToLongFunction<PerfCounters> value) {
    }

    public static final List<Metric> METRICS = List.of(
        new Metric("cycles", "cycles", PerfCounters::cycles),
        new Metric("instructions", "instr", p -> p.instructions),
        new Metric("syscalls", "syscalls", p -> p.syscalls),
        new Metric("ipc_messages", "ipc msgs", p -> p.ipcMessages),
        new Metric("notifications", "notifs", p -> p.notifications),
        new Metric("grant_copies", "grants", p -> p.grantCopies),
        new Metric("grant_bytes", "grant B", p -> p.grantBytes),
        new Metric("cr3_writes", "cr3 wr", p -> p.cr3Writes),
        new Metric("tlb_misses", "tlb miss", p -> p.tlbMisses),
        new Metric("tlb_flushes", "tlb flush", p -> p.tlbFlushes),
        new Metric("page_walks", "walks", p -> p.pageWalks));

    private static final Pattern GUEST = Pattern.compile("cycles_per_op=([0-9]+\\.[0-9]+)");

    public final Workload workload;
    /** The model as reported: monolithic, hybrid, microkernel, or one of them with "+pcid". */
    public final String model;
    /** Units between the two scales (0 when failed). */
    public final long units;
    /** The large run's counters less the small run's (null when failed). */
    public final PerfCounters delta;
    /** Cycles per operation the guest measured itself with RDTSC in the large run, or NaN. */
    public final double guestCycles;
    public final String failure;

    private Measurement(Workload w, String model, long units, PerfCounters delta, double guestCycles,
                        String failure) {
        this.workload = w;
        this.model = model;
        this.units = units;
        this.delta = delta;
        this.guestCycles = guestCycles;
        this.failure = failure;
    }

    static Measurement of(Workload w, String model, long smallN, Runner.Sample small, long largeN,
                          Runner.Sample large) {
        if (!small.ok() || !large.ok()) {
            return failed(w, model, (small.ok() ? large : small).failure());
        }
        Matcher m = GUEST.matcher(large.out());
        double guest = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        return new Measurement(w, model, (largeN - smallN) * w.unitsPerScale, large.perf().since(small.perf()),
            guest, null);
    }

    static Measurement failed(Workload w, String model, String why) {
        return new Measurement(w, model, 0, null, Double.NaN, why);
    }

    public boolean ok() {
        return failure == null;
    }

    /** The metric per unit (NaN when failed). */
    public double perUnit(Metric metric) {
        return ok() ? (double) metric.value().applyAsLong(delta) / units : Double.NaN;
    }

    public double cycles() {
        return perUnit(METRICS.get(0));
    }

    /** Cycles per unit for each part of the system ({@link PerfCounters#PARTS}). */
    public double[] breakdown() {
        double[] b = new double[PerfCounters.PARTS.length];
        if (ok()) {
            long[] raw = delta.breakdown();
            for (int i = 0; i < b.length; i++) {
                b[i] = (double) raw[i] / units;
            }
        } else {
            java.util.Arrays.fill(b, Double.NaN);
        }
        return b;
    }
}
