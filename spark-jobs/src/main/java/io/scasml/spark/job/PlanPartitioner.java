package io.scasml.spark.job;

import org.apache.spark.Partitioner;

/**
 * Splits keys {@code 0..total−1} (longs: a work-item index, or a group index once divided by {@code divisor}) into
 * contiguous, nearly equal ranges. Contiguous ranges keep a group's units together and make the output ordered by
 * id without a sort; any partition count gives the same bits, since reductions are ordered by key.
 */
public final class PlanPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final long total;
    private final long divisor;
    private final int parts;

    /**
     * @param total   number of distinct values of {@code key / divisor}
     * @param divisor keys are divided by this before ranging (1, or the units per group)
     * @param parts   number of partitions (≥ 1)
     */
    public PlanPartitioner(long total, long divisor, int parts) {
        this.total = Math.max(1, total);
        this.divisor = Math.max(1, divisor);
        this.parts = Math.max(1, parts);
    }

    @Override
    public int numPartitions() {
        return parts;
    }

    @Override
    public int getPartition(Object key) {
        long k = ((Long) key) / divisor;
        return (int) Math.min(parts - 1, Math.max(0, (k * parts) / total));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanPartitioner p && p.total == total && p.divisor == divisor && p.parts == parts;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(total * 31 + divisor) * 31 + parts;
    }
}
