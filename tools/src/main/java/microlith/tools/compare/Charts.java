package microlith.tools.compare;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.NumberFormat;
import java.util.Base64;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import microlith.hw.PerfCounters;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The report's charts, drawn with JFreeChart and embedded in the page as PNG data: URIs,
 * so the page needs nothing but itself.
 */
final class Charts {
    private static final Color[] MODEL_COLORS = {
        new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
        new Color(0x8172B3), new Color(0x937860),
    };
    private static final Color[] PART_COLORS = {
        new Color(0x4C72B0), new Color(0x8C8C8C), new Color(0x55A868), new Color(0xC44E52),
        new Color(0xDD8452), new Color(0xCCB974),
    };

    private Charts() {
    }

    /** Cycles per unit, workloads by model, on a log scale (they span five orders of magnitude). */
    static JFreeChart cycles(Comparison c) {
        DefaultCategoryDataset d = byWorkloadAndModel(c, m -> m.cycles() > 0 ? m.cycles() : Double.NaN);
        JFreeChart chart = ChartFactory.createBarChart("Simulated cycles per unit (log scale)", null, "cycles", d,
            PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LogAxis log = new LogAxis("cycles per unit");
        log.setBase(10);
        log.setSmallestValue(1);
        log.setTickUnit(new NumberTickUnit(1));
        log.setMinorTickCount(0);
        plot.setRangeAxis(log);
        style(chart, MODEL_COLORS);
        return chart;
    }

    /** Cycles relative to the monolithic model on the same workload. */
    static JFreeChart ratios(Comparison c) {
        DefaultCategoryDataset d = byWorkloadAndModel(c, c::ratio);
        JFreeChart chart = ChartFactory.createBarChart("Cycles relative to the monolithic model", null,
            "x monolithic", d, PlotOrientation.VERTICAL, true, false, false);
        style(chart, MODEL_COLORS);
        return chart;
    }

    /** One value per workload (category) and model (series); failed runs and NaN values are left out. */
    private static DefaultCategoryDataset byWorkloadAndModel(Comparison c, ToDoubleFunction<Measurement> value) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (Workload w : c.workloads) {
            for (String model : c.models) {
                Measurement m = c.get(w, model);
                double v = m == null || !m.ok() ? Double.NaN : value.applyAsDouble(m);
                if (!Double.isNaN(v)) {
                    d.addValue(v, model, w.name);
                }
            }
        }
        return d;
    }

    /** Where each model's cycles go, as shares of the total, per workload. */
    static JFreeChart breakdown(Comparison c) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (Workload w : c.workloads) {
            for (String model : c.models) {
                Measurement m = c.get(w, model);
                if (m == null || !m.ok()) {
                    continue;
                }
                double[] b = m.breakdown();
                for (int i = 0; i < b.length; i++) {
                    d.addValue(Math.max(0, b[i]), PerfCounters.PARTS[i], w.name + " / " + model);
                }
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Where the cycles go", null, "share of cycles", d,
            PlotOrientation.HORIZONTAL, true, false, false);
        StackedBarRenderer r = (StackedBarRenderer) chart.getCategoryPlot().getRenderer();
        r.setRenderAsPercentages(true);
        ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setNumberFormatOverride(NumberFormat.getPercentInstance(Locale.ROOT));
        style(chart, PART_COLORS);
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        return chart;
    }

    private static void style(JFreeChart chart, Color[] colors) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(new Color(0xF4F4F4));
        plot.setRangeGridlinePaint(Color.GRAY);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
        }
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    }

    /** The chart as a PNG data: URI. */
    static String dataUri(JFreeChart chart, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, width, height);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
