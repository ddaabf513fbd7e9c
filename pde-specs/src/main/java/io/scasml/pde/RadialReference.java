package io.scasml.pde;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Reference solution of a radial equation by finite differences in (t, s), s = ‖x‖² (docs/algorithm.md §24.4): for
 * μ = 0, a terminal condition g(x) = G(‖x‖²) and a generator F(t, u) that depends on neither x nor z, the solution is
 * u(t, x) = v(t, ‖x‖²) with
 *
 * <pre>  v_t + 2σ² s v_ss + σ² d v_s + F(t, v) = 0,   v(T, s) = G(s),   s ≥ 0</pre>
 *
 * ((σ²/2)Δu = (σ²/2)(4 s v_ss + 2 d v_s)). In backward time τ = T − t this is v_τ = L v + F: solved by the IMEX
 * BDF2 scheme (SBDF2: L implicit, F extrapolated, one IMEX Euler start step) on a uniform s-grid [0, S]; v_ss central;
 * v_s central where that keeps the matrix an M-matrix (d·h ≤ 4s) and first-order upwind (from the right: in τ the
 * drift carries values from large s to small s) below, where the diffusion 2σ²s vanishes — there the solution varies
 * on the scale of s + σ²dτ, so the O(h) term is ≪ the tolerance (the tests measure the grid error by halving h).
 * At s = 0 the equation degenerates to v_τ = σ²d v_s + F and needs no boundary condition; at S a Dirichlet value
 * from the characteristic (v = the ODE v' = F from G(S + σ²dτ)) — S is far enough
 * (s_max + 2σ²dT + 16 standard deviations of ‖X_T‖²) that its error cannot reach the stored region s ≤ s_max, as the
 * values move left at speed σ²d and spread by the standard deviation. The tridiagonal system is constant in τ and
 * is factored once (Thomas). Immutable after construction; values at s ≤ {@link #sMax()} are stored for every time
 * level (linear in τ, cubic Lagrange in s between the nodes).
 */
final class RadialReference {
    private final double horizon;
    private final double h;
    private final double dtau;
    private final int steps;
    private final int stored;
    private final double sMax;
    /** v[level][j], level 0 = τ = 0 (t = T), j = 0..stored-1. */
    private final double[][] v;

    /**
     * Solves the radial equation.
     *
     * @param d        dimension
     * @param sigma    σ
     * @param horizon  T
     * @param terminal G(s)
     * @param gen      F(t, u)
     * @param sMax     the largest s = ‖x‖² whose values are stored
     * @param sPoints  grid intervals on [0, S]
     * @param tSteps   time steps on [0, T]
     */
    RadialReference(int d, double sigma, double horizon, DoubleUnaryOperator terminal, DoubleBinaryOperator gen,
                    double sMax, int sPoints, int tSteps) {
        if (!(sMax >= 0) || sPoints < 8 || tSteps < 2 || !(horizon > 0)) {
            throw new IllegalArgumentException("radial reference: bad grid (sMax " + sMax + ", " + sPoints + " x "
                + tSteps + ", T " + horizon + ")");
        }
        this.horizon = horizon;
        double s2 = sigma * sigma;
        double b = s2 * d;
        double sd = Math.sqrt(2 * s2 * s2 * d * horizon * horizon + 4 * s2 * (sMax + b * horizon) * horizon);
        double bigS = sMax + 2 * b * horizon + 16 * sd + 10 * s2 * horizon + 1;
        int n = sPoints;
        this.h = bigS / n;
        this.steps = tSteps;
        this.dtau = horizon / tSteps;
        this.stored = Math.min(n + 1, Math.max(4, (int) Math.ceil(sMax / h) + 3));
        this.sMax = sMax;
        // -L as a tridiagonal (lo, di, up) on nodes 0..n-1 (node n is the Dirichlet node).
        double[] lo = new double[n];
        double[] di = new double[n];
        double[] up = new double[n];
        for (int j = 0; j < n; j++) {
            double a = 2 * s2 * j * h;
            double l;
            double c;
            double r;
            if (d * h <= 4 * j * h && j > 0) { // central v_s: monotone
                l = a / (h * h) - b / (2 * h);
                c = -2 * a / (h * h);
                r = a / (h * h) + b / (2 * h);
            } else { // first-order upwind from the right
                l = a / (h * h);
                c = -2 * a / (h * h) - b / h;
                r = a / (h * h) + b / h;
            }
            lo[j] = -l;
            di[j] = -c;
            up[j] = -r;
        }
        // Matrices: Euler start (1/Δ)I − L; BDF2 (3/(2Δ))I − L. Factor both (Thomas: store the modified diagonals).
        double[] e1 = factor(lo, di, up, 1 / dtau);
        double[] e2 = factor(lo, di, up, 1.5 / dtau);
        double[] cur = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            cur[j] = terminal.applyAsDouble(j * h);
        }
        double[] prev = cur.clone();
        double[] next = new double[n + 1];
        double[] rhs = new double[n];
        v = new double[tSteps + 1][];
        v[0] = java.util.Arrays.copyOf(cur, stored);
        double[] fCur = new double[n + 1];
        double[] fPrev = new double[n + 1];
        for (int k = 1; k <= tSteps; k++) {
            double tau = k * dtau;
            double tOld = horizon - (k - 1) * dtau;
            for (int j = 0; j < n; j++) {
                fCur[j] = gen.applyAsDouble(tOld, cur[j]);
            }
            double bc = boundary(terminal, gen, bigS + b * tau, tau, horizon);
            double[] e;
            if (k == 1) {
                for (int j = 0; j < n; j++) {
                    rhs[j] = cur[j] / dtau + fCur[j];
                }
                e = e1;
            } else {
                double tPrev = horizon - (k - 2) * dtau;
                for (int j = 0; j < n; j++) {
                    fPrev[j] = gen.applyAsDouble(tPrev, prev[j]);
                    rhs[j] = (4 * cur[j] - prev[j]) / (2 * dtau) + 2 * fCur[j] - fPrev[j];
                }
                e = e2;
            }
            rhs[n - 1] -= up[n - 1] * bc;
            solve(lo, up, e, rhs, next);
            next[n] = bc;
            double[] tmp = prev;
            prev = cur;
            cur = next;
            next = tmp;
            v[k] = java.util.Arrays.copyOf(cur, stored);
        }
    }

    /** The value at the far node: the ODE v' = F along the characteristic, from G(s + σ²dτ), by RK4. */
    private static double boundary(DoubleUnaryOperator g, DoubleBinaryOperator f, double sEnd, double tau, double horizon) {
        double y = g.applyAsDouble(sEnd);
        int m = 16;
        double dt = tau / m;
        double t = horizon;
        for (int i = 0; i < m; i++) { // backward in t
            double k1 = f.applyAsDouble(t, y);
            double k2 = f.applyAsDouble(t - dt / 2, y + dt / 2 * k1);
            double k3 = f.applyAsDouble(t - dt / 2, y + dt / 2 * k2);
            double k4 = f.applyAsDouble(t - dt, y + dt * k3);
            y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            t -= dt;
        }
        return y;
    }

    /** Thomas factorisation of (shift·I + tridiag(lo, di, up)): the pivots. */
    private static double[] factor(double[] lo, double[] di, double[] up, double shift) {
        int n = di.length;
        double[] e = new double[n];
        e[0] = di[0] + shift;
        for (int j = 1; j < n; j++) {
            e[j] = di[j] + shift - lo[j] * up[j - 1] / e[j - 1];
        }
        return e;
    }

    private static void solve(double[] lo, double[] up, double[] e, double[] rhs, double[] out) {
        int n = e.length;
        double[] y = out;
        y[0] = rhs[0];
        for (int j = 1; j < n; j++) {
            y[j] = rhs[j] - lo[j] / e[j - 1] * y[j - 1];
        }
        y[n - 1] = y[n - 1] / e[n - 1];
        for (int j = n - 2; j >= 0; j--) {
            y[j] = (y[j] - up[j] * y[j + 1]) / e[j];
        }
    }

    /** The largest s stored. */
    double sMax() {
        return sMax;
    }

    /** v(t, s) for 0 ≤ t ≤ T and 0 ≤ s ≤ {@link #sMax()}. */
    double value(double t, double s) {
        if (!(s >= 0 && s <= sMax * (1 + 1e-12) + 1e-300)) {
            throw new IllegalArgumentException("radial reference: |x|^2 = " + s + " is outside the solved range [0, "
                + sMax + "]");
        }
        double tau = Math.min(Math.max(horizon - t, 0), horizon);
        double q = tau / dtau;
        int k = Math.min((int) q, steps - 1);
        double w = q - k;
        return (1 - w) * interp(v[k], s) + w * interp(v[k + 1], s);
    }

    private double interp(double[] row, double s) {
        double q = s / h;
        int j0 = Math.max(0, Math.min((int) q - 1, stored - 4));
        double r = 0;
        for (int a = 0; a < 4; a++) {
            double l = 1;
            for (int c = 0; c < 4; c++) {
                if (c != a) {
                    l *= (q - (j0 + c)) / (double) (a - c);
                }
            }
            r += l * row[j0 + a];
        }
        return r;
    }
}
