package io.scasml.pde.expr;

/**
 * Writes the Java source of a kernel class from resolved trees. Only the trees are read: names are mapped to generated
 * identifiers ({@code t, x, xo, u, z, zo, k0.., c0..}), numbers are re-printed from their parsed values, functions are
 * written from the whitelist. No text of the spec file reaches the compiler.
 */
public final class JavaEmitter {
    /** Fully qualified name of the interface the generated class implements. */
    public static final String KERNELS = "io.scasml.pde.SpecKernels";
    private static final String MATH = "io.scasml.pde.expr.SpecMath";
    private static final String ARGS = "t, x, xo, u, z, zo";

    private final StringBuilder helpers = new StringBuilder();
    private int methods;

    private JavaEmitter() {
    }

    /**
     * The source of {@code public final class <className> implements SpecKernels} for dimension {@code dim}, with
     * {@code vectors} vector-constant fields taken from the constructor's {@code double[][]} argument.
     *
     * @param exact the exact solution, or null (then exact methods throw)
     */
    public static String classSource(String className, int dim, int vectors, Node generator, Node terminal, Node exact) {
        JavaEmitter em = new JavaEmitter();
        String g = em.expr(generator);
        String h = em.expr(terminal);
        String e = exact == null ? null : em.expr(exact);
        StringBuilder s = new StringBuilder(4096);
        s.append("public final class ").append(className).append(" implements ").append(KERNELS).append(" {\n");
        for (int k = 0; k < vectors; k++) {
            s.append("  private final double[] c").append(k).append(";\n");
        }
        s.append("  public ").append(className).append("(double[][] v) {\n");
        for (int k = 0; k < vectors; k++) {
            s.append("    c").append(k).append(" = v[").append(k).append("];\n");
        }
        s.append("  }\n");
        String sig = "(double t, double[] x, int xo, double u, double[] z, int zo)";
        s.append("  private double g_").append(sig).append(" { return ").append(g).append("; }\n");
        s.append("  private double h_").append(sig).append(" { return ").append(h).append("; }\n");
        if (e != null) {
            s.append("  private double e_").append(sig).append(" { return ").append(e).append("; }\n");
        }
        s.append("  public double generatorAt").append(sig).append(" { return g_(").append(ARGS).append("); }\n");
        s.append("  public double terminalAt(double[] x, int xo) { return h_(0.0, x, xo, 0.0, null, 0); }\n");
        s.append("  public double exactAt(double t, double[] x, int xo) { ")
            .append(e == null ? "throw new UnsupportedOperationException(); }\n" : "return e_(t, x, xo, 0.0, null, 0); }\n");
        s.append("  public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {\n")
            .append("    for (int i = 0; i < n; i++) { int o = i * ").append(dim)
            .append("; out[i] = g_(t[i], x, o, u[i], z, o); }\n  }\n");
        s.append("  public void terminal(int n, double[] x, double[] out) {\n")
            .append("    for (int i = 0; i < n; i++) { out[i] = h_(0.0, x, i * ").append(dim).append(", 0.0, null, 0); }\n  }\n");
        s.append("  public void exact(int n, double[] t, double[] x, double[] out) {\n");
        if (e == null) {
            s.append("    throw new UnsupportedOperationException();\n  }\n");
        } else {
            s.append("    for (int i = 0; i < n; i++) { out[i] = e_(t[i], x, i * ").append(dim).append(", 0.0, null, 0); }\n  }\n");
        }
        s.append(em.helpers);
        s.append("}\n");
        return s.toString();
    }

    /** A Java literal for {@code v}. */
    static String lit(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        String s = Double.toString(v);
        return s.startsWith("-") ? "(" + s + ")" : s;
    }

    private String expr(Node n) {
        switch (n.kind) {
            case NUM:
                if (n.type == Node.Type.BOOL) {
                    return n.value != 0 ? "true" : "false";
                }
                return lit(n.value);
            case VAR_T: return "t";
            case VAR_U: return "u";
            case LOOP: return "((double) k" + n.slot + ")";
            case NEG: return "(-" + expr(n.kids[0]) + ")";
            case NOT: return "(!" + expr(n.kids[0]) + ")";
            case ADD: return bin(n, "+");
            case SUB: return bin(n, "-");
            case MUL: return bin(n, "*");
            case DIV: return bin(n, "/");
            case MOD: return bin(n, "%");
            case LT: return bin(n, "<");
            case LE: return bin(n, "<=");
            case GT: return bin(n, ">");
            case GE: return bin(n, ">=");
            case EQ: return bin(n, "==");
            case NE: return bin(n, "!=");
            case AND: return bin(n, "&&");
            case OR: return bin(n, "||");
            case POW:
                if (n.kids[1].isNumber(2.0)) {
                    return MATH + ".sq(" + expr(n.kids[0]) + ")";
                }
                return MATH + ".pow(" + expr(n.kids[0]) + ", " + expr(n.kids[1]) + ")";
            case COND:
                return "(" + expr(n.kids[0]) + " ? " + expr(n.kids[1]) + " : " + expr(n.kids[2]) + ")";
            case FN1:
                return Functions.java1(n.name) + expr(n.kids[0]) + ")";
            case FN2:
                return "Math." + n.name + "(" + expr(n.kids[0]) + ", " + expr(n.kids[1]) + ")";
            case VSUM: return vecCall("sum", n.kids[0]);
            case VNORM: return vecCall("norm", n.kids[0]);
            case VNORM2: return vecCall("norm2", n.kids[0]);
            case VMIN: return vecCall("vmin", n.kids[0]);
            case VMAX: return vecCall("vmax", n.kids[0]);
            case DOT:
                return MATH + ".dot(" + arr(n.kids[0]) + ", " + off(n.kids[0]) + ", " + arr(n.kids[1]) + ", "
                    + off(n.kids[1]) + ", " + n.kids[0].length + ")";
            case INDEX:
                return index(n);
            case RSUM: case RPROD: case RMIN: case RMAX:
                return reduction(n);
            default:
                throw new IllegalStateException("cannot emit " + n.kind);
        }
    }

    private String bin(Node n, String op) {
        return "(" + expr(n.kids[0]) + " " + op + " " + expr(n.kids[1]) + ")";
    }

    private String vecCall(String f, Node v) {
        return MATH + "." + f + "(" + arr(v) + ", " + off(v) + ", " + v.length + ")";
    }

    private static String arr(Node v) {
        switch (v.kind) {
            case VEC_X: return "x";
            case VEC_Z: return "z";
            case VEC_CONST: return "c" + v.slot;
            default: throw new IllegalStateException("not a vector: " + v.kind);
        }
    }

    private static String off(Node v) {
        switch (v.kind) {
            case VEC_X: return "xo";
            case VEC_Z: return "zo";
            default: return "0";
        }
    }

    private String index(Node n) {
        Node v = n.kids[0];
        Node idx = n.kids[1];
        String k;
        if (idx.kind == Node.Kind.NUM) {
            k = Integer.toString((int) idx.value);
        } else if (n.hoist != null) {
            int c = n.hoist;
            k = "k" + n.slot + (c == 0 ? "" : c > 0 ? " + " + c : " - " + (-c));
        } else {
            k = MATH + ".ix(" + expr(idx) + ", " + v.length + ")";
        }
        String o = off(v);
        return arr(v) + "[" + (o.equals("0") ? k : o + " + " + k) + "]";
    }

    private String reduction(Node n) {
        int slot = n.slot;
        String name = "r" + (methods++);
        StringBuilder params = new StringBuilder("double t, double[] x, int xo, double u, double[] z, int zo");
        StringBuilder args = new StringBuilder(ARGS);
        for (int k = 0; k < slot; k++) {
            params.append(", int k").append(k);
            args.append(", k").append(k);
        }
        String lo = bound(n.kids[0]);
        String hi = bound(n.kids[1]);
        String body = expr(n.kids[2]);
        String kv = "k" + slot;
        StringBuilder m = new StringBuilder();
        m.append("  private double ").append(name).append("(").append(params).append(") {\n");
        m.append("    final int lo = ").append(lo).append(";\n    final int hi = ").append(hi).append(";\n");
        if (n.checks != null) {
            m.append("    if (lo <= hi) {\n");
            for (int[] c : n.checks) {
                m.append("      ").append(MATH).append(".range(lo + ").append(c[0]).append(", hi + ").append(c[0])
                    .append(", ").append(c[1]).append(");\n");
            }
            m.append("    }\n");
        }
        String init;
        String step;
        switch (n.kind) {
            case RSUM: init = "0.0"; step = "acc += " + body; break;
            case RPROD: init = "1.0"; step = "acc *= " + body; break;
            case RMIN: init = "Double.POSITIVE_INFINITY"; step = "acc = Math.min(acc, " + body + ")"; break;
            default: init = "Double.NEGATIVE_INFINITY"; step = "acc = Math.max(acc, " + body + ")"; break;
        }
        m.append("    double acc = ").append(init).append(";\n");
        m.append("    for (int ").append(kv).append(" = lo; ").append(kv).append(" <= hi; ").append(kv).append("++) {\n");
        m.append("      ").append(step).append(";\n    }\n    return acc;\n  }\n");
        helpers.append(m);
        return name + "(" + args + ")";
    }

    private String bound(Node b) {
        if (b.kind == Node.Kind.NUM && b.value == Math.rint(b.value) && Math.abs(b.value) < (1 << 30)) {
            return Integer.toString((int) b.value);
        }
        return MATH + ".bound(" + expr(b) + ")";
    }
}
