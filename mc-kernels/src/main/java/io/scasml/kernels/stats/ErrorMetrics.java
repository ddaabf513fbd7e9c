package io.scasml.kernels.stats;

import java.io.Serializable;

/**
 * The one implementation of the accuracy metrics against exact (or reference) values (docs/algorithm.md §18):
 * relative L2 = ‖u − exact‖₂ / ‖exact‖₂, L∞ = max |u − exact|, L1 = mean |u − exact|, and, for estimates with
 * error bars, the share of 95% intervals that hold the exact value and the mean standard error.
 *
 * <p>A mergeable accumulator: {@link #add} one point at a time, {@link #combine} partial accumulators (the sums are
 * plain double sums: combine in a fixed order for fixed bits), {@link #result} at the end. Points whose estimate or
 * exact value is not finite are counted in {@link Result#skipped} and left out of every metric.
 */
public final class ErrorMetrics implements Serializable {
    private static final long serialVersionUID = 1L;

    private long n;
    private long skipped;
    private double err2;
    private double exact2;
    private double linf;
    private double l1;
    private long withSe;
    private long covered;
    private double seSum;

    /**
     * The metrics of a set of points.
     *
     * @param relL2        relative L2 error (NaN without points or when every exact value is 0)
     * @param linf         largest absolute error
     * @param l1           mean absolute error
     * @param coverage     share of points with an error bar whose 95% interval holds the exact value (NaN if none)
     * @param meanStdError mean reported standard error over points with one (NaN if none)
     * @param points       points in the metrics
     * @param skipped      points left out (estimate or exact value not finite)
     */
    public record Result(double relL2, double linf, double l1, double coverage, double meanStdError, long points,
                         long skipped) implements Serializable {
    }

    /** Adds a point without an error bar. */
    public ErrorMetrics add(double u, double exact) {
        return add(u, exact, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Adds a point.
     *
     * @param stdError its standard error (NaN: no error bar)
     * @param ciLow    lower end of its 95% interval
     * @param ciHigh   upper end of its 95% interval
     */
    public ErrorMetrics add(double u, double exact, double stdError, double ciLow, double ciHigh) {
        if (!Double.isFinite(u) || !Double.isFinite(exact)) {
            skipped++;
            return this;
        }
        double e = u - exact;
        n++;
        err2 += e * e;
        exact2 += exact * exact;
        linf = Math.max(linf, Math.abs(e));
        l1 += Math.abs(e);
        if (Double.isFinite(stdError)) {
            withSe++;
            seSum += stdError;
            if (exact >= ciLow && exact <= ciHigh) {
                covered++;
            }
        }
        return this;
    }

    /** Adds {@code o}'s points into this. */
    public ErrorMetrics combine(ErrorMetrics o) {
        n += o.n;
        skipped += o.skipped;
        err2 += o.err2;
        exact2 += o.exact2;
        linf = Math.max(linf, o.linf);
        l1 += o.l1;
        withSe += o.withSe;
        covered += o.covered;
        seSum += o.seSum;
        return this;
    }

    /** The metrics so far. */
    public Result result() {
        return new Result(n > 0 && exact2 > 0 ? Math.sqrt(err2 / exact2) : Double.NaN, n > 0 ? linf : Double.NaN,
            n > 0 ? l1 / n : Double.NaN, withSe > 0 ? covered / (double) withSe : Double.NaN,
            withSe > 0 ? seSum / withSe : Double.NaN, n, skipped);
    }

    /** The relative L2 error of {@code u[0..n)} against {@code exact[0..n)}. */
    public static double relL2(int n, double[] u, double[] exact) {
        return of(n, u, exact).relL2();
    }

    /** The metrics of {@code u[0..n)} against {@code exact[0..n)} (no error bars). */
    public static Result of(int n, double[] u, double[] exact) {
        ErrorMetrics m = new ErrorMetrics();
        for (int i = 0; i < n; i++) {
            m.add(u[i], exact[i]);
        }
        return m.result();
    }
}
