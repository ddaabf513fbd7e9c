package io.scasml.spark;

import io.scasml.kernels.surrogate.Surrogate;

/**
 * Test surrogate: the exact VB solution û = 1/(1 + exp(−(t + Σx))), with closed-form derivatives
 * (φ' = φ(1 − φ), φ'' = φ'(1 − 2φ); ∂t û = ∂x_k û = φ', Δx û = d φ''). Loaded by the job as
 * {@code --surrogate class:io.scasml.spark.VbExactSurrogate}.
 */
public final class VbExactSurrogate implements Surrogate {
    private final int d;

    public VbExactSurrogate(int d) {
        this.d = d;
    }

    @Override
    public int dim() {
        return d;
    }

    private double arg(int i, double[] t, double[] x) {
        double s = t[i];
        for (int k = 0; k < d; k++) {
            s += x[i * d + k];
        }
        return s;
    }

    @Override
    public void value(int n, double[] t, double[] x, double[] u) {
        for (int i = 0; i < n; i++) {
            u[i] = 1 / (1 + Math.exp(-arg(i, t, x)));
        }
    }

    @Override
    public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(-arg(i, t, x)));
            u[i] = p;
            for (int k = 0; k < d; k++) {
                grad[i * d + k] = p * (1 - p);
            }
        }
    }

    @Override
    public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(-arg(i, t, x)));
            double d1 = p * (1 - p);
            u[i] = p;
            dt[i] = d1;
            for (int k = 0; k < d; k++) {
                grad[i * d + k] = d1;
            }
            lap[i] = d * d1 * (1 - 2 * p);
        }
    }
}
