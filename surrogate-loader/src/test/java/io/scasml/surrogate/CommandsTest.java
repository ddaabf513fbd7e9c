package io.scasml.surrogate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InspectCommand and BenchKernelCommand through picocli. */
class CommandsTest {

    private static String[] exec(Object cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[]{String.valueOf(rc), out.toString(), err.toString()};
    }

    /** The checked-in golden surrogate (project-owned; see GoldenSurrogateTest). */
    static File golden() throws Exception {
        return new File(CommandsTest.class.getResource("/golden/silu_tx_inout/surrogate.json").toURI()).getParentFile();
    }

    /** A surrogate directory of the repository's examples/surrogates (written by the project's trainer). */
    static File example(String name) {
        return new File(System.getProperty("scasml.repo.dir", ".."), "examples/surrogates/" + name);
    }

    @Test
    void inspectJsonAtAPoint() throws Exception {
        File dir = golden();
        JsonNode g = new ObjectMapper().readTree(new File(dir, "expected.json"));
        StringBuilder at = new StringBuilder(g.get("t").get(0).asText());
        for (JsonNode v : g.get("x").get(0)) {
            at.append(',').append(v.asText());
        }
        String[] r = exec(new InspectCommand(), dir.getPath(), "--at", at.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode o = new ObjectMapper().readTree(r[1]);
        assertEquals("mlp", o.get("type").asText());
        assertEquals(4, o.get("dim").asInt());
        assertEquals("silu", o.get("activation").asText());
        assertEquals(64, o.get("checksum").asText().length());
        FixturesTest.assertClose("value", g.get("value").get(0).asDouble(), o.get("value").asDouble(), 1e-12);
        FixturesTest.assertClose("dt", g.get("dt").get(0).asDouble(), o.get("dt").asDouble(), 1e-12);
        FixturesTest.assertClose("lap", g.get("laplacian").get(0).asDouble(), o.get("laplacian").asDouble(), 1e-12);
        assertEquals(4, o.get("grad").size());
        for (int k = 0; k < 4; k++) {
            FixturesTest.assertClose("grad", g.get("grad").get(0).get(k).asDouble(), o.get("grad").get(k).asDouble(),
                    1e-12);
        }
    }

    @Test
    void inspectTextAndErrors(@TempDir Path empty) {
        File dir = example("vb20");
        String[] r = exec(new InspectCommand(), dir.getPath());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("type: mlp") && r[1].contains("linears.0") && r[1].contains("checksum: sha256:")
                && r[1].contains("parameters: 6251"), r[1]);
        r = exec(new InspectCommand(), empty.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("surrogate.json: file not found"), r[2]);
        r = exec(new InspectCommand(), dir.getPath(), "--at", "0.1,0.2,0.3");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("21 numbers"), r[2]);
    }

    /** Interoperability: inspect on a surrogate of the independent exporter agrees with its golden values. */
    @Test
    void inspectAgreesWithTheIndependentExporter() throws Exception {
        File dir = SharedFixtures.fixture("lcd10");
        JsonNode g = new ObjectMapper().readTree(new File(dir, "golden.json"));
        StringBuilder at = new StringBuilder(g.get("t").get(0).asText());
        for (JsonNode v : g.get("x").get(0)) {
            at.append(',').append(v.asText());
        }
        String[] r = exec(new InspectCommand(), dir.getPath(), "--at", at.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode o = new ObjectMapper().readTree(r[1]);
        assertEquals(10, o.get("dim").asInt());
        assertEquals("tanh", o.get("activation").asText());
        FixturesTest.assertClose("value", g.get("value").get(0).asDouble(), o.get("value").asDouble(), 1e-10);
        FixturesTest.assertClose("dt", g.get("u_t").get(0).asDouble(), o.get("dt").asDouble(), 1e-10);
        FixturesTest.assertClose("lap", g.get("laplacian_x").get(0).asDouble(), o.get("laplacian").asDouble(), 1e-10);
        FixturesTest.assertClose("grad", g.get("grad_x").get(0).get(3).asDouble(), o.get("grad").get(3).asDouble(),
                1e-10);
        String[] t = exec(new InspectCommand(), SharedFixtures.fixture("vb20_inout_tx").getPath());
        assertEquals("0", t[0], t[2]);
        assertTrue(t[1].contains("Dense_0") && t[1].contains("parameters: 6251"), t[1]);
    }

    @Test
    void benchKernelJson() throws Exception {
        String[] r = exec(new BenchKernelCommand(), "--dim", "4", "--width", "8", "--depth", "2", "--batch", "64",
                "--seconds", "0.05", "--precision", "fp32", "--json");
        assertEquals("0", r[0], r[2]);
        // stdout of the command goes to System.out; parse what the Result prints instead
        KernelBench.Result res = KernelBench.run(4, 8, 2, 64, Precision.FP64, 0.02);
        JsonNode o = new ObjectMapper().readTree(res.toJson());
        assertTrue(o.get("residual_evals_per_s").asDouble() > 0);
        assertTrue(o.get("gflops").asDouble() > 0);
        assertTrue(o.get("gemm_gflops").asDouble() > 0);
        // the library ND4J loaded is the presets' OpenBLAS (docs/platform.md §2)
        assertTrue(o.get("blas").asText().contains("openblas"), o.get("blas").asText());
    }

    /** {@code --threads N}: the batch shared by N Java threads (one BLAS thread each); a bad count exits 2. */
    @Test
    void benchKernelThreads() throws Exception {
        KernelBench.Result res = KernelBench.run(4, 8, 2, 64, Precision.FP32, 0.02, EvalOptions.DEFAULT.scratchBytes(), 2);
        JsonNode o = new ObjectMapper().readTree(res.toJson());
        assertEquals(2, o.get("threads").asInt());
        assertTrue(o.get("gflops").asDouble() > 0 && o.get("gemm_gflops").asDouble() > 0, res.toJson());
        String[] r = exec(new BenchKernelCommand(), "--dim", "4", "--threads", "0");
        assertEquals("2", r[0]);
    }

    /**
     * inspect at d = 10⁴ (issue 15): {@code --at t,c} sets every coordinate to c; the text output summarises the
     * gradient, the JSON lists all of it; the values are those of the kernels called directly.
     */
    @Test
    void inspectAtTenThousandDimensions(@TempDir Path dir) throws Exception {
        int d = 10_000;
        int[] w = TestModels.widths(d, 8, 8);
        TestNpz.writeMlp(dir, d, "tanh", w, TestModels.randomWeights(w, 3), TestModels.randomBiases(w, 3), "out_in",
                "x,t", null, true);
        String[] j = exec(new InspectCommand(), dir.toString(), "--at", "0.25,0.01", "--json");
        assertEquals("0", j[0], j[2]);
        JsonNode o = new ObjectMapper().readTree(j[1]);
        assertEquals(d, o.get("dim").asInt());
        assertEquals(d, o.get("grad").size());
        double[] x = new double[d];
        java.util.Arrays.fill(x, 0.01);
        double[] u = new double[1];
        double[] dt = new double[1];
        double[] lap = new double[1];
        double[] g = new double[d];
        SurrogateLoader.load(dir.toString()).evaluator(Precision.FP64).residualTerms(1, new double[]{0.25}, x, u, dt,
                g, lap);
        assertEquals(u[0], o.get("value").asDouble());
        assertEquals(lap[0], o.get("laplacian").asDouble());
        assertEquals(g[d - 1], o.get("grad").get(d - 1).asDouble());
        String[] t = exec(new InspectCommand(), dir.toString(), "--at", "0.25,0.01");
        assertEquals("0", t[0], t[2]);
        assertTrue(t[1].contains("(10000 entries; --json lists all)") && t[1].contains("|grad|: "), t[1]);
        assertTrue(t[1].length() < 4000, "text output stays short at large d");
        String[] bad = exec(new InspectCommand(), dir.toString(), "--at", "0.25,0.01,0.02");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("or t,c"), bad[2]);
    }
}
