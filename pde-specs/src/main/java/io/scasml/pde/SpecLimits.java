package io.scasml.pde;

import io.scasml.pde.expr.Budget;
import java.io.Serializable;

/**
 * The bounds a spec must stay within; specs are untrusted input, so everything that costs time or memory is bounded
 * and checked <em>before</em> it is allocated, compiled or evaluated. Each limit is named in the message of a spec it
 * refuses, together with the measured value and the command-line option that raises it ({@code OPT_*}; the same
 * options on {@code check-pde}, {@code pdes} and {@code solve}, see {@link SpecLimitOptions}).
 *
 * <p>Serializable: a spec accepted under raised limits travels with them, so executors re-read it under the same
 * limits.
 *
 * @param maxSpecBytes       largest spec file, in bytes
 * @param maxExpressionChars longest expression, in characters
 * @param maxExpressionTerms most terms (parse-tree nodes) of one expression as written
 * @param maxNesting         deepest nesting of parentheses, calls and operators (at most {@value Budget#CEILING_NESTING})
 * @param maxHeight          highest tree of one expression as written, in operations; after inlining definitions a
 *                           tree may be 4 times as high (at most {@value Budget#CEILING_HEIGHT})
 * @param maxInlinedNodes    most nodes of generator, terminal and exact solution together, after inlining definitions
 *                           (each use of a definition counts its nodes again; also bounds each expression)
 * @param maxPointCost       most operations of one evaluation of the generator, the terminal condition or the exact
 *                           solution at one point (the static cost model of {@link io.scasml.pde.expr.Cost}:
 *                           reductions multiply their trip counts)
 * @param maxExactCost       most operations of one evaluation of a Cole–Hopf Monte Carlo exact solution
 *                           (samples x the terminal condition's cost)
 * @param maxReadCost        most operations evaluated while the spec is read (constant folding, closed reductions,
 *                           vectors computed per index, mu and reference points), in total
 * @param maxConstantDoubles most numbers held by the spec's vectors in total (vector constants, mu, reference points)
 * @param maxMethodBytes     largest estimated bytecode of one generated method (the JVM refuses 65 535; at most
 *                           {@value #CEILING_METHOD_BYTES})
 * @param maxClassBytes      largest estimated bytecode of the whole generated class (bounds Janino's time)
 * @param maxMethodLiterals  most literals (numbers written into the generated source) of one generated method:
 *                           Janino's time grows with their square
 * @param maxClassLiterals   most literals of the whole generated class
 * @param maxDim             largest dimension d
 */
public record SpecLimits(long maxSpecBytes, int maxExpressionChars, int maxExpressionTerms, int maxNesting,
                         int maxHeight, long maxInlinedNodes, double maxPointCost, double maxExactCost,
                         double maxReadCost, long maxConstantDoubles, int maxMethodBytes, long maxClassBytes,
                         int maxMethodLiterals, int maxClassLiterals, int maxDim) implements Serializable {

    /** Highest accepted {@link #maxMethodBytes}: the estimate keeps a margin below the JVM's 65 535. */
    public static final int CEILING_METHOD_BYTES = 60_000;
    /** Highest accepted {@link #maxDim}. */
    public static final int CEILING_DIM = 1 << 26;

    public static final String OPT_SPEC_BYTES = "--max-spec-bytes";
    public static final String OPT_EXPR_CHARS = "--max-expr-chars";
    public static final String OPT_EXPR_TERMS = "--max-expr-terms";
    public static final String OPT_EXPR_NESTING = "--max-expr-nesting";
    public static final String OPT_EXPR_HEIGHT = "--max-expr-height";
    public static final String OPT_INLINED_NODES = "--max-inlined-nodes";
    public static final String OPT_POINT_COST = "--max-point-cost";
    public static final String OPT_EXACT_COST = "--max-exact-cost";
    public static final String OPT_READ_COST = "--max-read-cost";
    public static final String OPT_CONSTANT_DOUBLES = "--max-constant-doubles";
    public static final String OPT_METHOD_BYTES = "--max-method-bytes";
    public static final String OPT_CLASS_BYTES = "--max-class-bytes";
    public static final String OPT_METHOD_LITERALS = "--max-method-literals";
    public static final String OPT_CLASS_LITERALS = "--max-class-literals";
    public static final String OPT_DIM = "--max-dim";

    /**
     * The defaults: generous for any reasonable spec (every catalog spec passes at d = 10 000), small enough that a
     * refused spec is refused in milliseconds and an accepted one reads in well under a second and compiles in a few.
     */
    public static final SpecLimits DEFAULTS = new SpecLimits(
        1L << 20,                      // 1 MiB spec file
        Budget.DEFAULT_MAX_CHARS,      // 65 536 characters per expression
        Budget.DEFAULT_MAX_TERMS,      // 20 000 terms per expression as written
        Budget.DEFAULT_MAX_NESTING,    // 200 levels
        Budget.DEFAULT_MAX_HEIGHT,     // 256 operations deep (1 024 after inlining)
        Budget.DEFAULT_MAX_INLINED,    // 100 000 nodes after inlining
        1e8,                           // operations per evaluation at one point
        1e11,                          // operations per Cole-Hopf evaluation at one point
        Budget.DEFAULT_MAX_READ_COST,  // 1e8 operations while reading
        1L << 23,                      // 8 388 608 numbers (64 MiB) in vectors
        40_000,                        // bytes per generated method
        1L << 19,                      // 524 288 bytes per generated class
        1_000,                         // literals per generated method (Janino: ~0.3 s)
        8_000,                         // literals per generated class
        1 << 20);                      // d <= 1 048 576

    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException naming the first limit that is not positive or above its ceiling
     */
    public SpecLimits {
        positive(OPT_SPEC_BYTES, maxSpecBytes);
        positive(OPT_EXPR_CHARS, maxExpressionChars);
        positive(OPT_EXPR_TERMS, maxExpressionTerms);
        range(OPT_EXPR_NESTING, maxNesting, Budget.CEILING_NESTING);
        range(OPT_EXPR_HEIGHT, maxHeight, Budget.CEILING_HEIGHT);
        positive(OPT_INLINED_NODES, maxInlinedNodes);
        positive(OPT_POINT_COST, maxPointCost);
        positive(OPT_EXACT_COST, maxExactCost);
        positive(OPT_READ_COST, maxReadCost);
        positive(OPT_CONSTANT_DOUBLES, maxConstantDoubles);
        range(OPT_METHOD_BYTES, maxMethodBytes, CEILING_METHOD_BYTES);
        positive(OPT_CLASS_BYTES, maxClassBytes);
        positive(OPT_METHOD_LITERALS, maxMethodLiterals);
        positive(OPT_CLASS_LITERALS, maxClassLiterals);
        range(OPT_DIM, maxDim, CEILING_DIM);
    }

    private static void positive(String name, double v) {
        if (!(v >= 1) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " " + v + " must be a finite number >= 1");
        }
    }

    private static void range(String name, long v, long ceiling) {
        if (v < 1 || v > ceiling) {
            throw new IllegalArgumentException(name + " " + v + " must be in [1, " + ceiling + "]");
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public SpecLimits withMaxSpecBytes(long v) {
        return toBuilder().maxSpecBytes(v).build();
    }

    public SpecLimits withMaxPointCost(double v) {
        return toBuilder().maxPointCost(v).build();
    }

    public SpecLimits withMaxExactCost(double v) {
        return toBuilder().maxExactCost(v).build();
    }

    public SpecLimits withMaxReadCost(double v) {
        return toBuilder().maxReadCost(v).build();
    }

    public SpecLimits withMaxInlinedNodes(long v) {
        return toBuilder().maxInlinedNodes(v).build();
    }

    public SpecLimits withMaxConstantDoubles(long v) {
        return toBuilder().maxConstantDoubles(v).build();
    }

    public SpecLimits withMaxMethodBytes(int v) {
        return toBuilder().maxMethodBytes(v).build();
    }

    public SpecLimits withMaxClassBytes(long v) {
        return toBuilder().maxClassBytes(v).build();
    }

    public SpecLimits withMaxDim(int v) {
        return toBuilder().maxDim(v).build();
    }

    /** The expression limits and a fresh read budget for reading one spec. */
    Budget budget() {
        return new Budget(maxExpressionChars, maxExpressionTerms, maxNesting, maxHeight, maxInlinedNodes, maxReadCost,
            new Budget.Names(OPT_EXPR_CHARS, OPT_EXPR_TERMS, OPT_EXPR_NESTING, OPT_EXPR_HEIGHT, OPT_INLINED_NODES,
                OPT_READ_COST));
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long maxSpecBytes;
        private int maxExpressionChars;
        private int maxExpressionTerms;
        private int maxNesting;
        private int maxHeight;
        private long maxInlinedNodes;
        private double maxPointCost;
        private double maxExactCost;
        private double maxReadCost;
        private long maxConstantDoubles;
        private int maxMethodBytes;
        private long maxClassBytes;
        private int maxMethodLiterals;
        private int maxClassLiterals;
        private int maxDim;

        private Builder(SpecLimits l) {
            maxSpecBytes = l.maxSpecBytes;
            maxExpressionChars = l.maxExpressionChars;
            maxExpressionTerms = l.maxExpressionTerms;
            maxNesting = l.maxNesting;
            maxHeight = l.maxHeight;
            maxInlinedNodes = l.maxInlinedNodes;
            maxPointCost = l.maxPointCost;
            maxExactCost = l.maxExactCost;
            maxReadCost = l.maxReadCost;
            maxConstantDoubles = l.maxConstantDoubles;
            maxMethodBytes = l.maxMethodBytes;
            maxClassBytes = l.maxClassBytes;
            maxMethodLiterals = l.maxMethodLiterals;
            maxClassLiterals = l.maxClassLiterals;
            maxDim = l.maxDim;
        }

        public Builder maxSpecBytes(long v) {
            maxSpecBytes = v;
            return this;
        }

        public Builder maxExpressionChars(int v) {
            maxExpressionChars = v;
            return this;
        }

        public Builder maxExpressionTerms(int v) {
            maxExpressionTerms = v;
            return this;
        }

        public Builder maxNesting(int v) {
            maxNesting = v;
            return this;
        }

        public Builder maxHeight(int v) {
            maxHeight = v;
            return this;
        }

        public Builder maxInlinedNodes(long v) {
            maxInlinedNodes = v;
            return this;
        }

        public Builder maxPointCost(double v) {
            maxPointCost = v;
            return this;
        }

        public Builder maxExactCost(double v) {
            maxExactCost = v;
            return this;
        }

        public Builder maxReadCost(double v) {
            maxReadCost = v;
            return this;
        }

        public Builder maxConstantDoubles(long v) {
            maxConstantDoubles = v;
            return this;
        }

        public Builder maxMethodBytes(int v) {
            maxMethodBytes = v;
            return this;
        }

        public Builder maxClassBytes(long v) {
            maxClassBytes = v;
            return this;
        }

        public Builder maxMethodLiterals(int v) {
            maxMethodLiterals = v;
            return this;
        }

        public Builder maxClassLiterals(int v) {
            maxClassLiterals = v;
            return this;
        }

        public Builder maxDim(int v) {
            maxDim = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid limit */
        public SpecLimits build() {
            return new SpecLimits(maxSpecBytes, maxExpressionChars, maxExpressionTerms, maxNesting, maxHeight,
                maxInlinedNodes, maxPointCost, maxExactCost, maxReadCost, maxConstantDoubles, maxMethodBytes,
                maxClassBytes, maxMethodLiterals, maxClassLiterals, maxDim);
        }
    }
}
