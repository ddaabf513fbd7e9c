package io.scasml.kernels.picard;

import java.util.List;

/**
 * Runs the estimates of one adaptive round ({@link AdaptiveDriver}): a list of batches, each one estimator over
 * some points with the streams below one estimate root. {@link LocalRunner#executor} runs them on a thread pool;
 * the Spark job runs them as one stage (the estimators broadcast once per run, see {@link Batch#role()}).
 *
 * <p>Contract: the result of a batch is {@code est.run}'s units over the points, reduced by
 * {@link PointReduction} with {@code root} — the same bits however the units are divided, ordered or retried.
 */
@FunctionalInterface
public interface RoundExecutor {

    /** Which of the driver's estimators a batch uses (the Spark job broadcasts each once and looks it up). */
    enum Role {
        /** The requested method ({@link AdaptiveDriver#estimator()}). */
        MAIN,
        /** The plain-MLP companion of guarded SCaSML ({@link AdaptiveDriver#companion()}). */
        COMPANION
    }

    /**
     * One estimator over some points with one stream root.
     *
     * @param role   which estimator
     * @param est    that estimator
     * @param points the points, in the driver's order (a subset of the run's points)
     * @param root   the estimate root ({@link io.scasml.kernels.random.StreamKeys#estimateRoot} and friends)
     * @param pilot  whether this is a pilot (used only for the guard's weight, never in a reported estimate)
     * @param label  what the batch is, for logs: {@code "round 3"}, {@code "pilot"}, {@code "companion round 0"}
     */
    record Batch(Role role, PicardEstimator est, List<QueryPoint> points, long root, boolean pilot, String label) {
    }

    /**
     * Runs every batch of a round.
     *
     * @return per batch, its estimates in the batch's point order
     */
    List<List<PointEstimate>> run(List<Batch> batches);
}
