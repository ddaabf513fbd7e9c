package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point inputs (CSV with ids in shuffled order, JSON lines without ids and with an array x, Parquet, a run file)
 * give the same bits as {@code sample:N}; bad input gives a one-line error, exit code 2 and no output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputsAndBadInputTest {
    static final int N = 12;

    @TempDir
    static Path tmp;
    Map<Long, String> reference;
    Path referenceDir;

    @BeforeAll
    void referenceRun() throws Exception {
        referenceDir = tmp.resolve("ref");
        List<String> a = TestSupport.vbArgs("sample:" + N, referenceDir, "local[2]");
        a.addAll(List.of("--format", "csv"));
        TestSupport.cli(a.toArray(new String[0])).ok();
        reference = TestSupport.csvRows(referenceDir);
        // The same run as Parquet, whose points.parquet (id, t, x0..x2, ...) is the Parquet input below.
        TestSupport.cli(TestSupport.vbArgs("sample:" + N, tmp.resolve("refpq"), "local[2]").toArray(new String[0]))
            .ok();
    }

    private Map<Long, String> solve(String points, String name, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> a = TestSupport.vbArgs(points, out, "local[2]");
        a.addAll(List.of("--format", "csv"));
        a.addAll(List.of(extra));
        TestSupport.cli(a.toArray(new String[0])).ok();
        return TestSupport.csvRows(out);
    }

    /** The reference's points, one "id,t,x0,x1,x2" per row. */
    private List<String[]> points() {
        List<String[]> l = new ArrayList<>();
        for (String row : reference.values()) {
            String[] f = row.split(",");
            l.add(new String[] {f[0], f[1], f[2], f[3], f[4]});
        }
        return l;
    }

    private Path csv(String name, List<String> lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void csvWithIdsInAnyOrderAndExtraColumns() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String[] p : points()) {
            lines.add(String.join(",", p[3], p[0], "ignored", p[1], p[4], p[2]));
        }
        Collections.reverse(lines);
        lines.add(0, "x1,id,note,t,x2,x0");
        assertEquals(reference, solve(csv("in.csv", lines).toString(), "csv"));
    }

    @Test
    void jsonLinesWithoutIdsUseRowOrder() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String[] p : points()) {
            lines.add("{\"t\": " + p[1] + ", \"x\": [" + p[2] + ", " + p[3] + ", " + p[4] + "]}");
        }
        lines.add(3, "");
        assertEquals(reference, solve(csv("in.jsonl", lines).toString(), "jsonl"));
    }

    @Test
    void parquetInput() throws Exception {
        assertEquals(reference, solve(tmp.resolve("refpq/points.parquet").toString(), "parquet"));
    }

    @Test
    void runFileWithFlagOverride() throws Exception {
        Path out = tmp.resolve("runfile");
        Path cfg = tmp.resolve("run.yaml");
        Files.write(cfg, List.of("pde: vb", "dim: 3", "points: sample:" + N, "levels: 2", "base: 3", "method: mlp",
            "seed: 7", "points_per_unit: 4", "unit-cost: 20", "format: csv", "master: local[2]", "progress: false",
            "out: " + tmp.resolve("not-used"), "conf:", "  spark.task.maxFailures: 2"));
        TestSupport.cli("solve", "--config", cfg.toString(), "--out", out.toString()).ok();
        assertEquals(reference, TestSupport.csvRows(out));
        assertFalse(Files.exists(tmp.resolve("not-used")));
    }

    // ------------------------------------------------------------------------------------------------ bad input

    private void refused(String expected, String points, String... extra) throws Exception {
        Path out = tmp.resolve("bad-" + Integer.toHexString(expected.hashCode()));
        List<String> a = TestSupport.vbArgs(points, out, "local[1]");
        a.addAll(List.of(extra));
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("scasml: ") && last.contains(expected), "got: " + r.err());
        assertFalse(Files.exists(out), "output left behind");
        assertFalse(TestSupport.anyNamed(tmp, "scasml-tmp"), "temporary directory left behind");
    }

    @Test
    void missingPath() throws Exception {
        refused("points: " + tmp.resolve("nope.csv") + " does not exist", tmp.resolve("nope.csv").toString());
    }

    @Test
    void malformedCsvLineNamesFileAndLine() throws Exception {
        Path p = csv("bad1.csv", List.of("t,x0,x1,x2", "0.1,0,0,0", "0.2,0.1,zero,0.3"));
        refused(p + " line 3: x1: 'zero' is not a number", p.toString());
    }

    @Test
    void shortCsvLine() throws Exception {
        Path p = csv("bad2.csv", List.of("t,x0,x1,x2", "0.1,0,0"));
        refused(p + " line 2: has 3 fields", p.toString());
    }

    @Test
    void wrongNumberOfCoordinates() throws Exception {
        Path p = csv("bad3.csv", List.of("t,x0,x1", "0.1,0,0"));
        refused(p + " line 1: the header has 2 coordinate columns x0..x1, expected d = 3", p.toString());
        Path j = csv("bad3.jsonl", List.of("{\"t\": 0.1, \"x\": [0, 0, 0]}", "{\"t\": 0.1, \"x\": [0, 0]}"));
        refused(j + " line 2: x: has 2 coordinates, expected d = 3", j.toString());
    }

    @Test
    void nanCoordinate() throws Exception {
        Path p = csv("bad4.csv", List.of("t,x0,x1,x2", "0.1,0,0,0", "0.1,0,NaN,0"));
        refused(p + " line 3: point id=1: x1 = NaN is not a finite number", p.toString());
    }

    @Test
    void timeOutsideHorizon() throws Exception {
        Path p = csv("bad5.csv", List.of("id,t,x0,x1,x2", "5,0.7,0,0,0"));
        refused(p + " line 2: point id=5: t = 0.7 is outside [0, T = 0.5]", p.toString());
    }

    @Test
    void duplicateIds() throws Exception {
        Path p = csv("bad6.csv", List.of("id,t,x0,x1,x2", "5,0.1,0,0,0", "5,0.2,0,0,0"));
        refused("id 5 appears 2 times", p.toString());
    }

    @Test
    void existingOutputWithoutOverwrite() throws Exception {
        TestSupport.Result r = TestSupport.cli(TestSupport.vbArgs("sample:3", referenceDir, "local[1]")
            .toArray(new String[0]));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("already exists; pass --overwrite"), r.err());
        assertEquals(reference, TestSupport.csvRows(referenceDir), "existing output was touched");
    }

    @Test
    void badOptionsWithoutStartingSpark() throws Exception {
        refused("levels: n = -1 must be >= 0", "sample:3", "--levels", "-1");
        refused("method: 'foo' is not one of mlp, scasml, surrogate", "sample:3", "--method", "foo");
        refused("budget:", "sample:3", "--max-evals", "10");
        refused("surrogate: method scasml needs a surrogate", "sample:3", "--method", "scasml");
        refused("unknown key 'levles'", "sample:3", "--config", csv("typo.yaml", List.of("levles: 3")).toString());
    }
}
