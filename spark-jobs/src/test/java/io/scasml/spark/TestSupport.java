package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scasml.spark.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the command line in-process and reads results back (CSV written by the job). */
public final class TestSupport {
    private TestSupport() {
    }

    /** Exit code, stdout and stderr of one CLI run. */
    public record Result(int code, String out, String err) {
        public Result ok() {
            assertEquals(0, code, () -> "exit " + code + "\nstderr:\n" + err);
            return this;
        }
    }

    public static Result cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = Main.execute(po, pe, args);
        }
        String err = e.toString(StandardCharsets.UTF_8);
        System.err.print(err);
        return new Result(code, o.toString(StandardCharsets.UTF_8), err);
    }

    /** The small MLP run most tests use: VB d=3, n=2, M=3 (cheap but with several units per group). */
    public static List<String> vbArgs(String points, Path out, String master) {
        return new ArrayList<>(Arrays.asList("solve", "--pde", "vb", "--dim", "3", "--points", points,
            "--levels", "2", "--base", "3", "--method", "mlp", "--seed", "7", "--points-per-unit", "4",
            "--unit-cost", "20", "--out", out.toString(), "--master", master, "--no-progress"));
    }

    /** Reads OUT/points.csv into id → the full line (so equality is bit equality of every printed double). */
    public static Map<Long, String> csvRows(Path outDir) throws IOException {
        List<String> lines = Files.readAllLines(outDir.resolve("points.csv"));
        Map<Long, String> m = new TreeMap<>();
        for (String l : lines.subList(1, lines.size())) {
            m.put(Long.parseLong(l.substring(0, l.indexOf(','))), l);
        }
        return m;
    }

    public static String csvHeader(Path outDir) throws IOException {
        return Files.readAllLines(outDir.resolve("points.csv")).get(0);
    }

    /** Whether a directory (recursively) holds anything whose name contains the fragment. */
    public static boolean anyNamed(Path dir, String fragment) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().contains(fragment));
        }
    }
}
