package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.surrogate.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The randomized PINN loss (docs/algorithm.md §24.2, {@code --laplacian hutchinson:K}): with fixed probes its gradient
 * is the derivative of its value (generators without z); over independent probe keys the means of the loss estimate
 * and of its gradient are the exact loss and gradient; the chunking does not change the bits; the same seed trains the same weights; training reduces the loss.
 */
class RandomizedLossTest {

    private static double[] times(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.05 + 0.07 * i;
        }
        return t;
    }

    private static double[][] eval(PinnLoss loss, int n, double[] t, double[] x, long key) {
        loss.setProbeKey(key);
        double[] l = loss.evaluate(new PinnLoss.Batch(n, t, x, null), null, null, true);
        return new double[][] {l, loss.gradient()};
    }

    /** With fixed probes and F free of z the gradient (24.7) is the exact derivative of ε̂ᵃε̂ᵇ: central differences. */
    @ParameterizedTest
    @CsvSource({"dr,tanh,rademacher", "dr,sin,gaussian", "lcd,softplus,rademacher", "dr,silu,rademacher"})
    void fixedProbeGradientMatchesFiniteDifferences(String pdeName, String actName, String kind) {
        int d = 4;
        int n = 5;
        Pde pde = pdeName.equals("dr") ? BuiltinPdes.dr(d) : BuiltinPdes.lcd(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.parse(actName), 11);
        double[] t = times(n);
        double[] x = GradientCheckTest.points(n, d, 12);
        PinnLoss loss = new PinnLoss(net, pde, n, 4, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, 3,
                kind.equals("gaussian") ? ProbeKind.GAUSSIAN : ProbeKind.RADEMACHER);
        double[] g = eval(loss, n, t, x, 99)[1];
        double[] p = net.getParams();
        double scale = 0;
        for (double v : g) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++) {
            double h = 1e-5;
            double[] q = p.clone();
            q[i] = p[i] + h;
            net.setParams(q);
            double lp = eval(loss, n, t, x, 99)[0][1];
            q[i] = p[i] - h;
            net.setParams(q);
            double lm = eval(loss, n, t, x, 99)[0][1];
            net.setParams(p);
            assertEquals((lp - lm) / (2 * h), g[i], 1e-6 * scale + 1e-7 * Math.abs(g[i]), "parameter " + i);
        }
    }

    /**
     * Means over R = 400 independent probe keys against the exact loss and gradient, VB at d = 6 (F = σu Σz: the
     * random direction r of m̂ is exercised; F quadratic, so the exact loss's central differences are exact). Each
     * comparison is |mean − exact| ≤ 5.5·SE (SE from the replicates' sample variance, 399 degrees of freedom:
     * two-sided false-failure probability ≈ 1e-7 each; over the loss and ≈ 130 gradient components ≤ 2e-5 in all).
     * Fixed seeds: the test is deterministic.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void lossAndGradientAreUnbiased(boolean deflated) {
        int d = 6;
        int n = 6;
        int reps = 400;
        Pde pde = BuiltinPdes.vb(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.TANH, 21);
        double[] t = times(n);
        double[] x = GradientCheckTest.points(n, d, 22);
        PinnLoss exact = new PinnLoss(net, pde, n, 4, 1, 0, 0);
        double[][] ex = eval(exact, n, t, x, 0);
        PinnLoss rnd = new PinnLoss(net, pde, n, 4, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, 2, ProbeKind.RADEMACHER,
                deflated);
        int np = net.parameterCount();
        double s1 = 0;
        double s2 = 0;
        double[] g1 = new double[np];
        double[] g2 = new double[np];
        long root = StreamKeys.child(StreamKeys.namespace(5, StreamKeys.TRAINING), StreamKeys.TRAIN_PROBES);
        for (int r = 0; r < reps; r++) {
            double[][] e = eval(rnd, n, t, x, StreamKeys.child(root, r));
            s1 += e[0][1];
            s2 += e[0][1] * e[0][1];
            for (int i = 0; i < np; i++) {
                g1[i] += e[1][i];
                g2[i] += e[1][i] * e[1][i];
            }
        }
        double z = 5.5;
        double mean = s1 / reps;
        double se = Math.sqrt((s2 - reps * mean * mean) / (reps - 1) / reps);
        assertTrue(se > 0, "the loss estimate is random");
        assertEquals(ex[0][1], mean, z * se, "loss: exact " + ex[0][1] + ", mean " + mean + " ± " + se);
        double gscale = 0;
        for (double v : ex[1]) {
            gscale = Math.max(gscale, Math.abs(v));
        }
        int random = 0;
        for (int i = 0; i < np; i++) {
            double gm = g1[i] / reps;
            double gse = Math.sqrt(Math.max(0, g2[i] - reps * gm * gm) / (reps - 1) / reps);
            if (gse > 1e-9 * gscale) {
                random++;
            }
            assertEquals(ex[1][i], gm, z * gse + 1e-8 * gscale,
                    "gradient " + i + ": exact " + ex[1][i] + ", mean " + gm + " ± " + gse);
        }
        assertTrue(random > np / 2, "most gradient components are random: " + random + " of " + np);
    }

    /** The probes are keyed by the point's index in the batch: chunks give the same loss and gradient. */
    @Test
    void chunkingDoesNotChangeTheResult() {
        int d = 5;
        int n = 7;
        Pde pde = BuiltinPdes.vb(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.TANH, 31);
        double[] t = times(n);
        double[] x = GradientCheckTest.points(n, d, 32);
        PinnLoss one = new PinnLoss(net, pde, n, 4, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, 2, ProbeKind.RADEMACHER);
        PinnLoss three = new PinnLoss(net, pde, n, 4, 1, 0, 0, 3 * ProbeJet.bytesPerRow(net, 5), 2,
                ProbeKind.RADEMACHER);
        assertEquals(n, one.residualChunk());
        assertEquals(3, three.residualChunk());
        double[][] a = eval(one, n, t, x, 7);
        double[][] b = eval(three, n, t, x, 7);
        assertEquals(a[0][0], b[0][0], 1e-12 * Math.abs(a[0][0]));
        for (int i = 0; i < a[1].length; i++) {
            assertEquals(a[1][i], b[1][i], 1e-11 * (1 + Math.abs(a[1][i])), "gradient " + i);
        }
        double[][] c = eval(one, n, t, x, 8);
        assertTrue(c[0][0] != a[0][0], "another key draws other probes");
    }

    /**
     * deflated:K on a ridge network û = N(t, a·x) (first-layer weights c_o·a_k): Hₓ = N''·aaᵀ, ĝ ∥ a, the projected
     * probes see no curvature, so the estimate is the exact Laplacian and (F free of z) the randomized loss and its
     * gradient are the exact ones, whatever the probes; the plain estimate is not.
     */
    @Test
    void deflatedIsExactOnRidgeNetworks() {
        int d = 7;
        int n = 5;
        Pde pde = BuiltinPdes.dr(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.TANH, 41);
        double[] p = net.getParams();
        int w0 = net.sizes[1];
        for (int o = 0; o < w0; o++) {
            double c = 0.3 + 0.1 * o;
            for (int k = 0; k < d; k++) {
                p[net.wOff[0] + o * (d + 1) + k] = c * (k % 3 - 0.8);
            }
        }
        net.setParams(p);
        double[] t = times(n);
        double[] x = GradientCheckTest.points(n, d, 42);
        double[][] ex = eval(new PinnLoss(net, pde, n, 4, 1, 0, 0), n, t, x, 0);
        PinnLoss defl = new PinnLoss(net, pde, n, 4, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, 2, ProbeKind.RADEMACHER,
                true);
        PinnLoss plain = new PinnLoss(net, pde, n, 4, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, 2, ProbeKind.RADEMACHER);
        for (long key : new long[] {3, 4}) {
            double[][] a = eval(defl, n, t, x, key);
            assertEquals(ex[0][1], a[0][1], 1e-9 * Math.abs(ex[0][1]), "key " + key);
            for (int i = 0; i < ex[1].length; i++) {
                assertEquals(ex[1][i], a[1][i], 1e-8 * (1 + Math.abs(ex[1][i])), "gradient " + i);
            }
        }
        assertTrue(Math.abs(eval(plain, n, t, x, 3)[0][1] - ex[0][1]) > 1e-6 * Math.abs(ex[0][1]),
                "the plain estimate is random here");
    }

    /** exact, hutchinson and deflated are accepted by the trainer; auto is not. */
    @Test
    void optionValues() {
        PinnConfig c = new PinnConfig();
        c.laplacian = "hutchinson:4";
        assertEquals("hutchinson:4", c.laplacianMode().id());
        c.laplacian = "deflated:4";
        assertEquals("deflated:4", c.laplacianMode().id());
        c.laplacian = "auto";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().startsWith("laplacian: 'auto'"), e.getMessage());
        c.laplacian = "hutchinson:0";
        assertThrows(IllegalArgumentException.class, c::validate);
    }

    /** The probes are keyed streams: the same seed gives the same weights bit for bit, another seed others. */
    @Test
    void sameSeedSameWeights() {
        Pde pde = BuiltinPdes.vb(3);
        PinnConfig c = TrainingTest.small(8, 7);
        c.laplacian = "hutchinson:2";
        double[] a = PinnTrainer.train(pde, c, null).net.getParams();
        double[] b = PinnTrainer.train(pde, c, null).net.getParams();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0.0);
        c.laplacian = "exact";
        double[] e = PinnTrainer.train(pde, c, null).net.getParams();
        assertTrue(!java.util.Arrays.equals(a, e), "the randomized loss trains other weights than the exact one");
    }

    /** A small training run at d = 100 with hutchinson:2 reduces the (exact) residual loss. */
    @Test
    void trainingAtDimensionHundredReducesTheLoss() {
        int d = 100;
        Pde pde = BuiltinPdes.lcd(d);
        PinnConfig c = TrainingTest.small(200, 3);
        c.laplacian = "hutchinson:2";
        c.collocation = 256;
        c.terminalPoints = 128;
        c.dataPoints = 32;
        c.batch = 32;
        c.valueBatch = 32;
        c.testPoints = 50;
        c.pathTestPoints = 50;
        PinnTrainer.Result r = PinnTrainer.train(pde, c, null);
        assertTrue(r.stoppedAt < 0, "stopped: " + r.stopReason);
        double first = r.history[0][0];
        double last = r.finalLoss[0];
        assertTrue(last < first / 10, "loss fell from " + first + " to " + last);
    }
}
