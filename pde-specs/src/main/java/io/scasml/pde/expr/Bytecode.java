package io.scasml.pde.expr;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An upper estimate of the JVM bytecode {@link JavaEmitter} and Janino produce for resolved trees, computed from the
 * trees alone (linear in the distinct nodes) so that a spec whose code would exceed the JVM's 64 KiB method limit or
 * take long to compile is refused before Janino sees it. Per node: a double literal 3 bytes (ldc2_w), a variable 2, an
 * arithmetic operator 1, a call 3 plus its arguments, a comparison or logical operator 10, a conditional 8, a vector
 * function 10 to 16, an element access 8 to 14; each reduction is its own method (about 40 bytes plus its bounds,
 * index checks and body) called with its arguments (20 bytes and 2 per enclosing index).
 *
 * <p>It also counts the literals (numbers written into the Java source: doubles, indices, lengths) of each method:
 * Janino's time grows with the square of a method's literals (about 20 s for 8 192 in one method, 0.7 s for the same
 * split over 16 methods), so they are bounded per method and per class.
 */
public final class Bytecode {
    /** Bytes of the fixed methods of a kernel class (constructor, batch loops, dispatch). */
    static final int FIXED_BYTES = 600;
    /** Constant-pool entries of a kernel class besides literals and reduction methods. */
    static final int FIXED_POOL = 200;

    /**
     * The estimate for one kernel class.
     *
     * @param largestMethod bytes of the largest generated method
     * @param largestField  the field whose code holds that method
     * @param totalBytes    bytes of all methods
     * @param methods       number of generated methods
     * @param poolEntries   constant-pool entries (a double literal takes 2)
     * @param mostLiterals  the most literals of one method
     * @param literalsField the field whose code holds that method
     * @param literals      literals of all methods
     */
    public record Estimate(long largestMethod, String largestField, long totalBytes, long methods, long poolEntries,
                           long mostLiterals, String literalsField, long literals) {
    }

    /**
     * Inline bytes and literals of a node in its method, plus the helper methods (reductions) it generates: their
     * bytes, the largest one, their literals, the most literals of one, and their number.
     */
    private record Code(long inline, long helpers, long largestHelper, long methods, long lits, long helperLits,
                        long mostHelperLits) {
        Code(long inline, long helpers, long largestHelper, long methods) {
            this(inline, helpers, largestHelper, methods, 0, 0, 0);
        }

        Code withLits(long n) {
            return new Code(inline, helpers, largestHelper, methods, sat(lits, n), helperLits, mostHelperLits);
        }
    }

    private final Map<Node, Code> memo = new IdentityHashMap<>();
    private final Set<Long> literals = new HashSet<>();

    private Bytecode() {
    }

    /**
     * Estimates the class for the given fields.
     *
     * @param names  the fields' names (e.g. "generator"), parallel to {@code fields}
     * @param fields resolved scalar trees; null entries are skipped
     */
    public static Estimate estimate(String[] names, Node[] fields) {
        Bytecode b = new Bytecode();
        long largest = 0;
        String where = null;
        long total = FIXED_BYTES;
        long methods = 8;
        long mostLits = 0;
        String litsWhere = null;
        long lits = 0;
        for (int k = 0; k < fields.length; k++) {
            if (fields[k] == null) {
                continue;
            }
            Code c = b.code(fields[k]);
            long own = c.inline + 8;
            total = sat(total, sat(own, c.helpers));
            methods = sat(methods, 1 + c.methods);
            long big = Math.max(own, c.largestHelper);
            if (big > largest) {
                largest = big;
                where = names[k];
            }
            long ml = Math.max(c.lits, c.mostHelperLits);
            if (ml > mostLits) {
                mostLits = ml;
                litsWhere = names[k];
            }
            lits = sat(lits, sat(c.lits, c.helperLits));
        }
        long pool = sat(FIXED_POOL, sat(2L * b.literals.size(), 3 * methods));
        return new Estimate(largest, where, total, methods, pool, mostLits, litsWhere, lits);
    }

    private static long sat(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private Code code(Node n) {
        Code c = memo.get(n);
        if (c == null) {
            c = compute(n);
            memo.put(n, c);
        }
        return c;
    }

    private Code compute(Node n) {
        switch (n.kind) {
            case NUM:
                if (n.type == Node.Type.BOOL) {
                    return new Code(1, 0, 0, 0);
                }
                if (n.value != 0.0 && n.value != 1.0) {
                    literals.add(Double.doubleToLongBits(n.value));
                }
                return new Code(3, 0, 0, 0).withLits(1);
            case VAR_T: case VAR_U: case VAR_I:
                return new Code(2, 0, 0, 0);
            case LOOP:
                return new Code(3, 0, 0, 0);
            case VEC_X: case VEC_Z: case VEC_CONST:
                return new Code(0, 0, 0, 0);
            case VSUM: case VNORM: case VNORM2: case VMIN: case VMAX:
                return new Code(10, 0, 0, 0).withLits(1);
            case DOT:
                return new Code(16, 0, 0, 0).withLits(1);
            case INDEX: {
                Node idx = n.kids[1];
                if (idx.kind == Node.Kind.NUM || n.hoist != null) {
                    return new Code(14, 0, 0, 0).withLits(1);
                }
                return plus(14, code(idx)).withLits(1);
            }
            case NEG: case ADD: case SUB: case MUL: case DIV: case MOD:
                return plus(1, kids(n));
            case POW:
                return plus(3, kids(n));
            case FN1: case FN2:
                return plus(3, kids(n));
            case NOT: case LT: case LE: case GT: case GE: case EQ: case NE: case AND: case OR:
                return plus(10, kids(n));
            case COND:
                return plus(8, kids(n));
            case RSUM: case RPROD: case RMIN: case RMAX: {
                Code lo = code(n.kids[0]);
                Code hi = code(n.kids[1]);
                Code body = code(n.kids[2]);
                int checks = n.checks == null ? 0 : n.checks.size();
                long own = sat(40 + 2L * n.slot + 16L * checks, sat(sat(lo.inline, hi.inline) + 12, body.inline));
                long helpers = sat(own, sat(lo.helpers, sat(hi.helpers, body.helpers)));
                long largest = Math.max(own, Math.max(lo.largestHelper, Math.max(hi.largestHelper, body.largestHelper)));
                long methods = sat(1, sat(lo.methods, sat(hi.methods, body.methods)));
                long ownLits = sat(2 + 3L * checks, sat(lo.lits, sat(hi.lits, body.lits)));
                long helperLits = sat(ownLits, sat(lo.helperLits, sat(hi.helperLits, body.helperLits)));
                long mostLits = Math.max(ownLits, Math.max(lo.mostHelperLits, Math.max(hi.mostHelperLits,
                    body.mostHelperLits)));
                return new Code(20 + 2L * n.slot, helpers, largest, methods, 0, helperLits, mostLits);
            }
            default:
                throw new IllegalStateException("cannot estimate " + n.kind);
        }
    }

    private Code kids(Node n) {
        long inline = 0;
        long helpers = 0;
        long largest = 0;
        long methods = 0;
        long lits = 0;
        long helperLits = 0;
        long mostLits = 0;
        for (Node k : n.kids) {
            Code c = code(k);
            inline = sat(inline, c.inline);
            helpers = sat(helpers, c.helpers);
            largest = Math.max(largest, c.largestHelper);
            methods = sat(methods, c.methods);
            lits = sat(lits, c.lits);
            helperLits = sat(helperLits, c.helperLits);
            mostLits = Math.max(mostLits, c.mostHelperLits);
        }
        return new Code(inline, helpers, largest, methods, lits, helperLits, mostLits);
    }

    private static Code plus(long own, Code c) {
        return new Code(sat(own, c.inline), c.helpers, c.largestHelper, c.methods, c.lits, c.helperLits,
            c.mostHelperLits);
    }
}
