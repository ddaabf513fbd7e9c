package io.scasml.pde;

import picocli.CommandLine.Option;

/**
 * The command-line options that override {@link SpecLimits} (a picocli mixin: {@code @Mixin SpecLimitOptions limits;}
 * then {@link #limits()}). Every option is optional; an absent one keeps the default of {@link SpecLimits#DEFAULTS}.
 * Used by {@code check-pde} and {@code pdes}; {@code solve} exposes the same options.
 */
public final class SpecLimitOptions {

    @Option(names = SpecLimits.OPT_SPEC_BYTES, paramLabel = "BYTES",
        description = "Largest spec file (default 1048576).")
    Long maxSpecBytes;

    @Option(names = SpecLimits.OPT_EXPR_CHARS, paramLabel = "N",
        description = "Longest expression in a spec, in characters (default 65536).")
    Integer maxExpressionChars;

    @Option(names = SpecLimits.OPT_EXPR_TERMS, paramLabel = "N",
        description = "Most terms of one spec expression as written (default 20000).")
    Integer maxExpressionTerms;

    @Option(names = SpecLimits.OPT_EXPR_NESTING, paramLabel = "N",
        description = "Deepest nesting of parentheses and calls in a spec expression (default 200, at most 1000).")
    Integer maxNesting;

    @Option(names = SpecLimits.OPT_EXPR_HEIGHT, paramLabel = "N",
        description = "Most operations deep of a spec expression as written; 4x after inlining (default 256, at most 2000).")
    Integer maxHeight;

    @Option(names = SpecLimits.OPT_INLINED_NODES, paramLabel = "N",
        description = "Most nodes of generator, terminal and exact solution after inlining definitions (default 100000).")
    Long maxInlinedNodes;

    @Option(names = SpecLimits.OPT_POINT_COST, paramLabel = "OPS",
        description = "Most operations of one evaluation of F, g or the exact solution at one point (default 1e8).")
    Double maxPointCost;

    @Option(names = SpecLimits.OPT_EXACT_COST, paramLabel = "OPS",
        description = "Most operations of one Cole-Hopf exact-solution evaluation (default 1e11).")
    Double maxExactCost;

    @Option(names = SpecLimits.OPT_READ_COST, paramLabel = "OPS",
        description = "Most operations evaluated while a spec is read (default 1e8).")
    Double maxReadCost;

    @Option(names = SpecLimits.OPT_CONSTANT_DOUBLES, paramLabel = "N",
        description = "Most numbers in a spec's vectors in total: constants, mu, reference points (default 8388608).")
    Long maxConstantDoubles;

    @Option(names = SpecLimits.OPT_METHOD_BYTES, paramLabel = "BYTES",
        description = "Largest estimated bytecode of one generated method (default 40000, at most 60000).")
    Integer maxMethodBytes;

    @Option(names = SpecLimits.OPT_CLASS_BYTES, paramLabel = "BYTES",
        description = "Largest estimated bytecode of a spec's generated class (default 524288).")
    Long maxClassBytes;

    @Option(names = SpecLimits.OPT_METHOD_LITERALS, paramLabel = "N",
        description = "Most numbers written into one generated method (default 1000; compile time grows with their square).")
    Integer maxMethodLiterals;

    @Option(names = SpecLimits.OPT_CLASS_LITERALS, paramLabel = "N",
        description = "Most numbers written into a spec's generated class (default 8000).")
    Integer maxClassLiterals;

    @Option(names = SpecLimits.OPT_DIM, paramLabel = "D", description = "Largest dimension d (default 1048576).")
    Integer maxDim;

    public SpecLimitOptions() {
    }

    /**
     * The limits: {@link SpecLimits#DEFAULTS} with the options given.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public SpecLimits limits() {
        SpecLimits.Builder b = SpecLimits.builder();
        if (maxSpecBytes != null) {
            b.maxSpecBytes(maxSpecBytes);
        }
        if (maxExpressionChars != null) {
            b.maxExpressionChars(maxExpressionChars);
        }
        if (maxExpressionTerms != null) {
            b.maxExpressionTerms(maxExpressionTerms);
        }
        if (maxNesting != null) {
            b.maxNesting(maxNesting);
        }
        if (maxHeight != null) {
            b.maxHeight(maxHeight);
        }
        if (maxInlinedNodes != null) {
            b.maxInlinedNodes(maxInlinedNodes);
        }
        if (maxPointCost != null) {
            b.maxPointCost(maxPointCost);
        }
        if (maxExactCost != null) {
            b.maxExactCost(maxExactCost);
        }
        if (maxReadCost != null) {
            b.maxReadCost(maxReadCost);
        }
        if (maxConstantDoubles != null) {
            b.maxConstantDoubles(maxConstantDoubles);
        }
        if (maxMethodBytes != null) {
            b.maxMethodBytes(maxMethodBytes);
        }
        if (maxClassBytes != null) {
            b.maxClassBytes(maxClassBytes);
        }
        if (maxMethodLiterals != null) {
            b.maxMethodLiterals(maxMethodLiterals);
        }
        if (maxClassLiterals != null) {
            b.maxClassLiterals(maxClassLiterals);
        }
        if (maxDim != null) {
            b.maxDim(maxDim);
        }
        return b.build();
    }
}
