package io.scasml.kernels.surrogate;

import java.util.Arrays;

/**
 * Closed-form surrogates for tests, examples and benchmarks of the estimator itself: the zero function, the exact
 * solutions of VB and LCD, and any surrogate plus a smooth known perturbation.
 */
public final class AnalyticSurrogates {
    private AnalyticSurrogates() {
    }

    /** û ≡ 0. */
    public static Surrogate zero(int d) {
        return new Surrogate() {
            @Override public int dim() { return d; }
            @Override public void value(int n, double[] t, double[] x, double[] u) { Arrays.fill(u, 0, n, 0.0); }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                Arrays.fill(u, 0, n, 0.0);
                Arrays.fill(grad, 0, n * d, 0.0);
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                valueAndGradient(n, t, x, u, grad);
                Arrays.fill(dt, 0, n, 0.0);
                Arrays.fill(lap, 0, n, 0.0);
            }
        };
    }

    /** A surrogate û(t, x) = φ(a·t + b·Σx) + c for a scalar profile φ with known derivatives. */
    private abstract static class Ridge implements Surrogate {
        final int d;
        final double a;
        final double b;

        Ridge(int d, double a, double b) {
            this.d = d;
            this.a = a;
            this.b = b;
        }

        /** {φ(s), φ'(s), φ''(s)} into out. */
        abstract void profile(double s, double[] out);

        double arg(double[] t, double[] x, int i) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k];
            }
            return a * t[i] + b * s;
        }

        @Override public int dim() { return d; }

        @Override
        public void value(int n, double[] t, double[] x, double[] u) {
            double[] p = new double[3];
            for (int i = 0; i < n; i++) {
                profile(arg(t, x, i), p);
                u[i] = p[0];
            }
        }

        @Override
        public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
            double[] p = new double[3];
            for (int i = 0; i < n; i++) {
                profile(arg(t, x, i), p);
                u[i] = p[0];
                Arrays.fill(grad, i * d, (i + 1) * d, b * p[1]);
            }
        }

        @Override
        public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                  double[] lap) {
            double[] p = new double[3];
            for (int i = 0; i < n; i++) {
                profile(arg(t, x, i), p);
                u[i] = p[0];
                dt[i] = a * p[1];
                Arrays.fill(grad, i * d, (i + 1) * d, b * p[1]);
                lap[i] = d * b * b * p[2];
            }
        }
    }

    /** The exact VB solution û = logistic(t + Σx). */
    public static Surrogate vbExact(int d) {
        return new Ridge(d, 1, 1) {
            @Override
            void profile(double s, double[] out) {
                double f = 1 / (1 + Math.exp(-s));
                out[0] = f;
                out[1] = f * (1 - f);
                out[2] = f * (1 - f) * (1 - 2 * f);
            }
        };
    }

    /** The exact LCD solution û = t + Σx. */
    public static Surrogate lcdExact(int d) {
        return new Ridge(d, 1, 1) {
            @Override
            void profile(double s, double[] out) {
                out[0] = s;
                out[1] = 1;
                out[2] = 0;
            }
        };
    }

    /**
     * {@code base + amplitude·cos(t + ω·Σx/√d)}: a smooth perturbation with exact derivatives, of the same size
     * everywhere (so a surrogate with it is wrong along the paths as well as on the test domain).
     */
    public static Surrogate perturbed(Surrogate base, double amplitude, double omega) {
        final int d = base.dim();
        final double b = omega / Math.sqrt(d);
        final Ridge h = new Ridge(d, 1, b) {
            @Override
            void profile(double s, double[] out) {
                out[0] = amplitude * Math.cos(s);
                out[1] = -amplitude * Math.sin(s);
                out[2] = -amplitude * Math.cos(s);
            }
        };
        return new Surrogate() {
            @Override public int dim() { return d; }

            @Override
            public void value(int n, double[] t, double[] x, double[] u) {
                double[] v = new double[n];
                base.value(n, t, x, u);
                h.value(n, t, x, v);
                for (int i = 0; i < n; i++) {
                    u[i] += v[i];
                }
            }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                double[] v = new double[n];
                double[] g = new double[n * d];
                base.valueAndGradient(n, t, x, u, grad);
                h.valueAndGradient(n, t, x, v, g);
                for (int i = 0; i < n; i++) {
                    u[i] += v[i];
                }
                for (int i = 0; i < n * d; i++) {
                    grad[i] += g[i];
                }
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                double[] v = new double[n];
                double[] vt = new double[n];
                double[] g = new double[n * d];
                double[] vl = new double[n];
                base.residualTerms(n, t, x, u, dt, grad, lap);
                h.residualTerms(n, t, x, v, vt, g, vl);
                for (int i = 0; i < n; i++) {
                    u[i] += v[i];
                    dt[i] += vt[i];
                    lap[i] += vl[i];
                }
                for (int i = 0; i < n * d; i++) {
                    grad[i] += g[i];
                }
            }
        };
    }

    /**
     * {@code base + amplitude·max(0, ‖x‖² − radius²)³}: exactly {@code base} on the ball ‖x‖ ≤ radius and
     * increasingly wrong outside it (C², exact derivatives; no time dependence). With the exact solution as base
     * and the query points inside the ball, this is a surrogate that is exact on the test domain and has a large
     * residual along the paths that leave the ball.
     */
    public static Surrogate wrongAway(Surrogate base, double radius, double amplitude) {
        final int d = base.dim();
        final double r2 = radius * radius;
        return new Surrogate() {
            @Override public int dim() { return d; }

            private double norm2(double[] x, int i) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * x[i * d + k];
                }
                return s;
            }

            @Override
            public void value(int n, double[] t, double[] x, double[] u) {
                base.value(n, t, x, u);
                for (int i = 0; i < n; i++) {
                    double q = Math.max(0, norm2(x, i) - r2);
                    u[i] += amplitude * q * q * q;
                }
            }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                base.valueAndGradient(n, t, x, u, grad);
                for (int i = 0; i < n; i++) {
                    double q = Math.max(0, norm2(x, i) - r2);
                    u[i] += amplitude * q * q * q;
                    for (int k = 0; k < d; k++) {
                        grad[i * d + k] += amplitude * 6 * q * q * x[i * d + k];
                    }
                }
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                base.residualTerms(n, t, x, u, dt, grad, lap);
                for (int i = 0; i < n; i++) {
                    double x2 = norm2(x, i);
                    double q = Math.max(0, x2 - r2);
                    u[i] += amplitude * q * q * q;
                    for (int k = 0; k < d; k++) {
                        grad[i * d + k] += amplitude * 6 * q * q * x[i * d + k];
                    }
                    lap[i] += amplitude * (6 * d * q * q + 24 * q * x2);
                }
            }
        };
    }
}
