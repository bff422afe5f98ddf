package microlith.tools.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The results of one {@code microlith compare}: every workload on every model, the
 * ratios to the monolithic model, the goals as measured, and the host
 * calibration when it was asked for.
 */
public final class Comparison {
    public static final String BASELINE = "monolithic";

    public final List<Workload> workloads;
    public final List<String> models;
    public final List<Measurement> results = new ArrayList<>();
    /** The command line that produced these results (for the report). */
    public final String command;
    public final boolean quick;
    /** Native figures for the calibration section, or null with nativeNote saying why. */
    public Calibration.Result calibration;
    public String nativeNote = "not measured (run with --native)";

    Comparison(List<Workload> workloads, List<String> models, String command, boolean quick) {
        this.workloads = workloads;
        this.models = models;
        this.command = command;
        this.quick = quick;
    }

    public Measurement get(Workload w, String model) {
        for (Measurement m : results) {
            if (m.workload == w && m.model.equals(model)) {
                return m;
            }
        }
        return null;
    }

    public Measurement get(String workload, String model) {
        for (Workload w : workloads) {
            if (w.name.equals(workload)) {
                return get(w, model);
            }
        }
        return null;
    }

    /** Cycles of m relative to the monolithic model on the same workload; NaN if either is missing. */
    public double ratio(Measurement m) {
        Measurement base = get(m.workload, BASELINE);
        if (base == null || !base.ok() || !m.ok() || base.cycles() == 0) {
            return Double.NaN;
        }
        return m.cycles() / base.cycles();
    }

    /** One of the goals with what was measured for it. */
    public record Goal(String what, String target, double measured, boolean met, String basis) {
    }

    /**
     * The goals of the comparison, reported as measured and never forced: the microkernel
     * model within 1.3x of monolithic on each macro workload, the IPC round trip within 4x
     * of a null syscall, and the control equal across models. A goal whose workloads were
     * not run is left out.
     */
    public List<Goal> goals() {
        List<Goal> g = new ArrayList<>();
        for (String model : models) {
            if (!model.startsWith("microkernel")) {
                continue;
            }
            for (Workload w : workloads) {
                Measurement m = get(w, model);
                if (w.kind == Workload.Kind.MACRO && m != null && m.ok() && !Double.isNaN(ratio(m))) {
                    double r = ratio(m);
                    g.add(new Goal(model + " vs monolithic, " + w.name, "at most 1.3x", r, r <= 1.3,
                        "cycles per " + w.unit));
                }
            }
            Measurement ipc = get("ipc", model);
            Measurement nul = get("null", model);
            if (ipc != null && nul != null && ipc.ok() && nul.ok()) {
                double r = ipc.cycles() / nul.cycles();
                g.add(new Goal("IPC round trip between servers vs null syscall, " + model, "at most 4x", r, r <= 4,
                    "cycles of one hello_user -> hello call and reply / cycles of getppid"));
            }
        }
        Workload control = Workloads.named("cpumark");
        if (workloads.contains(control)) {
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (String model : models) {
                Measurement m = get(control, model);
                if (m != null && m.ok()) {
                    lo = Math.min(lo, m.cycles());
                    hi = Math.max(hi, m.cycles());
                }
            }
            if (hi > 0) {
                double spread = hi / lo;
                g.add(new Goal("control (cpumark) across models", "equal (spread at most 1.01x)", spread,
                    spread <= 1.01, "highest / lowest cycles per iteration"));
            }
        }
        return g;
    }
}
