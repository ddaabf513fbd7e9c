package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.Pde;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The estimator's building blocks against closed forms, with replicate-based statistical checks.
 *
 * <p>Every check is |mean − exact| ≤ 4·SE with SE the standard error of the replicate mean (R ≥ 400 replicates, so
 * the normal approximation holds): false-failure probability ≈ 6.3e-5 per check; these tests make about 40 checks,
 * so the suite's false-failure rate is below 3e-3 and, with fixed seeds, the outcome is deterministic.
 */
class BuildingBlocksTest {

    private static List<PointEstimate> run(Pde pde, RunOptions o, List<QueryPoint> pts) {
        return LocalRunner.run(PicardEstimator.create(pde, null, o), pts, 2);
    }

    private static void checkValueAndGradient(Pde pde, double[] zExact, RunOptions o, double t, double[] x) {
        int r = 400;
        List<PointEstimate> es = run(pde, o, Stats.replicates(r, t, x));
        double[] u = new double[r];
        for (int i = 0; i < r; i++) {
            u[i] = es.get(i).u();
        }
        double[] ms = Stats.meanSe(u);
        double exact = es.get(0).exact();
        assertEquals(exact, ms[0], 4 * ms[1] + 1e-12, "value " + o);
        // the reported per-point standard error agrees with the replicate spread
        double meanReportedSe = 0;
        for (PointEstimate e : es) {
            meanReportedSe += e.stdError() / r;
        }
        if (ms[2] > 1e-12) {
            double ratio = meanReportedSe / ms[2];
            assertTrue(ratio > 0.8 && ratio < 1.25, "reported SE / replicate SD = " + ratio);
        }
        int d = x.length;
        for (int k = 0; k < d; k++) {
            double[] zk = new double[r];
            for (int i = 0; i < r; i++) {
                zk[i] = es.get(i).z()[k];
            }
            double[] mz = Stats.meanSe(zk);
            assertEquals(zExact[k], mz[0], 4 * mz[1] + 1e-12, "gradient coordinate " + k + " " + o);
        }
    }

    @ParameterizedTest(name = "linear g, loo={0}, antithetic={1}")
    @CsvSource({"true,false", "false,false", "true,true"})
    void terminalValueAndGradientForLinearG(boolean loo, boolean anti) {
        int d = 4;
        double sigma = 0.8;
        Pde pde = TestPdes.linearTerminal(d, 0.3, sigma, 0.7);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(1).base(12).leaveOneOut(loo).antithetic(anti)
            .seed(101).build();
        checkValueAndGradient(pde, TestPdes.linearTerminalZ(d, sigma), o, 0.2, new double[] {0.1, -0.4, 0.3, 1.0});
    }

    @ParameterizedTest(name = "quadratic g, loo={0}")
    @CsvSource({"true", "false"})
    void terminalValueAndGradientForQuadraticG(boolean loo) {
        int d = 3;
        double sigma = 0.6;
        double mu = -0.2;
        double horizon = 1.0;
        double t = 0.25;
        double[] x = {0.5, -0.3, 0.2};
        Pde pde = TestPdes.quadraticTerminal(d, mu, sigma, horizon);
        double[] z = new double[d];
        for (int k = 0; k < d; k++) {
            z[k] = 2 * sigma * (x[k] + mu * (horizon - t));
        }
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(1).base(10).leaveOneOut(loo).seed(202).build();
        checkValueAndGradient(pde, z, o, t, x);
    }

    /** F = f(t) = 1 + 3t², g = 0: the level-0 time integral with τ = V² importance sampling is unbiased. */
    @ParameterizedTest(name = "time integral, full history, n={0}")
    @CsvSource({"1", "2"})
    void timeIntegralFullHistory(int n) {
        int d = 2;
        Pde pde = TestPdes.timeSource(d, 0.8);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(n).base(8).seed(303).build();
        checkValueAndGradient(pde, new double[d], o, 0.1, new double[] {0.3, 0.2});
    }

    /** Gauss–Legendre with q ≥ 2 nodes integrates the quadratic f exactly: every replicate is exact. */
    @ParameterizedTest(name = "time integral, quadrature, rho={0}")
    @CsvSource({"1", "2", "3"})
    void timeIntegralQuadratureIsExact(int rho) {
        Pde pde = TestPdes.timeSource(2, 0.8);
        RunOptions o = RunOptions.builder().method(Method.MLP).scheme(Scheme.QUADRATURE).levels(rho).seed(9).build();
        for (PointEstimate e : run(pde, o, Stats.replicates(5, 0.1, new double[] {0.3, 0.2}))) {
            assertEquals(e.exact(), e.u(), 1e-13);
        }
    }
}
