package io.scasml.spark.job;

import java.util.Arrays;
import org.apache.spark.Partitioner;

/**
 * The simulation stage's partitions: contiguous ranges of work items (item = group × units + unit), cut by the
 * work plan's cost model ({@link io.scasml.kernels.picard.WorkPlan#unitCost}) into shares that <em>decrease</em>
 * linearly — partition p of P gets the share (P − p) / (P(P + 1)/2) of the estimated cost.
 *
 * <p>Why: Spark starts a stage's tasks in partition order as slots free up. With P equal tasks on S slots, the
 * stage ends when the last task ends, and the slots that finished early idle for up to one task, 1/P of the stage's
 * work (P = 8 on 2 slots: up to 25% of a slot's time; issue 16 measured +11% over the engine's own thread pool).
 * Decreasing shares leave the smallest tasks for the end (2/(P(P + 1)) of the work each at P = 8: under 3%), with
 * the same number of tasks (each task has a fixed cost). The ranges are in cost, not in items, because the units of
 * a group differ in cost by orders of magnitude (the top-level term of level n − 1 holds most of the work). The
 * results are reduced in item order after the shuffle, so the partitioning never changes a bit of the output.
 */
public final class CostRangePartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    /** bounds[p] = first item of partition p + 1 (ascending; length parts − 1). */
    private final long[] bounds;

    private CostRangePartitioner(long[] bounds) {
        this.bounds = bounds;
    }

    /**
     * Partitions of {@code nItems} items with per-unit costs {@code unitCost} (item i is unit i mod units).
     *
     * @param nItems   groups × units
     * @param unitCost the cost of each unit of a group (all groups alike; ≥ 0, not all 0)
     * @param parts    number of partitions (≥ 1)
     */
    public static CostRangePartitioner decreasing(long nItems, double[] unitCost, int parts) {
        int nu = unitCost.length;
        int p = Math.max(1, parts);
        double[] prefix = new double[nu + 1];
        for (int u = 0; u < nu; u++) {
            prefix[u + 1] = prefix[u] + Math.max(0, unitCost[u]);
        }
        if (nu == 0) {
            return new CostRangePartitioner(decreasingCuts(nItems, i -> 0, p)); // equal item ranges
        }
        return new CostRangePartitioner(decreasingCuts(nItems, i -> cumulative(i, prefix), p));
    }

    /**
     * The cuts of {@code nItems} items into {@code parts} contiguous ranges with linearly decreasing shares of the
     * estimated cost: element q is the first item of range q + 1 (ascending; length parts − 1).
     *
     * @param cumulative the estimated cost of items [0, i), non-decreasing in i, positive at nItems
     */
    public static long[] decreasingCuts(long nItems, java.util.function.LongToDoubleFunction cumulative, int parts) {
        int p = Math.max(1, parts);
        long[] bounds = new long[p - 1];
        double total = nItems > 0 ? cumulative.applyAsDouble(nItems) : 0;
        if (!(total > 0) || !Double.isFinite(total)) {
            for (int q = 1; q < p; q++) {
                bounds[q - 1] = Math.max(0, nItems) * q / p;
            }
            return bounds;
        }
        double weights = p * (p + 1) / 2.0;
        double share = 0;
        for (int q = 1; q < p; q++) {
            share += (p - q + 1) / weights;
            double target = share * total;
            // smallest i with cumulative(i) >= target
            long lo = 0;
            long hi = nItems;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (cumulative.applyAsDouble(mid) >= target) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            bounds[q - 1] = Math.max(q == 1 ? 0 : bounds[q - 2], lo);
        }
        return bounds;
    }

    /** Estimated cost of items [0, i). */
    private static double cumulative(long i, double[] prefix) {
        int nu = prefix.length - 1;
        return (double) (i / nu) * prefix[nu] + prefix[(int) (i % nu)];
    }

    /** The first item of each partition after the first (for tests and the summary). */
    long[] bounds() {
        return bounds.clone();
    }

    @Override
    public int numPartitions() {
        return bounds.length + 1;
    }

    @Override
    public int getPartition(Object key) {
        long k = (Long) key;
        int i = Arrays.binarySearch(bounds, k);
        // bounds[i] == k: k is the first item of partition i + 1 (equal bounds: empty partitions in between)
        if (i >= 0) {
            while (i + 1 < bounds.length && bounds[i + 1] == k) {
                i++;
            }
            return i + 1;
        }
        return -i - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostRangePartitioner c && Arrays.equals(c.bounds, bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }
}
