package io.scasml.kernels.surrogate;

import io.scasml.kernels.random.StreamKeys;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented probe contract of {@link Probes}. */
class ProbesTest {

    @Test
    void rademacherFollowsTheDocumentedBitRule() {
        int d = 150;
        long key = StreamKeys.pointKey(5, 9);
        double[] v = new double[d + 3];
        Probes.fill(key, 2, ProbeKind.RADEMACHER, d, v, 3);
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.child(key, 2));
        long bits = 0;
        for (int i = 0; i < d; i++) {
            if (i % 64 == 0) {
                bits = rng.nextLong();
            }
            assertEquals(((bits >>> (i % 64)) & 1) == 0 ? 1.0 : -1.0, v[3 + i], "coordinate " + i);
        }
        assertEquals(0.0, v[0]);
    }

    @Test
    void probesArePureFunctionsOfKeyAndIndex() {
        for (ProbeKind kind : ProbeKind.values()) {
            double[] a = new double[40];
            double[] b = new double[40];
            Probes.fill(77, 3, kind, 40, a, 0);
            Probes.fill(77, 3, kind, 40, b, 0);
            assertArrayEquals(a, b, 0.0);
            Probes.fill(77, 4, kind, 40, b, 0);
            assertTrue(!java.util.Arrays.equals(a, b));
            // a shorter probe is a prefix of a longer one
            double[] c = new double[10];
            Probes.fill(77, 3, kind, 10, c, 0);
            assertArrayEquals(java.util.Arrays.copyOf(a, 10), c, 0.0);
        }
    }

    /** E[v_i v_j] = δ_ij: sample second moments of 20 000 probes within 5 standard errors (false failure ≈ 6e-7 each, ≈ 3e-5 for all 45 random entries). */
    @Test
    void secondMomentsAreTheIdentity() {
        int d = 5;
        int n = 20000;
        for (ProbeKind kind : ProbeKind.values()) {
            double[][] m = new double[d][d];
            double[] v = new double[d];
            for (int s = 0; s < n; s++) {
                Probes.fill(StreamKeys.pointKey(1, s), 0, kind, d, v, 0);
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        m[i][j] += v[i] * v[j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double mean = m[i][j] / n;
                    // Var(v_i v_j) = 1 off the diagonal; on it 0 (Rademacher) or 2 (Gaussian)
                    double sd = i != j ? 1.0 : kind == ProbeKind.GAUSSIAN ? Math.sqrt(2.0) : 0.0;
                    double tol = 5 * sd / Math.sqrt(n) + 1e-12;
                    assertEquals(i == j ? 1.0 : 0.0, mean, tol, kind + " E[v" + i + " v" + j + "]");
                }
            }
        }
    }
}
