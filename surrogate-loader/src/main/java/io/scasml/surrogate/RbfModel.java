package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * A Gaussian-kernel surrogate over y = (x, t) ∈ R^{d+1} with κ(y, c) = exp(−|y − c|²/(2ℓ²)), in the
 * GP-collocation form of docs/algorithm.md §19:
 *
 * <pre>
 *   û(y) = shift + scale · Σ_blocks Σ_j α_j · φ_block(y, c_j)
 *   φ_value = κ,   φ_laplacian = Δ_c κ,   φ_dt = ∂_{c_t} κ,   φ_div = div_c κ   (derivatives in the center's variables)
 * </pre>
 *
 * <p>Every block is optional; a plain RBF interpolant has only the {@code value} block. Centers are canonical
 * ({@code x,t} order, row-major N × (d+1)). Immutable; arrays are read-only.
 */
public final class RbfModel extends SurrogateModel {

    private static final long serialVersionUID = 1L;

    /** The feature blocks, with their array-name prefixes in format v1. */
    public enum Block {
        /** κ(y, c). */
        VALUE("value"),
        /** Δ over the spatial coordinates of c of κ(y, c). */
        LAPLACIAN("laplacian"),
        /** ∂ over the time coordinate of c of κ(y, c). */
        DT("dt"),
        /** Σ_i ∂ over the spatial coordinate i of c of κ(y, c). */
        DIV("div");

        private final String id;

        Block(String id) {
            this.id = id;
        }

        /** Name used in {@code blocks} and as the array-name prefix ({@code <id>.centers}, {@code <id>.alpha}). */
        public String id() {
            return id;
        }

        /** Parses a block name, or returns null. */
        public static Block parse(String s) {
            for (Block b : values()) {
                if (b.id.equals(s.toLowerCase(Locale.ROOT))) {
                    return b;
                }
            }
            return null;
        }
    }

    private final double lengthscale;
    private final double shift;
    private final double scale;
    private final double[][] centers;
    private final double[][] alpha;
    private final String inputOrder;

    /**
     * Builds and validates a kernel surrogate.
     *
     * @param dim         spatial dimension d
     * @param lengthscale ℓ &gt; 0
     * @param centers     per {@link Block} ordinal: row-major N_b × (d+1) in {@code x,t} order, or null if absent
     * @param alpha       per block: the N_b coefficients, or null if absent
     * @param shift       output shift a in û = a + b·(Σ…)
     * @param scale       output scale b
     * @param inputOrder  the file's input order (informational)
     * @param source      where it came from
     * @return the model
     * @throws IllegalArgumentException on inconsistent lengths or non-finite values
     */
    public static RbfModel of(int dim, double lengthscale, double[][] centers, double[][] alpha, double shift,
                              double scale, String inputOrder, String source) {
        if (dim < 1 || !(lengthscale > 0) || !Double.isFinite(lengthscale)) {
            throw new IllegalArgumentException("need d >= 1 and a finite lengthscale > 0");
        }
        if (centers.length != Block.values().length || alpha.length != centers.length) {
            throw new IllegalArgumentException("need one entry per block");
        }
        double[][] c = new double[centers.length][];
        double[][] a = new double[centers.length][];
        boolean any = false;
        for (int b = 0; b < centers.length; b++) {
            if ((centers[b] == null) != (alpha[b] == null)) {
                throw new IllegalArgumentException("block " + Block.values()[b].id() + ": centers and alpha go together");
            }
            if (centers[b] == null) {
                continue;
            }
            any = true;
            if (centers[b].length != alpha[b].length * (dim + 1)) {
                throw new IllegalArgumentException("block " + Block.values()[b].id() + ": " + alpha[b].length
                        + " coefficients need " + alpha[b].length + " × " + (dim + 1) + " centers");
            }
            c[b] = centers[b].clone();
            a[b] = alpha[b].clone();
        }
        if (!any) {
            throw new IllegalArgumentException("a kernel surrogate needs at least one block");
        }
        if (!Double.isFinite(shift) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("output shift/scale must be finite");
        }
        return new RbfModel(dim, lengthscale, c, a, shift, scale, inputOrder, source);
    }

    private RbfModel(int dim, double lengthscale, double[][] centers, double[][] alpha, double shift, double scale,
                     String inputOrder, String source) {
        super(dim, source);
        this.lengthscale = lengthscale;
        this.centers = centers;
        this.alpha = alpha;
        this.shift = shift;
        this.scale = scale;
        this.inputOrder = inputOrder;
    }

    @Override
    public String type() {
        return "rbf-kernel";
    }

    /** ℓ. */
    public double lengthscale() {
        return lengthscale;
    }

    /** Output shift a. */
    public double shift() {
        return shift;
    }

    /** Output scale b. */
    public double scale() {
        return scale;
    }

    /** Whether the block is present. */
    public boolean has(Block b) {
        return centers[b.ordinal()] != null;
    }

    /** Number of centers of a block (0 if absent). */
    public int count(Block b) {
        return has(b) ? alpha[b.ordinal()].length : 0;
    }

    /** Centers of a block, row-major N × (d+1), x,t order. Read-only: do not modify. */
    public double[] centersRef(Block b) {
        return centers[b.ordinal()];
    }

    /** Coefficients of a block. Read-only: do not modify. */
    public double[] alphaRef(Block b) {
        return alpha[b.ordinal()];
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (Block b : Block.values()) {
            n += has(b) ? (long) count(b) * (dim + 2) : 0;
        }
        return n + 1;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("type: rbf-kernel\n");
        sb.append("dim: ").append(dim).append('\n');
        sb.append("kernel: gaussian, lengthscale ").append(lengthscale).append('\n');
        sb.append("blocks:");
        for (Block b : Block.values()) {
            if (has(b)) {
                sb.append(' ').append(b.id()).append('(').append(count(b)).append(')');
            }
        }
        sb.append('\n');
        sb.append("input_order: ").append(inputOrder).append(", output shift ").append(shift).append(" scale ")
                .append(scale).append('\n');
        sb.append("parameters: ").append(parameterCount()).append('\n');
        return sb.toString();
    }

    @Override
    void digest(MessageDigest md) {
        digestInts(md, dim);
        digestDoubles(md, new double[]{lengthscale, shift, scale});
        for (Block b : Block.values()) {
            md.update(b.id().getBytes(StandardCharsets.UTF_8));
            if (has(b)) {
                digestDoubles(md, centers[b.ordinal()]);
                digestDoubles(md, alpha[b.ordinal()]);
            }
        }
    }

    @Override
    public Surrogate materialize(EvalOptions options) {
        return new RbfEvaluator(this, options);
    }
}
