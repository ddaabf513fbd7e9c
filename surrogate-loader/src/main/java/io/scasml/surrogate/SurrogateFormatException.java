package io.scasml.surrogate;

import java.io.IOException;

/**
 * A surrogate directory that cannot be loaded: a missing or unreadable file, an unknown format, version, type or
 * activation, inconsistent shapes, non-finite weights, a truncated or malformed {@code .npz}.
 *
 * <p>The message is always one line of the form {@code "<file>: <problem>"}, suitable for a CLI error: line breaks
 * become spaces, other control characters (which a hostile file can put into a name) become '?', and it is cut at
 * {@link io.scasml.io.Messages#MAX_LINE} characters.
 */
public final class SurrogateFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file    the offending file (or directory), as the user named it
     * @param problem what is wrong, and what was expected
     */
    public SurrogateFormatException(String file, String problem) {
        super(oneLine(file + ": " + (problem == null ? "unknown problem" : problem)));
    }

    /** As {@link #SurrogateFormatException(String, String)}, keeping the underlying cause. */
    public SurrogateFormatException(String file, String problem, Throwable cause) {
        super(oneLine(file + ": " + (problem == null ? "unknown problem" : problem)), cause);
    }

    private static String oneLine(String s) {
        return io.scasml.io.Messages.oneLine(s.replace('\n', ' ').replace('\r', ' '));
    }
}
