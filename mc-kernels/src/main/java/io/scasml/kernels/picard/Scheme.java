package io.scasml.kernels.picard;

/** Time discretisation of the multilevel Picard time integrals. */
public enum Scheme {
    /** Full-history MLP with importance-sampled times τ = V² (docs/algorithm.md §4). */
    FULL_HISTORY,
    /** Gauss–Legendre quadrature in time with the inverse-gamma parameter tables (docs/algorithm.md §5). */
    QUADRATURE;

    /** Parses {@code full-history} / {@code quadrature} (case-insensitive, '_' or '-'). */
    public static Scheme parse(String s) {
        String k = s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (k) {
            case "full-history": return FULL_HISTORY;
            case "quadrature": return QUADRATURE;
            default: throw new IllegalArgumentException("scheme: '" + s + "' is not one of full-history, quadrature");
        }
    }

    /** The command-line spelling. */
    public String label() {
        return this == FULL_HISTORY ? "full-history" : "quadrature";
    }
}
