package io.scasml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command list and the error contract of the whole {@code scasml} command line. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = Main.execute(po, pe, args);
        }
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static void oneLine(Result r, int code, String fragment) {
        assertEquals(code, r.code(), r::err);
        assertEquals(1, r.err().strip().lines().count(), r::err);
        assertTrue(r.err().startsWith("scasml: ") && r.err().contains(fragment), r::err);
        assertFalse(r.err().contains("Exception"), r::err);
    }

    /** A YARN cluster-mode driver returns from main (System.exit(0) makes the ApplicationMaster report FAILED). */
    @Test
    void onlyAYarnClusterModeDriverReturnsInsteadOfExiting() {
        String[] keys = {"spark.submit.deployMode", "spark.yarn.app.id", "spark.master"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            for (String k : keys) {
                System.clearProperty(k);
            }
            assertFalse(Main.inYarnClusterDriver());
            System.setProperty("spark.submit.deployMode", "cluster");
            System.setProperty("spark.yarn.app.id", "application_1_0001");
            System.setProperty("spark.master", "yarn");
            assertTrue(Main.inYarnClusterDriver());
            System.setProperty("spark.submit.deployMode", "client");
            assertFalse(Main.inYarnClusterDriver());
            System.setProperty("spark.submit.deployMode", "cluster");
            System.setProperty("spark.master", "spark://127.0.0.1:7077");
            assertFalse(Main.inYarnClusterDriver());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }

    @Test
    void everyModuleCommandIsListed() {
        Result r = cli("--help");
        assertEquals(0, r.code(), r::err);
        for (String c : List.of("solve", "inspect", "pdes", "check-pde", "train", "bench", "help")) {
            assertTrue(r.out().contains("  " + c + " "), c + " in:\n" + r.out());
        }
        Result b = cli("bench", "--help");
        for (String c : List.of("kernel", "paper", "table", "scaling", "estimators", "inference", "spark")) {
            assertTrue(b.out().contains("  " + c), c + " in:\n" + b.out());
        }
        assertTrue(cli("--version").out().startsWith("scasml "));
        // reports' output mixin: the default is runs/bench-<command>
        for (String c : List.of("paper", "table", "scaling", "estimators", "precision", "inference")) {
            Result h = cli("bench", c, "--help");
            assertTrue(h.out().contains("runs/bench-" + c) && h.out().contains("--overwrite"), h.out());
        }
        // bench spark takes reports' case options (the CaseOptions mixin)
        Result s = cli("bench", "spark", "--help");
        for (String o : List.of("--surrogates", "--precision", "--threads", "--case", "--masters")) {
            assertTrue(s.out().contains(o), o + " in:\n" + s.out());
        }
    }

    @Test
    void badInputIsExitTwoAndOneLine() {
        oneLine(cli("solve", "--pde", "nosuch", "--dim", "5", "--points", "sample:4", "--out",
            tmp.resolve("o").toString()), 2, "nosuch");
        oneLine(cli("solve", "--no-such-option"), 2, "see: scasml solve --help");
        oneLine(cli("bench", "spark", "--method", "surrogate", "--work", tmp.toString()), 2, "--method");
    }

    @Test
    void benchSparkRunsTheCaseOnSparkAndLocally() throws Exception {
        Result r = cli("bench", "spark", "--surrogates", Path.of(System.getProperty("scasml.repo.dir"), "examples",
            "surrogates").toString(), "--case", "vb20", "--points", "8", "--levels", "1", "--base", "2", "--threads",
            "1", "--masters", "local[1]", "--repeat", "1", "--work", tmp.resolve("w").toString(), "--json");
        assertEquals(0, r.code(), r::err);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("local_runner").has("threads=1"), r.out());
        assertTrue(j.get("spark").get("local[1]").get("seconds").asDouble() > 0, r.out());
        assertTrue(j.get("command").asText().contains("--case vb20"), r.out());
    }
}
