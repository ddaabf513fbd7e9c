package io.scasml.kernels.picard;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable partial sums of one top-level Picard term at one query point, from one or more sample blocks.
 *
 * <p>For the term's i.i.d. summands (v_i, g_i) — value summand and gradient summand (an estimate of σ∇u) — it holds
 * the count, Σv, Σv², Σg, Σ‖g‖², and the same sums restricted to the first half of the term's samples
 * (global sample index below ⌊N/2⌋), from which {@link PicardEstimator#finish} derives the estimate, its standard
 * error and the split-half gradient diagnostic. It also carries the point's evaluation counts and the squared
 * surrogate residuals seen along its paths.
 *
 * <p>{@link #combine} adds another partial of the same point and term. Floating-point addition is not associative:
 * for bit-identical results combine partials in (term, block) order — {@link PicardEstimator#finish} sorts them.
 * Plain mutable value holder (primitive fields and arrays) so that Spark/Kryo ship it cheaply.
 */
public final class TermPartial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Index of the evaluation counters in {@link #counts}. */
    public static final int TERMINAL_EVALS = 0, GENERATOR_EVALS = 1, RESIDUAL_EVALS = 2,
        SURROGATE_VALUE = 3, SURROGATE_GRADIENT = 4, SURROGATE_RESIDUAL = 5, PATHS = 6;
    /** Names of the counters, as written to results. */
    public static final String[] COUNT_NAMES = {
        "terminal_evals", "generator_evals", "residual_evals",
        "surrogate_value_evals", "surrogate_gradient_evals", "surrogate_residual_evals", "samples"};

    public long pointId;
    public int term;
    public int block;
    public long n;
    public double vSum;
    public double vSq;
    public double[] gSum;
    public double gSq;
    public long nA;
    public double vSumA;
    public double[] gSumA;
    public long[] counts = new long[COUNT_NAMES.length];
    public double residualSq;
    public long residualN;

    /** For serializers. */
    public TermPartial() {
    }

    /** An empty partial for a point, term and block, with gradients of dimension d. */
    public TermPartial(long pointId, int term, int block, int d) {
        this.pointId = pointId;
        this.term = term;
        this.block = block;
        this.gSum = new double[d];
        this.gSumA = new double[d];
    }

    /**
     * Adds {@code other} (same point and term) into this.
     *
     * @return this
     * @throws IllegalArgumentException if point or term differ
     */
    public TermPartial combine(TermPartial other) {
        if (other.pointId != pointId || other.term != term) {
            throw new IllegalArgumentException("cannot combine partials of point/term " + pointId + "/" + term
                + " and " + other.pointId + "/" + other.term);
        }
        n += other.n;
        vSum += other.vSum;
        vSq += other.vSq;
        gSq += other.gSq;
        nA += other.nA;
        vSumA += other.vSumA;
        for (int k = 0; k < gSum.length; k++) {
            gSum[k] += other.gSum[k];
            gSumA[k] += other.gSumA[k];
        }
        for (int k = 0; k < counts.length; k++) {
            counts[k] += other.counts[k];
        }
        residualSq += other.residualSq;
        residualN += other.residualN;
        return this;
    }

    /** A deep copy. */
    public TermPartial copy() {
        TermPartial c = new TermPartial(pointId, term, block, gSum.length);
        c.combine(this);
        return c;
    }

    @Override
    public String toString() {
        return "TermPartial[point=" + pointId + ", term=" + term + ", block=" + block + ", n=" + n
            + ", vSum=" + vSum + ", counts=" + Arrays.toString(counts) + "]";
    }
}
