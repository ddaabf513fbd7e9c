package io.scasml.spark;

import io.scasml.kernels.surrogate.AnalyticSurrogates;
import io.scasml.kernels.surrogate.Surrogate;

/**
 * Test surrogate: the exact VB solution plus 0.2·cos(t + 2·Σx/√d) (AnalyticSurrogates.perturbed): SCaSML with it
 * has a real correction and error bar, so guarded runs get weights strictly between 0 and 1. Loaded by the job as
 * {@code --surrogate class:io.scasml.spark.PerturbedVbSurrogate}.
 */
public final class PerturbedVbSurrogate implements Surrogate {
    static final double AMPLITUDE = 0.2;
    static final double OMEGA = 2.0;
    private final Surrogate s;

    public PerturbedVbSurrogate(int d) {
        this.s = of(d);
    }

    /** The same surrogate for the engine's reference runs. */
    static Surrogate of(int d) {
        return AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), AMPLITUDE, OMEGA);
    }

    @Override
    public int dim() {
        return s.dim();
    }

    @Override
    public void value(int n, double[] t, double[] x, double[] u) {
        s.value(n, t, x, u);
    }

    @Override
    public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
        s.valueAndGradient(n, t, x, u, grad);
    }

    @Override
    public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad, double[] lap) {
        s.residualTerms(n, t, x, u, dt, grad, lap);
    }
}
