package io.scasml.surrogate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interoperability: the shared fixtures (../shared/fixtures, written by an independent NumPy exporter) reproduce their
 * golden.json. Skipped, with the reason on stderr, where that directory is absent (see {@link SharedFixtures}); the
 * project's own fixtures are tested by GoldenSurrogateTest, ExampleSurrogatesTest and DerivativesTest.
 */
class FixturesTest {

    static void assertClose(String what, double expected, double actual, double rel) {
        double tol = rel * Math.max(1.0, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tol,
                () -> what + ": expected " + expected + ", got " + actual + " (diff " + (actual - expected) + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vb20", "vb20_inout_tx", "lcd10", "lcd10_pinn", "dr100"})
    void reproducesGolden(String name) throws Exception {
        File dir = SharedFixtures.fixture(name);
        JsonNode g = new ObjectMapper().readTree(new File(dir, "golden.json"));
        SurrogateModel model = SurrogateLoader.load(dir.getAbsolutePath());
        int d = model.dim();
        int n = g.get("n").asInt();
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = g.get("t").get(i).asDouble();
            for (int k = 0; k < d; k++) {
                x[i * d + k] = g.get("x").get(i).get(k).asDouble();
            }
        }
        JsonNode eq = g.get("equation");
        assertEquals(d, eq.get("dim").asInt());
        Pde pde = TestModels.pde(eq.get("equation").asText(), d, eq.get("T").asDouble(), eq.get("sigma").asDouble(),
                eq.get("mu").asDouble());
        for (Precision p : Precision.values()) {
            double rel = p == Precision.FP64 ? 1e-10 : 2e-4;
            Surrogate s = model.evaluator(p);
            double[] u = new double[n];
            double[] dt = new double[n];
            double[] grad = new double[n * d];
            double[] lap = new double[n];
            s.residualTerms(n, t, x, u, dt, grad, lap);
            double[] u2 = new double[n];
            s.value(n, t, x, u2);
            double[] u3 = new double[n];
            double[] g3 = new double[n * d];
            s.valueAndGradient(n, t, x, u3, g3);
            double[] eps = SurrogateResiduals.residual(pde, s, n, t, x);
            for (int i = 0; i < n; i++) {
                String at = name + " " + p + " point " + i;
                assertClose(at + " value", g.get("value").get(i).asDouble(), u[i], rel);
                assertClose(at + " value (value pass)", g.get("value").get(i).asDouble(), u2[i], rel);
                assertClose(at + " value (gradient pass)", g.get("value").get(i).asDouble(), u3[i], rel);
                assertClose(at + " u_t", g.get("u_t").get(i).asDouble(), dt[i], rel);
                assertClose(at + " laplacian", g.get("laplacian_x").get(i).asDouble(), lap[i], rel);
                assertClose(at + " residual", g.get("pde_residual").get(i).asDouble(), eps[i], rel);
                for (int k = 0; k < d; k++) {
                    double e = g.get("grad_x").get(i).get(k).asDouble();
                    assertClose(at + " grad[" + k + "]", e, grad[i * d + k], rel);
                    assertClose(at + " grad[" + k + "] (gradient pass)", e, g3[i * d + k], rel);
                }
            }
        }
    }
}
