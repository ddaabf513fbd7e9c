package io.scasml.kernels.pde;

import io.scasml.kernels.random.StreamKeys;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The benchmark equations of docs/algorithm.md §17 and the classic HJB, written by hand in Java. They are the reference
 * implementations that the spec-file catalog is checked against.
 */
public final class BuiltinPdes {

    /** Catalog names, in the order {@code scasml pdes} lists them. */
    public static final List<String> NAMES = List.of("vb", "lcd", "lqg", "dr", "hjb");

    /** Seed of the LQG coefficients c1, c2 (docs/algorithm.md §17, §21: drawn once, one g everywhere). */
    public static final long LQG_COEFFICIENT_SEED = 20250417L;

    /** Monte Carlo samples of the Cole–Hopf reference solution of LQG/HJB (antithetic pairs, per point). */
    public static final int COLE_HOPF_SAMPLES = 1 << 15;

    private BuiltinPdes() {
    }

    /**
     * Looks a built-in up by name.
     *
     * @throws IllegalArgumentException for an unknown name or a dimension below 1
     */
    public static Pde byName(String name, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dim: " + dim + " must be >= 1");
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "vb": return vb(dim);
            case "lcd": return lcd(dim);
            case "lqg": return lqg(dim);
            case "dr": return dr(dim);
            case "hjb": return hjb(dim, 1.0);
            default:
                throw new IllegalArgumentException("pde: unknown catalog name '" + name + "'; expected one of " + NAMES);
        }
    }

    /** Base class: constant coefficients and validated fields. */
    abstract static class Base implements Pde {
        final String name;
        final int d;
        final double horizon;
        final double[] mu;
        final double sigma;
        final Domain domain;

        Base(String name, int d, double horizon, double mu, double sigma, Domain domain) {
            this.name = name;
            this.d = d;
            this.horizon = horizon;
            this.mu = new double[d];
            Arrays.fill(this.mu, mu);
            this.sigma = sigma;
            this.domain = domain;
        }

        @Override public String name() { return name; }
        @Override public int dim() { return d; }
        @Override public double horizon() { return horizon; }
        @Override public double[] drift() { return mu.clone(); }
        @Override public double sigma() { return sigma; }
        @Override public Domain domain() { return domain; }
        @Override public boolean hasExact() { return true; }

        @Override
        public String toString() {
            return name + "(d=" + d + ", T=" + horizon + ")";
        }
    }

    static double sum(double[] x, int off, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[off + k];
        }
        return s;
    }

    static double logistic(double s) {
        return 1.0 / (1.0 + Math.exp(-s));
    }

    /**
     * VB ("viscous Burgers", {@code Grad_Dependent_Nonlinear}): T = 0.5, σ = 0.25, μ_i = −1/d − σ²/2,
     * F = σ·u·Σz, g = logistic(T + Σx), exact u = logistic(t + Σx); test domain [−0.5, 0.5]^d × [0, 0.5].
     */
    public static Pde vb(int d) {
        final double sigma = 0.25;
        return new Base("vb", d, 0.5, -1.0 / d - sigma * sigma / 2, sigma, Domain.cube(-0.5, 0.5, 0, 0.5, 1.0 / 6)) {
            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = sigma * u[i] * sum(z, i * d, d);
                }
            }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = logistic(horizon + sum(x, i * d, d));
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = logistic(t[i] + sum(x, i * d, d));
                }
            }
        };
    }

    /**
     * LCD (linear convection–diffusion): T = 0.5, σ = √2, μ_i = −1/d, F = 0, g = Σx + T, exact u = Σx + t;
     * test domain [−0.5, 0.5]^d × [0, 0.5] (the reference's test geometry, D14a).
     */
    public static Pde lcd(int d) {
        return new Base("lcd", d, 0.5, -1.0 / d, Math.sqrt(2), Domain.cube(-0.5, 0.5, 0, 0.5, 1.0 / 6)) {
            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                Arrays.fill(out, 0, n, 0.0);
            }

            @Override public boolean generatorUsesGradient() { return false; }
            @Override public boolean generatorIsZero() { return true; }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = sum(x, i * d, d) + horizon;
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = sum(x, i * d, d) + t[i];
                }
            }
        };
    }

    /**
     * DR (diffusion–reaction, {@code Oscillating_Solution}): T = 1, σ = 1, μ = 0, F = min{1, (u − u*)²} with
     * u*(t, x) = 1.6 + sin(0.1·Σx)·exp(0.01·d·(t − T)/2); g = u*(T, ·); exact u = u*; test domain unit ball × [0, 1].
     */
    public static Pde dr(int d) {
        final double kappa = 1.6;
        final double lambda = 0.1;
        return new Base("dr", d, 1.0, 0.0, 1.0, Domain.ball(1.0, 0, 1.0, 1.0 / 6)) {
            double star(double t, double s) {
                return kappa + Math.sin(lambda * s) * Math.exp(lambda * lambda * d * (t - horizon) / 2);
            }

            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    double e = u[i] - star(t[i], sum(x, i * d, d));
                    out[i] = Math.min(1.0, e * e);
                }
            }

            @Override public boolean generatorUsesGradient() { return false; }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = star(horizon, sum(x, i * d, d));
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = star(t[i], sum(x, i * d, d));
                }
            }
        };
    }

    /**
     * Classic HJB: σ = √2, μ = 0, F = −‖z‖²/2 (so ∂t u + Δu − ‖∇u‖² = 0), g = ln((1 + ‖x‖²)/2).
     * The reference solution is Cole–Hopf, u = −ln E[exp(−g(x + √2 W_{T−t}))], by antithetic Monte Carlo with
     * {@link #COLE_HOPF_SAMPLES} samples keyed by the point (standard error ≈ 1e-3 at d = 100).
     * Test domain unit ball × [0, T].
     */
    public static Pde hjb(int d, double horizon) {
        if (!(horizon > 0)) {
            throw new IllegalArgumentException("T: " + horizon + " must be > 0");
        }
        return new ColeHopf("hjb", d, horizon) {
            @Override
            double g(double[] x, int off) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[off + k] * x[off + k];
                }
                return Math.log((1 + s) / 2);
            }
        };
    }

    /**
     * LQG (HJB with the "Rosenbrock" terminal of the reference): σ = √2, μ = 0, F = −‖z‖²/2, T = 1,
     * g = ln((1 + Σ_{i<d} [c1_i (x_i − x_{i+1})² + c2_i x_{i+1}²]) / 2) with c1, c2 ∈ U[0.5, 1.5]^{d−1} drawn once
     * from {@link #LQG_COEFFICIENT_SEED} (docs/algorithm.md §17, §21). Reference solution by Cole–Hopf Monte Carlo.
     */
    public static Pde lqg(int d) {
        if (d < 2) {
            throw new IllegalArgumentException("dim: LQG needs d >= 2, got " + d);
        }
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(LQG_COEFFICIENT_SEED));
        final double[] c1 = new double[d - 1];
        final double[] c2 = new double[d - 1];
        for (int i = 0; i < d - 1; i++) {
            c1[i] = 0.5 + rng.nextDouble();
        }
        for (int i = 0; i < d - 1; i++) {
            c2[i] = 0.5 + rng.nextDouble();
        }
        return new ColeHopf("lqg", d, 1.0) {
            @Override
            double g(double[] x, int off) {
                double s = 0;
                for (int i = 0; i < d - 1; i++) {
                    double a = x[off + i] - x[off + i + 1];
                    double b = x[off + i + 1];
                    s += c1[i] * a * a + c2[i] * b * b;
                }
                return Math.log((1 + s) / 2);
            }
        };
    }

    /** HJB-type equations solved by the Cole–Hopf transform. */
    abstract static class ColeHopf extends Base {
        ColeHopf(String name, int d, double horizon) {
            super(name, d, horizon, 0.0, Math.sqrt(2), Domain.ball(1.0, 0, horizon, 1.0 / 6));
        }

        abstract double g(double[] x, int off);

        @Override
        public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double v = z[i * d + k];
                    s += v * v;
                }
                out[i] = -0.5 * s;
            }
        }

        @Override
        public void terminal(int n, double[] x, double[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = g(x, i * d);
            }
        }

        @Override
        public void exact(int n, double[] t, double[] x, double[] out) {
            double[] y = new double[2 * d];
            double[] xi = new double[d];
            for (int i = 0; i < n; i++) {
                double tau = horizon - t[i];
                if (!(tau > 0)) {
                    out[i] = g(x, i * d);
                    continue;
                }
                long key = StreamKeys.child(0x5CA5_3A11_C01EL, Double.doubleToLongBits(t[i]));
                for (int k = 0; k < d; k++) {
                    key = StreamKeys.child(key, Double.doubleToLongBits(x[i * d + k]));
                }
                ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(StreamKeys.stream(key));
                double sc = Math.sqrt(2 * tau);
                // Factor out the smallest observed exponent for stability: E[e^{-g}] = e^{-m} E[e^{-(g-m)}].
                double[] vals = new double[COLE_HOPF_SAMPLES];
                double min = Double.POSITIVE_INFINITY;
                for (int s = 0; s < COLE_HOPF_SAMPLES; s += 2) {
                    for (int k = 0; k < d; k++) {
                        xi[k] = gauss.sample();
                        y[k] = x[i * d + k] + sc * xi[k];
                        y[d + k] = x[i * d + k] - sc * xi[k];
                    }
                    vals[s] = g(y, 0);
                    vals[s + 1] = g(y, d);
                    min = Math.min(min, Math.min(vals[s], vals[s + 1]));
                }
                double acc = 0;
                for (double v : vals) {
                    acc += Math.exp(-(v - min));
                }
                out[i] = min - Math.log(acc / COLE_HOPF_SAMPLES);
            }
        }
    }
}
