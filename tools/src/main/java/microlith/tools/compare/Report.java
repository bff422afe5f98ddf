package microlith.tools.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import microlith.hw.CostModel;
import microlith.hw.PerfCounters;

/**
 * The files {@code compare --report=DIR} writes: results.csv and results.json for
 * scripts, and index.html, one self-contained page (charts embedded as data: URIs, no
 * scripts, styles inline) that opens from disk.
 */
public final class Report {
    private Report() {
    }

    /** Writes the three files into dir, which must exist and be writable. */
    public static void write(Comparison c, Path dir) throws IOException {
        Files.writeString(dir.resolve("results.csv"), csv(c), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), json(c), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.html"), Html.page(c), StandardCharsets.UTF_8);
    }

    /** A figure as the page shows it: whole numbers from 100 up. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    /** A figure for scripts (CSV, JSON): two decimals at every size. */
    static String exact(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** One row per workload and model; every counter per unit; failed rows carry their reason. */
    static String csv(Comparison c) {
        List<String> header = new ArrayList<>(List.of("workload", "kind", "unit", "model", "status", "units"));
        for (Measurement.Metric m : Measurement.METRICS) {
            header.add(m.name());
        }
        header.add("ratio_to_monolithic");
        for (String p : PerfCounters.PARTS) {
            header.add("cycles_" + p);
        }
        header.add("guest_rdtsc_cycles");
        header.add("reason");
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Measurement m : c.results) {
            List<String> row = new ArrayList<>(List.of(m.workload.name, m.workload.kind.name().toLowerCase(Locale.ROOT),
                m.workload.unit, m.model, m.ok() ? "ok" : "failed", Long.toString(m.units)));
            for (Measurement.Metric metric : Measurement.METRICS) {
                row.add(exact(m.perUnit(metric)));
            }
            row.add(exact(c.ratio(m)));
            for (double v : m.breakdown()) {
                row.add(exact(v));
            }
            row.add(exact(m.guestCycles));
            row.add(m.ok() ? "" : m.failure);
            sb.append(row.stream().map(Report::csvField).reduce((a, b) -> a + "," + b).orElse("")).append('\n');
        }
        return sb.toString();
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                case '\r': sb.append("\\r"); break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        return sb.append('"').toString();
    }

    private static String jsonNum(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : exact(v);
    }

    static String json(Comparison c) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"command\": ").append(jsonString(c.command)).append(",\n");
        sb.append("  \"quick\": ").append(c.quick).append(",\n");
        sb.append("  \"models\": [");
        for (int i = 0; i < c.models.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(jsonString(c.models.get(i)));
        }
        sb.append("],\n  \"cost_model\": {");
        String[][] constants = costConstants();
        for (int i = 0; i < constants.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(jsonString(constants[i][0])).append(": ").append(constants[i][1]);
        }
        sb.append("},\n  \"results\": [\n");
        for (int i = 0; i < c.results.size(); i++) {
            Measurement m = c.results.get(i);
            sb.append("    {\"workload\": ").append(jsonString(m.workload.name))
                .append(", \"kind\": ").append(jsonString(m.workload.kind.name().toLowerCase(Locale.ROOT)))
                .append(", \"unit\": ").append(jsonString(m.workload.unit))
                .append(", \"model\": ").append(jsonString(m.model))
                .append(", \"status\": ").append(jsonString(m.ok() ? "ok" : "failed"))
                .append(", \"units\": ").append(m.units);
            if (m.ok()) {
                sb.append(", \"per_unit\": {");
                for (int k = 0; k < Measurement.METRICS.size(); k++) {
                    Measurement.Metric metric = Measurement.METRICS.get(k);
                    sb.append(k == 0 ? "" : ", ").append(jsonString(metric.name())).append(": ")
                        .append(jsonNum(m.perUnit(metric)));
                }
                sb.append("}, \"breakdown\": {");
                double[] b = m.breakdown();
                for (int k = 0; k < b.length; k++) {
                    sb.append(k == 0 ? "" : ", ").append(jsonString(PerfCounters.PARTS[k])).append(": ")
                        .append(jsonNum(b[k]));
                }
                sb.append("}, \"ratio_to_monolithic\": ").append(jsonNum(c.ratio(m)))
                    .append(", \"guest_rdtsc_cycles\": ").append(jsonNum(m.guestCycles));
            } else {
                sb.append(", \"reason\": ").append(jsonString(m.failure));
            }
            sb.append(i + 1 < c.results.size() ? "},\n" : "}\n");
        }
        sb.append("  ],\n  \"goals\": [\n");
        List<Comparison.Goal> goals = c.goals();
        for (int i = 0; i < goals.size(); i++) {
            Comparison.Goal g = goals.get(i);
            sb.append("    {\"what\": ").append(jsonString(g.what())).append(", \"target\": ")
                .append(jsonString(g.target())).append(", \"measured\": ").append(jsonNum(g.measured()))
                .append(", \"met\": ").append(g.met()).append('}').append(i + 1 < goals.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"native\": ");
        if (c.calibration == null) {
            sb.append("{\"note\": ").append(jsonString(c.nativeNote)).append("}\n");
        } else {
            sb.append("{\"host\": ").append(jsonString(c.calibration.host())).append(", \"per_unit\": {");
            int i = 0;
            for (var e : c.calibration.perWorkload().entrySet()) {
                sb.append(i++ == 0 ? "" : ", ").append(jsonString(e.getKey())).append(": {\"tsc_cycles\": ")
                    .append(jsonNum(e.getValue()[0])).append(", \"ns\": ").append(jsonNum(e.getValue()[1])).append('}');
            }
            sb.append("}}\n");
        }
        return sb.append("}\n").toString();
    }

    /** The cost model's constants, name and cycles, as the report shows them. */
    static String[][] costConstants() {
        return new String[][] {
            {"instruction", Long.toString(CostModel.INSTRUCTION)},
            {"syscall", Long.toString(CostModel.SYSCALL)},
            {"syscall_dispatch", Long.toString(CostModel.SYSCALL_DISPATCH)},
            {"exception", Long.toString(CostModel.EXCEPTION)},
            {"page_walk", Long.toString(CostModel.PAGE_WALK)},
            {"tlb_flush", Long.toString(CostModel.TLB_FLUSH)},
            {"port_io", Long.toString(CostModel.PORT_IO)},
            {"module_bytecode", Long.toString(CostModel.MODULE_BYTECODE)},
            {"ipc_message", Long.toString(CostModel.IPC_MESSAGE)},
            {"grant_copy", Long.toString(CostModel.GRANT_COPY)},
            {"bytes_per_cycle", Long.toString(CostModel.BYTES_PER_CYCLE)},
            {"path_component", Long.toString(CostModel.PATH_COMPONENT)},
            {"page_zero", Long.toString(CostModel.PAGE_ZERO)},
            {"page_copy", Long.toString(CostModel.PAGE_COPY)},
        };
    }
}
