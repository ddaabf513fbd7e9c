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

    /**
     * Which of the driver's estimators a batch uses (the Spark job broadcasts the run's options once and builds each
     * role's estimator from {@link #options} — the one place that says what each role runs).
     */
    enum Role {
        /** The requested method ({@link AdaptiveDriver#estimator()}). */
        MAIN,
        /** The plain-MLP companion of guarded SCaSML ({@link AdaptiveDriver#companion()}). */
        COMPANION,
        /** The guard's SCaSML pilot, at the {@link #pilotOptions pilot base}. */
        PILOT_MAIN,
        /** The guard's plain-MLP pilot, at the pilot base. */
        PILOT_COMPANION;

        /** The options of this role's estimator in a run with options {@code run}. */
        public RunOptions options(RunOptions run) {
            switch (this) {
                case MAIN:
                    return run;
                case COMPANION:
                    return run.toBuilder().method(Method.MLP).build();
                case PILOT_MAIN:
                    return pilotOptions(run);
                default:
                    return pilotOptions(run).toBuilder().method(Method.MLP).build();
            }
        }

        /** Whether this role's estimator calls the surrogate. */
        public boolean usesSurrogate() {
            return this == MAIN || this == PILOT_MAIN;
        }

        /**
         * The guard's pilots run at half the base, M_p = max({@link #MIN_PILOT_BASE}, ⌊M/2⌋) but at most M (full
         * history; about 2^−n of the cost, so a guarded run costs little more than an unguarded one), their
         * variances scaled to the run's base by the cost ratio (docs/algorithm.md §23.3). Kept at M with quadrature
         * (no base) and with {@code inner_samples refuse} (a smaller base might be refused).
         */
        public static RunOptions pilotOptions(RunOptions run) {
            int mp = Math.max(MIN_PILOT_BASE, run.base() / 2);
            if (run.scheme() != Scheme.FULL_HISTORY || run.innerSamples() == InnerSamples.REFUSE || mp >= run.base()) {
                return run;
            }
            return run.toBuilder().base(mp).build();
        }

        /**
         * Smallest pilot base: at M_p = 2 the last top-level term has two samples, and its variance and increment
         * estimates are too noisy for the weight (measured on VB d = 20, n = 2 and 3 at M = 4: a few points moved
         * towards plain MLP, rel L2 0.0041 and 0.0078 against 0.0020 and 0.0018 with a pilot at M = 4).
         */
        public static final int MIN_PILOT_BASE = 4;
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
