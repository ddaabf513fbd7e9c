package io.scasml.kernels.picard;

import java.io.Serializable;

/**
 * The estimate at one query point.
 *
 * @param id             query-point id
 * @param t              time
 * @param x              coordinates
 * @param uSurrogate     û(t, x), NaN without a surrogate
 * @param correction     ê (SCaSML), the MLP estimate itself (MLP, where û is absent), 0 for the surrogate alone
 * @param u              the estimate of u(t, x)
 * @param stdError       its Monte Carlo standard error (from the per-term sample variances); 0 at t = T;
 *                       NaN if some term has a single sample, for the surrogate alone (no statistical error bar) or
 *                       when {@code status} is not {@link PointStatus#OK}
 * @param ciLow          u − q·stdError, q the exact 97.5% Student-t quantile with {@code dof} degrees of freedom
 * @param ciHigh         u + q·stdError
 * @param z              estimate of σ∇u (length d); NaN entries where unavailable (t = T)
 * @param exact          exact or reference solution, NaN if unknown
 * @param counts         evaluation counts, indexed as {@link TermPartial#COUNT_NAMES}
 * @param gradVarTrace   ‖zᵃ − zᵇ‖²/4, unbiased estimate of the total variance of the simulated gradient (NaN if
 *                       not estimable)
 * @param gradNorm2      ‖z‖² of the estimated σ∇u
 * @param residualRms    root mean square of the surrogate's PDE residual ε along the sampled paths (SCaSML), else NaN;
 *                       with a randomized Laplacian of k ≥ 2 probes from ε̂² − Var̂(ε̂ | point) (unbiased for ε²),
 *                       with k = 1 from ε̂² (biased upward by the probes' variance)
 * @param dof            Welch–Satterthwaite degrees of freedom of u, (Σ s²ₖ/Nₖ)² / Σ (s²ₖ/Nₖ)²/(Nₖ − 1) over the
 *                       top-level terms k (≥ 1, not floored); +∞ at t = T, NaN where no error bar exists
 * @param status         {@link PointStatus#OK}, or why the values are NaN (a non-finite surrogate, terminal or
 *                       generator value met while estimating this point)
 * @param probeVarianceShare with a randomized (Hutchinson) Laplacian: the estimated share of the probes in
 *                       stdError², Σ_terms (mean over samples of the probes' conditional variance of the summand)/N
 *                       divided by Σ_terms s²/N over the level-0 (source) terms: the probes' direct part, a lower
 *                       bound of their whole share — their indirect part through the inner iterates is in stdError
 *                       but not here, and dominates for generators in z at large d (docs/algorithm.md §24; in
 *                       [0, 1] up to sampling noise); NaN with the
 *                       exact Laplacian, with one probe per evaluation (not estimable), at t = T and without an
 *                       error bar
 * @param increment      the mean of the last top-level term (the level-(n − 1) time integral): for the full-history
 *                       scheme an unbiased estimate of E[Uₙ] − E[Uₙ₋₁], the last Picard increment of what this
 *                       estimator estimates (u for MLP, the defect e = u − û for SCaSML); the guard's truncation-bias
 *                       proxy (docs/algorithm.md §23.3). NaN at t = T, without simulation, for a failed estimate and
 *                       for a combination of replicates
 * @param incrementSe    its standard error √(s²/N) (NaN where {@code increment} is, or with a single sample)
 */
public record PointEstimate(long id, double t, double[] x, double uSurrogate, double correction, double u,
                            double stdError, double ciLow, double ciHigh, double[] z, double exact, long[] counts,
                            double gradVarTrace, double gradNorm2, double residualRms, double dof,
                            PointStatus status, double probeVarianceShare, double increment, double incrementSe)
    implements Serializable {

    /** Warn when the simulated gradient's total variance exceeds this multiple of ‖z‖². */
    public static final double NOISE_WARN_RATIO = 1.0;
    /** Warn when (T − t)·rms(ε) along the paths exceeds this share of max(|û|, 1). */
    public static final double RESIDUAL_WARN_SHARE = 0.5;
    /** Warn when the randomized Laplacian's probes carry more than this share of stdError² ({@link #probeVarianceShare}). */
    public static final double PROBE_WARN_SHARE = 0.5;

    /**
     * The split-half noise ratio tr Var(ẑ)/‖z‖² (NaN if not estimable). Above 1, the gradient fed to the generator is
     * mostly noise: with a generator nonlinear in z the correction degrades (docs/algorithm.md, split-half diagnostic).
     */
    public double noiseRatio() {
        return gradNorm2 > 0 ? gradVarTrace / gradNorm2 : Double.NaN;
    }

    /**
     * Human-readable warnings saying why this point's correction may not be trusted (empty when none).
     *
     * @param horizon the PDE's T (for the residual test)
     */
    public java.util.List<String> warnings(double horizon) {
        java.util.List<String> w = new java.util.ArrayList<>(3);
        if (noiseRatio() > NOISE_WARN_RATIO) {
            w.add(String.format(java.util.Locale.ROOT,
                "point %d: gradient noise dominates (tr Var = %.3g > |z|^2 = %.3g); raise --base/--levels", id,
                gradVarTrace, gradNorm2));
        }
        double scale = Math.max(Math.abs(uSurrogate), 1.0);
        if (residualRms * (horizon - t) > RESIDUAL_WARN_SHARE * scale) {
            w.add(String.format(java.util.Locale.ROOT,
                "point %d: surrogate residual along the paths is large ((T-t)*rms = %.3g vs max(|u_hat|,1) = %.3g);"
                    + " the correction may be unreliable - train the surrogate where the paths go", id,
                residualRms * (horizon - t), scale));
        }
        if (probeVarianceShare > PROBE_WARN_SHARE) {
            w.add(String.format(java.util.Locale.ROOT,
                "point %d: the randomized Laplacian's probes carry %.0f%% of the error bar's variance; raise K in"
                    + " --laplacian hutchinson:K, or use exact", id, 100 * probeVarianceShare));
        }
        return w;
    }

    /** Whether the estimate is a number ({@code status == OK}). */
    public boolean ok() {
        return status == PointStatus.OK;
    }

    /** Absolute error |u − exact| (NaN when the exact value is unknown). */
    public double error() {
        return Math.abs(u - exact);
    }

    /** Whether the 95% interval holds the exact value. */
    public boolean covers() {
        return exact >= ciLow && exact <= ciHigh;
    }
}
