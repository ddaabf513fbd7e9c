package io.scasml.pde;

import com.fasterxml.jackson.databind.JsonNode;
import io.scasml.io.InputException;
import io.scasml.io.StrictTrees;
import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.pde.expr.Budget;
import io.scasml.pde.expr.Bytecode;
import io.scasml.pde.expr.Cost;
import io.scasml.pde.expr.ExpressionException;
import io.scasml.pde.expr.Interpreter;
import io.scasml.pde.expr.Node;
import io.scasml.pde.expr.Resolver;
import io.scasml.pde.expr.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Reads a spec file (YAML or JSON) into a validated {@link SpecModel}; the format is documented in README.md.
 *
 * <p>Specs are untrusted: the tree is read strictly ({@link StrictTrees}: no duplicate keys, anchors, aliases, tags or
 * second documents), and everything that costs memory or time is bounded by {@link SpecLimits} and checked before it
 * is allocated or evaluated: vectors against the constant budget, every evaluation done while reading (folding,
 * per-index vectors, mu, reference points) against the read budget, and the generator, terminal condition and exact
 * solution against the per-point cost, inlined size and bytecode limits — so a spec that passes here compiles and
 * runs within them.
 */
final class SpecParser {
    /** The format tag every spec carries. */
    static final String FORMAT = "scasml-pde/1";
    /** Largest accepted spec file by default, in characters. */
    static final int MAX_SPEC_CHARS = (int) SpecLimits.DEFAULTS.maxSpecBytes();
    /** Largest accepted dimension by default. */
    static final int MAX_DIM = SpecLimits.DEFAULTS.maxDim();
    /** Entries of the JVM constant pool a generated class may use (the JVM's limit is 65 535). */
    static final long MAX_POOL = 60_000;
    /** Deepest nesting of mappings and lists in a spec file. */
    static final int MAX_YAML_DEPTH = 32;
    /** Most values (numbers, strings, mappings, lists) in a spec file. */
    static final int MAX_YAML_VALUES = 200_000;
    /** Default key of the Cole–Hopf reference streams (the rule of {@link BuiltinPdes}). */
    static final long COLE_HOPF_KEY = 0x5CA5_3A11_C01EL;

    private static final Set<String> FIELDS = new LinkedHashSet<>(Arrays.asList(
        "format", "name", "description", "dim", "T", "constants", "definitions", "sigma", "mu", "generator", "terminal",
        "exact", "references", "domain", "clip"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PDE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String file;
    private final SpecLimits limits;
    private final Budget budget;
    private final Map<Long, UniformRandomProvider> streams = new HashMap<>();
    /** Numbers held in vectors so far (vector constants, mu, reference points). */
    private long doubles;

    private SpecParser(String file, SpecLimits limits) {
        this.file = file;
        this.limits = limits;
        this.budget = limits.budget();
    }

    /**
     * Parses {@code text} with the default limits.
     *
     * @param dimOverride the dimension to use, or null for the spec's default
     * @throws SpecException naming the file and the field for anything refused
     */
    static SpecModel parse(String file, String text, Integer dimOverride) {
        return parse(file, text, dimOverride, SpecLimits.DEFAULTS);
    }

    /**
     * Parses {@code text} under {@code limits}.
     *
     * @param dimOverride the dimension to use, or null for the spec's default
     * @throws SpecException naming the file and the field for anything refused
     */
    static SpecModel parse(String file, String text, Integer dimOverride, SpecLimits limits) {
        return new SpecParser(file, limits).run(text, dimOverride);
    }

    /** Reads only the tree (for listings), with the default limits. */
    static JsonNode tree(String file, String text) {
        return tree(file, text, SpecLimits.DEFAULTS);
    }

    /**
     * Reads only the tree: strict YAML/JSON (a leading byte-order mark is ignored; duplicate keys, anchors, aliases,
     * merge keys, type tags, non-finite numbers and second documents are refused with their line and column).
     */
    static JsonNode tree(String file, String text, SpecLimits limits) {
        if (text == null) {
            throw new SpecException(file, null, "no text");
        }
        if (text.length() > limits.maxSpecBytes()) {
            throw new SpecException(file, null, "spec is " + text.length() + " characters long; the limit is "
                + limits.maxSpecBytes() + " (raise it with " + SpecLimits.OPT_SPEC_BYTES + ")");
        }
        JsonNode root;
        try {
            root = StrictTrees.read(file, text, true, new StrictTrees.Limits(MAX_YAML_DEPTH, MAX_YAML_VALUES,
                (int) Math.min(Integer.MAX_VALUE, limits.maxSpecBytes())));
        } catch (InputException e) {
            throw new SpecException(file, e.field(), null, e.detail(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(file, null, "expected a mapping of fields (format, name, dim, T, sigma, mu, generator, terminal, ...)");
        }
        return root;
    }

    private SpecModel run(String text, Integer dimOverride) {
        JsonNode root = tree(file, text, limits);
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new SpecException(file, f, "unknown field; known fields: " + FIELDS);
            }
        }
        String format = requireText(root, "format");
        if (!FORMAT.equals(format)) {
            throw new SpecException(file, "format", "unknown format '" + format + "'; this version reads '" + FORMAT + "'");
        }
        SpecModel m = new SpecModel();
        m.source = file;
        m.name = requireText(root, "name");
        if (!PDE_NAME.matcher(m.name).matches()) {
            throw new SpecException(file, "name", "'" + m.name + "' is not a name (letters, digits, '_', '.', '-'; at most 64)");
        }
        m.description = root.has("description") ? requireText(root, "description") : "";
        dim(root, m, dimOverride);

        List<double[]> vectors = new ArrayList<>();
        Scope scope = Scope.of(m.dim, vectors, budget);
        constants(root.get("constants"), scope);

        m.horizon = number("T", require(root, "T"), scope);
        if (!(m.horizon > 0) || Double.isInfinite(m.horizon)) {
            throw new SpecException(file, "T", "T = " + m.horizon + " must be finite and > 0");
        }
        scope.putScalar("T", m.horizon);
        m.sigma = number("sigma", require(root, "sigma"), scope);
        if (!(m.sigma > 0) || Double.isInfinite(m.sigma)) {
            throw new SpecException(file, "sigma", "sigma = " + m.sigma + " must be finite and > 0");
        }
        scope.putScalar("sigma", m.sigma);

        JsonNode defs = root.get("definitions");
        if (defs != null) {
            if (!defs.isObject()) {
                throw new SpecException(file, "definitions", "expected a mapping name: expression");
            }
            Scope all = scope.with("a definition", Scope.Var.T, Scope.Var.X, Scope.Var.U, Scope.Var.Z);
            for (Map.Entry<String, JsonNode> e : defs.properties()) {
                String field = "definitions." + e.getKey();
                checkName(field, e.getKey(), scope);
                Node n = expr(field, e.getValue(), all, Node.Type.SCALAR);
                scope.putDefinition(e.getKey(), n);
                all.putDefinition(e.getKey(), n);
            }
        }

        m.mu = mu(require(root, "mu"), scope);
        m.generator = expr("generator", require(root, "generator"),
            scope.with("the generator F(t, x, u, z)", Scope.Var.T, Scope.Var.X, Scope.Var.U, Scope.Var.Z), Node.Type.SCALAR);
        m.terminal = expr("terminal", require(root, "terminal"),
            scope.with("the terminal condition g(x)", Scope.Var.X), Node.Type.SCALAR);
        JsonNode ex = root.get("exact");
        if (ex != null && !ex.isNull()) {
            if (ex.isObject() && "radial".equals(ex.path("method").asText())) {
                m.radial = radial(ex);
            } else if (ex.isObject()) {
                m.coleHopf = coleHopf(ex);
            } else {
                m.exact = expr("exact", ex, scope.with("the exact solution u(t, x)", Scope.Var.T, Scope.Var.X),
                    Node.Type.SCALAR);
            }
        }
        m.domain = domain(root.get("domain"), scope, m.horizon);
        clip(root.get("clip"), scope, m);
        m.vectors = vectors;
        m.references = references(root.get("references"), scope, m.dim);
        checkCosts(m);
        return m;
    }

    /**
     * The generator, terminal condition and exact solution against the limits of evaluation cost per point, inlined
     * size and generated bytecode: everything Janino and every F call will cost, known before either runs.
     */
    private void checkCosts(SpecModel m) {
        String[] names = {"generator", "terminal", "exact"};
        Node[] fields = {m.generator, m.terminal, m.exact};
        long nodes = 0;
        for (int k = 0; k < fields.length; k++) {
            if (fields[k] == null) {
                continue;
            }
            nodes = nodes + fields[k].size() < 0 ? Long.MAX_VALUE : nodes + fields[k].size();
            Cost.Estimate c = Cost.of(fields[k], m.vectors);
            if (!(c.operations() <= limits.maxPointCost())) {
                throw new SpecException(file, names[k], "one evaluation costs " + Budget.num(c.operations())
                    + " operations per point" + iterations(c) + "; the limit is " + Budget.num(limits.maxPointCost())
                    + " (raise it with " + SpecLimits.OPT_POINT_COST + ")");
            }
        }
        if (nodes > limits.maxInlinedNodes()) {
            throw new SpecException(file, null, "generator, terminal and exact have " + Budget.num(nodes)
                + " nodes together after inlining definitions; the limit is " + Budget.num(limits.maxInlinedNodes())
                + " (raise it with " + SpecLimits.OPT_INLINED_NODES + ")");
        }
        if (m.coleHopf != null) {
            double c = coleHopfCost(m, Cost.of(m.terminal, m.vectors).operations());
            if (!(c <= limits.maxExactCost())) {
                throw new SpecException(file, "exact", "one Cole-Hopf evaluation costs " + Budget.num(c)
                    + " operations per point (" + m.coleHopf.samples() + " samples of the terminal condition at d = "
                    + m.dim + "); the limit is " + Budget.num(limits.maxExactCost()) + " (raise it with "
                    + SpecLimits.OPT_EXACT_COST + ", or lower exact.samples)");
            }
        }
        Bytecode.Estimate b = Bytecode.estimate(names, fields);
        if (b.largestMethod() > limits.maxMethodBytes()) {
            throw new SpecException(file, b.largestField(), "its generated code needs a method of about "
                + Budget.num(b.largestMethod()) + " bytes of bytecode; the limit is " + limits.maxMethodBytes()
                + " (the JVM's is 65535; raise it with " + SpecLimits.OPT_METHOD_BYTES
                + ", or move long sums into reductions sum(k, lo, hi, expr))");
        }
        if (b.totalBytes() > limits.maxClassBytes()) {
            throw new SpecException(file, null, "the generated code needs about " + Budget.num(b.totalBytes())
                + " bytes of bytecode; the limit is " + Budget.num(limits.maxClassBytes()) + " (raise it with "
                + SpecLimits.OPT_CLASS_BYTES + ")");
        }
        if (b.mostLiterals() > limits.maxMethodLiterals()) {
            throw new SpecException(file, b.literalsField(), "its generated code writes " + Budget.num(b.mostLiterals())
                + " numbers into one method; the limit is " + limits.maxMethodLiterals() + " (compile time grows with"
                + " their square; put coefficients in a vector constant and use sum(k, lo, hi, c[k] * ...), or raise it"
                + " with " + SpecLimits.OPT_METHOD_LITERALS + ")");
        }
        if (b.literals() > limits.maxClassLiterals()) {
            throw new SpecException(file, null, "the generated code writes " + Budget.num(b.literals())
                + " numbers; the limit is " + limits.maxClassLiterals() + " (put coefficients in vector constants, or"
                + " raise it with " + SpecLimits.OPT_CLASS_LITERALS + ")");
        }
        if (b.poolEntries() > MAX_POOL) {
            throw new SpecException(file, null, "the generated code needs about " + Budget.num(b.poolEntries())
                + " constant-pool entries (" + Budget.num(b.methods()) + " methods and the distinct numbers); the JVM's"
                + " limit is 65535 (use fewer distinct numbers or reductions)");
        }
    }

    /** The point costs of a parsed model (see {@link PdeSpec#pointCosts()}). */
    static PdeSpec.PointCosts pointCosts(SpecModel m) {
        double g = Cost.of(m.generator, m.vectors).operations();
        double h = Cost.of(m.terminal, m.vectors).operations();
        double e = m.exact != null ? Cost.of(m.exact, m.vectors).operations()
            : m.coleHopf != null ? coleHopfCost(m, h) : 0;
        return new PdeSpec.PointCosts(g, h, e);
    }

    private static double coleHopfCost(SpecModel m, double terminalCost) {
        return (double) m.coleHopf.samples() * (terminalCost + 4.0 * m.dim + 4);
    }

    private static String iterations(Cost.Estimate c) {
        return c.iterations() <= 1 ? "" : " (its reductions run up to " + Budget.num(c.iterations())
            + " iterations: nested reductions multiply their trip counts)";
    }

    /**
     * Reserves {@code n} numbers of the spec's vector budget, before they are allocated.
     *
     * @throws SpecException naming the field if the total would exceed the limit
     */
    private void reserve(String field, double n) {
        if (!(n <= limits.maxConstantDoubles() - doubles)) {
            throw new SpecException(file, field, "needs " + Budget.num(n) + " numbers"
                + (doubles > 0 ? " (after " + Budget.num(doubles) + " in earlier vectors)" : "")
                + "; the limit for all vectors of a spec (constants, mu, reference points) is "
                + Budget.num(limits.maxConstantDoubles()) + " (raise it with " + SpecLimits.OPT_CONSTANT_DOUBLES + ")");
        }
        doubles += (long) n;
    }

    /** Charges read-time evaluation to the budget, naming the field. */
    private void charge(String field, double cost, String what) {
        try {
            budget.charge(cost, -1, what);
        } catch (ExpressionException e) {
            throw new SpecException(file, field, null, e.detail(), e);
        }
    }

    private void dim(JsonNode root, SpecModel m, Integer override) {
        JsonNode d = require(root, "dim");
        int min = 1;
        int max = SpecLimits.CEILING_DIM;
        if (d.isObject()) {
            for (Iterator<String> it = d.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!f.equals("default") && !f.equals("min") && !f.equals("max")) {
                    throw new SpecException(file, "dim." + f, "unknown field; expected default, min, max");
                }
            }
            m.defaultDim = integer("dim.default", require(d, "default", "dim.default"));
            if (d.has("min")) {
                min = integer("dim.min", d.get("min"));
            }
            if (d.has("max")) {
                max = integer("dim.max", d.get("max"));
            }
            m.dimIsParameter = true;
        } else {
            m.defaultDim = integer("dim", d);
            min = m.defaultDim;
            max = m.defaultDim;
        }
        if (m.defaultDim < 1 || m.defaultDim > SpecLimits.CEILING_DIM || min < 1 || max > SpecLimits.CEILING_DIM) {
            throw new SpecException(file, "dim", "dimensions must lie in [1, " + SpecLimits.CEILING_DIM + "]");
        }
        m.dim = override == null ? m.defaultDim : override;
        if (m.dim > limits.maxDim()) {
            throw new SpecException(file, "dim", "d = " + m.dim + " is above the limit " + limits.maxDim()
                + " (raise it with " + SpecLimits.OPT_DIM + ")");
        }
        if (m.dim < min || m.dim > max) {
            String what = m.dimIsParameter ? "this spec accepts d in [" + min + ", " + max + "]"
                : "this spec fixes d = " + m.defaultDim;
            throw new SpecException(file, "dim", "requested d = " + m.dim + ", but " + what);
        }
        if (m.defaultDim < min || m.defaultDim > max) {
            throw new SpecException(file, "dim.default", m.defaultDim + " is outside [" + min + ", " + max + "]");
        }
    }

    private void constants(JsonNode c, Scope scope) {
        if (c == null || c.isNull()) {
            return;
        }
        if (!c.isObject()) {
            throw new SpecException(file, "constants", "expected a mapping name: value");
        }
        for (Map.Entry<String, JsonNode> e : c.properties()) {
            String name = e.getKey();
            String field = "constants." + name;
            checkName(field, name, scope);
            JsonNode v = e.getValue();
            if (v.isNumber() || v.isTextual()) {
                Node n = expr(field, v, scope, null);
                if (n.type() == Node.Type.VECTOR) {
                    throw new SpecException(file, field, "a vector constant cannot be an alias; use {vector: ..., length: ...}");
                }
                scope.putScalar(name, constValue(field, n));
            } else if (v.isArray()) {
                reserve(field, v.size());
                double[] a = new double[v.size()];
                for (int k = 0; k < a.length; k++) {
                    a[k] = number(field + "[" + k + "]", v.get(k), scope);
                }
                scope.putVector(name, a);
            } else if (v.isObject() && v.has("random_uniform")) {
                scope.putVector(name, randomUniform(field, v, scope));
            } else if (v.isObject() && v.has("vector")) {
                only(v, field, "vector", "length");
                int len = length(field + ".length", require(v, "length", field + ".length"), scope);
                reserve(field + ".length", len);
                scope.putVector(name, perIndex(field + ".vector", v.get("vector"), scope, len));
            } else {
                throw new SpecException(file, field, "expected a number, an expression, a list of numbers, "
                    + "{vector: expr-of-i, length: n} or {random_uniform: {seed, low, high, length}}");
            }
        }
    }

    private double[] randomUniform(String field, JsonNode v, Scope scope) {
        only(v, field, "random_uniform");
        JsonNode r = v.get("random_uniform");
        String f = field + ".random_uniform";
        if (!r.isObject()) {
            throw new SpecException(file, f, "expected {seed, low, high, length}");
        }
        only(r, f, "seed", "low", "high", "length");
        JsonNode s = require(r, "seed", f + ".seed");
        if (!s.isIntegralNumber() || !s.canConvertToLong()) {
            throw new SpecException(file, f + ".seed", "expected an integer (64-bit), got " + s);
        }
        long seed = s.asLong();
        double low = r.has("low") ? number(f + ".low", r.get("low"), scope) : 0.0;
        double high = r.has("high") ? number(f + ".high", r.get("high"), scope) : 1.0;
        if (!(high >= low) || Double.isInfinite(high - low)) {
            throw new SpecException(file, f, "need finite low <= high, got [" + low + ", " + high + "]");
        }
        int len = length(f + ".length", require(r, "length", f + ".length"), scope);
        reserve(f + ".length", len);
        charge(f, 4.0 * len, "the " + len + " random draws of this vector");
        // Constants with the same seed share one stream, drawn in declaration order (see README).
        UniformRandomProvider rng = streams.computeIfAbsent(seed, k -> StreamKeys.stream(StreamKeys.mix64(k)));
        double[] a = new double[len];
        double width = high - low;
        for (int k = 0; k < len; k++) {
            a[k] = low + width * rng.nextDouble();
        }
        return a;
    }

    private int length(String field, JsonNode v, Scope scope) {
        double x = number(field, v, scope);
        if (x != Math.rint(x) || x < 0 || x > Integer.MAX_VALUE - 8) {
            throw new SpecException(file, field, "length " + x + " is not an integer in [0, " + (Integer.MAX_VALUE - 8) + "]");
        }
        if (x > limits.maxConstantDoubles() - doubles) {
            reserve(field, x);
        }
        return (int) x;
    }

    /** Evaluates a scalar expression of the index i (0-based) for i = 0..len-1. */
    private double[] perIndex(String field, JsonNode v, Scope scope, int len) {
        if (v == null) {
            throw new SpecException(file, field, "missing");
        }
        Node n = expr(field, v, scope.with("an expression of the index i", Scope.Var.I), Node.Type.SCALAR);
        if (n.kind() == Node.Kind.NUM) {
            double[] a = new double[len];
            Arrays.fill(a, constValue(field, n));
            return a;
        }
        Cost.Estimate c = Cost.of(n, scope.vectors(), 0, Math.max(0, len - 1));
        charge(field, c.operations() * len, "the " + len + " entries of this vector (" + Budget.num(c.operations())
            + " operations each)");
        Interpreter.Ctx ctx = new Interpreter.Ctx(scope.vectors());
        double[] a = new double[len];
        for (int k = 0; k < len; k++) {
            ctx.i = k;
            try {
                a[k] = Interpreter.eval(n, ctx);
            } catch (RuntimeException e) {
                throw new SpecException(file, field, null, "at i = " + k + ": " + e.getMessage(), e);
            }
            if (!Double.isFinite(a[k])) {
                throw new SpecException(file, field, "value at i = " + k + " is " + a[k]);
            }
        }
        return a;
    }

    private double[] mu(JsonNode v, Scope scope) {
        int d = scope.dim();
        reserve("mu", d);
        if (v.isArray()) {
            if (v.size() != d) {
                throw new SpecException(file, "mu", "mu has " + v.size() + " entries but d = " + d);
            }
            double[] a = new double[d];
            for (int k = 0; k < d; k++) {
                a[k] = number("mu[" + k + "]", v.get(k), scope);
            }
            return a;
        }
        Node n = expr("mu", v, scope.with("the drift mu (an expression of the index i)", Scope.Var.I), null);
        if (n.type() == Node.Type.VECTOR) {
            double[] a = vectorValue("mu", n, scope);
            if (a.length != d) {
                throw new SpecException(file, "mu", "mu has " + a.length + " entries but d = " + d);
            }
            return a;
        }
        return perIndex("mu", v, scope, d);
    }

    private double[] vectorValue(String field, Node n, Scope scope) {
        double[] a = constVector(n, scope);
        if (a == null) {
            throw new SpecException(file, field, "expected a vector constant's name");
        }
        return a.clone();
    }

    private static double[] constVector(Node n, Scope scope) {
        return n.kind() == Node.Kind.VEC_CONST ? scope.vectors().get(n.slot()) : null;
    }

    private SpecModel.Radial radial(JsonNode ex) {
        only(ex, "exact", "method", "s_points", "t_steps");
        int sp = ex.has("s_points") ? integer("exact.s_points", ex.get("s_points")) : 20000;
        int ts = ex.has("t_steps") ? integer("exact.t_steps", ex.get("t_steps")) : 1000;
        if (sp < 64 || sp > 10_000_000) {
            throw new SpecException(file, "exact.s_points", sp + " must be in [64, 10^7]");
        }
        if (ts < 4 || ts > 1_000_000) {
            throw new SpecException(file, "exact.t_steps", ts + " must be in [4, 10^6]");
        }
        if ((double) sp * ts > 1e10) {
            throw new SpecException(file, "exact", "s_points x t_steps = " + (double) sp * ts + " exceeds 1e10");
        }
        return new SpecModel.Radial(sp, ts);
    }

    private SpecModel.ColeHopf coleHopf(JsonNode ex) {
        only(ex, "exact", "method", "lambda", "samples", "seed");
        String method = requireText(ex, "method", "exact.method");
        if (!method.equals("cole_hopf")) {
            throw new SpecException(file, "exact.method", "unknown method '" + method + "'; known: cole_hopf, radial");
        }
        Scope none = Scope.of(1, new ArrayList<>());
        double lambda = ex.has("lambda") ? number("exact.lambda", ex.get("lambda"), none) : 1.0;
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new SpecException(file, "exact.lambda", "lambda = " + lambda + " must be finite and > 0");
        }
        int samples = ex.has("samples") ? integer("exact.samples", ex.get("samples")) : BuiltinPdes.COLE_HOPF_SAMPLES;
        if (samples < 2 || samples > (1 << 24) || samples % 2 != 0) {
            throw new SpecException(file, "exact.samples", samples + " must be even and in [2, 2^24]");
        }
        long seed = COLE_HOPF_KEY;
        if (ex.has("seed")) {
            JsonNode s = ex.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw new SpecException(file, "exact.seed", "expected an integer (64-bit), got " + s);
            }
            seed = s.asLong();
        }
        return new SpecModel.ColeHopf(lambda, samples, seed);
    }

    private Domain domain(JsonNode v, Scope scope, double horizon) {
        if (v == null || v.isNull()) {
            throw new SpecException(file, "domain", "missing: give {shape: cube, lo, hi} or {shape: ball, radius}");
        }
        if (!v.isObject()) {
            throw new SpecException(file, "domain", "expected a mapping");
        }
        String shape = requireText(v, "shape", "domain.shape").toLowerCase(Locale.ROOT);
        double t0 = 0;
        double t1 = horizon;
        JsonNode t = v.get("t");
        if (t != null) {
            if (!t.isArray() || t.size() != 2) {
                throw new SpecException(file, "domain.t", "expected [t_min, t_max]");
            }
            t0 = number("domain.t[0]", t.get(0), scope);
            t1 = number("domain.t[1]", t.get(1), scope);
        }
        if (!(t0 >= 0 && t1 >= t0 && t1 <= horizon)) {
            throw new SpecException(file, "domain.t", "need 0 <= t_min <= t_max <= T = " + horizon + ", got [" + t0 + ", " + t1 + "]");
        }
        double share = v.has("boundary_share") ? number("domain.boundary_share", v.get("boundary_share"), scope) : 1.0 / 6;
        if (!(share >= 0 && share <= 1)) {
            throw new SpecException(file, "domain.boundary_share", share + " is not in [0, 1]");
        }
        if (shape.equals("cube")) {
            only(v, "domain", "shape", "lo", "hi", "t", "boundary_share");
            double lo = number("domain.lo", require(v, "lo", "domain.lo"), scope);
            double hi = number("domain.hi", require(v, "hi", "domain.hi"), scope);
            if (!(hi > lo) || Double.isInfinite(hi - lo)) {
                throw new SpecException(file, "domain", "need finite lo < hi, got [" + lo + ", " + hi + "]");
            }
            return Domain.cube(lo, hi, t0, t1, share);
        }
        if (shape.equals("ball")) {
            only(v, "domain", "shape", "radius", "t", "boundary_share");
            double r = number("domain.radius", require(v, "radius", "domain.radius"), scope);
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new SpecException(file, "domain.radius", r + " must be finite and > 0");
            }
            return Domain.ball(r, t0, t1, share);
        }
        throw new SpecException(file, "domain.shape", "unknown shape '" + shape + "'; known: cube, ball");
    }

    private void clip(JsonNode v, Scope scope, SpecModel m) {
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            throw new SpecException(file, "clip", "expected {mlp: bound, scasml: bound}");
        }
        only(v, "clip", "mlp", "scasml");
        if (v.has("mlp")) {
            m.clipMlp = positive("clip.mlp", number("clip.mlp", v.get("mlp"), scope));
        }
        if (v.has("scasml")) {
            m.clipScasml = positive("clip.scasml", number("clip.scasml", v.get("scasml"), scope));
        }
    }

    private double positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new SpecException(file, field, v + " must be finite and > 0");
        }
        return v;
    }

    private List<Reference> references(JsonNode v, Scope scope, int dim) {
        List<Reference> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new SpecException(file, "references", "expected a list of {dim, t, x, value, tolerance, source}");
        }
        for (int k = 0; k < v.size(); k++) {
            String f = "references[" + k + "]";
            JsonNode r = v.get(k);
            if (!r.isObject()) {
                throw new SpecException(file, f, "expected {dim, t, x, value, tolerance, source}");
            }
            only(r, f, "dim", "t", "x", "value", "tolerance", "source");
            Integer rd = r.has("dim") ? integer(f + ".dim", r.get("dim")) : null;
            double t = number(f + ".t", require(r, "t", f + ".t"), scope);
            double value = number(f + ".value", require(r, "value", f + ".value"), scope);
            double tol = positive(f + ".tolerance", number(f + ".tolerance", require(r, "tolerance", f + ".tolerance"), scope));
            String source = requireText(r, "source", f + ".source");
            double[] x = null;
            if (rd == null || rd == dim) {
                JsonNode xv = require(r, "x", f + ".x");
                reserve(f + ".x", dim);
                if (xv.isArray()) {
                    if (xv.size() != dim) {
                        throw new SpecException(file, f + ".x", "has " + xv.size() + " entries but d = " + dim);
                    }
                    x = new double[dim];
                    for (int j = 0; j < dim; j++) {
                        x[j] = number(f + ".x[" + j + "]", xv.get(j), scope);
                    }
                } else {
                    x = perIndex(f + ".x", xv, scope, dim);
                }
            }
            out.add(new Reference(rd, t, x, value, tol, source));
        }
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Node expr(String field, JsonNode v, Scope scope, Node.Type expected) {
        String text;
        if (v.isNumber()) {
            double d = v.asDouble();
            if (!Double.isFinite(d)) {
                throw new SpecException(file, field, "number " + v + " is out of the double range");
            }
            return Node.constant(d);
        } else if (v.isTextual()) {
            text = v.asText();
        } else {
            throw new SpecException(file, field, "expected a number or an expression string, got " + kind(v));
        }
        try {
            return Resolver.compile(text, scope, expected);
        } catch (ExpressionException e) {
            throw new SpecException(file, field, e.position(text), e.detail(), e);
        }
    }

    private double number(String field, JsonNode v, Scope scope) {
        return constValue(field, expr(field, v, scope, Node.Type.SCALAR));
    }

    private double constValue(String field, Node n) {
        if (n.kind() != Node.Kind.NUM) {
            throw new SpecException(file, field, "expected a constant");
        }
        double d = n.value();
        if (!Double.isFinite(d)) {
            throw new SpecException(file, field, "value is " + d + "; expected a finite number");
        }
        return d;
    }

    private int integer(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SpecException(file, field, "expected an integer, got " + v);
        }
        return v.asInt();
    }

    private void checkName(String field, String name, Scope scope) {
        if (!NAME.matcher(name).matches()) {
            throw new SpecException(file, field, "'" + name + "' is not a valid name (letters, digits, '_'; not starting with a digit)");
        }
        if (scope.taken(name)) {
            throw new SpecException(file, field, "name '" + name + "' is already in use (reserved names: " + Scope.RESERVED + ")");
        }
    }

    private JsonNode require(JsonNode o, String f) {
        return require(o, f, f);
    }

    private JsonNode require(JsonNode o, String f, String field) {
        JsonNode v = o.get(f);
        if (v == null || v.isNull()) {
            throw new SpecException(file, field, "missing");
        }
        return v;
    }

    private String requireText(JsonNode o, String f) {
        return requireText(o, f, f);
    }

    private String requireText(JsonNode o, String f, String field) {
        JsonNode v = require(o, f, field);
        if (!v.isTextual()) {
            throw new SpecException(file, field, "expected a string, got " + kind(v));
        }
        return v.asText();
    }

    private void only(JsonNode o, String field, String... allowed) {
        List<String> ok = Arrays.asList(allowed);
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw new SpecException(file, field + "." + f, "unknown field; expected one of " + ok);
            }
        }
    }

    private static String kind(JsonNode v) {
        return v.isObject() ? "a mapping" : v.isArray() ? "a list" : v.isBoolean() ? "a boolean" : v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
