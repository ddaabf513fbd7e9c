package io.scasml.pde.expr;

import java.util.List;

/**
 * Evaluates resolved trees directly. It folds constants, computes μ, vector constants and reference points, and is the
 * independent reference the compiled code is tested against: both use the same operations in the same order
 * ({@link SpecMath}), so results agree bit for bit.
 */
public final class Interpreter {

    /** Evaluation context: the variables of one point. Not thread-safe; use one per thread. */
    public static final class Ctx {
        public double t;
        public double u;
        public double i;
        public double[] x;
        public int xo;
        public double[] z;
        public int zo;
        final double[][] vecs;
        final double[] loops = new double[16];

        public Ctx(List<double[]> vectors) {
            this.vecs = vectors.toArray(new double[0][]);
        }
    }

    private Interpreter() {
    }

    /** Evaluates a tree without variables. */
    static double evalConstant(Node n, List<double[]> vectors) {
        return eval(n, new Ctx(vectors));
    }

    /** Evaluates a resolved scalar (or condition, as 1/0) tree at the point in {@code c}. */
    public static double eval(Node n, Ctx c) {
        switch (n.kind) {
            case NUM: return n.value;
            case VAR_T: return c.t;
            case VAR_U: return c.u;
            case VAR_I: return c.i;
            case LOOP: return c.loops[n.slot];
            case NEG: return -eval(n.kids[0], c);
            case NOT: return eval(n.kids[0], c) != 0 ? 0 : 1;
            case ADD: return eval(n.kids[0], c) + eval(n.kids[1], c);
            case SUB: return eval(n.kids[0], c) - eval(n.kids[1], c);
            case MUL: return eval(n.kids[0], c) * eval(n.kids[1], c);
            case DIV: return eval(n.kids[0], c) / eval(n.kids[1], c);
            case MOD: return eval(n.kids[0], c) % eval(n.kids[1], c);
            case POW: return SpecMath.pow(eval(n.kids[0], c), eval(n.kids[1], c));
            case LT: return eval(n.kids[0], c) < eval(n.kids[1], c) ? 1 : 0;
            case LE: return eval(n.kids[0], c) <= eval(n.kids[1], c) ? 1 : 0;
            case GT: return eval(n.kids[0], c) > eval(n.kids[1], c) ? 1 : 0;
            case GE: return eval(n.kids[0], c) >= eval(n.kids[1], c) ? 1 : 0;
            case EQ: return eval(n.kids[0], c) == eval(n.kids[1], c) ? 1 : 0;
            case NE: return eval(n.kids[0], c) != eval(n.kids[1], c) ? 1 : 0;
            case AND: return eval(n.kids[0], c) != 0 && eval(n.kids[1], c) != 0 ? 1 : 0;
            case OR: return eval(n.kids[0], c) != 0 || eval(n.kids[1], c) != 0 ? 1 : 0;
            case COND: return eval(n.kids[0], c) != 0 ? eval(n.kids[1], c) : eval(n.kids[2], c);
            case FN1: return Functions.apply1(n.name, eval(n.kids[0], c));
            case FN2: return Functions.apply2(n.name, eval(n.kids[0], c), eval(n.kids[1], c));
            case VSUM: return SpecMath.sum(array(n.kids[0], c), offset(n.kids[0], c), n.kids[0].length);
            case VNORM: return SpecMath.norm(array(n.kids[0], c), offset(n.kids[0], c), n.kids[0].length);
            case VNORM2: return SpecMath.norm2(array(n.kids[0], c), offset(n.kids[0], c), n.kids[0].length);
            case VMIN: return SpecMath.vmin(array(n.kids[0], c), offset(n.kids[0], c), n.kids[0].length);
            case VMAX: return SpecMath.vmax(array(n.kids[0], c), offset(n.kids[0], c), n.kids[0].length);
            case DOT: return SpecMath.dot(array(n.kids[0], c), offset(n.kids[0], c),
                array(n.kids[1], c), offset(n.kids[1], c), n.kids[0].length);
            case INDEX: {
                Node v = n.kids[0];
                int k = SpecMath.ix(eval(n.kids[1], c), v.length);
                return array(v, c)[offset(v, c) + k];
            }
            case RSUM: case RPROD: case RMIN: case RMAX:
                return reduce(n, c);
            default:
                throw new IllegalStateException("cannot evaluate " + n.kind);
        }
    }

    private static double reduce(Node n, Ctx c) {
        int lo = SpecMath.bound(eval(n.kids[0], c));
        int hi = SpecMath.bound(eval(n.kids[1], c));
        if (lo <= hi && n.checks != null) {
            for (int[] ck : n.checks) {
                SpecMath.range(lo + ck[0], hi + ck[0], ck[1]);
            }
        }
        double saved = c.loops[n.slot];
        double acc = n.kind == Node.Kind.RSUM ? 0.0 : n.kind == Node.Kind.RPROD ? 1.0
            : n.kind == Node.Kind.RMIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        Node body = n.kids[2];
        for (int k = lo; k <= hi; k++) {
            c.loops[n.slot] = k;
            double v = eval(body, c);
            switch (n.kind) {
                case RSUM: acc += v; break;
                case RPROD: acc *= v; break;
                case RMIN: acc = Math.min(acc, v); break;
                default: acc = Math.max(acc, v); break;
            }
        }
        c.loops[n.slot] = saved;
        return acc;
    }

    private static double[] array(Node v, Ctx c) {
        switch (v.kind) {
            case VEC_X: return c.x;
            case VEC_Z: return c.z;
            case VEC_CONST: return c.vecs[v.slot];
            default: throw new IllegalStateException("not a vector: " + v.kind);
        }
    }

    private static int offset(Node v, Ctx c) {
        switch (v.kind) {
            case VEC_X: return c.xo;
            case VEC_Z: return c.zo;
            default: return 0;
        }
    }
}
