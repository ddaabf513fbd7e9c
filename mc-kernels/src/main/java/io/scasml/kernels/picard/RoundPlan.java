package io.scasml.kernels.picard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The work of one adaptive round as one flat list of tasks, for a runner that executes a round as one stage
 * ({@link LocalRunner#executor}: one thread pool; the Spark job: one RDD). Batch b's points are cut into groups of
 * {@link RunOptions#pointsPerUnit()} consecutive points; task (b, g, u) is unit u of group g of batch b, run as
 * {@code est.run(group(b, g), units.get(u), root(b))}; the partials of a (b, g) are reduced with
 * {@link PointReduction} in unit order. Tasks are listed in (batch, group, unit) order, the order a range
 * partitioner keeps, so that a partition sees each group's units consecutively. The estimates do not depend on the
 * grouping (each point's streams hang below its own key), so any {@code pointsPerUnit} gives the same bits.
 */
public final class RoundPlan {

    /** One work unit of one group of one batch. */
    public record Task(int batch, int group, int unit) implements Serializable {
    }

    private final List<RoundExecutor.Batch> batches;
    private final List<List<QueryPoint[]>> groups;
    private final List<Task> tasks;

    private RoundPlan(List<RoundExecutor.Batch> batches) {
        this.batches = List.copyOf(batches);
        this.groups = new ArrayList<>(batches.size());
        List<Task> t = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            RoundExecutor.Batch bt = batches.get(b);
            PicardEstimator est = bt.est();
            int g = est.options().pointsPerUnit();
            List<QueryPoint> pts = bt.points();
            List<QueryPoint[]> gs = new ArrayList<>();
            for (int i = 0; i < pts.size(); i += g) {
                gs.add(pts.subList(i, Math.min(pts.size(), i + g)).toArray(new QueryPoint[0]));
            }
            est.plan().checkPoints(pts.size());
            groups.add(gs);
            int nu = est.units().size();
            for (int gi = 0; gi < gs.size(); gi++) {
                for (int u = 0; u < nu; u++) {
                    t.add(new Task(b, gi, u));
                }
            }
        }
        this.tasks = List.copyOf(t);
    }

    /** The plan of a round's batches ({@link AdaptiveDriver#nextBatches()}). */
    public static RoundPlan of(List<RoundExecutor.Batch> batches) {
        return new RoundPlan(batches);
    }

    /** The batches. */
    public List<RoundExecutor.Batch> batches() {
        return batches;
    }

    /** Every task, in (batch, group, unit) order. */
    public List<Task> tasks() {
        return tasks;
    }

    /** Groups of batch {@code b}. */
    public int groups(int b) {
        return groups.get(b).size();
    }

    /** Group {@code g} of batch {@code b} (do not modify). */
    public QueryPoint[] group(int b, int g) {
        return groups.get(b).get(g);
    }

    /** Runs one task with the given estimator (the batch's, or the executor's copy of the same role). */
    public TermPartial[] run(Task t, PicardEstimator est) {
        RoundExecutor.Batch b = batches.get(t.batch());
        return est.run(group(t.batch(), t.group()), est.units().get(t.unit()), b.root());
    }

    /**
     * The estimates of every batch from the reduced groups.
     *
     * @param byGroup {@code byGroup[b][g]}: the estimates of group g of batch b, in group order
     *                ({@link PointReduction#finish()})
     * @return per batch, its estimates in the batch's point order
     */
    public List<List<PointEstimate>> assemble(PointEstimate[][][] byGroup) {
        List<List<PointEstimate>> out = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
            List<PointEstimate> l = new ArrayList<>(batches.get(b).points().size());
            for (int g = 0; g < groups(b); g++) {
                PointEstimate[] e = byGroup[b][g];
                if (e == null || e.length != group(b, g).length) {
                    throw new IllegalArgumentException("batch " + b + " (" + batches.get(b).label() + "), group " + g
                        + ": " + (e == null ? "missing" : e.length + " estimates for " + group(b, g).length
                        + " points"));
                }
                for (PointEstimate x : e) {
                    l.add(x);
                }
            }
            out.add(l);
        }
        return out;
    }
}
