package io.scasml.surrogate;

import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.Probes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The randomized residual pass of an {@link MlpModel}: value, ∂t û and ∇x û exactly (forward pass + one reverse
 * sweep), and the Laplacian as a Hutchinson trace estimate (1/k) Σ_j v_jᵀ ∇²û v_j, each v_jᵀ ∇²û v_j by a
 * second-order Taylor jet along v_j (forward mode).
 *
 * <h2>Jets</h2>
 * Along x(s) = x + s·v (t fixed), every pre-activation a_l(s) of hidden layer l has a first derivative a′ and a second
 * a″ at s = 0. The input has x′ = v, x″ = 0. A linear layer maps them linearly (a′_l = h′_{l−1} W_l, a″_l =
 * h″_{l−1} W_l, no bias), an activation by the chain rule h = ψ(a), h′ = ψ′(a)·a′, h″ = ψ″(a)·a′² + ψ′(a)·a″; the
 * scalar output's second derivative is v ᵀ∇²û v. Only a′_1 = v·W_1[0:d, :] costs O(d·w) per probe; every later
 * layer is O(w²) per probe.
 *
 * <h2>Layout</h2>
 * A chunk of R rows with k probes uses one row-major block of R·(2k + 1) rows of the layer width: rows [0, R) the
 * values (sample r at row r), rows [R, R + Rk) the first derivatives (sample r, probe j at row R + r·k + j), rows
 * [R + Rk, R + 2Rk) the second derivatives in the same order. Each hidden layer is one GEMM of the whole block by
 * W_l (rows × w, as the exact pass's layout: sample rows, width columns, C order) followed by one fused element-wise
 * pass; the last hidden layer's pass dots the value and second-derivative rows with the output weights directly (FP64
 * accumulation). The first layer is two GEMMs: [x, t] · W_1 into the value rows and the probe matrix · W_1[0:d, :]
 * into the first-derivative rows, the probe matrix built in sub-chunks of a fixed number of probe rows, so no buffer
 * grows like rows·d·w (or even rows·k·d). The gradient then comes from a reverse sweep over the kept slopes ψ′(a_l)
 * of the value rows (as {@link MlpEvaluator#valueAndGradient}), whose input-layer GEMM also gives ∂t û.
 *
 * <h2>Cost per row</h2>
 * O(d·w + k·d·w_1 + (2k + 2)·Σ_l w_l·w_{l+1}) flops: see {@link #hutchinsonCostPerRow} and
 * {@link #exactCostPerRow}; memory O(R·((2k + 1 + L)·w + d)) plus a probe sub-chunk of fixed size.
 *
 * <h2>Precision</h2>
 * FP64, or FP32 GEMMs and FP32 storage of the jets with every element-wise step (activations, derivatives, jet
 * products) and the final dot products, means and variances in FP64.
 *
 * <h2>Bits</h2>
 * A row's outputs depend only on its inputs and key: every GEMM is untransposed (the reverse sweep multiplies by
 * stored transposed copies) and a one-row product runs as two rows, because OpenBLAS routes a single row, or a
 * transposed operand, through kernels that sum in another order. With that, each output element's sum is formed the
 * same way whatever the chunk's row count, so the bits do not depend on n, on the chunking or on the row's position
 * (tested with chunks of 1 to 57 rows and sub-batches, FP64 and FP32, on OpenBLAS 0.3.19 and 0.3.31).
 *
 * <p>Thread-safe: weights are read-only; every call borrows a private scratch set from a pool keyed by k.
 */
public final class HutchinsonResidual {

    /**
     * Cost-model weight of one element-wise jet or tangent operation, in GEMM-flop equivalents: a fused Java pass
     * over an element moves it through memory once and does 1–4 flops, against ≈ 30 GFLOP/s for the skinny GEMMs on
     * the reference machine.
     */
    public static final double ELEMENTWISE_WEIGHT = 4.0;
    /** Cost-model weight of drawing one Rademacher probe coordinate (bit extraction and a store). */
    public static final double RADEMACHER_WEIGHT = 4.0;
    /** Cost-model weight of drawing one Gaussian probe coordinate (a ziggurat draw and a store). */
    public static final double GAUSSIAN_WEIGHT = 40.0;
    /** Cost-model weight of one activation evaluation (ψ, ψ′, ψ″ of one unit). */
    public static final double ACTIVATION_WEIGHT = 40.0;

    private final int d;
    private final int layers;
    private final int[] w;
    private final int wmax;
    private final DataType type;
    private final RowIo io;
    private final Activation act;
    private final INDArray[] weights;
    private final INDArray w1x;
    /** Transposed copies W_lᵀ (w_{l+1} × w_l) for the reverse sweep, multiplied untransposed (see {@link #chunk}). */
    private final INDArray[] weightsT;
    private final double[][] bias;
    private final double[] wLast;
    private final double bLast;
    private final int maxRows;
    private final long budget;
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<Scratch>> pools = new ConcurrentHashMap<>();

    HutchinsonResidual(MlpModel m, EvalOptions opt) {
        this.d = m.dim();
        this.layers = m.layerCount();
        this.w = m.widths();
        int mx = 1;
        for (int i = 1; i < w.length; i++) {
            mx = Math.max(mx, w[i]);
        }
        this.wmax = mx;
        this.type = opt.precision() == Precision.FP32 ? DataType.FLOAT : DataType.DOUBLE;
        this.io = opt.precision() == Precision.FP32 ? new RowIo32() : new RowIo64();
        this.act = m.activation();
        this.weights = new INDArray[layers];
        this.bias = new double[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = NdBuf.matrix(type, m.weightsRef(l), w[l], w[l + 1]);
            bias[l] = m.biasRef(l).clone();
        }
        this.weightsT = new INDArray[layers];
        for (int l = 0; l < layers - 1; l++) {
            double[] src = m.weightsRef(l);
            double[] tr = new double[src.length];
            for (int i = 0; i < w[l]; i++) {
                for (int j = 0; j < w[l + 1]; j++) {
                    tr[j * w[l] + i] = src[i * w[l + 1] + j];
                }
            }
            weightsT[l] = NdBuf.matrix(type, tr, w[l + 1], w[l]);
        }
        this.w1x = NdBuf.matrix(type, Arrays.copyOf(m.weightsRef(0), d * w[1]), d, w[1]);
        this.wLast = m.weightsRef(layers - 1).clone();
        this.bLast = m.biasRef(layers - 1)[0];
        this.maxRows = opt.maxBatchRows();
        this.budget = opt.scratchBytes();
    }

    // ------------------------------------------------------------------------------------------------ cost model

    /**
     * Cost of one row of the exact residual pass ({@link MlpEvaluator#residualTerms}) in GEMM-flop equivalents: the
     * GEMM flops of {@link KernelBench#residualFlopsPerPoint} with the element-wise terms weighted by
     * {@link #ELEMENTWISE_WEIGHT} and one activation evaluation per hidden unit ({@link #ACTIVATION_WEIGHT}).
     * Dominant term 2·(d + 3)·Σ_{l=2}^{L−1} w_{l−1}·w_l: O(d·w²·L).
     *
     * @param widths {@code [d+1, w_1, …, 1]}
     */
    public static double exactCostPerRow(int[] widths) {
        int d = widths[0] - 1;
        int layers = widths.length - 1;
        if (layers == 1) {
            return 2.0 * d;
        }
        double c = 2.0 * (d + 1) * widths[1] + ELEMENTWISE_WEIGHT * (d + 3) * widths[1];
        for (int l = 2; l < layers; l++) {
            c += 2.0 * (d + 3) * widths[l - 1] * widths[l];
            c += ELEMENTWISE_WEIGHT * (3.0 * d + 4) * widths[l];
        }
        c += 2.0 * (d + 3) * widths[layers - 1];
        c += ACTIVATION_WEIGHT * hiddenUnits(widths);
        return c;
    }

    /**
     * Cost of one row of the randomized pass with k probes, same units as {@link #exactCostPerRow}:
     * <ul>
     *   <li>first layer: 2·(d+1)·w_1 (values) + 2·k·d·w_1 (probe GEMM — the O(d·w) per probe term) + k·d probe
     *       draws (weighted by the kind);</li>
     *   <li>each later hidden layer: 2·(2k + 1)·w_{l−1}·w_l GEMM flops + ≈ 5k·w_l element-wise;</li>
     *   <li>output: 2·(k + 1)·w_{L−1};</li>
     *   <li>reverse sweep for the gradient: 2·Σ_{l=2}^{L−1} w_{l−1}·w_l + 2·(d + 1)·w_1 + element-wise;</li>
     *   <li>one activation evaluation per hidden unit.</li>
     * </ul>
     * Dominant terms 2·k·d·w_1 + (4k + 4)·Σ w_{l−1}·w_l: O(k·d·w + k·L·w²).
     *
     * @param widths {@code [d+1, w_1, …, 1]}
     * @param k      probes per row
     * @param kind   probe distribution
     */
    public static double hutchinsonCostPerRow(int[] widths, int k, ProbeKind kind) {
        int d = widths[0] - 1;
        int layers = widths.length - 1;
        if (layers == 1) {
            return 2.0 * d;
        }
        double draw = kind == ProbeKind.GAUSSIAN ? GAUSSIAN_WEIGHT : RADEMACHER_WEIGHT;
        double c = 2.0 * (d + 1) * widths[1] + 2.0 * k * d * widths[1] + draw * k * d;
        c += ELEMENTWISE_WEIGHT * (2.0 + 4.0 * k) * widths[1];
        for (int l = 2; l < layers; l++) {
            c += 2.0 * (2 * k + 1) * widths[l - 1] * widths[l];
            c += ELEMENTWISE_WEIGHT * (3.0 + 5.0 * k) * widths[l];
            c += 2.0 * widths[l - 1] * widths[l] + ELEMENTWISE_WEIGHT * widths[l - 1];
        }
        c += 2.0 * (k + 1) * widths[layers - 1] + ELEMENTWISE_WEIGHT * widths[layers - 1];
        c += 2.0 * (d + 1) * widths[1] + ELEMENTWISE_WEIGHT * (d + 1);
        c += ACTIVATION_WEIGHT * hiddenUnits(widths);
        return c;
    }

    /**
     * Cost of one row of the deflated pass with k probes ({@link #runDeflated}), same units as
     * {@link #exactCostPerRow}: the plain pass with k + 1 directions ({@link #hutchinsonCostPerRow}), less its probe
     * draw for the gradient direction, plus the value-and-gradient pass that finds the direction (a forward pass
     * over the value rows: 2·(d+1)·w_1 + 2·Σ_{l≥2} w_{l−1}·w_l + activations, whose reverse sweep replaces the
     * second pass's) and the projections (≈ 4·k·d element-wise).
     */
    public static double deflatedCostPerRow(int[] widths, int k, ProbeKind kind) {
        int d = widths[0] - 1;
        int layers = widths.length - 1;
        if (layers == 1) {
            return 2.0 * d;
        }
        double draw = kind == ProbeKind.GAUSSIAN ? GAUSSIAN_WEIGHT : RADEMACHER_WEIGHT;
        double c = hutchinsonCostPerRow(widths, k + 1, kind) - draw * d;
        c += 2.0 * (d + 1) * widths[1];
        for (int l = 2; l < layers; l++) {
            c += 2.0 * widths[l - 1] * widths[l] + ELEMENTWISE_WEIGHT * widths[l];
        }
        c += ACTIVATION_WEIGHT * hiddenUnits(widths);
        c += ELEMENTWISE_WEIGHT * (4.0 * k + 2) * d;
        return c;
    }

    /**
     * The smallest dimension d ≥ 1 (up to {@code maxDim}) from which the randomized pass is cheaper than the exact
     * one under the cost model, for hidden layers of {@code width} units, {@code depth} of them; {@code -1} if none up
     * to maxDim. With depth 1 the exact Laplacian is O(d·w) and the randomized pass never wins.
     */
    public static int crossoverDim(int width, int depth, int k, ProbeKind kind, int maxDim) {
        for (int dd = 1; dd <= maxDim; dd++) {
            int[] ws = new int[depth + 2];
            ws[0] = dd + 1;
            Arrays.fill(ws, 1, depth + 1, width);
            ws[depth + 1] = 1;
            if (hutchinsonCostPerRow(ws, k, kind) < exactCostPerRow(ws)) {
                return dd;
            }
        }
        return -1;
    }

    private static double hiddenUnits(int[] widths) {
        double s = 0;
        for (int l = 1; l < widths.length - 1; l++) {
            s += widths[l];
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ scratch

    /** Values per row of a chunk's buffers with k probes (inputs, jets, slopes, input gradient). */
    long valuesPerRow(int k) {
        long v = 2L * (d + 1);
        v += 2L * (2L * k + 1) * wmax;
        for (int l = 1; l < layers; l++) {
            v += w[l];
        }
        return v;
    }

    /** Rows per chunk with k probes: three quarters of the scratch budget over {@link #valuesPerRow}. */
    int chunkRows(int k) {
        long bytes = type == DataType.DOUBLE ? 8 : 4;
        long r = (budget - budget / 4) / (valuesPerRow(k) * bytes);
        return (int) Math.max(1, Math.min(maxRows, r));
    }

    /** Probe rows (each d wide) per probe sub-chunk: a quarter of the scratch budget, at most one chunk's worth. */
    int probeRows(int k) {
        long bytes = type == DataType.DOUBLE ? 8 : 4;
        long p = (budget / 4) / ((long) d * bytes);
        return (int) Math.max(1, Math.min((long) chunkRows(k) * k, p));
    }

    /** Bytes of one scratch set for k probes (what a call allocates, once per concurrent caller). */
    long scratchBytes(int k) {
        long bytes = type == DataType.DOUBLE ? 8 : 4;
        return ((long) chunkRows(k) * valuesPerRow(k) + (long) probeRows(k) * d) * bytes;
    }

    private final class Scratch {
        final int rows;
        final int prow;
        final NdBuf inp;
        final NdBuf gin;
        final NdBuf[] jet = new NdBuf[2];
        final NdBuf[] sp;
        final NdBuf probes;
        final double[] z;
        final double[] a;
        final double[] s1;
        final double[] s2;
        final double[] tv;
        final double[] sv;
        final double[] q;
        final double[] probe;
        final double[] inv;

        Scratch(int k) {
            rows = chunkRows(k);
            prow = probeRows(k);
            inp = new NdBuf(type, (long) Math.max(rows, 2) * (d + 1));
            gin = new NdBuf(type, (long) Math.max(rows, 2) * (d + 1));
            long blk = (long) rows * (2L * k + 1) * wmax;
            jet[0] = new NdBuf(type, blk);
            jet[1] = new NdBuf(type, blk);
            sp = new NdBuf[layers];
            for (int l = 1; l < layers; l++) {
                sp[l] = new NdBuf(type, (long) rows * w[l]);
            }
            probes = new NdBuf(type, (long) Math.max(prow, 2) * d);
            z = new double[wmax];
            a = new double[wmax];
            s1 = new double[wmax];
            s2 = new double[wmax];
            tv = new double[wmax];
            sv = new double[wmax];
            q = new double[k];
            probe = new double[Math.max(d, wmax)];
            inv = new double[rows];
        }
    }

    /** A (rows × cols) C-order view starting at element {@code offset} of {@code b}. */
    private INDArray view(NdBuf b, long offset, long rows, long cols) {
        if (offset + rows * cols > b.length) {
            throw new IllegalStateException("view exceeds buffer");
        }
        return Nd4j.create(b.data, new long[]{rows, cols}, new long[]{cols, 1}, offset, 'c', type);
    }

    /**
     * C[cOff…] (rows × n) = A[aOff…] (rows × kk) · B. A one-row product is computed as two rows (the second row of A
     * zeroed; both buffers have room for it): ND4J/OpenBLAS route a single row through another kernel, which would
     * give other bits than the same row inside a larger chunk.
     */
    private void gemm(NdBuf a, long aOff, long rows, int kk, INDArray b, NdBuf c, long cOff, int n) {
        long m = rows;
        if (rows == 1) {
            m = 2;
            io.zero(a, aOff + kk, kk);
        }
        Nd4j.gemm(view(a, aOff, m, kk), b, view(c, cOff, m, n), false, false, 1.0, 0.0);
    }

    // ------------------------------------------------------------------------------------------------ the pass

    /** See {@link io.scasml.kernels.surrogate.RandomizedResidual#residualTermsRandomized}. */
    void run(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind, double[] u, double[] dt,
             double[] grad, double[] lapEst, double[] lapVar) {
        run(n, t, x, rowKeys, k, kind, u, dt, grad, lapEst, lapVar, false);
    }

    /**
     * See {@link io.scasml.kernels.surrogate.DeflatedResidual#residualTermsDeflated}. Per chunk: a value-and-gradient
     * pass (the jet machinery with no probes: forward over the value rows, reverse sweep), then one jet pass with
     * k + 1 directions — direction 0 the unit gradient a, direction j ≥ 1 probe j − 1 of the row's stream with its
     * component along a removed — and no second reverse sweep. Cost: the plain pass with k + 1 probes plus one
     * forward pass and 4·k·d flops of projections.
     */
    void runDeflated(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind, double[] u, double[] dt,
                     double[] grad, double[] lapEst, double[] lapVar) {
        run(n, t, x, rowKeys, k, kind, u, dt, grad, lapEst, lapVar, true);
    }

    private void run(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind, double[] u, double[] dt,
                     double[] grad, double[] lapEst, double[] lapVar, boolean deflate) {
        if (k < 1) {
            throw new IllegalArgumentException("probes per row k must be >= 1, got " + k);
        }
        if (kind == null) {
            throw new IllegalArgumentException("probe kind must not be null");
        }
        if (n < 0) {
            throw new IllegalArgumentException("number of points n must be >= 0, got " + n);
        }
        requireLength("t", t, n);
        requireLength("x", x, (long) n * d);
        requireLength("rowKeys", rowKeys.length, n);
        requireLength("u", u, n);
        requireLength("dt", dt, n);
        requireLength("grad", grad, (long) n * d);
        requireLength("lapEstimate", lapEst, n);
        if (lapVar != null) {
            requireLength("lapProbeVar", lapVar, n);
        }
        if (layers == 1) {
            for (int i = 0; i < n; i++) {
                double v = bLast + wLast[d] * t[i];
                for (int c = 0; c < d; c++) {
                    v += wLast[c] * x[i * d + c];
                    grad[i * d + c] = wLast[c];
                }
                u[i] = v;
                dt[i] = wLast[d];
                lapEst[i] = 0.0;
                if (lapVar != null) {
                    lapVar[i] = k > 1 ? 0.0 : Double.NaN;
                }
            }
            return;
        }
        final int kk = deflate ? k + 1 : k;
        ConcurrentLinkedQueue<Scratch> pool = pools.computeIfAbsent(kk, c -> new ConcurrentLinkedQueue<>());
        Scratch s = pool.poll();
        if (s == null) {
            s = new Scratch(kk);
        }
        try {
            for (int n0 = 0; n0 < n; n0 += s.rows) {
                int rows = Math.min(s.rows, n - n0);
                if (deflate) {
                    // values and the exact gradient first (no probes), then the k + 1 directions along it
                    chunk(s, rows, n0, t, x, rowKeys, 0, kind, u, dt, grad, lapEst, null, null, true);
                    unitGradients(s, rows, n0, grad);
                    chunk(s, rows, n0, t, x, rowKeys, kk, kind, u, dt, grad, lapEst, lapVar, grad, false);
                } else {
                    chunk(s, rows, n0, t, x, rowKeys, k, kind, u, dt, grad, lapEst, lapVar, null, true);
                }
            }
        } finally {
            pool.offer(s);
        }
    }

    private void requireLength(String name, double[] a, long need) {
        requireLength(name, a.length, need);
    }

    private void requireLength(String name, int length, long need) {
        if (length < need) {
            throw new IllegalArgumentException("randomized residual pass (d = " + d + "): " + name + " has length "
                    + length + ", expected >= " + need);
        }
    }

    /**
     * 1 / ‖∇û‖ of each row of the chunk (0 for a zero or non-finite gradient: direction 0 is then e_0, any unit
     * vector keeps the estimate unbiased) into {@code s.inv}.
     */
    private void unitGradients(Scratch s, int rows, int n0, double[] grad) {
        for (int r = 0; r < rows; r++) {
            double n2 = 0;
            int o = (n0 + r) * d;
            for (int c = 0; c < d; c++) {
                n2 = Math.fma(grad[o + c], grad[o + c], n2);
            }
            double nrm = Math.sqrt(n2);
            s.inv[r] = nrm > 0 && Double.isFinite(nrm) ? 1.0 / nrm : 0.0;
        }
    }

    /**
     * Direction j of row r of a deflated chunk into {@code s.probe}: j = 0 the unit gradient a (e_0 when it has
     * none), j ≥ 1 probe j − 1 of the row's stream minus its component along a.
     */
    private void deflatedDirection(Scratch s, int r, int j, long key, ProbeKind kind, double[] grad, int n0) {
        int o = (n0 + r) * d;
        double inv = s.inv[r];
        double[] p = s.probe;
        if (j == 0) {
            if (inv == 0) {
                Arrays.fill(p, 0, d, 0.0);
                p[0] = 1.0;
            } else {
                for (int c = 0; c < d; c++) {
                    p[c] = grad[o + c] * inv;
                }
            }
            return;
        }
        Probes.fill(key, j - 1, kind, d, p, 0);
        if (inv == 0) {
            p[0] = 0.0; // projected off e_0
            return;
        }
        double dot = 0;
        for (int c = 0; c < d; c++) {
            dot = Math.fma(p[c], grad[o + c], dot);
        }
        double f = dot * inv * inv;
        for (int c = 0; c < d; c++) {
            p[c] = Math.fma(-f, grad[o + c], p[c]);
        }
    }

    /**
     * One chunk. {@code along} null: the plain pass, directions = the row's probes; else the deflated pass's second
     * step, directions from {@link #deflatedDirection} (the unit gradients in {@code s.inv}, {@code along} the
     * gradient rows). {@code withGradient}: run the reverse sweep (∇û, ∂t û).
     */
    private void chunk(Scratch s, int rows, int n0, double[] t, double[] x, long[] keys, int k, ProbeKind kind,
                       double[] u, double[] dt, double[] grad, double[] lapEst, double[] lapVar, double[] along,
                       boolean withGradient) {
        final long rk = (long) rows * k;
        final long blockRows = rows + 2 * rk;
        // First layer: values and probe directions.
        io.fillInput(s.inp, rows, n0, t, x, d);
        NdBuf cur = s.jet[0];
        NdBuf nxt = s.jet[1];
        gemm(s.inp, 0, rows, d + 1, weights[0], cur, 0, w[1]);
        for (long p0 = 0; p0 < rk; p0 += s.prow) {
            int pr = (int) Math.min(s.prow, rk - p0);
            for (int i = 0; i < pr; i++) {
                long q = p0 + i;
                int r = (int) (q / k);
                int j = (int) (q % k);
                if (along == null) {
                    Probes.fill(keys[n0 + r], j, kind, d, s.probe, 0);
                } else {
                    deflatedDirection(s, r, j, keys[n0 + r], kind, along, n0);
                }
                io.put(s.probes, (long) i * d, s.probe, d);
            }
            gemm(s.probes, 0, pr, d, w1x, cur, ((long) rows + p0) * w[1], w[1]);
        }
        final boolean defl = along != null;
        jetLayer(s, cur, rows, k, 1, u, lapEst, lapVar, n0, defl);
        for (int l = 2; l < layers; l++) {
            gemm(cur, 0, blockRows, w[l - 1], weights[l - 1], nxt, 0, w[l]);
            NdBuf tmp = cur;
            cur = nxt;
            nxt = tmp;
            jetLayer(s, cur, rows, k, l, u, lapEst, lapVar, n0, defl);
        }
        if (!withGradient) {
            return;
        }
        // Reverse sweep over the value rows: δ_{L−1} = ψ′_{L−1} ⊙ w_L, δ_{l−1} = (δ_l W_lᵀ) ⊙ ψ′_{l−1}. The GEMMs use
        // explicit transposed copies: a one-row GEMM with a transposed operand takes another BLAS path (other bits),
        // untransposed ones give the same bits per row whatever the number of rows.
        int top = layers - 1;
        double[] row = s.tv;
        for (int r = 0; r < rows; r++) {
            io.get(s.sp[top], (long) r * w[top], row, w[top]);
            for (int c = 0; c < w[top]; c++) {
                row[c] *= wLast[c];
            }
            io.put(cur, (long) r * w[top], row, w[top]);
        }
        for (int l = top; l >= 2; l--) {
            gemm(cur, 0, rows, w[l], weightsT[l - 1], nxt, 0, w[l - 1]);
            for (int r = 0; r < rows; r++) {
                io.get(nxt, (long) r * w[l - 1], row, w[l - 1]);
                io.get(s.sp[l - 1], (long) r * w[l - 1], s.sv, w[l - 1]);
                for (int c = 0; c < w[l - 1]; c++) {
                    row[c] *= s.sv[c];
                }
                io.put(nxt, (long) r * w[l - 1], row, w[l - 1]);
            }
            NdBuf tmp = cur;
            cur = nxt;
            nxt = tmp;
        }
        gemm(cur, 0, rows, w[1], weightsT[0], s.gin, 0, d + 1);
        io.outGrad(s.gin, rows, n0, d, grad, dt);
    }

    /**
     * The element-wise pass of hidden layer l over a GEMM output block (pre-activations without bias): values,
     * first and second derivatives, slopes kept for the reverse sweep; the last hidden layer also produces the
     * outputs.
     */
    private void jetLayer(Scratch s, NdBuf g, int rows, int k, int l, double[] u, double[] lapEst, double[] lapVar,
                          int n0, boolean deflated) {
        final int wl = w[l];
        final boolean first = l == 1;
        final boolean last = l == layers - 1;
        final double[] b = bias[l - 1];
        final double[] z = s.z;
        final double[] a = s.a;
        final double[] s1 = s.s1;
        final double[] s2 = s.s2;
        final double[] tv = s.tv;
        final double[] sv = s.sv;
        final double[] q = s.q;
        final long rk = (long) rows * k;
        for (int r = 0; r < rows; r++) {
            long vo = (long) r * wl;
            io.get(g, vo, z, wl);
            for (int c = 0; c < wl; c++) {
                z[c] += b[c];
            }
            act.eval(z, a, s1, s2, wl);
            io.put(s.sp[l], vo, s1, wl);
            if (last) {
                double v = 0;
                for (int c = 0; c < wl; c++) {
                    v = Math.fma(a[c], wLast[c], v);
                }
                u[n0 + r] = v + bLast;
            } else {
                io.put(g, vo, a, wl);
            }
            for (int j = 0; j < k; j++) {
                long to = ((long) rows + (long) r * k + j) * wl;
                long so = to + rk * wl;
                io.get(g, to, tv, wl);
                if (first) {
                    for (int c = 0; c < wl; c++) {
                        double p = tv[c];
                        sv[c] = s2[c] * p * p;
                        tv[c] = s1[c] * p;
                    }
                } else {
                    io.get(g, so, sv, wl);
                    for (int c = 0; c < wl; c++) {
                        double p = tv[c];
                        sv[c] = Math.fma(s2[c] * p, p, s1[c] * sv[c]);
                        tv[c] = s1[c] * p;
                    }
                }
                if (last) {
                    double v = 0;
                    for (int c = 0; c < wl; c++) {
                        v = Math.fma(sv[c], wLast[c], v);
                    }
                    q[j] = v;
                } else {
                    io.put(g, to, tv, wl);
                    io.put(g, so, sv, wl);
                }
            }
            if (last && k > 0) {
                // plain: the mean of the k probe terms; deflated: q[0] = aᵀHa exactly, plus the mean of the k' =
                // k − 1 projected probe terms (their sample variance is the probe variance)
                int j0 = deflated ? 1 : 0;
                int kp = k - j0;
                double m = 0;
                for (int j = j0; j < k; j++) {
                    m += q[j];
                }
                m /= kp;
                lapEst[n0 + r] = deflated ? q[0] + m : m;
                if (lapVar != null) {
                    if (kp == 1) {
                        lapVar[n0 + r] = Double.NaN;
                    } else {
                        double ss = 0;
                        for (int j = j0; j < k; j++) {
                            double e = q[j] - m;
                            ss += e * e;
                        }
                        lapVar[n0 + r] = ss / (kp - 1);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ row I/O

    /** Bulk row transfers between the ND4J buffers and FP64 heap rows, per precision. */
    private interface RowIo {
        void get(NdBuf b, long off, double[] dst, int len);

        void put(NdBuf b, long off, double[] src, int len);

        void fillInput(NdBuf inp, int rows, int n0, double[] t, double[] x, int d);

        void zero(NdBuf b, long off, int len);

        void outGrad(NdBuf gin, int rows, int n0, int d, double[] grad, double[] dt);
    }

    private static final class RowIo64 implements RowIo {
        @Override
        public void zero(NdBuf b, long off, int len) {
            for (int i = 0; i < len; i++) {
                b.d.put((int) off + i, 0.0);
            }
        }

        @Override
        public void get(NdBuf b, long off, double[] dst, int len) {
            b.d.get((int) off, dst, 0, len);
        }

        @Override
        public void put(NdBuf b, long off, double[] src, int len) {
            b.d.put((int) off, src, 0, len);
        }

        @Override
        public void fillInput(NdBuf inp, int rows, int n0, double[] t, double[] x, int d) {
            DoubleBuffer b = inp.d;
            for (int r = 0; r < rows; r++) {
                b.put(r * (d + 1), x, (n0 + r) * d, d);
                b.put(r * (d + 1) + d, t[n0 + r]);
            }
        }

        @Override
        public void outGrad(NdBuf gin, int rows, int n0, int d, double[] grad, double[] dt) {
            DoubleBuffer b = gin.d;
            for (int r = 0; r < rows; r++) {
                b.get(r * (d + 1), grad, (n0 + r) * d, d);
                dt[n0 + r] = b.get(r * (d + 1) + d);
            }
        }
    }

    private static final class RowIo32 implements RowIo {
        @Override
        public void zero(NdBuf b, long off, int len) {
            for (int i = 0; i < len; i++) {
                b.f.put((int) off + i, 0f);
            }
        }

        private final ThreadLocal<float[]> tmp = ThreadLocal.withInitial(() -> new float[0]);

        private float[] buf(int len) {
            float[] f = tmp.get();
            if (f.length < len) {
                f = new float[len];
                tmp.set(f);
            }
            return f;
        }

        @Override
        public void get(NdBuf b, long off, double[] dst, int len) {
            float[] f = buf(len);
            b.f.get((int) off, f, 0, len);
            for (int i = 0; i < len; i++) {
                dst[i] = f[i];
            }
        }

        @Override
        public void put(NdBuf b, long off, double[] src, int len) {
            float[] f = buf(len);
            for (int i = 0; i < len; i++) {
                f[i] = (float) src[i];
            }
            b.f.put((int) off, f, 0, len);
        }

        @Override
        public void fillInput(NdBuf inp, int rows, int n0, double[] t, double[] x, int d) {
            FloatBuffer b = inp.f;
            for (int r = 0; r < rows; r++) {
                int src = (n0 + r) * d;
                int dst = r * (d + 1);
                for (int c = 0; c < d; c++) {
                    b.put(dst + c, (float) x[src + c]);
                }
                b.put(dst + d, (float) t[n0 + r]);
            }
        }

        @Override
        public void outGrad(NdBuf gin, int rows, int n0, int d, double[] grad, double[] dt) {
            FloatBuffer b = gin.f;
            for (int r = 0; r < rows; r++) {
                int src = r * (d + 1);
                for (int c = 0; c < d; c++) {
                    grad[(n0 + r) * d + c] = b.get(src + c);
                }
                dt[n0 + r] = b.get(src + d);
            }
        }
    }
}
