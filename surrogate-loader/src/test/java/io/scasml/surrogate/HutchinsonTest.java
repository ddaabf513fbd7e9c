package io.scasml.surrogate;

import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.Probes;
import io.scasml.kernels.surrogate.RandomizedResidual;
import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The randomized (Hutchinson) residual pass of {@link HutchinsonResidual}.
 *
 * <p>Statistical checks use fixed seeds and compare an average of N independent draws with its expectation within
 * 5 standard errors (the standard error estimated from the same draws). Under the normal approximation of the
 * average (N ≥ 4000 here) one comparison fails with probability P(|Z| &gt; 5) ≈ 5.7e-7 when the implementation is
 * right; this file makes 4·3·2 = 24 unbiasedness, 4·2·2 = 16 variance and 1 large-d comparisons, so the chance that a
 * correct implementation fails for some seed choice is below 3e-5 (with the seeds fixed, the outcome is
 * deterministic).
 */
class HutchinsonTest {

    static final Activation[] ACTS = Activation.values();

    static RandomizedResidual randomized(MlpModel m, EvalOptions o) {
        return (RandomizedResidual) m.materialize(o);
    }

    /** Outputs of one randomized call. */
    record Out(double[] u, double[] dt, double[] grad, double[] lap, double[] var) {
        static Out of(RandomizedResidual s, int n, double[] t, double[] x, long[] keys, int k, ProbeKind kind) {
            int d = s.dim();
            Out o = new Out(new double[n], new double[n], new double[n * d], new double[n], new double[n]);
            s.residualTermsRandomized(n, t, x, keys, k, kind, o.u, o.dt, o.grad, o.lap, o.var);
            return o;
        }
    }

    static long[] keys(int n, long seed) {
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = io.scasml.kernels.random.StreamKeys.pointKey(seed, i);
        }
        return k;
    }

    static double[] repeat(double[] row, int n) {
        double[] r = new double[row.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(row, 0, r, i * row.length, row.length);
        }
        return r;
    }

    /**
     * The Hessian ∇²x û at one point, by central differences of the exact reverse-mode gradient (h = 1e-4: truncation
     * ≈ 1e-8 relative, rounding ≈ 1e-12), symmetrized.
     */
    static double[][] hessian(Surrogate s, double t, double[] x) {
        int d = x.length;
        final double h = 1e-4;
        double[] ts = new double[2 * d];
        double[] xs = new double[2 * d * d];
        for (int i = 0; i < d; i++) {
            ts[2 * i] = t;
            ts[2 * i + 1] = t;
            System.arraycopy(x, 0, xs, 2 * i * d, d);
            System.arraycopy(x, 0, xs, (2 * i + 1) * d, d);
            xs[2 * i * d + i] += h;
            xs[(2 * i + 1) * d + i] -= h;
        }
        double[] u = new double[2 * d];
        double[] g = new double[2 * d * d];
        s.valueAndGradient(2 * d, ts, xs, u, g);
        double[][] hm = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                hm[i][j] = (g[2 * i * d + j] - g[(2 * i + 1) * d + j]) / (2 * h);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (hm[i][j] + hm[j][i]);
                hm[i][j] = m;
                hm[j][i] = m;
            }
        }
        return hm;
    }

    static double mean(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
        }
        return s / n;
    }

    static double sampleVar(double[] v, int n) {
        double m = mean(v, n);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (v[i] - m) * (v[i] - m);
        }
        return s / (n - 1);
    }

    /** Standard error of the sample variance of v: sqrt((m4 − s⁴)/n). */
    static double sampleVarSe(double[] v, int n) {
        double m = mean(v, n);
        double m2 = 0;
        double m4 = 0;
        for (int i = 0; i < n; i++) {
            double e = (v[i] - m) * (v[i] - m);
            m2 += e;
            m4 += e * e;
        }
        m2 /= n;
        m4 /= n;
        return Math.sqrt(Math.max(m4 - m2 * m2, 0) / n);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static void close(String what, double[] exp, double[] act, int n, double rel) {
        double scale = Math.max(maxAbs(exp), 1e-300);
        for (int i = 0; i < n; i++) {
            final int ii = i;
            assertTrue(Math.abs(exp[i] - act[i]) <= rel * scale,
                    () -> what + "[" + ii + "]: expected " + exp[ii] + ", got " + act[ii] + " (scale " + scale + ")");
        }
    }

    /** Each probe term equals vᵀHv with the same probe (from {@link Probes}) and a finite-difference Hessian. */
    @Test
    void probeTermsAreQuadraticFormsOfTheHessian() {
        int d = 7;
        int k = 3;
        for (Activation act : ACTS) {
            MlpModel m = TestModels.randomMlp(d, act, 31 + act.ordinal(), 16, 16);
            RandomizedResidual s = randomized(m, EvalOptions.DEFAULT);
            int n = 4;
            double[] t = TestModels.uniform(n, 0, 0.5, 3);
            double[] x = TestModels.uniform(n * d, -0.7, 0.7, 4);
            long[] keys = keys(n, 99);
            for (ProbeKind kind : ProbeKind.values()) {
                Out o = Out.of(s, n, t, x, keys, k, kind);
                for (int i = 0; i < n; i++) {
                    double[] xi = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
                    double[][] h = hessian(s, t[i], xi);
                    double[] q = new double[k];
                    double[] v = new double[d];
                    double scale = 0;
                    for (int j = 0; j < k; j++) {
                        Probes.fill(keys[i], j, kind, d, v, 0);
                        double qq = 0;
                        for (int a = 0; a < d; a++) {
                            for (int b = 0; b < d; b++) {
                                qq += v[a] * h[a][b] * v[b];
                                scale += Math.abs(v[a] * h[a][b] * v[b]);
                            }
                        }
                        q[j] = qq;
                    }
                    double tol = 1e-6 * scale + 1e-9;
                    assertEquals(mean(q, k), o.lap[i], tol, act + " " + kind + " estimate of row " + i);
                    assertEquals(sampleVar(q, k), o.var[i], 2 * tol * scale + 1e-9, act + " " + kind + " variance");
                }
            }
        }
    }

    /** d = 1: a Rademacher probe is ±1, so every probe term is the exact second derivative (zero variance). */
    @Test
    void oneDimensionIsExactWithRademacherProbes() {
        int n = 25;
        for (Activation act : ACTS) {
            for (Precision p : Precision.values()) {
                MlpModel m = TestModels.randomMlp(1, act, 3 + act.ordinal(), 16, 16);
                double[] t = TestModels.uniform(n, 0, 0.5, 1);
                double[] x = TestModels.uniform(n, -0.7, 0.7, 2);
                DerivativesTest.Terms ref = DerivativesTest.Terms.of(m.materialize(EvalOptions.of(p)), n, t, x);
                Out o = Out.of(randomized(m, EvalOptions.of(p)), n, t, x, keys(n, 5), 3, ProbeKind.RADEMACHER);
                close(act + " " + p + " d=1 lap", ref.lap(), o.lap, n, p == Precision.FP64 ? 1e-12 : 1e-4);
                double scale = maxAbs(ref.lap());
                for (int i = 0; i < n; i++) {
                    assertTrue(o.var[i] <= (p == Precision.FP64 ? 1e-24 : 1e-10) * (scale * scale + 1e-300) + 1e-300,
                            act + " " + p + " variance " + o.var[i]);
                }
            }
        }
    }

    /** (a) The mean of many independent estimates equals the exact Laplacian within 5 standard errors. */
    @Test
    void estimateIsUnbiasedForEveryActivation() {
        int n = 4000;
        int[] dims = {5, 20, 50};
        for (Activation act : ACTS) {
            for (int di = 0; di < dims.length; di++) {
                int d = dims[di];
                MlpModel m = di == 1 ? TestModels.randomMlp(d, act, 7 * d + act.ordinal(), 16, 16, 16)
                        : TestModels.randomMlp(d, act, 7 * d + act.ordinal(), 16, 16);
                RandomizedResidual s = randomized(m, EvalOptions.DEFAULT);
                double[] t0 = TestModels.uniform(1, 0, 0.5, d);
                double[] x0 = TestModels.uniform(d, -0.6, 0.6, d + 1);
                double[] ue = new double[1];
                double[] de = new double[1];
                double[] ge = new double[d];
                double[] le = new double[1];
                s.residualTerms(1, t0, x0, ue, de, ge, le);
                double[] t = repeat(t0, n);
                double[] x = repeat(x0, n);
                for (ProbeKind kind : ProbeKind.values()) {
                    Out o = Out.of(s, n, t, x, keys(n, 1000L * d + act.ordinal() * 10 + kind.ordinal()), 1, kind);
                    double mu = mean(o.lap, n);
                    double se = Math.sqrt(sampleVar(o.lap, n) / n) + 1e-12 * (Math.abs(le[0]) + 1);
                    assertTrue(Math.abs(mu - le[0]) <= 5 * se, act + " d=" + d + " " + kind + ": mean of " + n
                            + " estimates " + mu + " vs exact " + le[0] + " (SE " + se + ")");
                }
            }
        }
    }

    /**
     * (b) The variance matches the closed forms: one probe term has variance 2(‖H‖_F² − Σ H_ii²) (Rademacher) or
     * 2‖H‖_F² (Gaussian); the reported per-row sample variance is unbiased for it, and the spread of the k-probe
     * estimate across rows is that over k.
     */
    @Test
    void varianceMatchesTheClosedForm() {
        int d = 6;
        int k = 4;
        int n = 6000;
        for (Activation act : ACTS) {
            MlpModel m = TestModels.randomMlp(d, act, 500 + act.ordinal(), 16, 16);
            RandomizedResidual s = randomized(m, EvalOptions.DEFAULT);
            double[] t0 = {0.2};
            double[] x0 = TestModels.uniform(d, -0.6, 0.6, 77 + act.ordinal());
            double[][] h = hessian(s, t0[0], x0);
            double fro = 0;
            double diag = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    fro += h[a][b] * h[a][b];
                }
                diag += h[a][a] * h[a][a];
            }
            double[] t = repeat(t0, n);
            double[] x = repeat(x0, n);
            for (ProbeKind kind : ProbeKind.values()) {
                double closed = kind == ProbeKind.RADEMACHER ? 2 * (fro - diag) : 2 * fro;
                Out o = Out.of(s, n, t, x, keys(n, 4242 + act.ordinal() * 2 + kind.ordinal()), k, kind);
                double mv = mean(o.var, n);
                double seMv = Math.sqrt(sampleVar(o.var, n) / n);
                assertTrue(Math.abs(mv - closed) <= 5 * seMv, act + " " + kind + ": mean reported probe variance "
                        + mv + " vs closed form " + closed + " (SE " + seMv + ")");
                double sv = sampleVar(o.lap, n);
                double seSv = sampleVarSe(o.lap, n);
                assertTrue(Math.abs(sv - closed / k) <= 5 * seSv, act + " " + kind + ": variance of the estimate "
                        + sv + " vs closed form / k " + closed / k + " (SE " + seSv + ")");
            }
        }
    }

    /** (c) Value, ∂t û and ∇û equal the exact pass's (FP64 1e-12 relative; FP32 against FP64 1e-4). */
    @Test
    void exactPartsMatchTheExactPass() {
        int d = 9;
        int n = 37;
        int[][] shapes = {{}, {16}, {16, 16}, {12, 20, 16}};
        for (Activation act : ACTS) {
            for (int[] hidden : shapes) {
                MlpModel m = TestModels.randomMlp(d, act, 17 + hidden.length, hidden);
                double[] t = TestModels.uniform(n, 0, 0.5, 5);
                double[] x = TestModels.uniform(n * d, -0.7, 0.7, 6);
                long[] keys = keys(n, 3);
                Surrogate exact = m.materialize(EvalOptions.DEFAULT);
                DerivativesTest.Terms ref = DerivativesTest.Terms.of(exact, n, t, x);
                RandomizedResidual s64 = randomized(m, EvalOptions.DEFAULT);
                Out o = Out.of(s64, n, t, x, keys, 4, ProbeKind.RADEMACHER);
                String what = act + " " + java.util.Arrays.toString(hidden);
                close(what + " u", ref.u(), o.u, n, 1e-12);
                close(what + " dt", ref.dt(), o.dt, n, 1e-12);
                close(what + " grad", ref.grad(), o.grad, n * d, 1e-12);
                RandomizedResidual s32 = randomized(m, EvalOptions.of(Precision.FP32));
                Out o32 = Out.of(s32, n, t, x, keys, 4, ProbeKind.RADEMACHER);
                close(what + " fp32 u", ref.u(), o32.u, n, 1e-4);
                close(what + " fp32 dt", ref.dt(), o32.dt, n, 1e-4);
                close(what + " fp32 grad", ref.grad(), o32.grad, n * d, 1e-4);
                close(what + " fp32 lap estimate", o.lap, o32.lap, n, 1e-3);
                if (hidden.length == 0) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(0.0, o.lap[i]);
                        assertEquals(0.0, o.var[i]);
                    }
                }
            }
        }
    }

    /** (d) Same keys, same bits: across calls, instances, chunkings, batch sizes and row positions. */
    @Test
    void sameKeySameBitsWhateverTheChunking() {
        int d = 11;
        int n = 57;
        int k = 5;
        for (Precision p : Precision.values()) {
            MlpModel m = TestModels.randomMlp(d, Activation.TANH, 8, 24, 16, 20);
            double[] t = TestModels.uniform(n, 0, 0.5, 1);
            double[] x = TestModels.uniform(n * d, -0.5, 0.5, 2);
            long[] keys = keys(n, 12345);
            for (ProbeKind kind : ProbeKind.values()) {
                Out a = Out.of(randomized(m, EvalOptions.of(p)), n, t, x, keys, k, kind);
                Out b = Out.of(randomized(m, EvalOptions.of(p)), n, t, x, keys, k, kind);
                assertBits(a, b, 0, n, d);
                RandomizedResidual chunked = randomized(m, EvalOptions.of(p).withMaxBatchRows(7).withScratchBytes(1));
                assertBits(a, Out.of(chunked, n, t, x, keys, k, kind), 0, n, d);
                RandomizedResidual small = randomized(m, EvalOptions.of(p).withMaxBatchRows(3)
                        .withScratchBytes(5000));
                assertBits(a, Out.of(small, n, t, x, keys, k, kind), 0, n, d);
                // A sub-batch: rows 20..39 alone, as rows 0..19.
                int s0 = 20;
                int c = 20;
                Out sub = Out.of(randomized(m, EvalOptions.of(p)), c,
                        java.util.Arrays.copyOfRange(t, s0, s0 + c), java.util.Arrays.copyOfRange(x, s0 * d, (s0 + c) * d),
                        java.util.Arrays.copyOfRange(keys, s0, s0 + c), k, kind);
                for (int i = 0; i < c; i++) {
                    assertEquals(a.lap[s0 + i], sub.lap[i], 0.0, p + " " + kind + " sub-batch lap " + i);
                    assertEquals(a.var[s0 + i], sub.var[i], 0.0);
                    assertEquals(a.u[s0 + i], sub.u[i], 0.0);
                    for (int q = 0; q < d; q++) {
                        assertEquals(a.grad[(s0 + i) * d + q], sub.grad[i * d + q], 0.0);
                    }
                }
                // Other keys give other estimates.
                Out other = Out.of(randomized(m, EvalOptions.of(p)), n, t, x, keys(n, 54321), k, kind);
                int same = 0;
                for (int i = 0; i < n; i++) {
                    same += a.lap[i] == other.lap[i] ? 1 : 0;
                }
                assertTrue(same < n / 4, "different keys should give different probes");
            }
        }
    }

    /** Concurrent callers with different k (separate scratch pools) get the same bits as sequential calls. */
    @Test
    void concurrentCallersWithDifferentK() throws Exception {
        int d = 13;
        int n = 200;
        MlpModel m = TestModels.randomMlp(d, Activation.SIN, 21, 32, 32);
        RandomizedResidual s = randomized(m, EvalOptions.DEFAULT.withMaxBatchRows(64));
        double[] t = TestModels.uniform(n, 0, 0.5, 1);
        double[] x = TestModels.uniform(n * d, -0.5, 0.5, 2);
        long[] keys = keys(n, 8);
        int[] ks = {1, 3, 8};
        Out[] ref = new Out[ks.length];
        for (int i = 0; i < ks.length; i++) {
            ref[i] = Out.of(s, n, t, x, keys, ks[i], ProbeKind.RADEMACHER);
        }
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Out>> fs = new java.util.ArrayList<>();
            for (int c = 0; c < 18; c++) {
                final int kk = ks[c % ks.length];
                fs.add(ex.submit(() -> Out.of(s, n, t, x, keys, kk, ProbeKind.RADEMACHER)));
            }
            for (int c = 0; c < fs.size(); c++) {
                assertBits(ref[c % ks.length], fs.get(c).get(), 0, n, d);
            }
        } finally {
            ex.shutdownNow();
        }
        // lapProbeVar may be null
        double[] lap = new double[n];
        s.residualTermsRandomized(n, t, x, keys, 3, ProbeKind.RADEMACHER, new double[n], new double[n],
                new double[n * d], lap, null);
        assertArrayEquals(ref[1].lap, lap, 0.0);
        for (int i = 0; i < n; i++) {
            assertTrue(Double.isNaN(ref[0].var[i]), "k = 1 has no sample variance");
        }
    }

    /** Bad input: the message names the parameter, its value and what was expected. */
    @Test
    void badInputIsRefusedWithTheParameterNamed() {
        MlpModel m = TestModels.randomMlp(3, Activation.TANH, 1, 8, 8);
        RandomizedResidual s = randomized(m, EvalOptions.DEFAULT);
        int n = 4;
        double[] t = new double[n];
        double[] x = new double[n * 3];
        long[] keys = keys(n, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.residualTermsRandomized(n, t, x, keys, 0, ProbeKind.RADEMACHER, new double[n], new double[n],
                        new double[n * 3], new double[n], null));
        assertTrue(e.getMessage().contains("k must be >= 1, got 0"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.residualTermsRandomized(n, t, x, new long[n - 1], 2, ProbeKind.RADEMACHER, new double[n],
                        new double[n], new double[n * 3], new double[n], null));
        assertTrue(e.getMessage().contains("rowKeys has length 3, expected >= 4"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.residualTermsRandomized(n, t, x, keys, 2, ProbeKind.RADEMACHER, new double[n],
                        new double[n], new double[n * 3 - 1], new double[n], null));
        assertTrue(e.getMessage().contains("grad has length 11, expected >= 12"), e.getMessage());
    }

    static void assertBits(Out a, Out b, int from, int to, int d) {
        for (int i = from; i < to; i++) {
            assertEquals(Double.doubleToRawLongBits(a.u[i]), Double.doubleToRawLongBits(b.u[i]), "u " + i);
            assertEquals(Double.doubleToRawLongBits(a.dt[i]), Double.doubleToRawLongBits(b.dt[i]), "dt " + i);
            assertEquals(Double.doubleToRawLongBits(a.lap[i]), Double.doubleToRawLongBits(b.lap[i]), "lap " + i);
            assertEquals(Double.doubleToRawLongBits(a.var[i]), Double.doubleToRawLongBits(b.var[i]), "var " + i);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(a.grad, from * d, to * d),
                java.util.Arrays.copyOfRange(b.grad, from * d, to * d), 0.0);
    }

    /**
     * (e) d = 2000 within a 4 MiB scratch budget (rows·d·w would be 16 MiB for these 64 rows; the exact pass would
     * need rows·(d+3)·w): value and gradient match the reverse-mode gradient pass, and the estimate is unbiased
     * within 5 standard errors.
     */
    @Test
    void twoThousandDimensionsWithoutRowsTimesDTimesWidth() {
        int d = 2000;
        int n = 64;
        int k = 8;
        int width = 16;
        MlpModel m = TestModels.randomMlp(d, Activation.TANH, 2000, width, width);
        long budget = 4L << 20;
        EvalOptions o = EvalOptions.DEFAULT.withScratchBytes(budget);
        MlpEvaluator s = (MlpEvaluator) m.materialize(o);
        double[] t0 = {0.3};
        double[] x0 = TestModels.uniform(d, -1.0 / Math.sqrt(d), 1.0 / Math.sqrt(d), 2001);
        double[] t = repeat(t0, n);
        double[] x = repeat(x0, n);
        Out r = Out.of(s, n, t, x, keys(n, 2002), k, ProbeKind.RADEMACHER);
        HutchinsonResidual h = s.hutchinson();
        long alloc = h.scratchBytes(k);
        assertTrue(alloc <= budget, "scratch " + alloc + " exceeds the budget " + budget);
        assertTrue(alloc < (long) n * d * width * 8, "scratch " + alloc + " is not below rows·d·w");
        assertTrue(h.valuesPerRow(k) < (long) d * width / 4, "values per row " + h.valuesPerRow(k));
        double[] u = new double[n];
        double[] g = new double[n * d];
        s.valueAndGradient(n, t, x, u, g);
        close("u", u, r.u, n, 1e-12);
        close("grad", g, r.grad, n * d, 1e-12);
        double[] le = new double[1];
        s.residualTerms(1, t0, x0, new double[1], new double[1], new double[d], le);
        double mu = mean(r.lap, n);
        double se = Math.sqrt(mean(r.var, n) / k / n);
        assertTrue(Math.abs(mu - le[0]) <= 5 * se, "d=2000: mean " + mu + " vs exact " + le[0] + " (SE " + se + ")");
    }

    /** The cost model: exact wins at small d and with one hidden layer, the randomized pass at large d. */
    @Test
    void costModelCrossover() {
        int[] small = TestModels.widths(2, 50, 50, 50, 50, 50);
        int[] large = TestModels.widths(1000, 50, 50, 50, 50, 50);
        assertTrue(HutchinsonResidual.hutchinsonCostPerRow(small, 16, ProbeKind.RADEMACHER)
                > HutchinsonResidual.exactCostPerRow(small));
        assertTrue(HutchinsonResidual.hutchinsonCostPerRow(large, 16, ProbeKind.RADEMACHER)
                < HutchinsonResidual.exactCostPerRow(large));
        assertEquals(-1, HutchinsonResidual.crossoverDim(50, 1, 4, ProbeKind.RADEMACHER, 100000));
        int c1 = HutchinsonResidual.crossoverDim(50, 5, 1, ProbeKind.RADEMACHER, 100000);
        int c16 = HutchinsonResidual.crossoverDim(50, 5, 16, ProbeKind.RADEMACHER, 100000);
        assertTrue(c1 > 0 && c16 > c1, c1 + " " + c16);
        RandomizedResidual s = randomized(KernelBench.randomMlp(1000, 50, 5, 1), EvalOptions.DEFAULT);
        assertTrue(s.randomizedCostRatio(4, ProbeKind.RADEMACHER) < 1);
    }
}
