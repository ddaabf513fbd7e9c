package io.scasml.trainer;

import io.scasml.kernels.random.StreamKeys;
import io.scasml.surrogate.Activation;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected network {@code [d+1] → widths → 1} with input order {@code x,t}, fixed affine input and output
 * maps (format v1's {@code input} and {@code output}) and its trainable parameters in one flat off-heap vector.
 *
 * <p>Layer l has weight W_l of shape (out, in) ("out_in", PyTorch layout, row-major) followed by bias b_l in the flat
 * vector; the network computes {@code a_0 = inShift + inScale ⊙ (x, t)}, {@code z_l = W_l a_{l−1} + b_l},
 * {@code a_l = σ(z_l)} for hidden layers and {@code û = outShift + outScale · (W_L a_{L−1} + b_L)}.
 *
 * <p>Not thread-safe (mutable parameters).
 */
public final class Mlp {
    final int d;
    final int[] sizes; // sizes[0] = d+1, sizes[1..L] hidden widths, sizes[L+1] = 1
    final Activation act;
    final int nLayers; // number of linear layers (hidden + output)
    final int[] wOff;
    final int[] bOff;
    final int nParams;
    final INDArray flat;
    final DoubleBuffer buf;
    final INDArray[] w;
    final double[] inShift;
    final double[] inScale;
    double outShift;
    double outScale = 1.0;

    /**
     * Creates a network with zero parameters and identity maps.
     *
     * @throws IllegalArgumentException if d &lt; 1 or a width is &lt; 1
     */
    public Mlp(int d, int[] hidden, Activation act) {
        if (d < 1) {
            throw new IllegalArgumentException("dim: " + d + " must be >= 1");
        }
        if (hidden.length < 1) {
            throw new IllegalArgumentException("widths: need at least one hidden layer");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("widths: " + Arrays.toString(hidden) + " must all be >= 1");
            }
        }
        this.d = d;
        this.act = act;
        this.nLayers = hidden.length + 1;
        this.sizes = new int[nLayers + 1];
        sizes[0] = d + 1;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[nLayers] = 1;
        wOff = new int[nLayers];
        bOff = new int[nLayers];
        int off = 0;
        for (int l = 0; l < nLayers; l++) {
            wOff[l] = off;
            off += sizes[l + 1] * sizes[l];
            bOff[l] = off;
            off += sizes[l + 1];
        }
        nParams = off;
        flat = Nd4j.zeros(DataType.DOUBLE, nParams);
        buf = flat.data().asNioDouble();
        w = views(flat);
        inShift = new double[d + 1];
        inScale = new double[d + 1];
        Arrays.fill(inScale, 1.0);
    }

    /** Weight views (out, in) of a flat vector laid out like the parameters. */
    INDArray[] views(INDArray v) {
        INDArray[] out = new INDArray[nLayers];
        for (int l = 0; l < nLayers; l++) {
            out[l] = v.get(NDArrayIndex.interval(wOff[l], wOff[l] + sizes[l + 1] * sizes[l]))
                    .reshape('c', sizes[l + 1], sizes[l]);
        }
        return out;
    }

    /** Spatial dimension d. */
    public int dim() {
        return d;
    }

    /** Number of trainable parameters. */
    public int parameterCount() {
        return nParams;
    }

    /** Hidden widths. */
    public int[] hiddenWidths() {
        return Arrays.copyOfRange(sizes, 1, nLayers);
    }

    /** The activation. */
    public Activation activation() {
        return act;
    }

    /**
     * Glorot-normal weights (std √(2/(fan_in + fan_out)), as DeepXDE's "Glorot normal") and zero biases, drawn from the
     * keyed stream {@code child(mix64(seed), 0x6C0B)} in parameter order: the same seed gives the same weights.
     */
    public void initGlorot(long seed) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(
                StreamKeys.stream(StreamKeys.child(StreamKeys.mix64(seed), 0x6C0BL)));
        for (int l = 0; l < nLayers; l++) {
            double std = Math.sqrt(2.0 / (sizes[l] + sizes[l + 1]));
            int n = sizes[l + 1] * sizes[l];
            for (int i = 0; i < n; i++) {
                buf.put(wOff[l] + i, std * g.sample());
            }
            for (int i = 0; i < sizes[l + 1]; i++) {
                buf.put(bOff[l] + i, 0.0);
            }
        }
    }

    /** A copy of the parameters. */
    public double[] getParams() {
        double[] p = new double[nParams];
        buf.get(0, p);
        return p;
    }

    /** Sets the parameters. */
    public void setParams(double[] p) {
        if (p.length != nParams) {
            throw new IllegalArgumentException("params: length " + p.length + " != " + nParams);
        }
        buf.put(0, p);
    }

    /** Sets the input map a_0 = shift + scale ⊙ (x, t). */
    public void setInputMap(double[] shift, double[] scale) {
        System.arraycopy(shift, 0, inShift, 0, d + 1);
        System.arraycopy(scale, 0, inScale, 0, d + 1);
    }

    /** Sets the output map û = shift + scale · net. */
    public void setOutputMap(double shift, double scale) {
        outShift = shift;
        outScale = scale;
    }

    /** Weight of layer l, row-major (out, in) copy. */
    public double[] weight(int l) {
        double[] a = new double[sizes[l + 1] * sizes[l]];
        buf.get(wOff[l], a);
        return a;
    }

    /** Bias of layer l (copy). */
    public double[] bias(int l) {
        double[] a = new double[sizes[l + 1]];
        buf.get(bOff[l], a);
        return a;
    }

    /** Number of linear layers (hidden + output). */
    public int layerCount() {
        return nLayers;
    }

    /** Input width of linear layer l. */
    public int inWidth(int l) {
        return sizes[l];
    }

    /** Output width of linear layer l. */
    public int outWidth(int l) {
        return sizes[l + 1];
    }

    /** Input map shift (copy). */
    public double[] inputShift() {
        return inShift.clone();
    }

    /** Input map scale (copy). */
    public double[] inputScale() {
        return inScale.clone();
    }

    /** Output map shift. */
    public double outputShift() {
        return outShift;
    }

    /** Output map scale. */
    public double outputScale() {
        return outScale;
    }
}
