package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.Pde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class CatalogTest {

    static Path examples() {
        return Paths.get(System.getProperty("scasml.repo.dir", "..")).resolve("examples/pdes");
    }

    static List<String> names() {
        return PdeCatalog.names();
    }

    @Test
    void indexListsExactlyTheExampleFiles() throws IOException {
        TreeSet<String> files;
        try (Stream<Path> s = Files.list(examples())) {
            files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                .map(f -> f.substring(0, f.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(names()));
        for (String b : io.scasml.kernels.pde.BuiltinPdes.NAMES) {
            assertTrue(names().contains(b), b);
        }
        assertTrue(names().contains("allen-cahn"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyEntryPassesTheChecker(String name) {
        Pde p = PdeCatalog.resolve(name, null);
        PdeChecker.Report r = PdeChecker.check(p, 7, 8);
        assertTrue(r.pass(), r.summary());
        // The file in examples/ and the class-path resource are the same spec.
        Pde fromFile = PdeCatalog.resolve(examples().resolve(name + ".yaml").toString(), null);
        assertEquals(p.name(), fromFile.name());
        assertEquals(p.dim(), fromFile.dim());
    }

    @ParameterizedTest
    @MethodSource("names")
    void entriesWithClosedFormPassAtSmallDims(String name) {
        PdeSpec s = PdeCatalog.resolveSpec(name, null);
        int d = name.equals("lqg") ? 3 : 2;
        SpecPde p = s.withDim(d).compile();
        if (!p.exactIsNumerical()) {
            PdeChecker.Report r = PdeChecker.check(p, 11, 16);
            assertTrue(r.pass(), r.summary());
        }
    }

    @Test
    void listDescribesEveryEntry() {
        List<PdeCatalog.Entry> list = PdeCatalog.list();
        assertEquals(names().size(), list.size());
        PdeCatalog.Entry hjb = list.stream().filter(e -> e.name().equals("hjb")).findFirst().orElseThrow();
        assertTrue(hjb.hasExact());
        assertEquals(100, hjb.defaultDim());
        assertEquals(1, hjb.references());
        PdeCatalog.Entry ac = list.stream().filter(e -> e.name().equals("allen-cahn")).findFirst().orElseThrow();
        assertFalse(ac.hasExact());
        String table = PdesCommand.table();
        for (String n : names()) {
            assertTrue(table.contains(n), table);
        }
    }

    @Test
    void compiledOncePerJvmAndSerializable() throws Exception {
        SpecPde a = PdeCatalog.resolveSpec("vb", 5).compile();
        SpecPde b = PdeCatalog.resolveSpec("VB", 5).compile();
        assertSame(a, b);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(a);
            o.writeObject(a.spec());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(a, in.readObject());
            PdeSpec spec = (PdeSpec) in.readObject();
            assertEquals(a.spec(), spec);
            assertSame(a, spec.compile());
        }
        assertEquals(64, a.spec().contentHash().length());
    }

    @Test
    void concurrentFirstUseCompilesOnce() throws Exception {
        PdeSpec spec = PdeSpec.of("concurrent.yaml", SpecTexts.minimal("u * 0.5 + sum(x)", "sum(x)"), 4);
        SpecPde[] got = new SpecPde[8];
        Thread[] ts = new Thread[got.length];
        for (int k = 0; k < ts.length; k++) {
            int j = k;
            ts[k] = new Thread(() -> got[j] = spec.compile());
            ts[k].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (SpecPde p : got) {
            assertSame(got[0], p);
        }
    }

    @Test
    void dimensionParameterAndFixedDimension() {
        assertEquals(20, PdeCatalog.resolve("vb", null).dim());
        assertEquals(7, PdeCatalog.resolve("vb", 7).dim());
        SpecException e = assertThrows(SpecException.class, () -> PdeCatalog.resolve("lqg", 1));
        assertTrue(e.getMessage().contains("lqg.yaml: field 'dim'"), e.getMessage());
        String fixed = SpecTexts.minimal("0", "sum(x)").replace("dim: {default: 3}", "dim: 3");
        assertEquals(3, PdeSpec.of("fixed.yaml", fixed, null).dim());
        SpecException f = assertThrows(SpecException.class, () -> PdeSpec.of("fixed.yaml", fixed, 4));
        assertTrue(f.getMessage().contains("fixes d = 3"), f.getMessage());
        SpecException u = assertThrows(SpecException.class, () -> PdeCatalog.resolve("no-such-pde", null));
        assertTrue(u.getMessage().contains("neither a catalog name"), u.getMessage());
    }

    @Test
    void clipAndReferences() {
        SpecPde vb = (SpecPde) PdeCatalog.resolve("vb", null);
        assertEquals(1.0, vb.clipMlp().getAsDouble());
        assertEquals(0.01, vb.clipScasml().getAsDouble());
        SpecPde bsb = (SpecPde) PdeCatalog.resolve("bsb", null);
        Reference r = bsb.references().get(0);
        assertEquals(1.0, Math.exp(r.x()[0]), 1e-15);
        assertEquals(0.5, Math.exp(r.x()[1]), 1e-15);
        SpecPde ac = (SpecPde) PdeCatalog.resolve("allen-cahn", 10);
        assertFalse(ac.references().get(0).applies());
    }

    @Test
    void commands() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new CheckPdeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(0, cl.execute("dr", "--dim", "5", "--points", "4"));
        assertTrue(out.toString().contains("PASS"), out.toString());
        StringWriter err = new StringWriter();
        CommandLine bad = new CommandLine(new CheckPdeCommand());
        bad.setErr(new PrintWriter(err));
        bad.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, bad.execute("no-such-thing"));
        assertTrue(err.toString().contains("neither a catalog name"), err.toString());
        StringWriter list = new StringWriter();
        CommandLine pdes = new CommandLine(new PdesCommand());
        pdes.setOut(new PrintWriter(list));
        assertEquals(0, pdes.execute());
        assertTrue(list.toString().contains("allen-cahn"));
    }

    @Test
    void checkerFindsAWrongExactSolution() {
        String text = SpecTexts.minimal("0", "sum(x) + T").replace("mu: 0", "mu: 0\nexact: sum(x) + 2*t - T");
        SpecPde p = PdeSpec.of("wrong.yaml", text, 3).compile();
        PdeChecker.Report r = PdeChecker.check(p, 1, 8);
        assertFalse(r.pass(), r.summary());
        assertTrue(r.summary().contains("PDE residual"), r.summary());
    }

    /**
     * check-pde at d = 10⁴ (issue 15): the finite-difference batch is bounded (at most ≈ 2²¹ values per call, not the
     * 4d² of one point's 4d + 5 rows), and VB's exact solution passes through the command line.
     */
    @Test
    void checkPdeAtTenThousandDimensions() {
        assertTrue((long) 4 * PdeChecker.coordinatesPerBlock(10_000) * 10_000 <= 1L << 21);
        assertEquals(100, PdeChecker.coordinatesPerBlock(100));
        assertEquals(1, PdeChecker.coordinatesPerBlock(1 << 20));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckPdeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("vb", "--dim", "10000", "--points", "2");
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("10000"), out.toString());
    }
}
