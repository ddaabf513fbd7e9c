package io.scasml.pde.expr;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A static upper bound on the work of evaluating a resolved tree once (at one point), computed from the tree alone —
 * before anything is compiled or evaluated — in time linear in the number of distinct nodes (an inlined definition
 * used many times is costed once).
 *
 * <p>Unit: one operation per node evaluated; a vector function ({@code sum(v)}, {@code norm2(v)}, {@code dot}, ...)
 * costs the vector's length; a reduction {@code sum(k, lo, hi, body)} costs its trip count times (1 + the body's
 * cost), so nested reductions multiply. Trip counts come from an interval analysis of the bounds (numbers, {@code d},
 * enclosing indices, the index {@code i} of a per-index vector, {@code min}/{@code max}/{@code floor}/..., and the
 * entries of constant vectors); a bound that depends on {@code t}, {@code x}, {@code u} or {@code z} can be anything
 * a loop bound may be at run time ({@code |bound| < 2^30}), so its trip count is costed as up to 2^31. Conditionals
 * cost their more expensive branch.
 */
public final class Cost {
    /** Largest magnitude of a loop bound at run time ({@link SpecMath#bound}). */
    private static final double BOUND = 1 << 30;

    /**
     * The bound for one tree.
     *
     * @param operations upper bound on the operations of one evaluation
     * @param iterations the largest number of reduction iterations (trip counts multiplied along a nesting) run by
     *                   one evaluation; 0 without reductions
     */
    public record Estimate(double operations, double iterations) {
    }

    private record Memo(double cost, double iters) {
    }

    private final List<double[]> vectors;
    private final double iLo;
    private final double iHi;
    private final double[] loopLo = new double[64];
    private final double[] loopHi = new double[64];
    private final Map<Node, Memo> memo = new IdentityHashMap<>();
    private final Map<Node, Long> free = new IdentityHashMap<>();
    private final Map<Node, double[]> ranges = new IdentityHashMap<>();
    private final Map<Integer, double[]> vectorRanges = new java.util.HashMap<>();

    private Cost(List<double[]> vectors, double iLo, double iHi) {
        this.vectors = vectors;
        this.iLo = iLo;
        this.iHi = iHi;
        java.util.Arrays.fill(loopLo, -BOUND);
        java.util.Arrays.fill(loopHi, BOUND);
    }

    /** The cost of evaluating {@code n} once; the index {@code i}, if used, is taken to be anything. */
    public static Estimate of(Node n, List<double[]> vectors) {
        return of(n, vectors, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** The cost of evaluating {@code n} once with the index {@code i} in {@code [iLo, iHi]}. */
    public static Estimate of(Node n, List<double[]> vectors, double iLo, double iHi) {
        Memo m = new Cost(vectors, iLo, iHi).cost(n);
        return new Estimate(m.cost, m.iters);
    }

    /**
     * Results are memoized for sub-trees without free loop indices: those do not depend on the loop intervals in
     * force, and they are the only ones that can be shared (definitions are resolved outside any reduction), so every
     * distinct node is costed once.
     */
    private Memo cost(Node n) {
        if (freeLoops(n) != 0) {
            return compute(n);
        }
        Memo m = memo.get(n);
        if (m == null) {
            m = compute(n);
            memo.put(n, m);
        }
        return m;
    }

    /** Bit s is set when {@code n} uses the index of a loop at depth s that it does not itself bind. */
    private long freeLoops(Node n) {
        if (!n.mentions(Node.Kind.LOOP)) {
            return 0;
        }
        Long f = free.get(n);
        if (f == null) {
            long m;
            switch (n.kind) {
                case LOOP:
                    m = 1L << n.slot;
                    break;
                case RSUM: case RPROD: case RMIN: case RMAX:
                    m = freeLoops(n.kids[0]) | freeLoops(n.kids[1]) | (freeLoops(n.kids[2]) & ~(1L << n.slot));
                    break;
                default:
                    m = 0;
                    for (Node k : n.kids) {
                        m |= freeLoops(k);
                    }
                    break;
            }
            f = m;
            free.put(n, f);
        }
        return f;
    }

    private Memo compute(Node n) {
        switch (n.kind) {
            case VEC_X: case VEC_Z: case VEC_CONST:
                return new Memo(0, 0);
            case VSUM: case VNORM: case VNORM2: case VMIN: case VMAX:
                return new Memo(1.0 + n.kids[0].length, 0);
            case DOT:
                return new Memo(1.0 + 2.0 * n.kids[0].length, 0);
            case COND: {
                Memo c = cost(n.kids[0]);
                Memo a = cost(n.kids[1]);
                Memo b = cost(n.kids[2]);
                return new Memo(1 + c.cost + Math.max(a.cost, b.cost), max(c.iters, a.iters, b.iters));
            }
            case RSUM: case RPROD: case RMIN: case RMAX: {
                Memo lo = cost(n.kids[0]);
                Memo hi = cost(n.kids[1]);
                double[] l = range(n.kids[0]);
                double[] h = range(n.kids[1]);
                double first = Math.max(-BOUND, Math.ceil(l[0]));
                double last = Math.min(BOUND, Math.floor(h[1]));
                double trips = Double.isNaN(first) || Double.isNaN(last) ? 2 * BOUND + 1 : Math.max(0, last - first + 1);
                int s = n.slot;
                double savedLo = loopLo[s];
                double savedHi = loopHi[s];
                loopLo[s] = first;
                loopHi[s] = last;
                Memo body;
                try {
                    body = cost(n.kids[2]);
                } finally {
                    loopLo[s] = savedLo;
                    loopHi[s] = savedHi;
                }
                double iters = trips == 0 ? 0 : trips * Math.max(1, body.iters);
                return new Memo(1 + lo.cost + hi.cost + trips * (1 + body.cost), max(lo.iters, hi.iters, iters));
            }
            default: {
                double c = 1;
                double it = 0;
                for (Node k : n.kids) {
                    Memo km = cost(k);
                    c += km.cost;
                    it = Math.max(it, km.iters);
                }
                return new Memo(c, it);
            }
        }
    }

    private static double max(double a, double b, double c) {
        return Math.max(a, Math.max(b, c));
    }

    private static final double[] ANY = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};

    /** An interval holding every value {@code n} can take ({@code [-inf, inf]} when unknown). */
    private double[] range(Node n) {
        if (n.kind == Node.Kind.LOOP) {
            return new double[] {loopLo[n.slot], loopHi[n.slot]};
        }
        if (freeLoops(n) != 0) {
            return rangeOf(n); // depends on the loop intervals in force (and is never shared): not memoized
        }
        double[] r = ranges.get(n);
        if (r == null) {
            r = rangeOf(n);
            ranges.put(n, r);
        }
        return r;
    }

    private double[] rangeOf(Node n) {
        switch (n.kind) {
            case NUM:
                return new double[] {n.value, n.value};
            case VAR_I:
                return new double[] {iLo, iHi};
            case NEG: {
                double[] a = range(n.kids[0]);
                return new double[] {-a[1], -a[0]};
            }
            case ADD: {
                double[] a = range(n.kids[0]);
                double[] b = range(n.kids[1]);
                return checked(a[0] + b[0], a[1] + b[1]);
            }
            case SUB: {
                double[] a = range(n.kids[0]);
                double[] b = range(n.kids[1]);
                return checked(a[0] - b[1], a[1] - b[0]);
            }
            case MUL: {
                double[] a = range(n.kids[0]);
                double[] b = range(n.kids[1]);
                double p1 = a[0] * b[0];
                double p2 = a[0] * b[1];
                double p3 = a[1] * b[0];
                double p4 = a[1] * b[1];
                return checked(Math.min(Math.min(p1, p2), Math.min(p3, p4)), Math.max(Math.max(p1, p2), Math.max(p3, p4)));
            }
            case DIV: {
                double[] a = range(n.kids[0]);
                Node b = n.kids[1];
                if (b.kind == Node.Kind.NUM && b.value > 0) {
                    return checked(a[0] / b.value, a[1] / b.value);
                }
                return ANY;
            }
            case MOD: {
                Node b = n.kids[1];
                if (b.kind == Node.Kind.NUM && Double.isFinite(b.value) && b.value != 0) {
                    double m = Math.abs(b.value);
                    return new double[] {-m, m};
                }
                return ANY;
            }
            case COND: {
                double[] a = range(n.kids[1]);
                double[] b = range(n.kids[2]);
                return checked(Math.min(a[0], b[0]), Math.max(a[1], b[1]));
            }
            case FN1: {
                double[] a = range(n.kids[0]);
                switch (n.name) {
                    case "floor": return checked(Math.floor(a[0]), Math.floor(a[1]));
                    case "ceil": return checked(Math.ceil(a[0]), Math.ceil(a[1]));
                    case "abs": return a[0] >= 0 ? a : a[1] <= 0 ? new double[] {-a[1], -a[0]}
                        : new double[] {0, Math.max(-a[0], a[1])};
                    default: return ANY;
                }
            }
            case FN2: {
                double[] a = range(n.kids[0]);
                double[] b = range(n.kids[1]);
                if (n.name.equals("min")) {
                    return checked(Math.min(a[0], b[0]), Math.min(a[1], b[1]));
                }
                return checked(Math.max(a[0], b[0]), Math.max(a[1], b[1]));
            }
            case INDEX:
                return n.kids[0].kind == Node.Kind.VEC_CONST ? vectorRange(n.kids[0].slot) : ANY;
            default:
                return ANY;
        }
    }

    private double[] vectorRange(int slot) {
        return vectorRanges.computeIfAbsent(slot, s -> {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : vectors.get(s)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return lo <= hi ? new double[] {lo, hi} : ANY;
        });
    }

    private static double[] checked(double lo, double hi) {
        return Double.isNaN(lo) || Double.isNaN(hi) ? ANY : new double[] {lo, hi};
    }
}
