package io.scasml.kernels.surrogate;

/**
 * Distribution of the probe vectors of a Hutchinson trace estimate tr(H) ≈ (1/k) Σ_j v_jᵀ H v_j. Both have
 * E[v vᵀ] = I, so every probe term is an unbiased estimate of the trace; for a symmetric H the variance of one
 * probe term is
 * <ul>
 *   <li>{@link #RADEMACHER}: 2(‖H‖_F² − Σ_i H_ii²) (the smallest possible among i.i.d. coordinates; zero for a
 *       diagonal H),</li>
 *   <li>{@link #GAUSSIAN}: 2‖H‖_F².</li>
 * </ul>
 */
public enum ProbeKind {
    /** Coordinates ±1 with probability ½ each. */
    RADEMACHER,
    /** Coordinates i.i.d. standard normal. */
    GAUSSIAN
}
