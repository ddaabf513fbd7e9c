package io.scasml.trainer;

import io.scasml.surrogate.Activation;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The passes of the randomized PINN loss (docs/algorithm.md §24.2) for an {@link Mlp}, with no O(d²) work per row:
 *
 * <ol>
 *   <li>{@link #forwardValues}: the values û and the activations;</li>
 *   <li>{@link #inputGradient}: the reverse sweep of û to the input, giving the exact (∇x û, ∂t û), O(d·w + L·w²);</li>
 *   <li>{@link #forwardJets}: second-order Taylor jets along nd per-row input directions q (in (x, t) coordinates):
 *       D_k = qᵀ∇û and Q_k = qᵀ∇²û q, per hidden layer ż_k = W ȧ_k, s_{z,k} = W s_k, ȧ_k = σ′ż_k,
 *       s_k = σ′ s_{z,k} + σ″ ż_k² (first layer: ȧ₀ = inScale ⊙ q, s₀ = 0);</li>
 *   <li>{@link #backward}: the parameter gradient of Σ_i [gu_i û_i + Σ_k (gD_{k,i} D_{k,i} + gQ_{k,i} Q_{k,i})], the
 *       reverse of the jet pass: z̄ = σ′ā + Σ_k [σ″ ż_k ā_k + (σ″ s_{z,k} + σ‴ ż_k²) s̄_k], ż̄_k = σ′ā_k + 2σ″ż_k s̄_k,
 *       s̄_{z,k} = σ′ s̄_k.</li>
 * </ol>
 *
 * Cost of the jets O(nd·(d·w + L·w²)) per row; buffers O(nd·(d + w·L)) per row ({@link #bytesPerRow}). Arrays with
 * one row per (direction, point) are direction-major: row k·cap + i. Summation orders are fixed (the same bits for the
 * same inputs and capacity). Not thread-safe; holds off-heap buffers for its lifetime.
 */
final class ProbeJet {
    private final Mlp net;
    private final int cap;
    private final int nd;
    private final int d;
    private final int nh;

    private final INDArray a0;
    private final DoubleBuffer a0b;
    private final INDArray q0; // (nd·cap, d+1): inScale ⊙ direction
    private final DoubleBuffer q0b;
    private final INDArray[] z, a, zd, ad, sz, s, ga, gad, gs;
    private final DoubleBuffer[] zb, ab, zdb, adb, szb, sb, e1, e2, e3, gab, gadb, gsb;
    private final INDArray gin; // (cap, d+1): adjoint of the input for the input gradient
    private final List<INDArray> keep = new ArrayList<>();

    /** Values (cap). */
    final double[] u;
    /** Input gradient, row-major cap × (d+1): ∂x_1..∂x_d, ∂t. */
    final double[] gx;
    /** Directional first and second derivatives (nd·cap, direction-major). */
    final double[] dD;
    final double[] dQ;

    ProbeJet(Mlp net, int capacity, int directions) {
        this.net = net;
        this.cap = capacity;
        this.nd = directions;
        this.d = net.d;
        this.nh = net.nLayers - 1;
        a0 = mk(cap, d + 1);
        a0b = nio(a0);
        q0 = mk((long) nd * cap, d + 1);
        q0b = nio(q0);
        gin = mk(cap, d + 1);
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
        e1 = new DoubleBuffer[nh];
        e2 = new DoubleBuffer[nh];
        e3 = new DoubleBuffer[nh];
        gab = new DoubleBuffer[nh];
        gadb = new DoubleBuffer[nh];
        gsb = new DoubleBuffer[nh];
        long rows = (long) nd * cap;
        for (int l = 0; l < nh; l++) {
            int w = net.sizes[l + 1];
            z[l] = mk(cap, w);
            a[l] = mk(cap, w);
            ga[l] = mk(cap, w);
            zd[l] = mk(rows, w);
            ad[l] = mk(rows, w);
            sz[l] = mk(rows, w);
            s[l] = mk(rows, w);
            gad[l] = mk(rows, w);
            gs[l] = mk(rows, w);
            zb[l] = nio(z[l]);
            ab[l] = nio(a[l]);
            gab[l] = nio(ga[l]);
            zdb[l] = nio(zd[l]);
            adb[l] = nio(ad[l]);
            szb[l] = nio(sz[l]);
            sb[l] = nio(s[l]);
            gadb[l] = nio(gad[l]);
            gsb[l] = nio(gs[l]);
            e1[l] = nio(mk(cap, w));
            e2[l] = nio(mk(cap, w));
            e3[l] = nio(mk(cap, w));
        }
        u = new double[cap];
        gx = new double[cap * (d + 1)];
        dD = new double[nd * cap];
        dQ = new double[nd * cap];
    }

    private static INDArray mk(long r, long c) {
        return Nd4j.zeros(DataType.DOUBLE, r, c);
    }

    private DoubleBuffer nio(INDArray x) {
        keep.add(x);
        return x.data().asNioDouble();
    }

    /**
     * Bytes per point with nd directions: the off-heap buffers (directions, jets and their adjoints: 6·nd rows of
     * width w per hidden layer) and the heap scratch of {@link PinnLoss}'s randomized chunk (the nd directions and
     * five d-vectors).
     */
    static long bytesPerRow(Mlp net, int nd) {
        long v = (2L * nd + 7) * (net.d + 1);
        for (int l = 0; l < net.nLayers - 1; l++) {
            v += (long) net.sizes[l + 1] * (6L * nd + 5);
        }
        return 8 * v;
    }

    int capacity() {
        return cap;
    }

    int directions() {
        return nd;
    }

    /** Forward values at n ≤ capacity points (rows beyond n are zero inputs; their adjoints must be 0). */
    void forwardValues(int n, double[] t, double[] x) {
        if (n > cap) {
            throw new IllegalArgumentException("batch of " + n + " exceeds capacity " + cap);
        }
        final int din = d + 1;
        for (int i = 0; i < cap; i++) {
            int o = i * din;
            for (int k = 0; k < d; k++) {
                a0b.put(o + k, i < n ? net.inShift[k] + net.inScale[k] * x[i * d + k] : 0.0);
            }
            a0b.put(o + d, i < n ? net.inShift[d] + net.inScale[d] * t[i] : 0.0);
        }
        final DoubleBuffer pb = net.buf;
        final double[] ev = new double[4];
        for (int l = 0; l < nh; l++) {
            final int w = net.sizes[l + 1];
            Nd4j.gemm(l == 0 ? a0 : a[l - 1], net.w[l], z[l], false, true, 1.0, 0.0);
            final DoubleBuffer zl = zb[l];
            final DoubleBuffer al = ab[l];
            final int bo = net.bOff[l];
            for (int i = 0; i < cap; i++) {
                for (int j = 0; j < w; j++) {
                    int m = i * w + j;
                    double zz = zl.get(m) + pb.get(bo + j);
                    zl.put(m, zz);
                    act(zz, ev);
                    al.put(m, ev[0]);
                    e1[l].put(m, ev[1]);
                    e2[l].put(m, ev[2]);
                    e3[l].put(m, ev[3]);
                }
            }
        }
        final int w = net.sizes[nh];
        final int wo = net.wOff[nh];
        final double bias = pb.get(net.bOff[nh]);
        final DoubleBuffer al = ab[nh - 1];
        for (int i = 0; i < cap; i++) {
            double acc = 0;
            for (int j = 0; j < w; j++) {
                acc += al.get(i * w + j) * pb.get(wo + j);
            }
            u[i] = net.outShift + net.outScale * (acc + bias);
        }
    }

    /** After {@link #forwardValues}: the exact input gradient into {@link #gx}. Uses the value adjoint buffers. */
    void inputGradient() {
        final DoubleBuffer pb = net.buf;
        final int w = net.sizes[nh];
        final int wo = net.wOff[nh];
        final double os = net.outScale;
        DoubleBuffer g = gab[nh - 1];
        for (int i = 0; i < cap; i++) {
            for (int j = 0; j < w; j++) {
                g.put(i * w + j, os * pb.get(wo + j));
            }
        }
        for (int l = nh - 1; l >= 0; l--) {
            final int bw = cap * net.sizes[l + 1];
            final DoubleBuffer gl = gab[l];
            final DoubleBuffer el = e1[l];
            for (int m = 0; m < bw; m++) {
                gl.put(m, gl.get(m) * el.get(m));
            }
            Nd4j.gemm(ga[l], net.w[l], l > 0 ? ga[l - 1] : gin, false, false, 1.0, 0.0);
        }
        final DoubleBuffer gi = gin.data().asNioDouble();
        final int din = d + 1;
        for (int i = 0; i < cap; i++) {
            for (int k = 0; k < din; k++) {
                gx[i * din + k] = gi.get(i * din + k) * net.inScale[k];
            }
        }
    }

    /**
     * After {@link #forwardValues}: jets along the directions {@code q} (nd·cap rows of d+1 coordinates, direction-major,
     * in (x, t) order; rows beyond n must be 0) into {@link #dD} and {@link #dQ}.
     */
    void forwardJets(double[] q) {
        final int din = d + 1;
        final long rows = (long) nd * cap;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < din; k++) {
                q0b.put(r * din + k, net.inScale[k] * q[r * din + k]);
            }
        }
        final DoubleBuffer pb = net.buf;
        for (int l = 0; l < nh; l++) {
            final int w = net.sizes[l + 1];
            final int bw = cap * w;
            if (l == 0) {
                Nd4j.gemm(q0, net.w[0], zd[0], false, true, 1.0, 0.0);
            } else {
                Nd4j.gemm(ad[l - 1], net.w[l], zd[l], false, true, 1.0, 0.0);
                Nd4j.gemm(s[l - 1], net.w[l], sz[l], false, true, 1.0, 0.0);
            }
            final DoubleBuffer zdl = zdb[l];
            final DoubleBuffer adl = adb[l];
            final DoubleBuffer szl = szb[l];
            final DoubleBuffer sl = sb[l];
            final DoubleBuffer f1 = e1[l];
            final DoubleBuffer f2 = e2[l];
            for (int k = 0; k < nd; k++) {
                final int base = k * bw;
                for (int m = 0; m < bw; m++) {
                    double v = zdl.get(base + m);
                    double c1 = f1.get(m);
                    adl.put(base + m, c1 * v);
                    double szv = l == 0 ? 0.0 : szl.get(base + m);
                    if (l == 0) {
                        szl.put(base + m, 0.0);
                    }
                    sl.put(base + m, c1 * szv + f2.get(m) * v * v);
                }
            }
        }
        final int w = net.sizes[nh];
        final int wo = net.wOff[nh];
        final double os = net.outScale;
        final DoubleBuffer adl = adb[nh - 1];
        final DoubleBuffer sl = sb[nh - 1];
        for (int r = 0; r < rows; r++) {
            double a1 = 0;
            double a2 = 0;
            for (int j = 0; j < w; j++) {
                double p = pb.get(wo + j);
                a1 += adl.get(r * w + j) * p;
                a2 += sl.get(r * w + j) * p;
            }
            dD[r] = os * a1;
            dQ[r] = os * a2;
        }
    }

    /**
     * After {@link #forwardValues} and {@link #forwardJets}: adds to {@code grad} the parameter gradient of
     * Σ_i gu_i û_i + Σ_{k,i} (gD_{k,i} D_{k,i} + gQ_{k,i} Q_{k,i}). Adjoints of padded rows must be 0.
     */
    void backward(double[] gu, double[] gD, double[] gQ, INDArray grad, INDArray[] gradW) {
        final DoubleBuffer pb = net.buf;
        final DoubleBuffer gb = grad.data().asNioDouble();
        final double os = net.outScale;
        final int L = nh;
        final int w = net.sizes[L];
        final int wo = net.wOff[L];
        final int rows = nd * cap;
        {
            final DoubleBuffer al = ab[L - 1];
            final DoubleBuffer adl = adb[L - 1];
            final DoubleBuffer sl = sb[L - 1];
            double sb0 = 0;
            final double[] acc = new double[w];
            for (int i = 0; i < cap; i++) {
                double c = gu[i];
                sb0 += c;
                for (int j = 0; j < w; j++) {
                    acc[j] += c * al.get(i * w + j);
                }
            }
            for (int r = 0; r < rows; r++) {
                double c1 = gD[r];
                double c2 = gQ[r];
                for (int j = 0; j < w; j++) {
                    acc[j] += c1 * adl.get(r * w + j) + c2 * sl.get(r * w + j);
                }
            }
            gb.put(net.bOff[L], gb.get(net.bOff[L]) + os * sb0);
            for (int j = 0; j < w; j++) {
                gb.put(wo + j, gb.get(wo + j) + os * acc[j]);
            }
            final DoubleBuffer g = gab[L - 1];
            for (int i = 0; i < cap; i++) {
                for (int j = 0; j < w; j++) {
                    g.put(i * w + j, os * gu[i] * pb.get(wo + j));
                }
            }
            final DoubleBuffer gd = gadb[L - 1];
            final DoubleBuffer gsl = gsb[L - 1];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < w; j++) {
                    double p = pb.get(wo + j);
                    gd.put(r * w + j, os * gD[r] * p);
                    gsl.put(r * w + j, os * gQ[r] * p);
                }
            }
        }
        for (int l = nh - 1; l >= 0; l--) {
            final int wl = net.sizes[l + 1];
            final int bw = cap * wl;
            final DoubleBuffer g = gab[l];
            final DoubleBuffer f1 = e1[l];
            final DoubleBuffer f2 = e2[l];
            final DoubleBuffer f3 = e3[l];
            final DoubleBuffer gd = gadb[l];
            final DoubleBuffer gsl = gsb[l];
            final DoubleBuffer zdl = zdb[l];
            final DoubleBuffer szl = szb[l];
            for (int m = 0; m < bw; m++) {
                g.put(m, g.get(m) * f1.get(m));
            }
            for (int k = 0; k < nd; k++) {
                final int base = k * bw;
                for (int m = 0; m < bw; m++) {
                    double gk = gd.get(base + m);
                    double sk = gsl.get(base + m);
                    double zk = zdl.get(base + m);
                    double c1 = f1.get(m);
                    double c2 = f2.get(m);
                    g.put(m, g.get(m) + c2 * zk * gk + (c2 * szl.get(base + m) + f3.get(m) * zk * zk) * sk);
                    gd.put(base + m, c1 * gk + 2 * c2 * zk * sk);
                    gsl.put(base + m, c1 * sk);
                }
            }
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
            if (l == 0) {
                Nd4j.gemm(ga[0], a0, gradW[0], true, false, 1.0, 1.0);
                Nd4j.gemm(gad[0], q0, gradW[0], true, false, 1.0, 1.0);
            } else {
                Nd4j.gemm(ga[l], a[l - 1], gradW[l], true, false, 1.0, 1.0);
                Nd4j.gemm(gad[l], ad[l - 1], gradW[l], true, false, 1.0, 1.0);
                Nd4j.gemm(gs[l], s[l - 1], gradW[l], true, false, 1.0, 1.0);
                Nd4j.gemm(ga[l], net.w[l], ga[l - 1], false, false, 1.0, 0.0);
                Nd4j.gemm(gad[l], net.w[l], gad[l - 1], false, false, 1.0, 0.0);
                Nd4j.gemm(gs[l], net.w[l], gs[l - 1], false, false, 1.0, 0.0);
            }
        }
    }

    private void act(double zz, double[] ev) {
        if (net.act == Activation.TANH) {
            double aa = Math.tanh(zz);
            double d1 = 1 - aa * aa;
            ev[0] = aa;
            ev[1] = d1;
            ev[2] = -2 * aa * d1;
            ev[3] = d1 * (6 * aa * aa - 2);
        } else {
            net.act.eval(zz, ev);
        }
    }
}
