package io.scasml.spark;

import io.scasml.kernels.surrogate.Surrogate;

/**
 * Test surrogate that overflows: the VB solution of {@link VbExactSurrogate} where x0 &lt; 50, +Infinity (value,
 * gradient and residual terms) where x0 &ge; 50. A query point at x0 = 100 gets status {@code nonfinite_surrogate};
 * points near the origin, whose paths stay far from x0 = 50, are computed as usual. Loaded as
 * {@code --surrogate class:io.scasml.spark.OverflowSurrogate}.
 */
public final class OverflowSurrogate implements Surrogate {
    private final VbExactSurrogate vb;
    private final int d;

    public OverflowSurrogate(int d) {
        this.d = d;
        this.vb = new VbExactSurrogate(d);
    }

    @Override
    public int dim() {
        return d;
    }

    /** Sets entries i (width 1) of {@code one} and i·d … i·d+d−1 of {@code perDim} to +Infinity where x0 >= 50. */
    private void overflow(int n, double[] x, double[][] one, double[][] perDim) {
        for (int i = 0; i < n; i++) {
            if (x[i * d] >= 50) {
                for (double[] o : one) {
                    o[i] = Double.POSITIVE_INFINITY;
                }
                for (double[] o : perDim) {
                    java.util.Arrays.fill(o, i * d, i * d + d, Double.POSITIVE_INFINITY);
                }
            }
        }
    }

    @Override
    public void value(int n, double[] t, double[] x, double[] u) {
        vb.value(n, t, x, u);
        overflow(n, x, new double[][] {u}, new double[0][]);
    }

    @Override
    public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
        vb.valueAndGradient(n, t, x, u, grad);
        overflow(n, x, new double[][] {u}, new double[][] {grad});
    }

    @Override
    public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        vb.residualTerms(n, t, x, u, dt, grad, lap);
        overflow(n, x, new double[][] {u, dt, lap}, new double[][] {grad});
    }
}
