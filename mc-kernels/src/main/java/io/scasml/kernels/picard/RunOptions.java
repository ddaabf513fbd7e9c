package io.scasml.kernels.picard;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tunable of one estimation run. Immutable; build with {@link #builder()}. {@link #toMap()} gives the
 * provenance record written beside the results, from which a run can be reproduced.
 */
public final class RunOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Method method;
    private final Scheme scheme;
    private final int levels;
    private final int base;
    private final long seed;
    private final double clip;
    private final boolean splitHalf;
    private final boolean leaveOneOut;
    private final boolean antithetic;
    private final boolean driftInGenerator;
    private final int pointsPerUnit;
    private final long unitCost;
    private final double maxEvaluationsPerPoint;
    private final int batchPoints;

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
        this.driftInGenerator = b.driftInGenerator;
        this.pointsPerUnit = b.pointsPerUnit;
        this.unitCost = b.unitCost;
        this.maxEvaluationsPerPoint = b.maxEvaluationsPerPoint;
        this.batchPoints = b.batchPoints;
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
        b.driftInGenerator = driftInGenerator;
        b.pointsPerUnit = pointsPerUnit;
        b.unitCost = unitCost;
        b.maxEvaluationsPerPoint = maxEvaluationsPerPoint;
        b.batchPoints = batchPoints;
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

    /** Polarised split-half generator (ALGORITHM.md §10). Default true. */
    public boolean splitHalf() { return splitHalf; }

    /** Leave-one-out control variates for the gradient sums. Default true. */
    public boolean leaveOneOut() { return leaveOneOut; }

    /** Antithetic pairs of Brownian increments. Default false. */
    public boolean antithetic() { return antithetic; }

    /**
     * Simulate driftless paths and move μ·∇u into the generator ({@link io.scasml.kernels.pde.DriftFreePde});
     * default false (the drift is in the paths, as in ALGORITHM.md §2.1).
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

    /** Provenance: every option by its documented name. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.label());
        m.put("scheme", scheme.label());
        m.put("levels", levels);
        m.put("base", base);
        m.put("seed", seed);
        m.put("clip", Double.isInfinite(clip) ? "off" : clip);
        m.put("split_half", splitHalf);
        m.put("leave_one_out", leaveOneOut);
        m.put("antithetic", antithetic);
        m.put("drift", driftInGenerator ? "generator" : "paths");
        m.put("points_per_unit", pointsPerUnit);
        m.put("unit_cost", unitCost);
        m.put("max_evaluations_per_point", maxEvaluationsPerPoint);
        m.put("batch_points", batchPoints);
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
        private boolean driftInGenerator = false;
        private int pointsPerUnit = 64;
        private long unitCost = 20_000L;
        private double maxEvaluationsPerPoint = 5e7;
        private int batchPoints = 65_536;

        public Builder method(Method v) { method = v; return this; }
        public Builder scheme(Scheme v) { scheme = v; return this; }
        public Builder levels(int v) { levels = v; return this; }
        public Builder base(int v) { base = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder clip(double v) { clip = v; return this; }
        public Builder splitHalf(boolean v) { splitHalf = v; return this; }
        public Builder leaveOneOut(boolean v) { leaveOneOut = v; return this; }
        public Builder antithetic(boolean v) { antithetic = v; return this; }
        public Builder driftInGenerator(boolean v) { driftInGenerator = v; return this; }
        public Builder pointsPerUnit(int v) { pointsPerUnit = v; return this; }
        public Builder unitCost(long v) { unitCost = v; return this; }
        public Builder maxEvaluationsPerPoint(double v) { maxEvaluationsPerPoint = v; return this; }
        public Builder batchPoints(int v) { batchPoints = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the option, its value and what was expected
         */
        public RunOptions build() {
            if (method == null) throw new IllegalArgumentException("method: must be set");
            if (scheme == null) throw new IllegalArgumentException("scheme: must be set");
            if (levels < 0) throw new IllegalArgumentException("levels: n = " + levels + " must be >= 0");
            if (levels > 8) throw new IllegalArgumentException("levels: n = " + levels + " is above the supported maximum 8");
            if (base < 1) throw new IllegalArgumentException("base: M = " + base + " must be >= 1");
            if (!(clip > 0)) throw new IllegalArgumentException("clip: " + clip + " must be > 0 (or off)");
            if (pointsPerUnit < 1) throw new IllegalArgumentException("points_per_unit: " + pointsPerUnit + " must be >= 1");
            if (unitCost < 1) throw new IllegalArgumentException("unit_cost: " + unitCost + " must be >= 1");
            if (!(maxEvaluationsPerPoint > 0)) {
                throw new IllegalArgumentException("max_evaluations_per_point: " + maxEvaluationsPerPoint + " must be > 0");
            }
            if (batchPoints < 1024) throw new IllegalArgumentException("batch_points: " + batchPoints + " must be >= 1024");
            return new RunOptions(this);
        }
    }
}
