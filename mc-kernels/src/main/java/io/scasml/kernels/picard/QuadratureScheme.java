package io.scasml.kernels.picard;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Quadrature MLP (ρ = n): level l of a level-k node has Mf[ρ, k−l] Brownian paths, each observed at the
 * Q[ρ, k−l] Gauss–Legendre nodes c_κ of (t, T), with value weight w_κ and gradient weight w_κ·W_κ/(c_κ − t);
 * N₀ = Mg[ρ, k+1] ({@link QuadratureTables}; docs/algorithm.md, "quadrature").
 */
final class QuadratureScheme implements PicardScheme {
    private final int rho;
    /** rules[j] for depth j = k − l in 1..ρ. */
    private final GaussLegendre[] rules;

    QuadratureScheme(int rho) {
        this.rho = rho;
        this.rules = new GaussLegendre[rho + 1];
        for (int j = 1; j <= rho; j++) {
            rules[j] = GaussLegendre.of(QuadratureTables.nodes(rho, j));
        }
    }

    @Override
    public Scheme id() {
        return Scheme.QUADRATURE;
    }

    @Override
    public long terminalSamples(int base, int k) {
        return QuadratureTables.terminalSamples(rho, k + 1);
    }

    @Override
    public long levelSamples(int base, int k, int l) {
        return QuadratureTables.paths(rho, k - l);
    }

    @Override
    public int levelPoints(int k, int l) {
        return rules[k - l].size();
    }

    @Override
    public boolean randomTimes() {
        return false;
    }

    @Override
    public void fill(WorkPlan.Term term, EvalBatch b, int ev0, int samples, double t, double tau, double sqTau,
                     double[] x, int xo, UniformRandomProvider rng, ZigguratSampler.NormalizedGaussian gauss) {
        final int d = b.d;
        final double[] acc = b.acc;
        final double[] mu = b.mu;
        final double sigma = b.sigma;
        final double inv = b.inv;
        final int anti = b.antithetic;
        final double[] evT = b.evT;
        final double[] evX = b.evX;
        final double[] wU = b.wU;
        final double[] wZ = b.wZ;
        final double[] wV = b.wV;
        final GaussLegendre rule = rules[term.depth];
        final int pa = term.points * anti;
        for (int i = 0; i < samples; i++) {
            int base = ev0 + i * pa;
            java.util.Arrays.fill(acc, 0);
            double prev = 0;
            for (int kq = 0; kq < term.points; kq++) {
                double c = rule.node(kq) * tau;
                double w = rule.weight(kq) * tau;
                double sd = Math.sqrt(c - prev);
                prev = c;
                for (int q = 0; q < d; q++) {
                    acc[q] += sd * gauss.sample();
                }
                for (int a = 0; a < anti; a++) {
                    int ev = base + kq * anti + a;
                    double sg = a == 0 ? 1 : -1;
                    evT[ev] = t + c;
                    wU[ev] = w * inv;
                    wZ[ev] = w / c * inv;
                    int o = ev * d;
                    for (int q = 0; q < d; q++) {
                        evX[o + q] = x[xo + q] + mu[q] * c + sigma * sg * acc[q];
                        wV[o + q] = sg * acc[q];
                    }
                }
            }
        }
    }
}
