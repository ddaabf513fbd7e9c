package io.scasml.pde.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer of the whitelisted math grammar. Only ASCII letters, digits, '_', '.', blanks and the operator characters
 * {@code + - * / % ^ ( ) [ ] , ? : < > = ! & |} are accepted; everything else — quotes, backslashes (so no unicode
 * escapes), semicolons, braces, '#', '@', '$', non-ASCII characters — is refused at its position. Comments ({@code //},
 * {@code /*}) and member access ({@code a.b}) are refused explicitly.
 */
final class Lexer {
    /** Longest accepted expression, in characters. */
    static final int MAX_LENGTH = Budget.DEFAULT_MAX_CHARS;
    /** Longest accepted identifier. */
    static final int MAX_IDENT = 64;

    private Lexer() {
    }

    static List<Token> tokenize(String s) {
        return tokenize(s, MAX_LENGTH, null);
    }

    /**
     * @param maxLength longest accepted expression
     * @param option    how the limit is raised (named in the message), or null
     */
    static List<Token> tokenize(String s, int maxLength, String option) {
        if (s == null) {
            throw new ExpressionException(-1, "expression is missing");
        }
        if (s.length() > maxLength) {
            throw new ExpressionException(-1, "expression is " + s.length() + " characters long; the limit is " + maxLength
                + (option == null ? "" : " (raise it with " + option + ")"));
        }
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int k = 0;
        while (k < n) {
            char c = s.charAt(k);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                k++;
            } else if (isDigit(c) || (c == '.' && k + 1 < n && isDigit(s.charAt(k + 1)))) {
                k = number(s, k, out);
            } else if (isLetter(c)) {
                int start = k;
                while (k < n && (isLetter(s.charAt(k)) || isDigit(s.charAt(k)))) {
                    k++;
                }
                if (k - start > MAX_IDENT) {
                    throw new ExpressionException(start, "name is longer than " + MAX_IDENT + " characters");
                }
                out.add(new Token(Token.Kind.IDENT, s.substring(start, k), 0, start));
                if (k < n && s.charAt(k) == '.') {
                    throw new ExpressionException(k, "'.' after a name: member access is not part of the grammar");
                }
            } else {
                k = operator(s, k, out);
            }
        }
        out.add(new Token(Token.Kind.END, "", 0, n));
        return out;
    }

    private static int number(String s, int k, List<Token> out) {
        int start = k;
        int n = s.length();
        while (k < n && isDigit(s.charAt(k))) {
            k++;
        }
        if (k < n && s.charAt(k) == '.') {
            k++;
            while (k < n && isDigit(s.charAt(k))) {
                k++;
            }
        }
        if (k < n && (s.charAt(k) == 'e' || s.charAt(k) == 'E')) {
            int e = k + 1;
            if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
                e++;
            }
            if (e < n && isDigit(s.charAt(e))) {
                k = e;
                while (k < n && isDigit(s.charAt(k))) {
                    k++;
                }
            } else {
                throw new ExpressionException(k, "malformed number: exponent without digits");
            }
        }
        if (k < n && (isLetter(s.charAt(k)) || s.charAt(k) == '.')) {
            throw new ExpressionException(k, "malformed number '" + s.substring(start, Math.min(n, k + 1))
                + "' (no suffixes, hex or second '.')");
        }
        String text = s.substring(start, k);
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) {
            throw new ExpressionException(start, "number " + abbreviate(text) + " is out of the double range");
        }
        out.add(new Token(Token.Kind.NUMBER, text, v, start));
        return k;
    }

    private static final String[] TWO = {"<=", ">=", "==", "!=", "&&", "||", "**"};
    private static final String ONE = "+-*/%^()[],?:<>!";

    private static int operator(String s, int k, List<Token> out) {
        char c = s.charAt(k);
        if (c == '/' && k + 1 < s.length() && (s.charAt(k + 1) == '/' || s.charAt(k + 1) == '*')) {
            throw new ExpressionException(k, "comments are not allowed in expressions");
        }
        if (k + 1 < s.length()) {
            String two = s.substring(k, k + 2);
            for (String op : TWO) {
                if (op.equals(two)) {
                    out.add(new Token(Token.Kind.OP, op, 0, k));
                    return k + 2;
                }
            }
        }
        if (ONE.indexOf(c) >= 0) {
            out.add(new Token(Token.Kind.OP, String.valueOf(c), 0, k));
            return k + 1;
        }
        String what;
        if (c == '"' || c == '\'' || c == '`') {
            what = "quotes are not allowed: expressions have no strings";
        } else if (c == '\\') {
            what = "backslash is not allowed (no escapes)";
        } else if (c == '.') {
            what = "'.' is only allowed inside numbers";
        } else if (c == '=') {
            what = "'=' is not an operator here (use '==' to compare)";
        } else if (c == '&' || c == '|') {
            what = "single '" + c + "' is not an operator (use '" + c + c + "')";
        } else {
            what = "character " + printable(c) + " is not allowed";
        }
        throw new ExpressionException(k, what);
    }

    private static String printable(char c) {
        String code = String.format("U+%04X", (int) c);
        return c >= 0x21 && c < 0x7F ? "'" + c + "' (" + code + ")" : code;
    }

    private static String abbreviate(String t) {
        return t.length() > 20 ? t.substring(0, 20) + "..." : t;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
