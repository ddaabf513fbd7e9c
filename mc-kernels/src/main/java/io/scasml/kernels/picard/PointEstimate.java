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
 *                       NaN if some term has a single sample or for the surrogate alone (no statistical error bar)
 * @param ciLow          u − q·stdError, q the 97.5% Student-t quantile with Welch–Satterthwaite degrees of freedom
 * @param ciHigh         u + q·stdError
 * @param z              estimate of σ∇u (length d); NaN entries where unavailable (t = T)
 * @param exact          exact or reference solution, NaN if unknown
 * @param counts         evaluation counts, indexed as {@link TermPartial#COUNT_NAMES}
 * @param gradVarTrace   ‖zᵃ − zᵇ‖²/4, unbiased estimate of the total variance of the simulated gradient (NaN if
 *                       not estimable)
 * @param gradNorm2      ‖z‖² of the estimated σ∇u
 * @param residualRms    root mean square of the surrogate's PDE residual ε along the sampled paths (SCaSML), else NaN
 */
public record PointEstimate(long id, double t, double[] x, double uSurrogate, double correction, double u,
                            double stdError, double ciLow, double ciHigh, double[] z, double exact, long[] counts,
                            double gradVarTrace, double gradNorm2, double residualRms) implements Serializable {

    /** Absolute error |u − exact| (NaN when the exact value is unknown). */
    public double error() {
        return Math.abs(u - exact);
    }

    /** Whether the 95% interval holds the exact value. */
    public boolean covers() {
        return exact >= ciLow && exact <= ciHigh;
    }
}
