package io.scasml.kernels.picard;

import io.scasml.kernels.stats.Moments;
import io.scasml.kernels.stats.StudentT;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything known about one query point's estimate, folded from its {@link TermPartial}s, and the construction
 * of its {@link PointEstimate} (docs/algorithm.md, "error bars").
 *
 * <h2>Numerical contract</h2>
 * For the top-level terms k = 0 … n (term 0 terminal, term 1 + l the level-l time integral), each a mean of Nₖ
 * i.i.d. summands vₖᵢ:
 * <ul>
 *   <li>the estimate of the correction is Σₖ (Σᵢ vₖᵢ)/Nₖ, with each Σᵢ vₖᵢ summed in (block, half, sample) order;</li>
 *   <li>its variance is Σₖ s²ₖ/Nₖ with s²ₖ the unbiased sample variance, from shifted Welford moments within a
 *       block and Chan's pairwise update across halves and blocks ({@link Moments}; stable for large means);</li>
 *   <li>the degrees of freedom are Welch–Satterthwaite's ν = (Σₖ s²ₖ/Nₖ)² / Σₖ (s²ₖ/Nₖ)²/(Nₖ − 1), not floored
 *       (1 ≤ ν ≤ Σₖ (Nₖ − 1));</li>
 *   <li>the 95% interval is u ± t_{0.975,ν}·SE with the exact Student-t quantile ({@link StudentT}).</li>
 * </ul>
 *
 * <h2>Fixed combine order</h2>
 * Floating-point addition is not associative, so the order is part of the contract: per term, an accumulator holds
 * a contiguous run of blocks, {@link #accept} appends the next block, and {@link #combine} appends an accumulator
 * whose runs continue this one's. Folding the partials of every unit in (term, block) order — which
 * {@link PointReduction} does whatever order and grouping the units ran in — gives the same bits every time.
 * Accumulators over disjoint sets of terms combine to the same bits in any grouping and order.
 *
 * <p>Mutable; not thread-safe. Primitive arrays (and one {@link Moments} per term), cheap to serialize.
 */
public final class PointAccumulator implements Serializable {
    private static final long serialVersionUID = 2L;

    private final long pointId;
    private final int d;
    private final Moments[] value;
    private final long[] firstHalf;
    private final double[] g;
    private final double[] gA;
    private final double[] residualSq;
    private final boolean[] probeTerm;
    private final double[] probeVar;
    private final int[] firstBlock;
    private final int[] nextBlock;
    private final long[] counts = new long[TermPartial.COUNT_NAMES.length];
    private long residualN;
    private int flags;

    /**
     * An empty accumulator.
     *
     * @param pointId the point's id
     * @param terms   number of top-level terms (n + 1)
     * @param d       dimension (length of the gradient)
     */
    public PointAccumulator(long pointId, int terms, int d) {
        this.pointId = pointId;
        this.d = d;
        this.value = new Moments[terms];
        for (int k = 0; k < terms; k++) {
            value[k] = new Moments();
        }
        this.firstHalf = new long[terms];
        this.g = new double[terms * d];
        this.gA = new double[terms * d];
        this.residualSq = new double[terms];
        this.probeTerm = new boolean[terms];
        this.probeVar = new double[terms];
        this.firstBlock = new int[terms];
        this.nextBlock = new int[terms];
        Arrays.fill(firstBlock, -1);
    }

    /** The point's id. */
    public long pointId() {
        return pointId;
    }

    /** Number of top-level terms. */
    public int terms() {
        return value.length;
    }

    /** Flag word of the non-finite values met so far ({@link PointStatus} bits). */
    public int flags() {
        return flags;
    }

    /** Evaluation counter {@code k} ({@link TermPartial} constants) summed so far. */
    public long count(int k) {
        return counts[k];
    }

    /**
     * Appends one block of one term.
     *
     * @throws IllegalArgumentException if the partial belongs to another point or term index is out of range
     * @throws IllegalStateException    if the block does not directly follow this accumulator's run of that term
     */
    public PointAccumulator accept(TermPartial p) {
        if (p.pointId() != pointId) {
            throw new IllegalArgumentException("partial of point " + p.pointId() + " given to point " + pointId);
        }
        int t = p.term();
        if (t < 0 || t >= value.length) {
            throw new IllegalArgumentException("point " + pointId + ": term " + t + " is not in [0, " + value.length + ")");
        }
        if (firstBlock[t] < 0) {
            firstBlock[t] = p.block();
            nextBlock[t] = p.block();
        }
        if (p.block() != nextBlock[t]) {
            throw new IllegalStateException("point " + pointId + ", term " + t + ": block " + p.block()
                + " out of order (expected block " + nextBlock[t] + ")");
        }
        nextBlock[t]++;
        value[t].combine(p.value());
        firstHalf[t] += p.firstHalf();
        double[] gs = p.gradientSum();
        double[] ga = p.gradientSumFirstHalf();
        int o = t * d;
        for (int k = 0; k < d; k++) {
            g[o + k] += gs[k];
            gA[o + k] += ga[k];
        }
        long[] c = p.counts();
        for (int k = 0; k < counts.length; k++) {
            counts[k] += c[k];
        }
        residualSq[t] += p.residualSq();
        if (p.probeTerm()) {
            probeTerm[t] = true;
            probeVar[t] += p.probeVariance();
        }
        residualN += p.residualN();
        flags |= p.flags();
        return this;
    }

    /**
     * Appends {@code later}: for every term, {@code later}'s run of blocks must start where this one's ends (or one
     * of them be empty). {@code later} is not modified.
     *
     * @throws IllegalArgumentException if the point or the number of terms differ
     * @throws IllegalStateException    if some term's runs are not contiguous in that order
     */
    public PointAccumulator combine(PointAccumulator later) {
        if (later.pointId != pointId || later.value.length != value.length || later.d != d) {
            throw new IllegalArgumentException("cannot combine accumulators of points " + pointId + " and "
                + later.pointId);
        }
        for (int t = 0; t < value.length; t++) {
            if (later.firstBlock[t] >= 0 && firstBlock[t] >= 0 && later.firstBlock[t] != nextBlock[t]) {
                throw new IllegalStateException("point " + pointId + ", term " + t + ": blocks from "
                    + later.firstBlock[t] + " cannot follow blocks up to " + (nextBlock[t] - 1));
            }
        }
        for (int t = 0; t < value.length; t++) {
            if (later.firstBlock[t] < 0) {
                continue;
            }
            if (firstBlock[t] < 0) {
                firstBlock[t] = later.firstBlock[t];
            }
            nextBlock[t] = later.nextBlock[t];
            value[t].combine(later.value[t]);
            firstHalf[t] += later.firstHalf[t];
            int o = t * d;
            for (int k = 0; k < d; k++) {
                g[o + k] += later.g[o + k];
                gA[o + k] += later.gA[o + k];
            }
            residualSq[t] += later.residualSq[t];
            probeTerm[t] |= later.probeTerm[t];
            probeVar[t] += later.probeVar[t];
        }
        for (int k = 0; k < counts.length; k++) {
            counts[k] += later.counts[k];
        }
        residualN += later.residualN;
        flags |= later.flags;
        return this;
    }

    /** Number of blocks of term {@code t} accepted so far. */
    public int blocks(int t) {
        return firstBlock[t] < 0 ? 0 : nextBlock[t] - firstBlock[t];
    }

    /** Samples of term {@code t} accepted so far. */
    public long samples(int t) {
        return value[t].count();
    }

    /** Mean of term {@code t}'s summands, Σv/N in accumulation order (NaN when empty). */
    public double termMean(int t) {
        long n = value[t].count();
        return n == 0 ? Double.NaN : value[t].sum() / n;
    }

    /** Unbiased sample variance of term {@code t}'s summands (NaN with fewer than two samples). */
    public double termVariance(int t) {
        return value[t].variance();
    }

    /** What the estimate needs beyond the simulation, evaluated at the point itself. */
    record Facts(double horizon, boolean simulated, boolean withSurrogate, double uSurrogate, double[] zSurrogate,
                 double exact, double terminal) {
    }

    /** Builds the point's estimate (see the class comment for what it computes). */
    PointEstimate estimate(QueryPoint p, Facts f) {
        int fl = flags;
        if (f.withSurrogate() && !(Double.isFinite(f.uSurrogate()) && allFinite(f.zSurrogate()))) {
            fl |= PointStatus.NONFINITE_SURROGATE.bit();
        }
        boolean atHorizon = !(p.t() < f.horizon());
        if (atHorizon && f.simulated() && !Double.isFinite(f.terminal())) {
            fl |= PointStatus.NONFINITE_TERMINAL.bit();
        }
        double[] zs = f.withSurrogate() ? f.zSurrogate().clone() : new double[d];
        if (!f.simulated()) {
            PointStatus st = PointStatus.of(fl);
            if (st != PointStatus.OK) {
                return failed(p, f, st, counts.clone());
            }
            return new PointEstimate(p.id(), p.t(), p.x(), f.uSurrogate(), 0.0, f.uSurrogate(), Double.NaN,
                Double.NaN, Double.NaN, zs, f.exact(), counts.clone(), Double.NaN, dot(zs, zs), Double.NaN,
                Double.NaN, PointStatus.OK, Double.NaN, Double.NaN, Double.NaN);
        }
        double corr = 0;
        double var = 0;
        double dofDen = 0;
        double[] z = new double[d];
        double[] za = new double[d];
        double[] zb = new double[d];
        boolean halves = true;
        double residSq = 0;
        boolean probes = false;
        double probeShare = 0;
        for (int t = 0; t < value.length; t++) {
            residSq += residualSq[t];
            long n = value[t].count();
            if (n == 0) {
                continue;
            }
            double mean = value[t].sum() / n;
            corr += mean;
            double vt = n >= 2 ? value[t].variance() / n : Double.NaN;
            var += vt;
            if (probeTerm[t]) {
                // (mean over the samples of the probes' conditional variance of the summand) / N: the probes' part
                // of Var(term mean)
                probes = true;
                probeShare += probeVar[t] / n / n;
            }
            dofDen += n >= 2 ? vt * vt / (n - 1) : Double.NaN;
            long na = firstHalf[t];
            long nb = n - na;
            int o = t * d;
            for (int k = 0; k < d; k++) {
                z[k] += g[o + k] / n;
                if (na > 0 && nb > 0) {
                    za[k] += gA[o + k] / na;
                    zb[k] += (g[o + k] - gA[o + k]) / nb;
                }
            }
            if (na == 0 || nb == 0) {
                halves = false;
            }
        }
        double u;
        double se;
        double dof;
        if (atHorizon) {
            corr = f.withSurrogate() ? f.terminal() - f.uSurrogate() : f.terminal();
            u = f.terminal();
            se = 0;
            dof = Double.POSITIVE_INFINITY;
            Arrays.fill(z, Double.NaN);
        } else {
            u = f.withSurrogate() ? f.uSurrogate() + corr : corr;
            se = Math.sqrt(var);
            dof = var * var / dofDen;
            if (fl == 0 && !Double.isFinite(u)) {
                // finite summands whose sums overflowed: blame the term that did
                fl |= Double.isFinite(termMean(0)) ? PointStatus.NONFINITE_GENERATOR.bit()
                    : PointStatus.NONFINITE_TERMINAL.bit();
            }
        }
        PointStatus st = PointStatus.of(fl);
        if (st != PointStatus.OK) {
            return failed(p, f, st, counts.clone());
        }
        double[] ztot = new double[d];
        for (int k = 0; k < d; k++) {
            ztot[k] = z[k] + zs[k];
        }
        double gvt = Double.NaN;
        if (halves && !atHorizon) {
            gvt = 0;
            for (int k = 0; k < d; k++) {
                double dd = za[k] - zb[k];
                gvt += dd * dd;
            }
            gvt /= 4;
        }
        double q = se > 0 ? StudentT.quantile975(dof) : StudentT.Z975;
        // the last top-level term (level n − 1): the guard's Picard-increment proxy of the truncation bias
        int last = value.length - 1;
        long nl = last >= 1 ? value[last].count() : 0;
        double inc = !atHorizon && nl > 0 ? value[last].sum() / nl : Double.NaN;
        double incSe = !atHorizon && nl >= 2 ? Math.sqrt(value[last].variance() / nl) : Double.NaN;
        return new PointEstimate(p.id(), p.t(), p.x(), f.withSurrogate() ? f.uSurrogate() : Double.NaN, corr, u, se,
            u - q * se, u + q * se, ztot, f.exact(), counts.clone(), gvt, dot(ztot, ztot),
            residualN > 0 ? Math.sqrt(Math.max(0.0, residSq) / residualN) : Double.NaN, dof, PointStatus.OK,
            probes && !atHorizon && var > 0 ? probeShare / var : Double.NaN, inc, incSe);
    }

    private PointEstimate failed(QueryPoint p, Facts f, PointStatus st, long[] c) {
        double[] z = new double[d];
        Arrays.fill(z, Double.NaN);
        double rs = 0;
        for (double r : residualSq) {
            rs += r;
        }
        return new PointEstimate(p.id(), p.t(), p.x(), f.withSurrogate() ? f.uSurrogate() : Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, z, f.exact(), c, Double.NaN, Double.NaN,
            residualN > 0 ? Math.sqrt(Math.max(0.0, rs) / residualN) : Double.NaN, Double.NaN, st, Double.NaN, Double.NaN, Double.NaN);
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
