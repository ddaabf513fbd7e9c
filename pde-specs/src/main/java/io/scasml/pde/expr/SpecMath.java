package io.scasml.pde.expr;

/**
 * Helpers called by compiled spec code and by the interpreter, so both compute bit-identical results.
 * Vector helpers read {@code len} entries of {@code a} from {@code off}; they accumulate left to right from 0.
 * All methods are static, allocation-free and thread-safe.
 */
public final class SpecMath {
    private SpecMath() {
    }

    /** {@code 1 / (1 + exp(-s))}. */
    public static double logistic(double s) {
        return 1.0 / (1.0 + Math.exp(-s));
    }

    /** {@code a * a} (what {@code a^2} compiles to). */
    public static double sq(double a) {
        return a * a;
    }

    /** {@code a ^ b}: {@code a*a} for b = 2, else {@link Math#pow}. */
    public static double pow(double a, double b) {
        return b == 2.0 ? a * a : Math.pow(a, b);
    }

    /** Σ a_k. */
    public static double sum(double[] a, int off, int len) {
        double s = 0;
        for (int k = 0; k < len; k++) {
            s += a[off + k];
        }
        return s;
    }

    /** Σ a_k² (the squared Euclidean norm). */
    public static double norm2(double[] a, int off, int len) {
        double s = 0;
        for (int k = 0; k < len; k++) {
            double v = a[off + k];
            s += v * v;
        }
        return s;
    }

    /** √(Σ a_k²). */
    public static double norm(double[] a, int off, int len) {
        return Math.sqrt(norm2(a, off, len));
    }

    /** Σ a_k b_k. */
    public static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s = 0;
        for (int k = 0; k < len; k++) {
            s += a[ao + k] * b[bo + k];
        }
        return s;
    }

    /** Smallest entry ({@code +∞} for an empty vector; NaN if any entry is NaN). */
    public static double vmin(double[] a, int off, int len) {
        double s = Double.POSITIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            s = Math.min(s, a[off + k]);
        }
        return s;
    }

    /** Largest entry ({@code −∞} for an empty vector; NaN if any entry is NaN). */
    public static double vmax(double[] a, int off, int len) {
        double s = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            s = Math.max(s, a[off + k]);
        }
        return s;
    }

    /**
     * Checks an index computed at run time.
     *
     * @throws IndexOutOfBoundsException if {@code v} is not an integer in {@code [0, len)}
     */
    public static int ix(double v, int len) {
        int k = (int) v;
        if (k != v || k < 0 || k >= len) {
            throw new IndexOutOfBoundsException("index " + v + " is not an integer in [0, " + len + ")");
        }
        return k;
    }

    /**
     * Converts a loop bound.
     *
     * @throws IllegalArgumentException if {@code v} is not an integer of magnitude below 2^30
     */
    public static int bound(double v) {
        if (!(Math.abs(v) < (1 << 30)) || v != Math.rint(v)) {
            throw new IllegalArgumentException("loop bound " + v + " is not an integer of magnitude below 2^30");
        }
        return (int) v;
    }

    /**
     * Checks once that a loop from {@code lo} to {@code hi} (inclusive, {@code lo <= hi}) indexes a vector of length
     * {@code len} in range.
     *
     * @throws IndexOutOfBoundsException if {@code lo < 0} or {@code hi >= len}
     */
    public static void range(int lo, int hi, int len) {
        if (lo < 0 || hi >= len) {
            throw new IndexOutOfBoundsException("indices " + lo + ".." + hi + " leave [0, " + len + ")");
        }
    }
}
