package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scasml.spark.cli.CliContract;
import io.scasml.spark.cli.SolveCommand;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs this module's command ({@code scasml solve}, under {@link CliContract}) in-process and reads results back (CSV
 * written by the job). The full command line, with every module's commands, is the cli module's (tested there).
 */
public final class TestSupport {
    private TestSupport() {
    }

    /** {@code scasml} with this module's command only: the same root name, version and error contract as cli's. */
    @Command(name = "scasml", mixinStandardHelpOptions = true, versionProvider = CliContract.Version.class,
        subcommands = SolveCommand.class)
    static final class SolveOnly implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("scasml (spark-jobs tests): give the solve command");
        }
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
            code = CliContract.execute(new CommandLine(new SolveOnly()), po, pe, args);
        }
        String err = e.toString(StandardCharsets.UTF_8);
        System.err.print(err);
        return new Result(code, o.toString(StandardCharsets.UTF_8), err);
    }

    /**
     * The Java 17 flags for the JVMs the cluster tests start (Master, Workers, executors): the root pom's
     * {@code scasml.jvm.opens}, passed by Surefire as a system property (spark-jobs/pom.xml).
     */
    public static List<String> jvmOptions() {
        String opens = System.getProperty("scasml.jvm.opens");
        if (opens == null || opens.isBlank()) {
            throw new IllegalStateException("scasml.jvm.opens is not set (Surefire sets it: spark-jobs/pom.xml)");
        }
        return new ArrayList<>(Arrays.asList(opens.trim().split("\\s+")));
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
