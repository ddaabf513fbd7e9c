package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * A fully connected network û(t, x) = W_L σ(… σ(W_1 [x, t] + b_1) …) + b_L in canonical form: input order
 * {@code x,t}, weights in {@code in_out} layout (layer l maps width {@code widths[l]} to {@code widths[l+1]}, stored
 * row-major {@code widths[l] × widths[l+1]}), input/output affine maps folded in. Immutable; arrays are read-only.
 */
public final class MlpModel extends SurrogateModel {

    private static final long serialVersionUID = 1L;

    private final Activation activation;
    private final int[] widths;
    private final double[][] weights;
    private final double[][] biases;
    private final String[] layerNames;
    private final String inputOrder;
    private final String weightLayout;
    private final boolean inputMap;
    private final boolean outputMap;

    /**
     * Builds and validates a canonical network.
     *
     * @param dim          spatial dimension d (widths[0] must be d + 1)
     * @param activation   hidden activation
     * @param widths       layer widths, {@code [d+1, w_1, …, 1]}
     * @param weights      per layer, row-major {@code widths[l] × widths[l+1]}, canonical input order
     * @param biases       per layer, length {@code widths[l+1]}
     * @param layerNames   names of the layers in the file (for messages and inspection)
     * @param inputOrder   the file's input order (informational)
     * @param weightLayout the file's weight layout (informational)
     * @param inputMap     whether an input affine map was folded in
     * @param outputMap    whether an output affine map was folded in
     * @param source       where it came from
     * @return the model
     * @throws IllegalArgumentException if shapes are inconsistent or a value is not finite
     */
    public static MlpModel of(int dim, Activation activation, int[] widths, double[][] weights, double[][] biases,
                              String[] layerNames, String inputOrder, String weightLayout, boolean inputMap,
                              boolean outputMap, String source) {
        if (dim < 1 || widths.length < 2 || widths[0] != dim + 1 || widths[widths.length - 1] != 1) {
            throw new IllegalArgumentException("widths " + Arrays.toString(widths) + " must run from d+1 = " + (dim + 1)
                    + " to 1");
        }
        int layers = widths.length - 1;
        if (weights.length != layers || biases.length != layers || layerNames.length != layers) {
            throw new IllegalArgumentException("expected " + layers + " weight/bias/name entries");
        }
        for (int l = 0; l < layers; l++) {
            if (weights[l].length != widths[l] * widths[l + 1] || biases[l].length != widths[l + 1]) {
                throw new IllegalArgumentException("layer " + layerNames[l] + " has inconsistent array lengths");
            }
            for (double v : weights[l]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("layer " + layerNames[l] + " has a non-finite weight");
                }
            }
            for (double v : biases[l]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("layer " + layerNames[l] + " has a non-finite bias");
                }
            }
        }
        return new MlpModel(dim, activation, widths.clone(), deepCopy(weights), deepCopy(biases), layerNames.clone(),
                inputOrder, weightLayout, inputMap, outputMap, source);
    }

    private MlpModel(int dim, Activation activation, int[] widths, double[][] weights, double[][] biases,
                     String[] layerNames, String inputOrder, String weightLayout, boolean inputMap, boolean outputMap,
                     String source) {
        super(dim, source);
        this.activation = activation;
        this.widths = widths;
        this.weights = weights;
        this.biases = biases;
        this.layerNames = layerNames;
        this.inputOrder = inputOrder;
        this.weightLayout = weightLayout;
        this.inputMap = inputMap;
        this.outputMap = outputMap;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public String type() {
        return "mlp";
    }

    /** The hidden activation. */
    public Activation activation() {
        return activation;
    }

    /** Number of linear layers (hidden layers + 1). */
    public int layerCount() {
        return widths.length - 1;
    }

    /** Width of layer boundary {@code i}: {@code width(0) = d+1}, {@code width(layerCount()) = 1}. */
    public int width(int i) {
        return widths[i];
    }

    /** Copy of the widths {@code [d+1, w_1, …, 1]}. */
    public int[] widths() {
        return widths.clone();
    }

    /** Canonical weights of layer l (row-major in × out). Read-only: do not modify. */
    public double[] weightsRef(int l) {
        return weights[l];
    }

    /** Biases of layer l. Read-only: do not modify. */
    public double[] biasRef(int l) {
        return biases[l];
    }

    /** Layer names as in the file. */
    public List<String> layerNames() {
        return List.of(layerNames);
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l < layerCount(); l++) {
            n += weights[l].length + biases[l].length;
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("type: mlp\n");
        sb.append("dim: ").append(dim).append('\n');
        sb.append("activation: ").append(activation.id()).append('\n');
        sb.append("widths: ").append(Arrays.toString(widths)).append('\n');
        sb.append("layers:");
        for (int l = 0; l < layerCount(); l++) {
            sb.append(' ').append(layerNames[l]).append('(').append(widths[l]).append("->").append(widths[l + 1])
                    .append(')');
        }
        sb.append('\n');
        sb.append("input_order: ").append(inputOrder).append(", weight_layout: ").append(weightLayout)
                .append(", input map: ").append(inputMap ? "yes" : "no").append(", output map: ")
                .append(outputMap ? "yes" : "no").append('\n');
        sb.append("parameters: ").append(parameterCount()).append('\n');
        return sb.toString();
    }

    @Override
    void digest(MessageDigest md) {
        md.update(activation.id().getBytes(StandardCharsets.UTF_8));
        digestInts(md, dim);
        digestInts(md, widths);
        for (int l = 0; l < layerCount(); l++) {
            digestDoubles(md, weights[l]);
            digestDoubles(md, biases[l]);
        }
    }

    @Override
    public Surrogate materialize(EvalOptions options) {
        return new MlpEvaluator(this, options);
    }
}
