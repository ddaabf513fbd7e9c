package io.scasml.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench table}: the paired statistics against hand computations, the rows, and one small row end to end. */
class PaperTableTest {
    static final Path SURROGATES = Path.of("..", "examples", "surrogates");

    @Test
    void pairedTTestAndIntervalMatchTextbookValues() {
        // differences 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t = 3 / (sqrt(2.5) / sqrt(5)) = 4.2426, 4 dof
        double[] a = {3, 5, 7, 9, 11};
        double[] b = {2, 3, 4, 5, 6};
        PairedStats.Paired p = PairedStats.paired(a, b, 0.95);
        assertEquals(3.0, p.meanDiff(), 1e-12);
        assertEquals(Math.sqrt(2.5), p.sdDiff(), 1e-12);
        // t(0.975, 4) = 2.776445105; half-width 2.776445105 * sqrt(0.5)
        assertEquals(3 - 2.7764451051977934 * Math.sqrt(0.5), p.ciLow(), 1e-9);
        assertEquals(3 + 2.7764451051977934 * Math.sqrt(0.5), p.ciHigh(), 1e-9);
        assertEquals(0.013235599564943766, p.tPValue(), 1e-9);
        // all 5 differences above 0: two-sided sign test p = 2 / 2^5
        assertEquals(0, p.below());
        assertEquals(5, p.above());
        assertEquals(0.0625, p.signPValue(), 1e-15);
        assertFalse(p.significantlyBelow(0.05), "a is above b");
        // reversed: significantly below
        assertTrue(PairedStats.paired(b, a, 0.95).significantlyBelow(0.05));
    }

    @Test
    void signTestIsTheExactBinomial() {
        double[] zero = new double[10];
        double[] neg = {-1, -2, -3, -1, -2, -3, -1, -2, -3, -4};
        // 10 of 10 below: 2 / 1024
        assertEquals(2.0 / 1024, PairedStats.paired(neg, zero, 0.95).signPValue(), 1e-15);
        // 8 below, 2 above: 2 * (1 + 10 + 45) / 1024
        double[] mixed = {-1, -2, -3, -1, -2, -3, -1, -2, 3, 4};
        PairedStats.Paired p = PairedStats.paired(mixed, zero, 0.95);
        assertEquals(8, p.below());
        assertEquals(2, p.above());
        assertEquals(112.0 / 1024, p.signPValue(), 1e-15);
        // ties are dropped: 3 below, 0 above, 2 tied -> 2 / 8
        PairedStats.Paired t = PairedStats.paired(new double[] {-1, -1, -1, 0, 0}, new double[5], 0.95);
        assertEquals(0.25, t.signPValue(), 1e-15);
        // t quantile with 9 dof: t(0.975, 9) = 2.262157163; sd of neg = 0.9944289, mean -2.2
        double sd = PairedStats.summary(neg).sd();
        assertEquals(-2.2 + 2.262157162798205 * sd / Math.sqrt(10), PairedStats.paired(neg, zero, 0.95).ciHigh(), 1e-9);
    }

    @Test
    void summariesAndDegenerateCases() {
        PairedStats.Summary s = PairedStats.summary(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12);
        assertTrue(Double.isNaN(PairedStats.summary(new double[] {1}).sd()));
        PairedStats.Paired one = PairedStats.paired(new double[] {1}, new double[] {2}, 0.95);
        assertEquals(-1, one.meanDiff(), 0);
        assertTrue(Double.isNaN(one.tPValue()) && Double.isNaN(one.ciLow()));
        PairedStats.Paired same = PairedStats.paired(new double[] {1, 2}, new double[] {2, 3}, 0.95);
        assertEquals(0, same.tPValue(), 0);
        assertEquals(-1, same.ciLow(), 0);
        assertThrows(IllegalArgumentException.class, () -> PairedStats.paired(new double[2], new double[3], 0.95));
    }

    @Test
    void theTwentyRows() {
        assertEquals(20, TableRows.ALL.size());
        for (TableRows.Row r : TableRows.ALL) {
            assertTrue(r.reference() != null, r.key());
        }
        assertEquals(4, TableRows.select(List.of("VB-GP")).size());
        assertEquals(List.of("vb20", "lqg120"),
            TableRows.select(List.of("lqg120", "vb20", "vb20")).stream().map(TableRows.Row::key).toList());
        assertEquals(20, TableRows.select(List.of("all")).size());
        assertThrows(IllegalArgumentException.class, () -> TableRows.select(List.of("vb30")));
        assertEquals(0.00437, ReferenceFigures.MEAN10.get("vb20").scasml().relL2(), 0);
        assertEquals(5.26, ReferenceFigures.MEAN10.get("lqg160").mlp().relL2(), 0);
    }

    @Test
    void oneSmallRowEndToEnd(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(SURROGATES.resolve("vb20/surrogate.json")), "the shipped vb20 surrogate");
        // only vb20 (the shipped one) in the surrogates directory: vb-gp20 is absent whatever was trained locally
        Path surs = tmp.resolve("surrogates");
        Files.createDirectories(surs.resolve("vb20"));
        try (var files = Files.list(SURROGATES.resolve("vb20"))) {
            for (Path f : files.toList()) {
                Files.copy(f, surs.resolve("vb20").resolve(f.getFileName()));
            }
        }
        Path out = tmp.resolve("table");
        int rc = new CommandLine(new TableBenchCommand()).execute("--surrogates", surs.toString(),
            "--rows", "vb20,vb-gp20", "--seeds", "2", "--points", "24", "--levels", "1", "--base", "4",
            "--threads", "2", "--budget", "1,2", "--budget-rows", "vb20", "--out", out.toString());
        assertEquals(0, rc);
        for (String f : new String[] {"results.json", "table.md", "report.md", "report.html", "table-vb-pinn.png",
            "table-vb-gp.png", "budget-vb20.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode row = r.at("/rows/vb20");
        assertEquals(2, row.at("/scasml/rel_l2/n").asInt());
        // the shipped surrogates are learned from the PDE alone, and the row says so
        assertEquals("PDE only", row.at("/surrogate_training").asText());
        JsonNode sca = row.at("/scasml/per_seed");
        JsonNode sur = row.at("/surrogate/per_seed");
        assertEquals(2, sca.size());
        // the seeds differ (points and streams)
        assertTrue(sca.get(0).get("rel_l2").asDouble() != sca.get(1).get("rel_l2").asDouble());
        // the surrogate of the shipped vb20 is near its held-out error (0.0072 on 1200 points)
        assertEquals(0.0072, row.at("/surrogate/rel_l2/mean").asDouble(), 0.006);
        // the paired comparison, by hand from the per-seed figures: K = 2, t with 1 dof (Cauchy)
        double d0 = sca.get(0).get("rel_l2").asDouble() - sur.get(0).get("rel_l2").asDouble();
        double d1 = sca.get(1).get("rel_l2").asDouble() - sur.get(1).get("rel_l2").asDouble();
        double mean = (d0 + d1) / 2;
        double sd = Math.abs(d0 - d1) / Math.sqrt(2);
        double t = mean / (sd / Math.sqrt(2));
        JsonNode pv = row.at("/paired_scasml_vs_surrogate");
        assertEquals(mean, pv.get("mean_difference").asDouble(), 1e-15);
        assertEquals(1 - 2 / Math.PI * Math.atan(Math.abs(t)), pv.get("t_test_p").asDouble(), 1e-9);
        // t(0.975, 1) = tan(0.475 pi) = 12.7062
        assertEquals(mean + Math.tan(0.475 * Math.PI) * sd / Math.sqrt(2), pv.get("ci_high").asDouble(), 1e-9);
        assertEquals(0.00437, row.at("/scasml/reference_mean10_rel_l2").asDouble(), 0);
        // "scasml" is guarded SCaSML, the unguarded estimator beside it: both per seed, the guard's weights in [0, 1],
        // and the guard costs more than SCaSML alone (pilots and the plain-MLP companion)
        JsonNode ug = row.at("/scasml_unguarded/per_seed");
        assertEquals(2, ug.size());
        assertEquals(2, row.at("/guard_weight_per_seed").size());
        for (int k = 0; k < 2; k++) {
            double w = row.at("/guard_weight_per_seed").get(k).asDouble();
            assertTrue(w >= 0 && w <= 1, "guard weight " + w);
            assertTrue(sca.get(k).get("evaluations_per_point").asDouble()
                > ug.get(k).get("evaluations_per_point").asDouble());
        }
        assertTrue(row.at("/paired_scasml_unguarded_vs_mlp/mean_difference").isNumber());
        // the GP row has no shipped surrogate: skipped with a note
        assertTrue(r.at("/rows/vb-gp20").isMissingNode());
        assertTrue(r.get("skipped").get(0).asText().startsWith("SKIPPED vb-gp20"));
        // the budget study: 2× raises M, the absent vb20-b2 is noted
        JsonNode b = r.at("/budget/vb20");
        assertEquals(2, b.size());
        assertEquals(4, b.get(0).get("base_m").asInt());
        assertTrue(b.get(1).get("base_m").asInt() > 4);
        double ratio = b.get(1).get("scasml_evaluations_per_point").asDouble()
            / b.get(0).get("scasml_evaluations_per_point").asDouble();
        assertTrue(ratio > 1.4 && ratio < 2.8, "2× budget costs about twice: " + ratio);
        assertTrue(b.get(1).get("surrogate").isNull());
        assertTrue(r.get("total_seconds").asDouble() > 0);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("goal met?") && md.contains("Total wall time") && md.contains("Compute-budget study"));
        assertTrue(md.contains("**K = 2 seeds, not the 10 of the reference's means**"), md);
        assertTrue(Files.readString(out.resolve("table.md")).contains("| vb20 | SCaSML − mlp |"));
        assertTrue(Files.readString(out.resolve("table.md")).contains("| vb20 | SCaSML unguarded − mlp |"));
        assertTrue(md.contains("| vb20 | PDE only | scasml unguarded |"), md);
    }

    @Test
    void antitheticIsRecordedInTheCommandAndTheProtocol(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("anti");
        int rc = new CommandLine(new TableBenchCommand()).execute("--surrogates", SURROGATES.toString(),
            "--rows", "vb20", "--seeds", "1", "--points", "12", "--levels", "1", "--base", "4", "--threads", "1",
            "--no-warmup", "--antithetic", "--level-zero-factor", "2", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertTrue(r.get("command").asText().endsWith(" --antithetic --level-zero-factor 2"),
            r.get("command").asText());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Antithetic pairs (`--antithetic`)"));
        assertTrue(md.contains("Level-zero factor (`--level-zero-factor 2`)"), md);
        assertEquals(1, new CommandLine(new TableBenchCommand()).execute("--rows", "vb20", "--level-zero-factor", "0",
            "--out", tmp.resolve("z").toString()), "a factor below 1 is an error");
        assertFalse(Files.exists(tmp.resolve("z")));
    }

    @Test
    void absentRowsAreSkippedAndBrokenOnesReportedWhileTheOthersGoOn(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("lcd10"));
        Files.writeString(tmp.resolve("lcd10/surrogate.json"), "{\"format\": \"not-a-surrogate\"}");
        Path out = tmp.resolve("t");
        int rc = new CommandLine(new TableBenchCommand()).execute("--surrogates", tmp.toString(), "--rows",
            "lcd60,lcd10", "--seeds", "1", "--points", "12", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertTrue(r.get("skipped").get(0).asText().startsWith("FAILED lcd10 "), r.get("skipped").toString());
        assertTrue(r.get("skipped").get(1).asText().startsWith("SKIPPED lcd60 "), r.get("skipped").toString());
        assertTrue(Files.readString(out.resolve("report.md")).contains("FAILED (see below)"));
        assertEquals(1, new CommandLine(new TableBenchCommand()).execute("--rows", "vb30", "--out",
            tmp.resolve("u").toString()), "an unknown row is an error");
        assertFalse(Files.exists(tmp.resolve("u")));
    }
}
