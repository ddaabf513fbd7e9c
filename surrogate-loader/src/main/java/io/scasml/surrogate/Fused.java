package io.scasml.surrogate;

/**
 * The element-wise steps of the MLP kernels, fused into single passes over the ND4J buffers (ND4J's own element-wise
 * ops cost ~15 µs each plus a full memory pass; see docs/platform.md §2). One implementation per precision.
 *
 * <p>Residual-pass block layout (per sample b, (d+3) rows of the layer width w, row-major):
 * rows 0..d−1 the spatial tangents ż_k, row d the time tangent, row d+1 the summed second-order term
 * Σ_{k&lt;d} ä_k, row d+2 the value. One GEMM of the whole ((rows·(d+3)) × w) block by W propagates all of them.
 */
interface Fused {

    /** inp[b, :] = [x_{n0+b}, t_{n0+b}] for b &lt; rows. */
    void fillInput(NdBuf inp, int rows, int n0, double[] t, double[] x, int d);

    /** In place h = σ(h + bias) over rows × w; when sp is non-null, also sp = σ'(h + bias). */
    void biasAct(NdBuf h, int rows, int w, double[] bias, Activation act, NdBuf sp, RowScratch rs);

    /** u[n0+b] = h[b] + bias. */
    void outValue(NdBuf h, int rows, double bias, double[] u, int n0);

    /** dst[b, j] = sp[b, j] · wLast[j]. */
    void seedDelta(NdBuf sp, NdBuf dst, int rows, int w, double[] wLast);

    /** dst[i] *= sp[i] for i &lt; count. */
    void mulInPlace(NdBuf dst, NdBuf sp, long count);

    /** grad[(n0+b)·d + k] = gin[b, k] for k &lt; d. */
    void outGrad(NdBuf gin, int rows, int d, double[] grad, int n0);

    /** First hidden layer of the residual pass: from z1 − b (rows × w) build the (d+3)-row blocks in T. */
    void resFirst(NdBuf z1, NdBuf tOut, int rows, int d, int w, double[] bias, Activation act, double[] w1,
                  double[] c1, RowScratch rs);

    /** A later hidden layer, in place on the GEMM output g (rows·(d+3) × w). */
    void resHidden(NdBuf g, int rows, int d, int w, double[] bias, Activation act, RowScratch rs);

    /** Output layer: out is rows·(d+3) × 1. */
    void resOut(NdBuf out, int rows, int d, double bias, double[] u, double[] dt, double[] grad, double[] lap, int n0);

    /**
     * The scalar output layer of the residual pass fused with {@link #resOut}: each of the rows·(d+3) tangent rows
     * of width w of {@code cur} is dotted with the last layer's weights {@code wl} (FP64 accumulation) — a GEMM with
     * one output column runs at ~1 GFLOP/s in ND4J, this loop at memory speed.
     */
    void resOutDot(NdBuf cur, int rows, int d, int w, double[] wl, double bias, double[] u, double[] dt, double[] grad,
                   double[] lap, int n0);

    /** Heap rows of the widest layer, per scratch set. */
    final class RowScratch {
        final double[] z;
        final double[] a;
        final double[] s1;
        final double[] s2;
        final double[] acc;

        RowScratch(int w) {
            z = new double[w];
            a = new double[w];
            s1 = new double[w];
            s2 = new double[w];
            acc = new double[w];
        }
    }
}
