package io.scasml.kernels.picard;

import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * One batch of evaluation points of a Picard term at a chunk of nodes: per point its time, position, value weight
 * wU, gradient coefficient wZ, Brownian direction wV (the gradient summand of a point is (y − c)·wZ·wV) and the
 * index of the query point it belongs to. Filled by {@link PicardScheme#fill} (time integrals) and
 * {@link #fillTerminal} (the terminal term, common to every scheme). Scratch space of one thread.
 */
final class EvalBatch {
    final int d;
    final int antithetic;
    /** 1 / antithetic: each of the A signs carries weight 1/A. */
    final double inv;
    final double[] mu;
    final double sigma;
    final double horizon;
    final double[] evT;
    final double[] evX;
    final double[] wU;
    final double[] wZ;
    final double[] wV;
    final int[] evOrigin;
    /** Scratch: one Gaussian vector. */
    final double[] xi;
    /** Scratch: a running Brownian path. */
    final double[] acc;

    EvalBatch(int e, int d, int antithetic, double[] mu, double sigma, double horizon) {
        this.d = d;
        this.antithetic = antithetic;
        this.inv = 1.0 / antithetic;
        this.mu = mu;
        this.sigma = sigma;
        this.horizon = horizon;
        this.evT = new double[e];
        this.evX = new double[e * d];
        this.wU = new double[e];
        this.wZ = new double[e];
        this.wV = new double[e * d];
        this.evOrigin = new int[e];
        this.xi = new double[d];
        this.acc = new double[d];
    }

    /**
     * {@code samples} consecutive terminal samples at a node (sample i at {@code ev0 + i·A}):
     * X_T = x + μτ ± σ√τ·ξ, value weight 1, gradient coefficient 1/√τ (per sign, divided by A).
     */
    void fillTerminal(int ev0, int samples, double tau, double sqTau, double[] x, int xo,
                      ZigguratSampler.NormalizedGaussian gauss) {
        final double[] evT = this.evT;
        final double[] evX = this.evX;
        final double[] wU = this.wU;
        final double[] wZ = this.wZ;
        final double[] wV = this.wV;
        final double[] xi = this.xi;
        for (int i = 0; i < samples; i++) {
            int base = ev0 + i * antithetic;
            for (int q = 0; q < d; q++) {
                xi[q] = gauss.sample();
            }
            for (int a = 0; a < antithetic; a++) {
                int ev = base + a;
                double sg = a == 0 ? 1 : -1;
                evT[ev] = horizon;
                wU[ev] = inv;
                wZ[ev] = inv / sqTau;
                int o = ev * d;
                for (int q = 0; q < d; q++) {
                    evX[o + q] = x[xo + q] + mu[q] * tau + sigma * sqTau * sg * xi[q];
                    wV[o + q] = sg * xi[q];
                }
            }
        }
    }
}
