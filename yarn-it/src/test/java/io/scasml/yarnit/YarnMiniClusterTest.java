package io.scasml.yarnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app jar on a real YARN: Hadoop's MiniDFSCluster + MiniYARNCluster on 127.0.0.1 (in this JVM), the job submitted
 * by SparkSubmit in a separate JVM with {@code --master yarn} and the build's {@code cluster-config/yarn.conf}, in
 * client and cluster deploy modes, reading its points from and writing its output to the mini HDFS. Checks: exit 0,
 * the output's {@code _SCASML_OUTPUT} marker and summary, every point {@code ok} and within 0.1 of the exact VB
 * solution (MLP n = 2, M = 4 on d = 4 has rel. L2 error ~0.04; the bound is deterministic for the fixed seed), and the
 * two deploy modes — with different partition counts — giving bit-identical estimates.
 *
 * <p>Opt-in (minutes, several JVMs): {@code mvn -B -Papp -pl cli -am package -DskipTests}, then
 * {@code mvn -B -Pyarn-it -pl yarn-it test}.
 */
class YarnMiniClusterTest {
    static final int N = 8;
    static final int D = 4;
    static final long SUBMIT_TIMEOUT_S = 420;

    static YarnMiniCluster cluster;
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Path run = YarnMiniCluster.repo().resolve("yarn-it/target/yarn-it-run");
        deleteTree(run);
        logs = Files.createDirectories(YarnMiniCluster.repo().resolve("yarn-it/target/yarn-it-logs"));
        cluster = YarnMiniCluster.start(run);
        StringBuilder csv = new StringBuilder("id,t");
        for (int i = 0; i < D; i++) {
            csv.append(",x").append(i);
        }
        csv.append('\n');
        for (int p = 0; p < N; p++) {
            csv.append(p).append(',').append(String.format(Locale.ROOT, "%.3f", 0.05 * p));
            for (int i = 0; i < D; i++) {
                csv.append(',').append(String.format(Locale.ROOT, "%.3f", 0.4 * Math.sin(1.0 + p + 3.0 * i)));
            }
            csv.append('\n');
        }
        try (OutputStream o = cluster.fileSystem().create(new org.apache.hadoop.fs.Path("/scasml/in/points.csv"))) {
            o.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Submits a solve in {@code mode}, waits for it, and returns the rows of DIR/points.csv (header first). */
    static List<String[]> solve(String mode, int partitions) throws Exception {
        String out = "hdfs:///scasml/out-" + mode;
        List<String> args = List.of("solve", "--pde", "vb", "--dim", String.valueOf(D),
            "--points", "hdfs:///scasml/in/points.csv", "--method", "mlp", "--levels", "2", "--base", "4",
            "--seed", "7", "--partitions", String.valueOf(partitions), "--format", "csv", "--out", out);
        Path log = logs.resolve("submit-" + mode + ".log");
        Process p = YarnMiniCluster.submit(cluster.confDir, mode, args).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(SUBMIT_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mode + " mode: no result within " + SUBMIT_TIMEOUT_S + " s; log " + log);
        }
        assertEquals(0, p.exitValue(), () -> mode + " mode: spark-submit failed; log " + log + ":\n" + tail(log));
        FileSystem fs = cluster.fileSystem();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/scasml/out-" + mode);
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(dir, "_SCASML_OUTPUT")), mode + ": no output marker");
        JsonNode summary;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(dir, "summary.json"))) {
            summary = new ObjectMapper().readTree(in);
        }
        assertEquals(N, summary.path("status_counts").path("ok").asInt(), mode + ": ok points in summary.json");
        assertTrue(summary.path("spark").toString().contains("yarn"), mode + ": master in summary: "
            + summary.path("spark"));
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(dir, "points.csv"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
        }
        assertEquals(N + 1, rows.size(), mode + ": rows of points.csv");
        List<String> h = Arrays.asList(rows.get(0));
        int u = h.indexOf("u");
        int se = h.indexOf("std_error");
        int exact = h.indexOf("exact");
        int status = h.indexOf("status");
        for (String[] r : rows.subList(1, rows.size())) {
            double uv = Double.parseDouble(r[u]);
            double sv = Double.parseDouble(r[se]);
            double ev = Double.parseDouble(r[exact]);
            assertEquals("ok", r[status], mode + ": status of point " + r[0]);
            assertTrue(Double.isFinite(uv) && sv > 0 && Double.isFinite(sv), mode + ": u, se of point " + r[0]);
            assertTrue(Math.abs(uv - ev) < 0.1, mode + ": point " + r[0] + " u " + uv + " exact " + ev);
        }
        return rows;
    }

    static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void clientAndClusterDeployModesFromAndToHdfs() throws Exception {
        List<String[]> client = solve("client", 2);
        List<String[]> clustered = solve("cluster", 3);
        List<String> h = Arrays.asList(client.get(0));
        for (String col : new String[] {"id", "u", "std_error"}) {
            int c = h.indexOf(col);
            for (int i = 1; i <= N; i++) {
                assertEquals(client.get(i)[c], clustered.get(i)[c], col + " of row " + i + ": client vs cluster mode");
            }
        }
    }
}
