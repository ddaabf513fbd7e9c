package io.scasml.kernels.stats;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Quantiles of Student's t distribution, from Commons Statistics (exact to a few ulps: the inverse of the
 * regularised incomplete beta function, not an asymptotic expansion).
 */
public final class StudentT {
    /** The two-sided 95% normal quantile, Φ⁻¹(0.975), the limit of {@link #quantile975} as ν → ∞. */
    public static final double Z975 = 1.959963984540054;
    /**
     * Above this many degrees of freedom the normal quantile is returned: the t quantile then differs from it by
     * less than 1e-16 relative.
     */
    static final double NORMAL_ABOVE = 1e17;

    private StudentT() {
    }

    /**
     * The 97.5% quantile t_{0.975, ν} (the half-width factor of a two-sided 95% interval).
     *
     * @param nu degrees of freedom, any real ν &gt; 0 (Welch–Satterthwaite gives non-integer values); +∞ gives the
     *           normal quantile
     * @return the quantile; NaN for ν NaN or ν ≤ 0
     */
    public static double quantile975(double nu) {
        return upperQuantile(nu, 0.025);
    }

    /**
     * The upper quantile t with P(T &gt; t) = {@code tail} for ν degrees of freedom (e.g. the guard's disagreement
     * threshold at a normal four-SE tail).
     *
     * @return the quantile; NaN for ν NaN or ν ≤ 0; the normal quantile for ν = +∞
     */
    public static double upperQuantile(double nu, double tail) {
        if (!(nu > 0)) {
            return Double.NaN;
        }
        if (nu > NORMAL_ABOVE) {
            return tail == 0.025 ? Z975 : org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
                .inverseSurvivalProbability(tail);
        }
        // the upper tail directly: no cancellation in 1 − p
        return TDistribution.of(nu).inverseSurvivalProbability(tail);
    }
}
