package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.DeflatedResidual;
import io.scasml.kernels.surrogate.LaplacianMode;
import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.RandomizedResidual;
import io.scasml.kernels.surrogate.Residuals;
import io.scasml.kernels.surrogate.Surrogate;

/**
 * The problem the Picard iteration solves: terminal values g̃, a generator Φ(t, x, u, z) and an optional source
 * term that enters only the level-0 terms. Plain MLP: g̃ = g, Φ = F, no source. SCaSML (docs/algorithm.md §6): the
 * defect PDE of a surrogate û, with g̃ = g − û(T, ·), Φ = G(e, z) = F(û + e, σ∇û + z) − F(û, σ∇û) and the
 * source ε = ∂t û + μ·∇û + (σ²/2)Δû + F(û, σ∇û).
 */
abstract class PicardProblem {
    final Pde pde;
    final int d;

    PicardProblem(Pde pde) {
        this.pde = pde;
        this.d = pde.dim();
    }

    /** Source ε present (enters every level-0 term). */
    abstract boolean hasSource();

    /** Φ(t, x, 0, 0) ≡ 0, so level-0 generator terms vanish. */
    abstract boolean vanishesAtZero();

    /** Φ ≡ 0. */
    boolean isZero() {
        return pde.generatorIsZero();
    }

    /** Φ depends on z. */
    boolean usesGradient() {
        return pde.generatorUsesGradient();
    }

    /** Surrogate passes per terminal evaluation: 1 value pass for SCaSML, none for MLP. */
    abstract boolean terminalUsesSurrogate();

    /** g̃ at n points. */
    abstract void terminal(int n, double[] x, double[] out);

    /**
     * Prepares Φ at n fixed points (and ε when {@code withSource}).
     *
     * @param probeKeys with a randomized Laplacian ({@link #randomized()}) and {@code withSource}: per point, the key
     *                  of its probe stream (length ≥ n); else ignored (may be null)
     */
    abstract Gen prepare(int n, double[] t, double[] x, boolean withSource, long[] probeKeys);

    /** Whether ε uses a randomized Laplacian (and so {@link #prepare} needs probe keys). */
    boolean randomized() {
        return false;
    }

    /** Φ at fixed points, applicable to several (u, z). */
    interface Gen {
        /** out[i] = Φ(t_i, x_i, u[i], z_i) for the prepared points. */
        void apply(double[] u, double[] z, double[] out);

        /** ε at the prepared points, or null. */
        double[] source();

        /**
         * With a randomized Laplacian of k ≥ 2 probes: per prepared point, (σ²/2)²·s²/k with s² the sample variance
         * of its k probe terms — an unbiased estimate of Var(ε̂ | point), the probes' share of the variance of ε̂.
         * Null when ε is exact or absent; NaN entries for k = 1 (not estimable).
         */
        default double[] sourceProbeVariance() {
            return null;
        }
    }

    /** Plain multilevel Picard on the PDE itself. */
    static PicardProblem plain(Pde pde) {
        return new PicardProblem(pde) {
            @Override boolean hasSource() { return false; }
            @Override boolean vanishesAtZero() { return pde.generatorIsZero(); }
            @Override boolean terminalUsesSurrogate() { return false; }

            @Override
            void terminal(int n, double[] x, double[] out) {
                pde.terminal(n, x, out);
            }

            @Override
            Gen prepare(int n, double[] t, double[] x, boolean withSource, long[] probeKeys) {
                return new Gen() {
                    @Override
                    public void apply(double[] u, double[] z, double[] out) {
                        pde.generator(n, t, x, u, z, out);
                    }

                    @Override
                    public double[] source() {
                        return null;
                    }
                };
            }
        };
    }

    /** The defect ("error") PDE of a surrogate, with the exact Laplacian in ε. */
    static PicardProblem defect(Pde pde, Surrogate s) {
        return defect(pde, s, LaplacianMode.EXACT);
    }

    /**
     * The defect ("error") PDE of a surrogate, with ε's Laplacian computed as {@code mode} says (a resolved mode:
     * exact, hutchinson or deflated; hutchinson needs a {@link RandomizedResidual} surrogate, deflated a
     * {@link DeflatedResidual}). With hutchinson or deflated, ε̂ is {@link Residuals#residual} of the randomized pass's terms: F sees the exact value and gradient, and since ε is
     * linear in Δû, E[ε̂ | point] = ε.
     */
    static PicardProblem defect(Pde pde, Surrogate s, LaplacianMode mode) {
        if (mode.kind() == LaplacianMode.Kind.AUTO) {
            throw new IllegalArgumentException("laplacian: resolve " + mode.id() + " against the surrogate first");
        }
        final RandomizedResidual rr = mode.randomized() ? (RandomizedResidual) s : null;
        final int probes = mode.probes();
        final ProbeKind probeKind = mode.probeKind();
        final boolean deflated = mode.deflated();
        return new PicardProblem(pde) {
            final double horizon = pde.horizon();

            @Override boolean randomized() { return rr != null; }
            @Override boolean hasSource() { return true; }
            @Override boolean vanishesAtZero() { return true; }
            @Override boolean terminalUsesSurrogate() { return true; }

            @Override
            void terminal(int n, double[] x, double[] out) {
                double[] tt = new double[n];
                java.util.Arrays.fill(tt, horizon);
                double[] uh = new double[n];
                s.value(n, tt, x, uh);
                pde.terminal(n, x, out);
                for (int i = 0; i < n; i++) {
                    out[i] -= uh[i];
                }
            }

            @Override
            Gen prepare(int n, double[] t, double[] x, boolean withSource, long[] probeKeys) {
                final double sigma = pde.sigma();
                final double[] uh = new double[n];
                final double[] zh = new double[n * d];
                final double[] f0 = new double[n];
                final double[] eps;
                final boolean grad = pde.generatorUsesGradient();
                double[] pv = null;
                if (withSource) {
                    double[] dt = new double[n];
                    double[] g = new double[n * d];
                    double[] lap = new double[n];
                    if (rr != null) {
                        pv = new double[n];
                        if (deflated) {
                            ((DeflatedResidual) rr).residualTermsDeflated(n, t, x, probeKeys, probes, probeKind, uh,
                                dt, g, lap, pv);
                        } else {
                            rr.residualTermsRandomized(n, t, x, probeKeys, probes, probeKind, uh, dt, g, lap, pv);
                        }
                        final double c2 = 0.25 * sigma * sigma * sigma * sigma;
                        for (int i = 0; i < n; i++) {
                            pv[i] = probes >= 2 ? c2 * pv[i] / probes : Double.NaN;
                        }
                    } else {
                        s.residualTerms(n, t, x, uh, dt, g, lap);
                    }
                    eps = new double[n];
                    // Residuals leaves σ∇û in zh and writes ε; F(û, σ∇û) is recomputed below for G.
                    Residuals.residual(pde, n, t, x, uh, dt, g, lap, zh, eps);
                } else {
                    eps = null;
                    if (grad) {
                        s.valueAndGradient(n, t, x, uh, zh);
                        for (int i = 0; i < n * d; i++) {
                            zh[i] *= sigma;
                        }
                    } else {
                        s.value(n, t, x, uh);
                    }
                }
                final double[] probeVar = pv;
                final boolean needF0 = !withSource || !pde.generatorIsZero();
                if (needF0) {
                    pde.generator(n, t, x, uh, zh, f0);
                }
                return new Gen() {
                    @Override
                    public void apply(double[] u, double[] z, double[] out) {
                        double[] ua = new double[n];
                        for (int i = 0; i < n; i++) {
                            ua[i] = uh[i] + u[i];
                        }
                        double[] za = zh;
                        if (grad) {
                            za = new double[n * d];
                            for (int i = 0; i < n * d; i++) {
                                za[i] = zh[i] + z[i];
                            }
                        }
                        pde.generator(n, t, x, ua, za, out);
                        for (int i = 0; i < n; i++) {
                            out[i] -= f0[i];
                        }
                    }

                    @Override
                    public double[] source() {
                        return eps;
                    }

                    @Override
                    public double[] sourceProbeVariance() {
                        return probeVar;
                    }
                };
            }
        };
    }
}
