package io.scasml.trainer;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.surrogate.Activation;
import java.util.Locale;

/**
 * Times one residual-loss gradient evaluation (one training step's collocation part) exact against the randomized loss
 * (docs/algorithm.md §24.2), in the same JVM run, interleaved, medians of reps. Usage:
 * {@code RandomizedStepBench pde d batch width depth K reps} (pde: vb, lcd, dr, ...; points of size 1/√d).
 */
final class RandomizedStepBench {
    private RandomizedStepBench() {
    }

    public static void main(String[] a) {
        String name = a[0];
        int d = Integer.parseInt(a[1]);
        int b = Integer.parseInt(a[2]);
        int w = Integer.parseInt(a[3]);
        int depth = Integer.parseInt(a[4]);
        int k = Integer.parseInt(a[5]);
        int reps = Integer.parseInt(a[6]);
        Pde pde = BuiltinPdes.byName(name, d);
        int[] widths = new int[depth];
        java.util.Arrays.fill(widths, w);
        Mlp net = new Mlp(d, widths, Activation.TANH);
        net.initGlorot(1);
        double[] t = new double[b];
        double[] x = new double[b * d];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < b; i++) {
            t[i] = r.nextDouble() * pde.horizon();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() / Math.sqrt(d);
        }
        PinnLoss.Batch bc = new PinnLoss.Batch(b, t, x, null);
        PinnLoss rnd = new PinnLoss(net, pde, b, 16, 1, 0, 0, PinnLoss.DEFAULT_SCRATCH_BYTES, k, ProbeKind.RADEMACHER);
        PinnLoss ex = new PinnLoss(net, pde, b, 16, 1, 0, 0);
        Runnable fr = () -> rnd.evaluate(bc, null, null, true);
        Runnable fe = () -> ex.evaluate(bc, null, null, true);
        for (int i = 0; i < 2; i++) {
            fr.run();
            fe.run();
        }
        // Interleaved, medians: the machine is shared.
        double[] sr = new double[reps];
        double[] se = new double[reps];
        for (int i = 0; i < reps; i++) {
            sr[i] = time(fr);
            se[i] = time(fe);
        }
        double tr = median(sr);
        double te = median(se);
        System.out.printf(Locale.ROOT, "%s d=%d batch=%d widths=%dx%d: exact %.1f ms/step (chunk %d), hutchinson:%d %.1f"
                + " ms/step (chunk %d), ratio %.1fx%n", name, d, b, depth, w, te * 1e3, ex.residualChunk(), k,
                tr * 1e3, rnd.residualChunk(), te / tr);
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }
}
