package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.surrogate.SurrogateLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI: outputs, refusals and the non-finite stop. */
class TrainCommandTest {

    static final String[] SMALL = {"--widths", "8,8", "--collocation", "256", "--terminal-points", "128",
        "--data-points", "32", "--batch", "64", "--value-batch", "64", "--test-points", "100", "--path-test-points", "100",
        "--quiet"};

    static int run(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        PrintStream oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return TrainCommand.commandLine().execute(args);
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
    }

    static String[] cat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void writesSurrogateReportAndPlotThenRefusesExistingDirectory(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("vb3");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(err, cat(SMALL, "--pde", "vb", "--dim", "3", "--out", out.toString(), "--steps", "20"));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        for (String f : new String[] {"surrogate.json", "weights.npz", "training-report.json", "loss.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String rep = Files.readString(out.resolve("training-report.json"));
        assertTrue(rep.contains("held_out_rel_l2") && rep.contains("residual_rms_paths"), rep);
        assertTrue(rep.contains("\"roundtrip_max_abs_diff\" : 0.0") || rep.contains("E-1"), rep);
        assertEquals(3, SurrogateLoader.load(out.toString()).dim());

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        rc = run(err2, cat(SMALL, "--pde", "vb", "--dim", "3", "--out", out.toString(), "--steps", "5"));
        String msg = err2.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, rc);
        assertTrue(msg.contains("already exists") && msg.contains("--overwrite"), msg);
        assertEquals(1, msg.lines().count(), msg);
    }

    @Test
    void exactDataIsAnExplicitOptInRecordedInTheManifest(@TempDir Path tmp) throws Exception {
        String[] noData = {"--widths", "8,8", "--collocation", "256", "--terminal-points", "128", "--batch", "64",
            "--value-batch", "64", "--test-points", "100", "--path-test-points", "100", "--quiet", "--steps", "3"};
        Path pdeOnly = tmp.resolve("pde-only");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err, cat(noData, "--pde", "vb", "--dim", "3", "--out", pdeOnly.toString())),
            err.toString(StandardCharsets.UTF_8));
        String meta = Files.readString(pdeOnly.resolve("surrogate.json"));
        assertTrue(meta.contains("\"exact_data_used\" : false") && meta.contains("\"data_points\" : 0"), meta);
        Path withData = tmp.resolve("with-data");
        assertEquals(0, run(err, cat(noData, "--pde", "vb", "--dim", "3", "--out", withData.toString(),
            "--data-points", "16")), err.toString(StandardCharsets.UTF_8));
        meta = Files.readString(withData.resolve("surrogate.json"));
        assertTrue(meta.contains("\"exact_data_used\" : true") && meta.contains("--data-points 16"), meta);
        assertTrue(Files.readString(withData.resolve("training-report.json")).contains("\"exact_data_used\" : true"));
    }

    @Test
    void absurdLearningRateStopsWithLastGoodWeightsWritten(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bad");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(err, cat(SMALL, "--pde", "vb", "--dim", "3", "--out", out.toString(), "--steps", "50",
                "--lr", "1e300", "--lr-final", "1e300"));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(3, rc, msg);
        assertTrue(msg.contains("stopped at step") && msg.contains("last good weights"), msg);
        // The written weights load (the loader refuses NaN/Inf weights).
        assertEquals(3, SurrogateLoader.load(out.toString()).dim());
        assertTrue(Files.readString(out.resolve("training-report.json")).contains("stopped_at_step"));
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(err, cat(SMALL, "--pde", "nosuch", "--dim", "3", "--out", tmp.resolve("x").toString()));
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nosuch"));
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        rc = run(err2, cat(SMALL, "--pde", "vb", "--dim", "3", "--activation", "relu", "--out",
                tmp.resolve("y").toString()));
        assertEquals(2, rc);
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("relu"));
        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        rc = run(err3, "--pde", "vb", "--out", tmp.resolve("z").toString());
        String m3 = err3.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, rc);
        assertTrue(m3.contains("--dim") && m3.lines().count() == 1, m3);
        ByteArrayOutputStream err4 = new ByteArrayOutputStream();
        rc = run(err4, cat(SMALL, "--pde", "vb", "--dim", "3", "--precision", "fp32", "--out", tmp.resolve("w").toString()));
        assertEquals(2, rc);
        assertTrue(err4.toString(StandardCharsets.UTF_8).contains("fp32"));
        ByteArrayOutputStream err5 = new ByteArrayOutputStream();
        rc = run(err5, cat(SMALL, "--pde", "vb", "--dim", "3", "--laplacian", "auto", "--out",
                tmp.resolve("v").toString()));
        String m5 = err5.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, rc);
        assertTrue(m5.contains("laplacian") && m5.contains("auto") && m5.lines().count() == 1, m5);
        assertFalse(Files.exists(tmp.resolve("v")), "nothing written");
    }

    @Test
    void randomizedLaplacianIsRecorded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("h");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(err, cat(SMALL, "--pde", "vb", "--dim", "3", "--out", out.toString(), "--steps", "10",
                "--laplacian", "hutchinson:2"));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(out.resolve("training-report.json")).contains("\"hutchinson:2\""));
        assertEquals(3, SurrogateLoader.load(out.toString()).dim());
    }

    /** --overwrite replaces only an earlier scasml output: an unmarked directory, a spec's directory are refused. */
    @Test
    void overwriteRefusesWhatIsNotAScasmlOutput(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "years of work");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(err, cat(SMALL, "--pde", "vb", "--dim", "3", "--out", mine.toString(), "--steps", "5",
            "--overwrite"));
        String msg = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, rc, msg);
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("is not a scasml output"), msg);
        assertEquals("years of work", Files.readString(mine.resolve("thesis.tex")));

        Path specs = Files.createDirectories(tmp.resolve("specs"));
        Path spec = specs.resolve("vb.yaml");
        try (var in = getClass().getClassLoader().getResourceAsStream("io/scasml/pde/catalog/vb.yaml")) {
            Files.write(spec, in.readAllBytes());
        }
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        rc = run(err2, cat(SMALL, "--pde", spec.toString(), "--dim", "3", "--out", specs.toString(), "--steps", "5",
            "--overwrite"));
        msg = err2.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, rc, msg);
        assertTrue(msg.contains("contains the input") && msg.contains("vb.yaml"), msg);
        assertTrue(Files.isRegularFile(spec));

        // an earlier train output (marked) is replaced
        Path out = tmp.resolve("vb3");
        assertEquals(0, run(new ByteArrayOutputStream(), cat(SMALL, "--pde", "vb", "--dim", "3", "--out",
            out.toString(), "--steps", "5")));
        assertTrue(Files.isRegularFile(out.resolve("_SCASML_OUTPUT")));
        assertEquals(0, run(new ByteArrayOutputStream(), cat(SMALL, "--pde", "vb", "--dim", "3", "--out",
            out.toString(), "--steps", "5", "--overwrite")));
        try (var l = Files.list(tmp)) {
            assertEquals(3, l.count(), "no staging directory left behind");
        }
    }
}
