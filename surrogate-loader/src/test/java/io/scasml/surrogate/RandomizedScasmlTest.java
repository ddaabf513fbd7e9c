package io.scasml.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SCaSML with the randomized (Hutchinson) Laplacian in the source term ({@code --laplacian hutchinson:K}) against
 * the exact one, on MLP surrogates (docs/algorithm.md, randomized residual).
 *
 * <p>Statistics (fixed seeds, so every outcome is deterministic; the rates say how likely a correct implementation
 * would have failed for an arbitrary seed choice): pooled comparisons use 4.89 standard errors (two-sided normal
 * tail 1e-6 each); the coverage count uses a binomial ±4.89σ band (1e-6) widened by a stated allowance for the
 * Student-t interval's small-sample error with non-Gaussian summands. With the 6·2 + 2 + 1 comparisons below the
 * false-failure rate of this file is below 2e-5.
 */
class RandomizedScasmlTest {

    static final double Z6 = 4.89;

    static Surrogate example(String name) throws Exception {
        return SurrogateLoader.load(CommandsTest.example(name).getPath()).evaluator();
    }

    static List<QueryPoint> points(int r, int d, double t, double half, long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        List<QueryPoint> l = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            double[] x = new double[d];
            for (int k = 0; k < d; k++) {
                x[k] = half * (2 * g.nextDouble() - 1);
            }
            l.add(new QueryPoint(i, t, x));
        }
        return l;
    }

    static List<PointEstimate> run(Pde pde, Surrogate s, RunOptions o, List<QueryPoint> pts, int threads,
                                   boolean shuffle) {
        return LocalRunner.run(PicardEstimator.create(pde, s, o), pts, threads, shuffle, null);
    }

    /**
     * With k = 1 and 4 probes: (a) independent runs (other seed) agree with the exact run within the combined
     * reported standard errors (pooled over the points); (b) with the same seed — the same paths, only the probes
     * added — the differences have mean zero within their own standard error (E[L̂ | paths] = L), and the probes
     * raise the reported variance by what the share diagnostic says.
     */
    @ParameterizedTest(name = "{0} d = {1}, {3}:{2}")
    @CsvSource({"vb20,20,1,hutchinson", "vb20,20,4,hutchinson", "dr100,100,1,hutchinson", "dr100,100,4,hutchinson",
        "vb20,20,4,deflated", "dr100,100,2,deflated"})
    void agreesWithTheExactResidual(String example, int d, int k, String mode) throws Exception {
        Surrogate s = example(example);
        Pde pde = BuiltinPdes.byName(example.substring(0, 2), d);
        double half = example.startsWith("vb") ? 0.5 : 1.0 / Math.sqrt(d);
        int r = d == 20 ? 200 : 80;
        List<QueryPoint> pts = points(r, d, 0.1, half, 11);
        RunOptions.Builder b = RunOptions.builder().method(Method.SCASML).levels(2).base(4).pointsPerUnit(40);
        List<PointEstimate> ex = run(pde, s, b.seed(5).build(), pts, 2, false);
        List<PointEstimate> rz = run(pde, s, b.seed(6).laplacian(mode + ":" + k).build(), pts, 2, false);
        List<PointEstimate> same = run(pde, s, b.seed(5).laplacian(mode + ":" + k).build(), pts, 2, false);
        double diff = 0;
        double var = 0;
        double[] dd = new double[r];
        double seE = 0;
        double seR = 0;
        double share = 0;
        for (int i = 0; i < r; i++) {
            PointEstimate e = ex.get(i);
            PointEstimate z = rz.get(i);
            assertTrue(e.ok() && z.ok() && same.get(i).ok());
            diff += z.u() - e.u();
            var += z.stdError() * z.stdError() + e.stdError() * e.stdError();
            dd[i] = same.get(i).u() - e.u();
            seE += e.stdError() * e.stdError();
            seR += same.get(i).stdError() * same.get(i).stdError();
            share += same.get(i).probeVarianceShare();
            assertEquals(e.uSurrogate(), z.uSurrogate(), 0.0);
        }
        diff /= r;
        double seDiff = Math.sqrt(var) / r;
        double[] m = meanSe(dd);
        System.out.printf(Locale.ROOT, "%s %s k=%d: indep diff %.3e (se %.3e); paired diff %.3e (se %.3e); mean SE^2 "
                + "exact %.3e, randomized %.3e; mean probe share %.3f%n", example, mode, k, diff, seDiff, m[0], m[1],
            seE / r, seR / r, share / r);
        assertTrue(Math.abs(diff) <= Z6 * seDiff, "independent runs: diff " + diff + " vs " + Z6 + " x " + seDiff);
        assertTrue(Math.abs(m[0]) <= Z6 * m[1], "paired runs: diff " + m[0] + " vs " + Z6 + " x " + m[1]);
        // the probes only add variance: the paired run's reported SE² exceeds the exact run's on average
        assertTrue(seR >= seE, "SE^2 with probes " + seR + " < exact " + seE);
        if (k == 1) {
            assertTrue(Double.isNaN(share), "k = 1: the share is not estimable");
        } else {
            assertTrue(share / r > 0 && share / r < 1, "share " + share / r);
        }
    }

    /**
     * Interval coverage stays nominal with the probes: LCD (F = 0, exact u = Σx + t, σ = √2 so the Laplacian enters
     * ε with weight 1) at d = 20 with a random tanh network as the surrogate (a large residual, so the probes carry
     * a large share of the variance) and one level: then SCaSML is unbiased and every interval's miss is Monte Carlo
     * error. R = 1500 points, M = 48: the count of covering intervals is Binomial(R, p) with p = 0.95 up to the
     * t-interval's error for skewed summands (allowance 0.015). The same check with the exact run's standard
     * errors (the same paths without probe variance) must fail — the test has power.
     */
    @Test
    void coverageStaysNominal() {
        int d = 20;
        Pde pde = BuiltinPdes.lcd(d);
        // a random tanh network with a steep first layer: large curvature, so the probes matter
        int[] w = TestModels.widths(d, 24, 24);
        double[][] wt = TestModels.randomWeights(w, 4242);
        for (int i = 0; i < wt[0].length; i++) {
            wt[0][i] *= 3;
        }
        Surrogate s = MlpModel.of(d, Activation.TANH, w, wt, TestModels.randomBiases(w, 4242),
            new String[] {"l0", "l1", "l2"}, "x,t", "in_out", false, false, "random:4242").materialize(EvalOptions.DEFAULT);
        int r = 1500;
        List<QueryPoint> pts = points(r, d, 0.1, 0.5, 12);
        RunOptions.Builder b = RunOptions.builder().method(Method.SCASML).levels(1).base(48).seed(9).pointsPerUnit(250);
        List<PointEstimate> ex = run(pde, s, b.build(), pts, 2, false);
        List<PointEstimate> rz = run(pde, s, b.laplacian("hutchinson:2:gaussian").build(), pts, 2, false);
        int covered = 0;
        int coveredWithExactSe = 0;
        int coveredExact = 0;
        double share = 0;
        for (int i = 0; i < r; i++) {
            PointEstimate e = ex.get(i);
            PointEstimate z = rz.get(i);
            covered += z.covers() ? 1 : 0;
            coveredExact += e.covers() ? 1 : 0;
            double half = (e.ciHigh() - e.ciLow()) / 2;
            coveredWithExactSe += Math.abs(z.u() - z.exact()) <= half ? 1 : 0;
            share += z.probeVarianceShare();
        }
        double sd = Math.sqrt(r * 0.95 * 0.05);
        double lo = r * (0.95 - 0.015) - Z6 * sd;
        double hi = r * (0.95 + 0.015) + Z6 * sd;
        System.out.printf(Locale.ROOT, "coverage: randomized %d, exact %d, randomized with exact SE %d of %d "
            + "(band [%.0f, %.0f]); mean probe share %.3f%n", covered, coveredExact, coveredWithExactSe, r, lo, hi,
            share / r);
        assertTrue(covered >= lo && covered <= hi, "randomized coverage " + covered + " of " + r);
        assertTrue(coveredExact >= lo && coveredExact <= hi, "exact coverage " + coveredExact + " of " + r);
        assertTrue(coveredWithExactSe < lo, "no power: " + coveredWithExactSe + " of " + r
            + " covered with the exact run's standard errors");
    }

    /** Same seed, same bits with the randomized residual, whatever the thread count and the unit order. */
    @Test
    void sameBitsAcrossThreadsAndUnitOrder() throws Exception {
        int d = 20;
        Surrogate s = example("vb20");
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = points(7, d, 0.05, 0.2, 13);
        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(5).seed(3).pointsPerUnit(3)
            .unitCost(300).laplacian("hutchinson:3").build();
        List<PointEstimate> a = run(pde, s, o, pts, 1, false);
        List<PointEstimate> c = run(pde, s, o, pts, 3, true);
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(Double.doubleToLongBits(a.get(i).u()), Double.doubleToLongBits(c.get(i).u()), "u " + i);
            assertEquals(Double.doubleToLongBits(a.get(i).stdError()), Double.doubleToLongBits(c.get(i).stdError()));
            assertEquals(Double.doubleToLongBits(a.get(i).probeVarianceShare()),
                Double.doubleToLongBits(c.get(i).probeVarianceShare()));
            assertEquals(Double.doubleToLongBits(a.get(i).residualRms()), Double.doubleToLongBits(c.get(i).residualRms()));
            assertEquals(Double.doubleToLongBits(a.get(i).z()[0]), Double.doubleToLongBits(c.get(i).z()[0]));
        }
        // and the probes change the result (they are used)
        List<PointEstimate> e = run(pde, s, o.toBuilder().laplacian("exact").build(), pts, 2, false);
        assertTrue(e.get(0).u() != a.get(0).u());
    }

    /**
     * End to end at d = 2000: a small tanh network (two hidden layers of 16) written to a temporary directory in the
     * loader's format — one path through it carries ≈ logistic(t + Σx), the VB solution (logistic(s) = ½ + ½ tanh(s/2);
     * the second layer's unit is almost linear), the other units are random with small output weights, so û is a
     * perturbed solution with curvature in every direction — VB with coordinates of size 1/√d (the solution is not
     * saturated), a few points, {@code auto} (which picks the randomized pass at this dimension). Checks finite
     * estimates and error bars, a probe share in range, and the time (CI-sized; measured ≈ 0.5 s).
     */
    @Test
    void smokeAtTwoThousandDimensions(@TempDir Path dir) throws Exception {
        int d = 2000;
        nearVbNetwork(dir, d, 16);
        Surrogate s = SurrogateLoader.load(dir.toString()).evaluator();
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = points(6, d, 0.1, 1.0 / Math.sqrt(d), 14);
        long t0 = System.nanoTime();
        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(4).seed(1).pointsPerUnit(6)
            .laplacian("auto").build();
        PicardEstimator est = PicardEstimator.create(pde, s, o);
        assertEquals("deflated:4", est.laplacian().id(), "auto prefers the deflated pass");
        List<PointEstimate> es = LocalRunner.run(est, pts, 2);
        double secs = (System.nanoTime() - t0) / 1e9;
        // the same paths with the plain estimate: the near-ridge network's curvature is mostly along ∇û, which the
        // deflated estimate removes
        List<PointEstimate> plain = LocalRunner.run(PicardEstimator.create(pde, s,
            o.toBuilder().laplacian("hutchinson:4").build()), pts, 2);
        double se2d = 0;
        double se2p = 0;
        for (int i = 0; i < pts.size(); i++) {
            se2d += es.get(i).stdError() * es.get(i).stdError();
            se2p += plain.get(i).stdError() * plain.get(i).stdError();
        }
        System.out.printf(Locale.ROOT, "d = 2000: mean SE^2 deflated:4 %.3e, hutchinson:4 %.3e%n", se2d / pts.size(),
            se2p / pts.size());
        assertTrue(se2d < se2p, "deflated SE^2 " + se2d + " vs plain " + se2p);
        double errS = 0;
        double err = 0;
        double se = 0;
        for (PointEstimate e : es) {
            assertTrue(e.ok() && Double.isFinite(e.u()) && e.stdError() > 0 && Double.isFinite(e.stdError()), "" + e);
            assertTrue(e.probeVarianceShare() >= 0 && e.probeVarianceShare() <= 1.5, "share " + e.probeVarianceShare());
            errS += Math.abs(e.uSurrogate() - e.exact());
            err += Math.abs(e.u() - e.exact());
            se += e.stdError();
        }
        System.out.printf(Locale.ROOT, "d = 2000 smoke: %d points in %.2f s; mean |u_hat - u| %.4f, mean |u_scasml - u|"
            + " %.4f, mean SE %.4f, first probe share %.3f%n", es.size(), secs, errS / es.size(), err / es.size(),
            se / es.size(), es.get(0).probeVarianceShare());
        assertTrue(secs < 60, "took " + secs + " s");
    }

    /**
     * Writes a tanh network with two hidden layers of width h to {@code dir}: one path through it carries
     * ≈ logistic(t + Σx), the VB solution (unit 0 of layer 1 = tanh((Σx + t)/2), unit 0 of layer 2 ≈ 0.1 times it,
     * output 5 times that + ½), the other units random with small output weights.
     */
    static void nearVbNetwork(Path dir, int d, int h) throws java.io.IOException {
        int[] w = TestModels.widths(d, h, h);
        double[][] wt = TestModels.randomWeights(w, 77);
        double[][] bs = TestModels.randomBiases(w, 77);
        for (int i = 0; i < wt[0].length; i++) {
            wt[0][i] *= 0.5;
        }
        for (int i = 0; i <= d; i++) {
            wt[0][i * h] = 0.5;
        }
        bs[0][0] = 0;
        for (int i = 0; i < h; i++) {
            wt[1][i * h] = i == 0 ? 0.1 : 0.0;
            wt[1][i] = i == 0 ? 0.1 : wt[1][i];
        }
        bs[1][0] = 0;
        for (int i = 0; i < h; i++) {
            wt[2][i] = i == 0 ? 5.0 : 0.02 * wt[2][i];
        }
        bs[2][0] = 0.5;
        TestNpz.writeMlp(dir, d, "tanh", w, wt, bs, "in_out", "x,t", null, true);
    }

    /** {mean, standard error of the mean} of v, from the engine's own {@link io.scasml.kernels.stats.Moments}. */
    static double[] meanSe(double[] v) {
        io.scasml.kernels.stats.Moments mo = new io.scasml.kernels.stats.Moments();
        for (double a : v) {
            mo.accept(a);
        }
        return new double[] {mo.mean(), Math.sqrt(mo.variance() / mo.count())};
    }
}
