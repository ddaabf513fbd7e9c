package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's own surrogates (examples/surrogates, written by the project's trainer) load under the default
 * limits, and their three evaluation passes agree with each other in FP64 and with FP32 to 2e-4 — the project-owned
 * counterpart of the shared-fixture interoperability test.
 */
class ExampleSurrogatesTest {

    @ParameterizedTest
    @ValueSource(strings = {"vb20", "lcd10", "dr100", "lqg100"})
    void loadsAndEvaluatesConsistently(String name) throws Exception {
        File dir = CommandsTest.example(name);
        assertTrue(new File(dir, "surrogate.json").isFile(), "repository example " + dir);
        SurrogateModel m = SurrogateLoader.load(dir.getPath());
        int d = m.dim();
        int n = 16;
        double[] t = TestModels.uniform(n, 0, 0.5, 7);
        double[] x = TestModels.uniform(n * d, -0.5, 0.5, 8);
        Surrogate s64 = m.evaluator(Precision.FP64);
        DerivativesTest.Terms r = DerivativesTest.Terms.of(s64, n, t, x);
        double[] u = new double[n];
        s64.value(n, t, x, u);
        double[] ug = new double[n];
        double[] g = new double[n * d];
        s64.valueAndGradient(n, t, x, ug, g);
        Surrogate s32 = m.evaluator(Precision.FP32);
        DerivativesTest.Terms r32 = DerivativesTest.Terms.of(s32, n, t, x);
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(r.u()[i]));
        }
        for (int i = 0; i < n; i++) {
            assertTrue(Double.isFinite(r.u()[i]) && Double.isFinite(r.dt()[i]) && Double.isFinite(r.lap()[i]));
            FixturesTest.assertClose(name + " value pass " + i, r.u()[i], u[i], 1e-12);
            FixturesTest.assertClose(name + " gradient pass value " + i, r.u()[i], ug[i], 1e-12);
            assertEquals(r.u()[i], r32.u()[i], 2e-4 * Math.max(1, scale), name + " FP32 value " + i);
            for (int k = 0; k < d; k++) {
                FixturesTest.assertClose(name + " grad " + i + "," + k, r.grad()[i * d + k], g[i * d + k], 1e-10);
            }
        }
    }
}
