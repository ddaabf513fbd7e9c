package io.scasml.pde;

/**
 * A refused or failing spec, in one line: {@code <file>: <field>[ at line:column]: <what is wrong>}.
 * Thrown for unreadable files, unknown or missing fields, refused expressions, bad values (σ ≤ 0, T ≤ 0, μ of the
 * wrong length, ...) and for NaN or index errors when a compiled spec is evaluated (the message then names the point).
 */
public final class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public SpecException(String file, String field, String message) {
        super(format(file, field, null, message));
        this.file = file;
        this.field = field;
    }

    public SpecException(String file, String field, String position, String message, Throwable cause) {
        super(format(file, field, position, message), cause);
        this.file = file;
        this.field = field;
    }

    private static String format(String file, String field, String position, String message) {
        StringBuilder s = new StringBuilder();
        s.append(file == null ? "<spec>" : file);
        if (field != null) {
            s.append(": field '").append(field).append('\'');
        }
        if (position != null && !position.equals("-")) {
            s.append(" at ").append(position);
        }
        s.append(": ").append(message.replace('\n', ' ').replace('\r', ' '));
        return s.toString();
    }

    /** The spec file (or catalog resource) name. */
    public String file() {
        return file;
    }

    /** The field of the spec, e.g. {@code generator} or {@code constants.c1}; null for the whole file. */
    public String field() {
        return field;
    }
}
