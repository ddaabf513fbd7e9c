package io.scasml.pde;

/**
 * What a compiled spec provides: F, g and (optionally) the exact solution, per point and on row-major batches (the
 * layout of {@link io.scasml.kernels.pde.Pde}). Implementations are generated from spec files at run time; they are
 * stateless apart from final constant arrays, so they are thread-safe, and they allocate nothing.
 *
 * <p>Public only because runtime-compiled classes, loaded by a child class loader, must see it.
 */
public interface SpecKernels {

    /** F(t, x, u, z) at the point whose coordinates are {@code x[xo..xo+d)} and whose z is {@code z[zo..zo+d)}. */
    double generatorAt(double t, double[] x, int xo, double u, double[] z, int zo);

    /** g(x) at {@code x[xo..xo+d)}. */
    double terminalAt(double[] x, int xo);

    /** The exact solution u(t, x), when the spec gives it as an expression. */
    double exactAt(double t, double[] x, int xo);

    /** Batched {@link #generatorAt}: {@code out[i] = F(t[i], x_i, u[i], z_i)}. */
    void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out);

    /** Batched {@link #terminalAt}. */
    void terminal(int n, double[] x, double[] out);

    /** Batched {@link #exactAt}. */
    void exact(int n, double[] t, double[] x, double[] out);
}
