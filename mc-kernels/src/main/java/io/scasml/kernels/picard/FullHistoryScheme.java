package io.scasml.kernels.picard;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Full-history MLP with importance-sampled times: level l of a level-k node has M^{k−l} samples and N₀ = M^k, one
 * evaluation point per sample at s = t + V²τ, V ~ U(0, 1), with value weight 2Vτ (mean τ) and gradient weight 2√τ·ξ
 * (docs/algorithm.md, "full history").
 */
final class FullHistoryScheme implements PicardScheme {

    @Override
    public Scheme id() {
        return Scheme.FULL_HISTORY;
    }

    @Override
    public long terminalSamples(int base, int k) {
        return WorkPlan.powSaturating(base, k);
    }

    @Override
    public long levelSamples(int base, int k, int l) {
        return WorkPlan.powSaturating(base, k - l);
    }

    @Override
    public int levelPoints(int k, int l) {
        return 1;
    }

    @Override
    public boolean randomTimes() {
        return true;
    }

    @Override
    public void fill(WorkPlan.Term term, EvalBatch b, int ev0, int samples, double t, double tau, double sqTau,
                     double[] x, int xo, UniformRandomProvider rng, ZigguratSampler.NormalizedGaussian gauss) {
        final int d = b.d;
        final int anti = b.antithetic;
        final double[] xi = b.xi;
        final double[] mu = b.mu;
        final double sigma = b.sigma;
        final double inv = b.inv;
        final double[] evT = b.evT;
        final double[] evX = b.evX;
        final double[] wU = b.wU;
        final double[] wZ = b.wZ;
        final double[] wV = b.wV;
        for (int i = 0; i < samples; i++) {
            int base = ev0 + i * anti;
            double v = rng.nextDouble();
            double r = v * v * tau;
            double sr = Math.sqrt(r);
            for (int q = 0; q < d; q++) {
                xi[q] = gauss.sample();
            }
            for (int a = 0; a < anti; a++) {
                int ev = base + a;
                double sg = a == 0 ? 1 : -1;
                evT[ev] = t + r;
                wU[ev] = 2 * v * tau * inv;
                wZ[ev] = 2 * sqTau * inv;
                int o = ev * d;
                for (int q = 0; q < d; q++) {
                    evX[o + q] = x[xo + q] + mu[q] * r + sigma * sr * sg * xi[q];
                    wV[o + q] = sg * xi[q];
                }
            }
        }
    }
}
