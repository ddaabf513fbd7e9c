package io.scasml.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output directory written atomically: everything goes to a hidden sibling, renamed into place at
 * {@link #commit()}; an existing target is refused unless overwriting, and nothing is left behind on failure.
 */
final class RunDir implements AutoCloseable {
    private final Path target;
    private final Path work;
    private final boolean overwrite;
    private boolean committed;

    RunDir(Path target, boolean overwrite) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        if (Files.exists(this.target) && !overwrite) {
            throw new IllegalArgumentException("--out: " + target + " exists; pass --overwrite to replace it");
        }
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        this.work = Files.createTempDirectory(parent, "." + this.target.getFileName() + ".tmp-");
    }

    /** Where to write. */
    Path dir() {
        return work;
    }

    /** The final location. */
    Path target() {
        return target;
    }

    /** Moves the work into place (replacing an existing target when overwriting). */
    void commit() throws IOException {
        if (Files.exists(target)) {
            if (!overwrite) {
                throw new IllegalArgumentException("--out: " + target + " appeared while running; not replaced");
            }
            delete(target);
        }
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                delete(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
