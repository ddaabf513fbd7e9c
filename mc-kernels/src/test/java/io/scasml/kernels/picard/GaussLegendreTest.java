package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GaussLegendreTest {

    /** Tabulated Gauss–Legendre rules on [−1, 1] (Abramowitz–Stegun Table 25.4), mapped to [0, 1]. */
    @Test
    void matchesTabulatedNodesAndWeights() {
        GaussLegendre g2 = GaussLegendre.of(2);
        double a = 0.577350269189625764509;
        assertArrayEquals(new double[] {(1 - a) / 2, (1 + a) / 2}, g2.nodes(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5}, g2.weights(), 1e-15);

        GaussLegendre g3 = GaussLegendre.of(3);
        double b = 0.774596669241483377036;
        assertArrayEquals(new double[] {(1 - b) / 2, 0.5, (1 + b) / 2}, g3.nodes(), 1e-15);
        assertArrayEquals(new double[] {5.0 / 18, 8.0 / 18, 5.0 / 18}, g3.weights(), 1e-15);

        GaussLegendre g5 = GaussLegendre.of(5);
        double[] y = {-0.906179845938663992798, -0.538469310105683091036, 0, 0.538469310105683091036,
            0.906179845938663992798};
        double[] w = {0.236926885056189087514, 0.478628670499366468041, 0.568888888888888888889,
            0.478628670499366468041, 0.236926885056189087514};
        for (int i = 0; i < 5; i++) {
            assertEquals((1 + y[i]) / 2, g5.node(i), 1e-15);
            assertEquals(w[i] / 2, g5.weight(i), 1e-15);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 13, 40})
    void weightsSumToIntervalLengthAndRuleIsExactToDegree2qMinus1(int q) {
        GaussLegendre g = GaussLegendre.of(q);
        double tau = 0.37; // local rule on (t, T) with T − t = 0.37: weights sum to T − t (the reference's lgwt gives 0.26/0.5)
        double sum = 0;
        for (int i = 0; i < q; i++) {
            sum += g.weight(i) * tau;
            assertTrue(g.node(i) > 0 && g.node(i) < 1, "node inside (0,1)");
            if (i > 0) {
                assertTrue(g.node(i) > g.node(i - 1), "ascending");
            }
        }
        assertEquals(tau, sum, 1e-14);
        for (int deg = 0; deg <= 2 * q - 1; deg++) {
            double integral = 0;
            for (int i = 0; i < q; i++) {
                integral += g.weight(i) * Math.pow(g.node(i), deg);
            }
            assertEquals(1.0 / (deg + 1), integral, 1e-13, "degree " + deg);
        }
    }

    @Test
    void refusesBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> GaussLegendre.of(0));
    }

    /** docs/algorithm.md §5 lists (Q, Mf, Mg) per k for ρ = 2, 3, 4. */
    @Test
    void quadratureTablesMatchTheReferenceParameters() {
        int[][][] expected = {
            {{3, 1, 1}, {3, 2, 2}},
            {{3, 2, 1}, {3, 3, 3}, {4, 5, 9}},
            {{3, 2, 1}, {4, 4, 4}, {4, 8, 16}, {5, 16, 64}},
        };
        for (int rho = 2; rho <= 4; rho++) {
            for (int k = 1; k <= rho; k++) {
                int[] e = expected[rho - 2][k - 1];
                assertEquals(e[0], QuadratureTables.nodes(rho, k), "Q[" + rho + "," + k + "]");
                assertEquals(e[1], QuadratureTables.paths(rho, k), "Mf[" + rho + "," + k + "]");
                assertEquals(e[2], QuadratureTables.terminalSamples(rho, k), "Mg[" + rho + "," + k + "]");
            }
            assertEquals((int) Math.pow(rho, rho), QuadratureTables.terminalSamples(rho, rho + 1));
        }
        assertEquals(2, QuadratureTables.nodes(1, 1));
    }

    @Test
    void lambertW() {
        for (double v : new double[] {-0.3678, -0.2, -0.01, 0, 0.5, 1, 3, 100}) {
            double w = QuadratureTables.lambertW0(v);
            assertEquals(v, w * Math.exp(w), 1e-12 * Math.max(1, Math.abs(v)));
        }
    }
}
