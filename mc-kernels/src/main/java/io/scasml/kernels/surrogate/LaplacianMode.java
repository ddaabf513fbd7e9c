package io.scasml.kernels.surrogate;

import java.util.Locale;

/**
 * How the residual passes compute Δû: the value of an option
 * {@code --laplacian exact|hutchinson:K[:gaussian]|deflated:K[:gaussian]|auto[:K]} and its resolution against a
 * surrogate.
 *
 * <ul>
 *   <li>{@code exact}: {@link Surrogate#residualTerms};</li>
 *   <li>{@code hutchinson:K}: {@link RandomizedResidual#residualTermsRandomized} with K probes per evaluation
 *       (Rademacher; {@code hutchinson:K:gaussian} for Gaussian probes);</li>
 *   <li>{@code deflated:K}: {@link DeflatedResidual#residualTermsDeflated}: the exact second derivative along
 *       ∇û/‖∇û‖ plus K Hutchinson probes projected off it (unbiased; exact for surrogates of the form φ(t, a·x));
 *       {@code deflated:K:gaussian} for Gaussian probes;</li>
 *   <li>{@code auto} / {@code auto:K}: a randomized pass with K probes (default {@value #DEFAULT_AUTO_PROBES},
 *       Rademacher) where the surrogate supports it and its cost model says it is cheaper than exact: the deflated
 *       pass ({@link DeflatedResidual#deflatedCostRatio} &lt; 1) in preference, else the plain one
 *       ({@link RandomizedResidual#randomizedCostRatio} &lt; 1), else exact.</li>
 * </ul>
 * {@link #id()} is the canonical spelling, for the provenance record; {@link #resolve} never returns {@code auto}.
 *
 * @param kind      exact, hutchinson or auto
 * @param probes    probes per evaluation (≥ 1; 0 for exact)
 * @param probeKind the probe distribution (null for exact)
 */
public record LaplacianMode(Kind kind, int probes, ProbeKind probeKind) {

    /** The three choices. */
    public enum Kind {
        /** The exact forward Laplacian. */
        EXACT,
        /** The Hutchinson estimate. */
        HUTCHINSON,
        /** The Hutchinson estimate deflated along the gradient. */
        DEFLATED,
        /** Hutchinson where the cost model prefers it, else exact. */
        AUTO
    }

    /** Probes per evaluation of a bare {@code auto}. */
    public static final int DEFAULT_AUTO_PROBES = 4;

    /** The exact Laplacian. */
    public static final LaplacianMode EXACT = new LaplacianMode(Kind.EXACT, 0, null);

    /** Validates. */
    public LaplacianMode {
        if (kind == null) {
            throw new IllegalArgumentException("--laplacian: kind must not be null");
        }
        if (kind == Kind.EXACT ? probes != 0 || probeKind != null : probes < 1 || probeKind == null) {
            throw new IllegalArgumentException("--laplacian: " + kind + " needs "
                    + (kind == Kind.EXACT ? "no probes" : "probes >= 1 and a probe kind") + ", got probes = " + probes
                    + ", probe kind = " + probeKind);
        }
    }

    /**
     * Parses an option value (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted forms if it is none of them
     */
    public static LaplacianMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        String[] p = v.split(":", -1);
        try {
            if (p.length == 1 && p[0].equals("exact")) {
                return EXACT;
            }
            if (p[0].equals("auto") && p.length <= 2) {
                int k = p.length == 2 ? Integer.parseInt(p[1]) : DEFAULT_AUTO_PROBES;
                if (k >= 1) {
                    return new LaplacianMode(Kind.AUTO, k, ProbeKind.RADEMACHER);
                }
            }
            if ((p[0].equals("hutchinson") || p[0].equals("deflated")) && (p.length == 2 || p.length == 3)) {
                int k = Integer.parseInt(p[1]);
                ProbeKind pk = p.length == 2 || p[2].equals("rademacher") ? ProbeKind.RADEMACHER
                        : p[2].equals("gaussian") ? ProbeKind.GAUSSIAN : null;
                if (k >= 1 && pk != null) {
                    return new LaplacianMode(p[0].equals("deflated") ? Kind.DEFLATED : Kind.HUTCHINSON, k, pk);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--laplacian: expected exact, hutchinson:K, hutchinson:K:gaussian, deflated:K,"
                + " deflated:K:gaussian, auto or auto:K (K an integer >= 1), got '" + value + "'");
    }

    /**
     * The mode to run with this surrogate: exact or hutchinson, never auto.
     *
     * @throws IllegalArgumentException for {@code hutchinson} when the surrogate has no randomized pass
     */
    public LaplacianMode resolve(Surrogate s) {
        switch (kind) {
            case EXACT -> {
                return this;
            }
            case HUTCHINSON -> {
                if (!(s instanceof RandomizedResidual)) {
                    throw new IllegalArgumentException("--laplacian " + id() + ": this surrogate has no randomized "
                            + "residual pass (only MLP surrogates do); use exact or auto");
                }
                return this;
            }
            case DEFLATED -> {
                if (!(s instanceof DeflatedResidual)) {
                    throw new IllegalArgumentException("--laplacian " + id() + ": this surrogate has no deflated "
                            + "residual pass (only MLP surrogates do); use exact, hutchinson:K or auto");
                }
                return this;
            }
            default -> {
                if (s instanceof DeflatedResidual r && r.deflatedCostRatio(probes, probeKind) < 1) {
                    return new LaplacianMode(Kind.DEFLATED, probes, probeKind);
                }
                if (s instanceof RandomizedResidual r && r.randomizedCostRatio(probes, probeKind) < 1) {
                    return new LaplacianMode(Kind.HUTCHINSON, probes, probeKind);
                }
                return EXACT;
            }
        }
    }

    /** Whether the residual passes use probes (hutchinson or deflated). */
    public boolean randomized() {
        return kind == Kind.HUTCHINSON || kind == Kind.DEFLATED;
    }

    /** Whether the estimate is deflated along the gradient. */
    public boolean deflated() {
        return kind == Kind.DEFLATED;
    }

    /**
     * The canonical spelling: {@code exact}, {@code hutchinson:K}, {@code hutchinson:K:gaussian}, {@code deflated:K},
     * {@code deflated:K:gaussian} or {@code auto:K}.
     */
    public String id() {
        return switch (kind) {
            case EXACT -> "exact";
            case HUTCHINSON -> "hutchinson:" + probes + (probeKind == ProbeKind.GAUSSIAN ? ":gaussian" : "");
            case DEFLATED -> "deflated:" + probes + (probeKind == ProbeKind.GAUSSIAN ? ":gaussian" : "");
            case AUTO -> "auto:" + probes;
        };
    }
}
