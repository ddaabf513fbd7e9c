package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's large-d options (issue 15): {@code --fresh-points}, {@code --terminal-domain-share},
 * {@code --report-residual-points}, {@code --laplacian deflated:K}. Deterministic: fixed seeds, exact comparisons.
 */
class LargeDimOptionsTest {

    @Test
    void freshPointsAreKeyedBySeedAndDifferFromThePools() {
        Pde pde = BuiltinPdes.vb(3);
        PinnConfig c = TrainingTest.small(8, 7);
        c.freshPoints = true;
        double[] a = PinnTrainer.train(pde, c, null).net.getParams();
        double[] b = PinnTrainer.train(pde, c, null).net.getParams();
        assertArrayEquals(a, b, 0.0);
        c.freshPoints = false;
        double[] p = PinnTrainer.train(pde, c, null).net.getParams();
        assertFalse(Arrays.equals(a, p), "fresh points train other weights than the pools");
        c.freshPoints = true;
        c.laplacian = "deflated:2";
        double[] e = PinnTrainer.train(pde, c, null).net.getParams();
        assertArrayEquals(e, PinnTrainer.train(pde, c, null).net.getParams(), 0.0);
    }

    @Test
    void terminalDomainShareKeepsPointsOnTheDomainAtT() {
        Pde pde = BuiltinPdes.vb(4);
        Points old = Points.paths(pde, 50, 11, 0, true);
        Points none = Points.paths(pde, 50, 11, 0.0, true);
        assertArrayEquals(old.x, none.x, 0.0);
        Points all = Points.paths(pde, 50, 11, 1.0, true);
        Points start = Points.domain(pde.domain(), 4, 50, 11);
        assertArrayEquals(start.x, all.x, 0.0);
        for (double t : all.t) {
            assertEquals(pde.horizon(), t, 0.0);
        }
        Points half = Points.paths(pde, 400, 11, 0.5, true);
        int kept = 0;
        Points s4 = Points.domain(pde.domain(), 4, 400, 11);
        for (int i = 0; i < 400; i++) {
            kept += Arrays.equals(Arrays.copyOfRange(half.x, 4 * i, 4 * i + 4), Arrays.copyOfRange(s4.x, 4 * i, 4 * i + 4))
                    ? 1 : 0;
        }
        // Binomial(400, 1/2): 200 ± 10; [140, 260] fails with probability < 1e-9 (and the seed is fixed).
        assertTrue(kept > 140 && kept < 260, "kept " + kept);
    }

    @Test
    void reportResidualPointsAreBoundedAndRecorded(@TempDir Path tmp) throws Exception {
        PinnConfig c = new PinnConfig();
        assertEquals(0, c.reportResidualCap());
        c.laplacian = "hutchinson:2";
        assertEquals(PinnConfig.AUTO_REPORT_RESIDUAL_POINTS, c.reportResidualCap());
        c.reportResidualPoints = 0;
        assertEquals(0, c.reportResidualCap());
        Path out = tmp.resolve("r");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TrainCommandTest.run(err, TrainCommandTest.cat(TrainCommandTest.SMALL, "--pde", "vb", "--dim", "3",
                "--out", out.toString(), "--steps", "5", "--laplacian", "deflated:1", "--report-residual-points", "16",
                "--fresh-points", "--terminal-domain-share", "0.3"));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        JsonNode rep = new ObjectMapper().readTree(out.resolve("training-report.json").toFile());
        assertEquals(16, rep.path("residual_points").path("collocation").asInt());
        assertEquals(16, rep.path("residual_points").path("paths").asInt());
        assertEquals("deflated:1", rep.path("config").path("laplacian").asText());
        assertTrue(rep.path("config").path("fresh_points").asBoolean());
        assertEquals(0.3, rep.path("config").path("terminal_domain_share").asDouble(), 0.0);
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        rc = TrainCommandTest.run(e2, TrainCommandTest.cat(TrainCommandTest.SMALL, "--pde", "vb", "--dim", "3",
                "--out", tmp.resolve("s").toString(), "--terminal-domain-share", "1.5"));
        assertEquals(2, rc);
        String m = e2.toString(StandardCharsets.UTF_8).trim();
        assertTrue(m.contains("terminal-domain-share") && m.lines().count() == 1, m);
    }
}
