package io.scasml.pde.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves and type-checks a raw tree against a {@link Scope}: every name becomes a variable, a folded number, a
 * vector constant, a loop index or an inlined definition; every call becomes a whitelisted function of the right
 * arity and argument types. Sub-trees without variables are folded to numbers. Anything else is refused with an
 * {@link ExpressionException} at the offending position.
 *
 * <p>Index checks: an index {@code k + c} (c an integer) of the innermost loop k that is evaluated on every iteration
 * is checked once per loop (at compile time when the bounds are constant); every other index is checked when it is
 * computed.
 */
public final class Resolver {

    private static final class Frame {
        final String name;
        final int slot;
        final int condDepth;
        final List<int[]> checks = new ArrayList<>();

        Frame(String name, int slot, int condDepth) {
            this.name = name;
            this.slot = slot;
            this.condDepth = condDepth;
        }
    }

    private final Scope scope;
    private final Deque<Frame> loops = new ArrayDeque<>();
    private int condDepth;

    private Resolver(Scope scope) {
        this.scope = scope;
    }

    /**
     * Parses and resolves {@code text} in {@code scope}.
     *
     * @param expected {@link Node.Type#SCALAR} or {@link Node.Type#VECTOR}; null accepts either
     * @throws ExpressionException for any refused input
     */
    public static Node compile(String text, Scope scope, Node.Type expected) {
        return resolve(Parser.parse(text, scope.budget), scope, expected);
    }

    /** Resolves a raw tree; see {@link #compile}. */
    public static Node resolve(Node raw, Scope scope, Node.Type expected) {
        Node n = new Resolver(scope).res(raw);
        if (n.type == Node.Type.BOOL) {
            throw new ExpressionException(raw.pos, "expected a number, but this is a condition (true/false); use c ? a : b");
        }
        if (expected == Node.Type.SCALAR && n.type == Node.Type.VECTOR) {
            throw new ExpressionException(raw.pos,
                "expected a scalar, but this is a vector; reduce it with sum(v), norm2(v), dot(a, b) or index it as v[k]");
        }
        if (expected == Node.Type.VECTOR && n.type != Node.Type.VECTOR) {
            throw new ExpressionException(raw.pos, "expected a vector");
        }
        Budget b = scope.budget;
        if (n.height > b.maxHeight * 4) {
            throw new ExpressionException(raw.pos, "expression is " + n.height + " operations deep after inlining definitions;"
                + " the limit is " + b.maxHeight * 4 + " (4 x " + b.names.height() + ")");
        }
        if (n.size > b.maxInlined) {
            throw new ExpressionException(raw.pos, "expression has " + Budget.num(n.size) + " terms after inlining definitions"
                + " (each use of a definition counts its terms again); the limit is " + Budget.num(b.maxInlined)
                + " (raise it with " + b.names.inlined() + ")");
        }
        return n;
    }

    private Node res(Node n) {
        switch (n.kind) {
            case NUM:
                return Node.num(n.value, n.pos);
            case NAME:
                return name(n);
            case CALL:
                return call(n);
            case NEG:
                return fold(typed(new Node(Node.Kind.NEG, n.pos, scalar(res(n.kids[0]), "'-'")), Node.Type.SCALAR));
            case NOT:
                return fold(typed(new Node(Node.Kind.NOT, n.pos, bool(res(n.kids[0]), "'!'")), Node.Type.BOOL));
            case ADD: case SUB: case MUL: case DIV: case MOD: case POW:
                return fold(typed(new Node(n.kind, n.pos, scalar(res(n.kids[0]), op(n)), scalar(res(n.kids[1]), op(n))),
                    Node.Type.SCALAR));
            case LT: case LE: case GT: case GE: case EQ: case NE:
                return fold(typed(new Node(n.kind, n.pos, scalar(res(n.kids[0]), op(n)), scalar(res(n.kids[1]), op(n))),
                    Node.Type.BOOL));
            case AND: case OR: {
                Node l = bool(res(n.kids[0]), op(n));
                condDepth++;
                Node r = bool(res(n.kids[1]), op(n));
                condDepth--;
                return fold(typed(new Node(n.kind, n.pos, l, r), Node.Type.BOOL));
            }
            case COND:
                return cond(n.pos, n.kids[0], n.kids[1], n.kids[2]);
            case INDEX:
                return index(n);
            default:
                throw new ExpressionException(n.pos, "unexpected node " + n.kind);
        }
    }

    private static String op(Node n) {
        switch (n.kind) {
            case ADD: return "'+'";
            case SUB: return "'-'";
            case MUL: return "'*'";
            case DIV: return "'/'";
            case MOD: return "'%'";
            case POW: return "'^'";
            case LT: return "'<'";
            case LE: return "'<='";
            case GT: return "'>'";
            case GE: return "'>='";
            case EQ: return "'=='";
            case NE: return "'!='";
            case AND: return "'&&'";
            case OR: return "'||'";
            default: return n.kind.name();
        }
    }

    private static Node typed(Node n, Node.Type t) {
        n.type = t;
        return n;
    }

    private static Node scalar(Node n, String what) {
        if (n.type == Node.Type.VECTOR) {
            throw new ExpressionException(n.pos, what + " needs a scalar, got a vector; use sum(v), norm2(v), dot(a, b) or v[k]");
        }
        if (n.type == Node.Type.BOOL) {
            throw new ExpressionException(n.pos, what + " needs a number, got a condition; use c ? a : b");
        }
        return n;
    }

    private static Node bool(Node n, String what) {
        if (n.type != Node.Type.BOOL) {
            throw new ExpressionException(n.pos, what + " needs a condition (a comparison), got a "
                + (n.type == Node.Type.VECTOR ? "vector" : "number"));
        }
        return n;
    }

    private Node cond(int pos, Node c0, Node a0, Node b0) {
        Node c = bool(res(c0), "a conditional");
        condDepth++;
        Node a = scalar(res(a0), "a conditional branch");
        Node b = scalar(res(b0), "a conditional branch");
        condDepth--;
        if (c.kind == Node.Kind.NUM) {
            return c.value != 0 ? a : b;
        }
        return typed(new Node(Node.Kind.COND, pos, c, a, b), Node.Type.SCALAR);
    }

    private Node name(Node n) {
        String s = n.name;
        for (Frame f : loops) {
            if (f.name.equals(s)) {
                Node l = typed(new Node(Node.Kind.LOOP, n.pos), Node.Type.SCALAR);
                l.slot = f.slot;
                return l;
            }
        }
        switch (s) {
            case "t": return var(n, Scope.Var.T, Node.Kind.VAR_T, Node.Type.SCALAR);
            case "u": return var(n, Scope.Var.U, Node.Kind.VAR_U, Node.Type.SCALAR);
            case "i": return var(n, Scope.Var.I, Node.Kind.VAR_I, Node.Type.SCALAR);
            case "x": return vec(var(n, Scope.Var.X, Node.Kind.VEC_X, Node.Type.VECTOR), scope.dim);
            case "z": return vec(var(n, Scope.Var.Z, Node.Kind.VEC_Z, Node.Type.VECTOR), scope.dim);
            case "d": return Node.num(scope.dim, n.pos);
            case "pi": return Node.num(Math.PI, n.pos);
            default: break;
        }
        Double v = scope.scalars.get(s);
        if (v != null) {
            return Node.num(v, n.pos);
        }
        Integer slot = scope.vectorSlots.get(s);
        if (slot != null) {
            Node c = typed(new Node(Node.Kind.VEC_CONST, n.pos), Node.Type.VECTOR);
            c.slot = slot;
            c.length = scope.vectors.get(slot).length;
            return c;
        }
        Node def = scope.definitions.get(s);
        if (def != null) {
            for (Scope.Var var : Scope.Var.values()) {
                if (!scope.vars.contains(var) && def.mentions(kindOf(var))) {
                    throw new ExpressionException(n.pos, "definition '" + s + "' uses "
                        + var.name().toLowerCase(java.util.Locale.ROOT) + ", which is not available in " + scope.what);
                }
            }
            return def;
        }
        if (Functions.names().contains(s)) {
            throw new ExpressionException(n.pos, "'" + s + "' is a function; call it as " + s + "(...)");
        }
        throw new ExpressionException(n.pos, "unknown name '" + s + "'; known here: " + scope.known());
    }

    private static Node.Kind kindOf(Scope.Var v) {
        switch (v) {
            case T: return Node.Kind.VAR_T;
            case U: return Node.Kind.VAR_U;
            case X: return Node.Kind.VEC_X;
            case Z: return Node.Kind.VEC_Z;
            default: return Node.Kind.VAR_I;
        }
    }

    private Node var(Node n, Scope.Var v, Node.Kind k, Node.Type t) {
        if (!scope.vars.contains(v)) {
            throw new ExpressionException(n.pos, "'" + n.name + "' is not available in " + scope.what
                + "; known here: " + scope.known());
        }
        return typed(new Node(k, n.pos), t);
    }

    private static Node vec(Node n, int len) {
        n.length = len;
        return n;
    }

    private Node call(Node n) {
        String f = n.name;
        int arity = n.kids.length;
        if (f.equals("if")) {
            if (arity != 3) {
                throw arity(n, "3 (if(condition, a, b))");
            }
            return cond(n.pos, n.kids[0], n.kids[1], n.kids[2]);
        }
        if (arity == 4 && Functions.REDUCTIONS.contains(f)) {
            return reduction(n);
        }
        if (f.equals("dot")) {
            if (arity != 2) {
                throw arity(n, "2 (dot(a, b))");
            }
            Node a = vector(res(n.kids[0]), "dot");
            Node b = vector(res(n.kids[1]), "dot");
            if (a.length != b.length) {
                throw new ExpressionException(n.pos, "dot: vectors of lengths " + a.length + " and " + b.length);
            }
            return fold(typed(new Node(Node.Kind.DOT, n.pos, a, b), Node.Type.SCALAR));
        }
        if (arity == 1 && Functions.VECTOR1.contains(f)) {
            Node a = res(n.kids[0]);
            if (a.type == Node.Type.VECTOR) {
                Node.Kind k;
                switch (f) {
                    case "sum": k = Node.Kind.VSUM; break;
                    case "norm": k = Node.Kind.VNORM; break;
                    case "norm2": k = Node.Kind.VNORM2; break;
                    case "min": k = Node.Kind.VMIN; break;
                    default: k = Node.Kind.VMAX; break;
                }
                return fold(typed(new Node(k, n.pos, a), Node.Type.SCALAR));
            }
            if (!Functions.SCALAR1.contains(f)) {
                throw new ExpressionException(n.kids[0].pos, f + "(v) needs a vector argument"
                    + (Functions.REDUCTIONS.contains(f) ? " (or use " + f + "(k, lo, hi, expr))" : ""));
            }
        }
        if (Functions.SCALAR1.contains(f)) {
            if (arity != 1) {
                throw arity(n, "1");
            }
            Node node = typed(new Node(Node.Kind.FN1, n.pos, scalar(res(n.kids[0]), f + "()")), Node.Type.SCALAR);
            node.name = f;
            return fold(node);
        }
        if (Functions.SCALAR2.contains(f)) {
            if (arity != 2) {
                throw arity(n, f.equals("pow") ? "2" : "2 (" + f + "(a, b)), 1 (" + f + "(v)) or 4 (" + f + "(k, lo, hi, expr))");
            }
            Node a = scalar(res(n.kids[0]), f + "()");
            Node b = scalar(res(n.kids[1]), f + "()");
            if (f.equals("pow")) {
                return fold(typed(new Node(Node.Kind.POW, n.pos, a, b), Node.Type.SCALAR));
            }
            Node node = typed(new Node(Node.Kind.FN2, n.pos, a, b), Node.Type.SCALAR);
            node.name = f;
            return fold(node);
        }
        if (Functions.REDUCTIONS.contains(f)) {
            throw arity(n, "1 (" + f + "(v)) or 4 (" + f + "(k, lo, hi, expr))");
        }
        throw new ExpressionException(n.pos, "unknown function '" + f + "'; functions: " + Functions.names());
    }

    private static ExpressionException arity(Node n, String expected) {
        return new ExpressionException(n.pos, n.name + "() takes " + expected + " arguments, got " + n.kids.length);
    }

    private static Node vector(Node n, String what) {
        if (n.type != Node.Type.VECTOR) {
            throw new ExpressionException(n.pos, what + " needs vector arguments (x, z or a vector constant)");
        }
        return n;
    }

    private Node reduction(Node n) {
        Node var = n.kids[0];
        if (var.kind != Node.Kind.NAME) {
            throw new ExpressionException(var.pos, n.name + "(k, lo, hi, expr): the first argument must be a new index name");
        }
        String k = var.name;
        if (scope.taken(k) || loops.stream().anyMatch(f -> f.name.equals(k))) {
            throw new ExpressionException(var.pos, "index name '" + k + "' is already in use; pick another");
        }
        Node lo = scalar(res(n.kids[1]), n.name + "() lower bound");
        Node hi = scalar(res(n.kids[2]), n.name + "() upper bound");
        int slot = loops.size();
        if (slot >= 16) {
            throw new ExpressionException(n.pos, "reductions are nested more than 16 deep");
        }
        condDepth++;
        Frame frame = new Frame(k, slot, condDepth);
        loops.push(frame);
        Node body = scalar(res(n.kids[3]), n.name + "() body");
        loops.pop();
        condDepth--;
        Node.Kind kind;
        switch (n.name) {
            case "sum": kind = Node.Kind.RSUM; break;
            case "prod": kind = Node.Kind.RPROD; break;
            case "min": kind = Node.Kind.RMIN; break;
            default: kind = Node.Kind.RMAX; break;
        }
        Node r = typed(new Node(kind, n.pos, lo, hi, body), Node.Type.SCALAR);
        r.slot = slot;
        if (lo.kind == Node.Kind.NUM && hi.kind == Node.Kind.NUM) {
            int l = constBound(lo);
            int h = constBound(hi);
            for (int[] c : frame.checks) {
                if (l <= h && (l + c[0] < 0 || h + c[0] >= c[1])) {
                    throw new ExpressionException(n.pos, "index " + k + (c[0] == 0 ? "" : (c[0] > 0 ? "+" : "") + c[0])
                        + " runs over " + (l + c[0]) + ".." + (h + c[0]) + ", outside [0, " + c[1] + ")");
                }
            }
        } else {
            for (int[] c : frame.checks) {
                r.addCheck(c[0], c[1]);
            }
        }
        if (closed(r, slot)) {
            return constant(r);
        }
        return r;
    }

    private static int constBound(Node b) {
        double v = b.value;
        if (!(Math.abs(v) < (1 << 30)) || v != Math.rint(v)) {
            throw new ExpressionException(b.pos, "loop bound " + v + " is not an integer");
        }
        return (int) v;
    }

    /** Whether the tree uses no variables and no loop index bound outside depth {@code minSlot}. */
    private static boolean closed(Node n, int minSlot) {
        if (n.mentions(Node.Kind.VAR_T) || n.mentions(Node.Kind.VAR_U) || n.mentions(Node.Kind.VAR_I)
                || n.mentions(Node.Kind.VEC_X) || n.mentions(Node.Kind.VEC_Z)) {
            return false;
        }
        if (!n.mentions(Node.Kind.LOOP)) {
            return true;
        }
        switch (n.kind) {
            case VAR_T: case VAR_U: case VAR_I: case VEC_X: case VEC_Z:
                return false;
            case LOOP:
                return n.slot >= minSlot;
            default:
                for (Node c : n.kids) {
                    if (!closed(c, minSlot)) {
                        return false;
                    }
                }
                return true;
        }
    }

    private Node index(Node n) {
        Node v = res(n.kids[0]);
        if (v.type != Node.Type.VECTOR) {
            throw new ExpressionException(n.pos, "only vectors (x, z, vector constants) can be indexed");
        }
        Node idx = scalar(res(n.kids[1]), "an index");
        Node r = typed(new Node(Node.Kind.INDEX, n.pos, v, idx), Node.Type.SCALAR);
        if (idx.kind == Node.Kind.NUM) {
            double k = idx.value;
            if (k != Math.rint(k) || k < 0 || k >= v.length) {
                throw new ExpressionException(n.kids[1].pos, "index " + k + " is not an integer in [0, " + v.length + ")");
            }
            if (v.kind == Node.Kind.VEC_CONST) {
                return Node.num(scope.vectors.get(v.slot)[(int) k], n.pos);
            }
            return r;
        }
        Frame inner = loops.peek();
        if (inner != null && inner.condDepth == condDepth) {
            Integer c = loopOffset(idx, inner.slot);
            if (c != null) {
                r.hoist = c;
                r.slot = inner.slot;
                inner.checks.add(new int[] {c, v.length});
            }
        }
        return r;
    }

    /** c when {@code idx} is {@code k}, {@code k + c}, {@code c + k} or {@code k - c} for the loop at {@code slot}. */
    private static Integer loopOffset(Node idx, int slot) {
        if (idx.kind == Node.Kind.LOOP && idx.slot == slot) {
            return 0;
        }
        if (idx.kind == Node.Kind.ADD || idx.kind == Node.Kind.SUB) {
            Node a = idx.kids[0];
            Node b = idx.kids[1];
            if (idx.kind == Node.Kind.ADD && a.kind == Node.Kind.NUM) {
                Node tmp = a;
                a = b;
                b = tmp;
            }
            if (a.kind == Node.Kind.LOOP && a.slot == slot && b.kind == Node.Kind.NUM
                    && b.value == Math.rint(b.value) && Math.abs(b.value) < (1 << 20)) {
                int c = (int) b.value;
                return idx.kind == Node.Kind.ADD ? c : -c;
            }
        }
        return null;
    }

    /** Folds a node whose children are all numbers. */
    private Node fold(Node n) {
        if (!closed(n, Integer.MAX_VALUE)) {
            return n;
        }
        Node r = constant(n);
        r.type = n.type;
        return r;
    }

    /**
     * Evaluates a tree without variables to a number, after charging its cost to the spec's read budget (so that,
     * e.g., nested reductions over constant ranges are refused before they run); the value must be finite.
     */
    private Node constant(Node n) {
        Cost.Estimate c = Cost.of(n, scope.vectors);
        scope.budget.charge(c.operations(), n.pos, n.kind == Node.Kind.RSUM || n.kind == Node.Kind.RPROD
            || n.kind == Node.Kind.RMIN || n.kind == Node.Kind.RMAX
            ? "this reduction (" + Budget.num(c.iterations()) + " iterations)" : "this constant part");
        double v = Interpreter.evalConstant(n, scope.vectors);
        if (!Double.isFinite(v)) {
            throw new ExpressionException(n.pos, "this part evaluates to " + v + " for every point; expected a finite value"
                + " (constants and constant parts of expressions must be finite)");
        }
        return Node.num(v, n.pos);
    }
}
