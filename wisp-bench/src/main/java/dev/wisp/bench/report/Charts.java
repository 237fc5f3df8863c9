package dev.wisp.bench.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws a scenario's three plots as PNG files with JFreeChart: response time per invocation, warm
 * instances, CPU. Injection windows are shaded orange and the detector's incidents red, so a
 * reader sees at a glance whether and when an attack was caught.
 */
public final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 320;
    /** Per-second series longer than this are reduced to the maximum of each bucket. */
    private static final int MAX_LINE_POINTS = 3000;
    static final Color INJECTION = new Color(255, 140, 0);
    static final Color INCIDENT = new Color(220, 20, 60);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** A shaded span in seconds from the scored part's start. */
    public record Span(double from, double to, boolean incident) {}

    public static void responseTimes(PlotRecorder r, List<Span> spans, Path png) throws IOException {
        String[] names = {"warm", "cold start", "error / timeout", "throttled"};
        Color[] colors = {new Color(31, 119, 180), new Color(44, 160, 44), new Color(214, 39, 40), Color.GRAY};
        XYSeries[] series = new XYSeries[names.length];
        for (int i = 0; i < names.length; i++) series[i] = new XYSeries(names[i], false, true);
        for (int i = 0; i < r.points; i++) series[r.pointKind[i]].add(r.pointX[i], r.pointY[i]);
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) data.addSeries(s);
        JFreeChart chart = ChartFactory.createScatterPlot("Response time per invocation", "seconds since start",
                "response time (s)", data);
        XYItemRenderer renderer = chart.getXYPlot().getRenderer();
        for (int i = 0; i < names.length; i++) {
            renderer.setSeriesShape(i, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
            renderer.setSeriesPaint(i, colors[i]);
        }
        save(chart, spans, png);
    }

    public static void instances(PlotRecorder r, List<Span> spans, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(line("warm (idle + busy)", r.warm));
        data.addSeries(line("initialising", r.initializing));
        save(lines(ChartFactory.createXYLineChart("Instances", "seconds since start", "instances", data)), spans, png);
    }

    public static void cpu(PlotRecorder r, List<Span> spans, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(line("host", r.hostCpu));
        data.addSeries(line("function instances", r.functionCpu));
        save(lines(ChartFactory.createXYLineChart("CPU", "seconds since start", "millicores", data)), spans, png);
    }

    /** Line colours that stand apart from the orange and red shading. */
    private static JFreeChart lines(JFreeChart chart) {
        XYItemRenderer r = chart.getXYPlot().getRenderer();
        r.setSeriesPaint(0, new Color(31, 119, 180));
        r.setSeriesPaint(1, new Color(44, 160, 44));
        r.setSeriesStroke(0, new BasicStroke(1.6f));
        r.setSeriesStroke(1, new BasicStroke(1.6f));
        return chart;
    }

    private static XYSeries line(String name, double[] perSecond) {
        XYSeries s = new XYSeries(name, true, false);
        int bucket = Math.max(1, (perSecond.length + MAX_LINE_POINTS - 1) / MAX_LINE_POINTS);
        for (int i = 0; i < perSecond.length; i += bucket) {
            double max = 0;
            for (int j = i; j < Math.min(perSecond.length, i + bucket); j++) max = Math.max(max, perSecond[j]);
            s.add(i, max);
        }
        return s;
    }

    private static void save(JFreeChart chart, List<Span> spans, Path png) throws IOException {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (Span s : spans) {
            // a zero-length incident would be invisible: give every span at least a sliver
            double to = Math.max(s.to(), s.from() + 0.5);
            Color c = s.incident() ? INCIDENT : INJECTION;
            plot.addDomainMarker(new IntervalMarker(s.from(), to, c, new BasicStroke(1f), c, new BasicStroke(1f),
                    s.incident() ? 0.18f : 0.30f), Layer.BACKGROUND);
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** The suite's F1 per scenario and detector, as grouped bars. */
    public static void f1Bars(List<String> scenarios, List<String> detectors, double[][] f1, Path png) throws IOException {
        var data = new org.jfree.data.category.DefaultCategoryDataset();
        for (int d = 0; d < detectors.size(); d++) {
            for (int s = 0; s < scenarios.size(); s++) data.addValue(f1[d][s], detectors.get(d), scenarios.get(s));
        }
        JFreeChart chart = ChartFactory.createBarChart("F1 per scenario", null, "F1", data);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(
                org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, Math.max(HEIGHT, 420));
    }
}
