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
 * The job at large d (issue 15). At d = 10⁴: a 10 002-column CSV (id, t, x0..x9999) is read within the default
 * limits (the bounded line reader), SCaSML runs with an analytic surrogate, and {@code --no-coordinates} leaves the
 * coordinate columns out of the result rows, keeping id and t. The wide Spark SQL paths — result rows with every
 * coordinate (CSV and Parquet) and a Parquet input with a column per coordinate — run at d = 1500, above
 * {@code WideRows.CODEGEN_MAX_FIELDS} (interpreted projections): the same bits as the CSV-input run without
 * coordinates. (At d = 10⁴ those wide paths take tens of seconds on 2 loaded cores — spark-jobs/README.md — so the
 * test keeps them at d = 1500.) A handful of points and M = 2.
 */
class TenThousandDimensionsTest {
    static final int N = 3;

    @TempDir
    static Path tmp;

    private static List<String> args(int d, String points, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("solve", "--pde", "vb", "--dim", Integer.toString(d), "--points",
            points, "--levels", "1", "--base", "2", "--method", "scasml", "--surrogate",
            "class:io.scasml.spark.PerturbedVbSurrogate", "--no-guard", "--seed", "5", "--out", out.toString(),
            "--master", "local[2]", "--no-progress"));
        a.addAll(List.of(extra));
        return a;
    }

    private static void cli(List<String> a) {
        TestSupport.cli(a.toArray(new String[0])).ok();
    }

    /** id → "t|the columns after the coordinates (u_surrogate onwards)". */
    private static Map<Long, String> tail(Path out, int skip) throws Exception {
        Map<Long, String> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(out.resolve("points.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            m.put(Long.parseLong(f[0]), f[1] + "|" + String.join(",", List.of(f).subList(2 + skip, f.length)));
        }
        return m;
    }

    /** A CSV of N points with id, t and d coordinates of size 1/√d (the VB test domain at large d). */
    private static Path points(int d) throws Exception {
        Path csv = tmp.resolve("points-" + d + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder("id,t");
            for (int k = 0; k < d; k++) {
                h.append(",x").append(k);
            }
            w.write(h.append('\n').toString());
            for (int i = 0; i < N; i++) {
                StringBuilder r = new StringBuilder().append(10 + i).append(',').append(0.1 * i);
                for (int k = 0; k < d; k++) {
                    r.append(',').append(Math.sin(k + 7.0 * i) / Math.sqrt(d));
                }
                w.write(r.append('\n').toString());
            }
        }
        return csv;
    }

    /** The run without coordinates: header, ids, finite values; returns its rows. */
    private static Map<Long, String> lean(int d, String input, String name) throws Exception {
        Path out = tmp.resolve(name);
        cli(args(d, input, out, "--format", "csv", "--no-coordinates"));
        String header = TestSupport.csvHeader(out);
        assertTrue(header.startsWith("id,t,u_surrogate,correction,u,") && !header.contains(",x0,"), header);
        Map<Long, String> rows = tail(out, 0);
        assertEquals(List.of(10L, 11L, 12L), new ArrayList<>(rows.keySet()));
        for (String v : rows.values()) {
            String u = v.split("\\|")[1].split(",")[2];
            assertTrue(Double.isFinite(Double.parseDouble(u)), v);
        }
        assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile())
            .get("parameters").get("coordinates").asBoolean());
        return rows;
    }

    @Test
    void tenThousandColumnCsvWithoutCoordinates() throws Exception {
        lean(10_000, points(10_000).toString(), "lean-10000");
        assertFalse(TestSupport.anyNamed(tmp, "scasml-tmp"), "temporary directory left behind");
    }

    @Test
    void wideOutputsAndParquetInput() throws Exception {
        int d = 1500;
        Path csv = points(d);
        Map<Long, String> expected = lean(d, csv.toString(), "lean-1500");
        Path full = tmp.resolve("full-1500");
        cli(args(d, csv.toString(), full, "--format", "csv"));
        String header = TestSupport.csvHeader(full);
        assertTrue(header.startsWith("id,t,x0,x1,") && header.contains(",x1499,u_surrogate,"), header.substring(0, 40));
        assertEquals(expected, tail(full, d));
        // Parquet input with a column per coordinate: the Parquet output of a run that keeps them
        Path pq = tmp.resolve("pq-1500");
        cli(args(d, csv.toString(), pq));
        assertEquals(expected, lean(d, pq.resolve("points.parquet").toString(), "from-parquet-1500"));
        assertFalse(TestSupport.anyNamed(tmp, "scasml-tmp"), "temporary directory left behind");
    }

    /**
     * The probe_variance_share column (issue 15): finite and in [0, 1] (the direct part of the probes' share, up to
     * sampling noise: bound 1.5) with a randomized Laplacian of K ≥ 2 probes; NaN with the exact one. The shipped
     * vb20 surrogate, 3 points, n = 1, M = 2.
     */
    @Test
    void probeVarianceShareColumn() throws Exception {
        int d = 20;
        Path csv = points(d);
        String sur = Path.of("..", "examples", "surrogates", "vb20").toAbsolutePath().normalize().toString();
        for (String lap : new String[] {"hutchinson:4", "exact"}) {
            Path out = tmp.resolve("probe-" + lap.replace(':', '-'));
            cli(List.of("solve", "--pde", "vb", "--dim", "20", "--points", csv.toString(), "--levels", "1", "--base",
                "2", "--method", "scasml", "--surrogate", sur, "--no-guard", "--seed", "5", "--out", out.toString(),
                "--master", "local[2]", "--no-progress", "--format", "csv", "--no-coordinates", "--laplacian", lap));
            List<String> lines = Files.readAllLines(out.resolve("points.csv"));
            int c = List.of(lines.get(0).split(",")).indexOf("probe_variance_share");
            assertTrue(c > 0, lines.get(0));
            for (String l : lines.subList(1, lines.size())) {
                String v = l.split(",", -1)[c];
                if (lap.equals("exact")) {
                    assertTrue(v.isEmpty() || v.equals("NaN"), l);
                } else {
                    double share = Double.parseDouble(v);
                    assertTrue(share >= 0 && share <= 1.5, l);
                }
            }
        }
    }
}
