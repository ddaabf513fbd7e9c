package io.scasml.kernels.surrogate;

/**
 * A surrogate that can also compute the residual terms with the Laplacian replaced by an unbiased randomized
 * estimate: the Hutchinson trace Δû ≈ (1/k) Σ_j v_jᵀ ∇²û v_j over k probe vectors per row (see {@link ProbeKind}
 * and {@link Probes}). Value, ∂t û and ∇x û are exact (the same quantities as {@link #residualTerms}, up to
 * rounding). Since the PDE residual ε is linear in Δû, ε computed from these terms by {@link Residuals#residual} is an
 * unbiased estimate of the exact ε; with fresh probes per Monte Carlo sample, the estimator stays unbiased and its
 * sample variance includes the probes' share.
 *
 * <p>Callers discover support by {@code surrogate instanceof RandomizedResidual}. Same thread-safety rules as
 * {@link Surrogate}. Results depend only on each row's inputs and key (not on n, the row's position in the batch or
 * the chunking), up to the last bits of the GEMMs when the batch shape changes; with the same batch shape they are
 * bit-identical.
 */
public interface RandomizedResidual extends Surrogate {

    /**
     * Value, ∂t û, ∇x û and a Hutchinson estimate of Δx û at n points.
     *
     * @param n           number of points
     * @param t           times, length ≥ n. Not modified.
     * @param x           coordinates, row-major n × d. Not modified.
     * @param rowKeys     per row, the key of its probe stream ({@link Probes}), length ≥ n. Not modified.
     * @param k           probes per row, ≥ 1
     * @param kind        probe distribution
     * @param u           values, length ≥ n. Modified.
     * @param dt          ∂t û, length ≥ n. Modified.
     * @param grad        ∇x û, row-major n × d. Modified.
     * @param lapEstimate (1/k) Σ_j v_jᵀ ∇²û v_j, length ≥ n. Modified.
     * @param lapProbeVar per row, the sample variance (divisor k − 1) of the k probe terms v_jᵀ ∇²û v_j — an
     *                    unbiased estimate of one probe term's variance, so lapProbeVar/k estimates the variance of
     *                    lapEstimate; NaN when k = 1. May be null (not computed). Modified.
     * @throws IllegalArgumentException if an array is too short or k &lt; 1
     */
    void residualTermsRandomized(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind, double[] u,
                                 double[] dt, double[] grad, double[] lapEstimate, double[] lapProbeVar);

    /**
     * The cost model's ratio (randomized pass with k probes) / (exact {@link #residualTerms} pass) per row; below 1
     * the randomized pass is expected to be faster. For {@code --laplacian auto}: use the randomized pass when this is
     * below 1 (the implementation documents its model).
     *
     * @param k    probes per row, ≥ 1
     * @param kind probe distribution (Gaussian probes cost more to draw)
     */
    double randomizedCostRatio(int k, ProbeKind kind);
}
