package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.surrogate.Activation;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written reverse pass through the forward Laplacian against central finite differences (FP64). */
class GradientCheckTest {

    static Mlp randomNet(int d, Activation act, long seed) {
        Mlp net = new Mlp(d, new int[] {6, 5}, act);
        net.initGlorot(seed);
        UniformRandomProvider r = StreamKeys.stream(seed + 17);
        double[] p = net.getParams();
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.2 * (r.nextDouble() - 0.5); // non-zero biases too
        }
        net.setParams(p);
        double[] sh = new double[d + 1];
        double[] sc = new double[d + 1];
        for (int k = 0; k <= d; k++) {
            sh[k] = 0.3 * (r.nextDouble() - 0.5);
            sc[k] = 0.5 + r.nextDouble();
        }
        net.setInputMap(sh, sc);
        net.setOutputMap(0.4, 1.7);
        return net;
    }

    static double[] points(int n, int d, long seed) {
        UniformRandomProvider r = StreamKeys.stream(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() - 0.5;
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"vb,tanh", "vb,sin", "lqg,softplus", "dr,silu", "lcd,tanh"})
    void lossGradientMatchesFiniteDifferences(String pdeName, String actName) {
        int d = 3;
        Pde pde = BuiltinPdes.byName(pdeName, d);
        Mlp net = randomNet(d, Activation.parse(actName), 11);
        int n = 7;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.1 + 0.05 * i;
        }
        double[] x = points(n, d, 5);
        double[] xt = points(4, d, 6);
        double[] g = new double[4];
        pde.terminal(4, xt, g);
        double[] xd = points(3, d, 7);
        double[] td = {0.1, 0.2, 0.3};
        double[] ud = {0.5, -0.2, 0.9};
        // capacities larger than the batches exercise the zero padding
        PinnLoss loss = new PinnLoss(net, pde, 9, 5, 1.0, 0.7, 0.3);
        PinnLoss.Batch bc = new PinnLoss.Batch(n, t, x, null);
        PinnLoss.Batch bt = new PinnLoss.Batch(4, new double[4], xt, g);
        PinnLoss.Batch bd = new PinnLoss.Batch(3, td, xd, ud);
        loss.evaluate(bc, bt, bd, true);
        double[] grad = loss.gradient();
        double[] p = net.getParams();
        double maxErr = 0;
        double maxG = 0;
        for (int i = 0; i < p.length; i++) {
            double h = 1e-5;
            double[] q = p.clone();
            q[i] = p[i] + h;
            net.setParams(q);
            double lp = loss.evaluate(bc, bt, bd, false)[0];
            q[i] = p[i] - h;
            net.setParams(q);
            double lm = loss.evaluate(bc, bt, bd, false)[0];
            double fd = (lp - lm) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
            maxG = Math.max(maxG, Math.abs(grad[i]));
        }
        net.setParams(p);
        assertTrue(maxG > 1e-3, "gradient is not trivially zero");
        assertTrue(maxErr <= 1e-6 * Math.max(1, maxG), pdeName + "/" + actName + ": max |fd − grad| = " + maxErr
                + " (max |grad| = " + maxG + ")");
    }

    @ParameterizedTest
    @CsvSource({"tanh", "sin", "softplus", "silu"})
    void forwardLaplacianMatchesFiniteDifferences(String actName) {
        int d = 3;
        Pde pde = BuiltinPdes.byName("vb", d);
        Mlp net = randomNet(d, Activation.parse(actName), 3);
        PinnLoss loss = new PinnLoss(net, pde, 4, 4, 1, 1, 1);
        int n = 4;
        double[] t = {0.05, 0.2, 0.33, 0.45};
        double[] x = points(n, d, 9);
        double[][] terms = loss.terms(n, t, x);
        double h = 1e-4;
        for (int i = 0; i < n; i++) {
            double[] ti = {t[i]};
            double[] xi = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
            double u0 = loss.values(1, ti, xi)[0];
            assertEquals(u0, terms[0][i], 1e-12);
            double lap = 0;
            for (int k = 0; k < d; k++) {
                double[] xp = xi.clone();
                xp[k] += h;
                double[] xm = xi.clone();
                xm[k] -= h;
                double up = loss.values(1, ti, xp)[0];
                double um = loss.values(1, ti, xm)[0];
                assertEquals((up - um) / (2 * h), terms[2][i * d + k], 1e-7, "∂x" + k);
                lap += (up - 2 * u0 + um) / (h * h);
            }
            assertEquals(lap, terms[3][i], 1e-5, "Laplacian");
            double upt = loss.values(1, new double[] {t[i] + h}, xi)[0];
            double umt = loss.values(1, new double[] {t[i] - h}, xi)[0];
            assertEquals((upt - umt) / (2 * h), terms[1][i], 1e-7, "∂t");
        }
    }
}
