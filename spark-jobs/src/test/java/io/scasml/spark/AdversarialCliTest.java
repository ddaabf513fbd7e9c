package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.io.OutputDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial input through the command line, as a hostile or careless user would try it: destructive
 * {@code --out/--overwrite} targets, huge lines, many and duplicate columns, byte-order marks, bytes that are not
 * UTF-8, run files with duplicate keys, anchors, aliases and tags, secrets in {@code --conf}, absurd option values.
 *
 * <p>Every refused case (48) asserts the exit code, that stderr is exactly one line (no stack trace, no "Caused by",
 * no exception class), that the line names the file / field / value, that no file under the test's workspace was
 * written, changed or deleted (checksums of every file before and after), and a wall-time bound. Four more tests:
 * a BOM CSV gives the bits of the same file without it, secrets stay out of summary.json and the output, an internal
 * error is one line naming the run log, --overwrite replaces a marked output, and two runs with points that are not
 * finite (NaN in F, a surrogate that overflows) complete with exit 3, the status column and a warning line.
 *
 * <p>Against the code before issue 11 (same cases): every destructive --overwrite target but "/" and the surrogate
 * directory was deleted after the job (points directory and file, spec and run-file directories, home, the whole
 * workspace, an unmarked directory, a file, a symlink to the inputs); many and duplicate columns, duplicate JSON keys,
 * a non-UTF-8 header, run files with duplicate keys, aliases, tags and nested conf values were accepted (last value
 * wins); the BOM CSV gave other numbers (ids lost); --partitions 2000000000 crashed the JVM (OutOfMemoryError);
 * --points-per-unit 2000000000 ran; a 20 MiB gzip header line was buffered and printed as a 20 MB error line; secrets were copied into summary.json; the NaN generator ended in exit 1 with
 * Spark stack traces on the terminal; non-UTF-8 spec and run files printed Java exception class names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdversarialCliTest {
    /** Exit code of a completed run with points that are not finite. */
    static final int EXIT_NONFINITE = 3;
    @TempDir
    static Path tmp;
    static Path ws;
    static Path data;
    static Path points;
    static Path pos;
    private String savedHome;

    /** One refused invocation. */
    record Case(String name, Supplier<List<String>> args, int code, List<String> expect, double maxSeconds) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------------------------------------ workspace

    @BeforeAll
    void workspace() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        pos = Files.createDirectories(tmp.resolve("pos"));
        data = Files.createDirectories(ws.resolve("data"));
        points = data.resolve("points.csv");
        Files.write(points, pointLines());
        byte[] body = String.join("\n", pointLines()).concat("\n").getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bom, 3, body.length);
        Files.write(data.resolve("points-bom.csv"), bom);
        Files.createDirectories(ws.resolve("sur"));
        Files.writeString(ws.resolve("sur/surrogate.json"), "{\"format\": \"scasml-surrogate\"}");
        Files.createDirectories(ws.resolve("specs"));
        Files.writeString(ws.resolve("specs/vb.yaml"), catalogSpec("vb"));
        Files.writeString(ws.resolve("specs/nan.yaml"), catalogSpec("vb").replace("name: vb", "name: vbnan")
            .replaceFirst("(?m)^generator: .*$", "generator: sigma * u * sum(z) + sqrt(u - 5)"));
        byte[] spec = catalogSpec("vb").getBytes(StandardCharsets.UTF_8);
        byte[] badSpec = Arrays.copyOf(spec, spec.length + 8);
        System.arraycopy("# caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), 0, badSpec, spec.length, 6);
        Files.write(ws.resolve("specs/latin1.yaml"), Arrays.copyOf(badSpec, spec.length + 6));
        Files.createDirectories(ws.resolve("userdir"));
        Files.writeString(ws.resolve("userdir/thesis.tex"), "years of work");
        Files.writeString(data.resolve("notes.txt"), "a file, not a directory");
        Files.createSymbolicLink(ws.resolve("link-to-data"), data);
        Files.createDirectories(ws.resolve("home"));
        Files.writeString(ws.resolve("home/.profile"), "export PATH");
        // an earlier scasml output (marker written as OutputDirs writes it)
        Files.createDirectories(ws.resolve("earlier"));
        Files.writeString(ws.resolve("earlier/points.csv"), "id,u\n1,0.5\n");
        Files.writeString(ws.resolve("earlier/" + OutputDirs.MARKER),
            "{\"scasml_output\":1,\"kind\":\"solve\",\"run_id\":\"earlier\"}");
        Files.createDirectories(ws.resolve("cfg"));
        Files.write(ws.resolve("cfg/max-base.yaml"), List.of("pde: vb", "dim: 3", "points: sample:8", "base: 8",
            "max-base: 4", "method: mlp", "master: local[1]", "out: " + pos.resolve("never24")));
        Files.write(ws.resolve("cfg/run.yaml"), List.of("pde: vb", "dim: 3", "points: sample:8", "levels: 2",
            "base: 3", "method: mlp", "master: local[1]", "progress: false"));

        // huge lines: gzip of one enormous line (a few KiB compressed, 20 MiB decompressed)
        gzipWithLongLine(data.resolve("huge-line2.csv.gz"), "t,x0,x1,x2\n", 20 << 20, "");
        gzipWithLongLine(data.resolve("huge-header.csv.gz"), "", 20 << 20, "\n0.1,0,0,0\n");
        StringBuilder wide = new StringBuilder("t,x0,x1,x2");
        for (int i = 0; i < 100_001; i++) {
            wide.append(",c").append(i);
        }
        Files.writeString(data.resolve("wide.csv"), wide + "\n0.1,0,0,0\n");
        Files.writeString(data.resolve("long-row.csv"), "t,x0,x1,x2\n0.1,0,0," + "0".repeat(5000) + "\n");
        Files.write(data.resolve("dup.csv"), List.of("id,t,x0,x1,x2,x0", "1,0.1,0,0,0,0.5"));
        Files.write(data.resolve("dup-case.csv"), List.of("id,t,x0,x1,x2,T", "1,0.1,0,0,0,0.4"));
        Files.write(data.resolve("dup.jsonl"), List.of("{\"t\": 0.1, \"x\": [0, 0, 0]}",
            "{\"t\": 0.1, \"x\": [0, 0, 0], \"t\": 0.4}"));
        byte[] latin = "t,x0,x1,x2\n0.1,0,0,0\n0.2,0,0,0 # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(data.resolve("latin1.csv"), latin);
        Files.write(data.resolve("latin1-header.csv"),
            "t,x0,x1,x2,\u00e9t\u00e9\n0.1,0,0,0,1\n".getBytes(StandardCharsets.ISO_8859_1));
        StringBuilder manyCols = new StringBuilder("{\"t\": 0.1, \"x\": [0, 0, 0]");
        for (int i = 0; i < 100_001; i++) {
            manyCols.append(", \"c").append(i).append("\": 0");
        }
        Files.writeString(data.resolve("wide.jsonl"), manyCols + "}\n");

        // run files
        Files.write(ws.resolve("cfg/dup.yaml"), List.of("pde: vb", "levels: 2", "levels: 3"));
        Files.write(ws.resolve("cfg/anchor.yaml"), List.of("pde: vb", "levels: &l 2", "base: *l"));
        Files.write(ws.resolve("cfg/tag.yaml"), List.of("pde: vb", "levels: !!str 2"));
        Files.write(ws.resolve("cfg/unknown.yaml"), List.of("pde: vb", "levles: 2"));
        Files.write(ws.resolve("cfg/spelling.yaml"), List.of("pde: vb", "points_per_unit: 4", "points-per-unit: 8"));
        Files.write(ws.resolve("cfg/latin1.yaml"), "pde: vb\nout: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(ws.resolve("cfg/nested.yaml"), List.of("pde: vb", "conf:", "  spark.a:", "    b: c"));
        Files.write(ws.resolve("cfg/huge-limit.yaml"), List.of("pde: vb", "limit:", "  base: 2000000", "base: 20000",
            "levels: 1"));

        // a Parquet file whose columns x0 and X0 differ only in case (written with case-sensitive analysis)
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master("local[1]")
            .appName("adversarial-fixture").config("spark.sql.caseSensitive", "true")
            .config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.range(2).selectExpr("id", "0.1 as t", "0.0 as x0", "0.0 as x1", "0.0 as x2", "0.3 as X0")
                .write().parquet(data.resolve("dup.parquet").toString());
        } finally {
            spark.stop();
            org.apache.spark.sql.SparkSession.clearActiveSession();
            org.apache.spark.sql.SparkSession.clearDefaultSession();
        }

        savedHome = System.getProperty("user.home");
        System.setProperty("user.home", ws.resolve("home").toString());
    }

    @AfterAll
    void restoreHome() {
        System.setProperty("user.home", savedHome);
    }

    private static List<String> pointLines() {
        List<String> l = new ArrayList<>();
        l.add("id,t,x0,x1,x2");
        // ids in shuffled order: if the id column were lost, ids would be row ordinals and the numbers would differ
        int[] ids = {107, 103, 111, 100, 105, 109, 101, 104, 110, 102, 108, 106};
        for (int i = 0; i < ids.length; i++) {
            l.add(ids[i] + "," + (0.05 * (i % 5)) + "," + (0.1 * (i % 3)) + "," + (-0.05 * (i % 4)) + ","
                + (0.02 * i));
        }
        return l;
    }

    private static String catalogSpec(String name) throws IOException {
        try (InputStream in = AdversarialCliTest.class.getClassLoader()
            .getResourceAsStream("io/scasml/pde/catalog/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void gzipWithLongLine(Path p, String before, int n, String after) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(before.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 16];
            Arrays.fill(chunk, (byte) '7');
            for (int w = 0; w < n; w += chunk.length) {
                o.write(chunk);
            }
            o.write(after.getBytes(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------------------------------------ cases

    private static List<String> solve(String pts, Path out, String... extra) {
        List<String> a = TestSupport.vbArgs(pts, out, "local[1]");
        a.addAll(List.of(extra));
        return a;
    }

    private static Case c(String name, Supplier<List<String>> args, double maxSeconds, String... expect) {
        return new Case(name, args, 2, List.of(expect), maxSeconds);
    }

    /**
     * Refusals before Spark starts (options, run files, outputs, specs, CSV headers) get 30 s; those found while
     * reading the points' rows 120 s (Spark start-up on a busy 2-core machine included).
     */
    Stream<Case> cases() {
        double quick = 30;
        double read = 120;
        return Stream.of(
            // ---- destructive --out / --overwrite targets
            c("overwrite the points file's directory", () -> solve(points.toString(), data, "--overwrite"), quick,
                "--out", data.toString(), "contains the input"),
            c("overwrite the points file itself", () -> solve(points.toString(), points, "--overwrite"), quick,
                "--out", "is the input"),
            c("overwrite the surrogate directory", () -> solve("sample:4", ws.resolve("sur"), "--overwrite",
                "--method", "scasml", "--surrogate", ws.resolve("sur").toString()), quick, "is the input", "sur"),
            c("overwrite the spec file's directory", () -> {
                List<String> a = solve("sample:4", ws.resolve("specs"), "--overwrite");
                a.set(a.indexOf("vb"), ws.resolve("specs/vb.yaml").toString());
                return a;
            }, quick, "contains the input", "vb.yaml"),
            c("overwrite the run file's directory", () -> List.of("solve", "--config",
                ws.resolve("cfg/run.yaml").toString(), "--out", ws.resolve("cfg").toString(), "--overwrite"), quick,
                "contains the input", "run.yaml"),
            c("overwrite the working directory", () -> solve("sample:4", Path.of(System.getProperty("user.dir")),
                "--overwrite"), quick, "is the working directory"),
            c("overwrite a parent of the working directory", () -> solve("sample:4",
                Path.of(System.getProperty("user.dir")).getParent(), "--overwrite"), quick,
                "contains the working directory"),
            c("overwrite the home directory", () -> solve("sample:4", ws.resolve("home"), "--overwrite"), quick,
                "is the home directory"),
            c("overwrite the workspace holding every input", () -> solve(points.toString(), ws, "--overwrite"),
                quick, "contains"),
            c("overwrite an unmarked user directory", () -> solve("sample:4", ws.resolve("userdir"),
                "--overwrite"), quick, "userdir", "is not a scasml output"),
            c("overwrite a file", () -> solve("sample:4", data.resolve("notes.txt"), "--overwrite"), quick,
                "notes.txt", "is a file"),
            c("overwrite a symlink to an input's directory", () -> solve(points.toString(),
                ws.resolve("link-to-data"), "--overwrite"), quick, "link-to-data", "contains the input"),
            c("overwrite the root directory", () -> solve("sample:4", Path.of("/"), "--overwrite"), quick,
                "--out", "root"),
            c("earlier output without --overwrite", () -> solve("sample:4", ws.resolve("earlier")), quick,
                "earlier", "already exists", "--overwrite"),

            // ---- huge lines, many columns
            c("gzip with one enormous data line", () -> solve(data.resolve("huge-line2.csv.gz").toString(),
                pos.resolve("never1")), read, "huge-line2.csv.gz", "line 2", "line-bytes = 16777216"),
            c("gzip with one enormous header line", () -> solve(data.resolve("huge-header.csv.gz").toString(),
                pos.resolve("never2")), quick, "huge-header.csv.gz", "line 1", "line-bytes"),
            c("line over a lowered --limit line-bytes", () -> solve(data.resolve("long-row.csv").toString(),
                pos.resolve("never3"), "--limit", "line-bytes=1000"), read, "long-row.csv", "line 2",
                "line-bytes = 1000"),
            c("CSV header with 100 005 columns", () -> solve(data.resolve("wide.csv").toString(),
                pos.resolve("never4")), quick, "wide.csv", "line 1", "columns = 100000"),
            c("JSON line with 100 003 keys", () -> solve(data.resolve("wide.jsonl").toString(),
                pos.resolve("never5")), read, "wide.jsonl", "line 1", "columns = 100000"),

            // ---- duplicate columns, encodings
            c("duplicate CSV column", () -> solve(data.resolve("dup.csv").toString(), pos.resolve("never6")), quick,
                "dup.csv", "line 1", "'x0' appears twice"),
            c("duplicate CSV column differing in case", () -> solve(data.resolve("dup-case.csv").toString(),
                pos.resolve("never7")), quick, "dup-case.csv", "'T' appears twice"),
            c("Parquet columns differing only in case", () -> solve(data.resolve("dup.parquet").toString(),
                pos.resolve("never-pq")), read, "dup.parquet", "x0"),
            c("duplicate JSON key", () -> solve(data.resolve("dup.jsonl").toString(), pos.resolve("never8")), read,
                "dup.jsonl", "line 2", "duplicate key", "'t'"),
            c("non-UTF-8 CSV data line", () -> solve(data.resolve("latin1.csv").toString(), pos.resolve("never9")),
                read, "latin1.csv", "line 3", "byte 0xE9", "byte offset 36"),
            c("non-UTF-8 CSV header", () -> solve(data.resolve("latin1-header.csv").toString(),
                pos.resolve("never10")), quick, "latin1-header.csv", "line 1", "byte offset 11"),
            c("non-UTF-8 spec file", () -> {
                List<String> a = solve("sample:4", pos.resolve("never11"));
                a.set(a.indexOf("vb"), ws.resolve("specs/latin1.yaml").toString());
                return a;
            }, quick, "latin1.yaml", "not UTF-8", "byte offset"),
            c("missing spec file", () -> {
                List<String> a = solve("sample:4", pos.resolve("never12"));
                a.set(a.indexOf("vb"), ws.resolve("specs/nope.yaml").toString());
                return a;
            }, quick, "nope.yaml", "neither a catalog name"),

            // ---- run files
            c("run file with a duplicate key", () -> List.of("solve", "--config", ws.resolve("cfg/dup.yaml")
                .toString()), quick, "dup.yaml", "duplicate key", "levels", "line 3"),
            c("run file with an anchor and alias", () -> List.of("solve", "--config",
                ws.resolve("cfg/anchor.yaml").toString()), quick, "anchor.yaml", "YAML alias *l", "line 3"),
            c("run file with a type tag", () -> List.of("solve", "--config", ws.resolve("cfg/tag.yaml").toString()),
                quick, "tag.yaml", "type tag"),
            c("run file with an unknown key", () -> List.of("solve", "--config",
                ws.resolve("cfg/unknown.yaml").toString()), quick, "unknown.yaml", "unknown key 'levles'"),
            c("run file with one option spelled twice", () -> List.of("solve", "--config",
                ws.resolve("cfg/spelling.yaml").toString()), quick, "spelling.yaml", "points-per-unit",
                "appear once"),
            c("non-UTF-8 run file", () -> List.of("solve", "--config", ws.resolve("cfg/latin1.yaml").toString()),
                quick, "latin1.yaml", "byte offset 16"),
            c("run file with a nested conf value", () -> List.of("solve", "--config",
                ws.resolve("cfg/nested.yaml").toString(), "--points", "sample:4", "--out",
                pos.resolve("never13").toString()), quick, "nested.yaml", "conf.spark.a", "a single value"),
            c("missing run file", () -> List.of("solve", "--config", ws.resolve("cfg/nope.yaml").toString()),
                quick, "nope.yaml", "does not exist"),

            // ---- absurd option values
            c("--partitions 2000000000", () -> solve("sample:4", pos.resolve("never14"), "--partitions",
                "2000000000"), quick, "partitions: 2000000000", "limit partitions = 100000", "--limit partitions="),
            c("--base 1000000", () -> solve("sample:4", pos.resolve("never15"), "--base", "1000000"), quick,
                "base: 1000000", "limit base = 10000"),
            c("--levels 100", () -> solve("sample:4", pos.resolve("never16"), "--levels", "100"), quick,
                "levels: 100", "limit levels = 20"),
            c("sample:10000000000", () -> solve("sample:10000000000", pos.resolve("never17")), quick,
                "sample:N: 10000000000", "limit points = 100000000"),
            c("--points-per-unit 2000000000", () -> solve("sample:4", pos.resolve("never18"), "--points-per-unit",
                "2000000000"), quick, "points-per-unit: 2000000000", "limit points-per-unit"),
            c("--dim 10000000", () -> solve("sample:4", pos.resolve("never19"), "--dim", "10000000"), quick,
                "dim: 10000000", "limit dim = 65536"),
            c("engine option from its descriptor only (--max-base)", () -> solve("sample:4",
                pos.resolve("never22"), "--max-base", "2"), quick, "base: M = 3", "max_base = 2"),
            c("engine option in a run file from its descriptor only (max-base)", () -> List.of("solve", "--config",
                ws.resolve("cfg/max-base.yaml").toString()), quick, "base: M = 8", "max_base = 4"),
            c("engine option with a bad value", () -> solve("sample:4", pos.resolve("never23"), "--levels", "two"),
                quick, "levels: 'two' is not a valid integer"),
            c("unknown --limit", () -> solve("sample:4", pos.resolve("never20"), "--limit", "cpu=1"), quick,
                "limit: unknown limit 'cpu'"),
            c("raised limit still bounds the budget", () -> List.of("solve", "--config",
                ws.resolve("cfg/huge-limit.yaml").toString(), "--points", "sample:4", "--out",
                pos.resolve("never21").toString(), "--method", "mlp", "--max-evals", "1000"), quick, "budget"),

            // ---- secrets never printed
            c("secret in --conf of a refused run", () -> solve("sample:4", ws.resolve("userdir"), "--overwrite",
                "--conf", "spark.hadoop.fs.s3a.secret.key=HUNTER2-SECRET"), quick, "is not a scasml output"),
            c("secret in a URI of a refused path", () -> solve("sample:4",
                Path.of("/definitely/not/here/../x"), "--config", "file:///nonexistent/run.yaml",
                "--conf", "spark.hadoop.fs.s3a.access.key=HUNTER2-SECRET"), quick, "run.yaml", "does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refused(Case k) throws Exception {
        Map<String, String> before = checksums(ws);
        long t0 = System.nanoTime();
        TestSupport.Result r = TestSupport.cli(k.args().get().toArray(new String[0]));
        double secs = (System.nanoTime() - t0) / 1e9;
        String err = r.err().strip();
        assertEquals(k.code(), r.code(), "exit code; stderr: " + err);
        oneCleanLine(err);
        for (String e : k.expect()) {
            assertTrue(err.contains(e), "expected '" + e + "' in: " + err);
        }
        assertFalse(err.contains("HUNTER2") || r.out().contains("HUNTER2"), "secret printed: " + err);
        assertEquals(before, checksums(ws), "files under the workspace were written, changed or deleted");
        assertTrue(secs < k.maxSeconds(), k.name() + " took " + secs + " s, bound " + k.maxSeconds());
        try (Stream<Path> s = Files.list(pos)) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith("ok-")).toList(),
                "output or staging left behind");
        }
    }

    static void oneCleanLine(String err) {
        assertEquals(1, err.lines().count(), "stderr must be one line: " + err);
        assertTrue(err.startsWith("scasml: "), err);
        for (String bad : new String[] {"Caused by", "Exception", "\tat ", "Error:"}) {
            assertFalse(err.contains(bad), "'" + bad + "' in: " + err);
        }
    }

    /** Relative path → SHA-256 of every file (and "dir" for every directory) under {@code root}, links not followed. */
    static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "link:" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    m.put(rel, "dir");
                } else {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    m.put(rel, HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
                }
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------ accepted

    /** A byte-order mark is stripped: the id column is read, and the numbers are those of the file without it. */
    @Test
    void bomCsvGivesTheSameBitsAsWithout() throws Exception {
        Map<String, String> before = checksums(ws);
        List<String> a = solve(points.toString(), pos.resolve("ok-plain"), "--format", "csv");
        TestSupport.cli(a.toArray(new String[0])).ok();
        List<String> b = solve(data.resolve("points-bom.csv").toString(), pos.resolve("ok-bom"), "--format", "csv");
        TestSupport.cli(b.toArray(new String[0])).ok();
        Map<Long, String> plain = TestSupport.csvRows(pos.resolve("ok-plain"));
        assertEquals(plain, TestSupport.csvRows(pos.resolve("ok-bom")));
        assertTrue(plain.containsKey(100L) && plain.containsKey(111L) && !plain.containsKey(0L),
            "ids from the id column: " + plain.keySet());
        assertEquals(before, checksums(ws));
    }

    /**
     * Secrets given with --conf and in a run file's conf: are not in summary.json nor in anything printed; the
     * spec and the run file are read from file: URIs through the Hadoop FileSystem API; the output carries the
     * marker.
     */
    @Test
    void secretsStayInTheProcess() throws Exception {
        Path cfg = pos.resolve("ok-secret-run.yaml");
        Files.write(cfg, List.of("conf:", "  spark.hadoop.fs.s3a.secret.key: RUNFILE-SECRET-1",
            "  spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net: AZURE-TOKEN-2"));
        Path out = pos.resolve("ok-secret");
        List<String> a = solve("sample:4", out, "--config", cfg.toUri().toString(), "--conf",
            "spark.hadoop.fs.s3a.access.key=AKIA-CLI-SECRET-3", "--conf", "spark.hadoop.fs.s3a.secret.key=CLI-4",
            "--conf", "spark.ssl.keyPassword=PASS-5");
        a.set(a.indexOf("vb"), ws.resolve("specs/vb.yaml").toUri().toString());
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0])).ok();
        String summary = Files.readString(out.resolve("summary.json"));
        for (String secret : new String[] {"RUNFILE-SECRET-1", "AZURE-TOKEN-2", "AKIA-CLI-SECRET-3", "CLI-4",
            "PASS-5"}) {
            assertFalse(summary.contains(secret), secret + " in summary.json");
            assertFalse(r.out().contains(secret) || r.err().contains(secret), secret + " printed");
        }
        JsonNode conf = new ObjectMapper().readTree(summary).at("/parameters/conf");
        assertEquals("***", conf.get("spark.hadoop.fs.s3a.secret.key").asText(), summary);
        assertEquals("***", conf.get("spark.hadoop.fs.s3a.access.key").asText());
        assertTrue(Files.isRegularFile(out.resolve(OutputDirs.MARKER)));
    }

    /**
     * An internal error (here: an injected task failure that local[1] does not retry) exits 1 with one line saying
     * so and naming the run log, which holds the stack trace; no stack trace on stderr, nothing written.
     */
    @Test
    void internalErrorIsOneLineNamingTheLog() throws Exception {
        Map<String, String> before = checksums(ws);
        TestSupport.Result r = TestSupport.cli(solve("sample:8", pos.resolve("never-internal"), "--inject-failures",
            "1:throw").toArray(new String[0]));
        String err = r.err().strip();
        assertEquals(1, r.code(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("scasml: internal error: ") && err.contains("(details: "), err);
        assertFalse(err.contains("\tat ") || err.contains("Caused by"), err);
        Path log = Path.of(err.substring(err.indexOf("(details: ") + 10, err.lastIndexOf(')')));
        String text = Files.readString(log);
        assertTrue(text.contains("scasml: the run failed") && text.contains("\tat "), text);
        assertFalse(Files.exists(pos.resolve("never-internal")));
        assertEquals(before, checksums(ws));
    }

    /** --overwrite replaces an earlier scasml output (marked), and only after the new one is complete. */
    @Test
    void overwriteReplacesAnEarlierOutput() throws Exception {
        Path out = pos.resolve("ok-twice");
        TestSupport.cli(solve("sample:4", out, "--format", "csv").toArray(new String[0])).ok();
        String first = Files.readString(out.resolve(OutputDirs.MARKER));
        TestSupport.cli(solve("sample:5", out, "--format", "csv", "--overwrite").toArray(new String[0])).ok();
        assertEquals(5, TestSupport.csvRows(out).size());
        assertFalse(first.equals(Files.readString(out.resolve(OutputDirs.MARKER))), "a new run id");
        try (Stream<Path> s = Files.list(pos)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("scasml-")), "staging left behind");
        }
    }

    // ------------------------------------------------------------------------------------------------ non-finite

    /**
     * F = sigma·u·Σz + sqrt(u − 5) is NaN everywhere (u < 5): the run completes, every point is written with NaN
     * values and status nonfinite_generator, summary.json counts them, the last line on stderr is the warning naming
     * the count and the first ids, and the exit code is 3 (was: exit 2, refused naming the spec field).
     */
    @Test
    void nanInTheGeneratorIsData() throws Exception {
        Map<String, String> before = checksums(ws);
        Path out = pos.resolve("ok-nan");
        List<String> a = solve("sample:6", out, "--format", "csv");
        a.set(a.indexOf("vb"), ws.resolve("specs/nan.yaml").toString());
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0]));
        String err = r.err().strip();
        assertEquals(EXIT_NONFINITE, r.code(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        List<String> lines = err.lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("scasml: warning: 6 of 6 point(s) are not finite") && last.contains(
            "nonfinite_generator 6") && last.contains("first ids: 0, 1, 2, 3, 4, ...") && last.contains("exit code 3"),
            last);
        List<String> rows = Files.readAllLines(out.resolve("points.csv"));
        List<String> head = List.of(rows.get(0).split(","));
        int st = head.indexOf("status");
        int u = head.indexOf("u");
        assertTrue(st > 0 && head.contains("dof"), rows.get(0));
        assertEquals(7, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] v = row.split(",");
            assertEquals("nonfinite_generator", v[st], row);
            assertEquals("NaN", v[u], row);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(6, s.get("points_not_finite").asLong());
        assertEquals(6, s.at("/status_counts/nonfinite_generator").asLong());
        assertEquals(0, s.at("/status_counts/ok").asLong());
        assertEquals("[0,1,2,3,4]", s.get("first_not_finite_ids").toString());
        assertTrue(s.get("metrics").isNull(), "no ok points, no metrics: " + s.get("metrics"));
        assertEquals(before, checksums(ws));
    }

    /** Guarded SCaSML (the default): the overflowing point is carried by plain MLP and is a number. */
    @Test
    void surrogateOverflowGuardedIsCarriedByMlp() throws Exception {
        Path pts = pos.resolve("ok-overflow-guarded-points.csv");
        Files.write(pts, List.of("id,t,x0,x1,x2", "10,0.1,0,0,0", "11,0.2,100,0,0", "12,0.3,0.1,0.2,0",
            "13,0.4,-0.1,0,0.1"));
        Path out = pos.resolve("ok-overflow-guarded");
        List<String> a = solve(pts.toString(), out, "--format", "csv", "--surrogate",
            "class:io.scasml.spark.OverflowSurrogate");
        a.set(a.indexOf("mlp"), "scasml");
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("carried by plain MLP") && r.err().contains("not a number"), r.err());
        List<String> head = List.of(TestSupport.csvHeader(out).split(","));
        String[] v = TestSupport.csvRows(out).get(11L).split(",", -1);
        assertEquals("ok", v[head.indexOf("status")]);
        assertEquals("mlp", v[head.indexOf("guard_carried_by")]);
        assertEquals("0.0", v[head.indexOf("guard_weight")]);
        assertEquals("NaN", v[head.indexOf("u_scasml")]);
    }

    /**
     * A surrogate that is +Infinity where x0 >= 50, at one query point of four: that point is nonfinite_surrogate,
     * the other three are ok and carry numbers and error bars; metrics are over the ok points and say so; exit 3.
     */
    @Test
    void surrogateOverflowIsData() throws Exception {
        Path pts = pos.resolve("ok-overflow-points.csv");
        Files.write(pts, List.of("id,t,x0,x1,x2", "10,0.1,0,0,0", "11,0.2,100,0,0", "12,0.3,0.1,0.2,0",
            "13,0.4,-0.1,0,0.1"));
        Path out = pos.resolve("ok-overflow");
        // unguarded: the point's SCaSML estimate is NaN (guarded, plain MLP carries it: surrogateOverflowGuarded)
        List<String> a = solve(pts.toString(), out, "--format", "csv", "--surrogate",
            "class:io.scasml.spark.OverflowSurrogate", "--no-guard");
        a.set(a.indexOf("mlp"), "scasml");
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0]));
        String err = r.err().strip();
        assertEquals(EXIT_NONFINITE, r.code(), err);
        List<String> lines = err.lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("scasml: warning: 1 of 4 point(s) are not finite")
            && last.contains("nonfinite_surrogate 1") && last.contains("first ids: 11;"), last);
        Map<Long, String> rows = TestSupport.csvRows(out);
        List<String> head = List.of(TestSupport.csvHeader(out).split(","));
        int st = head.indexOf("status");
        int se = head.indexOf("std_error");
        int dof = head.indexOf("dof");
        for (Map.Entry<Long, String> e : rows.entrySet()) {
            String[] v = e.getValue().split(",");
            if (e.getKey() == 11L) {
                assertEquals("nonfinite_surrogate", v[st], e.getValue());
                assertEquals("NaN", v[se], e.getValue());
            } else {
                assertEquals("ok", v[st], e.getValue());
                assertTrue(Double.isFinite(Double.parseDouble(v[se])), e.getValue());
                assertTrue(Double.parseDouble(v[dof]) >= 1, e.getValue());
            }
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(1, s.get("points_not_finite").asLong());
        assertEquals(3, s.at("/status_counts/ok").asLong());
        assertEquals(3, s.at("/metrics/points_with_exact").asLong(), s.get("metrics").toString());
        assertTrue(s.at("/metrics/over").asText().contains("status ok"), s.get("metrics").toString());
        assertTrue(Double.isFinite(s.at("/metrics/rel_l2").asDouble()), s.get("metrics").toString());
        assertEquals(3, s.at("/surrogate_metrics/points_with_exact").asLong());
    }
}
