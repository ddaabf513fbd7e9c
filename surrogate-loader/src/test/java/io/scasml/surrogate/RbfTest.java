package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gaussian-kernel / GP-collocation surrogate: closed forms against finite differences, loader, direct sums. */
class RbfTest {

    static RbfModel random(int d, long seed, boolean allBlocks) {
        int nb = RbfModel.Block.values().length;
        double[][] c = new double[nb][];
        double[][] a = new double[nb][];
        for (RbfModel.Block b : RbfModel.Block.values()) {
            if (!allBlocks && b != RbfModel.Block.VALUE) {
                continue;
            }
            int n = 7 + b.ordinal();
            c[b.ordinal()] = TestModels.uniform(n * (d + 1), -0.6, 0.6, seed + 10L * b.ordinal());
            a[b.ordinal()] = TestModels.uniform(n, -1, 1, seed + 10L * b.ordinal() + 1);
        }
        return RbfModel.of(d, 0.8, c, a, 0.2, 1.3, "x,t", "random");
    }

    @Test
    void closedFormsMatchFiniteDifferences() {
        for (int d : new int[]{1, 4}) {
            RbfModel m = random(d, 42 + d, true);
            DerivativesTest.checkAgainstFiniteDifferences(m.evaluator(), 11, d);
        }
    }

    @Test
    void valueBlockIsTheGaussianSum() {
        RbfModel m = random(2, 5, false);
        double[] t = {0.3};
        double[] x = {0.1, -0.2};
        double[] c = m.centersRef(RbfModel.Block.VALUE);
        double[] al = m.alphaRef(RbfModel.Block.VALUE);
        double s = 0;
        for (int j = 0; j < al.length; j++) {
            double q = Math.pow(x[0] - c[3 * j], 2) + Math.pow(x[1] - c[3 * j + 1], 2) + Math.pow(t[0] - c[3 * j + 2], 2);
            s += al[j] * Math.exp(-q / (2 * 0.8 * 0.8));
        }
        double[] u = new double[1];
        m.evaluator().value(1, t, x, u);
        assertEquals(0.2 + 1.3 * s, u[0], 1e-14);
    }

    @Test
    void loadsFromFormatV1WithTimeFirst(@TempDir Path dir) throws Exception {
        int d = 3;
        RbfModel ref = random(d, 9, true);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        StringBuilder blocks = new StringBuilder();
        for (RbfModel.Block b : RbfModel.Block.values()) {
            double[] c = ref.centersRef(b);
            int n = ref.count(b);
            double[] tx = new double[c.length];
            for (int i = 0; i < n; i++) {
                tx[i * (d + 1)] = c[i * (d + 1) + d];
                System.arraycopy(c, i * (d + 1), tx, i * (d + 1) + 1, d);
            }
            arrays.put(b.id() + ".centers", TestNpz.npyF8(tx, n, d + 1));
            arrays.put(b.id() + ".alpha", TestNpz.npyF8(ref.alphaRef(b), n));
            blocks.append(blocks.length() == 0 ? "" : ", ").append('"').append(b.id()).append('"');
        }
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, true));
        Files.writeString(dir.resolve("surrogate.json"), "{\"format\": \"scasml-surrogate\", \"version\": 1, "
                + "\"type\": \"rbf-kernel\", \"dim\": 3, \"input_order\": \"t,x\", \"kernel\": \"gaussian\", "
                + "\"lengthscale\": 0.8, \"blocks\": [" + blocks + "], \"output\": {\"shift\": 0.2, \"scale\": 1.3}, "
                + "\"meta\": {\"anything\": 1}}");
        SurrogateModel m = SurrogateLoader.load(dir.toUri().toString());
        assertEquals(ref.checksum(), m.checksum());
        Surrogate s = m.evaluator();
        double[] t = {0.1, 0.4};
        double[] x = {0.1, 0.2, 0.3, -0.3, 0.0, 0.2};
        DerivativesTest.Terms a = DerivativesTest.Terms.of(s, 2, t, x);
        DerivativesTest.Terms b = DerivativesTest.Terms.of(ref.evaluator(), 2, t, x);
        assertArrayEquals(b.u(), a.u(), 0.0);
        assertArrayEquals(b.lap(), a.lap(), 0.0);
        Files.writeString(dir.resolve("surrogate.json"), Files.readString(dir.resolve("surrogate.json"))
                .replace("\"dt\"", "\"curl\""));
        SurrogateFormatException e = assertThrows(SurrogateFormatException.class,
                () -> SurrogateLoader.load(dir.toString()));
        assertTrue(e.getMessage().contains("unknown block 'curl'"), e.getMessage());
    }
}
