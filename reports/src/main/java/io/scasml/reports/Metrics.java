package io.scasml.reports;

import io.scasml.kernels.picard.PointEstimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Error metrics of one method over a set of points, from the one implementation
 * {@link io.scasml.kernels.stats.ErrorMetrics} (docs/algorithm.md §18): relative L2 = ‖u − exact‖₂/‖exact‖₂,
 * L∞ = max |u − exact|, L1 = mean |u − exact|, the share of 95% intervals holding the exact value, wall seconds and
 * evaluations per point.
 *
 * @param relL2         relative L2 error
 * @param linf          max absolute error
 * @param l1            mean absolute error
 * @param coverage      share of points whose 95% CI holds the exact value (NaN without error bars)
 * @param meanStdError  mean reported standard error (NaN without error bars)
 * @param seconds       wall-clock seconds for all points
 * @param evalsPerPoint terminal + generator + residual evaluations per point
 */
public record Metrics(double relL2, double linf, double l1, double coverage, double meanStdError, double seconds,
                      double evalsPerPoint) {

    /** Metrics of estimates that carry their exact values. */
    public static Metrics of(List<PointEstimate> es, double seconds) {
        io.scasml.kernels.stats.ErrorMetrics m = new io.scasml.kernels.stats.ErrorMetrics();
        double evals = 0;
        for (PointEstimate e : es) {
            m.add(e.u(), e.exact(), e.stdError(), e.ciLow(), e.ciHigh());
            long[] c = e.counts();
            evals += c[0] + c[1] + c[2];
        }
        io.scasml.kernels.stats.ErrorMetrics.Result r = m.result();
        return new Metrics(r.relL2(), r.linf(), r.l1(), r.coverage(), r.meanStdError(), seconds, evals / es.size());
    }

    /** As a JSON-friendly map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rel_l2", relL2);
        m.put("linf", linf);
        m.put("l1", l1);
        m.put("ci95_coverage", Double.isNaN(coverage) ? null : coverage);
        m.put("mean_std_error", Double.isNaN(meanStdError) ? null : meanStdError);
        m.put("seconds", seconds);
        m.put("evaluations_per_point", evalsPerPoint);
        return m;
    }
}
