package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;

/**
 * Evaluator of an {@link RbfModel} with the closed-form derivatives of docs/algorithm.md §19 (FP64 whatever the
 * requested precision; plain Java loops, one pass over the centers per point).
 *
 * <p>With r = y − c (d+1 components), ρ² = Σ_{i≤d} r_i², R = Σ_{i≤d} r_i, a = 1/ℓ², κ = exp(−a|r|²/2), every block's
 * feature φ and its derivatives in y take the form
 * {@code ∂_i φ = A·r_i + B} (spatial i) and {@code ∂_t φ = A_t·r_t + C} (A_t = A except for the Laplacian block) with
 *
 * <pre>
 *   value:     φ = κ,             A = −aκ,          B = 0,   C = 0,   Δφ = κ(a²ρ² − da)
 *   laplacian: φ = κh, h = a²ρ² − da, A = −aκh + 2a²κ, A_t = −aκh, Δφ = κ(a⁴ρ⁴ − 2(d+2)a³ρ² + d(d+2)a²)
 *   dt:        φ = aκ r_t,        A = −a²κ r_t,     B = 0,   C = aκ,  Δφ = a r_t κ(a²ρ² − da)
 *   div:       φ = aκ R,          A = −a²κ R,       B = aκ,  C = 0,   Δφ = κR(a³ρ² − (d+2)a²)
 * </pre>
 *
 * <p>Thread-safe (stateless apart from read-only model arrays).
 */
final class RbfEvaluator implements Surrogate {

    private final RbfModel m;
    private final int d;
    private final double a;

    RbfEvaluator(RbfModel m, EvalOptions opt) {
        this.m = m;
        this.d = m.dim();
        this.a = 1.0 / (m.lengthscale() * m.lengthscale());
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public void value(int n, double[] t, double[] x, double[] u) {
        check(n, t, x);
        final int in = d + 1;
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (RbfModel.Block blk : RbfModel.Block.values()) {
                if (!m.has(blk)) {
                    continue;
                }
                double[] c = m.centersRef(blk);
                double[] al = m.alphaRef(blk);
                for (int j = 0; j < al.length; j++) {
                    int co = j * in;
                    double rho2 = 0.0;
                    double sumR = 0.0;
                    for (int k = 0; k < d; k++) {
                        double r = x[i * d + k] - c[co + k];
                        rho2 += r * r;
                        sumR += r;
                    }
                    double rt = t[i] - c[co + d];
                    double kap = al[j] * Math.exp(-0.5 * a * (rho2 + rt * rt));
                    s += switch (blk) {
                        case VALUE -> kap;
                        case LAPLACIAN -> kap * (a * a * rho2 - d * a);
                        case DT -> a * kap * rt;
                        case DIV -> a * kap * sumR;
                    };
                }
            }
            u[i] = m.shift() + m.scale() * s;
        }
    }

    @Override
    public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
        double[] dt = new double[n];
        double[] lap = new double[n];
        residualTerms(n, t, x, u, dt, grad, lap);
    }

    @Override
    public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        check(n, t, x);
        final int in = d + 1;
        final double[] ac = new double[in];
        final double a2 = a * a;
        for (int i = 0; i < n; i++) {
            double su = 0.0;
            double sa = 0.0;
            double sat = 0.0;
            double sb = 0.0;
            double sc = 0.0;
            double sl = 0.0;
            java.util.Arrays.fill(ac, 0.0);
            for (RbfModel.Block blk : RbfModel.Block.values()) {
                if (!m.has(blk)) {
                    continue;
                }
                double[] c = m.centersRef(blk);
                double[] al = m.alphaRef(blk);
                for (int j = 0; j < al.length; j++) {
                    int co = j * in;
                    double rho2 = 0.0;
                    double sumR = 0.0;
                    for (int k = 0; k < d; k++) {
                        double r = x[i * d + k] - c[co + k];
                        rho2 += r * r;
                        sumR += r;
                    }
                    double rt = t[i] - c[co + d];
                    double kap = al[j] * Math.exp(-0.5 * a * (rho2 + rt * rt));
                    double v;
                    double ca;
                    double cat;
                    double cb = 0.0;
                    double cc = 0.0;
                    double l;
                    switch (blk) {
                        case VALUE -> {
                            v = kap;
                            ca = -a * kap;
                            cat = ca;
                            l = kap * (a2 * rho2 - d * a);
                        }
                        case LAPLACIAN -> {
                            double h = a2 * rho2 - d * a;
                            v = kap * h;
                            cat = -a * v;
                            ca = cat + 2.0 * a2 * kap;
                            l = kap * (a2 * a2 * rho2 * rho2 - 2.0 * (d + 2) * a2 * a * rho2 + (double) d * (d + 2) * a2);
                        }
                        case DT -> {
                            v = a * kap * rt;
                            ca = -a2 * kap * rt;
                            cat = ca;
                            cc = a * kap;
                            l = a * rt * kap * (a2 * rho2 - d * a);
                        }
                        case DIV -> {
                            v = a * kap * sumR;
                            ca = -a2 * kap * sumR;
                            cat = ca;
                            cb = a * kap;
                            l = kap * sumR * (a2 * a * rho2 - (d + 2) * a2);
                        }
                        default -> throw new IllegalStateException();
                    }
                    su += v;
                    sa += ca;
                    sat += cat;
                    sb += cb;
                    sc += cc;
                    sl += l;
                    for (int k = 0; k < d; k++) {
                        ac[k] += ca * c[co + k];
                    }
                    ac[d] += cat * c[co + d];
                }
            }
            double sca = m.scale();
            u[i] = m.shift() + sca * su;
            for (int k = 0; k < d; k++) {
                grad[i * d + k] = sca * (x[i * d + k] * sa - ac[k] + sb);
            }
            dt[i] = sca * (t[i] * sat - ac[d] + sc);
            lap[i] = sca * sl;
        }
    }

    private void check(int n, double[] t, double[] x) {
        if (n < 0 || t.length < n || x.length < (long) n * d) {
            throw new IllegalArgumentException("batch of " + n + " points needs t.length >= " + n + " and x.length >= "
                    + (long) n * d + " (d = " + d + "), got " + t.length + " and " + x.length);
        }
    }
}
