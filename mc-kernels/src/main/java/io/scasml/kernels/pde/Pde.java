package io.scasml.kernels.pde;

/**
 * A semilinear parabolic terminal-value problem with constant coefficients,
 *
 * <pre>
 *   ∂t u + μ·∇u + (σ²/2) Δu + F(t, x, u, z) = 0   on [0, T) × R^d,   z = σ∇u,
 *   u(T, x) = g(x).
 * </pre>
 *
 * <p>The forward process is sampled exactly: {@code X_s = x + μ (s − t) + σ (W_s − W_t)}.
 *
 * <p>All functions are evaluated on batches laid out row-major in primitive arrays: point {@code i} of a batch of
 * {@code n} points has time {@code t[i]} and coordinates {@code x[i*d .. i*d+d-1]}; gradient-like arguments use the same
 * layout. Outputs are written to caller-supplied arrays ("Modified."); inputs are never modified.
 *
 * <p>Implementations are immutable and thread-safe: concurrent calls from several threads are allowed.
 */
public interface Pde {

    /** Short name, e.g. {@code "vb"}; used in results and provenance. */
    String name();

    /** Spatial dimension d ≥ 1. */
    int dim();

    /** Terminal time T &gt; 0. */
    double horizon();

    /**
     * Constant drift vector μ (length d). Returns a copy or an unmodifiable view; callers must not modify it.
     *
     * @return μ, length {@link #dim()}
     */
    double[] drift();

    /** Constant scalar diffusion σ &gt; 0 (isotropic σ I). */
    double sigma();

    /**
     * Generator {@code out[i] = F(t[i], x_i, u[i], z_i)} with {@code z = σ∇u}.
     *
     * @param n   number of points
     * @param t   times, length ≥ n. Not modified.
     * @param x   coordinates, row-major n × d. Not modified.
     * @param u   values, length ≥ n. Not modified.
     * @param z   σ∇u, row-major n × d. Not modified. May be ignored when {@link #generatorUsesGradient()} is false.
     * @param out results, length ≥ n. Modified.
     */
    void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out);

    /**
     * Whether F depends on z. When false, callers may skip computing gradients that only feed F.
     */
    default boolean generatorUsesGradient() {
        return true;
    }

    /**
     * Whether F ≡ 0 (a linear PDE). Estimators then skip every Picard term whose summand is identically zero.
     */
    default boolean generatorIsZero() {
        return false;
    }

    /**
     * Terminal condition {@code out[i] = g(x_i)}.
     *
     * @param n   number of points
     * @param x   coordinates, row-major n × d. Not modified.
     * @param out results, length ≥ n. Modified.
     */
    void terminal(int n, double[] x, double[] out);

    /** Whether {@link #exact} is available (a closed form or a documented high-accuracy reference). */
    default boolean hasExact() {
        return false;
    }

    /**
     * Exact (or reference) solution {@code out[i] = u(t[i], x_i)}.
     *
     * @throws UnsupportedOperationException if {@link #hasExact()} is false
     */
    default void exact(int n, double[] t, double[] x, double[] out) {
        throw new UnsupportedOperationException("PDE '" + name() + "' has no exact solution");
    }

    /** The test domain used to sample query points ({@code sample:N}). */
    Domain domain();
}
