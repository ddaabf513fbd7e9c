package io.scasml.pde.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of an expression tree. The parser builds raw nodes ({@link Kind#NAME}, {@link Kind#CALL}, operators);
 * {@link Resolver} turns them into resolved, typed nodes that name only what the grammar allows. Resolved trees are
 * immutable once built and may be shared between threads.
 */
public final class Node {

    /** Node kinds. The first group is only produced by the parser; the rest only by the resolver (operators by both). */
    public enum Kind {
        // raw
        NAME, CALL,
        // leaves
        NUM, VAR_T, VAR_U, VAR_I, LOOP, VEC_X, VEC_Z, VEC_CONST,
        // operators
        NEG, NOT, ADD, SUB, MUL, DIV, MOD, POW, LT, LE, GT, GE, EQ, NE, AND, OR, COND,
        // functions of scalars
        FN1, FN2,
        // functions of vectors
        VSUM, VNORM, VNORM2, VMIN, VMAX, DOT,
        // reductions over an index range
        RSUM, RPROD, RMIN, RMAX,
        // element access
        INDEX
    }

    /** Result types. */
    public enum Type { SCALAR, BOOL, VECTOR }

    final Kind kind;
    final int pos;
    final Node[] kids;
    /** NUM: the value. */
    double value;
    /** NAME/CALL: the name; FN1/FN2: the function name (from {@link Functions}). */
    String name;
    /** LOOP and reductions: the loop depth; VEC_CONST: the constant's slot. */
    int slot;
    /** Vectors: the length. */
    int length;
    /** INDEX: the constant offset c when the index is {@code k + c} for the innermost loop k checked once, else null. */
    Integer hoist;
    /** Reductions: the (offset, length) pairs of hoisted index checks. */
    List<int[]> checks;
    Type type;
    /** Height of the tree (a leaf has height 1). */
    final int height;
    /**
     * Number of nodes of the tree with every shared sub-tree (an inlined definition) counted once per use, saturating
     * at {@link Long#MAX_VALUE}. Computed when the node is built, so it costs O(1) however large the expanded tree is.
     */
    final long size;
    /** Bit {@code k.ordinal()} is set when the tree contains a node of kind {@code k} (computed when built). */
    final long kinds;

    Node(Kind kind, int pos, Node... kids) {
        this.kind = kind;
        this.pos = pos;
        this.kids = kids;
        int h = 0;
        long s = 1;
        long m = 1L << kind.ordinal();
        for (Node c : kids) {
            h = Math.max(h, c.height);
            s = s + c.size < 0 ? Long.MAX_VALUE : s + c.size;
            m |= c.kinds;
        }
        this.height = h + 1;
        this.size = s;
        this.kinds = m;
    }

    static Node num(double v, int pos) {
        Node n = new Node(Kind.NUM, pos);
        n.value = v;
        n.type = Type.SCALAR;
        return n;
    }

    void addCheck(int offset, int len) {
        if (checks == null) {
            checks = new ArrayList<>();
        }
        checks.add(new int[] {offset, len});
    }

    /** A number node (what a numeric YAML value becomes). */
    public static Node constant(double v) {
        return num(v, -1);
    }

    /** VEC_CONST: the slot of the vector constant. */
    public int slot() {
        return slot;
    }

    public Kind kind() {
        return kind;
    }

    public Type type() {
        return type;
    }

    /** The value of a NUM node. */
    public double value() {
        return value;
    }

    /** Whether this is the number {@code v}. */
    public boolean isNumber(double v) {
        return kind == Kind.NUM && Double.compare(value, v) == 0;
    }

    /** Whether the tree mentions the given kind (O(1): a bit set computed when the node was built). */
    public boolean mentions(Kind k) {
        return (kinds & (1L << k.ordinal())) != 0;
    }

    /**
     * Number of nodes in the tree, each inlined definition counted once per use (saturating at
     * {@link Long#MAX_VALUE}; O(1)).
     */
    public long size() {
        return size;
    }

    /** Height of the tree, inlined definitions included (a leaf has height 1). */
    public int height() {
        return height;
    }
}
