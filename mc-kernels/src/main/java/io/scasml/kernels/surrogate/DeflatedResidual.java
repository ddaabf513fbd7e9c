package io.scasml.kernels.surrogate;

/**
 * A surrogate whose randomized residual pass can also deflate the Hutchinson estimate along the gradient
 * (docs/algorithm.md §24): with a = ∇û/‖∇û‖ (exact, from the same call) and P = I − aaᵀ,
 *
 * <pre>
 *   L̂ = aᵀ∇²û a + (1/k) Σ_j (P v_j)ᵀ ∇²û (P v_j),   E[(Pv)(Pv)ᵀ] = P,   so E L̂ = aᵀHa + tr(PHP) = tr H = Δû,
 * </pre>
 *
 * the first term by one more second-order jet, along a. It is unbiased for any unit a fixed by the row's inputs, and
 * exact (no probe variance) where ∇²û is a multiple of ∇û∇ûᵀ — surrogates of the form φ(t, a·x), such as VB's
 * solution, whose plain Hutchinson variance 2φ''²(‖a‖⁴ − Σa_i⁴) grows like d². Its Rademacher variance per probe
 * term is 2(‖PHP‖_F² − Σ_i (PHP)_ii²).
 */
public interface DeflatedResidual extends RandomizedResidual {

    /**
     * Value, ∂t û, ∇x û and the deflated estimate of Δx û at n points; the same arguments and contract as
     * {@link #residualTermsRandomized}: {@code lapProbeVar} is the sample variance (divisor k − 1) of the k projected
     * probe terms (Pv_j)ᵀ∇²û(Pv_j), so lapProbeVar/k estimates the variance of lapEstimate (NaN when k = 1). The
     * probes are the same streams as the plain pass's (probe j of a row's key), projected.
     */
    void residualTermsDeflated(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind, double[] u,
                               double[] dt, double[] grad, double[] lapEstimate, double[] lapProbeVar);

    /**
     * The cost model's ratio (deflated pass with k probes) / (exact {@link #residualTerms} pass) per row, like
     * {@link #randomizedCostRatio}: below 1 the deflated pass is expected to be faster than the exact one.
     */
    double deflatedCostRatio(int k, ProbeKind kind);
}
