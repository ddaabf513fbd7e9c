package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.spark.job.CostRangePartitioner;
import org.junit.jupiter.api.Test;

/** Contiguous, ordered ranges whose estimated costs decrease linearly (the tail tasks are the small ones). */
class CostRangePartitionerTest {
    private static double[] costs(long nItems, double[] unit, CostRangePartitioner p) {
        double[] c = new double[p.numPartitions()];
        int prev = 0;
        for (long i = 0; i < nItems; i++) {
            int q = p.getPartition(i);
            assertTrue(q >= prev && q < p.numPartitions(), "item " + i + " -> " + q + " after " + prev);
            prev = q;
            c[q] += unit[(int) (i % unit.length)];
        }
        return c;
    }

    @Test
    void sharesDecreaseLinearlyInCost() {
        // 75 groups x 3 units of very unequal cost (the 4800-point README case has this shape)
        double[] unit = {20, 400, 9000};
        long n = 75 * 3;
        CostRangePartitioner p = CostRangePartitioner.decreasing(n, unit, 8);
        assertEquals(8, p.numPartitions());
        double[] c = costs(n, unit, p);
        double total = 75 * (20 + 400 + 9000);
        for (int q = 0; q < 8; q++) {
            double want = total * (8 - q) / 36.0;
            // one unit of slack: ranges are cut between items
            assertEquals(want, c[q], 9000 + 1e-9, "partition " + q);
        }
    }

    @Test
    void degenerateInputsGiveValidPartitions() {
        CostRangePartitioner few = CostRangePartitioner.decreasing(3, new double[] {1, 2, 3}, 8);
        assertEquals(8, few.numPartitions());
        costs(3, new double[] {1, 2, 3}, few);
        CostRangePartitioner zero = CostRangePartitioner.decreasing(10, new double[] {0}, 4);
        double[] c = costs(10, new double[] {1}, zero);
        assertEquals(10, c[0] + c[1] + c[2] + c[3], 0.0);
        assertEquals(1, CostRangePartitioner.decreasing(5, new double[] {1}, 1).numPartitions());
        assertEquals(0, CostRangePartitioner.decreasing(5, new double[] {1}, 1).getPartition(4L));
    }
}
