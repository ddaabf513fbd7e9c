package io.scasml.surrogate;

import java.nio.FloatBuffer;

/**
 * FP32 fused loops. {@link Fused64} is the FP64 twin: the same source with the buffer type replaced (the Vector API
 * paths call {@link VectorLoops64} in Fused64 and {@link VectorLoops32} in Fused32, with the same bits as the scalar
 * loops), except Fused64's blocks marked {@code fp64-only} (the vectorised dot product, whose lane-wise summation
 * order would change the FP32 bits). FusedTwinsTest holds the two equal.
 */
final class Fused32 implements Fused {

    static final Fused32 INSTANCE = new Fused32();

    private Fused32() {
    }

    @Override
    public void fillInput(NdBuf inp, int rows, int n0, double[] t, double[] x, int d) {
        FloatBuffer b = inp.f;
        int in = d + 1;
        for (int r = 0; r < rows; r++) {
            int src = (n0 + r) * d;
            int dst = r * in;
            for (int k = 0; k < d; k++) {
                b.put(dst + k, (float) (x[src + k]));
            }
            b.put(dst + d, (float) (t[n0 + r]));
        }
    }

    @Override
    public void biasAct(NdBuf h, int rows, int w, double[] bias, Activation act, NdBuf sp, RowScratch rs) {
        FloatBuffer b = h.f;
        FloatBuffer s = sp == null ? null : sp.f;
        double[] z = rs.z;
        double[] s1 = rs.s1;
        for (int r = 0; r < rows; r++) {
            int off = r * w;
            for (int j = 0; j < w; j++) {
                z[j] = b.get(off + j) + bias[j];
            }
            if (s == null) {
                act.value(z, w);
            } else {
                act.valueAndSlope(z, s1, w);
                for (int j = 0; j < w; j++) {
                    s.put(off + j, (float) (s1[j]));
                }
            }
            for (int j = 0; j < w; j++) {
                b.put(off + j, (float) (z[j]));
            }
        }
    }

    @Override
    public void outValue(NdBuf h, int rows, double bias, double[] u, int n0) {
        FloatBuffer b = h.f;
        for (int r = 0; r < rows; r++) {
            u[n0 + r] = b.get(r) + bias;
        }
    }

    @Override
    public void seedDelta(NdBuf sp, NdBuf dst, int rows, int w, double[] wLast) {
        FloatBuffer s = sp.f;
        FloatBuffer o = dst.f;
        for (int r = 0; r < rows; r++) {
            int off = r * w;
            for (int j = 0; j < w; j++) {
                o.put(off + j, (float) (s.get(off + j) * wLast[j]));
            }
        }
    }

    @Override
    public void mulInPlace(NdBuf dst, NdBuf sp, long count) {
        FloatBuffer s = sp.f;
        FloatBuffer o = dst.f;
        int n = (int) count;
        for (int i = 0; i < n; i++) {
            o.put(i, (float) (o.get(i) * s.get(i)));
        }
    }

    @Override
    public void outGrad(NdBuf gin, int rows, int d, double[] grad, int n0) {
        FloatBuffer b = gin.f;
        int in = d + 1;
        for (int r = 0; r < rows; r++) {
            int src = r * in;
            int dst = (n0 + r) * d;
            for (int k = 0; k < d; k++) {
                grad[dst + k] = b.get(src + k);
            }
        }
    }

    @Override
    public void resFirst(NdBuf z1, NdBuf tOut, int rows, int d, int w, double[] bias, Activation act, double[] w1,
                         double[] c1, RowScratch rs) {
        FloatBuffer zb = z1.f;
        FloatBuffer tb = tOut.f;
        double[] z = rs.z;
        double[] a = rs.a;
        double[] s1 = rs.s1;
        double[] s2 = rs.s2;
        int block = (d + 3) * w;
        for (int r = 0; r < rows; r++) {
            int zo = r * w;
            for (int j = 0; j < w; j++) {
                z[j] = zb.get(zo + j) + bias[j];
            }
            act.eval(z, a, s1, s2, w);
            int base = r * block;
            // Tangents of layer 1: ȧ_k = σ' ⊙ W1[k, :] (the input Jacobian is the identity).
            for (int k = 0; k <= d; k++) {
                int o = base + k * w;
                int wo = k * w;
                if (VectorLoops32.AVAILABLE) {
                    VectorLoops32.product(tOut.bytes, o, w, s1, w1, wo);
                    continue;
                }
                for (int j = 0; j < w; j++) {
                    tb.put(o + j, (float) (s1[j] * w1[wo + j]));
                }
            }
            int so = base + (d + 1) * w;
            int vo = base + (d + 2) * w;
            for (int j = 0; j < w; j++) {
                tb.put(so + j, (float) (s2[j] * c1[j]));
                tb.put(vo + j, (float) (a[j]));
            }
        }
    }

    @Override
    public void resHidden(NdBuf g, int rows, int d, int w, double[] bias, Activation act, RowScratch rs) {
        FloatBuffer gb = g.f;
        double[] z = rs.z;
        double[] a = rs.a;
        double[] s1 = rs.s1;
        double[] s2 = rs.s2;
        double[] acc = rs.acc;
        int block = (d + 3) * w;
        for (int r = 0; r < rows; r++) {
            int base = r * block;
            int so = base + (d + 1) * w;
            int vo = base + (d + 2) * w;
            for (int j = 0; j < w; j++) {
                z[j] = gb.get(vo + j) + bias[j];
                acc[j] = 0.0;
            }
            act.eval(z, a, s1, s2, w);
            for (int k = 0; k < d; k++) {
                int o = base + k * w;
                if (VectorLoops32.AVAILABLE) {
                    VectorLoops32.squareAndScale(g.bytes, o, w, s1, acc);
                    continue;
                }
                for (int j = 0; j < w; j++) {
                    double v = gb.get(o + j);
                    acc[j] = Math.fma(v, v, acc[j]);
                    gb.put(o + j, (float) (s1[j] * v));
                }
            }
            int to = base + d * w;
            for (int j = 0; j < w; j++) {
                gb.put(to + j, (float) (s1[j] * gb.get(to + j)));
                gb.put(so + j, (float) (s1[j] * gb.get(so + j) + s2[j] * acc[j]));
                gb.put(vo + j, (float) (a[j]));
            }
        }
    }

    @Override
    public void resOut(NdBuf out, int rows, int d, double bias, double[] u, double[] dt, double[] grad, double[] lap,
                       int n0) {
        FloatBuffer ob = out.f;
        int block = d + 3;
        for (int r = 0; r < rows; r++) {
            int base = r * block;
            int g = (n0 + r) * d;
            for (int k = 0; k < d; k++) {
                grad[g + k] = ob.get(base + k);
            }
            dt[n0 + r] = ob.get(base + d);
            lap[n0 + r] = ob.get(base + d + 1);
            u[n0 + r] = ob.get(base + d + 2) + bias;
        }
    }

    @Override
    public void resOutDot(NdBuf cur, int rows, int d, int w, double[] wl, double bias, double[] u, double[] dt,
                          double[] grad, double[] lap, int n0) {
        int block = d + 3;
        for (int r = 0; r < rows; r++) {
            int g = (n0 + r) * d;
            for (int k = 0; k < block; k++) {
                int o = (r * block + k) * w;
                double v = dot(cur, o, w, wl);
                if (k < d) {
                    grad[g + k] = v;
                } else if (k == d) {
                    dt[n0 + r] = v;
                } else if (k == d + 1) {
                    lap[n0 + r] = v;
                } else {
                    u[n0 + r] = v + bias;
                }
            }
        }
    }

    /** Row {@code o} of {@code cur} (width w) dotted with {@code wl}, FP64 accumulation. */
    private static double dot(NdBuf cur, int o, int w, double[] wl) {
        FloatBuffer cb = cur.f;
        double v = 0;
        for (int j = 0; j < w; j++) {
            v = Math.fma(cb.get(o + j), wl[j], v);
        }
        return v;
    }
}
