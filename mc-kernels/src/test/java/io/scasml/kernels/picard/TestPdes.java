package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;
import java.util.Arrays;

/** Small PDEs with closed-form solutions for testing the estimator's building blocks. */
final class TestPdes {
    private TestPdes() {
    }

    abstract static class Simple implements Pde {
        final int d;
        final double horizon;
        final double[] mu;
        final double sigma;

        Simple(int d, double horizon, double mu, double sigma) {
            this.d = d;
            this.horizon = horizon;
            this.mu = new double[d];
            Arrays.fill(this.mu, mu);
            this.sigma = sigma;
        }

        @Override public String name() { return getClass().getSimpleName(); }
        @Override public int dim() { return d; }
        @Override public double horizon() { return horizon; }
        @Override public double[] drift() { return mu.clone(); }
        @Override public double sigma() { return sigma; }
        @Override public Domain domain() { return Domain.cube(-1, 1, 0, horizon, 0); }
        @Override public boolean hasExact() { return true; }
    }

    /** F ≡ 0: a linear (heat-type) equation. */
    abstract static class Linear extends Simple {
        Linear(int d, double horizon, double mu, double sigma) {
            super(d, horizon, mu, sigma);
        }

        @Override
        public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
            Arrays.fill(out, 0, n, 0.0);
        }

        @Override public boolean generatorIsZero() { return true; }
        @Override public boolean generatorUsesGradient() { return false; }
    }

    /** F = 0, g(x) = a·x + b: u = a·(x + μτ) + b, σ∇u = σa. */
    static Simple linearTerminal(int d, double mu, double sigma, double horizon) {
        return new Linear(d, horizon, mu, sigma) {
            double a(int k) {
                return 0.5 + 0.25 * k;
            }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    double s = 0.3;
                    for (int k = 0; k < d; k++) {
                        s += a(k) * x[i * d + k];
                    }
                    out[i] = s;
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    double s = 0.3;
                    for (int k = 0; k < d; k++) {
                        s += a(k) * (x[i * d + k] + mu[k] * (horizon - t[i]));
                    }
                    out[i] = s;
                }
            }

            @Override
            public String toString() {
                return "exactZ";
            }
        };
    }

    /** σ∇u of {@link #linearTerminal}. */
    static double[] linearTerminalZ(int d, double sigma) {
        double[] z = new double[d];
        for (int k = 0; k < d; k++) {
            z[k] = sigma * (0.5 + 0.25 * k);
        }
        return z;
    }

    /** F = 0, g = ‖x‖²: u = ‖x + μτ‖² + σ²dτ, σ∇u = 2σ(x + μτ). */
    static Simple quadraticTerminal(int d, double mu, double sigma, double horizon) {
        return new Linear(d, horizon, mu, sigma) {
            @Override
            public void terminal(int n, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x[i * d + k] * x[i * d + k];
                    }
                    out[i] = s;
                }
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    double tau = horizon - t[i];
                    double s = sigma * sigma * d * tau;
                    for (int k = 0; k < d; k++) {
                        double y = x[i * d + k] + mu[k] * tau;
                        s += y * y;
                    }
                    out[i] = s;
                }
            }
        };
    }

    /** F = f(t) = 1 + 3t², g = 0: u = (T − t) + T³ − t³, ∇u = 0. */
    static Simple timeSource(int d, double horizon) {
        return new Simple(d, horizon, 0.1, 0.7) {
            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = 1 + 3 * t[i] * t[i];
                }
            }

            @Override public boolean generatorUsesGradient() { return false; }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                Arrays.fill(out, 0, n, 0.0);
            }

            @Override
            public void exact(int n, double[] t, double[] x, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = (horizon - t[i]) + horizon * horizon * horizon - t[i] * t[i] * t[i];
                }
            }
        };
    }
}
