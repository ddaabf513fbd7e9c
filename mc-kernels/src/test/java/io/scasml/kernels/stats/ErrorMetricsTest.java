package io.scasml.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorMetricsTest {
    @Test
    void metricsByHand() {
        // errors 0.1, -0.2, 0.2 against exact 1, 2, 2: ||e||^2 = 0.09, ||x||^2 = 9
        ErrorMetrics m = new ErrorMetrics()
            .add(1.1, 1.0, 0.05, 1.0, 1.2)
            .add(1.8, 2.0, 0.05, 1.7, 1.9)
            .add(2.2, 2.0);
        ErrorMetrics.Result r = m.result();
        assertEquals(0.1, r.relL2(), 1e-15);
        assertEquals(0.2, r.linf(), 1e-15);
        assertEquals(0.5 / 3, r.l1(), 1e-15);
        assertEquals(0.5, r.coverage());
        assertEquals(0.05, r.meanStdError(), 1e-15);
        assertEquals(3, r.points());
    }

    @Test
    void nonFinitePointsAreLeftOutAndCounted() {
        ErrorMetrics.Result r = new ErrorMetrics().add(Double.NaN, 1).add(1, Double.POSITIVE_INFINITY).add(2, 1)
            .result();
        assertEquals(1, r.points());
        assertEquals(2, r.skipped());
        assertEquals(1.0, r.relL2());
        assertTrue(Double.isNaN(new ErrorMetrics().result().relL2()));
    }

    @Test
    void combineEqualsOneAccumulator() {
        double[] u = {1.1, 1.8, 2.2, -0.3, 5.0};
        double[] x = {1.0, 2.0, 2.0, -0.25, 4.5};
        ErrorMetrics a = new ErrorMetrics();
        ErrorMetrics b = new ErrorMetrics();
        for (int i = 0; i < 5; i++) {
            (i < 2 ? a : b).add(u[i], x[i]);
        }
        ErrorMetrics.Result all = ErrorMetrics.of(5, u, x);
        ErrorMetrics.Result merged = a.combine(b).result();
        assertEquals(all.relL2(), merged.relL2(), 1e-15);
        assertEquals(all.linf(), merged.linf());
        assertEquals(all.l1(), merged.l1(), 1e-15);
    }
}
