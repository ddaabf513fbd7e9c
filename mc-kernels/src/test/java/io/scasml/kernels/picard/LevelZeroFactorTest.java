package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --level-zero-factor F}: F times the samples of the top-level terminal and level-0 terms (docs/algorithm.md §25).
 * The plan, the expectation (unchanged: those terms' summands are i.i.d. with the same mean whatever their number)
 * and the error bar (still the spread of the estimate) on SCaSML with a perturbed VB surrogate, one point replicated
 * R = 400 times (distinct ids, independent streams).
 */
class LevelZeroFactorTest {

    private static final int R = 400;

    private static double[] replicate(Pde pde, Surrogate s, int f) {
        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(6).seed(31).levelZeroFactor(f).build();
        List<PointEstimate> es = LocalRunner.run(PicardEstimator.create(pde, s, o),
            Stats.replicates(R, 0.3, new double[] {0.2, -0.1, 0.4, 0.0, 0.3, -0.2, 0.1, 0.5, -0.3, 0.2}), 2);
        double[] u = new double[R];
        double se2 = 0;
        for (int i = 0; i < R; i++) {
            u[i] = es.get(i).u();
            se2 += es.get(i).stdError() * es.get(i).stdError();
        }
        double[] ms = Stats.meanSe(u);
        return new double[] {ms[0], ms[1], ms[2] * ms[2], se2 / R};
    }

    @Test
    void planMultipliesOnlyTheTermsWithoutAnInnerIterate() {
        Pde pde = BuiltinPdes.vb(10);
        Surrogate s = AnalyticSurrogates.vbExact(10);
        PicardEstimator one = PicardEstimator.create(pde, s, RunOptions.builder().levels(2).base(6).build());
        PicardEstimator four = PicardEstimator.create(pde, s,
            RunOptions.builder().levels(2).base(6).levelZeroFactor(4).build());
        assertEquals(36, one.termSamples(0));
        assertEquals(4 * 36, four.termSamples(0));
        assertEquals(4 * 36, four.termSamples(1));
        assertEquals(one.termSamples(2), four.termSamples(2));
        assertTrue(four.estimatedEvaluationsPerPoint() > one.estimatedEvaluationsPerPoint());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RunOptions.builder().levelZeroFactor(0).build());
        assertTrue(e.getMessage().startsWith("level_zero_factor: F = 0"), e.getMessage());
        assertEquals(3, RunOptions.builder().set("--level-zero-factor", "3").build().levelZeroFactor());
    }

    /**
     * Same expectation with F = 1 and F = 4: |mean₄ − mean₁| within 4.89 combined standard errors of the two means
     * (two-sided false-failure rate 1e-6 under normality of the means of 400 replicates); the reported error bar
     * matches the spread of the F = 4 estimates (ratio of the empirical variance to the mean reported SE² in
     * [0.6, 1.5]: about ±5 standard deviations of a variance ratio at 399 dof, sd ≈ √(2/399) ≈ 0.07); and the
     * variance drops.
     */
    @Test
    void unbiasedWithAnHonestErrorBarAndLessVariance() {
        int d = 10;
        Pde pde = BuiltinPdes.vb(d);
        Surrogate s = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 0.05, 1.0);
        double[] a = replicate(pde, s, 1);
        double[] b = replicate(pde, s, 4);
        double z = Math.abs(b[0] - a[0]) / Math.hypot(a[1], b[1]);
        assertTrue(z < 4.89, "F = 4 mean " + b[0] + " vs F = 1 mean " + a[0] + ": " + z + " standard errors");
        double ratio = b[2] / b[3];
        assertTrue(ratio > 0.6 && ratio < 1.5, "empirical variance / mean reported SE^2 = " + ratio);
        assertTrue(b[2] < a[2], "variance with F = 4 " + b[2] + " vs F = 1 " + a[2]);
    }
}
