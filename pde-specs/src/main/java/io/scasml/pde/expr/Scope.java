package io.scasml.pde.expr;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names an expression may use: the dimension d, the variables available in the field being resolved, the
 * named scalar and vector constants, and named definitions (already resolved sub-expressions).
 * Scalars and vectors are values known before compilation, so they are folded into the tree.
 */
public final class Scope {

    /** The variables a field may use. */
    public enum Var { T, U, X, Z, I }

    /** Names that constants and definitions may not take. */
    public static final Set<String> RESERVED;

    static {
        Set<String> r = new TreeSet<>(Arrays.asList("t", "u", "x", "z", "d", "i", "pi", "if", "T", "sigma"));
        r.addAll(Functions.names());
        RESERVED = Collections.unmodifiableSet(r);
    }

    final int dim;
    final Map<String, Double> scalars = new LinkedHashMap<>();
    final Map<String, Integer> vectorSlots = new LinkedHashMap<>();
    final List<double[]> vectors;
    final Map<String, Node> definitions = new LinkedHashMap<>();
    final Set<Var> vars;
    /** What the field is, for messages: e.g. "the terminal condition g(x)". */
    final String what;
    /** The limits and the read budget of the spec (shared by every scope derived from this one). */
    final Budget budget;

    private Scope(int dim, List<double[]> vectors, Set<Var> vars, String what, Budget budget) {
        this.dim = dim;
        this.vectors = vectors;
        this.vars = vars;
        this.what = what;
        this.budget = budget;
    }

    /** An empty scope for dimension {@code dim} (constants only, no variables), with the default limits. */
    public static Scope of(int dim, List<double[]> vectorStore) {
        return of(dim, vectorStore, Budget.defaults());
    }

    /** An empty scope for dimension {@code dim} (constants only, no variables) under {@code budget}. */
    public static Scope of(int dim, List<double[]> vectorStore, Budget budget) {
        return new Scope(dim, vectorStore, EnumSet.noneOf(Var.class), "a constant", budget);
    }

    /** The limits and read budget in force. */
    public Budget budget() {
        return budget;
    }

    /** A copy of this scope that allows exactly {@code vars}; {@code what} names the field in messages. */
    public Scope with(String what, Var... vars) {
        Scope s = new Scope(dim, vectors, vars.length == 0 ? EnumSet.noneOf(Var.class) : EnumSet.copyOf(Arrays.asList(vars)), what,
            budget);
        s.scalars.putAll(scalars);
        s.vectorSlots.putAll(vectorSlots);
        s.definitions.putAll(definitions);
        return s;
    }

    public int dim() {
        return dim;
    }

    /** Whether {@code name} is already taken by a constant, a definition or the grammar. */
    public boolean taken(String name) {
        return RESERVED.contains(name) || scalars.containsKey(name) || vectorSlots.containsKey(name)
            || definitions.containsKey(name);
    }

    /** Adds a named scalar (a constant, or T and sigma). */
    public void putScalar(String name, double v) {
        scalars.put(name, v);
    }

    /** Adds a named vector constant; returns its slot (its index in the vector store). */
    public int putVector(String name, double[] v) {
        int slot = vectors.size();
        vectors.add(v);
        vectorSlots.put(name, slot);
        return slot;
    }

    /** Adds a resolved definition. */
    public void putDefinition(String name, Node resolved) {
        definitions.put(name, resolved);
    }

    /** The vector constants by slot. */
    public List<double[]> vectors() {
        return vectors;
    }

    /** Every name usable here, for "known names" hints. */
    Set<String> known() {
        Set<String> s = new TreeSet<>();
        s.add("d");
        s.add("pi");
        for (Var v : vars) {
            s.add(v.name().toLowerCase(java.util.Locale.ROOT));
        }
        s.addAll(scalars.keySet());
        s.addAll(vectorSlots.keySet());
        s.addAll(definitions.keySet());
        return s;
    }
}
