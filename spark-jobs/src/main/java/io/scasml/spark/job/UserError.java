package io.scasml.spark.job;

/**
 * A problem with the user's input (options, run file, points, paths): reported as one line on stderr with a
 * non-zero exit, never as a stack trace. The message names the parameter or file, the bad value and what was expected.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
