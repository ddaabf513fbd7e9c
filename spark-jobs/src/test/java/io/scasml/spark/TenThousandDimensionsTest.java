package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job at d = 10⁴ (issue 15): a 10 002-column CSV (id, t, x0..x9999) and the same points as Parquet (the first
 * run's own output) are read within the default limits, SCaSML runs with an analytic surrogate, and
 * {@code --no-coordinates} leaves the 10⁴ coordinate columns out of the result rows, keeping id, t and every value
 * (the same bits as the run that writes them). A handful of points and M = 2: seconds.
 */
class TenThousandDimensionsTest {
    static final int D = 10_000;
    static final int N = 3;

    @TempDir
    static Path tmp;

    private static List<String> args(String points, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("solve", "--pde", "vb", "--dim", Integer.toString(D), "--points",
            points, "--levels", "1", "--base", "2", "--method", "scasml", "--surrogate",
            "class:io.scasml.spark.PerturbedVbSurrogate", "--no-guard", "--seed", "5", "--out", out.toString(),
            "--master", "local[2]", "--no-progress"));
        a.addAll(List.of(extra));
        return a;
    }

    /** id → the columns after the coordinates (u_surrogate onwards), by position. */
    private static Map<Long, String> tail(Path out, int skip) throws Exception {
        Map<Long, String> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(out.resolve("points.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            m.put(Long.parseLong(f[0]), f[1] + "|" + String.join(",", List.of(f).subList(2 + skip, f.length)));
        }
        return m;
    }

    private static void cli(List<String> a) throws Exception {
        long t0 = System.nanoTime();
        TestSupport.cli(a.toArray(new String[0])).ok();
        String out = a.get(a.indexOf("--out") + 1);
        System.out.println("TIMING " + a + " " + (System.nanoTime() - t0) / 1e9 + " s " + new com.fasterxml.jackson
            .databind.ObjectMapper().readTree(Path.of(out, "summary.json").toFile()).get("timings"));
    }

    @Test
    void csvAndParquetInputsAndOutputWithoutCoordinates() throws Exception {
        Path csv = tmp.resolve("points.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder("id,t");
            for (int k = 0; k < D; k++) {
                h.append(",x").append(k);
            }
            w.write(h.append('\n').toString());
            for (int i = 0; i < N; i++) {
                StringBuilder r = new StringBuilder().append(10 + i).append(',').append(0.1 * i);
                for (int k = 0; k < D; k++) {
                    // coordinates of size 1/√d (docs: the VB test domain at large d)
                    r.append(',').append(Math.sin(k + 7.0 * i) / Math.sqrt(D));
                }
                w.write(r.append('\n').toString());
            }
        }
        Path full = tmp.resolve("full");
        cli(args(csv.toString(), full, "--format", "csv"));
        String header = TestSupport.csvHeader(full);
        assertTrue(header.startsWith("id,t,x0,x1,") && header.contains(",x9999,u_surrogate,"), header.substring(0, 40));
        Map<Long, String> expected = tail(full, D);
        assertEquals(List.of(10L, 11L, 12L), new ArrayList<>(expected.keySet()));
        for (String v : expected.values()) {
            String u = v.split("\\|")[1].split(",")[2];
            assertTrue(Double.isFinite(Double.parseDouble(u)), v);
        }

        Path lean = tmp.resolve("lean");
        cli(args(csv.toString(), lean, "--format", "csv", "--no-coordinates"));
        String leanHeader = TestSupport.csvHeader(lean);
        assertTrue(leanHeader.startsWith("id,t,u_surrogate,correction,u,") && !leanHeader.contains(",x0,"), leanHeader);
        assertEquals(expected, tail(lean, 0));
        assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lean.resolve("summary.json").toFile())
            .get("parameters").get("coordinates").asBoolean());

        // Parquet input with 10 002 columns: the Parquet output of a run that keeps the coordinates
        Path pq = tmp.resolve("pq");
        cli(args(csv.toString(), pq));
        Path fromPq = tmp.resolve("from-parquet");
        cli(args(pq.resolve("points.parquet").toString(), fromPq, "--format", "csv", "--no-coordinates"));
        assertEquals(expected, tail(fromPq, 0));
        assertFalse(TestSupport.anyNamed(tmp, "scasml-tmp"), "temporary directory left behind");
    }
}
