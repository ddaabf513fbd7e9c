package io.scasml.kernels.surrogate;

import io.scasml.kernels.pde.Pde;

/**
 * The PDE residual of a surrogate,
 * {@code ε(t, x) = ∂t û + μ·∇û + (σ²/2) Δû + F(t, x, û, σ∇û)} (docs/algorithm.md §6; same sign as the PDE's left side).
 */
public final class Residuals {

    private Residuals() {
    }

    /**
     * Computes ε from the terms of one residual pass.
     *
     * @param pde  the equation (supplies μ, σ and F)
     * @param n    number of points
     * @param t    times. Not modified.
     * @param x    coordinates, n × d. Not modified.
     * @param u    û. Not modified.
     * @param dt   ∂t û. Not modified.
     * @param grad ∇x û, n × d. Not modified.
     * @param lap  Δx û. Not modified.
     * @param z    scratch of length ≥ n·d; on return holds σ∇û. Modified.
     * @param out  ε, length ≥ n. Modified.
     */
    public static void residual(Pde pde, int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                double[] lap, double[] z, double[] out) {
        final int d = pde.dim();
        final double sigma = pde.sigma();
        final double halfSigma2 = 0.5 * sigma * sigma;
        final double[] mu = pde.drift();
        for (int i = 0; i < n * d; i++) {
            z[i] = sigma * grad[i];
        }
        pde.generator(n, t, x, u, z, out);
        for (int i = 0; i < n; i++) {
            double drift = 0;
            final int off = i * d;
            for (int k = 0; k < d; k++) {
                drift += mu[k] * grad[off + k];
            }
            out[i] += dt[i] + drift + halfSigma2 * lap[i];
        }
    }

    /**
     * Convenience: runs the surrogate's residual pass and returns ε (allocates its buffers; not for hot loops).
     */
    public static double[] residual(Pde pde, Surrogate s, int n, double[] t, double[] x) {
        final int d = pde.dim();
        double[] u = new double[n];
        double[] dt = new double[n];
        double[] g = new double[n * d];
        double[] lap = new double[n];
        s.residualTerms(n, t, x, u, dt, g, lap);
        double[] out = new double[n];
        residual(pde, n, t, x, u, dt, g, lap, new double[n * d], out);
        return out;
    }
}
