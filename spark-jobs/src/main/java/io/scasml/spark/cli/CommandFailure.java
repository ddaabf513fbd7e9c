package io.scasml.spark.cli;

import java.nio.file.Path;

/** A command's failure with the run log that holds its details (Spark's logging and the stack trace). */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path log;

    CommandFailure(Throwable cause, Path log) {
        super(cause.getMessage(), cause);
        this.log = log;
    }

    /** The log file, or null when nothing was logged. */
    Path log() {
        return log;
    }
}
