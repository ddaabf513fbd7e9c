package io.scasml.pde.expr;

import java.util.Locale;

/**
 * The limits that apply while expressions are parsed and resolved, and the budget of evaluation done while a spec is
 * read (constant folding, closed reductions, per-index vectors): every such evaluation is costed with {@link Cost}
 * and charged here <em>before</em> it runs, so a spec cannot make its reader loop for long.
 *
 * <p>One budget serves one spec: it is shared by every {@link Scope} derived from the spec's root scope. Not
 * thread-safe (one spec is read by one thread).
 */
public final class Budget {
    /** Default longest expression, in characters. */
    public static final int DEFAULT_MAX_CHARS = 65_536;
    /** Default most terms (parse-tree nodes) of one expression as written. */
    public static final int DEFAULT_MAX_TERMS = 20_000;
    /** Default deepest nesting of parentheses, calls and operators as written. */
    public static final int DEFAULT_MAX_NESTING = 200;
    /** Default highest tree of one expression as written (after inlining definitions: 4 times as high). */
    public static final int DEFAULT_MAX_HEIGHT = 256;
    /** Default most nodes of one expression after inlining definitions. */
    public static final long DEFAULT_MAX_INLINED = 100_000;
    /** Default most operations evaluated while reading one spec. */
    public static final double DEFAULT_MAX_READ_COST = 1e8;
    /** Highest accepted nesting limit (the parser recurses about ten frames per level on the caller's stack). */
    public static final int CEILING_NESTING = 1_000;
    /** Highest accepted height limit (resolving, costing and interpreting recurse once per level). */
    public static final int CEILING_HEIGHT = 2_000;

    final int maxChars;
    final int maxTerms;
    final int maxNesting;
    final int maxHeight;
    final long maxInlined;
    final double maxReadCost;
    /** How the user raises each limit, for messages (e.g. option names); never null. */
    final Names names;
    private double spent;

    /** How each limit is raised, named in messages (command-line options, or API names). */
    public record Names(String chars, String terms, String nesting, String height, String inlined, String readCost) {
        /** The names of the {@code check-pde} / {@code solve} options. */
        public static final Names OPTIONS = new Names("--max-expr-chars", "--max-expr-terms", "--max-expr-nesting",
            "--max-expr-height", "--max-inlined-nodes", "--max-read-cost");
    }

    /**
     * @throws IllegalArgumentException if a limit is not positive or above its ceiling
     */
    public Budget(int maxChars, int maxTerms, int maxNesting, int maxHeight, long maxInlined, double maxReadCost,
                  Names names) {
        if (maxChars < 1 || maxTerms < 1 || maxInlined < 1 || !(maxReadCost >= 0)) {
            throw new IllegalArgumentException("expression limits must be positive");
        }
        if (maxNesting < 1 || maxNesting > CEILING_NESTING || maxHeight < 1 || maxHeight > CEILING_HEIGHT) {
            throw new IllegalArgumentException("expression nesting must be in [1, " + CEILING_NESTING
                + "] and height in [1, " + CEILING_HEIGHT + "]");
        }
        this.maxChars = maxChars;
        this.maxTerms = maxTerms;
        this.maxNesting = maxNesting;
        this.maxHeight = maxHeight;
        this.maxInlined = maxInlined;
        this.maxReadCost = maxReadCost;
        this.names = names == null ? Names.OPTIONS : names;
    }

    /** A fresh budget with the default limits. */
    public static Budget defaults() {
        return new Budget(DEFAULT_MAX_CHARS, DEFAULT_MAX_TERMS, DEFAULT_MAX_NESTING, DEFAULT_MAX_HEIGHT,
            DEFAULT_MAX_INLINED, DEFAULT_MAX_READ_COST, Names.OPTIONS);
    }

    /** Operations charged so far. */
    public double spent() {
        return spent;
    }

    /**
     * Charges {@code cost} operations of evaluation done while reading, before it is done.
     *
     * @param pos  offset in the expression, for the message (-1: the whole expression)
     * @param what what is evaluated, for the message (e.g. "this reduction", "the 1000000 entries of this vector")
     * @throws ExpressionException if the spec's read budget would be exceeded
     */
    public void charge(double cost, int pos, String what) {
        if (!(cost <= maxReadCost - spent)) {
            throw new ExpressionException(pos, "evaluating " + what + " while reading the spec costs " + num(cost)
                + " operations" + (spent > 0 ? " (" + num(spent) + " already spent)" : "") + "; the limit is "
                + num(maxReadCost) + " operations per spec (raise it with " + names.readCost() + ")");
        }
        spent += cost;
    }

    /** A count for messages: an integer below 10^10, else 3 significant digits with an exponent. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e10) {
            return Long.toString((long) v);
        }
        if (Double.isInfinite(v) || v >= Double.MAX_VALUE) {
            return "more than 1e308";
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
