package io.scasml.pde.expr;

/** A token of the expression grammar: a number, an identifier, an operator or the end of input. */
final class Token {
    enum Kind { NUMBER, IDENT, OP, END }

    final Kind kind;
    final String text;
    final double value;
    final int offset;

    Token(Kind kind, String text, double value, int offset) {
        this.kind = kind;
        this.text = text;
        this.value = value;
        this.offset = offset;
    }

    boolean is(String op) {
        return kind == Kind.OP && text.equals(op);
    }

    String describe() {
        switch (kind) {
            case END: return "end of expression";
            case NUMBER: return "number " + text;
            case IDENT: return "name '" + text + "'";
            default: return "'" + text + "'";
        }
    }
}
