package io.scasml.surrogate;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.Residuals;
import io.scasml.kernels.surrogate.Surrogate;

/**
 * The PDE residual ε = ∂t û + μ·∇û + (σ²/2)Δû + F(t, x, û, σ∇û) of a surrogate, from one
 * {@link Surrogate#residualTerms residual pass} and {@link Residuals#residual} of mc-kernels.
 */
public final class SurrogateResiduals {

    private SurrogateResiduals() {
    }

    /**
     * Checks that a surrogate fits a PDE.
     *
     * @throws IllegalArgumentException naming both dimensions if they differ
     */
    public static void requireSameDimension(Pde pde, Surrogate s, String surrogateName) {
        if (pde.dim() != s.dim()) {
            throw new IllegalArgumentException(surrogateName + ": surrogate dimension " + s.dim()
                    + " disagrees with PDE '" + pde.name() + "' of dimension " + pde.dim());
        }
    }

    /**
     * Reusable buffers for {@link #residual(Pde, Surrogate, int, double[], double[], double[], Buffers)}; one per
     * thread. Grows on demand.
     */
    public static final class Buffers {
        double[] u = new double[0];
        double[] dt = new double[0];
        double[] grad = new double[0];
        double[] lap = new double[0];
        double[] z = new double[0];

        void ensure(int n, int d) {
            if (u.length < n) {
                u = new double[n];
                dt = new double[n];
                lap = new double[n];
            }
            if (grad.length < n * d) {
                grad = new double[n * d];
                z = new double[n * d];
            }
        }

        /** û of the last call (length ≥ n). Read-only. */
        public double[] value() {
            return u;
        }

        /** ∇x û of the last call (row-major n × d). Read-only. */
        public double[] gradient() {
            return grad;
        }
    }

    /**
     * Computes ε at n points.
     *
     * @param pde the equation (supplies μ, σ, F); its dimension must equal the surrogate's
     * @param s   the surrogate
     * @param n   number of points
     * @param t   times. Not modified.
     * @param x   coordinates, n × d. Not modified.
     * @param out ε, length ≥ n. Modified.
     * @param buf scratch (also exposes û and ∇û afterwards). Modified.
     * @throws IllegalArgumentException if the dimensions disagree
     */
    public static void residual(Pde pde, Surrogate s, int n, double[] t, double[] x, double[] out, Buffers buf) {
        requireSameDimension(pde, s, "surrogate");
        int d = pde.dim();
        buf.ensure(n, d);
        s.residualTerms(n, t, x, buf.u, buf.dt, buf.grad, buf.lap);
        Residuals.residual(pde, n, t, x, buf.u, buf.dt, buf.grad, buf.lap, buf.z, out);
    }

    /** Allocating convenience form of {@link #residual(Pde, Surrogate, int, double[], double[], double[], Buffers)}. */
    public static double[] residual(Pde pde, Surrogate s, int n, double[] t, double[] x) {
        double[] out = new double[n];
        residual(pde, s, n, t, x, out, new Buffers());
        return out;
    }
}
