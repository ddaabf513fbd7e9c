package io.scasml.kernels.picard;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/**
 * The work plan of a run: the Picard terms of every level, their costs, the sample blocks of the top-level terms
 * and the work units — a pure function of the {@link RunOptions}, the dimension and the problem's shape (no
 * randomness, no query points). Work unit {@code u} of a group is {@code units().get(u)}: units are in (term, block)
 * order, and that order is the reduction order ({@link PointReduction}).
 *
 * <p>Everything is counted before anything proportional to the counts is allocated: sample counts and costs are
 * computed in saturating arithmetic, the budget ({@link RunOptions#maxEvaluationsPerPoint()}) and the unit limit
 * ({@link RunOptions#maxUnitsPerGroup()}) are checked from them, and {@link #units()} is a view computed on
 * demand, so the plan takes O(n²) memory whatever the options ask for.
 *
 * <h2>Cost model</h2>
 * In generator-equivalent evaluations per query point: a terminal sample costs its evaluation points; a sample of
 * the level-l term costs its evaluation points times (1 + C_l + C_{l−1}), C_k being the cost of one U_k
 * (docs/algorithm.md, "cost"). Skipped terms (Φ ≡ 0) cost nothing and have no units.
 *
 * <h2>Inner-sample rule</h2>
 * With split-half or leave-one-out on, every term of an inner node (level k &lt; n) that is not skipped gets at
 * least 2·{@link PicardEstimator#MIN_HALF_SAMPLES} samples (pairs with antithetic increments) under
 * {@link InnerSamples#RAISE} (the default), or the plan is refused under {@link InnerSamples#REFUSE}; the costs
 * above count the raised samples. Raising only adds i.i.d. samples to a mean, so the estimator stays what it was
 * in expectation (docs/algorithm.md §23, "inner-sample rule").
 */
public final class WorkPlan {
    /** Evaluation points per batch are also bounded by this many doubles of coordinates (memory). */
    static final int MAX_BATCH_DOUBLES = 1 << 21;
    /** Sample counts saturate here (far above anything a budget admits). */
    private static final long SATURATED = 1L << 62;

    /** One Picard term of a node at level k. */
    static final class Term {
        /** Position within its level: 0 terminal, 1 + l the level-l integral. */
        final int index;
        final boolean terminal;
        /** l for a time-integral term, −1 for the terminal term. */
        final int level;
        /** k − l for a time-integral term of level k (the scheme's table index), 0 for the terminal term. */
        final int depth;
        /** Samples (antithetic pairs when antithetic). */
        final int samples;
        /** Evaluation points of one sample and one sign (1 for full history, the nodes for quadrature). */
        final int points;
        /** Φ ≡ 0 makes this term vanish: no simulation. */
        final boolean skip;

        Term(int index, boolean terminal, int level, int depth, int samples, int points, boolean skip) {
            this.index = index;
            this.terminal = terminal;
            this.level = level;
            this.depth = depth;
            this.samples = samples;
            this.points = points;
            this.skip = skip;
        }
    }

    private final RunOptions opt;
    private final PicardScheme scheme;
    private final int n;
    private final int antithetic;
    private final int maxBatch;
    private final Term[][] terms;
    private final double[] cost;
    private final int[] blockSize;
    /** firstUnit[i] = index of the first unit of top-level term i; firstUnit[last] = number of units. */
    private final int[] firstUnit;
    private final List<UnitKey> units;

    private WorkPlan(RunOptions opt, PicardScheme scheme, int n, int antithetic, int maxBatch, Term[][] terms,
                     double[] cost, int[] blockSize, int[] firstUnit) {
        this.opt = opt;
        this.scheme = scheme;
        this.n = n;
        this.antithetic = antithetic;
        this.maxBatch = maxBatch;
        this.terms = terms;
        this.cost = cost;
        this.blockSize = blockSize;
        this.firstUnit = firstUnit;
        this.units = new UnitList();
    }

    /**
     * Plans a run, refusing it before anything is built if it exceeds a limit.
     *
     * @param opt          the options
     * @param d            spatial dimension
     * @param simulated    whether anything is simulated (false for the surrogate alone)
     * @param generatorIsZero Φ ≡ 0 (level terms vanish, except level 0 with a source)
     * @param hasSource    a source term enters the level-0 terms (SCaSML)
     * @throws IllegalArgumentException naming the option, the value and the limit
     */
    static WorkPlan of(RunOptions opt, int d, boolean simulated, boolean generatorIsZero, boolean hasSource) {
        int n = simulated ? opt.levels() : 0;
        int antithetic = opt.antithetic() ? 2 : 1;
        int maxBatch = Math.max(256, Math.min(opt.batchPoints(), MAX_BATCH_DOUBLES / d));
        PicardScheme scheme = PicardScheme.of(opt.scheme(), opt.levels());
        // ---- counts and costs, saturating: nothing here grows with the sample counts
        long[][] samples = new long[n + 1][];
        double[] cost = new double[n + 1];
        boolean halves = simulated && (opt.splitHalf() || opt.leaveOneOut());
        long floor = 2L * PicardEstimator.MIN_HALF_SAMPLES;
        for (int k = 1; k <= n; k++) {
            samples[k] = new long[k + 1];
            samples[k][0] = pairs(scheme.terminalSamples(opt.base(), k), antithetic);
            for (int l = 0; l < k; l++) {
                samples[k][1 + l] = pairs(scheme.levelSamples(opt.base(), k, l), antithetic);
            }
            if (k == n && opt.levelZeroFactor() > 1) {
                // the top level's terminal and level-0 terms call no inner iterate: F times their samples
                samples[k][0] = saturatingTimes(samples[k][0], opt.levelZeroFactor());
                samples[k][1] = saturatingTimes(samples[k][1], opt.levelZeroFactor());
            }
            if (halves && k < n) {
                // inner-sample rule (docs/algorithm.md §23): halves of inner terms need MIN_HALF_SAMPLES
                for (int i = 0; i <= k; i++) {
                    if (samples[k][i] >= floor || skip(i, generatorIsZero, hasSource)) {
                        continue;
                    }
                    if (opt.innerSamples() == InnerSamples.RAISE) {
                        samples[k][i] = floor;
                    } else if (opt.innerSamples() == InnerSamples.REFUSE) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "inner_samples: n = %d, M = %d (%s) gives inner Picard terms (level %d) only %d sample(s)"
                                + " per half, below the %d that split-half and leave-one-out need; %suse"
                                + " --inner-samples raise, or turn off --split-half and --loo",
                            opt.levels(), opt.base(), opt.scheme().label(), k, samples[k][i] / 2,
                            PicardEstimator.MIN_HALF_SAMPLES, opt.scheme() == Scheme.FULL_HISTORY
                                ? "raise --base to at least " + minBase(antithetic)
                                + (opt.antithetic() ? " (or drop --antithetic), " : ", ") : ""));
                    }
                }
            }
            double c = 0;
            for (int i = 0; i <= k; i++) {
                if (!skip(i, generatorIsZero, hasSource)) {
                    c += (double) samples[k][i] * perSampleCost(cost, i == 0, i - 1,
                        i == 0 ? 1 : scheme.levelPoints(k, i - 1), antithetic);
                }
            }
            cost[k] = c;
        }
        double perPoint = simulated ? cost[n] : 1;
        if (perPoint > opt.maxEvaluationsPerPoint()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "budget: n = %d, M = %d (%s) needs about %.3g evaluations per point, above the limit"
                    + " max_evaluations_per_point = %.3g; lower --levels/--base or raise --max-evals",
                opt.levels(), opt.base(), opt.scheme().label(), perPoint, opt.maxEvaluationsPerPoint()));
        }
        // ---- the terms (O(n²)); sample counts must now fit the arrays of one batch
        Term[][] terms = new Term[n + 1][];
        terms[0] = new Term[0];
        for (int k = 1; k <= n; k++) {
            terms[k] = new Term[k + 1];
            for (int i = 0; i <= k; i++) {
                long s = samples[k][i];
                if (s > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("levels/base: " + s + " samples in one Picard term"
                        + " (n = " + opt.levels() + ", M = " + opt.base() + ") overflow; lower --levels/--base");
                }
                boolean terminal = i == 0;
                terms[k][i] = new Term(i, terminal, i - 1, terminal ? 0 : k - (i - 1), (int) s,
                    terminal ? 1 : scheme.levelPoints(k, i - 1), skip(i, generatorIsZero, hasSource));
            }
        }
        // ---- blocks and units of the top level, counted
        int top = n > 0 ? terms[n].length : 0;
        int[] blockSize = new int[n + 1];
        int[] firstUnit = new int[top + 1];
        long total = 0;
        for (int i = 0; i < top; i++) {
            Term tm = terms[n][i];
            firstUnit[i] = (int) total;
            if (tm.skip) {
                continue;
            }
            double c = perSampleCost(cost, tm.terminal, tm.level, tm.points, antithetic);
            long s = (long) Math.floor(opt.unitCost() / c);
            s = Math.max(1, Math.min(s, tm.samples));
            s = Math.min(s, Math.max(1, maxBatch / ((long) tm.points * antithetic)));
            blockSize[i] = (int) s;
            total += (tm.samples + s - 1) / s;
            if (total > opt.maxUnitsPerGroup()) {
                throw new IllegalArgumentException("units: the plan needs more than " + opt.maxUnitsPerGroup()
                    + " work units per group of points (n = " + opt.levels() + ", M = " + opt.base()
                    + ", unit_cost = " + opt.unitCost() + "), above the limit max_units_per_group = "
                    + opt.maxUnitsPerGroup() + "; raise --unit-cost or --max-units-per-group");
            }
        }
        firstUnit[top] = (int) total;
        return new WorkPlan(opt, scheme, n, antithetic, maxBatch, terms, cost, blockSize, firstUnit);
    }

    /** Smallest full-history base whose inner terms all have 2·MIN_HALF_SAMPLES samples (pairs). */
    private static int minBase(int antithetic) {
        return (int) (2L * PicardEstimator.MIN_HALF_SAMPLES * antithetic);
    }

    private static boolean skip(int index, boolean generatorIsZero, boolean hasSource) {
        int l = index - 1;
        return index > 0 && generatorIsZero && (l >= 1 || !hasSource);
    }

    private static double perSampleCost(double[] cost, boolean terminal, int level, int points, int antithetic) {
        double pa = (double) points * antithetic;
        if (terminal) {
            return pa;
        }
        return pa * (1 + cost[level] + (level >= 1 ? cost[level - 1] : 0));
    }

    /** With antithetic pairs, N paths become ⌈N/2⌉ pairs (same number of evaluations); otherwise N. */
    private static long pairs(long samples, int antithetic) {
        return antithetic == 2 ? (samples + 1) / 2 : samples;
    }

    /** a·f, saturating at 2⁶² (the budget refuses anything near it). */
    private static long saturatingTimes(long a, long f) {
        return a > SATURATED / f ? SATURATED : a * f;
    }

    /** b^e, saturating at 2⁶² (the budget refuses anything near it). */
    static long powSaturating(long b, int e) {
        long r = 1;
        for (int i = 0; i < e; i++) {
            if (r > SATURATED / b) {
                return SATURATED;
            }
            r *= b;
        }
        return r;
    }

    /** The options. */
    RunOptions options() {
        return opt;
    }

    /** The time scheme. */
    PicardScheme scheme() {
        return scheme;
    }

    /** Samples (pairs with antithetic increments) of term {@code i} of a node at level k, after the inner-sample rule. */
    public int samples(int k, int i) {
        return terms[k][i].samples;
    }

    /** Top level n (0 for the surrogate alone). */
    int levels() {
        return n;
    }

    /** 2 with antithetic pairs, else 1. */
    int antithetic() {
        return antithetic;
    }

    /** Largest batch of evaluation points inside a unit. */
    int maxBatch() {
        return maxBatch;
    }

    /** The terms of a node at level k (empty for k = 0). */
    Term[] terms(int k) {
        return terms[k];
    }

    /** Number of top-level terms (n + 1, or 0 without simulation). */
    public int topTerms() {
        return n > 0 ? terms[n].length : 0;
    }

    /** Estimated terminal + generator evaluations per query point. */
    public double evaluationsPerPoint() {
        return n > 0 || opt.method() != Method.SURROGATE ? cost[n] : 1;
    }

    /** Samples of top-level term {@code term}. */
    public int termSamples(int term) {
        return terms[n][term].samples;
    }

    /** Block size of top-level term {@code term}. */
    public int blockSize(int term) {
        return blockSize[term];
    }

    /** The work units of one group of points, in (term, block) order (a view: O(n) memory). */
    public List<UnitKey> units() {
        return units;
    }

    /**
     * The cost model's evaluations per query point of work unit {@code u} (its samples times the per-sample cost of
     * its term; the last block of a term may be short). For scheduling only (e.g. Spark's cost-balanced partitions):
     * no estimate depends on it.
     */
    public double unitCost(int u) {
        UnitKey k = unit(u);
        Term tm = terms[n][k.term()];
        int bs = blockSize[k.term()];
        long first = (long) k.block() * bs;
        long samples = Math.max(0, Math.min(bs, tm.samples - first));
        return samples * perSampleCost(cost, tm.terminal, tm.level, tm.points, antithetic);
    }

    /** Number of work units of one group. */
    public int unitsPerGroup() {
        return firstUnit.length == 0 ? 0 : firstUnit[firstUnit.length - 1];
    }

    /** Groups of {@link RunOptions#pointsPerUnit()} points needed for {@code points} points. */
    public long groups(long points) {
        return points <= 0 ? 0 : (points - 1) / opt.pointsPerUnit() + 1;
    }

    /** Work units of a run over {@code points} points (saturating at Long.MAX_VALUE). */
    public long workUnits(long points) {
        long g = groups(points);
        long u = unitsPerGroup();
        return u != 0 && g > Long.MAX_VALUE / u ? Long.MAX_VALUE : g * u;
    }

    /** Estimated evaluations of a run over {@code points} points. */
    public double evaluations(long points) {
        return evaluationsPerPoint() * (double) points;
    }

    /**
     * Refuses a run over {@code points} points whose work units exceed {@link RunOptions#maxWorkUnits()}.
     *
     * @throws IllegalArgumentException naming the count, the limit and the options that change it
     */
    public void checkPoints(long points) {
        long w = workUnits(points);
        if (w > opt.maxWorkUnits()) {
            throw new IllegalArgumentException("units: " + points + " points make " + w + " work units ("
                + groups(points) + " groups x " + unitsPerGroup() + "), above the limit max_work_units = "
                + opt.maxWorkUnits() + "; raise --points-per-unit, --unit-cost or --max-work-units");
        }
    }

    /** Unit {@code u} of a group, computed from the counts. */
    UnitKey unit(int u) {
        if (u < 0 || u >= unitsPerGroup()) {
            throw new IndexOutOfBoundsException("unit " + u + " of " + unitsPerGroup());
        }
        // the last term whose first unit is <= u (skipped terms own no units: equal neighbours)
        int lo = 0;
        int hi = firstUnit.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstUnit[mid] <= u) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new UnitKey(lo, u - firstUnit[lo]);
    }

    private final class UnitList extends AbstractList<UnitKey> implements RandomAccess {
        @Override
        public UnitKey get(int index) {
            return unit(index);
        }

        @Override
        public int size() {
            return unitsPerGroup();
        }
    }
}
