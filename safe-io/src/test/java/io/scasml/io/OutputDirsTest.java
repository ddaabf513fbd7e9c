package io.scasml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirsTest {
    @TempDir
    java.nio.file.Path tmp;

    private static final Configuration CONF = new Configuration();

    private static Path p(java.nio.file.Path f) {
        return new Path(f.toUri());
    }

    private OutputDirs.Target prepare(java.nio.file.Path out, boolean overwrite, java.nio.file.Path... inputs)
            throws IOException {
        List<Path> in = new java.util.ArrayList<>();
        for (java.nio.file.Path i : inputs) {
            in.add(p(i));
        }
        return OutputDirs.prepare("--out", p(out), CONF, overwrite, "test", "r" + System.nanoTime(), in);
    }

    private static void write(OutputDirs.Target t, String name, String text) throws IOException {
        Files.writeString(t.stagingFile().toPath().resolve(name), text);
    }

    @Test
    void newOutputIsCommittedWithMarker() throws IOException {
        java.nio.file.Path out = tmp.resolve("runs/a");
        OutputDirs.Target t = prepare(out, false);
        assertFalse(Files.exists(out));
        write(t, "summary.json", "{}");
        t.commit();
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
        assertTrue(Files.isRegularFile(out.resolve(OutputDirs.MARKER)));
        try (var s = Files.list(tmp.resolve("runs"))) {
            assertEquals(1, s.count(), "no staging directory left behind");
        }
    }

    @Test
    void overwriteReplacesOnlyMarkedOutputs() throws IOException {
        java.nio.file.Path out = tmp.resolve("a");
        OutputDirs.Target t = prepare(out, false);
        write(t, "old.txt", "old");
        t.commit();
        InputException e = assertThrows(InputException.class, () -> prepare(out, false));
        assertTrue(e.getMessage().contains("already exists; pass --overwrite"), e.getMessage());
        OutputDirs.Target t2 = prepare(out, true);
        write(t2, "new.txt", "new");
        assertTrue(Files.exists(out.resolve("old.txt")), "nothing replaced before commit");
        t2.commit();
        assertTrue(Files.exists(out.resolve("new.txt")));
        assertFalse(Files.exists(out.resolve("old.txt")));

        java.nio.file.Path user = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(user.resolve("precious.csv"), "1,2,3");
        e = assertThrows(InputException.class, () -> prepare(user, true));
        assertTrue(e.getMessage().contains("is not a scasml output (no _SCASML_OUTPUT marker)"), e.getMessage());
        assertEquals("1,2,3", Files.readString(user.resolve("precious.csv")));
        Files.writeString(user.resolve(OutputDirs.MARKER), "{\"x\": 1}");
        assertThrows(InputException.class, () -> prepare(user, true));
        Files.write(user.resolve(OutputDirs.MARKER), new byte[] {(byte) 0xFF});
        assertThrows(InputException.class, () -> prepare(user, true));
    }

    @Test
    void outputMayNotBeOrContainInputsWorkingOrHomeDirectory() throws IOException {
        java.nio.file.Path data = Files.createDirectories(tmp.resolve("data"));
        java.nio.file.Path points = Files.writeString(data.resolve("points.csv"), "t,x0\n0,0\n");
        InputException e = assertThrows(InputException.class, () -> prepare(data, true, points));
        assertTrue(e.getMessage().contains("contains the input"), e.getMessage());
        assertThrows(InputException.class, () -> prepare(points, true, points));
        assertThrows(InputException.class, () -> prepare(tmp, true, points));
        java.nio.file.Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, data);
        e = assertThrows(InputException.class, () -> prepare(link, true, points));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        e = assertThrows(InputException.class, () -> prepare(java.nio.file.Path.of(System.getProperty("user.dir")),
            true));
        assertTrue(e.getMessage().contains("working directory"), e.getMessage());
        e = assertThrows(InputException.class, () -> prepare(java.nio.file.Path.of(System.getProperty("user.home")),
            true));
        assertTrue(e.getMessage().contains("home directory") || e.getMessage().contains("working directory"),
            e.getMessage());
        assertThrows(InputException.class, () -> prepare(java.nio.file.Path.of("/"), true));
        assertEquals("t,x0\n0,0\n", Files.readString(points, StandardCharsets.UTF_8));
    }

    @Test
    void abortLeavesNothingAndKeepsTheOldOutput() throws IOException {
        java.nio.file.Path out = tmp.resolve("a");
        OutputDirs.Target t = prepare(out, false);
        write(t, "x", "1");
        t.commit();
        OutputDirs.Target t2 = prepare(out, true);
        write(t2, "y", "2");
        t2.abort();
        assertTrue(Files.exists(out.resolve("x")));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }
}
