package io.scasml.reports;

import java.util.Map;

/**
 * The reference implementation's published figures (ALGORITHM.md §7: committed SimpleUniform.log of the authors'
 * repositories, 1200 test points, n = 2, M = 10, their GPU): rel L2 / L∞ / L1 / seconds for the surrogate (SR),
 * MLP and SCaSML. Their MLP suffers from the defects D1–D6 and their SCaSML from per-level clipping (D6).
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
}
