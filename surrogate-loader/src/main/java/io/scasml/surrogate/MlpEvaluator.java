package io.scasml.surrogate;

import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.DeflatedResidual;
import io.scasml.kernels.surrogate.Surrogate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * ND4J batch kernels of an {@link MlpModel}.
 *
 * <ul>
 *   <li>{@link #value}: forward pass, one GEMM per layer into preallocated buffers.</li>
 *   <li>{@link #valueAndGradient}: forward pass keeping σ'(z_l), then one reverse sweep
 *       (δ_{l−1} = σ'_{l−1} ⊙ (δ_l W_lᵀ)); cost ≈ 2–3 forward passes whatever d is.</li>
 *   <li>{@link #residualTerms}: forward propagation of the value, the d+1 input tangents and the summed second-order
 *       term S_l = Σ_{k&lt;d} ä_l^k (docs/algorithm.md §19). Layers are linear, so S propagates as one extra row:
 *       z̈_l = S_{l−1} W_l, S_l = σ'(z_l) ⊙ z̈_l + σ''(z_l) ⊙ Σ_k (ż_l^k)². The first layer's tangents are rows of W_1
 *       scaled by σ'(z_1) (no GEMM). Value, tangents and S share one ((d+3)·rows × w) block, so each later layer is a
 *       single GEMM followed by one fused element-wise pass (see {@link Fused}).</li>
 * </ul>
 *
 * <p>Precision: FP64, or FP32 GEMMs and hidden buffers with activations, their derivatives and outputs computed
 * in FP64. Batches larger than the chunk size are processed in chunks (see {@link EvalOptions}).
 *
 * <p>Thread-safe: the weights are read-only and every call borrows a private scratch set from a pool (created on
 * demand, one per concurrent caller, reused afterwards).
 */
final class MlpEvaluator implements Surrogate, DeflatedResidual {

    private final int d;
    private final int layers;
    private final int[] w;
    private final int wmax;
    private final DataType type;
    private final Fused ops;
    private final Activation act;
    private final INDArray[] weights;
    private final double[][] bias;
    private final double[] w1;
    private final double[] c1;
    private final double[] wLast;
    private final int rowsValue;
    private final int rowsResidual;
    private final ConcurrentLinkedQueue<Scratch> pool = new ConcurrentLinkedQueue<>();
    private final MlpModel model;
    private final EvalOptions options;
    private volatile HutchinsonResidual hutchinson;

    MlpEvaluator(MlpModel m, EvalOptions opt) {
        this.model = m;
        this.options = opt;
        this.d = m.dim();
        this.layers = m.layerCount();
        this.w = m.widths();
        // the widest hidden (or output) layer: no buffer is as wide as the input layer (d + 1), whose tangents are
        // rows of W_1 (a block (d+3)·rows × (d+1) would be O(d²) per row)
        int mx = 1;
        for (int i = 1; i < w.length; i++) {
            mx = Math.max(mx, w[i]);
        }
        this.wmax = mx;
        this.type = opt.precision() == Precision.FP32 ? DataType.FLOAT : DataType.DOUBLE;
        this.ops = opt.precision() == Precision.FP32 ? Fused32.INSTANCE : Fused64.INSTANCE;
        this.act = m.activation();
        this.weights = new INDArray[layers];
        this.bias = new double[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = NdBuf.matrix(type, m.weightsRef(l), w[l], w[l + 1]);
            bias[l] = m.biasRef(l).clone();
        }
        this.w1 = m.weightsRef(0).clone();
        this.c1 = new double[w[1]];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < w[1]; j++) {
                double v = w1[k * w[1] + j];
                c1[j] += v * v;
            }
        }
        this.wLast = m.weightsRef(layers - 1).clone();
        int bytes = type == DataType.DOUBLE ? 8 : 4;
        long perRow = (long) (d + 3) * wmax * bytes;
        // value / gradient chunks: at most maxBatchRows, and the input and input-gradient buffers (rows × (d+1)
        // each) within the scratch budget — at d = 10⁴, 4096 rows would be 330 MB per buffer
        this.rowsValue = (int) Math.max(1, Math.min(opt.maxBatchRows(), opt.scratchBytes() / ((long) (d + 1) * bytes)));
        this.rowsResidual = (int) Math.max(1, Math.min(opt.maxBatchRows(), opt.scratchBytes() / perRow));
    }

    @Override
    public int dim() {
        return d;
    }

    /** Rows per internal chunk of the residual pass. */
    int residualChunkRows() {
        return rowsResidual;
    }

    private final class Scratch {
        final Fused.RowScratch rs = new Fused.RowScratch(wmax);
        NdBuf inp;
        NdBuf[] h;
        NdBuf[] sp;
        NdBuf gin;
        NdBuf inpR;
        NdBuf z1;
        NdBuf ta;
        NdBuf tb;
        NdBuf outR;

        void ensureForward(boolean grad) {
            if (inp == null) {
                inp = new NdBuf(type, (long) rowsValue * (d + 1));
                h = new NdBuf[layers + 1];
                for (int l = 1; l <= layers; l++) {
                    h[l] = new NdBuf(type, (long) rowsValue * w[l]);
                }
            }
            if (grad && gin == null) {
                sp = new NdBuf[layers];
                for (int l = 1; l < layers; l++) {
                    sp[l] = new NdBuf(type, (long) rowsValue * w[l]);
                }
                gin = new NdBuf(type, (long) rowsValue * (d + 1));
            }
        }

        void ensureResidual() {
            if (inpR == null) {
                long blk = (long) rowsResidual * (d + 3) * wmax;
                inpR = new NdBuf(type, (long) rowsResidual * (d + 1));
                z1 = new NdBuf(type, (long) rowsResidual * w[1]);
                ta = new NdBuf(type, blk);
                tb = new NdBuf(type, blk);
                outR = new NdBuf(type, (long) rowsResidual * (d + 3));
            }
        }
    }

    private Scratch borrow() {
        Scratch s = pool.poll();
        return s != null ? s : new Scratch();
    }

    private static void gemm(INDArray a, INDArray b, INDArray c, boolean transB) {
        Nd4j.gemm(a, b, c, false, transB, 1.0, 0.0);
    }

    @Override
    public void value(int n, double[] t, double[] x, double[] u) {
        check(n, t, x);
        Scratch s = borrow();
        try {
            s.ensureForward(false);
            for (int n0 = 0; n0 < n; n0 += rowsValue) {
                int rows = Math.min(rowsValue, n - n0);
                forward(s, rows, n0, t, x, false);
                ops.outValue(s.h[layers], rows, bias[layers - 1][0], u, n0);
            }
        } finally {
            pool.offer(s);
        }
    }

    private void forward(Scratch s, int rows, int n0, double[] t, double[] x, boolean keepSlopes) {
        ops.fillInput(s.inp, rows, n0, t, x, d);
        INDArray prev = s.inp.view(rows, d + 1);
        for (int l = 1; l <= layers; l++) {
            INDArray out = s.h[l].view(rows, w[l]);
            gemm(prev, weights[l - 1], out, false);
            if (l < layers) {
                ops.biasAct(s.h[l], rows, w[l], bias[l - 1], act, keepSlopes ? s.sp[l] : null, s.rs);
            }
            prev = out;
        }
    }

    @Override
    public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
        check(n, t, x);
        Scratch s = borrow();
        try {
            s.ensureForward(true);
            for (int n0 = 0; n0 < n; n0 += rowsValue) {
                int rows = Math.min(rowsValue, n - n0);
                forward(s, rows, n0, t, x, true);
                ops.outValue(s.h[layers], rows, bias[layers - 1][0], u, n0);
                if (layers == 1) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(wLast, 0, grad, (n0 + r) * d, d);
                    }
                    continue;
                }
                // δ_{L−1} = σ'_{L−1} ⊙ w_L, stored over h[L−1] (activations are no longer needed).
                ops.seedDelta(s.sp[layers - 1], s.h[layers - 1], rows, w[layers - 1], wLast);
                for (int l = layers - 1; l >= 2; l--) {
                    gemm(s.h[l].view(rows, w[l]), weights[l - 1], s.h[l - 1].view(rows, w[l - 1]), true);
                    ops.mulInPlace(s.h[l - 1], s.sp[l - 1], (long) rows * w[l - 1]);
                }
                gemm(s.h[1].view(rows, w[1]), weights[0], s.gin.view(rows, d + 1), true);
                ops.outGrad(s.gin, rows, d, grad, n0);
            }
        } finally {
            pool.offer(s);
        }
    }

    @Override
    public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        check(n, t, x);
        if (layers == 1) {
            linearResidual(n, t, x, u, dt, grad, lap);
            return;
        }
        Scratch s = borrow();
        try {
            s.ensureResidual();
            final int blk = d + 3;
            for (int n0 = 0; n0 < n; n0 += rowsResidual) {
                int rows = Math.min(rowsResidual, n - n0);
                ops.fillInput(s.inpR, rows, n0, t, x, d);
                gemm(s.inpR.view(rows, d + 1), weights[0], s.z1.view(rows, w[1]), false);
                ops.resFirst(s.z1, s.ta, rows, d, w[1], bias[0], act, w1, c1, s.rs);
                NdBuf cur = s.ta;
                NdBuf next = s.tb;
                for (int l = 2; l < layers; l++) {
                    gemm(cur.view((long) rows * blk, w[l - 1]), weights[l - 1], next.view((long) rows * blk, w[l]), false);
                    ops.resHidden(next, rows, d, w[l], bias[l - 1], act, s.rs);
                    NdBuf tmp = cur;
                    cur = next;
                    next = tmp;
                }
                ops.resOutDot(cur, rows, d, w[layers - 1], wLast, bias[layers - 1][0], u, dt, grad, lap, n0);
            }
        } finally {
            pool.offer(s);
        }
    }

    /** The randomized pass, built on first use (see {@link HutchinsonResidual}). */
    HutchinsonResidual hutchinson() {
        HutchinsonResidual h = hutchinson;
        if (h == null) {
            synchronized (this) {
                h = hutchinson;
                if (h == null) {
                    h = new HutchinsonResidual(model, options);
                    hutchinson = h;
                }
            }
        }
        return h;
    }

    @Override
    public void residualTermsRandomized(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind,
                                        double[] u, double[] dt, double[] grad, double[] lapEstimate,
                                        double[] lapProbeVar) {
        hutchinson().run(n, t, x, rowKeys, k, kind, u, dt, grad, lapEstimate, lapProbeVar);
    }

    @Override
    public void residualTermsDeflated(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind,
                                      double[] u, double[] dt, double[] grad, double[] lapEstimate,
                                      double[] lapProbeVar) {
        hutchinson().runDeflated(n, t, x, rowKeys, k, kind, u, dt, grad, lapEstimate, lapProbeVar);
    }

    /** {@link HutchinsonResidual#deflatedCostPerRow} / {@link HutchinsonResidual#exactCostPerRow}. */
    @Override
    public double deflatedCostRatio(int k, ProbeKind kind) {
        return HutchinsonResidual.deflatedCostPerRow(w, k, kind) / HutchinsonResidual.exactCostPerRow(w);
    }

    /** {@link HutchinsonResidual#hutchinsonCostPerRow} / {@link HutchinsonResidual#exactCostPerRow}. */
    @Override
    public double randomizedCostRatio(int k, ProbeKind kind) {
        return HutchinsonResidual.hutchinsonCostPerRow(w, k, kind) / HutchinsonResidual.exactCostPerRow(w);
    }

    private void linearResidual(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        for (int i = 0; i < n; i++) {
            double v = bias[0][0] + wLast[d] * t[i];
            for (int k = 0; k < d; k++) {
                v += wLast[k] * x[i * d + k];
                grad[i * d + k] = wLast[k];
            }
            u[i] = v;
            dt[i] = wLast[d];
            lap[i] = 0.0;
        }
    }

    private void check(int n, double[] t, double[] x) {
        if (n < 0 || t.length < n || x.length < (long) n * d) {
            throw new IllegalArgumentException("batch of " + n + " points needs t.length >= " + n + " and x.length >= "
                    + (long) n * d + " (d = " + d + "), got " + t.length + " and " + x.length);
        }
    }
}
