package io.scasml.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out} and {@code --overwrite} of every benchmark that writes a report directory (a picocli mixin): the
 * default output is {@code runs/bench-<command>}, the output's kind {@code bench-<command>}, and the directory is
 * prepared and committed by {@link RunDir} (safe-io's marked outputs).
 */
public final class OutputOptions {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench-${COMMAND-NAME}",
        description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--overwrite",
        description = "Replace an earlier scasml output directory (one holding the _SCASML_OUTPUT marker).")
    boolean overwrite;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The output's kind, recorded in its marker: {@code bench-<command>}. */
    String kind() {
        return "bench-" + mixee.name();
    }

    /** The output directory, staged until {@link RunDir#commit}; {@code inputs} may not be or lie inside it. */
    RunDir open(List<Path> inputs) throws IOException {
        return new RunDir(out, overwrite, kind(), inputs);
    }
}
