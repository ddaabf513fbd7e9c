package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.ComputePlanner;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive and guarded solves on Spark (issue 13): the same bits as the engine's {@link LocalRunner#solve} on any
 * partitioning, with failed-then-retried tasks, with the compute planner, and after the driver JVM was killed
 * mid-run and the run resumed from its checkpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveSolveTest {
    static final int D = 3;
    static final int N = 12;
    static final long SEED = 7;
    static final String SURROGATE = "class:" + PerturbedVbSurrogate.class.getName();

    @TempDir
    static Path tmp;
    Map<Long, Map<String, String>> reference;
    Path referenceOut;

    /** Guarded SCaSML (the default), target 1% relative, at most 4 rounds: several rounds for most points. */
    static RunOptions options() {
        return RunOptions.builder().method(Method.SCASML).levels(2).base(3).seed(SEED).pointsPerUnit(4)
            .unitCost(20).targetRelSe(0.01).maxRounds(4).build();
    }

    static List<String> args(Path out, String master) {
        return new ArrayList<>(Arrays.asList("solve", "--pde", "vb", "--dim", "" + D, "--points", "sample:" + N,
            "--levels", "2", "--base", "3", "--method", "scasml", "--surrogate", SURROGATE, "--seed", "" + SEED,
            "--points-per-unit", "4", "--unit-cost", "20", "--target-rel-se", "0.01", "--max-rounds", "4",
            "--out", out.toString(), "--master", master, "--format", "csv", "--runner", "spark"));
    }

    static List<QueryPoint> points() {
        return PointSampler.sample(BuiltinPdes.byName("vb", D).domain(), D, N, SEED);
    }

    /** OUT/points.csv as id → column → printed value. */
    static Map<Long, Map<String, String>> rows(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("points.csv"));
        String[] h = lines.get(0).split(",");
        Map<Long, Map<String, String>> m = new TreeMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            Map<String, String> r = new LinkedHashMap<>();
            for (int i = 0; i < h.length; i++) {
                r.put(h[i], f[i]);
            }
            m.put(Long.parseLong(f[0]), r);
        }
        return m;
    }

    static JsonNode summary(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private Map<Long, Map<String, String>> solve(String name, String master, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> a = args(out, master);
        a.addAll(List.of(extra));
        TestSupport.cli(a.toArray(new String[0])).ok();
        return rows(out);
    }

    @BeforeAll
    void referenceRun() throws Exception {
        referenceOut = tmp.resolve("ref");
        reference = solve("ref", "local[2]", "--partitions", "7");
        assertEquals(N, reference.size());
    }

    /** Every printed value and adaptive column equals the engine's, bit for bit. */
    static void assertSameAsEngine(List<AdaptiveEstimate> local, Map<Long, Map<String, String>> rows) {
        assertEquals(local.size(), rows.size());
        List<String> diffs = new ArrayList<>();
        for (AdaptiveEstimate a : local) {
            PointEstimate e = a.estimate();
            Map<String, String> r = rows.get(e.id());
            Map<String, Object> want = new LinkedHashMap<>();
            want.put("u_surrogate", e.uSurrogate());
            want.put("correction", e.correction());
            want.put("u", e.u());
            want.put("std_error", e.stdError());
            want.put("ci_low", e.ciLow());
            want.put("ci_high", e.ciHigh());
            want.put("exact", e.exact());
            want.putAll(a.columns());
            for (Map.Entry<String, Object> w : want.entrySet()) {
                String got = r.get(w.getKey());
                if (got == null) {
                    diffs.add("id " + e.id() + ": no column " + w.getKey());
                } else if (w.getValue() instanceof Double dv) {
                    if (Double.doubleToLongBits(Double.parseDouble(got)) != Double.doubleToLongBits(dv)) {
                        diffs.add("id " + e.id() + " " + w.getKey() + ": spark " + got + " engine " + dv);
                    }
                } else {
                    String wv = "".equals(w.getValue()) ? "none" : String.valueOf(w.getValue());
                    if (!wv.equals(got)) {
                        diffs.add("id " + e.id() + " " + w.getKey() + ": spark " + got + " engine " + wv);
                    }
                }
            }
        }
        assertEquals(List.of(), diffs);
    }

    @Test
    void equalsLocalRunnerSolve() {
        Pde pde = BuiltinPdes.byName("vb", D);
        Surrogate s = PerturbedVbSurrogate.of(D);
        List<AdaptiveEstimate> local = LocalRunner.solve(pde, s, options(), points(), 2);
        assertTrue(local.stream().anyMatch(a -> a.rounds() > 1), "the test needs points with several rounds");
        assertTrue(local.stream().allMatch(a -> a.guard() != null), "guarded by default");
        assertTrue(local.stream().anyMatch(a -> a.guard().weight() > 0 && a.guard().weight() < 1),
            "weights strictly between 0 and 1");
        assertSameAsEngine(local, reference);
    }

    @Test
    void onePartitionAndLocal1GiveTheSameBits() throws Exception {
        assertEquals(reference, solve("p1", "local[1]", "--partitions", "1"));
    }

    @Test
    void failedFirstAttemptsAreRetriedWithIdenticalResults() throws Exception {
        // every second task of every round's stage fails its first attempt; local[2,3] retries
        Path log = tmp.resolve("faults.log");
        assertEquals(reference, solve("faults", "local[2,3]", "--partitions", "5", "--inject-failures", "2",
            "--log-file", log.toString()));
        assertTrue(Files.readString(log).contains("injected failure"), "no task failed");
    }

    @Test
    void summaryAndColumns() throws Exception {
        JsonNode s = summary(referenceOut);
        assertTrue(s.path("guard").path("enabled").asBoolean(), s.toPrettyString());
        assertEquals(N, s.path("guard").path("points_carried_by_mlp").asInt()
            + s.path("guard").path("points_carried_by_scasml").asInt());
        assertTrue(s.path("adaptive").path("adaptive").asBoolean());
        assertTrue(s.path("adaptive").path("rounds").asInt() >= 2);
        assertEquals(0.01, s.path("adaptive").path("target_rel_se").asDouble());
        assertEquals("fixed", s.path("compute_plan").path("mode").asText());
        assertTrue(s.path("checkpoint").path("resumed_from_round").isNull());
        assertTrue(s.path("parameters").path("guard").asBoolean());
        String header = TestSupport.csvHeader(referenceOut);
        assertTrue(header.endsWith(String.join(",", AdaptiveEstimate.COLUMN_NAMES)), header);
        // a completed run leaves no checkpoint behind
        assertFalse(Files.exists(tmp.resolve(".ref.scasml-checkpoint")));
    }

    @Test
    void noGuardPlainRunKeepsTheClassicOutput() throws Exception {
        Path out = tmp.resolve("plain");
        List<String> a = new ArrayList<>(Arrays.asList("solve", "--pde", "vb", "--dim", "" + D, "--points",
            "sample:" + N, "--levels", "2", "--base", "3", "--surrogate", SURROGATE, "--seed", "" + SEED,
            "--points-per-unit", "4", "--unit-cost", "20", "--no-guard", "--out", out.toString(), "--master",
            "local[2]", "--format", "csv", "--no-progress"));
        TestSupport.cli(a.toArray(new String[0])).ok();
        assertFalse(TestSupport.csvHeader(out).contains("guard_weight"));
        // one unguarded round of the driver is the plain run
        RunOptions o = options().toBuilder().targetRelSe(0).guard(false).build();
        List<AdaptiveEstimate> local = LocalRunner.solve(BuiltinPdes.byName("vb", D), PerturbedVbSurrogate.of(D), o,
            points(), 2);
        Map<Long, Map<String, String>> r = rows(out);
        for (AdaptiveEstimate e : local) {
            assertEquals(Double.doubleToLongBits(e.estimate().u()),
                Double.doubleToLongBits(Double.parseDouble(r.get(e.estimate().id()).get("u"))));
        }
    }

    @Test
    void computePlanAutoEqualsTheEnginesChoice() throws Exception {
        Path out = tmp.resolve("auto");
        List<String> a = args(out, "local[2]");
        a.addAll(List.of("--plan", "auto"));
        TestSupport.Result res = TestSupport.cli(a.toArray(new String[0])).ok();
        assertTrue(res.err().contains("compute plan"), res.err());
        Pde pde = BuiltinPdes.byName("vb", D);
        Surrogate s = PerturbedVbSurrogate.of(D);
        ComputePlanner.Choice c = ComputePlanner.choose(pde, s, options(), points(), LocalRunner.executor(2, false));
        JsonNode cp = summary(out).path("compute_plan");
        assertEquals("auto", cp.path("mode").asText());
        assertEquals(c.base(), cp.path("base").asInt(), cp.toPrettyString());
        assertEquals(c.options().maxRounds(), cp.path("max_rounds").asInt());
        assertFalse(cp.path("reason").asText().isEmpty());
        assertSameAsEngine(LocalRunner.solve(pde, s, c.options(), points(), 2), rows(out));
    }

    @Test
    void progressLineShowsRoundRemainingAndEta() throws Exception {
        Path out = tmp.resolve("progress");
        TestSupport.Result res = TestSupport.cli(args(out, "local[2]").toArray(new String[0])).ok();
        assertTrue(res.err().contains("round 1: "), res.err());
        assertTrue(res.err().matches("(?s).*round 1: \\d+ of " + N + " points remaining.*ETA \\d+ s.*"), res.err());
    }

    /** The driver JVM is killed after its first checkpoint; --resume continues to the uninterrupted run's bits. */
    @Test
    void killedDriverResumesToTheSameBits() throws Exception {
        Path out = tmp.resolve("killed");
        Path ck = tmp.resolve(".killed.scasml-checkpoint");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String j : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (j.startsWith("--add-") || j.startsWith("-XX:+IgnoreUnrecognized") || j.startsWith("-Dspark.")
                || j.startsWith("-Djdk.") || j.startsWith("-Dio.netty")) {
                cmd.add(j);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-D" + "scasml.test.roundPauseMs" + "=4000");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SolveMain.class.getName());
        cmd.addAll(args(out, "local[2]"));
        cmd.addAll(List.of("--partitions", "3"));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        boolean found = false;
        while (System.nanoTime() < deadline && p.isAlive() && !found) {
            if (Files.isDirectory(ck)) {
                try (Stream<Path> s = Files.list(ck)) {
                    // round-0.bin is the guard's pilot phase; wait for a completed round
                    found = s.anyMatch(f -> f.getFileName().toString().matches("round-0*[1-9]\\d*\\.bin"));
                }
            }
            Thread.sleep(100);
        }
        assertTrue(found, "a checkpoint appeared: " + (Files.exists(log) ? Files.readString(log) : ""));
        p.destroyForcibly(); // SIGKILL: the driver dies without cleaning up
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(out), "killed before the output was committed: " + Files.readString(log));
        List<String> a = args(out, "local[2]");
        a.addAll(List.of("--resume", "--partitions", "2"));
        TestSupport.Result res = TestSupport.cli(a.toArray(new String[0])).ok();
        assertTrue(res.err().contains("resuming after round 1"), res.err());
        assertEquals(reference, rows(out));
        assertEquals(1, summary(out).path("checkpoint").path("resumed_from_round").asInt());
        assertFalse(Files.exists(ck), "the checkpoint is removed after the commit");
    }

    @Test
    void resumeRefusesAnotherRunsCheckpoint() throws Exception {
        Path out = tmp.resolve("other");
        Path ck = tmp.resolve(".other.scasml-checkpoint");
        // a checkpoint of a different run (another seed) in the place of this output's
        io.scasml.kernels.picard.AdaptiveDriver dr = io.scasml.kernels.picard.AdaptiveDriver.create(
            BuiltinPdes.byName("vb", D), PerturbedVbSurrogate.of(D), options().toBuilder().seed(99).build(),
            points());
        dr.run(LocalRunner.executor(1, false), null);
        Files.createDirectories(ck);
        Files.write(ck.resolve("round-000001.bin"), dr.checkpoint());
        List<String> a = args(out, "local[1]");
        a.add("--resume");
        TestSupport.Result res = TestSupport.cli(a.toArray(new String[0]));
        assertEquals(2, res.code(), res.err());
        assertTrue(res.err().contains("another run"), res.err());
        assertFalse(Files.exists(out));
    }
}
