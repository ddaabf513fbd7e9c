package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solve --runner local} (the in-process runner, no SparkSession) writes what {@code --runner spark} writes:
 * the same bytes of points.csv, the same Parquet schema and rows bit for bit, the same summary apart from the
 * {@code spark} entry and the timings; {@code auto} picks it for small local runs only.
 */
class InProcessRunnerTest {
    @TempDir
    Path tmp;

    private static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private Path run(String name, List<String> args, String... extra) {
        Path out = tmp.resolve(name);
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(extra));
        TestSupport.cli(a.toArray(new String[0])).ok();
        return out;
    }

    @Test
    void csvBytesEqualSparkAndAutoChoosesLocalForSmallLocalRuns() throws Exception {
        // the plain single-pass path: several units per group, groups spread over Spark's partitions
        List<String> base = TestSupport.vbArgs("sample:24", tmp.resolve("unused"), "local[2]");
        base.subList(base.indexOf("--out"), base.indexOf("--out") + 2).clear();
        base.addAll(List.of("--format", "csv"));
        Path spark = run("spark", base, "--runner", "spark");
        Path local = run("local", base, "--runner", "local");
        Path auto = run("auto", base);
        assertArrayEquals(Files.readAllBytes(spark.resolve("points.csv")), Files.readAllBytes(local.resolve(
            "points.csv")));
        assertArrayEquals(Files.readAllBytes(spark.resolve("points.csv")), Files.readAllBytes(auto.resolve(
            "points.csv")));
        JsonNode s = summary(spark);
        JsonNode l = summary(local);
        assertEquals("spark", s.at("/spark/runner").asText());
        assertEquals("local", l.at("/spark/runner").asText());
        assertEquals("local", summary(auto).at("/spark/runner").asText());
        assertEquals(2, l.at("/spark/default_parallelism").asInt());
        for (String f : List.of("points", "groups", "work_units", "evaluations", "status_counts", "std_error/max")) {
            assertEquals(s.at("/" + f), l.at("/" + f), f);
        }
        // metrics: Spark adds per partition, then in partition order; in-process: one sum in id order
        for (String m : List.of("rel_l2", "linf", "l1", "ci95_coverage")) {
            double a = s.at("/metrics/" + m).asDouble();
            assertEquals(a, l.at("/metrics/" + m).asDouble(), 1e-12 * Math.abs(a), m);
        }
        // auto keeps Spark for what addresses Spark
        Path parts = run("parts", base, "--partitions", "3");
        assertEquals("spark", summary(parts).at("/spark/runner").asText());
        assertArrayEquals(Files.readAllBytes(spark.resolve("points.csv")), Files.readAllBytes(parts.resolve(
            "points.csv")));
    }

    @Test
    void guardedParquetRowsAndSchemaEqualSpark() throws Exception {
        // guarded SCaSML (the default, as in the README example): pilots, companion, the adaptive driver's rows
        List<String> base = new ArrayList<>(Arrays.asList("solve", "--pde", "vb", "--dim", "3", "--points",
            "sample:12", "--levels", "2", "--base", "3", "--surrogate", "class:" + PerturbedVbSurrogate.class
                .getName(), "--seed", "7", "--points-per-unit", "4", "--unit-cost", "20", "--master", "local[2]",
            "--no-progress"));
        Path spark = run("spark", base, "--runner", "spark");
        Path local = run("local", base, "--runner", "local");
        JsonNode s = summary(spark);
        JsonNode l = summary(local);
        assertTrue(l.at("/guard/enabled").asBoolean(), l.toPrettyString());
        // the driver accumulates the metrics of guarded runs in id order on both runners: equal bits
        for (String f : List.of("metrics", "evaluations", "std_error", "diagnostics", "guard", "adaptive")) {
            assertEquals(s.get(f), l.get(f), f);
        }
        try (Stream<Path> files = Files.list(local.resolve("points.parquet"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                .sorted().collect(Collectors.toList());
            assertEquals(2, names.size(), names.toString());
            assertEquals("_SUCCESS", names.get(0));
            assertTrue(names.get(1).matches("part-00000-[0-9a-f-]{36}-c000\\.snappy\\.parquet"), names.toString());
        }
        SparkSession session = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            Dataset<Row> a = session.read().parquet(spark.resolve("points.parquet").toString());
            Dataset<Row> b = session.read().parquet(local.resolve("points.parquet").toString());
            assertEquals(a.schema(), b.schema());
            assertTrue(Arrays.asList(b.columns()).contains("guard_weight"));
            assertEquals(bits(a), bits(b));
            assertEquals(12, bits(b).size());
        } finally {
            session.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
    }

    /** Every row in id order, each double by its bits. */
    private static List<String> bits(Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (Row r : df.orderBy("id").collectAsList()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                Object v = r.get(i);
                b.append(v instanceof Double d ? Long.toHexString(Double.doubleToRawLongBits(d)) : String.valueOf(v))
                    .append(',');
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void csvInputsWithIdsAndBadRowsAsOnSpark() throws Exception {
        // ids out of order: ranked by id on both runners
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "id,t,x0,x1,x2\n9,0.1,0.2,0.3,0.4\n3,0.3,-0.1,0.0,0.2\n5,0.2,0.0,0.1,-0.3\n"
            + "1,0.4,0.3,0.3,0.3\n7,0.0,-0.2,0.1,0.1\n");
        List<String> base = TestSupport.vbArgs(csv.toString(), tmp.resolve("unused"), "local[2]");
        base.subList(base.indexOf("--out"), base.indexOf("--out") + 2).clear();
        base.addAll(List.of("--format", "csv"));
        Path spark = run("spark", base, "--runner", "spark");
        Path local = run("local", base, "--runner", "local");
        Path auto = run("auto", base);
        assertArrayEquals(Files.readAllBytes(spark.resolve("points.csv")), Files.readAllBytes(local.resolve(
            "points.csv")));
        assertEquals("local", summary(auto).at("/spark/runner").asText());
        assertArrayEquals(Files.readAllBytes(spark.resolve("points.csv")), Files.readAllBytes(auto.resolve(
            "points.csv")));
        // a bad row: the same one line on both runners, nothing written
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "t,x0,x1,x2\n0.1,0.2,0.3,0.4\n0.2,0.1,oops,0.3\n0.3,0.1,0.2,0.3\n");
        List<String> errs = new ArrayList<>();
        for (String r : List.of("spark", "local")) {
            List<String> a = TestSupport.vbArgs(bad.toString(), tmp.resolve("bad-" + r), "local[1]");
            a.addAll(List.of("--runner", r));
            TestSupport.Result res = TestSupport.cli(a.toArray(new String[0]));
            assertEquals(2, res.code(), res.err());
            assertTrue(!Files.exists(tmp.resolve("bad-" + r)), "nothing written");
            errs.add(res.err().strip());
        }
        assertTrue(errs.get(0).contains("bad.csv") && errs.get(0).contains("line 3"), errs.get(0));
        assertEquals(errs.get(0), errs.get(1));
    }

    @Test
    void localRefusesParquetInputsWithTheReason() throws Exception {
        List<String> one = TestSupport.vbArgs("sample:4", tmp.resolve("unused"), "local[1]");
        one.subList(one.indexOf("--out"), one.indexOf("--out") + 2).clear();
        Path first = run("first", one);
        List<String> a = TestSupport.vbArgs(first.resolve("points.parquet").toString(), tmp.resolve("out"),
            "local[1]");
        a.addAll(List.of("--runner", "local"));
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("runner: local cannot run this request: Parquet points are read by Spark"),
            r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing written");
    }
}
