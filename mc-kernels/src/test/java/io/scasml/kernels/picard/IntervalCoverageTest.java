package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Coverage of the 95% interval at small samples. F = 0 and a linear terminal condition make the only simulated term
 * a mean of M i.i.d. Gaussians, for which the Student-t interval with ν = M − 1 is exact: coverage is 95%. Each
 * point id is an independent replicate (own streams). With R = 4000 replicates the count of covering intervals is
 * Binomial(4000, 0.95); the bounds are ±4.89 standard deviations (two-sided false-failure rate 1e-6) around 3800.
 * The test fails for the normal quantile (coverage 86% at M = 4, 70% at M = 2) and for a ν floored at 2 (86% at
 * M = 2).
 */
class IntervalCoverageTest {

    @ParameterizedTest(name = "M = {0}")
    @CsvSource({"2", "4"})
    void coverageIsNominalAtTinySamples(int m) {
        int d = 2;
        var pde = TestPdes.linearTerminal(d, 0.1, 0.8, 1.0);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(1).base(m).seed(77).pointsPerUnit(500).build();
        PicardEstimator est = PicardEstimator.create(pde, null, o);
        int reps = 4000;
        List<QueryPoint> pts = new ArrayList<>(reps);
        for (int i = 0; i < reps; i++) {
            pts.add(new QueryPoint(i, 0.2, new double[] {0.3, -0.4}));
        }
        int covered = 0;
        for (PointEstimate e : LocalRunner.run(est, pts, 2)) {
            assertTrue(Math.abs(e.dof() - (m - 1)) < 1e-12, "dof " + e.dof());
            if (e.covers()) {
                covered++;
            }
        }
        double mean = 0.95 * reps;
        double sd = Math.sqrt(reps * 0.95 * 0.05);
        assertTrue(Math.abs(covered - mean) <= 4.89 * sd, "covered " + covered + " of " + reps + " (expected "
            + mean + " +- " + 4.89 * sd + ")");
    }
}
