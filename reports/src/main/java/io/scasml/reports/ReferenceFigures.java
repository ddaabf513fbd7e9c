package io.scasml.reports;

import java.util.Map;

/**
 * The reference implementation's published figures, rel L2 / L∞ / L1 / seconds for the surrogate (SR), MLP and
 * SCaSML: {@link #FIGURES}, SINGLE RUNS (docs/algorithm.md §18: committed SimpleUniform.log of the authors' repositories,
 * 1200 test points, n = 2, M = 10, their GPU); {@link #MEAN10}, the MEANS OVER 10 REPEATED RUNS of the published
 * 20-row table (issue 14; only rel L2 is published, the other fields are NaN); {@link #BUDGET}, the compute-budget
 * study. Their MLP suffers from the defects D1–D6 and their SCaSML from per-level clipping (D6).
 */
public final class ReferenceFigures {
    private ReferenceFigures() {
    }

    /** One method's reference row: rel L2, L∞, L1, seconds. */
    public record Row(double relL2, double linf, double l1, double seconds) {
    }

    /** SR, MLP, SCaSML rows of one case. */
    public record Case(Row surrogate, Row mlp, Row scasml) {
        /** SCaSML's relative L2 over the surrogate's: the margin to match or beat. */
        public double ratio() {
            return scasml.relL2 / surrogate.relL2;
        }
    }

    /** Key: case name + "/" + scheme label. */
    public static final Map<String, Case> FIGURES = Map.of(
        "vb20/full-history", new Case(new Row(0.01176, 0.0321, 0.00539, 2.4), new Row(0.0836, 0.296, 0.0339, 12.0),
            new Row(0.00402, 0.0221, 0.00130, 27.3)),
        "vb20/quadrature", new Case(new Row(0.0121, 0.0353, 0.00562, 2.6), new Row(0.160, 0.456, 0.0673, 33.9),
            new Row(0.00598, 0.0253, 0.00247, 82.9)),
        "lcd10/full-history", new Case(new Row(0.0485, 0.241, 0.0319, 2.3), new Row(0.227, 0.906, 0.167, 12.0),
            new Row(0.0272, 0.164, 0.0177, 28.2)),
        "lqg100/full-history", new Case(new Row(0.0799, 0.783, 0.141, 3.9), new Row(5.626, 12.58, 12.11, 13.7),
            new Row(0.0554, 0.683, 0.0876, 47.0)),
        "dr100/full-history", new Case(new Row(0.00988, 0.0733, 0.0118, 3.4), new Row(0.0899, 0.637, 0.0974, 13.2),
            new Row(0.00926, 0.0633, 0.0117, 102)));

    private static Case mean10(double sr, double mlp, double scasml) {
        double n = Double.NaN;
        return new Case(new Row(sr, n, n, n), new Row(mlp, n, n, n), new Row(scasml, n, n, n));
    }

    /**
     * The 10-run means of the published 20-row table (rel L2 only; L∞, L1 and seconds NaN: not published), keyed by
     * table row: {@code vb20} (VB, PINN surrogate), {@code vb-gp20} (VB, Gaussian-process surrogate), {@code lcd10},
     * {@code lqg100}, {@code dr100}, ...
     */
    public static final Map<String, Case> MEAN10 = Map.ofEntries(
        Map.entry("vb20", mean10(0.0125, 0.0834, 0.00437)),
        Map.entry("vb40", mean10(0.0451, 0.106, 0.0338)),
        Map.entry("vb60", mean10(0.0462, 0.117, 0.0353)),
        Map.entry("vb80", mean10(0.0659, 0.122, 0.0551)),
        Map.entry("vb-gp20", mean10(0.146, 0.184, 0.0616)),
        Map.entry("vb-gp40", mean10(0.184, 0.227, 0.0891)),
        Map.entry("vb-gp60", mean10(0.234, 0.252, 0.123)),
        Map.entry("vb-gp80", mean10(0.267, 0.275, 0.153)),
        Map.entry("lcd10", mean10(0.0485, 0.230, 0.0277)),
        Map.entry("lcd20", mean10(0.0860, 0.241, 0.0507)),
        Map.entry("lcd30", mean10(0.157, 0.242, 0.0969)),
        Map.entry("lcd60", mean10(0.285, 0.246, 0.125)),
        Map.entry("lqg100", mean10(0.0905, 5.69, 0.0727)),
        Map.entry("lqg120", mean10(0.0913, 5.50, 0.0642)),
        Map.entry("lqg140", mean10(0.103, 5.36, 0.0852)),
        Map.entry("lqg160", mean10(0.110, 5.26, 0.0848)),
        Map.entry("dr100", mean10(0.00983, 0.0862, 0.00919)),
        Map.entry("dr120", mean10(0.0110, 0.0901, 0.0100)),
        Map.entry("dr140", mean10(0.0323, 0.0896, 0.0300)),
        Map.entry("dr160", mean10(0.0359, 0.0874, 0.0337)));

    /**
     * The published compute-budget study (rel L2 at 1×, 2×, 4× budget): the PINN widened and deepened, and SCaSML
     * with that much more simulation. Key: table row; only VB d = 20 is published.
     *
     * @param budgets  the budget factors
     * @param pinn     the larger PINNs' rel L2
     * @param scasml   SCaSML's rel L2
     */
    public record Budget(int[] budgets, double[] pinn, double[] scasml) {
    }

    /** The budget study's figures by row key. */
    public static final Map<String, Budget> BUDGET = Map.of(
        "vb20", new Budget(new int[] {1, 2, 4}, new double[] {6.5e-3, 5.3e-3, 4.4e-3},
            new double[] {1.6e-3, 9.3e-4, 7.9e-4}));
}
