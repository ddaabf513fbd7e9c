package io.scasml.kernels.surrogate;

/**
 * A trained approximation û(t, x) of a PDE solution, evaluated on batches.
 *
 * <p>Batch layout as in {@link io.scasml.kernels.pde.Pde}: point {@code i} has time {@code t[i]} and coordinates
 * {@code x[i*d .. i*d+d-1]}; gradients are row-major n × d. Outputs are caller-supplied ("Modified."), inputs are
 * not modified. The three passes are ordered by cost: value ≤ value+gradient ≤ residual terms.
 *
 * <p>Implementations must be thread-safe: concurrent calls from several tasks of one JVM are allowed.
 */
public interface Surrogate {

    /** Spatial dimension d. */
    int dim();

    /**
     * Values {@code u[i] = û(t[i], x_i)}.
     *
     * @param n   number of points
     * @param t   times, length ≥ n. Not modified.
     * @param x   coordinates, row-major n × d. Not modified.
     * @param u   values, length ≥ n. Modified.
     */
    void value(int n, double[] t, double[] x, double[] u);

    /**
     * Values and spatial gradients: {@code u[i] = û}, {@code grad[i*d + k] = ∂û/∂x_k}.
     *
     * @param grad row-major n × d. Modified.
     */
    void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad);

    /**
     * Everything the PDE residual needs, in one pass: value, ∂t û, ∇x û and the spatial Laplacian Δx û.
     *
     * @param u    values, length ≥ n. Modified.
     * @param dt   time derivatives, length ≥ n. Modified.
     * @param grad spatial gradients, row-major n × d. Modified.
     * @param lap  spatial Laplacians, length ≥ n. Modified.
     */
    void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap);
}
