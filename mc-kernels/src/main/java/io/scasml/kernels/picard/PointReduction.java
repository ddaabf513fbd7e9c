package io.scasml.kernels.picard;

/**
 * The reduction of one group of points: the partials of the group's work units, accepted in unit order (which is
 * (term, block) order), folded into one {@link PointAccumulator} per point, then turned into estimates. This fixed
 * order makes the estimates bit-identical whatever order, grouping or machines the units ran on; it is the one
 * reduction used by {@link LocalRunner} and by the Spark job.
 *
 * <p>Streaming: memory is one accumulator per point, not one partial per (unit, point). Not thread-safe.
 */
public final class PointReduction {
    private final PicardEstimator est;
    private final QueryPoint[] points;
    private final PointAccumulator[] acc;
    private final int units;
    private int next;

    /**
     * Starts the reduction of a group.
     *
     * @param est    the estimator whose units are reduced
     * @param points the group's points, in group order; not modified
     */
    public PointReduction(PicardEstimator est, QueryPoint[] points) {
        this.est = est;
        this.points = points;
        this.units = est.units().size();
        int terms = est.topTerms();
        int d = est.pde().dim();
        this.acc = new PointAccumulator[points.length];
        for (int j = 0; j < points.length; j++) {
            acc[j] = new PointAccumulator(points[j].id(), terms, d);
        }
    }

    /**
     * Accepts the result of the next work unit.
     *
     * @param unit     the unit's index in {@link PicardEstimator#units()}; must be the next one (0, 1, 2, …)
     * @param partials the unit's result, one partial per point in group order
     * @throws IllegalStateException    if {@code unit} is not the next unit
     * @throws IllegalArgumentException if the partials do not match the group's points
     */
    public void accept(int unit, TermPartial[] partials) {
        if (unit != next) {
            throw new IllegalStateException("work unit " + unit + " out of order: expected unit " + next + " of "
                + units);
        }
        if (partials.length != points.length) {
            throw new IllegalArgumentException("work unit " + unit + ": " + partials.length + " partials for "
                + points.length + " points");
        }
        for (int j = 0; j < points.length; j++) {
            acc[j].accept(partials[j]);
        }
        next++;
    }

    /** Units accepted so far. */
    public int accepted() {
        return next;
    }

    /**
     * The estimates, in group order.
     *
     * @throws IllegalStateException if some unit is missing
     */
    public PointEstimate[] finish() {
        if (next != units) {
            throw new IllegalStateException("got " + next + " of " + units + " work units");
        }
        return est.estimates(points, acc);
    }

    /**
     * Reduces a group whose unit results are all at hand.
     *
     * @param byUnit {@code byUnit[u]} is the result of unit u (any order of computation; reduced in index order)
     */
    public static PointEstimate[] reduce(PicardEstimator est, QueryPoint[] points, TermPartial[][] byUnit) {
        PointReduction r = new PointReduction(est, points);
        for (int u = 0; u < byUnit.length; u++) {
            r.accept(u, byUnit[u]);
        }
        return r.finish();
    }
}
