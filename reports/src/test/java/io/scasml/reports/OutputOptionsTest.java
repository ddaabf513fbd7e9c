package io.scasml.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The output mixin's per-command default and kind. */
class OutputOptionsTest {
    @Test
    void defaultIsRunsBenchCommand() {
        PaperBenchCommand p = new PaperBenchCommand();
        new CommandLine(p).parseArgs();
        assertEquals(Path.of("runs/bench-paper"), p.output.out);
        assertEquals("bench-paper", p.output.kind());
        TableBenchCommand t = new TableBenchCommand();
        new CommandLine(t).parseArgs("--out", "x", "--overwrite");
        assertEquals(Path.of("x"), t.output.out);
        assertEquals(true, t.output.overwrite);
        assertEquals("bench-table", t.output.kind());
        ScalingBenchCommand s = new ScalingBenchCommand();
        new CommandLine(s).parseArgs();
        assertEquals(Path.of("runs/bench-scaling"), s.output.out);
        EstimatorsBenchCommand e = new EstimatorsBenchCommand();
        new CommandLine(e).parseArgs();
        assertEquals("bench-estimators", e.output.kind());
    }
}
