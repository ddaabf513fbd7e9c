package io.scasml.pde.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of the expression grammar (lowest precedence first):
 *
 * <pre>
 *   expr    := or ( '?' expr ':' expr )?
 *   or      := and ( '||' and )*
 *   and     := cmp ( '&amp;&amp;' cmp )*
 *   cmp     := add ( ( '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=' ) add )?
 *   add     := mul ( ( '+' | '-' ) mul )*
 *   mul     := unary ( ( '*' | '/' | '%' ) unary )*
 *   unary   := ( '-' | '+' | '!' ) unary | power
 *   power   := postfix ( ( '^' | '**' ) unary )?          right-associative; -x^2 = -(x^2)
 *   postfix := primary ( '[' expr ']' )*
 *   primary := NUMBER | NAME | NAME '(' ( expr ( ',' expr )* )? ')' | '(' expr ')'
 * </pre>
 *
 * Nesting deeper than {@link #MAX_DEPTH} and trees larger than {@link #MAX_NODES} are refused with an
 * {@link ExpressionException} before the Java stack is at risk.
 */
public final class Parser {
    /** Default deepest accepted nesting of parentheses, calls, operators and conditionals ({@link Budget}). */
    public static final int MAX_DEPTH = Budget.DEFAULT_MAX_NESTING;
    /** Default largest accepted tree ({@link Budget}). */
    public static final int MAX_NODES = Budget.DEFAULT_MAX_TERMS;
    /**
     * Default highest accepted tree, counting every operator (a chain {@code a+b+c+...} of n terms has height n)
     * ({@link Budget}).
     */
    public static final int MAX_HEIGHT = Budget.DEFAULT_MAX_HEIGHT;

    private final List<Token> tokens;
    private final Budget limits;
    private int p;
    private int depth;
    private int nodes;

    private Parser(List<Token> tokens, Budget limits) {
        this.tokens = tokens;
        this.limits = limits;
    }

    /** Parses one expression with the default limits; the raw tree still has to go through {@link Resolver}. */
    public static Node parse(String text) {
        return parse(text, Budget.defaults());
    }

    /** Parses one expression under the limits of {@code limits}. */
    public static Node parse(String text, Budget limits) {
        Parser ps = new Parser(Lexer.tokenize(text, limits.maxChars, limits.names.chars()), limits);
        Node n = ps.expr();
        Token t = ps.peek();
        if (t.kind != Token.Kind.END) {
            throw new ExpressionException(t.offset, "unexpected " + t.describe() + " after a complete expression");
        }
        return n;
    }

    private Token peek() {
        return tokens.get(p);
    }

    private Token next() {
        return tokens.get(p++);
    }

    private boolean accept(String op) {
        if (peek().is(op)) {
            p++;
            return true;
        }
        return false;
    }

    private void expect(String op, String context) {
        Token t = peek();
        if (!t.is(op)) {
            throw new ExpressionException(t.offset, "expected '" + op + "' " + context + ", found " + t.describe());
        }
        p++;
    }

    private void enter() {
        if (++depth > limits.maxNesting) {
            throw new ExpressionException(peek().offset, "expression is nested more than " + limits.maxNesting
                + " levels deep (raise the limit with " + limits.names.nesting() + ")");
        }
    }

    private Node make(Node.Kind k, int pos, Node... kids) {
        if (++nodes > limits.maxTerms) {
            throw new ExpressionException(pos, "expression has more than " + limits.maxTerms + " terms (raise the limit with "
                + limits.names.terms() + ")");
        }
        Node n = new Node(k, pos, kids);
        if (n.height > limits.maxHeight) {
            throw new ExpressionException(pos, "expression is more than " + limits.maxHeight
                + " operations deep; write long sums with sum(k, lo, hi, expr) (raise the limit with "
                + limits.names.height() + ")");
        }
        return n;
    }

    private Node expr() {
        enter();
        Node c = or();
        Token q = peek();
        if (q.is("?")) {
            p++;
            Node a = expr();
            expect(":", "in a conditional 'c ? a : b'");
            Node b = expr();
            c = make(Node.Kind.COND, q.offset, c, a, b);
        }
        depth--;
        return c;
    }

    private Node or() {
        Node l = and();
        while (peek().is("||")) {
            int pos = next().offset;
            l = make(Node.Kind.OR, pos, l, and());
        }
        return l;
    }

    private Node and() {
        Node l = cmp();
        while (peek().is("&&")) {
            int pos = next().offset;
            l = make(Node.Kind.AND, pos, l, cmp());
        }
        return l;
    }

    private Node cmp() {
        Node l = add();
        Token t = peek();
        Node.Kind k = null;
        if (t.kind == Token.Kind.OP) {
            switch (t.text) {
                case "<": k = Node.Kind.LT; break;
                case "<=": k = Node.Kind.LE; break;
                case ">": k = Node.Kind.GT; break;
                case ">=": k = Node.Kind.GE; break;
                case "==": k = Node.Kind.EQ; break;
                case "!=": k = Node.Kind.NE; break;
                default: break;
            }
        }
        if (k == null) {
            return l;
        }
        p++;
        Node r = add();
        Token after = peek();
        if (after.kind == Token.Kind.OP && (after.is("<") || after.is("<=") || after.is(">") || after.is(">=")
                || after.is("==") || after.is("!="))) {
            throw new ExpressionException(after.offset, "comparisons cannot be chained; use '&&'");
        }
        return make(k, t.offset, l, r);
    }

    private Node add() {
        Node l = mul();
        while (peek().is("+") || peek().is("-")) {
            Token t = next();
            l = make(t.text.equals("+") ? Node.Kind.ADD : Node.Kind.SUB, t.offset, l, mul());
        }
        return l;
    }

    private Node mul() {
        Node l = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            Token t = next();
            Node.Kind k = t.text.equals("*") ? Node.Kind.MUL : t.text.equals("/") ? Node.Kind.DIV : Node.Kind.MOD;
            l = make(k, t.offset, l, unary());
        }
        return l;
    }

    private Node unary() {
        Token t = peek();
        if (t.is("-") || t.is("+") || t.is("!")) {
            p++;
            enter();
            Node e = unary();
            depth--;
            if (t.is("+")) {
                return e;
            }
            return make(t.is("-") ? Node.Kind.NEG : Node.Kind.NOT, t.offset, e);
        }
        return power();
    }

    private Node power() {
        Node base = postfix();
        Token t = peek();
        if (t.is("^") || t.is("**")) {
            p++;
            enter();
            Node e = unary();
            depth--;
            return make(Node.Kind.POW, t.offset, base, e);
        }
        return base;
    }

    private Node postfix() {
        Node n = primary();
        while (peek().is("[")) {
            Token t = next();
            enter();
            Node idx = expr();
            depth--;
            expect("]", "to close '[' at char " + (t.offset + 1));
            n = make(Node.Kind.INDEX, t.offset, n, idx);
        }
        return n;
    }

    private Node primary() {
        Token t = next();
        switch (t.kind) {
            case NUMBER: {
                Node n = make(Node.Kind.NUM, t.offset);
                n.value = t.value;
                n.type = Node.Type.SCALAR;
                return n;
            }
            case IDENT: {
                if (peek().is("(")) {
                    Token open = next();
                    enter();
                    List<Node> args = new ArrayList<>();
                    if (!peek().is(")")) {
                        do {
                            args.add(expr());
                        } while (accept(","));
                    }
                    expect(")", "to close the call of '" + t.text + "' opened at char " + (open.offset + 1));
                    depth--;
                    Node n = make(Node.Kind.CALL, t.offset, args.toArray(new Node[0]));
                    n.name = t.text;
                    return n;
                }
                Node n = make(Node.Kind.NAME, t.offset);
                n.name = t.text;
                return n;
            }
            case OP:
                if (t.is("(")) {
                    enter();
                    Node e = expr();
                    expect(")", "to close '(' at char " + (t.offset + 1));
                    depth--;
                    return e;
                }
                throw new ExpressionException(t.offset, "unexpected " + t.describe() + "; expected a number, a name or '('");
            default:
                throw new ExpressionException(t.offset, "expression ends too early");
        }
    }
}
