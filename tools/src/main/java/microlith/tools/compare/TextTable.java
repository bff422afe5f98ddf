package microlith.tools.compare;

import java.io.PrintStream;
import java.util.Locale;
import microlith.hw.PerfCounters;

/** The comparison as the terminal shows it: one row per workload and model, figures per unit. */
public final class TextTable {
    private TextTable() {
    }

    private static String cell(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static void print(Comparison c, PrintStream o) {
        StringBuilder head = new StringBuilder(String.format("%-10s %-9s %-17s", "workload", "unit", "model"));
        for (Measurement.Metric m : Measurement.METRICS) {
            head.append(String.format(" %11s", m.header()));
        }
        head.append(String.format(" %7s", "x mono"));
        o.println(head);
        for (Workload w : c.workloads) {
            for (String model : c.models) {
                Measurement m = c.get(w, model);
                if (m == null) {
                    continue;
                }
                StringBuilder row = new StringBuilder(String.format("%-10s %-9s %-17s", w.name, w.unit, model));
                if (!m.ok()) {
                    o.println(row.append(" failed: ").append(m.failure));
                    continue;
                }
                for (Measurement.Metric metric : Measurement.METRICS) {
                    row.append(String.format(" %11s", cell(m.perUnit(metric))));
                }
                double r = c.ratio(m);
                row.append(String.format(" %7s", Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r)));
                o.println(row);
            }
        }
        o.println();
        StringBuilder parts = new StringBuilder(String.format("%-10s %-17s", "cycles of", "model"));
        for (String p : PerfCounters.PARTS) {
            parts.append(String.format(" %11s", p));
        }
        o.println(parts);
        for (Measurement m : c.results) {
            if (!m.ok()) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format("%-10s %-17s", m.workload.name, m.model));
            for (double v : m.breakdown()) {
                row.append(String.format(" %11s", cell(v)));
            }
            o.println(row);
        }
        if (!c.goals().isEmpty()) {
            o.println();
            for (Comparison.Goal g : c.goals()) {
                o.printf(Locale.ROOT, "goal: %s: %.2fx (target %s): %s%n", g.what(), g.measured(), g.target(),
                    g.met() ? "met" : "not met");
            }
        }
    }
}
