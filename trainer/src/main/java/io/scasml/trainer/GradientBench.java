package io.scasml.trainer;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.surrogate.Activation;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one loss-gradient evaluation of the residual loss mean(ε²) two ways: the hand-written reverse pass through
 * the forward Laplacian ({@link PinnLoss}) and ND4J SameDiff autodiff of the same forward-Laplacian graph (tangents as
 * (d+1)·B rows, as in {@link ForwardLaplacian}). Usage: {@code GradientBench d batch width depth reps}.
 * The SameDiff graph covers the residual of a linear PDE (LCD); the hand-written pass is timed on the same PDE.
 */
final class GradientBench {
    private GradientBench() {
    }

    public static void main(String[] a) {
        int d = Integer.parseInt(a[0]);
        int b = Integer.parseInt(a[1]);
        int w = Integer.parseInt(a[2]);
        int depth = Integer.parseInt(a[3]);
        int reps = Integer.parseInt(a[4]);
        int[] widths = new int[depth];
        java.util.Arrays.fill(widths, w);
        Pde pde = BuiltinPdes.lcd(d);
        Mlp net = new Mlp(d, widths, Activation.TANH);
        net.initGlorot(1);
        Points p = Points.paths(pde, b, 5, 0.25, false);
        PinnLoss loss = new PinnLoss(net, pde, b, 16, 1, 0, 0);
        PinnLoss.Batch bc = new PinnLoss.Batch(b, p.t, p.x, null);
        double hand = time(reps, () -> loss.evaluate(bc, null, null, true));
        double handLoss = loss.evaluate(bc, null, null, true)[0];

        // SameDiff: the same forward-Laplacian graph, autodiff for the weights.
        int nt = d + 1;
        SameDiff sd = SameDiff.create();
        INDArray a0v = Nd4j.zeros(DataType.DOUBLE, b, nt);
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < d; k++) {
                a0v.putScalar(i, k, p.x[i * d + k]);
            }
            a0v.putScalar(i, d, p.t[i]);
        }
        INDArray seeds = Nd4j.zeros(DataType.DOUBLE, (long) nt * b, nt);
        for (int k = 0; k < nt; k++) {
            for (int i = 0; i < b; i++) {
                seeds.putScalar((long) k * b + i, k, 1.0);
            }
        }
        INDArray coef = Nd4j.zeros(DataType.DOUBLE, 1, nt);
        double[] mu = pde.drift();
        for (int k = 0; k < d; k++) {
            coef.putScalar(0, k, mu[k]);
        }
        coef.putScalar(0, d, 1.0);
        SDVariable a0 = sd.placeHolder("a0", DataType.DOUBLE, b, nt);
        SDVariable ad = sd.placeHolder("seeds", DataType.DOUBLE, (long) nt * b, nt);
        SDVariable c = sd.constant("coef", coef);
        SDVariable act = a0;
        SDVariable s = null;
        String[] names = new String[2 * (depth + 1)];
        for (int l = 0; l <= depth; l++) {
            INDArray wv = Nd4j.createFromArray(net.weight(l)).reshape(net.outWidth(l), net.inWidth(l));
            SDVariable wl = sd.var("W" + l, wv);
            SDVariable bl = sd.var("b" + l, Nd4j.createFromArray(net.bias(l)));
            names[2 * l] = "W" + l;
            names[2 * l + 1] = "b" + l;
            SDVariable z = sd.mmul(act, wl, false, true, false).add(bl);
            SDVariable zd = sd.mmul(ad, wl, false, true, false);
            SDVariable sz = s == null ? null : sd.mmul(s, wl, false, true, false);
            if (l == depth) {
                act = z;
                ad = zd;
                s = sz;
                break;
            }
            SDVariable an = sd.math.tanh(z);
            SDVariable s1 = an.mul(an).rsub(1.0);
            SDVariable s2 = an.mul(s1).mul(-2.0);
            SDVariable zd3 = zd.reshape(nt, b, net.outWidth(l));
            SDVariable ad3 = zd3.mul(s1);
            SDVariable q = zd3.mul(zd3).sum(0);
            SDVariable sn = s1.mul(sz == null ? q.mul(0.0) : sz).add(s2.mul(q));
            act = an;
            ad = ad3.reshape((long) nt * b, net.outWidth(l));
            s = sn;
        }
        SDVariable du = ad.reshape(nt, b);
        SDVariable eps = sd.mmul(c, du).reshape(b).add(s.reshape(b).mul(0.5 * pde.sigma() * pde.sigma()));
        SDVariable lossVar = eps.mul(eps).mean();
        lossVar.markAsLoss();
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("a0", a0v);
        ph.put("seeds", seeds);
        double samediff = time(reps, () -> sd.calculateGradients(ph, names));
        System.out.printf(Locale.ROOT, "d=%d batch=%d widths=%dx%d: hand-written %.1f ms/gradient, SameDiff %.1f ms/gradient "
                + "(%.1fx); loss %.4e%n", d, b, depth, w, hand * 1e3, samediff * 1e3, samediff / hand, handLoss);
    }

    private static double time(int reps, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e9 / reps;
    }
}
