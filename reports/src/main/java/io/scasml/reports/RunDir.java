package io.scasml.reports;

import io.scasml.io.OutputDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A report's output directory, through {@link OutputDirs} (the project's one atomic-output helper): checked before
 * any work (an existing directory is replaced only with {@code --overwrite} and only when it is an earlier scasml
 * output; it may not be or contain an input, the working directory or the home directory), written into a staging
 * directory beside it and renamed into place at {@link #commit()}; nothing is left behind on failure.
 */
final class RunDir implements AutoCloseable {
    private final OutputDirs.Target target;
    private final Path dir;
    private final Path shown;

    /**
     * @param kind   what writes it (bench-paper, bench-scaling, bench-estimators)
     * @param inputs directories and files the command reads (may hold nulls)
     * @throws io.scasml.io.InputException if the output is refused
     */
    RunDir(Path target, boolean overwrite, String kind, List<Path> inputs) throws IOException {
        this.shown = target;
        List<org.apache.hadoop.fs.Path> in = new ArrayList<>();
        for (Path p : inputs) {
            if (p != null) {
                in.add(new org.apache.hadoop.fs.Path(p.toAbsolutePath().toUri()));
            }
        }
        String runId = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
            + "-" + String.format("%08x", new java.security.SecureRandom().nextInt());
        this.target = OutputDirs.prepare("--out", new org.apache.hadoop.fs.Path(target.toAbsolutePath().toUri()),
            new Configuration(), overwrite, kind, runId, in);
        this.dir = this.target.stagingFile().toPath();
    }

    /** Where to write. */
    Path dir() {
        return dir;
    }

    /** The final location. */
    Path target() {
        return shown.toAbsolutePath().normalize();
    }

    /** Moves the work into place (an earlier scasml output there is deleted only after the new one is in place). */
    void commit() throws IOException {
        target.commit();
    }

    @Override
    public void close() {
        target.abort();
    }
}
