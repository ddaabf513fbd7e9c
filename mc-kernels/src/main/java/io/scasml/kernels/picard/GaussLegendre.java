package io.scasml.kernels.picard;

/**
 * Gauss–Legendre quadrature on [0, 1]: nodes in ascending order and positive weights summing to 1.
 *
 * <p>Nodes are the roots of the Legendre polynomial P_q, found by Newton's method on the three-term recurrence
 * {@code (k+1) P_{k+1}(y) = (2k+1) y P_k(y) − k P_{k−1}(y)} from the Chebyshev-like initial guesses
 * cos(π(i − 1/4)/(q + 1/2)); weights {@code 2 / ((1 − y²) P_q'(y)²)} mapped from [−1, 1]. Exact for polynomials of
 * degree ≤ 2q − 1. (The reference's {@code lgwt} is broken, docs/algorithm.md §21; this is the textbook rule.)
 */
public final class GaussLegendre {
    private final double[] nodes;
    private final double[] weights;

    private GaussLegendre(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /**
     * The q-point rule on [0, 1].
     *
     * @throws IllegalArgumentException if q &lt; 1 or q &gt; 200
     */
    public static GaussLegendre of(int q) {
        if (q < 1 || q > 200) {
            throw new IllegalArgumentException("Gauss-Legendre: q = " + q + " must be in [1, 200]");
        }
        double[] nodes = new double[q];
        double[] weights = new double[q];
        for (int i = 0; i < q; i++) {
            double r = Math.cos(Math.PI * (i + 0.75) / (q + 0.5));
            double dp = 1;
            for (int it = 0; it < 100; it++) {
                double[] p = legendre(q, r);
                dp = q * (r * p[0] - p[1]) / (r * r - 1);
                double dr = p[0] / dp;
                r -= dr;
                if (Math.abs(dr) <= 1e-16) {
                    break;
                }
            }
            double[] p = legendre(q, r);
            dp = q * (r * p[0] - p[1]) / (r * r - 1);
            // r decreases with i: store ascending on [0, 1]
            nodes[q - 1 - i] = (1 + r) / 2;
            weights[q - 1 - i] = 1 / ((1 - r * r) * dp * dp);
        }
        return new GaussLegendre(nodes, weights);
    }

    /** {P_q(r), P_{q−1}(r)} by the three-term recurrence. */
    private static double[] legendre(int q, double r) {
        double pPrev = 1;
        double p = r;
        for (int k = 1; k < q; k++) {
            double next = ((2 * k + 1) * r * p - k * pPrev) / (k + 1);
            pPrev = p;
            p = next;
        }
        return new double[] {p, pPrev};
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** Node i in (0, 1), ascending. */
    public double node(int i) {
        return nodes[i];
    }

    /** Weight i (positive; the weights sum to 1). */
    public double weight(int i) {
        return weights[i];
    }

    /** Copies of the nodes. */
    public double[] nodes() {
        return nodes.clone();
    }

    /** Copies of the weights. */
    public double[] weights() {
        return weights.clone();
    }
}
