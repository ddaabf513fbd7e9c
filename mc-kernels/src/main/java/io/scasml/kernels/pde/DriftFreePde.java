package io.scasml.kernels.pde;

/**
 * The same PDE with its drift moved into the generator: μ = 0 and F'(t, x, u, z) = F(t, x, u, z) + μ·z/σ
 * (since z = σ∇u, μ·∇u = μ·z/σ). Both forms are exact; which has the smaller Monte Carlo variance depends on the
 * problem (docs/algorithm.md §10: VB d=100 at the origin had 2.4× smaller plain-MLP error with the drift in the generator).
 * The exact solution, terminal condition and test domain are unchanged.
 */
public final class DriftFreePde implements Pde {
    private final Pde pde;
    private final double[] muOverSigma;
    private final double[] zero;

    private DriftFreePde(Pde pde) {
        this.pde = pde;
        double[] mu = pde.drift();
        this.muOverSigma = new double[mu.length];
        for (int k = 0; k < mu.length; k++) {
            muOverSigma[k] = mu[k] / pde.sigma();
        }
        this.zero = new double[mu.length];
    }

    /** Wraps {@code pde} (returns it unchanged when its drift is already zero). */
    public static Pde of(Pde pde) {
        for (double m : pde.drift()) {
            if (m != 0) {
                return new DriftFreePde(pde);
            }
        }
        return pde;
    }

    @Override public String name() { return pde.name(); }
    @Override public int dim() { return pde.dim(); }
    @Override public double horizon() { return pde.horizon(); }
    @Override public double[] drift() { return zero.clone(); }
    @Override public double sigma() { return pde.sigma(); }
    @Override public boolean generatorUsesGradient() { return true; }
    @Override public boolean generatorIsZero() { return false; }
    @Override public boolean hasExact() { return pde.hasExact(); }
    @Override public Domain domain() { return pde.domain(); }

    @Override
    public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
        pde.generator(n, t, x, u, z, out);
        int d = muOverSigma.length;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += muOverSigma[k] * z[i * d + k];
            }
            out[i] += s;
        }
    }

    @Override
    public void terminal(int n, double[] x, double[] out) {
        pde.terminal(n, x, out);
    }

    @Override
    public void exact(int n, double[] t, double[] x, double[] out) {
        pde.exact(n, t, x, out);
    }
}
