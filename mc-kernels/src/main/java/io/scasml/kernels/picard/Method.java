package io.scasml.kernels.picard;

/** What is estimated at each query point. */
public enum Method {
    /** The surrogate alone: u = û(t, x), no simulation. */
    SURROGATE,
    /** Plain multilevel Picard on the PDE itself (no surrogate). */
    MLP,
    /** SCaSML: multilevel Picard on the defect PDE of the surrogate; u = û + ê. */
    SCASML;

    /** Parses {@code surrogate|mlp|scasml} (case-insensitive). */
    public static Method parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "surrogate": return SURROGATE;
            case "mlp": return MLP;
            case "scasml": return SCASML;
            default: throw new IllegalArgumentException("method: '" + s + "' is not one of mlp, scasml, surrogate");
        }
    }

    /** The command-line spelling. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
