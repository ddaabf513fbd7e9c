package io.scasml.spark.job;

import java.util.List;
import java.util.Map;

/**
 * The run's metrics, as typed records for summary.json ({@link MetricsAccumulator} computes them while the estimates
 * are made). Errors are taken over the points whose {@code status} is {@code ok} and whose exact value is known
 * (docs/algorithm.md):
 * <ul>
 *   <li>{@code rel_l2} = ‖u − exact‖₂ / ‖exact‖₂;</li>
 *   <li>{@code linf} = max |u − exact|; {@code l1} = mean |u − exact|;</li>
 *   <li>{@code ci95_coverage} = share of the points with a finite error bar whose [ci_low, ci_high] holds the exact
 *       value.</li>
 * </ul>
 * The same errors of the surrogate alone ({@code u_surrogate}) are reported when it is present, evaluation totals
 * over all points, and the number of points of each {@code status}.
 */
public final class Metrics {
    /** What the errors are taken over (written into every error record). */
    public static final String OVER = "points with status ok and a finite exact value";
    /** How many non-finite point ids the summary and the warning name. */
    static final int FIRST_IDS = 5;

    private Metrics() {
    }

    /**
     * Errors of the estimate u against the exact solution.
     *
     * @param pointsWithExact    points the errors are taken over
     * @param relL2              ‖u − exact‖₂ / ‖exact‖₂
     * @param linf               max |u − exact|
     * @param l1                 mean |u − exact|
     * @param ci95Coverage       share of the points with an error bar whose interval holds the exact value (null if
     *                           none has one)
     * @param pointsWithErrorBar points with a finite error bar
     * @param over               which points the errors are taken over ({@link #OVER})
     */
    public record Errors(long pointsWithExact, double relL2, double linf, double l1, Double ci95Coverage,
                         long pointsWithErrorBar, String over) {
    }

    /** The same errors of the surrogate alone (u_surrogate), over the same points. */
    public record SurrogateErrors(long pointsWithExact, double relL2, double linf, double l1, String over) {
    }

    /** Mean and max of the finite standard errors (null when there are none). */
    public record StdError(Double mean, Double max) {
    }

    /** Per-point diagnostics, summed or summarised over the points. */
    public record Diagnostics(long pointsWarnedGradientNoise, long pointsWarnedResidual, Double medianNoiseRatio,
                              Double meanResidualRms, Double maxResidualRms) {
    }

    /**
     * What one aggregation gives.
     *
     * @param points                all points written
     * @param evaluations           evaluation totals by counter name
     * @param pointsWithoutErrorBar ok points whose std_error is NaN
     * @param stdError              over the ok points with an error bar
     * @param diagnostics           over the points where they are finite
     * @param metrics               errors of u (null without an exact solution or without ok points)
     * @param surrogateMetrics      errors of u_surrogate (null likewise, or without a surrogate)
     * @param statusCounts          points by status label, every label present
     * @param pointsNotFinite       points whose status is not ok
     * @param firstNotFinite        the smallest ids of those (at most {@link #FIRST_IDS})
     */
    public record Result(long points, Map<String, Long> evaluations, long pointsWithoutErrorBar, StdError stdError,
                         Diagnostics diagnostics, Errors metrics, SurrogateErrors surrogateMetrics,
                         Map<String, Long> statusCounts, long pointsNotFinite, List<Long> firstNotFinite) {
    }
}
