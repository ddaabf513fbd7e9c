package io.scasml.pde;

import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.pde.expr.Node;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A {@link Pde} compiled from a spec file. F, g and an expression exact solution run as JVM bytecode generated from
 * the spec's expression trees (see {@link SpecKernels}); μ, σ, T and the domain are numbers read from the spec.
 *
 * <p>Every batch result is checked for NaN (one pass over the n outputs); a NaN, or an index or loop-bound error,
 * raises a {@link SpecException} naming the spec file, the field and the first failing point.
 *
 * <p>Thread-safe and immutable. Serializable: it travels as its {@link PdeSpec} (the spec text and d) and is
 * recompiled — once per JVM, through the cache of {@link PdeSpec#compile()} — when deserialized.
 */
public final class SpecPde implements Pde, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient PdeSpec spec;
    private final transient SpecModel m;
    private final transient SpecKernels k;
    private final transient boolean usesGradient;
    private final transient boolean isZero;
    /** The radial finite-difference reference, solved on first use (and again for a larger ‖x‖²). */
    private transient volatile RadialReference radialRef;

    SpecPde(PdeSpec spec, SpecModel model, SpecKernels kernels) {
        this.spec = spec;
        this.m = model;
        this.k = kernels;
        this.usesGradient = model.generator.mentions(Node.Kind.VEC_Z);
        this.isZero = model.generator.kind() == Node.Kind.NUM && model.generator.value() == 0.0;
    }

    /** The spec this PDE was compiled from. */
    public PdeSpec spec() {
        return spec;
    }

    @Override public String name() { return m.name; }
    @Override public int dim() { return m.dim; }
    @Override public double horizon() { return m.horizon; }
    @Override public double[] drift() { return m.mu.clone(); }
    @Override public double sigma() { return m.sigma; }
    @Override public Domain domain() { return m.domain; }
    @Override public boolean generatorUsesGradient() { return usesGradient; }
    @Override public boolean generatorIsZero() { return isZero; }
    @Override public boolean hasExact() { return m.exact != null || m.coleHopf != null || m.radial != null; }

    /** The one-line description of the spec. */
    public String description() {
        return m.description;
    }

    /** The default dimension of the spec (what d is when no dimension is requested). */
    public int defaultDim() {
        return m.defaultDim;
    }

    /** Whether the exact solution is a Monte Carlo reference (Cole–Hopf) rather than a closed form. */
    public boolean exactIsMonteCarlo() {
        return m.coleHopf != null;
    }

    /**
     * Whether the exact solution is a numerical reference (Cole–Hopf Monte Carlo, or the radial finite-difference
     * solution of {@code exact: {method: radial}}) rather than a closed form: it is not differentiated by checks.
     */
    public boolean exactIsNumerical() {
        return m.coleHopf != null || m.radial != null;
    }

    /** Clip bound of the plain MLP estimator, if the spec gives one. */
    public OptionalDouble clipMlp() {
        return m.clipMlp == null ? OptionalDouble.empty() : OptionalDouble.of(m.clipMlp);
    }

    /** Clip bound of the SCaSML correction, if the spec gives one. */
    public OptionalDouble clipScasml() {
        return m.clipScasml == null ? OptionalDouble.empty() : OptionalDouble.of(m.clipScasml);
    }

    /** The spec's reference values (those for other dimensions have {@code applies() == false}). */
    public List<Reference> references() {
        return m.references;
    }

    @Override
    public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
        try {
            k.generator(n, t, x, u, z, out);
        } catch (RuntimeException e) {
            throw locate("generator", n, t, x, u, z, e);
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(out[i])) {
                throw locate("generator", n, t, x, u, z, null);
            }
        }
    }

    @Override
    public void terminal(int n, double[] x, double[] out) {
        try {
            k.terminal(n, x, out);
        } catch (RuntimeException e) {
            throw locate("terminal", n, null, x, null, null, e);
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(out[i])) {
                throw locate("terminal", n, null, x, null, null, null);
            }
        }
    }

    @Override
    public void exact(int n, double[] t, double[] x, double[] out) {
        if (m.coleHopf != null) {
            coleHopf(n, t, x, out);
        } else if (m.radial != null) {
            radial(n, t, x, out);
        } else if (m.exact != null) {
            try {
                k.exact(n, t, x, out);
            } catch (RuntimeException e) {
                throw locate("exact", n, t, x, null, null, e);
            }
        } else {
            throw new UnsupportedOperationException("PDE '" + m.name + "' (" + m.source + ") has no exact solution");
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(out[i])) {
                throw locate("exact", n, t, x, null, null, null);
            }
        }
    }

    /** u(t, x) = v(t, ‖x‖²) from the radial finite-difference reference ({@link RadialReference}). */
    private void radial(int n, double[] t, double[] x, double[] out) {
        final int d = m.dim;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += x[i * d + c] * x[i * d + c];
            }
            out[i] = s;
            sq = Math.max(sq, s);
        }
        RadialReference ref = radialReference(sq);
        for (int i = 0; i < n; i++) {
            out[i] = t[i] >= m.horizon ? terminalAt(x, i * d, t[i], "exact") : ref.value(t[i], out[i]);
        }
    }

    /** The radial reference covering ‖x‖² ≤ sq (at least the test domain's range). */
    RadialReference radialReference(double sq) {
        RadialReference r = radialRef;
        if (r != null && sq <= r.sMax()) {
            return r;
        }
        synchronized (this) {
            r = radialRef;
            if (r != null && sq <= r.sMax()) {
                return r;
            }
            Domain dom = m.domain;
            double domMax = dom == null ? 1 : dom.shape() == Domain.Shape.BALL ? dom.hi() * dom.hi()
                : m.dim * Math.max(dom.lo() * dom.lo(), dom.hi() * dom.hi());
            double want = Math.max(domMax, r == null ? sq : 2 * sq);
            final int d = m.dim;
            final double[] y = new double[d];
            final double[] zero = new double[d];
            final double[] one = new double[1];
            final double[] uu = new double[1];
            final double[] tt = new double[1];
            java.util.function.DoubleUnaryOperator g = s -> {
                y[0] = Math.sqrt(Math.max(s, 0));
                return terminalAt(y, 0, m.horizon, "exact");
            };
            java.util.function.DoubleBinaryOperator f = (time, u) -> {
                tt[0] = time;
                uu[0] = u;
                generator(1, tt, zero, uu, zero, one);
                return one[0];
            };
            r = new RadialReference(d, m.sigma, m.horizon, g, f, want, m.radial.sPoints(), m.radial.tSteps());
            radialRef = r;
            return r;
        }
    }

    /**
     * u = −(1/λ) ln E[exp(−λ g(x + μτ + σ√τ ξ))], τ = T − t, by antithetic Monte Carlo with the spec's sample count;
     * the normal stream of each point is keyed by (seed, bits of t, bits of every x_k) as in
     * {@link io.scasml.kernels.pde.BuiltinPdes}, so the value is a pure function of the point.
     */
    private void coleHopf(int n, double[] t, double[] x, double[] out) {
        final int d = m.dim;
        final SpecModel.ColeHopf ch = m.coleHopf;
        final double lambda = ch.lambda();
        final int samples = ch.samples();
        boolean drift = false;
        for (double v : m.mu) {
            drift |= v != 0;
        }
        double[] y = new double[2 * d];
        double[] xi = new double[d];
        double[] vals = new double[samples];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double tau = m.horizon - t[i];
            if (!(tau > 0)) {
                out[i] = terminalAt(x, off, t[i], "exact");
                continue;
            }
            long key = StreamKeys.child(ch.seed(), Double.doubleToLongBits(t[i]));
            for (int c = 0; c < d; c++) {
                key = StreamKeys.child(key, Double.doubleToLongBits(x[off + c]));
            }
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(StreamKeys.stream(key));
            double sc = m.sigma * Math.sqrt(tau);
            double min = Double.POSITIVE_INFINITY;
            for (int s = 0; s < samples; s += 2) {
                for (int c = 0; c < d; c++) {
                    xi[c] = gauss.sample();
                    double centre = drift ? x[off + c] + m.mu[c] * tau : x[off + c];
                    y[c] = centre + sc * xi[c];
                    y[d + c] = centre - sc * xi[c];
                }
                vals[s] = lambda * terminalAt(y, 0, t[i], "exact");
                vals[s + 1] = lambda * terminalAt(y, d, t[i], "exact");
                min = Math.min(min, Math.min(vals[s], vals[s + 1]));
            }
            double acc = 0;
            for (double v : vals) {
                acc += Math.exp(-(v - min));
            }
            out[i] = (min - Math.log(acc / samples)) / lambda;
        }
    }

    private double terminalAt(double[] y, int off, double t, String field) {
        double g;
        try {
            g = k.terminalAt(y, off);
        } catch (RuntimeException e) {
            throw new SpecException(m.source, "terminal", null, "while computing '" + field + "' at t = " + t + ": "
                + e.getMessage(), e);
        }
        if (Double.isNaN(g)) {
            throw new SpecException(m.source, "terminal", "NaN while computing '" + field + "' at t = " + t
                + ", x = " + vec(y, off, m.dim));
        }
        return g;
    }

    /** Finds the first point that throws or gives NaN, and describes it. */
    private SpecException locate(String field, int n, double[] t, double[] x, double[] u, double[] z, RuntimeException cause) {
        int d = m.dim;
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double v;
            String what;
            try {
                switch (field) {
                    case "generator": v = k.generatorAt(t[i], x, off, u[i], z, off); break;
                    case "terminal": v = k.terminalAt(x, off); break;
                    default: v = k.exactAt(t[i], x, off); break;
                }
                if (!Double.isNaN(v)) {
                    continue;
                }
                what = "NaN";
            } catch (RuntimeException e) {
                what = e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
                cause = e;
            }
            StringBuilder s = new StringBuilder(what).append(" at point ").append(i).append(" of the batch: ");
            if (t != null) {
                s.append("t = ").append(t[i]).append(", ");
            }
            s.append("x = ").append(vec(x, off, d));
            if (u != null) {
                s.append(", u = ").append(u[i]);
            }
            if (z != null) {
                s.append(", z = ").append(vec(z, off, d));
            }
            return new SpecException(m.source, field, null, s.toString(), cause);
        }
        return new SpecException(m.source, field, null, "evaluation failed: " + (cause == null ? "NaN" : cause.getMessage()), cause);
    }

    static String vec(double[] a, int off, int d) {
        StringBuilder s = new StringBuilder("[");
        int shown = Math.min(d, 6);
        for (int c = 0; c < shown; c++) {
            if (c > 0) {
                s.append(", ");
            }
            s.append(String.format(Locale.ROOT, "%.6g", a[off + c]));
        }
        if (d > shown) {
            s.append(", ... (").append(d).append(" coordinates)");
        }
        return s.append(']').toString();
    }

    @Override
    public String toString() {
        return m.name + "(d=" + m.dim + ", T=" + m.horizon + ", spec " + m.source + ")";
    }

    /**
     * This PDE with non-finite results as data, for callers that flag points instead of failing (a run writing a
     * per-point status): its batch methods never throw for a point's value — a NaN, ±Infinity or a point whose
     * evaluation fails (a computed index out of range, a bad loop bound) is written to {@code out} as NaN (or the
     * infinity), and the other points of the batch are computed as usual. Serializable like this PDE (as its spec).
     */
    public Pde nonFiniteAsData() {
        return new NonFiniteAsData(this);
    }

    private static final class NonFiniteAsData implements Pde, Serializable {
        private static final long serialVersionUID = 1L;
        private final transient SpecPde p;

        NonFiniteAsData(SpecPde p) {
            this.p = p;
        }

        @Override public String name() { return p.name(); }
        @Override public int dim() { return p.dim(); }
        @Override public double horizon() { return p.horizon(); }
        @Override public double[] drift() { return p.drift(); }
        @Override public double sigma() { return p.sigma(); }
        @Override public Domain domain() { return p.domain(); }
        @Override public boolean generatorUsesGradient() { return p.generatorUsesGradient(); }
        @Override public boolean generatorIsZero() { return p.generatorIsZero(); }
        @Override public boolean hasExact() { return p.hasExact(); }

        @Override
        public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
            try {
                p.k.generator(n, t, x, u, z, out);
            } catch (RuntimeException e) {
                int d = p.m.dim;
                for (int i = 0; i < n; i++) {
                    try {
                        out[i] = p.k.generatorAt(t[i], x, i * d, u[i], z, i * d);
                    } catch (RuntimeException f) {
                        out[i] = Double.NaN;
                    }
                }
            }
        }

        @Override
        public void terminal(int n, double[] x, double[] out) {
            try {
                p.k.terminal(n, x, out);
            } catch (RuntimeException e) {
                int d = p.m.dim;
                for (int i = 0; i < n; i++) {
                    try {
                        out[i] = p.k.terminalAt(x, i * d);
                    } catch (RuntimeException f) {
                        out[i] = Double.NaN;
                    }
                }
            }
        }

        @Override
        public void exact(int n, double[] t, double[] x, double[] out) {
            if (!p.hasExact()) {
                p.exact(n, t, x, out); // throws UnsupportedOperationException, as documented by Pde
                return;
            }
            if (p.m.exact != null) {
                try {
                    p.k.exact(n, t, x, out);
                    return;
                } catch (RuntimeException e) {
                    // fall through: point by point
                }
            }
            int d = p.m.dim;
            double[] one = new double[1];
            for (int i = 0; i < n; i++) {
                try {
                    p.exact(1, new double[] {t[i]}, java.util.Arrays.copyOfRange(x, i * d, i * d + d), one);
                    out[i] = one[0];
                } catch (RuntimeException f) {
                    out[i] = Double.NaN;
                }
            }
        }

        @Override
        public String toString() {
            return p + " (non-finite values as data)";
        }

        private Object writeReplace() throws ObjectStreamException {
            return new DataProxy(p.spec);
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
            throw new java.io.InvalidObjectException("travels as its PdeSpec");
        }
    }

    /** Serialized form of {@link #nonFiniteAsData()}. */
    private static final class DataProxy implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PdeSpec spec;

        DataProxy(PdeSpec spec) {
            this.spec = spec;
        }

        private Object readResolve() throws ObjectStreamException {
            return spec.compile().nonFiniteAsData();
        }
    }

    private Object writeReplace() throws ObjectStreamException {
        return new Proxy(spec);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("SpecPde travels as its PdeSpec");
    }

    /** Serialized form: the spec; deserialization compiles it through the per-JVM cache. */
    private static final class Proxy implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PdeSpec spec;

        Proxy(PdeSpec spec) {
            this.spec = spec;
        }

        private Object readResolve() throws ObjectStreamException {
            return spec.compile();
        }
    }
}
