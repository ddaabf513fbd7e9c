package io.scasml.surrogate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checked-in golden surrogate (src/test/resources/golden/silu_tx_inout: silu, in_out, t,x, input and output maps,
 * deflated) reproduces its expected outputs. Regenerate with make_golden_surrogate.py next to this test.
 */
class GoldenSurrogateTest {

    @Test
    void reproducesExpectedOutputs() throws Exception {
        File dir = new File(GoldenSurrogateTest.class.getResource("/golden/silu_tx_inout/surrogate.json").toURI())
                .getParentFile();
        JsonNode e = new ObjectMapper().readTree(new File(dir, "expected.json"));
        SurrogateModel m = SurrogateLoader.load(dir.toURI().toString());
        assertEquals("mlp", m.type());
        int d = m.dim();
        int n = e.get("t").size();
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = e.get("t").get(i).asDouble();
            for (int k = 0; k < d; k++) {
                x[i * d + k] = e.get("x").get(i).get(k).asDouble();
            }
        }
        Surrogate s = m.evaluator();
        DerivativesTest.Terms r = DerivativesTest.Terms.of(s, n, t, x);
        for (int i = 0; i < n; i++) {
            FixturesTest.assertClose("value " + i, e.get("value").get(i).asDouble(), r.u()[i], 1e-12);
            FixturesTest.assertClose("dt " + i, e.get("dt").get(i).asDouble(), r.dt()[i], 1e-12);
            FixturesTest.assertClose("laplacian " + i, e.get("laplacian").get(i).asDouble(), r.lap()[i], 1e-12);
            for (int k = 0; k < d; k++) {
                FixturesTest.assertClose("grad " + i + "," + k, e.get("grad").get(i).get(k).asDouble(),
                        r.grad()[i * d + k], 1e-12);
            }
        }
    }
}
