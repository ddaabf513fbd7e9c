package io.scasml.surrogate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * scripts/export_surrogate.py (NumPy path) writes a surrogate that this loader reads, and whose values and
 * derivatives match the script's own NumPy reference evaluation. Skipped when python3 or NumPy is missing.
 */
class ExportScriptTest {

    private static String run(Path cwd, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(cmd + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void numpyExportRoundTrips(@TempDir Path tmp) throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").start();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "python3 with NumPy is not available");
        File script = new File(System.getProperty("scasml.repo.dir", ".."), "scripts/export_surrogate.py");
        Assumptions.assumeTrue(script.isFile(), "scripts/export_surrogate.py not found at " + script);

        int d = 3;
        int[] w = TestModels.widths(d, 10, 7);
        double[][] ws = TestModels.randomWeights(w, 17);
        double[][] bs = TestModels.randomBiases(w, 17);
        Map<String, byte[]> raw = new LinkedHashMap<>();
        for (int l = 0; l < ws.length; l++) {
            // PyTorch layout (out, in)
            int in = w[l];
            int out = w[l + 1];
            double[] oi = new double[in * out];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    oi[j * in + i] = ws[l][i * out + j];
                }
            }
            raw.put("W" + l, TestNpz.npyF8(oi, out, in));
            raw.put("b" + l, TestNpz.npyF8(bs[l], out));
        }
        Files.write(tmp.resolve("raw.npz"), TestNpz.zip(raw, false));
        int n = 5;
        double[] t = TestModels.uniform(n, 0, 0.5, 1);
        double[] x = TestModels.uniform(n * d, -0.5, 0.5, 2);
        double[] pts = new double[n * (d + 1)];
        for (int i = 0; i < n; i++) {
            pts[i * (d + 1)] = t[i];
            System.arraycopy(x, i * d, pts, i * (d + 1) + 1, d);
        }
        Files.write(tmp.resolve("pts.npy"), TestNpz.npyF8(pts, n, d + 1));
        run(tmp, List.of("python3", script.getAbsolutePath(), "numpy", "--arrays", "raw.npz", "--dim", "3",
                "--activation", "softplus", "--input-order", "t,x", "--output-shift", "0.5", "--output-scale", "2",
                "--compress", "--out", "sur"));
        JsonNode ref = new ObjectMapper().readTree(run(tmp, List.of("python3", script.getAbsolutePath(), "eval", "sur",
                "--points", "pts.npy")));
        SurrogateModel m = SurrogateLoader.load(tmp.resolve("sur").toString());
        DerivativesTest.Terms r = DerivativesTest.Terms.of(m.evaluator(), n, t, x);
        for (int i = 0; i < n; i++) {
            FixturesTest.assertClose("value", ref.get("value").get(i).asDouble(), r.u()[i], 1e-12);
            FixturesTest.assertClose("dt", ref.get("dt").get(i).asDouble(), r.dt()[i], 1e-12);
            FixturesTest.assertClose("laplacian", ref.get("laplacian").get(i).asDouble(), r.lap()[i], 1e-12);
            for (int k = 0; k < d; k++) {
                FixturesTest.assertClose("grad", ref.get("grad").get(i).get(k).asDouble(), r.grad()[i * d + k], 1e-12);
            }
        }
    }
}
