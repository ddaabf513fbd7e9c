package io.scasml.trainer;

import io.scasml.surrogate.Activation;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batched forward pass of an {@link Mlp} that propagates, besides the value, the d+1 input tangents (∂/∂x_k and
 * ∂/∂t) and the summed spatial second-order term (whose output is the exact Laplacian Δx û), and the hand-written
 * reverse pass of any loss of those outputs with respect to the parameters (docs/algorithm.md §19):
 *
 * <pre>
 *   forward, per hidden layer:   z = W a + b,   ż_k = W ȧ_k,   s_z = W s,
 *                                a = σ(z),      ȧ_k = σ′ ż_k,  s = σ′ s_z + σ″ Σ_{k&lt;d} ż_k²
 *   reverse (adjoints ā, ā_k, s̄):  z̄ = σ′ ā + Σ_k σ″ ż_k ā_k + (σ″ s_z + σ‴ Σ_{k&lt;d} ż_k²) s̄
 *                                ż̄_k = σ′ ā_k + [k&lt;d] 2σ″ ż_k s̄,   s̄_z = σ′ s̄
 *                                ∂W += z̄ᵀa + Σ_k ż̄_kᵀ ȧ_k + s̄_zᵀ s,  ∂b += Σ z̄,  then ā ← z̄W, ā_k ← ż̄_k W, s̄ ← s̄_z W.
 * </pre>
 *
 * The first layer's tangents are the columns of W₁ times the input scale, the same for every sample; its second-order
 * term is 0. Matrix products are {@code Nd4j.gemm} into preallocated arrays (tangents laid out as (d+1)·B rows of
 * width w); element-wise work is fused plain-Java loops over the arrays' buffers (docs/platform.md §2). Summation orders
 * are fixed, so results are reproducible bit for bit for the same batch size.
 *
 * <p>With {@code tangents = false} only values are propagated (terminal and data losses). The batch capacity is
 * fixed; callers pass n ≤ capacity points and the remaining rows are zero-padded (their outputs are ignored and their
 * adjoints must be 0). Not thread-safe; holds off-heap buffers for its lifetime.
 */
public final class ForwardLaplacian {
    private final Mlp net;
    private final int cap;
    private final int nt; // tangent directions: d+1 or 0
    private final int d;
    private final int nh; // hidden layers

    private final INDArray a0;
    private final DoubleBuffer a0b;
    // per hidden layer
    private final INDArray[] z;   // pre-activations (B, w), later reused for nothing else
    private final INDArray[] a;   // activations
    private final INDArray[] zd;  // tangents of z ((nt·B), w)
    private final INDArray[] ad;  // tangents of a
    private final INDArray[] sz;  // second-order sum of z
    private final INDArray[] s;   // second-order sum of a
    private final DoubleBuffer[] zb, ab, zdb, adb, szb, sb, d1, d2, d3, qb;
    // adjoints per hidden layer (converted in place to the z-level adjoints)
    private final INDArray[] ga, gad, gs;
    private final DoubleBuffer[] gab, gadb, gsb;

    /** Outputs: value, tangent derivatives (nt × B, direction-major: ∂x_1..∂x_d, ∂t), Laplacian. */
    final double[] u;
    final double[] du;
    final double[] lap;

    /**
     * @param net      the network (its parameters are read at every pass)
     * @param capacity batch size
     * @param tangents whether to propagate the d+1 tangents and the Laplacian term
     */
    public ForwardLaplacian(Mlp net, int capacity, boolean tangents) {
        this.net = net;
        this.cap = capacity;
        this.d = net.d;
        this.nt = tangents ? d + 1 : 0;
        this.nh = net.nLayers - 1;
        a0 = Nd4j.zeros(DataType.DOUBLE, cap, d + 1);
        a0b = a0.data().asNioDouble();
        z = new INDArray[nh];
        a = new INDArray[nh];
        zd = new INDArray[nh];
        ad = new INDArray[nh];
        sz = new INDArray[nh];
        s = new INDArray[nh];
        ga = new INDArray[nh];
        gad = new INDArray[nh];
        gs = new INDArray[nh];
        zb = new DoubleBuffer[nh];
        ab = new DoubleBuffer[nh];
        zdb = new DoubleBuffer[nh];
        adb = new DoubleBuffer[nh];
        szb = new DoubleBuffer[nh];
        sb = new DoubleBuffer[nh];
        d1 = new DoubleBuffer[nh];
        d2 = new DoubleBuffer[nh];
        d3 = new DoubleBuffer[nh];
        qb = new DoubleBuffer[nh];
        gab = new DoubleBuffer[nh];
        gadb = new DoubleBuffer[nh];
        gsb = new DoubleBuffer[nh];
        for (int l = 0; l < nh; l++) {
            int w = net.sizes[l + 1];
            z[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
            a[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
            zb[l] = nio(z[l]);
            ab[l] = nio(a[l]);
            d1[l] = nio(Nd4j.zeros(DataType.DOUBLE, cap, w));
            ga[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
            gab[l] = nio(ga[l]);
            if (nt > 0) {
                zd[l] = Nd4j.zeros(DataType.DOUBLE, (long) nt * cap, w);
                ad[l] = Nd4j.zeros(DataType.DOUBLE, (long) nt * cap, w);
                sz[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
                s[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
                gad[l] = Nd4j.zeros(DataType.DOUBLE, (long) nt * cap, w);
                gs[l] = Nd4j.zeros(DataType.DOUBLE, cap, w);
                zdb[l] = nio(zd[l]);
                adb[l] = nio(ad[l]);
                szb[l] = nio(sz[l]);
                sb[l] = nio(s[l]);
                d2[l] = nio(Nd4j.zeros(DataType.DOUBLE, cap, w));
                d3[l] = nio(Nd4j.zeros(DataType.DOUBLE, cap, w));
                qb[l] = nio(Nd4j.zeros(DataType.DOUBLE, cap, w));
                gadb[l] = nio(gad[l]);
                gsb[l] = nio(gs[l]);
            }
        }
        u = new double[cap];
        du = new double[nt * cap];
        lap = new double[cap];
    }

    /** Keeps every array reachable: a DoubleBuffer view does not keep its INDArray's off-heap memory alive. */
    private final java.util.List<INDArray> keep = new java.util.ArrayList<>();

    private DoubleBuffer nio(INDArray x) {
        keep.add(x);
        return x.data().asNioDouble();
    }

    /**
     * Bytes of off-heap buffers per batch row of a tangent pass ({@code tangents = true}): per hidden layer of width
     * w, three (d+1)·w tangent blocks (tangents of z and a, their adjoints) and about ten w-wide rows — the
     * rows·d·w of the exact Laplacian that {@link PinnLoss} bounds by chunking.
     */
    static long bytesPerRow(Mlp net) {
        long v = 2L * (net.d + 1);
        for (int l = 0; l < net.nLayers - 1; l++) {
            v += (long) net.sizes[l + 1] * (3L * (net.d + 1) + 10);
        }
        return 8 * v;
    }

    /** Batch capacity. */
    public int capacity() {
        return cap;
    }

    /** Whether tangents are propagated. */
    public boolean hasTangents() {
        return nt > 0;
    }

    /**
     * Forward pass at n ≤ capacity points.
     *
     * @param n number of points
     * @param t times, length ≥ n. Not modified.
     * @param x coordinates, row-major n × d. Not modified.
     */
    public void forward(int n, double[] t, double[] x) {
        if (n > cap) {
            throw new IllegalArgumentException("batch of " + n + " exceeds capacity " + cap);
        }
        final int din = d + 1;
        for (int i = 0; i < cap; i++) {
            int o = i * din;
            if (i < n) {
                for (int k = 0; k < d; k++) {
                    a0b.put(o + k, net.inShift[k] + net.inScale[k] * x[i * d + k]);
                }
                a0b.put(o + d, net.inShift[d] + net.inScale[d] * t[i]);
            } else {
                for (int k = 0; k <= d; k++) {
                    a0b.put(o + k, 0.0);
                }
            }
        }
        final DoubleBuffer pb = net.buf;
        final double[] ev = new double[4];
        for (int l = 0; l < nh; l++) {
            final int w = net.sizes[l + 1];
            final int win = net.sizes[l];
            INDArray prevA = l == 0 ? a0 : a[l - 1];
            Nd4j.gemm(prevA, net.w[l], z[l], false, true, 1.0, 0.0);
            if (nt > 0) {
                if (l == 0) {
                    // ż_k = inScale_k W[:, k] for every sample; s_z = 0.
                    DoubleBuffer zd0 = zdb[0];
                    int wo = net.wOff[0];
                    double[] col = new double[w];
                    for (int k = 0; k < nt; k++) {
                        double sc = net.inScale[k];
                        for (int j = 0; j < w; j++) {
                            col[j] = sc * pb.get(wo + j * win + k);
                        }
                        int base = k * cap * w;
                        for (int i = 0; i < cap; i++) {
                            for (int j = 0; j < w; j++) {
                                zd0.put(base + i * w + j, col[j]);
                            }
                        }
                    }
                    DoubleBuffer s0 = szb[0];
                    for (int m = 0; m < cap * w; m++) {
                        s0.put(m, 0.0);
                    }
                } else {
                    Nd4j.gemm(ad[l - 1], net.w[l], zd[l], false, true, 1.0, 0.0);
                    Nd4j.gemm(s[l - 1], net.w[l], sz[l], false, true, 1.0, 0.0);
                }
            }
            // Element-wise: bias, activation and its derivatives, tangents, second-order sums.
            final DoubleBuffer zl = zb[l];
            final DoubleBuffer al = ab[l];
            final DoubleBuffer e1 = d1[l];
            final int bo = net.bOff[l];
            for (int i = 0; i < cap; i++) {
                for (int j = 0; j < w; j++) {
                    int m = i * w + j;
                    double zz = zl.get(m) + pb.get(bo + j);
                    zl.put(m, zz);
                    act(zz, ev);
                    al.put(m, ev[0]);
                    e1.put(m, ev[1]);
                    if (nt > 0) {
                        d2[l].put(m, ev[2]);
                        d3[l].put(m, ev[3]);
                    }
                }
            }
            if (nt > 0) {
                final DoubleBuffer zdl = zdb[l];
                final DoubleBuffer adl = adb[l];
                final DoubleBuffer q = qb[l];
                final int bw = cap * w;
                for (int m = 0; m < bw; m++) {
                    q.put(m, 0.0);
                }
                for (int k = 0; k < nt; k++) {
                    final int base = k * bw;
                    final boolean spatial = k < d;
                    for (int m = 0; m < bw; m++) {
                        double v = zdl.get(base + m);
                        adl.put(base + m, e1.get(m) * v);
                        if (spatial) {
                            q.put(m, q.get(m) + v * v);
                        }
                    }
                }
                final DoubleBuffer szl = szb[l];
                final DoubleBuffer sl = sb[l];
                final DoubleBuffer e2 = d2[l];
                for (int m = 0; m < bw; m++) {
                    sl.put(m, e1.get(m) * szl.get(m) + e2.get(m) * q.get(m));
                }
            }
        }
        // Output layer (width 1): dot products.
        final int L = nh;
        final int w = net.sizes[L];
        final int wo = net.wOff[L];
        final double bias = pb.get(net.bOff[L]);
        final double os = net.outScale;
        final DoubleBuffer al = ab[L - 1];
        for (int i = 0; i < cap; i++) {
            double acc = 0;
            for (int j = 0; j < w; j++) {
                acc += al.get(i * w + j) * pb.get(wo + j);
            }
            u[i] = net.outShift + os * (acc + bias);
        }
        if (nt > 0) {
            final DoubleBuffer adl = adb[L - 1];
            final DoubleBuffer sl = sb[L - 1];
            for (int r = 0; r < nt * cap; r++) {
                double acc = 0;
                for (int j = 0; j < w; j++) {
                    acc += adl.get(r * w + j) * pb.get(wo + j);
                }
                du[r] = os * acc;
            }
            for (int i = 0; i < cap; i++) {
                double acc = 0;
                for (int j = 0; j < w; j++) {
                    acc += sl.get(i * w + j) * pb.get(wo + j);
                }
                lap[i] = os * acc;
            }
        }
    }

    private void act(double zz, double[] ev) {
        if (net.act == Activation.TANH) {
            double aa = Math.tanh(zz);
            double e1 = 1 - aa * aa;
            ev[0] = aa;
            ev[1] = e1;
            ev[2] = -2 * aa * e1;
            ev[3] = e1 * (6 * aa * aa - 2);
        } else {
            net.act.eval(zz, ev);
        }
    }

    /**
     * Reverse pass after {@link #forward}: accumulates into {@code grad} (a flat vector laid out like the parameters)
     * the gradient of Σ_i [gu_i û_i + Σ_k gdu_{k,i} ∂_k û_i + glap_i Δû_i].
     *
     * @param gu   adjoint of the values, length ≥ capacity (0 beyond n). Not modified.
     * @param gdu  adjoint of the tangent derivatives, nt × capacity direction-major, or null without tangents. Not modified.
     * @param glap adjoint of the Laplacians, or null without tangents. Not modified.
     * @param grad gradient accumulator (flat, parameter layout). Modified (added to).
     * @param gradW weight views of {@code grad} (from {@link Mlp#views}).
     */
    public void backward(double[] gu, double[] gdu, double[] glap, INDArray grad, INDArray[] gradW) {
        final DoubleBuffer pb = net.buf;
        final DoubleBuffer gb = grad.data().asNioDouble();
        final double os = net.outScale;
        final int L = nh;
        final int w = net.sizes[L];
        final int wo = net.wOff[L];
        // Output layer.
        {
            final DoubleBuffer al = ab[L - 1];
            double sb0 = 0;
            for (int i = 0; i < cap; i++) {
                sb0 += gu[i];
            }
            gb.put(net.bOff[L], gb.get(net.bOff[L]) + os * sb0);
            final double[] acc = new double[w];
            for (int i = 0; i < cap; i++) {
                double c = gu[i];
                for (int j = 0; j < w; j++) {
                    acc[j] += c * al.get(i * w + j);
                }
            }
            if (nt > 0) {
                final DoubleBuffer adl = adb[L - 1];
                for (int r = 0; r < nt * cap; r++) {
                    double c = gdu[r];
                    for (int j = 0; j < w; j++) {
                        acc[j] += c * adl.get(r * w + j);
                    }
                }
                final DoubleBuffer sl = sb[L - 1];
                for (int i = 0; i < cap; i++) {
                    double c = glap[i];
                    for (int j = 0; j < w; j++) {
                        acc[j] += c * sl.get(i * w + j);
                    }
                }
            }
            for (int j = 0; j < w; j++) {
                gb.put(wo + j, gb.get(wo + j) + os * acc[j]);
            }
            final DoubleBuffer g = gab[L - 1];
            for (int i = 0; i < cap; i++) {
                double gy = os * gu[i];
                for (int j = 0; j < w; j++) {
                    g.put(i * w + j, gy * pb.get(wo + j));
                }
            }
            if (nt > 0) {
                final DoubleBuffer gd = gadb[L - 1];
                for (int r = 0; r < nt * cap; r++) {
                    double gy = os * gdu[r];
                    for (int j = 0; j < w; j++) {
                        gd.put(r * w + j, gy * pb.get(wo + j));
                    }
                }
                final DoubleBuffer gsl = gsb[L - 1];
                for (int i = 0; i < cap; i++) {
                    double gy = os * glap[i];
                    for (int j = 0; j < w; j++) {
                        gsl.put(i * w + j, gy * pb.get(wo + j));
                    }
                }
            }
        }
        // Hidden layers, last to first.
        for (int l = nh - 1; l >= 0; l--) {
            final int wl = net.sizes[l + 1];
            final int win = net.sizes[l];
            final int bw = cap * wl;
            final DoubleBuffer g = gab[l];
            final DoubleBuffer e1 = d1[l];
            if (nt > 0) {
                final DoubleBuffer e2 = d2[l];
                final DoubleBuffer e3 = d3[l];
                final DoubleBuffer gsl = gsb[l];
                final DoubleBuffer szl = szb[l];
                final DoubleBuffer q = qb[l];
                for (int m = 0; m < bw; m++) {
                    g.put(m, g.get(m) * e1.get(m) + gsl.get(m) * (e2.get(m) * szl.get(m) + e3.get(m) * q.get(m)));
                }
                final DoubleBuffer gd = gadb[l];
                final DoubleBuffer zdl = zdb[l];
                for (int k = 0; k < nt; k++) {
                    final int base = k * bw;
                    final boolean spatial = k < d;
                    for (int m = 0; m < bw; m++) {
                        double gk = gd.get(base + m);
                        double zk = zdl.get(base + m);
                        double c2 = e2.get(m);
                        g.put(m, g.get(m) + gk * c2 * zk);
                        double nv = e1.get(m) * gk;
                        if (spatial) {
                            nv += 2 * c2 * gsl.get(m) * zk;
                        }
                        gd.put(base + m, nv);
                    }
                }
                for (int m = 0; m < bw; m++) {
                    gsl.put(m, gsl.get(m) * e1.get(m));
                }
            } else {
                for (int m = 0; m < bw; m++) {
                    g.put(m, g.get(m) * e1.get(m));
                }
            }
            // Parameter gradients.
            final int bo = net.bOff[l];
            final double[] bacc = new double[wl];
            for (int i = 0; i < cap; i++) {
                for (int j = 0; j < wl; j++) {
                    bacc[j] += g.get(i * wl + j);
                }
            }
            for (int j = 0; j < wl; j++) {
                gb.put(bo + j, gb.get(bo + j) + bacc[j]);
            }
            INDArray prevA = l == 0 ? a0 : a[l - 1];
            Nd4j.gemm(ga[l], prevA, gradW[l], true, false, 1.0, 1.0);
            if (nt > 0) {
                if (l == 0) {
                    // ȧ_0 = inScale_k e_k for every sample: column k gets inScale_k Σ_i ż̄_{k,i}.
                    final DoubleBuffer gd = gadb[0];
                    final int wof = net.wOff[0];
                    final double[] cacc = new double[wl];
                    for (int k = 0; k < nt; k++) {
                        final double sc = net.inScale[k];
                        java.util.Arrays.fill(cacc, 0.0);
                        final int base = k * bw;
                        for (int i = 0; i < cap; i++) {
                            for (int j = 0; j < wl; j++) {
                                cacc[j] += gd.get(base + i * wl + j);
                            }
                        }
                        for (int j = 0; j < wl; j++) {
                            int p = wof + j * win + k;
                            gb.put(p, gb.get(p) + sc * cacc[j]);
                        }
                    }
                } else {
                    Nd4j.gemm(gad[l], ad[l - 1], gradW[l], true, false, 1.0, 1.0);
                    Nd4j.gemm(gs[l], s[l - 1], gradW[l], true, false, 1.0, 1.0);
                }
            }
            if (l > 0) {
                Nd4j.gemm(ga[l], net.w[l], ga[l - 1], false, false, 1.0, 0.0);
                if (nt > 0) {
                    Nd4j.gemm(gad[l], net.w[l], gad[l - 1], false, false, 1.0, 0.0);
                    Nd4j.gemm(gs[l], net.w[l], gs[l - 1], false, false, 1.0, 0.0);
                }
            }
        }
    }
}
