package microlith.tools.compare;

import java.io.IOException;
import microlith.hw.PerfCounters;
import org.jfree.chart.JFreeChart;

/** index.html of the report: one page, charts inline, no scripts and no external references. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String page(Comparison c) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
            .append("<title>microlith: comparing the OS models</title>\n<style>\n")
            .append("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;color:#222}\n")
            .append("table{border-collapse:collapse;margin:1em 0;font-size:90%}\n")
            .append("td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}\n")
            .append("td:first-child,th:first-child,td.l{text-align:left}\nth{background:#eee}\n")
            .append(".failed{color:#a00}.met{color:#060}.missed{color:#a00}\nimg{max-width:100%}\n")
            .append("code{background:#f4f4f4;padding:0 3px}\n</style></head><body>\n");
        h.append("<h1>Comparing the OS models</h1>\n<p>Produced by <code>").append(esc(c.command))
            .append("</code>. Every workload ran on every model with the same image, seed and inputs. ")
            .append("Each figure is per unit of the workload: the counters of a run at a larger scale less those ")
            .append("of a run at a smaller one, divided by the units between them, so boot and set-up drop out. ")
            .append("Cycles are simulated cycles of microlith's cost model (1 GHz nominal), the same every run.</p>\n");
        goals(h, c);
        charts(h, c);
        table(h, c);
        breakdown(h, c);
        calibration(h, c);
        costModel(h);
        return h.append("</body></html>\n").toString();
    }

    private static void goals(StringBuilder h, Comparison c) {
        h.append("<h2>Goals, as measured</h2>\n<table><tr><th>goal</th><th>target</th><th>measured</th><th></th>")
            .append("<th>basis</th></tr>\n");
        for (Comparison.Goal g : c.goals()) {
            h.append("<tr><td>").append(esc(g.what())).append("</td><td>").append(esc(g.target())).append("</td><td>")
                .append(Report.num(g.measured())).append("x</td><td class=\"").append(g.met() ? "met\">met" : "missed\">not met")
                .append("</td><td class=\"l\">").append(esc(g.basis())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void charts(StringBuilder h, Comparison c) {
        h.append("<h2>Charts</h2>\n");
        try {
            int rows = Math.max(1, c.workloads.size() * c.models.size());
            image(h, Charts.cycles(c), 1100, 520, "cycles per unit by workload and model");
            image(h, Charts.ratios(c), 1100, 480, "cycles relative to monolithic");
            image(h, Charts.breakdown(c), 1100, 120 + 18 * rows, "where each model's cycles go");
        } catch (IOException | RuntimeException | Error e) {
            // A host without fonts cannot draw text; the tables below carry every figure.
            h.append("<p class=\"failed\">Charts could not be drawn on this host: ").append(esc(String.valueOf(e)))
                .append("</p>\n");
        }
    }

    private static void image(StringBuilder h, JFreeChart chart, int w, int ht, String alt) throws IOException {
        h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"").append(Charts.dataUri(chart, w, ht))
            .append("\"></p>\n");
    }

    private static void table(StringBuilder h, Comparison c) {
        h.append("<h2>All figures, per unit</h2>\n<table><tr><th>workload</th><th>unit</th><th>model</th>");
        for (Measurement.Metric m : Measurement.METRICS) {
            h.append("<th>").append(esc(m.header())).append("</th>");
        }
        h.append("<th>x mono</th></tr>\n");
        for (Workload w : c.workloads) {
            for (String model : c.models) {
                Measurement m = c.get(w, model);
                if (m == null) {
                    continue;
                }
                h.append("<tr><td title=\"").append(esc(w.title)).append("\">").append(esc(w.name)).append("</td><td>")
                    .append(esc(w.unit)).append("</td><td class=\"l\">").append(esc(model)).append("</td>");
                if (!m.ok()) {
                    h.append("<td class=\"failed l\" colspan=\"").append(Measurement.METRICS.size() + 1)
                        .append("\">failed: ").append(esc(m.failure)).append("</td></tr>\n");
                    continue;
                }
                for (Measurement.Metric metric : Measurement.METRICS) {
                    h.append("<td>").append(Report.num(m.perUnit(metric))).append("</td>");
                }
                h.append("<td>").append(Report.num(c.ratio(m))).append("</td></tr>\n");
            }
        }
        h.append("</table>\n<p>Workloads: ");
        for (Workload w : c.workloads) {
            h.append("<b>").append(esc(w.name)).append("</b>: ").append(esc(w.title)).append(". ");
        }
        h.append("</p>\n");
    }

    private static void breakdown(StringBuilder h, Comparison c) {
        h.append("<h2>Where the cycles go, per unit</h2>\n<p>user: programs in ring 3; core: the ring-0 kernel ")
            .append("(entry, VFS, scheduler, process manager, and the modules placed in it); servers: modules ")
            .append("running as ring-3 servers; ipc: the IPC path (messages, the switches into and out of servers); ")
            .append("copies: bytes moved between address spaces; idle: halted waiting for an interrupt.</p>\n")
            .append("<table><tr><th>workload</th><th>model</th>");
        for (String p : PerfCounters.PARTS) {
            h.append("<th>").append(p).append("</th>");
        }
        h.append("</tr>\n");
        for (Measurement m : c.results) {
            if (!m.ok()) {
                continue;
            }
            h.append("<tr><td>").append(esc(m.workload.name)).append("</td><td class=\"l\">").append(esc(m.model))
                .append("</td>");
            for (double v : m.breakdown()) {
                h.append("<td>").append(Report.num(v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void calibration(StringBuilder h, Comparison c) {
        h.append("<h2>Calibration</h2>\n<p>The simulated monolithic figures next to the same program ")
            .append("(<code>/bin/lat</code>) run natively on the host. The host's figures are its time-stamp ")
            .append("counter ticks and wall-clock nanoseconds, mitigations and virtualization included.</p>\n");
        if (c.calibration == null) {
            h.append("<p>Native run: ").append(esc(c.nativeNote)).append(".</p>\n");
        } else {
            h.append("<p>Host: ").append(esc(c.calibration.host())).append(".</p>\n<table><tr><th>workload</th>")
                .append("<th>microlith monolithic, cycles</th><th>host, TSC ticks</th><th>host, ns</th></tr>\n");
            for (Workload w : c.workloads) {
                double[] host = c.calibration.perWorkload().get(w.name);
                Measurement m = c.get(w, Comparison.BASELINE);
                String why = c.calibration.skipped().get(w.name);
                h.append("<tr><td>").append(esc(w.name)).append("</td><td>")
                    .append(m == null || !m.ok() ? "" : Report.num(m.cycles())).append("</td>");
                if (host != null) {
                    h.append("<td>").append(Report.num(host[0])).append("</td><td>").append(Report.num(host[1]))
                        .append("</td></tr>\n");
                } else {
                    h.append("<td class=\"l\" colspan=\"2\">").append(esc(why == null ? "" : why)).append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        h.append("<p>Published figures:</p>\n<table><tr><th>what</th><th>figure</th><th>source</th></tr>\n");
        for (Calibration.Published p : Calibration.LITERATURE) {
            h.append("<tr><td>").append(esc(p.what())).append("</td><td class=\"l\">").append(esc(p.figure()))
                .append("</td><td class=\"l\">").append(esc(p.source())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void costModel(StringBuilder h) {
        h.append("<h2>The cost model</h2>\n<p>Constants in cycles (docs/cost-model.md gives the source of each).")
            .append("</p>\n<table><tr><th>event</th><th>cycles</th></tr>\n");
        for (String[] k : Report.costConstants()) {
            h.append("<tr><td>").append(esc(k[0])).append("</td><td>").append(k[1]).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
