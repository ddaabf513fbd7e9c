package io.scasml.io;

/** The one place where messages are reduced to the single line a user sees. */
public final class Messages {
    /** Longest line printed for one message; longer ones are cut with an ellipsis. */
    public static final int MAX_LINE = 600;

    private Messages() {
    }

    /**
     * The first non-blank line of {@code m}, trimmed, control characters replaced by '?', at most {@link #MAX_LINE}
     * characters; "(no message)" for null or blank text.
     */
    public static String oneLine(String m) {
        if (m == null) {
            return "(no message)";
        }
        String line = null;
        for (String l : m.split("\\R")) {
            if (!l.isBlank()) {
                line = l.trim();
                break;
            }
        }
        if (line == null) {
            return "(no message)";
        }
        StringBuilder b = new StringBuilder(Math.min(line.length(), MAX_LINE + 3));
        for (int i = 0; i < line.length() && b.length() < MAX_LINE; i++) {
            char c = line.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (line.length() > MAX_LINE) {
            b.append("...");
        }
        return b.toString();
    }

    /** The innermost cause of {@code t} (following {@link Throwable#getCause()}, cycle-safe). */
    public static Throwable rootCause(Throwable t) {
        Throwable r = t;
        for (int i = 0; i < 64 && r.getCause() != null && r.getCause() != r; i++) {
            r = r.getCause();
        }
        return r;
    }

    /** One line for a throwable: its own message, else its root cause's, else its class name. */
    public static String oneLine(Throwable t) {
        if (t == null) {
            return "(no message)";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            Throwable r = rootCause(t);
            m = r.getMessage() != null && !r.getMessage().isBlank() ? r.getMessage() : r.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    /** {@code s} quoted for a message, cut to 80 characters, control characters shown as '?'. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length() + 2).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.append('\'').toString();
    }
}
