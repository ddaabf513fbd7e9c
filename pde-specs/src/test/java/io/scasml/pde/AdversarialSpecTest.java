package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Hostile and malformed specs: CPU, memory and bytecode bombs, misreads (duplicate keys, anchors, aliases, merge keys,
 * tags, several documents, byte-order marks, non-UTF-8 bytes), non-finite constants and oversized files. Each refused
 * case asserts the exception type, a single line naming the file and the field, the value found and the limit or
 * what was expected (with the option that raises a limit), and — for resource cases — that the refusal takes under
 * two seconds (no OutOfMemoryError, no hang).
 */
class AdversarialSpecTest {
    private static final String FILE = "adv.yaml";
    /** Wall-time bound of a refusal. */
    private static final Duration FAST = Duration.ofSeconds(2);

    // ---- spec builders -----------------------------------------------------------------------------------------

    static String spec(String generator) {
        return SpecTexts.minimal(generator, "sum(x)");
    }

    /** A valid spec with {@code block} (YAML lines) inserted after {@code T: 1}. */
    static String withTop(String generator, String block) {
        return spec(generator).replace("T: 1\n", "T: 1\n" + block);
    }

    static String constants(String generator, String constants) {
        return withTop(generator, "constants:\n" + constants);
    }

    static String definitions(String generator, String defs) {
        return spec(generator).replace("sigma: 1\n", "sigma: 1\ndefinitions:\n" + defs);
    }

    /** a0 = start, a(k) = op with A replaced by a(k-1), for k = 1..n. */
    static String chain(String start, String op, int n) {
        StringBuilder d = new StringBuilder("  a0: \"" + start + "\"\n");
        for (int k = 1; k <= n; k++) {
            d.append("  a").append(k).append(": \"").append(op.replace("A", "a" + (k - 1))).append("\"\n");
        }
        return d.toString();
    }

    /** A balanced sum of {@code n} terms u * c_i with distinct literals c_i. */
    static String literals(int n, int[] next) {
        if (n == 1) {
            return "u * " + (1.5 + next[0]++);
        }
        return "(" + literals(n / 2, next) + " + " + literals(n - n / 2, next) + ")";
    }

    static String nestedSums(int depth, String bound) {
        String g = "u";
        for (int k = 0; k < depth; k++) {
            g = "sum(k" + k + ", 0, " + bound + ", " + g + ")";
        }
        return g;
    }

    // ---- the refused cases ---------------------------------------------------------------------------------------

    /**
     * name, spec text, d (or null), the start of the message (file and field), strings the message must contain.
     */
    static Stream<Arguments> refused() {
        List<Arguments> c = new ArrayList<>();
        // CPU bombs: evaluation cost per F call, and evaluation while reading
        c.add(Arguments.of("nested sums in F (10^12 iterations per call)", spec("sum(a, 0, 999999, sum(b, 0, 999999, u * a * b))"),
            null, "adv.yaml: field 'generator'", new String[] {"operations per point", "1.00e+12 iterations", "the limit is 100000000",
                "--max-point-cost"}));
        c.add(Arguments.of("16 nested sums over d", spec(nestedSums(16, "d-1")), 100, "adv.yaml: field 'generator'",
            new String[] {"1.00e+32 iterations", "--max-point-cost"}));
        c.add(Arguments.of("loop bound from u (unbounded trip count)", spec("sum(k, 0, floor(u), x[0])"), null,
            "adv.yaml: field 'generator'", new String[] {"1073741825 iterations", "--max-point-cost"}));
        c.add(Arguments.of("closed nested sums in a constant (evaluated while reading)",
            constants("u", "  c: \"sum(a, 0, 99999, sum(b, 0, 99999, a * b))\"\n"), null, "adv.yaml: field 'constants.c'",
            new String[] {"while reading the spec", "1.00e+10 iterations", "the limit is 100000000",
                "--max-read-cost"}));
        c.add(Arguments.of("closed reduction as T", spec("u").replace("T: 1\n", "T: \"sum(k, 0, 1000000000, 1)\"\n"), null,
            "adv.yaml: field 'T'", new String[] {"while reading", "--max-read-cost"}));
        c.add(Arguments.of("triangular per-index mu at d = 100000", spec("u").replace("mu: 0", "mu: \"sum(k, 0, i, k) * 0\""),
            100_000, "adv.yaml: field 'mu'", new String[] {"while reading", "entries of this vector", "--max-read-cost"}));
        c.add(Arguments.of("expensive per-index vector",
            constants("u", "  v: {vector: \"sum(k, 0, 99999, k * i)\", length: 100000}\n"), null,
            "adv.yaml: field 'constants.v.vector'", new String[] {"100000 entries", "--max-read-cost"}));
        c.add(Arguments.of("Cole-Hopf with 2^24 samples at d = 10000",
            SpecTexts.minimal("-0.5 * norm2(z)", "log((1 + norm2(x)) / 2)").replace("mu: 0",
                "mu: 0\nexact: {method: cole_hopf, lambda: 1, samples: 16777216}"), 10_000, "adv.yaml: field 'exact'",
            new String[] {"16777216 samples", "--max-exact-cost"}));
        // memory and bytecode bombs: inlined size, method size, literals
        c.add(Arguments.of("exponential definition chain (a(k) = a(k-1) + a(k-1), 60 levels)",
            definitions("a60", chain("u", "A + A", 60)), null, "adv.yaml: field 'definitions.a16'",
            new String[] {"131071 terms after inlining", "the limit is 100000", "--max-inlined-nodes"}));
        c.add(Arguments.of("definition chain past the JVM method limit (Janino: internal error before)",
            definitions("a14", chain("u * 1.5", "A + A", 14)), null, "adv.yaml: field 'generator'",
            new String[] {"114695 bytes of bytecode", "the limit is 40000", "65535", "--max-method-bytes"}));
        c.add(Arguments.of("definition chain under the JVM limit, far over the literal limit (Janino: 16 s before)",
            definitions("a11", chain("exp(u) * 1.5", "A + A", 11)), null,
            "adv.yaml: field 'generator'", new String[] {"2048 numbers into one method", "the limit is 1000",
                "--max-method-literals"}));
        c.add(Arguments.of("3000 distinct literals in one expression", spec(literals(3000, new int[1])), null,
            "adv.yaml: field 'generator'", new String[] {"3000 numbers into one method", "--max-method-literals"}));
        c.add(Arguments.of("huge literal", spec("u * 1" + "0".repeat(400)), null, "adv.yaml: field 'generator' at 1:5",
            new String[] {"out of the double range"}));
        c.add(Arguments.of("huge exponent", spec("u * 1e999999"), null, "adv.yaml: field 'generator' at 1:5",
            new String[] {"out of the double range"}));
        c.add(Arguments.of("very long expression (70 000 characters)", spec("u" + "+u".repeat(35_000)), null,
            "adv.yaml: field 'generator'", new String[] {"70001 characters long", "the limit is 65536",
                "--max-expr-chars"}));
        c.add(Arguments.of("deep parentheses (30 000)", spec("(".repeat(30_000) + "u" + ")".repeat(30_000)), null,
            "adv.yaml: field 'generator'", new String[] {"nested more than 200 levels", "--max-expr-nesting"}));
        c.add(Arguments.of("long operator chain (5 000)", spec("u" + "+u".repeat(5_000)), null,
            "adv.yaml: field 'generator'", new String[] {"more than 256 operations deep", "--max-expr-height"}));
        c.add(Arguments.of("huge vector constant (10^9 entries)", constants("u", "  v: {vector: \"i\", length: 1000000000}\n"),
            null, "adv.yaml: field 'constants.v.length'", new String[] {"needs 1000000000 numbers", "the limit",
                "8388608", "--max-constant-doubles"}));
        StringBuilder many = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            many.append("  v").append(k).append(": {vector: \"i\", length: 3000000}\n");
        }
        c.add(Arguments.of("40 vector constants of 3 000 000 entries", constants("u", many.toString()), null,
            "adv.yaml: field 'constants.v2.length'", new String[] {"needs 3000000 numbers", "after 6000000 in earlier",
                "--max-constant-doubles"}));
        c.add(Arguments.of("random_uniform of 10^8 entries",
            constants("u", "  r: {random_uniform: {seed: 1, low: 0, high: 1, length: 100000000}}\n"), null,
            "adv.yaml: field 'constants.r.random_uniform.length'", new String[] {"needs 100000000 numbers",
                "--max-constant-doubles"}));
        StringBuilder refs = new StringBuilder("references:\n");
        for (int k = 0; k < 1000; k++) {
            refs.append("  - {t: 0, x: 0, value: 1, tolerance: 1, source: s}\n");
        }
        c.add(Arguments.of("1000 reference points at d = 10000", withTop("u", refs.toString()), 10_000,
            "adv.yaml: field 'references[837].x'", new String[] {"needs 10000 numbers", "--max-constant-doubles"}));
        c.add(Arguments.of("dimension above the limit", spec("u"), 2_000_000, "adv.yaml: field 'dim'",
            new String[] {"d = 2000000 is above the limit 1048576", "--max-dim"}));
        // misreads: duplicate keys, anchors/aliases/merge keys, tags, documents
        c.add(Arguments.of("duplicate top-level key (a refused value hiding behind a later one)",
            spec("bessel(u)") + "generator: \"u\"\n", null, "adv.yaml: ", new String[] {"duplicate key 'generator'",
                "each key may appear once", "line 10"}));
        c.add(Arguments.of("duplicate nested key", spec("u").replace("hi: 1}", "hi: 1, lo: -2}"), null, "adv.yaml: ",
            new String[] {"duplicate key 'lo'", "line 9"}));
        c.add(Arguments.of("duplicate constant", constants("a * u", "  a: 1\n  a: 2\n"), null, "adv.yaml: ",
            new String[] {"duplicate key 'a'", "line 7"}));
        c.add(Arguments.of("duplicate key in JSON", "{\"format\": \"scasml-pde/1\", \"name\": \"j\", \"name\": \"k\"}", null,
            "adv.yaml: ", new String[] {"duplicate key 'name'"}));
        c.add(Arguments.of("alias of a scalar (read as the anchor's name before)",
            spec("u").replace("name: test", "name: &n test\ndescription: *n"), null,
            "adv.yaml: ", new String[] {"YAML alias *n is not accepted", "line 3"}));
        c.add(Arguments.of("anchor on a mapping", spec("u").replace("domain: {", "domain: &d {"), null,
            "adv.yaml: ", new String[] {"YAML anchor &d is not accepted", "line 9"}));
        c.add(Arguments.of("alias bomb", "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n", null, "adv.yaml: ", new String[] {"YAML anchor &a"}));
        c.add(Arguments.of("merge key", "base: &base {shape: cube, lo: -1, hi: 1}\n" + spec("u").replace(
            "domain: {shape: cube, lo: -1, hi: 1}", "domain: {<<: *base}"), null, "adv.yaml: ",
            new String[] {"YAML anchor &base is not accepted"}));
        c.add(Arguments.of("standard tag", spec("u").replace("generator: \"u\"", "generator: !!str u"), null, "adv.yaml: ",
            new String[] {"YAML type tag", "tag:yaml.org,2002:str", "line 7"}));
        c.add(Arguments.of("class tag", spec("u").replace("generator: \"u\"", "generator: !!java.lang.Runtime u"), null,
            "adv.yaml: ", new String[] {"YAML type tag", "java.lang.Runtime"}));
        c.add(Arguments.of("local tag", spec("u").replace("T: 1", "T: !custom 1"), null, "adv.yaml: ",
            new String[] {"YAML type tag 'custom'", "line 4"}));
        c.add(Arguments.of("two documents", spec("u") + "---\n" + spec("0"), null, "adv.yaml: ",
            new String[] {"more than one document"}));
        // non-finite constants
        c.add(Arguments.of("constant exp(1000)", constants("c * u", "  c: exp(1000)\n"), null,
            "adv.yaml: field 'constants.c' at 1:1", new String[] {"evaluates to Infinity", "expected a finite value"}));
        c.add(Arguments.of("1/0 folded in F", spec("u * (1/0)"), null, "adv.yaml: field 'generator' at 1:7",
            new String[] {"evaluates to Infinity"}));
        c.add(Arguments.of("-exp(1000) in a vector constant", constants("u", "  w: [1, -exp(1000)]\n"), null,
            "adv.yaml: field 'constants.w[1]' at 1:2", new String[] {"evaluates to Infinity"}));
        c.add(Arguments.of("YAML .inf", spec("u").replace("sigma: 1", "sigma: .inf"), null, "adv.yaml: ",
            new String[] {"'.inf'", "line 5"}));
        c.add(Arguments.of("per-index vector overflowing", constants("u", "  v: {vector: \"exp(i * 100)\", length: 10}\n"),
            null, "adv.yaml: field 'constants.v.vector'", new String[] {"value at i = 8 is Infinity"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedQuicklyInOneLine(String name, String text, Integer dim, String prefix, String[] contains) {
        SpecException e = assertTimeoutPreemptively(FAST, () -> assertThrows(SpecException.class,
            () -> PdeSpec.of(FILE, text, dim)), name + ": not refused within " + FAST);
        assertOneLine(e.getMessage(), prefix, contains);
        assertEquals(FILE, e.file());
    }

    static void assertOneLine(String m, String prefix, String... contains) {
        assertNotNull(m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertTrue(m.startsWith(prefix), "expected to start with '" + prefix + "': " + m);
        for (String s : contains) {
            assertTrue(m.contains(s), "expected '" + s + "' in: " + m);
        }
        assertFalse(m.contains("internal error") || m.contains("Exception"), m);
    }

    // ---- limits are overridable ----------------------------------------------------------------------------------

    @Test
    void raisingALimitAcceptsWhatTheDefaultRefuses() {
        String text = spec(nestedSums(2, "9999")); // 2 * 10^8 operations per point
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of(FILE, text, null));
        assertOneLine(e.getMessage(), "adv.yaml: field 'generator'", "--max-point-cost");
        PdeSpec s = PdeSpec.of(FILE, text, null, SpecLimits.DEFAULTS.withMaxPointCost(1e9));
        assertTrue(s.pointCosts().generator() > 1e8 && s.pointCosts().generator() < 1e9, "" + s.pointCosts());
        assertEquals(1e9, s.limits().maxPointCost());
        // the limits travel with the spec: another dimension is read under them too
        assertEquals(1e9, s.withDim(2).limits().maxPointCost());
        SpecLimits tight = SpecLimits.builder().maxConstantDoubles(2).build();
        SpecException m = assertThrows(SpecException.class, () -> PdeSpec.of(FILE, spec("u"), 3, tight));
        assertOneLine(m.getMessage(), "adv.yaml: field 'mu'", "needs 3 numbers", "the limit", "is 2");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> SpecLimits.builder().maxNesting(5000).build());
        assertTrue(bad.getMessage().contains("--max-expr-nesting 5000 must be in [1, 1000]"), bad.getMessage());
    }

    @Test
    void withinTheLimitsTheBiggestAcceptedCodeCompiles() {
        // ~14 KB in one method, 2048 literals: accepted only with the literal limit raised, and Janino compiles it
        String text = definitions("a11", chain("u * 1.5", "A + A", 11));
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of(FILE, text, null));
        assertOneLine(e.getMessage(), "adv.yaml: field 'generator'", "2048 numbers into one method");
        SpecLimits l = SpecLimits.DEFAULTS.toBuilder().maxMethodLiterals(2500).build();
        SpecPde p = PdeSpec.of(FILE, text, null, l).compile();
        double[] out = new double[1];
        p.generator(1, new double[1], new double[3], new double[] {2}, new double[3], out);
        assertEquals(2048 * 3.0, out[0]);
    }

    // ---- BOM, encodings, files -----------------------------------------------------------------------------------

    @Test
    void byteOrderMarkIsStrippedAndTheSpecReadCorrectly(@TempDir Path dir) throws Exception {
        String text = spec("u");
        Path f = dir.resolve("bom.yaml");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(f, bytes);
        PdeSpec plain = PdeSpec.of("plain.yaml", text, null);
        PdeSpec local = PdeSpec.load(f, null);
        PdeSpec viaString = PdeSpec.of("s.yaml", "\uFEFF" + text, null);
        PdeSpec viaHadoop = PdeSpec.load(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration(), null, null);
        for (PdeSpec s : new PdeSpec[] {local, viaString, viaHadoop}) {
            assertEquals("test", s.name());
            assertEquals(plain.contentHash(), s.contentHash());
            assertEquals(3, s.dim());
        }
    }

    @Test
    void nonUtf8BytesAreRefusedWithTheirOffset(@TempDir Path dir) throws Exception {
        String text = spec("u").replace("name: test", "name: test\ndescription: caf\u00e9");
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        int offset = text.indexOf('\u00e9');
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, latin1);
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.load(f, null));
        assertOneLine(e.getMessage(), f + ": ", "not UTF-8", "byte 0xE9 at byte offset " + offset);
        SpecException h = assertThrows(SpecException.class,
            () -> PdeCatalog.resolveSpec(f.toUri().toString(), null, new Configuration(), null));
        assertOneLine(h.getMessage(), "file:" + f + ": ", "byte 0xE9 at byte offset " + offset);
        Path nul = dir.resolve("nul.yaml");
        Files.write(nul, ("\u0000" + text).getBytes(StandardCharsets.UTF_8));
        assertOneLine(assertThrows(SpecException.class, () -> PdeSpec.load(nul, null)).getMessage(), nul + ": ",
            "NUL character");
    }

    @Test
    void oversizedFilesAreRefusedBeforeTheyAreRead(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.yaml");
        byte[] big = new byte[(1 << 20) + 100];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] head = spec("u").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);
        Files.write(f, big);
        SpecException e = assertTimeoutPreemptively(FAST, () -> assertThrows(SpecException.class, () -> PdeSpec.load(f, null)));
        assertOneLine(e.getMessage(), f + ": ", "1048676 bytes", "the limit is 1048576", "--max-spec-bytes");
        SpecException h = assertThrows(SpecException.class,
            () -> PdeCatalog.resolveSpec(f.toUri().toString(), null, new Configuration(), SpecLimits.DEFAULTS));
        assertOneLine(h.getMessage(), "file:" + f + ": ", "1048676 bytes", "--max-spec-bytes");
        // a raised limit reads it (the blanks are YAML whitespace)
        assertEquals("test", PdeSpec.load(f, null, SpecLimits.DEFAULTS.withMaxSpecBytes(2 << 20)).name());
        SpecException text = assertThrows(SpecException.class, () -> PdeSpec.of(FILE, new String(big, StandardCharsets.UTF_8), null));
        assertOneLine(text.getMessage(), "adv.yaml: spec is 1048676 characters long", "--max-spec-bytes");
    }

    @Test
    void hadoopPathsAreReadWithTheGivenConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("h.yaml");
        Files.writeString(f, spec("2 * u"));
        Configuration conf = new Configuration();
        PdeSpec s = PdeCatalog.resolveSpec(f.toUri().toString(), 4, conf, SpecLimits.DEFAULTS);
        assertEquals(4, s.dim());
        assertEquals("file:" + f, s.source());
        // a catalog name still wins, and the local API takes the same URI
        assertEquals("vb", PdeCatalog.resolveSpec("vb", null, conf, null).name());
        assertEquals(s.contentHash(), PdeCatalog.resolveSpec(f.toUri().toString(), 4).contentHash());
        SpecException missing = assertThrows(SpecException.class,
            () -> PdeCatalog.resolveSpec(dir.resolve("none.yaml").toUri().toString(), null, conf, null));
        assertOneLine(missing.getMessage(), "file:", "does not exist");
        SpecException folder = assertThrows(SpecException.class,
            () -> PdeCatalog.resolveSpec(dir.toUri().toString(), null, conf, null));
        assertOneLine(folder.getMessage(), "file:", "is a directory");
    }

    // ---- check-pde ------------------------------------------------------------------------------------------------

    @Test
    void checkPdeReportsTheFirstNonFinitePointWithExitCode3(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("overflow.yaml");
        Files.writeString(f, SpecTexts.minimal("u", "exp(1000 + x[0])"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckPdeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(PdeChecker.EXIT_NONFINITE, cl.execute(f.toString(), "--points", "16"));
        String first = out.toString().lines().filter(l -> l.contains("FAIL: not finite")).findFirst().orElse("");
        assertTrue(first.contains("terminal g(x) = Infinity at point"), out.toString());
        assertTrue(first.contains("x = ["), first);
        // the exact solution too
        Files.writeString(f, SpecTexts.minimal("0", "sum(x)").replace("mu: 0", "mu: 0\nexact: \"t < 0.999 ? sum(x) : 1 / (t - 1)\""));
        PdeChecker.Report r = PdeChecker.check(PdeSpec.load(f, null).compile(), 1, 8);
        assertEquals(PdeChecker.EXIT_NONFINITE, r.exitCode(), r.summary());
        assertTrue(r.nonFinite().startsWith("not finite: exact solution u(T, x) = Infinity at point 0 of 8 (x = ["),
            r.nonFinite());
        Files.writeString(f, SpecTexts.minimal("0", "sum(x)").replace("mu: 0", "mu: 0\nexact: \"sum(x) + log(t - t)\""));
        r = PdeChecker.check(PdeSpec.load(f, null).compile(), 1, 8);
        assertEquals(PdeChecker.EXIT_NONFINITE, r.exitCode(), r.summary());
        assertTrue(r.nonFinite().startsWith("not finite: exact solution u(t, x) = -Infinity at point 0 of 8"), r.nonFinite());
    }

    @Test
    void checkPdeRefusesABombInOneLineAndTheOptionRaisesTheLimit(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bomb.yaml");
        Files.writeString(f, spec(nestedSums(2, "9999")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckPdeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = assertTimeoutPreemptively(FAST, () -> cl.execute(f.toString()));
        assertEquals(PdeChecker.EXIT_REFUSED, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertOneLine(err.toString().trim(), "check-pde: " + f + ": field 'generator'", "--max-point-cost");
        StringWriter err2 = new StringWriter();
        CommandLine c2 = new CommandLine(new CheckPdeCommand());
        c2.setErr(new PrintWriter(err2));
        c2.setOut(new PrintWriter(new StringWriter()));
        assertEquals(PdeChecker.EXIT_REFUSED, c2.execute(f.toString(), "--max-expr-nesting", "5000"));
        assertOneLine(err2.toString().trim(), "check-pde: --max-expr-nesting 5000 must be in [1, 1000]");
        Files.writeString(f, spec("sum(a, 0, 99, sum(b, 0, 99, u))"));
        CommandLine c3 = new CommandLine(new CheckPdeCommand());
        c3.setOut(new PrintWriter(new StringWriter()));
        c3.setErr(new PrintWriter(new StringWriter()));
        assertEquals(PdeChecker.EXIT_REFUSED, c3.execute(f.toString(), "--max-point-cost", "1000"));
        assertEquals(PdeChecker.EXIT_PASS, c3.execute(f.toString(), "--max-point-cost", "100000", "--points", "2"));
        CommandLine pdes = new CommandLine(new PdesCommand());
        pdes.setOut(new PrintWriter(new StringWriter()));
        pdes.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, pdes.execute("--max-spec-bytes", "10"));
        assertEquals(0, pdes.execute());
    }

    @Test
    void nonFiniteValuesAsDataKeepTheOtherPoints() throws Exception {
        SpecPde p = PdeSpec.of(FILE, SpecTexts.minimal("log(u) + x[floor(u)]", "sqrt(x[0])"), 3).compile();
        double[] x = {1, 0, 0, -1, 0, 0, 4, 0, 0};
        double[] out = new double[3];
        assertThrows(SpecException.class, () -> p.terminal(3, x, out));
        io.scasml.kernels.pde.Pde data = p.nonFiniteAsData();
        data.terminal(3, x, out);
        assertEquals(1.0, out[0]);
        assertTrue(Double.isNaN(out[1]));
        assertEquals(2.0, out[2]);
        // u = 7: index 7 out of range (an evaluation error) -> NaN; u = -1: log -> NaN; u = 1: log(1) + x[1]
        data.generator(3, new double[3], x, new double[] {7, -1, 1}, new double[9], out);
        assertTrue(Double.isNaN(out[0]) && Double.isNaN(out[1]), java.util.Arrays.toString(out));
        assertEquals(0.0, out[2]);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(b)) {
            o.writeObject(data);
        }
        Object back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) {
            back = in.readObject();
        }
        double[] again = new double[3];
        ((io.scasml.kernels.pde.Pde) back).terminal(3, x, again);
        assertTrue(again[0] == 1.0 && Double.isNaN(again[1]) && again[2] == 2.0, java.util.Arrays.toString(again));
    }

    // ---- the catalog stays within the default limits ----------------------------------------------------------

    static Stream<String> catalog() {
        return PdeCatalog.names().stream();
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void everyShippedSpecIsWithinTheLimitsAtTenThousandDimensions(String name) {
        PdeSpec s = PdeCatalog.resolveSpec(name, 10_000);
        PdeSpec.PointCosts c = s.pointCosts();
        assertTrue(c.generator() <= SpecLimits.DEFAULTS.maxPointCost() && c.terminal() <= SpecLimits.DEFAULTS.maxPointCost(), "" + c);
        assertTrue(c.terminal() >= 10_000, name + " " + c); // every terminal condition reads all of x
        SpecPde p = s.compile();
        assertEquals(10_000, p.dim());
        // g and F finite at a point of the domain (the full check at d = 10 000 is costly for the residual)
        double[] x = new double[10_000];
        double[] out = new double[1];
        p.terminal(1, x, out);
        assertTrue(Double.isFinite(out[0]), name);
        p.generator(1, new double[] {0}, x, new double[] {out[0]}, new double[10_000], out);
        assertTrue(Double.isFinite(out[0]), name);
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void everyShippedSpecPassesCheckPdeAtItsDefaultDimension(String name) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new CheckPdeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(PdeChecker.EXIT_PASS, cl.execute(name, "--points", "4"), out.toString());
        assertTrue(out.toString().contains("PASS"), out.toString());
    }
}
