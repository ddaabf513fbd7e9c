package io.scasml.trainer;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The training loss curve as a PNG (XChart, headless, log-scale y). */
public final class LossPlot {
    private LossPlot() {
    }

    /**
     * Plots total, residual, terminal and data loss per step (thinned to at most ~2000 points).
     *
     * @param history per step {total, residual, terminal, data}
     * @param title   chart title
     * @param file    PNG path
     */
    public static void write(double[][] history, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("Adam step")
                .yAxisTitle("loss (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        int n = history.length;
        int stride = Math.max(1, n / 2000);
        boolean any = false;
        String[] names = {"total", "residual mean(ε²)", "terminal", "data"};
        for (int c = 0; c < 4; c++) {
            int m = 0;
            for (int i = 0; i < n; i += stride) {
                if (history[i][c] > 0) {
                    m++;
                }
            }
            if (m == 0) {
                continue;
            }
            double[] xs = new double[m];
            double[] ys = new double[m];
            int k = 0;
            for (int i = 0; i < n; i += stride) {
                if (history[i][c] > 0) {
                    xs[k] = i + 1;
                    ys[k] = history[i][c];
                    k++;
                }
            }
            chart.addSeries(names[c], xs, ys).setMarker(SeriesMarkers.NONE);
            any = true;
        }
        if (!any) {
            chart.addSeries("total", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
        }
        String f = file.toString();
        BitmapEncoder.saveBitmap(chart, f.endsWith(".png") ? f.substring(0, f.length() - 4) : f,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
