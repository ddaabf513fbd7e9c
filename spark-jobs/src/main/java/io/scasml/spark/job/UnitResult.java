package io.scasml.spark.job;

import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.TermPartial;
import java.io.Serializable;

/**
 * The output of one work unit: one partial per point of its group, in group order. The group's points ride along
 * with the group's first unit only, for the reduction.
 */
public final class UnitResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The group's points (unit 0 of the group), else null. */
    public QueryPoint[] points;
    /** One partial per point, in group order. */
    public TermPartial[] partials;

    public UnitResult() {
    }

    public UnitResult(QueryPoint[] points, TermPartial[] partials) {
        this.points = points;
        this.partials = partials;
    }
}
