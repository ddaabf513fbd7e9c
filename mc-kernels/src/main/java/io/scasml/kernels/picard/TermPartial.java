package io.scasml.kernels.picard;

import io.scasml.kernels.stats.Moments;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What one work unit learned about one query point: the moments of one top-level Picard term over one block of its
 * samples. For the term's i.i.d. summands (v_i, g_i) — value summand and gradient summand (an estimate of σ∇u) — it
 * holds the {@link Moments} of v, Σg, and Σg and the sample count over the first half of the term's samples (global
 * sample index below ⌊N/2⌋, for the split-half gradient diagnostic); the point's evaluation counters and squared
 * surrogate residuals seen along its paths; and a flag word of the non-finite values met ({@link PointStatus}).
 *
 * <p>Immutable once returned by {@link PicardEstimator#run}; {@link PointAccumulator#accept} folds partials into a
 * point's estimate in (term, block) order. Primitive fields and arrays only, so that Spark/Kryo ship it cheaply.
 */
public final class TermPartial implements Serializable {
    private static final long serialVersionUID = 3L;

    /** Index of the evaluation counters in {@link #counts()}. */
    public static final int TERMINAL_EVALS = 0, GENERATOR_EVALS = 1, RESIDUAL_EVALS = 2,
        SURROGATE_VALUE = 3, SURROGATE_GRADIENT = 4, SURROGATE_RESIDUAL = 5, PATHS = 6;
    /** Names of the counters, as written to results. */
    public static final String[] COUNT_NAMES = {
        "terminal_evals", "generator_evals", "residual_evals",
        "surrogate_value_evals", "surrogate_gradient_evals", "surrogate_residual_evals", "samples"};

    private long pointId;
    private int term;
    private int block;
    private Moments value;
    private long nA;
    private double[] gSum;
    private double[] gSumA;
    private long[] counts;
    private double residualSq;
    private long residualN;
    private int flags;
    private boolean probeTerm;
    private double probeVar;

    /** For serializers. */
    TermPartial() {
    }

    TermPartial(long pointId, int term, int block, Moments value, long nA, double[] gSum, double[] gSumA,
                long[] counts, double residualSq, long residualN, int flags) {
        this(pointId, term, block, value, nA, gSum, gSumA, counts, residualSq, residualN, flags, false, 0.0);
    }

    /**
     * @param probeTerm whether the term's summands contain probe noise (the level-0 term with a randomized Laplacian)
     * @param probeVar  then, Σ over the block's samples of the probes' conditional variance of the value summand
     *                  (an unbiased estimate; NaN with one probe per point, where it cannot be estimated); else 0
     */
    TermPartial(long pointId, int term, int block, Moments value, long nA, double[] gSum, double[] gSumA,
                long[] counts, double residualSq, long residualN, int flags, boolean probeTerm, double probeVar) {
        this.probeTerm = probeTerm;
        this.probeVar = probeVar;
        this.pointId = pointId;
        this.term = term;
        this.block = block;
        this.value = value;
        this.nA = nA;
        this.gSum = gSum;
        this.gSumA = gSumA;
        this.counts = counts;
        this.residualSq = residualSq;
        this.residualN = residualN;
        this.flags = flags;
    }

    /** An empty partial (no samples: a point at t = T). */
    static TermPartial empty(long pointId, int term, int block, int d, long[] counts, double residualSq,
                             long residualN, int flags) {
        return new TermPartial(pointId, term, block, new Moments(), 0, new double[d], new double[d], counts,
            residualSq, residualN, flags);
    }

    /**
     * A partial from explicit samples (for tests and tools): the value summands {@code v}, gradient summands
     * {@code g} (row-major, {@code v.length × d}) and the number of them that belong to the first half.
     */
    public static TermPartial ofSamples(long pointId, int term, int block, double[] v, double[] g, int d,
                                        int firstHalf) {
        Moments m = new Moments();
        double[] gs = new double[d];
        double[] ga = new double[d];
        for (int i = 0; i < v.length; i++) {
            m.accept(v[i]);
            for (int k = 0; k < d; k++) {
                gs[k] += g[i * d + k];
                if (i < firstHalf) {
                    ga[k] += g[i * d + k];
                }
            }
        }
        return new TermPartial(pointId, term, block, m, Math.min(firstHalf, v.length), gs, ga,
            new long[COUNT_NAMES.length], 0, 0, 0);
    }

    /** The query point's id. */
    public long pointId() { return pointId; }

    /** Top-level term index (0 terminal, 1 + l the level-l time integral). */
    public int term() { return term; }

    /** Sample block index within the term. */
    public int block() { return block; }

    /** Moments of the value summands (read only: do not modify). */
    Moments value() { return value; }

    /** Number of samples. */
    public long samples() { return value.count(); }

    /** Samples in the first half of the term. */
    long firstHalf() { return nA; }

    double[] gradientSum() { return gSum; }

    double[] gradientSumFirstHalf() { return gSumA; }

    /** Evaluation counter {@code k} (one of the constants above). */
    public long count(int k) { return counts[k]; }

    long[] counts() { return counts; }

    double residualSq() { return residualSq; }

    long residualN() { return residualN; }

    /** Flag word of non-finite values met ({@link PointStatus} bits; 0 when none). */
    public int flags() { return flags; }

    /** Whether this term's summands contain probe noise (randomized Laplacian, level-0 term). */
    boolean probeTerm() { return probeTerm; }

    /** With {@link #probeTerm()}: Σ over the samples of the probes' conditional variance of the summand. */
    double probeVariance() { return probeVar; }

    @Override
    public String toString() {
        return "TermPartial[point=" + pointId + ", term=" + term + ", block=" + block + ", " + value
            + ", counts=" + Arrays.toString(counts) + ", flags=" + flags + "]";
    }
}
