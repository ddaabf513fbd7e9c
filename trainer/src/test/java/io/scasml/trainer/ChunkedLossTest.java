package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.surrogate.Activation;
import org.junit.jupiter.api.Test;

/**
 * The exact PINN loss in chunks (issue 15): a collocation batch whose forward-Laplacian buffers ((d+1)·rows·w per
 * hidden layer) would exceed the budget is processed in chunks; loss and gradient are those of one chunk up to
 * rounding. At d = 10⁴ the default budget bounds the buffers.
 */
class ChunkedLossTest {

    private static double[][] lossAndGradient(Mlp net, Pde pde, int n, double[] t, double[] x, long budget,
                                              int expectChunk) {
        PinnLoss loss = new PinnLoss(net, pde, n, 4, 1, 0, 0, budget);
        assertEquals(expectChunk, loss.residualChunk());
        double[] l = loss.evaluate(new PinnLoss.Batch(n, t, x, null), null, null, true);
        return new double[][] {l, loss.gradient()};
    }

    private static void assertClose(double[][] a, double[][] b) {
        assertEquals(a[0][0], b[0][0], 1e-12 * Math.abs(a[0][0]));
        double scale = 0;
        for (double v : a[1]) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a[1].length; i++) {
            assertEquals(a[1][i], b[1][i], 1e-12 * scale, "gradient " + i);
        }
    }

    @Test
    void chunksGiveTheSameLossAndGradient() {
        int d = 4;
        int n = 10;
        Pde pde = BuiltinPdes.vb(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.TANH, 3);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.03 * i;
        }
        double[] x = GradientCheckTest.points(n, d, 4);
        long row = ForwardLaplacian.bytesPerRow(net);
        double[][] one = lossAndGradient(net, pde, n, t, x, PinnLoss.DEFAULT_SCRATCH_BYTES, n);
        assertClose(one, lossAndGradient(net, pde, n, t, x, 3 * row, 3));
        assertClose(one, lossAndGradient(net, pde, n, t, x, 1, 1));
    }

    /**
     * d = 10⁴ with DR (F without z: a generator in z costs 2d evaluations of F per batch for ∂F/∂z by differences,
     * O(n·d²) — trainer/README.md).
     */
    @Test
    void tenThousandDimensionsWithinTheBudget() {
        int d = 10_000;
        int n = 5;
        Pde pde = BuiltinPdes.dr(d);
        Mlp net = new Mlp(d, new int[] {8, 8}, Activation.TANH);
        net.initGlorot(5);
        double[] t = new double[n];
        double[] x = GradientCheckTest.points(n, d, 6);
        for (int i = 0; i < x.length; i++) {
            x[i] /= Math.sqrt(d);
        }
        long row = ForwardLaplacian.bytesPerRow(net);
        assertTrue(row > 4L * d * 8 * 8 / 2, "bytes per row " + row);
        double[][] chunked = lossAndGradient(net, pde, n, t, x, 2 * row, 2);
        double[][] whole = lossAndGradient(net, pde, n, t, x, PinnLoss.DEFAULT_SCRATCH_BYTES, n);
        assertClose(whole, chunked);
        assertTrue(Double.isFinite(whole[0][0]) && whole[0][0] > 0, "loss " + whole[0][0]);
    }
}
