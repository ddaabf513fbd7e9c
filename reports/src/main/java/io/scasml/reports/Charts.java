package io.scasml.reports;

import io.scasml.kernels.picard.PointEstimate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts (XChart, headless). */
public final class Charts {
    private Charts() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Box plot of log10 |error| per method. */
    public static void errorBoxes(String title, Map<String, List<PointEstimate>> byMethod, Path png) throws IOException {
        BoxChart c = new BoxChartBuilder().width(800).height(500).title(title)
            .yAxisTitle("log10 |u - exact|").build();
        for (Map.Entry<String, List<PointEstimate>> e : byMethod.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(p -> Math.log10(Math.max(1e-16, p.error()))).toArray();
            c.addSeries(e.getKey(), v);
        }
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Map of mean |error| over (x1, x2) in a bins × bins grid. */
    public static void errorMap(String title, List<PointEstimate> es, int bins, Path png) throws IOException {
        double lo1 = Double.POSITIVE_INFINITY;
        double hi1 = Double.NEGATIVE_INFINITY;
        double lo2 = Double.POSITIVE_INFINITY;
        double hi2 = Double.NEGATIVE_INFINITY;
        for (PointEstimate p : es) {
            lo1 = Math.min(lo1, p.x()[0]);
            hi1 = Math.max(hi1, p.x()[0]);
            lo2 = Math.min(lo2, p.x()[1]);
            hi2 = Math.max(hi2, p.x()[1]);
        }
        double[][] sum = new double[bins][bins];
        int[][] cnt = new int[bins][bins];
        for (PointEstimate p : es) {
            int i = Math.min(bins - 1, (int) ((p.x()[0] - lo1) / (hi1 - lo1 + 1e-300) * bins));
            int j = Math.min(bins - 1, (int) ((p.x()[1] - lo2) / (hi2 - lo2 + 1e-300) * bins));
            sum[i][j] += p.error();
            cnt[i][j]++;
        }
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            xs.add(String.format(java.util.Locale.ROOT, "%.2f", lo1 + (i + 0.5) * (hi1 - lo1) / bins));
            ys.add(String.format(java.util.Locale.ROOT, "%.2f", lo2 + (i + 0.5) * (hi2 - lo2) / bins));
        }
        List<Number[]> heat = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            for (int j = 0; j < bins; j++) {
                heat.add(new Number[] {i, j, cnt[i][j] > 0 ? sum[i][j] / cnt[i][j] : 0.0});
            }
        }
        HeatMapChart c = new HeatMapChartBuilder().width(700).height(600).title(title).xAxisTitle("x1")
            .yAxisTitle("x2").build();
        c.getStyler().setShowValue(false);
        c.addSeries("mean |error|", xs, ys, heat);
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A fitted power law y ≈ a·x^slope (least squares in log–log). */
    public record Fit(double slope, double intercept) {
        /** Fits log10 y = intercept + slope·log10 x. */
        public static Fit of(double[] x, double[] y) {
            int n = x.length;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < n; i++) {
                double a = Math.log10(x[i]);
                double b = Math.log10(y[i]);
                sx += a;
                sy += b;
                sxx += a * a;
                sxy += a * b;
            }
            double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
            return new Fit(slope, (sy - slope * sx) / n);
        }
    }

    /** Log–log lines (error against cost) with the fitted slope in each legend. */
    public static Map<String, Fit> logLog(String title, String xTitle, String yTitle, Map<String, double[][]> series,
                                          Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(550).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
            .build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        Map<String, Fit> fits = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[] x = e.getValue()[0];
            double[] y = e.getValue()[1];
            Fit f = Fit.of(x, y);
            fits.put(e.getKey(), f);
            XYSeries s = c.addSeries(String.format(java.util.Locale.ROOT, "%s (slope %.2f)", e.getKey(), f.slope()),
                x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return fits;
    }

    /** Plain lines y(x). */
    public static void lines(String title, String xTitle, String yTitle, boolean logY, Map<String, double[][]> series,
                             Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(550).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
            .build();
        c.getStyler().setYAxisLogarithmic(logY);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * One line of {@link #errorBarLines}: y(x) with optional symmetric error bars (null: none), dashed or solid, in a
     * colour shared by the lines of one method (index into a fixed palette).
     */
    public record Line(String name, double[] x, double[] y, double[] err, boolean dashed, int color) {
    }

    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd)};

    /**
     * Lines with error bars (ours: solid, ± one standard deviation) beside dashed ones (the reference's). On a
     * logarithmic y axis a bar reaching 0 or below is cut at 10% of its value so that it can be drawn.
     */
    public static void errorBarLines(String title, String xTitle, String yTitle, boolean logY, List<Line> lines,
                                     Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(550).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
            .build();
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        for (Line l : lines) {
            if (l.x().length == 0) {
                continue;
            }
            XYSeries s;
            if (l.err() != null) {
                double[] e = l.err().clone();
                for (int i = 0; i < e.length; i++) {
                    if (!Double.isFinite(e[i])) {
                        e[i] = 0;
                    }
                    if (logY && e[i] >= l.y()[i]) {
                        e[i] = 0.9 * l.y()[i];
                    }
                }
                s = c.addSeries(l.name(), l.x(), l.y(), e);
            } else {
                s = c.addSeries(l.name(), l.x(), l.y());
            }
            java.awt.Color col = PALETTE[Math.floorMod(l.color(), PALETTE.length)];
            s.setLineColor(col);
            s.setMarkerColor(col);
            s.setMarker(l.dashed() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            if (l.dashed()) {
                s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
        }
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
