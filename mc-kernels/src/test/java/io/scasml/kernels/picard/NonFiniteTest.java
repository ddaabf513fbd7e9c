package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Non-finite values are data: an equation or surrogate that overflows near some points gives those points NaN
 * values and a status, and every other point exactly the bits of a run without them.
 */
class NonFiniteTest {
    static final int D = 2;
    /** Points whose paths stay far below the overflow threshold x₀ = 1 (σ = 0.05, T = 0.5: 14 sd away). */
    static final double[][] GOOD = {{-0.5, 0.2}, {-0.3, -0.1}, {0.0, 0.4}, {-0.6, 0.0}, {0.1, -0.2}};
    /** Points whose own paths cross x₀ = 1.5 with certainty. */
    static final double[] BAD = {2.0, 0.0};

    /** F = 0.3·u + 0.1·z₀ + e^(800·(x₀ − 1.5))·0.01: overflows (to +∞) only for x₀ above ~2.39, so only near BAD. */
    static TestPdes.Simple overflowingGenerator() {
        return new TestPdes.Simple(D, 0.5, 0.0, 0.05) {
            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    double x0 = x[i * D];
                    out[i] = 0.3 * u[i] + 0.1 * z[i * D] + 0.01 * (x0 > 1.5 ? Double.POSITIVE_INFINITY : Math.exp(x0));
                }
            }

            @Override public boolean generatorUsesGradient() { return true; }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.sin(x[i * D]) + x[i * D + 1];
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                java.util.Arrays.fill(out, 0, n, Double.NaN);
            }
        };
    }

    /** F = 0.2·u, g = x₀ + exp(800·(x₀ − 0.9)): g overflows for x₀ &gt; 1.79, so along BAD's paths only. */
    static TestPdes.Simple overflowingTerminal() {
        return new TestPdes.Simple(D, 0.5, 0.0, 0.05) {
            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = 0.2 * u[i];
                }
            }

            @Override public boolean generatorUsesGradient() { return false; }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = x[i * D] + Math.exp(800 * (x[i * D] - 0.9));
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                java.util.Arrays.fill(out, 0, n, Double.NaN);
            }
        };
    }

    /** A smooth surrogate that returns NaN (value and gradient) for x₀ &gt; 1.5. */
    static Surrogate poisoned(Surrogate s) {
        return new Surrogate() {
            @Override public int dim() { return s.dim(); }

            @Override
            public void value(int n, double[] t, double[] x, double[] u) {
                s.value(n, t, x, u);
                poison(n, x, u, null, null, null);
            }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                s.valueAndGradient(n, t, x, u, grad);
                poison(n, x, u, grad, null, null);
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                s.residualTerms(n, t, x, u, dt, grad, lap);
                poison(n, x, u, grad, dt, lap);
            }

            private void poison(int n, double[] x, double[] u, double[] g, double[] dt, double[] lap) {
                for (int i = 0; i < n; i++) {
                    if (x[i * D] > 1.5) {
                        u[i] = Double.NaN;
                        if (g != null) {
                            g[i * D] = Double.NaN;
                        }
                        if (dt != null) {
                            dt[i] = Double.NaN;
                            lap[i] = Double.NaN;
                        }
                    }
                }
            }
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "generator,full-history,mlp,nonfinite_generator",
        "generator,quadrature,mlp,nonfinite_generator",
        "terminal,full-history,mlp,nonfinite_terminal",
        "terminal,quadrature,mlp,nonfinite_terminal",
        "surrogate,full-history,scasml,nonfinite_surrogate",
        "surrogate,quadrature,scasml,nonfinite_surrogate"})
    void badPointIsFlaggedAndTheOthersAreUntouched(String what, String scheme, String method, String status) {
        TestPdes.Simple pde = what.equals("terminal") ? overflowingTerminal() : overflowingGenerator();
        Surrogate s = what.equals("surrogate") ? poisoned(AnalyticSurrogates.zero(D)) : null;
        RunOptions o = RunOptions.builder().method(Method.parse(method)).scheme(Scheme.parse(scheme)).levels(3)
            .base(4).seed(5).pointsPerUnit(4).unitCost(100).build();
        PicardEstimator est = PicardEstimator.create(pde, s, o);
        List<QueryPoint> good = new ArrayList<>();
        List<QueryPoint> mixed = new ArrayList<>();
        for (int i = 0; i < GOOD.length; i++) {
            QueryPoint q = new QueryPoint(10 + i, 0.1, GOOD[i]);
            good.add(q);
            mixed.add(q);
            if (i == 1) {
                mixed.add(new QueryPoint(99, 0.1, BAD)); // shares a group (and batches) with good points
            }
        }
        List<PointEstimate> ref = LocalRunner.run(est, good, 2);
        List<PointEstimate> got = LocalRunner.run(est, mixed, 2);
        int k = 0;
        for (PointEstimate e : got) {
            if (e.id() == 99) {
                assertEquals(status, e.status().label());
                assertTrue(Double.isNaN(e.u()) && Double.isNaN(e.stdError()) && Double.isNaN(e.ciLow()),
                    "NaN values and no error bar: " + e);
                continue;
            }
            PointEstimate r = ref.get(k++);
            assertEquals(PointStatus.OK, e.status());
            assertTrue(Double.isFinite(e.u()) && e.stdError() > 0, "good point " + e.id() + ": " + e.u());
            assertEquals(r.id(), e.id());
            assertEquals(Double.doubleToLongBits(r.u()), Double.doubleToLongBits(e.u()), "point " + e.id());
            assertEquals(Double.doubleToLongBits(r.stdError()), Double.doubleToLongBits(e.stdError()));
            assertArrayEquals(r.z(), e.z(), 0.0);
            assertArrayEquals(r.counts(), e.counts());
        }
        assertEquals(GOOD.length, k);
    }
}
