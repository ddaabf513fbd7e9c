package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guarded SCaSML: with a surrogate exact on the test domain and badly wrong along the paths it reaches plain MLP's
 * accuracy; with an exact or nearly exact surrogate, SCaSML's. VB d = 10, n = 2, M = 8, query points in the ball
 * ‖x‖ ≤ 0.8 (the surrogates below are exact there). Error checks are |u − exact| ≤ 4·SE per point (false-failure
 * rate about 1e-4 per point for the degrees of freedom involved); variance checks compare averages of SE² over the
 * points (ratios of sums of ≥ 30 terms each).
 */
class GuardTest {
    static final int D = 10;
    static final Pde PDE = BuiltinPdes.vb(D);

    static List<QueryPoint> points(int n) {
        List<QueryPoint> pts = new ArrayList<>();
        for (QueryPoint p : PointSampler.sample(PDE.domain(), D, n, 31)) {
            double[] x = p.x().clone();
            double r = 0;
            for (double v : x) {
                r += v * v;
            }
            double scale = Math.min(1, 0.8 / Math.sqrt(r));
            for (int k = 0; k < D; k++) {
                x[k] *= scale;
            }
            pts.add(new QueryPoint(p.id(), p.t(), x));
        }
        return pts;
    }

    static RunOptions opt(Method m, boolean guard) {
        return RunOptions.builder().method(m).levels(2).base(8).seed(13).guard(guard).build();
    }

    static double meanSe2(List<PointEstimate> es) {
        double s = 0;
        for (PointEstimate e : es) {
            s += e.stdError() * e.stdError();
        }
        return s / es.size();
    }

    static List<PointEstimate> estimates(List<AdaptiveEstimate> a) {
        List<PointEstimate> l = new ArrayList<>();
        for (AdaptiveEstimate x : a) {
            l.add(x.estimate());
        }
        return l;
    }

    @Test
    void aSurrogateWrongAlongThePathsFallsBackToPlainMlp() {
        List<QueryPoint> pts = points(40);
        Surrogate bad = AnalyticSurrogates.wrongAway(AnalyticSurrogates.vbExact(D), 0.8, 20.0);
        List<PointEstimate> mlp = LocalRunner.run(PicardEstimator.create(PDE, null, opt(Method.MLP, false)), pts, 2);
        List<PointEstimate> raw = LocalRunner.run(PicardEstimator.create(PDE, bad, opt(Method.SCASML, false)), pts, 2);
        List<AdaptiveEstimate> g = LocalRunner.solve(PDE, bad, opt(Method.SCASML, true), pts, 2);
        double mlpSe2 = meanSe2(mlp);
        double rawSe2 = meanSe2(raw);
        double gSe2 = meanSe2(estimates(g));
        int toMlp = 0;
        double partSe2 = 0;
        double e2g = 0;
        double e2m = 0;
        double e2r = 0;
        for (int i = 0; i < pts.size(); i++) {
            AdaptiveEstimate a = g.get(i);
            PointEstimate e = a.estimate();
            assertTrue(e.ok());
            assertTrue(a.guard().weight() >= 0 && a.guard().weight() <= 1);
            assertEquals(e.exact(), e.u(), 4 * e.stdError(), "point " + e.id());
            if (a.guard().weight() < 0.5) {
                toMlp++;
                assertTrue(a.warnings(PDE.horizon(), opt(Method.SCASML, true)).stream()
                    .anyMatch(w -> w.contains("carried by plain MLP")), "warning says which one carried it");
                assertTrue(!a.guard().reason().contains("not a number"), a.guard().reason());
            }
            e2g += e.error() * e.error();
            if (a.guard().weight() < 1) {
                partSe2 += a.guard().seMlp() * a.guard().seMlp() / pts.size();
            } else {
                assertTrue(Double.isNaN(a.guard().seMlp()), "w = 1: the companion's rounds are skipped");
                partSe2 += e.stdError() * e.stdError() / pts.size();
            }
            if (a.guard().weight() == 0) {
                assertTrue(Double.isNaN(a.guard().uScasml()), "w = 0: the SCaSML rounds are skipped");
                assertEquals(mlp.get(i).counts()[0] > 0, e.counts()[0] > 0);
            }
            e2m += mlp.get(i).error() * mlp.get(i).error();
            e2r += raw.get(i).error() * raw.get(i).error();
        }
        System.out.printf("bad surrogate: SE^2 mean: MLP %.3g, SCaSML %.3g, guarded %.3g; MSE: MLP %.3g, SCaSML %.3g,"
            + " guarded %.3g; %d of %d points carried by MLP%n", mlpSe2, rawSe2, gSe2, e2m / pts.size(),
            e2r / pts.size(), e2g / pts.size(), toMlp, pts.size());
        assertTrue(rawSe2 > 10 * mlpSe2, "premise: unguarded SCaSML is much worse than MLP here");
        // the guard's variance is its MLP part's (same streams; at w = 1 the point's own) up to the few points where
        // the pilot under-estimated SCaSML's heavy-tailed variance (measured 1.20); and both are plain MLP's
        // (independent streams, 40 points)
        assertTrue(gSe2 <= 1.3 * partSe2, "guarded variance " + gSe2 + " vs its MLP part " + partSe2);
        assertTrue(partSe2 <= 1.5 * mlpSe2 && mlpSe2 <= 1.5 * partSe2, "MLP part " + partSe2 + " vs MLP " + mlpSe2);
        // errors consistent with the reported SE (mean z² of 40 t-ratios is about 1 ± 0.3)
        assertTrue(e2g / pts.size() <= 2.5 * gSe2, "guarded MSE " + e2g / pts.size() + " vs SE² " + gSe2);
        assertTrue(toMlp >= 0.9 * pts.size(), toMlp + " points carried by MLP");
    }

    /**
     * Adaptive and guarded together with the bad surrogate: target relative SE 1% (about 2 to 10 rounds), 24 points;
     * the target (on the combined SE) is met on ≥ 95% and every point is within 4 SE of the exact value.
     */
    @Test
    void adaptiveGuardedRunsMeetTheTargetWithABadSurrogate() {
        List<QueryPoint> pts = points(24);
        Surrogate bad = AnalyticSurrogates.wrongAway(AnalyticSurrogates.vbExact(D), 0.8, 20.0);
        RunOptions o = opt(Method.SCASML, true).toBuilder().targetRelSe(0.01).maxRounds(32).build();
        List<AdaptiveEstimate> g = LocalRunner.solve(PDE, bad, o, pts, 2);
        int met = 0;
        double rounds = 0;
        for (AdaptiveEstimate a : g) {
            PointEstimate e = a.estimate();
            met += a.targetMet() ? 1 : 0;
            rounds += a.rounds() / (double) g.size();
            assertEquals(e.exact(), e.u(), 4 * e.stdError(), "point " + e.id());
            if (a.targetMet()) {
                assertTrue(e.stdError() <= 0.01 * Math.abs(e.u()));
            }
        }
        System.out.printf("adaptive guarded, bad surrogate: met %d/%d, %.2f rounds on average%n", met, g.size(),
            rounds);
        assertTrue(met >= 0.95 * g.size(), met + " met");
    }

    @Test
    void anExactSurrogateKeepsScasml() {
        List<QueryPoint> pts = points(30);
        Surrogate exact = AnalyticSurrogates.vbExact(D);
        List<AdaptiveEstimate> g = LocalRunner.solve(PDE, exact, opt(Method.SCASML, true), pts, 2);
        // the pilots run at half the base (M = 4); w = 1 then runs SCaSML alone: pilots + one SCaSML round
        RunOptions o = opt(Method.SCASML, true);
        assertEquals(4, RoundExecutor.Role.PILOT_MAIN.options(o).base());
        assertEquals(5, RoundExecutor.Role.PILOT_MAIN.options(o.toBuilder().base(10).build()).base());
        RunOptions small = o.toBuilder().base(4).build();
        assertEquals(small.toMap(), RoundExecutor.Role.PILOT_MAIN.options(small).toMap(), "never below M = 4");
        assertEquals(Method.MLP, RoundExecutor.Role.PILOT_COMPANION.options(o).method());
        double cost = PicardEstimator.create(PDE, exact, RoundExecutor.Role.PILOT_MAIN.options(o))
            .estimatedEvaluationsPerPoint()
            + PicardEstimator.create(PDE, null, RoundExecutor.Role.PILOT_COMPANION.options(o))
            .estimatedEvaluationsPerPoint()
            + PicardEstimator.create(PDE, exact, o).estimatedEvaluationsPerPoint();
        for (AdaptiveEstimate a : g) {
            assertEquals(cost, a.evaluations(), 1e-9 * cost);
            assertEquals(1.0, a.guard().weight(), "point " + a.estimate().id());
            assertEquals("scasml", a.guard().carriedBy());
            assertEquals(a.estimate().exact(), a.estimate().u(), 1e-12);
        }
    }

    @Test
    void aGoodSurrogateKeepsScasmlAccuracy() {
        List<QueryPoint> pts = points(40);
        Surrogate good = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(D), 0.02, 1.0);
        List<PointEstimate> raw = LocalRunner.run(PicardEstimator.create(PDE, good, opt(Method.SCASML, false)), pts,
            2);
        List<AdaptiveEstimate> g = LocalRunner.solve(PDE, good, opt(Method.SCASML, true), pts, 2);
        List<PointEstimate> mlp = LocalRunner.run(PicardEstimator.create(PDE, null, opt(Method.MLP, false)), pts, 2);
        double rawSe2 = meanSe2(raw);
        double gSe2 = meanSe2(estimates(g));
        double mlpSe2 = meanSe2(mlp);
        int kept = 0;
        for (int i = 0; i < g.size(); i++) {
            AdaptiveEstimate a = g.get(i);
            PointEstimate e = a.estimate();
            assertEquals(e.exact(), e.u(), 4 * e.stdError(), "point " + e.id());
            if (a.guard().weight() == 1) {
                kept++;
                // w = 1: round 0 of SCaSML is the unguarded run, bit for bit, and no companion round ran
                assertEquals(Double.doubleToLongBits(raw.get(i).u()), Double.doubleToLongBits(e.u()));
                assertTrue(Double.isNaN(a.guard().uMlp()));
            }
        }
        System.out.printf("good surrogate: SE^2 mean: SCaSML %.3g, guarded %.3g, plain MLP %.3g; %d of %d kept by"
            + " SCaSML alone%n", rawSe2, gSe2, mlpSe2, kept, g.size());
        assertTrue(kept >= 0.9 * g.size(), kept + " points with w = 1");
        assertTrue(rawSe2 < 0.1 * mlpSe2, "premise: SCaSML is much better than MLP here");
        assertTrue(gSe2 <= 1.1 * rawSe2, "guarded variance " + gSe2 + " vs SCaSML " + rawSe2);
        for (AdaptiveEstimate a : g) {
            assertTrue(a.warnings(PDE.horizon(), opt(Method.SCASML, true)).stream()
                .noneMatch(w -> w.contains("disagree")), "no disagreement warning with a good surrogate");
        }
        // the final-disagreement warning is a diagnostic of the record alone
        AdaptiveEstimate.Guard off = new AdaptiveEstimate.Guard(0.5, 1.0, 0.01, 2.0, 0.01, 0.3, "scasml", "test");
        assertTrue(off.finalDisagreement() > 70);
        AdaptiveEstimate fake = new AdaptiveEstimate(g.get(0).estimate(), 1, 1, false, Double.NaN, off);
        assertTrue(fake.warnings(PDE.horizon(), opt(Method.SCASML, true)).stream()
            .anyMatch(w -> w.contains("disagree by")));
    }

    static double w(double s, double seS, double m, double seM) {
        return AdaptiveDriver.pilotWeight(new AdaptiveDriver.Pilot(s, seS, Double.NaN, Double.NaN),
            new AdaptiveDriver.Pilot(m, seM, Double.NaN, Double.NaN)).weight();
    }

    @Test
    void pilotWeights() {
        // inverse-variance weights without disagreement or bias proxies
        assertEquals(0.8, w(1.0, 0.5, 1.0, 1.0), 1e-15);
        // disagreement within 4 SE changes nothing
        assertEquals(0.8, w(1.0, 0.5, 1.0 + 4.4, 1.0), 1e-15);
        // beyond 4 SE it is counted as SCaSML bias: w = vM / (vS + excess + vM)
        double diff = 10;
        double excess = diff * diff - 16 * 1.25;
        AdaptiveDriver.Weight far = AdaptiveDriver.pilotWeight(new AdaptiveDriver.Pilot(1.0, 0.5, Double.NaN,
            Double.NaN), new AdaptiveDriver.Pilot(1.0 + diff, 1.0, Double.NaN, Double.NaN));
        assertEquals(1.0 / (0.25 + excess + 1.0), far.mseWeight(), 1e-15);
        assertEquals(0.0, far.weight(), "0.012 snapped to 0");
        // failed pilots, exact pilots
        assertEquals(0.0, w(Double.NaN, Double.NaN, 1.0, 1.0));
        assertEquals(1.0, w(1.0, 1.0, Double.NaN, 1.0));
        assertEquals(1.0, w(2.0, 0.0, 2.0, 0.0));
        assertEquals(1.0, w(2.0, 0.0, 2.1, 0.3));
        // snapping: within 0.05 of 0 or 1
        assertEquals(1.0, w(1.0, 0.2, 1.0, 1.0)); // 1/1.04 = 0.96
        assertEquals(0.0, w(1.0, 1.0, 1.0, 0.2));
        AdaptiveDriver.Weight raw = AdaptiveDriver.pilotWeight(new AdaptiveDriver.Pilot(1.0, 0.2, Double.NaN,
            Double.NaN), new AdaptiveDriver.Pilot(1.0, 1.0, Double.NaN, Double.NaN));
        assertEquals(1.0 / 1.04, raw.mseWeight(), 1e-15);
    }

    /**
     * The VB-like case of the README example: a good surrogate, and a pilot disagreement of 6 SE that plain MLP's
     * larger last Picard increment explains (its truncation bias), not SCaSML's: SCaSML keeps the point.
     */
    @Test
    void aDisagreementExplainedByMlpTruncationBiasKeepsScasml() {
        // S = 1.000 ± 0.001 (its defect's increment 1e-4 ± 1e-4), M = 1.03 ± 0.005 (increment 0.05 ± 0.005)
        AdaptiveDriver.Pilot s = new AdaptiveDriver.Pilot(1.0, 0.001, 1e-4, 1e-4);
        AdaptiveDriver.Pilot m = new AdaptiveDriver.Pilot(1.03, 0.005, 0.05, 0.005);
        AdaptiveDriver.Weight g = AdaptiveDriver.pilotWeight(s, m);
        assertEquals(0.0, g.excess2(), "the disagreement is explained by MLP's proxy");
        assertEquals(1.0, g.weight());
        assertEquals(0.05 * 0.05 - 0.005 * 0.005, g.biasMlp2(), 1e-15);
        assertEquals(0.0, g.biasScasml2(), "an increment within its SE is no evidence of bias");
        // the same disagreement without the proxies is counted as SCaSML's and moves the point to MLP
        assertEquals(0.0, w(1.0, 0.001, 1.03, 0.005), 0.02);
        // the threshold follows the pilots' degrees of freedom: 4.35 SE is beyond the normal 4 but within t at ν ≈ 5
        AdaptiveDriver.Pilot sn = new AdaptiveDriver.Pilot(0.0, 0.1, Double.NaN, Double.NaN);
        AdaptiveDriver.Pilot mn = new AdaptiveDriver.Pilot(0.435 * Math.sqrt(2) * 10, 1.0, Double.NaN, Double.NaN);
        assertTrue(AdaptiveDriver.pilotWeight(new AdaptiveDriver.Pilot(0.0, 1.0, Double.NaN, Double.NaN), mn)
            .excess2() > 0, "normal pilots: 4.35 SE is beyond the threshold");
        AdaptiveDriver.Weight few = AdaptiveDriver.pilotWeight(new AdaptiveDriver.Pilot(0.0, 1.0, Double.NaN,
            Double.NaN, 5), new AdaptiveDriver.Pilot(mn.u(), 1.0, Double.NaN, Double.NaN, 5));
        assertEquals(0.0, few.excess2(), "five degrees of freedom: within the t threshold");
        assertEquals(16.0, AdaptiveDriver.disagreementThreshold2(1, Double.POSITIVE_INFINITY, 1,
            Double.POSITIVE_INFINITY), 1e-9);
        assertTrue(sn.se() > 0);
        // a disagreement beyond both proxies still goes against SCaSML
        AdaptiveDriver.Weight far = AdaptiveDriver.pilotWeight(s, new AdaptiveDriver.Pilot(1.3, 0.005, 0.05, 0.005));
        assertTrue(far.excess2() > 0 && far.weight() == 0.0, "weight " + far.weight());
    }
}
