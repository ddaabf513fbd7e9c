package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on local[2]: Parquet output, summary.json, metrics read back. */
class SolveEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void parquetOutputAndSummary() throws Exception {
        Path out = tmp.resolve("run");
        List<String> a = TestSupport.vbArgs("sample:24", out, "local[2]");
        a.remove("--no-progress");
        a.addAll(List.of("--runner", "spark")); // Spark's writer and summary (InProcessRunnerTest: the in-process one)
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0])).ok();
        assertTrue(r.err().contains("scasml solve: 24 points"), r.err());
        assertTrue(Files.isDirectory(out.resolve("points.parquet")));
        assertFalse(TestSupport.anyNamed(tmp, "scasml-tmp"), "temporary directory left behind");

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(24, s.get("points").asLong());
        assertEquals("mlp", s.get("parameters").get("method").asText());
        assertEquals(7, s.get("seed").asLong());
        assertTrue(s.get("spark").get("master").asText().startsWith("local[2]"));
        assertEquals("true", s.get("spark").get("conf").get("spark.kryo.registrationRequired").asText());
        JsonNode m = s.get("metrics");
        double relL2 = m.get("rel_l2").asDouble();
        assertTrue(relL2 > 0 && relL2 < 0.2, "rel_l2 " + relL2);
        assertTrue(m.get("ci95_coverage").asDouble() >= 0.5, m.toString());
        assertTrue(s.get("evaluations").get("samples").asLong() > 0);
        assertTrue(s.get("timings").get("total_s").asDouble() > 0);
        // summary.json's shape: the field names and order readers had before the typed records, plus the status
        assertEquals(List.of("format", "format_version", "version", "git_commit", "command", "run_id", "parameters",
            "seed", "pde", "method", "spark", "points", "groups", "work_units", "units_per_group",
            "estimated_evaluations_per_point", "evaluations", "metrics", "metrics_by_method", "std_error",
            "diagnostics", "status_counts", "points_not_finite", "first_not_finite_ids", "timings", "wall_seconds",
            "outputs", "warnings"), names(s));
        List<String> p = names(s.get("parameters"));
        List<String> opts = new java.util.ArrayList<>(io.scasml.kernels.picard.RunOptions.builder().build().toMap()
            .keySet());
        List<String> expected = new java.util.ArrayList<>(List.of("run_id", "pde", "dim", "points", "points_format",
            "surrogate", "precision"));
        expected.addAll(opts);
        expected.addAll(List.of("out", "format", "overwrite", "master", "partitions", "conf", "config", "limits",
            "resume", "plan", "coordinates", "runner"));
        assertEquals(expected, p);
        assertEquals(List.of("points_with_exact", "rel_l2", "linf", "l1", "ci95_coverage", "points_with_error_bar",
            "over"), names(m));
        assertEquals(List.of("mean", "max"), names(s.get("std_error")));
        assertEquals(List.of("points_warned_gradient_noise", "points_warned_residual", "median_noise_ratio",
            "mean_residual_rms", "max_residual_rms"), names(s.get("diagnostics")));
        assertEquals(List.of("spark_start_s", "read_validate_s", "solve_write_s", "metrics_s", "total_s"),
            names(s.get("timings")));
        assertEquals(24, s.at("/status_counts/ok").asLong());
        assertEquals(0, s.get("points_not_finite").asLong());
        assertEquals(m, s.at("/metrics_by_method/mlp"));

        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            Dataset<Row> df = spark.read().parquet(out.resolve("points.parquet").toString());
            assertEquals(List.of("id", "t", "x0", "x1", "x2", "u_surrogate", "correction", "u", "std_error", "ci_low",
                "ci_high", "exact", "abs_error", "terminal_evals", "generator_evals", "residual_evals",
                "surrogate_value_evals", "surrogate_gradient_evals", "surrogate_residual_evals", "samples",
                "grad_var_trace", "grad_norm2", "noise_ratio", "residual_rms", "probe_variance_share", "warn_noise", "warn_residual", "dof",
                "status"), List.of(df.columns()));
            assertEquals(24, df.filter("status = 'ok' and dof >= 1").count());
            assertEquals(24, df.count());
            // Spark aggregation vs the summary: l1 is the mean abs_error.
            double l1 = df.agg(org.apache.spark.sql.functions.avg("abs_error")).first().getDouble(0);
            assertEquals(m.get("l1").asDouble(), l1, 1e-15);
            // the metrics accumulated during the reduce equal a second pass over the written output
            Row q = df.selectExpr("sqrt(sum((u - exact) * (u - exact)) / sum(exact * exact))", "max(abs_error)",
                "avg(case when exact between ci_low and ci_high then 1D else 0D end)",
                "percentile_approx(case when isnan(noise_ratio) then null else noise_ratio end, 0.5, 100000)", "sum(samples)", "avg(std_error)").first();
            assertEquals(q.getDouble(0), m.get("rel_l2").asDouble(), 1e-12 * q.getDouble(0));
            assertEquals(q.getDouble(1), m.get("linf").asDouble(), 0.0);
            assertEquals(q.getDouble(2), m.get("ci95_coverage").asDouble(), 1e-12);
            assertEquals(q.getDouble(3), s.at("/diagnostics/median_noise_ratio").asDouble(), 0.012 * q.getDouble(3));
            assertEquals(q.getLong(4), s.at("/evaluations/samples").asLong());
            assertEquals(q.getDouble(5), s.at("/std_error/mean").asDouble(), 1e-12 * q.getDouble(5));
        } finally {
            spark.stop();
        }
    }

    @Test
    void scasmlWithAnalyticSurrogate() throws Exception {
        Path out = tmp.resolve("scasml");
        List<String> a = TestSupport.vbArgs("sample:8", out, "local[2]");
        a.addAll(List.of("--method", "scasml", "--surrogate", "class:" + VbExactSurrogate.class.getName(),
            "--format", "csv"));
        TestSupport.cli(a.toArray(new String[0])).ok();
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        // û is the exact solution: the surrogate's own error is rounding, the correction is noise around 0.
        assertTrue(s.get("surrogate_metrics").get("linf").asDouble() < 1e-12, s.toString());
        assertTrue(s.get("metrics").get("linf").asDouble() < 0.05, s.toString());
        assertTrue(s.get("evaluations").get("surrogate_residual_evals").asLong() > 0);
        assertTrue(TestSupport.csvHeader(out).startsWith("id,t,x0,x1,x2,u_surrogate,correction,u,std_error,ci_low,"
            + "ci_high,exact,abs_error,terminal_evals"));
    }

    /**
     * A format-v1 surrogate written by an independent NumPy exporter (../shared/fixtures/vb20) and a PDE given as a
     * spec FILE, end to end: SCaSML beats the surrogate, the diagnostics are summarised, the interval covers.
     */
    @Test
    void scasmlWithFixtureSurrogateAndSpecFile() throws Exception {
        Path out = tmp.resolve("fixture");
        Path fixture = SharedFixtures.fixture("vb20");
        String repo = System.getProperty("scasml.repo.dir", "..");
        TestSupport.cli("solve", "--pde", repo + "/examples/pdes/vb.yaml", "--dim", "20", "--points", "sample:40",
            "--levels", "2", "--base", "6", "--surrogate", fixture.toString(), "--seed", "3", "--out",
            out.toString(), "--master", "local[2]", "--no-progress").ok();
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("scasml", s.get("method").asText());
        double sur = s.get("surrogate_metrics").get("rel_l2").asDouble();
        double sc = s.get("metrics").get("rel_l2").asDouble();
        assertTrue(sur > 0.005 && sur < 0.03, "fixture vb20 held-out error is 0.012: " + sur);
        assertTrue(sc < sur / 2, "SCaSML " + sc + " vs surrogate " + sur);
        JsonNode diag = s.get("diagnostics");
        assertTrue(diag.get("mean_residual_rms").asDouble() > 0, diag.toString());
        assertTrue(diag.has("points_warned_gradient_noise"), diag.toString());
        assertTrue(s.get("evaluations").get("surrogate_residual_evals").asLong() > 0);
    }

    @Test
    void helpAndVersion() {
        TestSupport.Result r = TestSupport.cli("solve", "--help").ok();
        assertTrue(r.out().contains("--points-per-unit"), r.out());
        assertTrue(TestSupport.cli("--version").ok().out().startsWith("scasml "));
    }

    private static List<String> names(JsonNode n) {
        List<String> l = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(l::add);
        return l;
    }
}
