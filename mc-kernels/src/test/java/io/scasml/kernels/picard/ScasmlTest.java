package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SCaSML on the defect PDE of analytic surrogates (docs/algorithm.md §6). */
class ScasmlTest {

    private static List<PointEstimate> scasml(Pde pde, Surrogate s, RunOptions.Builder b, List<QueryPoint> pts) {
        return LocalRunner.run(PicardEstimator.create(pde, s, b.method(Method.SCASML).build()), pts, 2);
    }

    /** With û = u the terminal defect and the residual vanish, so the correction is zero up to rounding. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"full-history", "quadrature"})
    void exactSurrogateNeedsNoCorrection(String scheme) {
        int d = 20;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 40, 3);
        for (PointEstimate e : scasml(pde, AnalyticSurrogates.vbExact(d),
            RunOptions.builder().scheme(Scheme.parse(scheme)).levels(2).seed(4), pts)) {
            assertEquals(0.0, e.correction(), 1e-12);
            assertEquals(e.exact(), e.u(), 1e-12);
            assertEquals(0.0, e.residualRms(), 1e-12);
        }
    }

    /**
     * With û = u + 0.05·cos(t + Σx/√d) the corrected error is far below the perturbation, and the 95% intervals
     * cover the exact value at about 95% of 300 points. Coverage bound: the count of covering points is
     * Binomial(300, p); for p = 0.95 the probability of leaving [0.89, 0.995] is below 1e-4 (normal approximation,
     * z ≥ 4.3 on the lower side).
     */
    @ParameterizedTest(name = "{0} d={1}")
    @CsvSource({"vb,20,full-history", "vb,20,quadrature", "lcd,10,full-history"})
    void perturbedSurrogateIsCorrected(String name, int d, String scheme) {
        Pde pde = BuiltinPdes.byName(name, d);
        Surrogate exact = name.equals("vb") ? AnalyticSurrogates.vbExact(d) : AnalyticSurrogates.lcdExact(d);
        Surrogate s = AnalyticSurrogates.perturbed(exact, 0.05, 1.0);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 300, 5);
        RunOptions.Builder b = RunOptions.builder().scheme(Scheme.parse(scheme)).levels(scheme.equals("quadrature") ? 3 : 2)
            .base(10).seed(6);
        List<PointEstimate> es = scasml(pde, s, b, pts);
        double surrogateErr = Stats.surrogateRelL2(es);
        double err = Stats.relL2(es);
        assertTrue(err < surrogateErr / 5, "SCaSML rel L2 " + err + " vs surrogate " + surrogateErr);
        long covered = es.stream().filter(PointEstimate::covers).count();
        double coverage = covered / (double) es.size();
        assertTrue(coverage >= 0.89 && coverage <= 0.995, "95% CI coverage " + coverage);
    }

    /** The surrogate alone: u = û, no simulation, no error bar. */
    @Test
    void surrogateAlone() {
        int d = 6;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 10, 2);
        Surrogate s = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 0.1, 1.0);
        PicardEstimator est = PicardEstimator.create(pde, s, RunOptions.builder().method(Method.SURROGATE).build());
        assertTrue(est.units().isEmpty());
        for (PointEstimate e : LocalRunner.run(est, pts, 2)) {
            double[] u = new double[1];
            s.value(1, new double[] {e.t()}, e.x(), u);
            assertEquals(u[0], e.u(), 0.0);
            assertEquals(u[0], e.uSurrogate(), 0.0);
            assertTrue(Double.isNaN(e.stdError()));
        }
    }

    /** û ≡ 0 turns the defect PDE into the PDE itself: SCaSML equals plain MLP for the same seed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"vb", "dr", "hjb"})
    void zeroSurrogateEqualsPlainMlp(String name) {
        int d = 10;
        Pde pde = BuiltinPdes.byName(name, d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 8, 9);
        RunOptions.Builder b = RunOptions.builder().levels(2).base(6).seed(10);
        List<PointEstimate> sc = scasml(pde, AnalyticSurrogates.zero(d), b, pts);
        List<PointEstimate> ml = LocalRunner.run(PicardEstimator.create(pde, null, b.method(Method.MLP).build()), pts, 1);
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(ml.get(i).u(), sc.get(i).u(), 1e-12 * (1 + Math.abs(ml.get(i).u())), "point " + i);
            assertEquals(ml.get(i).stdError(), sc.get(i).stdError(), 1e-12 * (1 + ml.get(i).stdError()));
        }
    }

    /** Diagnostics: none for a sound surrogate, a residual warning for a surrogate that is wrong along the paths. */
    @Test
    void diagnosticsWarnWhenTheSurrogateIsBadAlongThePaths() {
        int d = 10;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 20, 4);
        RunOptions.Builder b = RunOptions.builder().levels(2).base(10).seed(3);
        for (PointEstimate e : scasml(pde, AnalyticSurrogates.vbExact(d), b, pts)) {
            assertTrue(e.warnings(pde.horizon()).isEmpty(), e.warnings(pde.horizon()).toString());
        }
        Surrogate bad = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 1.0, 12.0);
        List<PointEstimate> es = scasml(pde, bad, b, pts);
        long warned = es.stream()
            .filter(e -> e.t() < 0.3 && e.warnings(pde.horizon()).stream().anyMatch(w -> w.contains("residual")))
            .count();
        long early = pts.stream().filter(p -> p.t() < 0.3).count();
        assertTrue(early >= 5);
        assertEquals(early, warned, "every point with T - t > 0.2 is warned about");
    }

    /** Evaluation counts per point (full history, n = 2, M = 10; docs/algorithm.md §15 counts 200 wasted n = 0 draws). */
    @Test
    void evaluationCounts() {
        int d = 5;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 3, 1);
        RunOptions plain = RunOptions.builder().method(Method.MLP).levels(2).base(10).splitHalf(false)
            .leaveOneOut(false).build();
        PointEstimate e = LocalRunner.run(PicardEstimator.create(pde, null, plain), pts, 1).get(0);
        assertEquals(100 + 1 + 10 * (10 + 1), e.counts()[TermPartial.TERMINAL_EVALS]);
        assertEquals(100 + 10 * (2 + 10), e.counts()[TermPartial.GENERATOR_EVALS]);
        RunOptions sc = plain.toBuilder().method(Method.SCASML).splitHalf(true).leaveOneOut(true).build();
        e = LocalRunner.run(PicardEstimator.create(pde, AnalyticSurrogates.vbExact(d), sc), pts, 1).get(0);
        long[] c = e.counts();
        // split-half on: the inner node's terms are raised to 2·MIN_HALF_SAMPLES samples (inner-sample rule)
        int inner = Math.max(10, 2 * PicardEstimator.MIN_HALF_SAMPLES);
        assertEquals(100 + 10 * inner, c[TermPartial.TERMINAL_EVALS]);
        assertEquals(c[TermPartial.TERMINAL_EVALS], c[TermPartial.SURROGATE_VALUE]);
        assertEquals(100 + 10 * inner, c[TermPartial.RESIDUAL_EVALS]);
        assertEquals(c[TermPartial.RESIDUAL_EVALS], c[TermPartial.SURROGATE_RESIDUAL]);
        assertEquals(10, c[TermPartial.SURROGATE_GRADIENT]);
        assertEquals(3 * 10, c[TermPartial.GENERATOR_EVALS]);
    }
}
