package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every derivative of every pass against central finite differences (FP64, relative 1e-6), for every activation,
 * both weight layouts and both input orders (through the loader), plus FP32 against FP64, chunking and concurrency.
 */
class DerivativesTest {

    /** Terms of one residual pass. */
    record Terms(double[] u, double[] dt, double[] grad, double[] lap) {
        static Terms of(Surrogate s, int n, double[] t, double[] x) {
            int d = s.dim();
            Terms r = new Terms(new double[n], new double[n], new double[n * d], new double[n]);
            s.residualTerms(n, t, x, r.u, r.dt, r.grad, r.lap);
            return r;
        }
    }

    static void close(String what, double expected, double actual, double rel, double scale) {
        assertTrue(Math.abs(expected - actual) <= rel * (Math.abs(expected) + scale),
                () -> what + ": expected " + expected + ", got " + actual);
    }

    /**
     * Checks a surrogate's three passes against each other and against central differences: ∂t and ∇ from the value
     * pass, Δ from differences of the (reverse-mode) gradient pass. Step h = 1e-4: truncation O(h²) ≈ 1e-8,
     * rounding O(ε/h) ≈ 1e-12, both far below the 1e-6 tolerance.
     */
    static void checkAgainstFiniteDifferences(Surrogate s, int n, long seed) {
        int d = s.dim();
        double[] t = TestModels.uniform(n, 0.0, 0.5, seed);
        double[] x = TestModels.uniform(n * d, -0.7, 0.7, seed + 1);
        Terms r = Terms.of(s, n, t, x);
        double[] uv = new double[n];
        s.value(n, t, x, uv);
        double[] ug = new double[n];
        double[] gg = new double[n * d];
        s.valueAndGradient(n, t, x, ug, gg);
        final double h = 1e-4;
        final double rel = 1e-6;
        double gscale = 0;
        for (double v : r.grad) {
            gscale = Math.max(gscale, Math.abs(v));
        }
        double lscale = 1e-3;
        for (double v : r.lap) {
            lscale = Math.max(lscale, Math.abs(v));
        }
        double[] tp = t.clone();
        double[] xp = x.clone();
        double[] up = new double[n];
        double[] um = new double[n];
        double[] gp = new double[n * d];
        double[] gm = new double[n * d];
        double[] fdLap = new double[n];
        for (int i = 0; i < n; i++) {
            close("value pass", r.u[i], uv[i], 1e-12, 1e-12);
            close("gradient pass value", r.u[i], ug[i], 1e-12, 1e-12);
        }
        for (int i = 0; i < n; i++) {
            tp[i] = t[i] + h;
        }
        s.value(n, tp, x, up);
        for (int i = 0; i < n; i++) {
            tp[i] = t[i] - h;
        }
        s.value(n, tp, x, um);
        for (int i = 0; i < n; i++) {
            close("dt", (up[i] - um[i]) / (2 * h), r.dt[i], rel, gscale);
        }
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < n; i++) {
                xp[i * d + k] = x[i * d + k] + h;
            }
            s.value(n, t, xp, up);
            s.valueAndGradient(n, t, xp, new double[n], gp);
            for (int i = 0; i < n; i++) {
                xp[i * d + k] = x[i * d + k] - h;
            }
            s.value(n, t, xp, um);
            s.valueAndGradient(n, t, xp, new double[n], gm);
            for (int i = 0; i < n; i++) {
                xp[i * d + k] = x[i * d + k];
                double fd = (up[i] - um[i]) / (2 * h);
                close("grad[" + k + "] residual pass", fd, r.grad[i * d + k], rel, gscale);
                close("grad[" + k + "] gradient pass", fd, gg[i * d + k], rel, gscale);
                fdLap[i] += (gp[i * d + k] - gm[i * d + k]) / (2 * h);
            }
        }
        for (int i = 0; i < n; i++) {
            close("laplacian", fdLap[i], r.lap[i], rel, lscale);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (String layout : new String[]{"out_in", "in_out"}) {
                for (String order : new String[]{"x,t", "t,x"}) {
                    out.add(Arguments.of(a, layout, order));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void finiteDifferencesThroughTheLoader(Activation act, String layout, String order, @TempDir Path dir)
            throws Exception {
        int d = 5;
        int[] w = TestModels.widths(d, 12, 9, 7);
        long seed = 31L * act.ordinal() + layout.length() + order.charAt(0);
        TestNpz.writeMlp(dir, d, act.id(), w, TestModels.randomWeights(w, seed), TestModels.randomBiases(w, seed),
                layout, order, "\"output\": {\"shift\": 0.3, \"scale\": 1.7}, \"input\": {\"shift\": "
                        + "[0.1, -0.2, 0.0, 0.05, 0.3, -0.1], \"scale\": [1.2, 0.8, 1.0, 1.5, 0.9, 2.0]}", false);
        SurrogateModel m = SurrogateLoader.load(dir.toString());
        checkAgainstFiniteDifferences(m.materialize(EvalOptions.DEFAULT.withMaxBatchRows(7).withScratchBytes(4096)), 23,
                seed);
    }

    @Test
    void layoutsAndOrdersDescribeTheSameFunction(@TempDir Path dir) throws Exception {
        int d = 4;
        int[] w = TestModels.widths(d, 8, 8);
        double[][] ws = TestModels.randomWeights(w, 5);
        double[][] bs = TestModels.randomBiases(w, 5);
        Terms ref = null;
        int n = 9;
        double[] t = TestModels.uniform(n, 0, 1, 1);
        double[] x = TestModels.uniform(n * d, -1, 1, 2);
        for (String layout : new String[]{"out_in", "in_out"}) {
            for (String order : new String[]{"x,t", "t,x"}) {
                Path p = dir.resolve(layout + order.replace(",", ""));
                TestNpz.writeMlp(p, d, "tanh", w, ws, bs, layout, order, null, true);
                Terms r = Terms.of(SurrogateLoader.load(p.toString()).evaluator(), n, t, x);
                if (ref == null) {
                    ref = r;
                } else {
                    assertArrayEquals(ref.u, r.u, 1e-14);
                    assertArrayEquals(ref.grad, r.grad, 1e-14);
                    assertArrayEquals(ref.dt, r.dt, 1e-14);
                    assertArrayEquals(ref.lap, r.lap, 1e-13);
                }
            }
        }
    }

    @Test
    void linearNetworkHasExactDerivatives() {
        MlpModel m = TestModels.randomMlp(3, Activation.TANH, 9);
        checkAgainstFiniteDifferences(m.materialize(EvalOptions.DEFAULT), 5, 3);
    }

    @Test
    void fp32AgreesWithFp64() {
        for (Activation a : Activation.values()) {
            MlpModel m = TestModels.randomMlp(30, a, 77, 40, 40, 40);
            int n = 300;
            double[] t = TestModels.uniform(n, 0, 0.5, 4);
            double[] x = TestModels.uniform(n * 30, -0.5, 0.5, 5);
            Terms r64 = Terms.of(m.materialize(EvalOptions.of(Precision.FP64)), n, t, x);
            Terms r32 = Terms.of(m.materialize(EvalOptions.of(Precision.FP32)), n, t, x);
            double us = maxAbs(r64.u), gs = maxAbs(r64.grad), ls = maxAbs(r64.lap), ds = maxAbs(r64.dt);
            for (int i = 0; i < n; i++) {
                close(a + " fp32 value", r64.u[i], r32.u[i], 1e-4, us);
                close(a + " fp32 dt", r64.dt[i], r32.dt[i], 1e-4, ds);
                close(a + " fp32 lap", r64.lap[i], r32.lap[i], 1e-4, ls);
            }
            for (int i = 0; i < n * 30; i++) {
                close(a + " fp32 grad", r64.grad[i], r32.grad[i], 1e-4, gs);
            }
        }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void chunkingDoesNotChangeResults() {
        MlpModel m = TestModels.randomMlp(6, Activation.SILU, 3, 16, 16);
        int n = 101;
        double[] t = TestModels.uniform(n, 0, 0.5, 4);
        double[] x = TestModels.uniform(n * 6, -0.5, 0.5, 5);
        Terms a = Terms.of(m.materialize(EvalOptions.DEFAULT), n, t, x);
        Surrogate chunked = m.materialize(EvalOptions.DEFAULT.withMaxBatchRows(10).withScratchBytes(1));
        Terms b = Terms.of(chunked, n, t, x);
        assertArrayEquals(a.u, b.u, 1e-13);
        assertArrayEquals(a.grad, b.grad, 1e-13);
        assertArrayEquals(a.lap, b.lap, 1e-12);
        double[] u = new double[n];
        double[] g = new double[n * 6];
        chunked.valueAndGradient(n, t, x, u, g);
        assertArrayEquals(a.grad, g, 1e-12);
    }

    @Test
    void concurrentCallersGetIdenticalResults() throws Exception {
        for (Precision p : Precision.values()) {
            MlpModel m = TestModels.randomMlp(12, Activation.TANH, 11, 32, 32, 32);
            Surrogate s = m.evaluator(EvalOptions.of(p).withMaxBatchRows(64));
            int n = 500;
            double[] t = TestModels.uniform(n, 0, 0.5, 4);
            double[] x = TestModels.uniform(n * 12, -0.5, 0.5, 5);
            Terms ref = Terms.of(s, n, t, x);
            double[] refValue = new double[n];
            s.value(n, t, x, refValue);
            double[] refGradValue = new double[n];
            s.valueAndGradient(n, t, x, refGradValue, new double[n * 12]);
            ExecutorService ex = Executors.newFixedThreadPool(6);
            try {
                List<Future<Terms>> fs = new ArrayList<>();
                for (int k = 0; k < 24; k++) {
                    final int kind = k % 3;
                    fs.add(ex.submit(() -> {
                        Terms r = Terms.of(s, n, t, x);
                        if (kind == 1) {
                            s.value(n, t, x, r.u);
                        } else if (kind == 2) {
                            s.valueAndGradient(n, t, x, r.u, new double[n * 12]);
                        }
                        return r;
                    }));
                }
                for (int k = 0; k < fs.size(); k++) {
                    Terms r = fs.get(k).get();
                    assertArrayEquals(k % 3 == 0 ? ref.u : k % 3 == 1 ? refValue : refGradValue, r.u, 0.0);
                    assertArrayEquals(ref.grad, r.grad, 0.0);
                    assertArrayEquals(ref.dt, r.dt, 0.0);
                    assertArrayEquals(ref.lap, r.lap, 0.0);
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void evaluatorIsCachedPerChecksum() {
        MlpModel a = TestModels.randomMlp(3, Activation.SIN, 1, 5);
        MlpModel b = TestModels.randomMlp(3, Activation.SIN, 1, 5);
        assertEquals(a.checksum(), b.checksum());
        assertTrue(a.evaluator() == b.evaluator());
        assertTrue(a.evaluator(Precision.FP32) != a.evaluator(Precision.FP64));
    }
}
