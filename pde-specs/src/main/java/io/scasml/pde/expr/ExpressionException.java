package io.scasml.pde.expr;

/**
 * A rejected expression: a disallowed character, a syntax error, an unknown name, a type error or a limit exceeded.
 * {@link #offset()} is the 0-based character offset in the expression text ({@code -1} when the whole expression is
 * meant); {@link #position(String)} turns it into {@code line:column}.
 */
public final class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String detail;

    public ExpressionException(int offset, String detail) {
        super(offset >= 0 ? "at char " + (offset + 1) + ": " + detail : detail);
        this.offset = offset;
        this.detail = detail;
    }

    /** 0-based offset of the offending character in the expression, or -1. */
    public int offset() {
        return offset;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }

    /** {@code line:column} (1-based) of {@link #offset()} within {@code text}, or {@code "-"} when unknown. */
    public String position(String text) {
        if (offset < 0 || text == null) {
            return "-";
        }
        int line = 1;
        int col = 1;
        for (int k = 0; k < offset && k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return line + ":" + col;
    }
}
