package io.scasml.surrogate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one Activation: names, refusals, and the training path (σ..σ‴) against the evaluator path and differences. */
class ActivationTest {

    @Test
    void namesAndAliasesAreTheSameForFilesAndOptions() throws Exception {
        for (Activation a : Activation.values()) {
            assertSame(a, Activation.parse(a.id()));
            assertSame(a, Activation.parse("f.json", a.id().toUpperCase(java.util.Locale.ROOT)));
        }
        assertSame(Activation.SILU, Activation.parse("swish"));
        assertSame(Activation.SILU, Activation.parse("f.json", "swish"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("relu"));
        assertTrue(e.getMessage().startsWith("activation: activation 'relu' is refused")
                && e.getMessage().contains("not twice differentiable"), e.getMessage());
        SurrogateFormatException f = assertThrows(SurrogateFormatException.class,
                () -> Activation.parse("f.json", "gelu"));
        assertEquals("f.json: unknown activation 'gelu' (expected " + Activation.ACCEPTED + ")", f.getMessage());
    }

    @Test
    void trainingDerivativesAgreeWithTheEvaluatorAndWithDifferences() {
        double[] zs = {-40, -7.5, -1.3, -0.02, 0, 0.01, 0.7, 3.1, 12, 35};
        double[] out = new double[4];
        double[] hi = new double[4];
        double[] lo = new double[4];
        for (Activation a : Activation.values()) {
            double[] a1 = new double[zs.length];
            double[] s1 = new double[zs.length];
            double[] s2 = new double[zs.length];
            a.eval(zs, a1, s1, s2, zs.length);
            for (int i = 0; i < zs.length; i++) {
                double z = zs[i];
                a.eval(z, out);
                String at = a.id() + " at " + z;
                assertEquals(a1[i], out[0], 1e-13 * Math.max(1, Math.abs(out[0])), at + " σ");
                assertEquals(s1[i], out[1], 1e-13, at + " σ'");
                assertEquals(s2[i], out[2], 1e-13, at + " σ''");
                double h = 1e-5;
                a.eval(z + h, hi);
                a.eval(z - h, lo);
                for (int k = 0; k < 3; k++) {
                    double fd = (hi[k] - lo[k]) / (2 * h);
                    assertEquals(fd, out[k + 1], 1e-7 * Math.max(1, Math.abs(fd)), at + " derivative " + (k + 1));
                }
            }
        }
    }
}
