package io.scasml.spark.job;

import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.PointStatus;
import io.scasml.kernels.picard.TermPartial;
import io.scasml.kernels.stats.ErrorMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * The run's metrics ({@link Metrics.Result}), accumulated while the estimates are made instead of in a second pass
 * over the written output: every estimate is added as its row is produced, in the last stage of the write job, whose
 * accumulator updates Spark applies once per partition (retried or speculative attempts do not count twice).
 *
 * <p>Sums are merged in the order tasks finish, so the metrics may differ from run to run in the last bits (the
 * estimates themselves never do). The median noise ratio comes from a histogram of log10(ratio) with
 * {@value #BINS_PER_DECADE} bins per decade (relative error below 0.6%).
 */
public final class MetricsAccumulator extends AccumulatorV2<PointEstimate, Metrics.Result> {
    private static final long serialVersionUID = 1L;
    static final int BINS_PER_DECADE = 200;
    private static final int DECADES = 32; // 1e-16 .. 1e16
    private static final int LOW = -16;

    private final ResultColumns.Shape shape;
    private Sums s = new Sums();

    /** The per-task partial sums. */
    static final class Sums implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        long n;
        final long[] counts = new long[TermPartial.COUNT_NAMES.length];
        final long[] status = new long[PointStatus.values().length];
        long noBar;
        long seN;
        double seSum;
        double seMax = Double.NEGATIVE_INFINITY;
        long warnNoise;
        long warnResidual;
        long resN;
        double resSum;
        double resMax = Double.NEGATIVE_INFINITY;
        /** Noise-ratio histogram: [0] ≤ 1e-16 (and 0), 1..B: the log bins, [B + 1] above 1e16. */
        final long[] noise = new long[DECADES * BINS_PER_DECADE + 2];
        /** Errors of u and of u_surrogate over the ok points (the project's one metrics implementation). */
        final ErrorMetrics errors = new ErrorMetrics();
        final ErrorMetrics surrogateErrors = new ErrorMetrics();
        /** Points in {@code errors} with a finite error bar (ErrorMetrics' coverage denominator). */
        long withBar;
        /** The smallest ids of non-finite points, ascending, at most {@link Metrics#FIRST_IDS}. */
        long[] first = new long[0];

        void add(PointEstimate e, ResultColumns.Shape shape) {
            n++;
            for (int k = 0; k < counts.length; k++) {
                counts[k] += e.counts()[k];
            }
            status[e.status().ordinal()]++;
            boolean ok = e.ok();
            if (!ok) {
                first = smallest(first, new long[] {e.id()});
            }
            if (ok && Double.isNaN(e.stdError())) {
                noBar++;
            } else if (ok) {
                seN++;
                seSum += e.stdError();
                seMax = Math.max(seMax, e.stdError());
            }
            double r = e.noiseRatio();
            if (r > PointEstimate.NOISE_WARN_RATIO) {
                warnNoise++;
            }
            if (e.residualRms() * (shape.horizon() - e.t()) > PointEstimate.RESIDUAL_WARN_SHARE
                * Math.max(Math.abs(e.uSurrogate()), 1.0)) {
                warnResidual++;
            }
            if (!Double.isNaN(r)) {
                noise[bin(r)]++;
            }
            if (!Double.isNaN(e.residualRms())) {
                resN++;
                resSum += e.residualRms();
                resMax = Math.max(resMax, e.residualRms());
            }
            if (shape.withExact() && ok && !Double.isNaN(e.exact())) {
                errors.add(e.u(), e.exact(), e.stdError(), e.ciLow(), e.ciHigh());
                if (Double.isFinite(e.u()) && Double.isFinite(e.exact()) && Double.isFinite(e.stdError())) {
                    withBar++;
                }
                if (!Double.isNaN(e.uSurrogate())) {
                    surrogateErrors.add(e.uSurrogate(), e.exact());
                }
            }
        }

        void merge(Sums o) {
            n += o.n;
            for (int k = 0; k < counts.length; k++) {
                counts[k] += o.counts[k];
            }
            for (int k = 0; k < status.length; k++) {
                status[k] += o.status[k];
            }
            noBar += o.noBar;
            seN += o.seN;
            seSum += o.seSum;
            seMax = Math.max(seMax, o.seMax);
            warnNoise += o.warnNoise;
            warnResidual += o.warnResidual;
            resN += o.resN;
            resSum += o.resSum;
            resMax = Math.max(resMax, o.resMax);
            for (int k = 0; k < noise.length; k++) {
                noise[k] += o.noise[k];
            }
            errors.combine(o.errors);
            withBar += o.withBar;
            surrogateErrors.combine(o.surrogateErrors);
            first = smallest(first, o.first);
        }

        private static long[] smallest(long[] a, long[] b) {
            long[] m = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, m, a.length, b.length);
            Arrays.sort(m);
            return Arrays.copyOf(m, Math.min(m.length, Metrics.FIRST_IDS));
        }

        private static int bin(double r) {
            if (!(r > 0) || r <= Math.pow(10, LOW)) {
                return 0;
            }
            double b = (Math.log10(r) - LOW) * BINS_PER_DECADE;
            return b >= DECADES * BINS_PER_DECADE ? DECADES * BINS_PER_DECADE + 1 : 1 + (int) b;
        }

        /** The median from the histogram: the geometric centre of the bin holding the middle value. */
        private Double median() {
            long total = 0;
            for (long c : noise) {
                total += c;
            }
            if (total == 0) {
                return null;
            }
            long half = (total + 1) / 2;
            long seen = 0;
            for (int k = 0; k < noise.length; k++) {
                seen += noise[k];
                if (seen >= half) {
                    if (k == 0) {
                        return 0.0;
                    }
                    if (k == noise.length - 1) {
                        return Double.POSITIVE_INFINITY;
                    }
                    return Math.pow(10, LOW + (k - 0.5) / BINS_PER_DECADE);
                }
            }
            return null;
        }

        Metrics.Result result() {
            Map<String, Long> ev = new LinkedHashMap<>();
            for (int k = 0; k < counts.length; k++) {
                ev.put(TermPartial.COUNT_NAMES[k], counts[k]);
            }
            Map<String, Long> byStatus = new LinkedHashMap<>();
            long notFinite = 0;
            for (PointStatus p : PointStatus.values()) {
                byStatus.put(p.label(), status[p.ordinal()]);
                if (p != PointStatus.OK) {
                    notFinite += status[p.ordinal()];
                }
            }
            Metrics.StdError se = new Metrics.StdError(seN > 0 ? seSum / seN : null, seN > 0 ? seMax : null);
            Metrics.Diagnostics diag = new Metrics.Diagnostics(warnNoise, warnResidual, median(),
                resN > 0 ? resSum / resN : null, resN > 0 ? resMax : null);
            ErrorMetrics.Result er = errors.result();
            ErrorMetrics.Result sr = surrogateErrors.result();
            Metrics.Errors m = er.points() > 0 ? new Metrics.Errors(er.points(), er.relL2(), er.linf(), er.l1(),
                Double.isNaN(er.coverage()) ? null : er.coverage(), withBar, Metrics.OVER) : null;
            Metrics.SurrogateErrors sm = sr.points() > 0 ? new Metrics.SurrogateErrors(sr.points(), sr.relL2(),
                sr.linf(), sr.l1(), Metrics.OVER) : null;
            List<Long> ids = new ArrayList<>();
            for (long id : first) {
                ids.add(id);
            }
            return new Metrics.Result(n, ev, noBar, se, diag, m, sm, byStatus, notFinite, List.copyOf(ids));
        }
    }

    /** An empty accumulator for a run of this shape (register it with the SparkContext before use). */
    public MetricsAccumulator(ResultColumns.Shape shape) {
        this.shape = shape;
    }

    @Override
    public boolean isZero() {
        return s.n == 0;
    }

    @Override
    public MetricsAccumulator copy() {
        MetricsAccumulator c = new MetricsAccumulator(shape);
        c.s.merge(s);
        return c;
    }

    @Override
    public void reset() {
        s = new Sums();
    }

    @Override
    public void add(PointEstimate e) {
        s.add(e, shape);
    }

    @Override
    public void merge(AccumulatorV2<PointEstimate, Metrics.Result> other) {
        s.merge(((MetricsAccumulator) other).s);
    }

    @Override
    public Metrics.Result value() {
        return s.result();
    }
}
