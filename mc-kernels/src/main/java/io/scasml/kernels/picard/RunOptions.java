package io.scasml.kernels.picard;

import io.scasml.kernels.surrogate.LaplacianMode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tunable of one estimation run. Immutable; build with {@link #builder()}. {@link #OPTIONS} describes each
 * option once (key, flag, help, parser, provenance form); {@link #toMap()} gives the provenance record written
 * beside the results, from which a run can be reproduced.
 *
 * <p>Resource limits ({@code max_*}) bound what a run may ask for; each has a generous default and its own option,
 * and every refusal names the option, the value and the limit. They are checked from counts, before anything
 * proportional to them is allocated ({@link WorkPlan}).
 */
public final class RunOptions implements Serializable {
    private static final long serialVersionUID = 4L;

    /** Hard ceiling on {@link #maxLevels()} itself: the plan's term tables grow as n². */
    public static final int LEVELS_CEILING = 64;
    /** Hard ceiling on {@link #maxRounds()}. */
    public static final int MAX_ROUNDS_CEILING = 1 << 20;

    private final Method method;
    private final Scheme scheme;
    private final int levels;
    private final int base;
    private final long seed;
    private final double clip;
    private final boolean splitHalf;
    private final boolean leaveOneOut;
    private final boolean antithetic;
    private final int levelZeroFactor;
    private final boolean driftInGenerator;
    private final int pointsPerUnit;
    private final long unitCost;
    private final double maxEvaluationsPerPoint;
    private final int batchPoints;
    private final int maxLevels;
    private final int maxBase;
    private final long maxUnitsPerGroup;
    private final long maxWorkUnits;
    private final InnerSamples innerSamples;
    private final double targetSe;
    private final double targetRelSe;
    private final int maxRounds;
    private final boolean guard;
    private final String laplacian;

    private RunOptions(Builder b) {
        this.method = b.method;
        this.scheme = b.scheme;
        this.levels = b.levels;
        this.base = b.base;
        this.seed = b.seed;
        this.clip = b.clip;
        this.splitHalf = b.splitHalf;
        this.leaveOneOut = b.leaveOneOut;
        this.antithetic = b.antithetic;
        this.levelZeroFactor = b.levelZeroFactor;
        this.driftInGenerator = b.driftInGenerator;
        this.pointsPerUnit = b.pointsPerUnit;
        this.unitCost = b.unitCost;
        this.maxEvaluationsPerPoint = b.maxEvaluationsPerPoint;
        this.batchPoints = b.batchPoints;
        this.maxLevels = b.maxLevels;
        this.maxBase = b.maxBase;
        this.maxUnitsPerGroup = b.maxUnitsPerGroup;
        this.maxWorkUnits = b.maxWorkUnits;
        this.innerSamples = b.innerSamples;
        this.targetSe = b.targetSe;
        this.targetRelSe = b.targetRelSe;
        this.maxRounds = b.maxRounds;
        this.guard = b.guard;
        this.laplacian = b.laplacian;
    }

    /** A builder with the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this instance. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.scheme = scheme;
        b.levels = levels;
        b.base = base;
        b.seed = seed;
        b.clip = clip;
        b.splitHalf = splitHalf;
        b.leaveOneOut = leaveOneOut;
        b.antithetic = antithetic;
        b.levelZeroFactor = levelZeroFactor;
        b.driftInGenerator = driftInGenerator;
        b.pointsPerUnit = pointsPerUnit;
        b.unitCost = unitCost;
        b.maxEvaluationsPerPoint = maxEvaluationsPerPoint;
        b.batchPoints = batchPoints;
        b.maxLevels = maxLevels;
        b.maxBase = maxBase;
        b.maxUnitsPerGroup = maxUnitsPerGroup;
        b.maxWorkUnits = maxWorkUnits;
        b.innerSamples = innerSamples;
        b.targetSe = targetSe;
        b.targetRelSe = targetRelSe;
        b.maxRounds = maxRounds;
        b.guard = guard;
        b.laplacian = laplacian;
        return b;
    }

    /** What is estimated. Default {@link Method#SCASML}. */
    public Method method() { return method; }

    /** Time scheme. Default {@link Scheme#FULL_HISTORY}. */
    public Scheme scheme() { return scheme; }

    /** Picard level n ≥ 0 (for quadrature also ρ). Default 2. */
    public int levels() { return levels; }

    /** Monte Carlo base M ≥ 1 (full history: level l uses M^(n−l) samples). Default 10. Ignored by quadrature. */
    public int base() { return base; }

    /** Root seed of every random stream. Default 1. */
    public long seed() { return seed; }

    /**
     * Trust region: every Picard iterate (value and each gradient component) is clipped to [−clip, clip].
     * {@code Double.POSITIVE_INFINITY} (default) means off. Clipping biases the estimator; it is recorded.
     */
    public double clip() { return clip; }

    /** Polarised split-half generator (docs/algorithm.md). Default true. */
    public boolean splitHalf() { return splitHalf; }

    /** Leave-one-out control variates for the gradient sums. Default true. */
    public boolean leaveOneOut() { return leaveOneOut; }

    /** Antithetic pairs of Brownian increments. Default false. */
    public boolean antithetic() { return antithetic; }

    /**
     * Sample multiplier F ≥ 1 of the two top-level terms that call no inner Picard iterate — the terminal term and
     * the level-0 time integral (which carries SCaSML's source ε) — whose samples are the cheapest: F·M^n samples
     * each instead of M^n, inner terms unchanged. Unbiased, the error bar's formula unchanged (independent samples
     * per term); a reallocation of the budget towards these terms (docs/algorithm.md §25). Default 1.
     */
    public int levelZeroFactor() { return levelZeroFactor; }

    /**
     * Simulate driftless paths and move μ·∇u into the generator ({@link io.scasml.kernels.pde.DriftFreePde});
     * default false (the drift is in the paths).
     */
    public boolean driftInGenerator() { return driftInGenerator; }

    /** Query points per group in the work plan (units hold one group). Default 64. */
    public int pointsPerUnit() { return pointsPerUnit; }

    /** Target cost of one work unit, in generator-equivalent evaluations per point; sets the block sizes. */
    public long unitCost() { return unitCost; }

    /** Budget: refuse runs whose estimated evaluations per point exceed this. Default 5e7. */
    public double maxEvaluationsPerPoint() { return maxEvaluationsPerPoint; }

    /** Maximum number of evaluation points per batched call inside a unit (memory bound). Default 65536. */
    public int batchPoints() { return batchPoints; }

    /** Limit on {@link #levels()}. Default 8; at most {@link #LEVELS_CEILING}. */
    public int maxLevels() { return maxLevels; }

    /** Limit on {@link #base()}. Default 1,000,000. */
    public int maxBase() { return maxBase; }

    /** Limit on the work units of one group of points ({@link WorkPlan#unitsPerGroup()}). Default 1,000,000. */
    public long maxUnitsPerGroup() { return maxUnitsPerGroup; }

    /** Limit on the work units of a whole run (groups × units per group). Default 100,000,000. */
    public long maxWorkUnits() { return maxWorkUnits; }

    /**
     * What to do when split-half or leave-one-out would get fewer than {@link PicardEstimator#MIN_HALF_SAMPLES}
     * samples per half in an inner term. Default {@link InnerSamples#RAISE}.
     */
    public InnerSamples innerSamples() { return innerSamples; }

    /**
     * Adaptive mode: the absolute standard error each point should reach ({@link AdaptiveDriver}); 0 (default)
     * means no absolute target.
     */
    public double targetSe() { return targetSe; }

    /** Adaptive mode: the standard error relative to |u| each point should reach; 0 (default) means none. */
    public double targetRelSe() { return targetRelSe; }

    /** Whether a target is set ({@link #targetSe()} or {@link #targetRelSe()}). */
    public boolean adaptive() { return targetSe > 0 || targetRelSe > 0; }

    /**
     * Adaptive mode: at most this many rounds (independent replicates) per point. Default 16. The total
     * evaluations of a point (pilot and companion included) are capped by {@link #maxEvaluationsPerPoint()}.
     */
    public int maxRounds() { return maxRounds; }

    /**
     * Guarded SCaSML: combine SCaSML with a plain-MLP estimate on independent streams, with a weight fixed by a
     * pilot ({@link AdaptiveDriver}). Default on; ignored by the other methods.
     */
    public boolean guard() { return guard; }

    /**
     * How the SCaSML source term computes the surrogate's Laplacian, as the canonical option value
     * ({@link LaplacianMode#id()}): {@code exact} (default; the results are those of the exact forward Laplacian),
     * {@code hutchinson:K[:gaussian]} (an unbiased Hutchinson estimate with K probes per evaluation point, drawn per
     * Monte Carlo sample: the standard error includes the probes' variance; docs/algorithm.md §24),
     * {@code deflated:K[:gaussian]} (the same, deflated along ∇û: exact second derivative along ∇û/‖∇û‖ plus K
     * projected probes) or {@code auto[:K]} (deflated, else Hutchinson, where the surrogate's cost model says it is
     * cheaper). Resolved against the surrogate by
     * {@link PicardEstimator#create} ({@link PicardEstimator#laplacian()}). Ignored by MLP and the surrogate alone.
     */
    public String laplacian() { return laplacian; }

    /** {@link #laplacian()} parsed. */
    public LaplacianMode laplacianMode() { return LaplacianMode.parse(laplacian); }

    /** Every option, in provenance order. */
    public static final List<EstimatorOption<?>> OPTIONS = List.of(
        new EstimatorOption<>("method", "--method", "What is estimated: mlp, scasml or surrogate. Default scasml.",
            Method.class, false, RunOptions::method, Builder::method, Method::parse, Method::label),
        new EstimatorOption<>("scheme", "--scheme", "Time scheme: full-history or quadrature. Default full-history.",
            Scheme.class, false, RunOptions::scheme, Builder::scheme, Scheme::parse, Scheme::label),
        new EstimatorOption<>("levels", "--levels", "Picard level n >= 0. Default 2.",
            Integer.class, false, RunOptions::levels, Builder::levels, EstimatorOption::parseInt, null),
        new EstimatorOption<>("base", "--base", "Monte Carlo base M >= 1. Default 10.",
            Integer.class, false, RunOptions::base, Builder::base, EstimatorOption::parseInt, null),
        new EstimatorOption<>("seed", "--seed", "Root seed of all random streams. Default 1.",
            Long.class, false, RunOptions::seed, Builder::seed, EstimatorOption::parseLong, null),
        new EstimatorOption<>("clip", "--clip",
            "Trust region for inner Picard iterates (biased); 'off' (default) or a bound > 0.",
            Double.class, false, RunOptions::clip, Builder::clip,
            s -> s.equalsIgnoreCase("off") ? Double.POSITIVE_INFINITY : EstimatorOption.parseDouble(s),
            v -> Double.isInfinite(v) ? "off" : v),
        new EstimatorOption<>("split_half", "--split-half", "Polarised split-half generator. Default on.",
            Boolean.class, true, RunOptions::splitHalf, Builder::splitHalf, EstimatorOption::parseBoolean, null),
        new EstimatorOption<>("leave_one_out", "--loo", "Leave-one-out control variates. Default on.",
            Boolean.class, true, RunOptions::leaveOneOut, Builder::leaveOneOut, EstimatorOption::parseBoolean,
            null),
        new EstimatorOption<>("antithetic", "--antithetic", "Antithetic Brownian increments. Default off.",
            Boolean.class, true, RunOptions::antithetic, Builder::antithetic, EstimatorOption::parseBoolean, null),
        new EstimatorOption<>("level_zero_factor", "--level-zero-factor",
            "Samples of the top-level terminal and level-0 terms (no inner iterate) times F >= 1. Default 1.",
            Integer.class, false, RunOptions::levelZeroFactor, Builder::levelZeroFactor, EstimatorOption::parseInt, null),
        new EstimatorOption<>("drift", "--drift",
            "paths (default: simulate the drift) or generator (driftless paths, mu.grad u moved into F).",
            Boolean.class, false, RunOptions::driftInGenerator, Builder::driftInGenerator,
            RunOptions::parseDrift, v -> v ? "generator" : "paths"),
        new EstimatorOption<>("points_per_unit", "--points-per-unit", "Query points per work unit. Default 64.",
            Integer.class, false, RunOptions::pointsPerUnit, Builder::pointsPerUnit, EstimatorOption::parseInt,
            null),
        new EstimatorOption<>("unit_cost", "--unit-cost",
            "Target evaluations per point in one work unit (sets the sample blocks). Default 20000.",
            Long.class, false, RunOptions::unitCost, Builder::unitCost, EstimatorOption::parseLong, null),
        new EstimatorOption<>("max_evaluations_per_point", "--max-evals",
            "Refuse runs needing more evaluations per point. Default 5e7.",
            Double.class, false, RunOptions::maxEvaluationsPerPoint, Builder::maxEvaluationsPerPoint,
            EstimatorOption::parseDouble, null),
        new EstimatorOption<>("batch_points", "--batch-points",
            "Evaluation points per batched call inside a unit (memory bound, >= 1024). Default 65536.",
            Integer.class, false, RunOptions::batchPoints, Builder::batchPoints, EstimatorOption::parseInt, null),
        new EstimatorOption<>("max_levels", "--max-levels",
            "Limit on --levels (at most " + LEVELS_CEILING + "). Default 8.",
            Integer.class, false, RunOptions::maxLevels, Builder::maxLevels, EstimatorOption::parseInt, null),
        new EstimatorOption<>("max_base", "--max-base", "Limit on --base. Default 1000000.",
            Integer.class, false, RunOptions::maxBase, Builder::maxBase, EstimatorOption::parseInt, null),
        new EstimatorOption<>("max_units_per_group", "--max-units-per-group",
            "Limit on the work units of one group of points. Default 1000000.",
            Long.class, false, RunOptions::maxUnitsPerGroup, Builder::maxUnitsPerGroup, EstimatorOption::parseLong,
            null),
        new EstimatorOption<>("max_work_units", "--max-work-units",
            "Limit on the work units of a run (groups x units per group). Default 100000000.",
            Long.class, false, RunOptions::maxWorkUnits, Builder::maxWorkUnits, EstimatorOption::parseLong, null),
        new EstimatorOption<>("inner_samples", "--inner-samples",
            "When split-half/leave-one-out halves of inner terms would have fewer than "
                + PicardEstimator.MIN_HALF_SAMPLES + " samples: raise (default), refuse or warn.",
            InnerSamples.class, false, RunOptions::innerSamples, Builder::innerSamples, InnerSamples::parse,
            InnerSamples::label),
        new EstimatorOption<>("target_se", "--target-se",
            "Adaptive mode: absolute standard error to reach per point; 'off' (default) or a value > 0.",
            Double.class, false, RunOptions::targetSe, Builder::targetSe, RunOptions::parseTarget,
            RunOptions::targetProvenance),
        new EstimatorOption<>("target_rel_se", "--target-rel-se",
            "Adaptive mode: standard error relative to |u| to reach per point; 'off' (default) or a value > 0.",
            Double.class, false, RunOptions::targetRelSe, Builder::targetRelSe, RunOptions::parseTarget,
            RunOptions::targetProvenance),
        new EstimatorOption<>("max_rounds", "--max-rounds",
            "Adaptive mode: at most this many rounds (replicates) per point. Default 16.",
            Integer.class, false, RunOptions::maxRounds, Builder::maxRounds, EstimatorOption::parseInt, null),
        new EstimatorOption<>("guard", "--guard",
            "Guarded SCaSML: combine with plain MLP on independent streams, weight from a pilot. Default on.",
            Boolean.class, true, RunOptions::guard, Builder::guard, EstimatorOption::parseBoolean, null),
        new EstimatorOption<>("laplacian", "--laplacian",
            "Surrogate Laplacian in the SCaSML source term: exact (default), hutchinson:K[:gaussian] (unbiased"
                + " randomized trace, K probes per sample; the error bar includes the probes), deflated:K[:gaussian]"
                + " (the exact second derivative along the surrogate's gradient plus K probes projected off it:"
                + " unbiased, far less variance for solutions driven by one direction, e.g. VB) or auto[:K] (deflated,"
                + " else hutchinson, where the surrogate's cost model says it is cheaper, else exact; cost only: the"
                + " probes' variance is not weighed, check std_error against an exact run).",
            String.class, false, RunOptions::laplacian, Builder::laplacian, RunOptions::parseLaplacian, null));

    /** The defaults. */
    static final RunOptions DEFAULTS = builder().build();

    /** The option with provenance key or flag {@code name}, or null. */
    public static EstimatorOption<?> option(String name) {
        for (EstimatorOption<?> o : OPTIONS) {
            if (o.key().equals(name) || o.flag().equals(name) || o.flag().substring(2).equals(name)) {
                return o;
            }
        }
        return null;
    }

    private static Double parseTarget(String s) {
        return s.equalsIgnoreCase("off") ? 0.0 : EstimatorOption.parseDouble(s);
    }

    private static Object targetProvenance(Double v) {
        return v == 0 ? "off" : v;
    }

    private static String parseLaplacian(String s) {
        try {
            return LaplacianMode.parse(s).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("laplacian: " + e.getMessage().replaceFirst("^--laplacian: ", ""), e);
        }
    }

    private static Boolean parseDrift(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "paths": return Boolean.FALSE;
            case "generator": return Boolean.TRUE;
            default: throw new IllegalArgumentException("drift: '" + s + "' is not one of paths, generator");
        }
    }

    /** Provenance: every option of {@link #OPTIONS} by its key, in that order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (EstimatorOption<?> o : OPTIONS) {
            m.put(o.key(), o.provenance(this));
        }
        return m;
    }

    @Override
    public String toString() {
        return "RunOptions" + toMap();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Method method = Method.SCASML;
        private Scheme scheme = Scheme.FULL_HISTORY;
        private int levels = 2;
        private int base = 10;
        private long seed = 1L;
        private double clip = Double.POSITIVE_INFINITY;
        private boolean splitHalf = true;
        private boolean leaveOneOut = true;
        private boolean antithetic = false;
        private int levelZeroFactor = 1;
        private boolean driftInGenerator = false;
        private int pointsPerUnit = 64;
        private long unitCost = 20_000L;
        private double maxEvaluationsPerPoint = 5e7;
        private int batchPoints = 65_536;
        private int maxLevels = 8;
        private int maxBase = 1_000_000;
        private long maxUnitsPerGroup = 1_000_000L;
        private long maxWorkUnits = 100_000_000L;
        private InnerSamples innerSamples = InnerSamples.RAISE;
        private double targetSe = 0;
        private double targetRelSe = 0;
        private int maxRounds = 16;
        private boolean guard = true;
        private String laplacian = "exact";

        public Builder method(Method v) { method = v; return this; }
        public Builder scheme(Scheme v) { scheme = v; return this; }
        public Builder levels(int v) { levels = v; return this; }
        public Builder base(int v) { base = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder clip(double v) { clip = v; return this; }
        public Builder splitHalf(boolean v) { splitHalf = v; return this; }
        public Builder leaveOneOut(boolean v) { leaveOneOut = v; return this; }
        public Builder antithetic(boolean v) { antithetic = v; return this; }
        public Builder levelZeroFactor(int v) { levelZeroFactor = v; return this; }
        public Builder driftInGenerator(boolean v) { driftInGenerator = v; return this; }
        public Builder pointsPerUnit(int v) { pointsPerUnit = v; return this; }
        public Builder unitCost(long v) { unitCost = v; return this; }
        public Builder maxEvaluationsPerPoint(double v) { maxEvaluationsPerPoint = v; return this; }
        public Builder batchPoints(int v) { batchPoints = v; return this; }
        public Builder maxLevels(int v) { maxLevels = v; return this; }
        public Builder maxBase(int v) { maxBase = v; return this; }
        public Builder maxUnitsPerGroup(long v) { maxUnitsPerGroup = v; return this; }
        public Builder maxWorkUnits(long v) { maxWorkUnits = v; return this; }
        public Builder innerSamples(InnerSamples v) { innerSamples = v; return this; }
        public Builder targetSe(double v) { targetSe = v; return this; }
        public Builder targetRelSe(double v) { targetRelSe = v; return this; }
        public Builder maxRounds(int v) { maxRounds = v; return this; }
        public Builder guard(boolean v) { guard = v; return this; }
        /** Any spelling {@link LaplacianMode#parse} accepts (stored canonically; checked by {@link #build()}). */
        public Builder laplacian(String v) { laplacian = v; return this; }
        public Builder laplacian(LaplacianMode v) { laplacian = v == null ? null : v.id(); return this; }

        /**
         * Sets the option with key or flag {@code name} from text.
         *
         * @throws IllegalArgumentException for an unknown option or unparsable text
         */
        public Builder set(String name, String text) {
            EstimatorOption<?> o = option(name);
            if (o == null) {
                throw new IllegalArgumentException(name + ": not an estimator option");
            }
            o.parseInto(this, text);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the option, its value and what was expected
         */
        public RunOptions build() {
            if (method == null) throw new IllegalArgumentException("method: must be set");
            if (scheme == null) throw new IllegalArgumentException("scheme: must be set");
            if (maxLevels < 0 || maxLevels > LEVELS_CEILING) {
                throw new IllegalArgumentException("max_levels: " + maxLevels + " must be in [0, " + LEVELS_CEILING + "]");
            }
            if (maxBase < 1) throw new IllegalArgumentException("max_base: " + maxBase + " must be >= 1");
            if (maxUnitsPerGroup < 1 || maxUnitsPerGroup > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("max_units_per_group: " + maxUnitsPerGroup + " must be in [1, "
                    + Integer.MAX_VALUE + "]");
            }
            if (maxWorkUnits < 1) throw new IllegalArgumentException("max_work_units: " + maxWorkUnits + " must be >= 1");
            if (levels < 0) throw new IllegalArgumentException("levels: n = " + levels + " must be >= 0");
            if (levels > maxLevels) {
                throw new IllegalArgumentException("levels: n = " + levels + " is above the limit max_levels = "
                    + maxLevels + " (raise it with --max-levels)");
            }
            if (base < 1) throw new IllegalArgumentException("base: M = " + base + " must be >= 1");
            if (base > maxBase) {
                throw new IllegalArgumentException("base: M = " + base + " is above the limit max_base = " + maxBase
                    + " (raise it with --max-base)");
            }
            if (levelZeroFactor < 1 || levelZeroFactor > maxBase) {
                throw new IllegalArgumentException("level_zero_factor: F = " + levelZeroFactor + " must be in [1, max_base = "
                    + maxBase + "]");
            }
            if (!(clip > 0)) throw new IllegalArgumentException("clip: " + clip + " must be > 0 (or off)");
            if (pointsPerUnit < 1) throw new IllegalArgumentException("points_per_unit: " + pointsPerUnit + " must be >= 1");
            if (unitCost < 1) throw new IllegalArgumentException("unit_cost: " + unitCost + " must be >= 1");
            if (!(maxEvaluationsPerPoint > 0)) {
                throw new IllegalArgumentException("max_evaluations_per_point: " + maxEvaluationsPerPoint + " must be > 0");
            }
            if (innerSamples == null) throw new IllegalArgumentException("inner_samples: must be set");
            if (!(targetSe >= 0) || Double.isInfinite(targetSe)) {
                throw new IllegalArgumentException("target_se: " + targetSe + " must be > 0 (or off)");
            }
            if (!(targetRelSe >= 0) || Double.isInfinite(targetRelSe)) {
                throw new IllegalArgumentException("target_rel_se: " + targetRelSe + " must be > 0 (or off)");
            }
            if (maxRounds < 1 || maxRounds > MAX_ROUNDS_CEILING) {
                throw new IllegalArgumentException("max_rounds: " + maxRounds + " must be in [1, "
                    + MAX_ROUNDS_CEILING + "]");
            }
            if (laplacian == null) throw new IllegalArgumentException("laplacian: must be set");
            laplacian = parseLaplacian(laplacian);
            if (batchPoints < 1024) throw new IllegalArgumentException("batch_points: " + batchPoints + " must be >= 1024");
            return new RunOptions(this);
        }
    }
}
