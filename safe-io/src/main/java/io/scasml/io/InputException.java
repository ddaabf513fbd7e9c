package io.scasml.io;

/**
 * Untrusted input refused: a user's mistake or a hostile file, never an internal error.
 *
 * <p>The message is one line: {@code SOURCE[: FIELD]: DETAIL}, where the detail names the value found and what was
 * expected. Commands print it as it is and exit with status 2. Modules with their own exception types
 * (spec, surrogate, command-line errors) wrap it keeping {@link #source()}, {@link #field()} and {@link #detail()}.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;
    private final String detail;

    /**
     * @param source the file (or option) the input came from
     * @param field  the field inside it, or null
     * @param detail what was found and what was expected
     */
    public InputException(String source, String field, String detail) {
        this(source, field, detail, null);
    }

    public InputException(String source, String field, String detail, Throwable cause) {
        super(Messages.oneLine(source + (field == null ? "" : ": " + field) + ": " + detail), cause);
        this.source = source;
        this.field = field;
        this.detail = Messages.oneLine(detail);
    }

    /** The file or option the input came from. */
    public String source() {
        return source;
    }

    /** The field inside the source, or null. */
    public String field() {
        return field;
    }

    /** What was found and what was expected, one line. */
    public String detail() {
        return detail;
    }
}
