package io.scasml.kernels.picard;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A time discretisation of the Picard time integrals (docs/algorithm.md, "schemes"): how many samples each term
 * of a node at level k has, how many evaluation points one sample has, and how one sample's evaluation points and
 * weights are drawn. The estimator loop is written against this interface only.
 *
 * <p>Implementations are immutable and thread-safe; {@link #fill} draws from the generator it is given, in a fixed
 * order, so that a sample is a pure function of its stream.
 */
public interface PicardScheme {

    /** The scheme of {@code s} for top level {@code levels} (ρ = n for quadrature). */
    static PicardScheme of(Scheme s, int levels) {
        return s == Scheme.QUADRATURE ? new QuadratureScheme(levels) : new FullHistoryScheme();
    }

    /** Which scheme this is. */
    Scheme id();

    /** Terminal samples N₀ of a node at level k ≥ 1 (before antithetic pairing; saturating). */
    long terminalSamples(int base, int k);

    /** Samples of the level-l term of a node at level k, 0 ≤ l &lt; k (before antithetic pairing; saturating). */
    long levelSamples(int base, int k, int l);

    /** Evaluation points of one sample (one sign) of the level-l term of a node at level k. */
    int levelPoints(int k, int l);

    /**
     * Whether the time weight is random with known mean (T − t)/A: then the leave-one-out mean of the other
     * samples serves as a control variate for it.
     */
    boolean randomTimes();

    /**
     * Draws {@code samples} consecutive samples of a time-integral term at a node (t, x) and writes their
     * evaluation points into {@code b}: sample i occupies the {@code term.points × A} entries from
     * {@code ev0 + i·term.points·A} — times, positions, value weights, gradient coefficients and Brownian directions
     * (A = 1, or 2 with antithetic pairs ±ξ, listed point by point, sign +1 first). Samples are drawn in order from
     * {@code rng}, so sample i depends only on the stream and i. One call per node keeps the per-call cost out of
     * the per-sample loop.
     *
     * @param term    the term (its {@code depth} selects the scheme's tables)
     * @param b       the batch being filled
     * @param ev0     index of the first sample's first evaluation point
     * @param samples number of samples to draw
     * @param t       the node's time
     * @param tau     T − t &gt; 0
     * @param sqTau   √τ
     * @param x       node coordinates (row-major array)
     * @param xo      offset of the node's coordinates in {@code x}
     * @param rng     the (node, term, block) stream
     * @param gauss   standard normals from the same stream
     */
    void fill(WorkPlan.Term term, EvalBatch b, int ev0, int samples, double t, double tau, double sqTau, double[] x,
              int xo, UniformRandomProvider rng, ZigguratSampler.NormalizedGaussian gauss);
}
