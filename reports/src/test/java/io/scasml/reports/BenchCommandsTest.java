package io.scasml.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark commands end to end on tiny settings, with the repository's own surrogates (examples/surrogates,
 * written by the project's trainer); the same run on the independent exporter's surrogates of ../shared/fixtures is
 * an interoperability test, skipped with the reason on stderr where that directory is absent.
 */
class BenchCommandsTest {
    /** The repository's own surrogates. */
    static final String EXAMPLES = System.getProperty("scasml.repo.dir", "..") + "/examples/surrogates";

    @Test
    void paperWritesTableReportAndPlots(@TempDir Path tmp) throws Exception {
        JsonNode meta = new ObjectMapper().readTree(Path.of(EXAMPLES, "vb20", "surrogate.json").toFile()).get("meta");
        paper(tmp, EXAMPLES, meta.get("held_out_rel_l2").asDouble(), "examples/surrogates/vb20");
    }

    /** Interoperability: the same run on the independent exporter's vb20 (held-out rel L2 0.0121). */
    @Test
    void paperRunsOnTheSharedFixtures(@TempDir Path tmp) throws Exception {
        paper(tmp, SharedFixtures.fixtures("vb20").getPath(), 0.0121, "shared fixture vb20");
    }

    private static void paper(Path tmp, String surrogates, double heldOut, String what) throws Exception {
        Path out = tmp.resolve("paper");
        int rc = new CommandLine(new PaperBenchCommand()).execute("--surrogates", surrogates, "--cases", "vb20",
            "--points", "36", "--levels", "1", "--base", "4", "--threads", "2", "--out", out.toString());
        assertEquals(0, rc);
        for (String f : new String[] {"results.json", "table.md", "report.md", "report.html", "errors-vb20.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        double sur = r.at("/results/vb20/full-history/surrogate/rel_l2").asDouble();
        assertEquals(heldOut, sur, 0.006, what + " has held-out rel L2 " + heldOut);
        assertTrue(r.at("/results/vb20/quadrature/scasml/rel_l2").asDouble() > 0);
        // an existing output is refused without --overwrite, and left untouched
        long before = Files.size(out.resolve("results.json"));
        rc = new CommandLine(new PaperBenchCommand()).execute("--surrogates", surrogates, "--cases", "vb20",
            "--points", "12", "--levels", "1", "--out", out.toString());
        assertEquals(1, rc);
        assertEquals(before, Files.size(out.resolve("results.json")));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary directory left behind");
        }
    }

    @Test
    void unknownSurrogateDirectoryFailsCleanly(@TempDir Path tmp) {
        Path out = tmp.resolve("x");
        int rc = new CommandLine(new PaperBenchCommand()).execute("--surrogates", tmp.toString(), "--cases", "vb20",
            "--points", "12", "--out", out.toString());
        assertTrue(rc != 0);
        assertFalse(Files.exists(out));
    }

    @Test
    void fitAndHtmlTable() {
        Charts.Fit f = Charts.Fit.of(new double[] {1, 10, 100}, new double[] {1, 0.1, 0.01});
        assertEquals(-1.0, f.slope(), 1e-12);
        String h = Report.tableHtml("| a | b |\n|---|---|\n| 1 | <2> |\n");
        assertEquals("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>&lt;2&gt;</td></tr></table>", h);
    }
}
