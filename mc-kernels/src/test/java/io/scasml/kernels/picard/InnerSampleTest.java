package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "More compute never hurts": the inner-sample rule (raise, refuse, warn) and level, base and adaptive sweeps on
 * LQG d = 10 (exact solution by the Cole–Hopf reference) whose error does not grow with compute beyond Monte Carlo
 * noise. A sweep step passes when relL2 of the larger configuration is at most the smallest relL2 seen so far plus
 * 3·√(s₁² + s₂²), s the root-mean-square relative SE of each; with 8 fixed points and fixed seeds the outcome is
 * deterministic (the 3-SE allowance makes a false failure under pure noise improbable, about 1e-3 per step).
 */
class InnerSampleTest {
    static final int D = 10;

    @Test
    void raiseRefuseWarn() {
        Pde pde = BuiltinPdes.lqg(D);
        RunOptions warn = RunOptions.builder().method(Method.MLP).levels(3).base(4).innerSamples(InnerSamples.WARN)
            .build();
        PicardEstimator w = PicardEstimator.create(pde, null, warn);
        PicardEstimator r = PicardEstimator.create(pde, null, warn.toBuilder().innerSamples(InnerSamples.RAISE)
            .build());
        // inner nodes (k < n) get 2·MIN_HALF_SAMPLES samples per term; the top level keeps M^(n−l)
        int floor = 2 * PicardEstimator.MIN_HALF_SAMPLES;
        for (int k = 1; k < 3; k++) {
            for (int i = 0; i <= k; i++) {
                assertEquals(Math.max(floor, w.plan().samples(k, i)), r.plan().samples(k, i), "k=" + k + " i=" + i);
            }
        }
        for (int i = 0; i <= 3; i++) {
            assertEquals(w.plan().samples(3, i), r.plan().samples(3, i));
        }
        // the cost model counts the raised samples
        assertTrue(r.estimatedEvaluationsPerPoint() > w.estimatedEvaluationsPerPoint());
        assertTrue(r.configurationWarnings().isEmpty());
        assertTrue(!w.configurationWarnings().isEmpty());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PicardEstimator.create(pde,
            null, warn.toBuilder().innerSamples(InnerSamples.REFUSE).build()));
        assertTrue(ex.getMessage().startsWith("inner_samples:") && ex.getMessage().contains("--base to at least 16")
            && ex.getMessage().contains("--inner-samples raise"), ex.getMessage());
        // without split-half and leave-one-out nothing is raised or refused
        RunOptions plain = warn.toBuilder().splitHalf(false).leaveOneOut(false).innerSamples(InnerSamples.REFUSE)
            .build();
        assertEquals(w.estimatedEvaluationsPerPoint(), PicardEstimator.create(pde, null, plain)
            .estimatedEvaluationsPerPoint());
        // a large base is untouched
        RunOptions big = warn.toBuilder().base(16).build();
        assertEquals(PicardEstimator.create(pde, null, big).estimatedEvaluationsPerPoint(),
            PicardEstimator.create(pde, null, big.toBuilder().innerSamples(InnerSamples.RAISE).build())
                .estimatedEvaluationsPerPoint());
    }

    /** {relL2, rms relative SE, evaluations per point}. */
    static double[] errorOf(List<PointEstimate> es, double evals) {
        double e2 = 0;
        double x2 = 0;
        double s2 = 0;
        for (PointEstimate e : es) {
            e2 += (e.u() - e.exact()) * (e.u() - e.exact());
            x2 += e.exact() * e.exact();
            s2 += e.stdError() * e.stdError();
        }
        return new double[] {Math.sqrt(e2 / x2), Math.sqrt(s2 / x2), evals};
    }

    static void assertNonIncreasing(String what, List<double[]> sweep) {
        StringBuilder sb = new StringBuilder(what + ":");
        for (double[] s : sweep) {
            sb.append(String.format(java.util.Locale.ROOT, " %.3g (SE %.3g, %.3g evals);", s[0], s[1], s[2]));
        }
        System.out.println(sb);
        double best = sweep.get(0)[0];
        double bestSe = sweep.get(0)[1];
        for (int i = 1; i < sweep.size(); i++) {
            double[] s = sweep.get(i);
            assertTrue(sweep.get(i)[2] > sweep.get(i - 1)[2], "sweep in order of compute");
            assertTrue(s[0] <= best + 3 * Math.hypot(s[1], bestSe), sb.toString());
            if (s[0] < best) {
                best = s[0];
                bestSe = s[1];
            }
        }
    }

    @Test
    void levelBaseAndAdaptiveSweepsDoNotGetWorse() {
        Pde pde = BuiltinPdes.lqg(D);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), D, 8, 77);
        List<double[]> levels = new ArrayList<>();
        List<double[]> old = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            RunOptions o = RunOptions.builder().method(Method.MLP).levels(n).base(4).seed(5).build();
            PicardEstimator est = PicardEstimator.create(pde, null, o);
            levels.add(errorOf(LocalRunner.run(est, pts, 2), est.estimatedEvaluationsPerPoint()));
            PicardEstimator was = PicardEstimator.create(pde, null, o.toBuilder().innerSamples(InnerSamples.WARN)
                .build());
            old.add(errorOf(LocalRunner.run(was, pts, 2), was.estimatedEvaluationsPerPoint()));
        }
        assertNonIncreasing("level sweep M = 4, n = 1..4", levels);
        System.out.println("  the same without the rule (warn):" + old.stream()
            .map(s -> String.format(java.util.Locale.ROOT, " %.3g", s[0])).reduce("", String::concat));
        // without the rule the error grew with compute: the rule is what keeps the sweep honest
        assertTrue(old.get(3)[0] > 2 * old.get(0)[0]);
        List<double[]> bases = new ArrayList<>();
        for (int m : new int[] {2, 4, 8, 16}) {
            RunOptions o = RunOptions.builder().method(Method.MLP).levels(2).base(m).seed(6).build();
            PicardEstimator est = PicardEstimator.create(pde, null, o);
            bases.add(errorOf(LocalRunner.run(est, pts, 2), est.estimatedEvaluationsPerPoint()));
        }
        assertNonIncreasing("base sweep n = 2, M = 2..16", bases);
        List<double[]> adaptive = new ArrayList<>();
        for (double target : new double[] {0.04, 0.02, 0.01}) {
            RunOptions o = RunOptions.builder().method(Method.MLP).levels(2).base(8).seed(7).targetRelSe(target)
                .maxRounds(64).build();
            List<AdaptiveEstimate> r = LocalRunner.solve(pde, null, o, pts, 2);
            List<PointEstimate> es = new ArrayList<>();
            double ev = 0;
            for (AdaptiveEstimate a : r) {
                es.add(a.estimate());
                ev += a.evaluations() / r.size();
            }
            adaptive.add(errorOf(es, ev));
        }
        assertNonIncreasing("adaptive n = 2, M = 8, target rel SE 0.04, 0.02, 0.01", adaptive);
    }
}
