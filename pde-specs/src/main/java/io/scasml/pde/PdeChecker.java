package io.scasml.pde;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Checks a PDE on random points of its test domain ({@code check-pde}).
 *
 * <ol>
 *   <li>g, F at (t, x, u = g(x), z = σ·N(0, I)) and a closed-form exact solution are finite at every point; the first
 *       point where one is not (NaN, ±Infinity, or an evaluation error such as a computed index out of range) is
 *       reported on one line naming the function, its value and the point, and makes the exit code
 *       {@value #EXIT_NONFINITE} (the other checks are then skipped: their values would be meaningless);</li>
 *   <li>when a closed-form exact solution is given: the residual
 *       {@code r = ∂t u + μ·∇u + (σ²/2) Δu + F(t, x, u, σ∇u)} by central differences with one Richardson step
 *       (steps h and h/2, h = {@value #STEP}; error O(h⁴)), relative to the size of its terms
 *       {@code |∂t u| + Σ|μ_k ∂_k u| + (σ²/2) Σ|∂²_k u| + |F| + |u|}, must not exceed {@value #RESIDUAL_TOL};
 *       Monte Carlo references (Cole–Hopf) are not differentiated — their noise is far above the step's resolution;</li>
 *   <li>the terminal condition: |u(T, x) − g(x)| ≤ {@value #TERMINAL_TOL}·(1 + |g|);</li>
 *   <li>each published reference value for this dimension, when an exact solution is given, is matched within its
 *       tolerance; without an exact solution it is listed for use with a solver run.</li>
 * </ol>
 */
public final class PdeChecker {
    /** Finite-difference step (in t and in each x_k). */
    public static final double STEP = 1e-2;
    /** Largest accepted relative residual. */
    public static final double RESIDUAL_TOL = 1e-6;
    /** Largest accepted relative terminal mismatch. */
    public static final double TERMINAL_TOL = 1e-10;
    /** Exit code of {@code check-pde}: every check passed. */
    public static final int EXIT_PASS = 0;
    /** Exit code of {@code check-pde}: a check failed (residual, terminal condition, reference value). */
    public static final int EXIT_FAILED = 1;
    /** Exit code of {@code check-pde}: the spec was refused (bad input). */
    public static final int EXIT_REFUSED = 2;
    /** Exit code of {@code check-pde}: g, F or the exact solution is not finite at a checked point. */
    public static final int EXIT_NONFINITE = 3;

    /**
     * What {@link #check} found.
     *
     * @param pde              the PDE's name
     * @param dim              d
     * @param points           number of points checked
     * @param seed             seed of the points
     * @param residualChecked  whether the residual was computed (closed-form exact solution)
     * @param maxResidual      largest |r| (NaN when not computed)
     * @param rmsResidual      root mean square of r (NaN when not computed)
     * @param maxRelResidual   largest |r| / (size of its terms) (NaN when not computed)
     * @param maxTerminalError largest |u(T, x) − g(x)| (NaN without exact solution)
     * @param notes            what was checked or skipped, one line each
     * @param problems         failures, one line each
     * @param pass             true when {@code problems} is empty
     * @param nonFinite        the line describing the first point where g, F or the exact solution is not finite, or
     *                         null when all are finite (it is also the first of {@code problems})
     */
    public record Report(String pde, int dim, int points, long seed, boolean residualChecked, double maxResidual,
                         double rmsResidual, double maxRelResidual, double maxTerminalError, List<String> notes,
                         List<String> problems, boolean pass, String nonFinite) {

        /** {@link #EXIT_PASS}, {@link #EXIT_NONFINITE} or {@link #EXIT_FAILED}. */
        public int exitCode() {
            return pass ? EXIT_PASS : nonFinite != null ? EXIT_NONFINITE : EXIT_FAILED;
        }

        /** A printable multi-line summary. */
        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "check-pde %s: d = %d, %d points (seed %d)%n", pde, dim, points, seed));
            if (residualChecked) {
                s.append(String.format(Locale.ROOT, "  PDE residual: max %.3e, rms %.3e, max relative %.3e (tolerance %.0e)%n",
                    maxResidual, rmsResidual, maxRelResidual, RESIDUAL_TOL));
            }
            if (!Double.isNaN(maxTerminalError)) {
                s.append(String.format(Locale.ROOT, "  terminal condition: max |u(T,x) - g(x)| = %.3e%n", maxTerminalError));
            }
            for (String n : notes) {
                s.append("  ").append(n).append(System.lineSeparator());
            }
            for (String p : problems) {
                s.append("  FAIL: ").append(p).append(System.lineSeparator());
            }
            s.append(pass ? "  PASS" : "  FAILED").append(System.lineSeparator());
            return s.toString();
        }
    }

    private PdeChecker() {
    }

    /**
     * Checks {@code pde} on {@code points} random points of its domain drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if {@code points < 1}
     */
    public static Report check(Pde pde, long seed, int points) {
        if (points < 1) {
            throw new IllegalArgumentException("points: " + points + " must be >= 1");
        }
        int d = pde.dim();
        int n = points;
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // The points come from the one domain sampler (the same as `solve --points sample:N`); the gradients
        // z from a stream of their own.
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(seed));
        double[] t = new double[n];
        double[] x = new double[n * d];
        List<io.scasml.kernels.picard.QueryPoint> sampled =
            io.scasml.kernels.pde.PointSampler.sample(pde.domain(), d, n, seed);
        for (int i = 0; i < n; i++) {
            t[i] = sampled.get(i).t();
            System.arraycopy(sampled.get(i).x(), 0, x, i * d, d);
        }
        double[] g = new double[n];
        double[] f = new double[n];
        double[] z = new double[n * d];
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int k = 0; k < n * d; k++) {
            z[k] = pde.sigma() * gauss.sample();
        }
        boolean spec = pde instanceof SpecPde;
        boolean monteCarlo = spec && ((SpecPde) pde).exactIsNumerical();
        String nonFinite = firstNonFinite(pde, n, t, x, z, g, f, pde.hasExact() && !monteCarlo);
        if (nonFinite != null) {
            problems.add(nonFinite);
            notes.add("residual, terminal condition and references not checked: a value is not finite");
            return new Report(pde.name(), d, n, seed, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Collections.unmodifiableList(notes), Collections.unmodifiableList(problems), false, nonFinite);
        }
        notes.add("g, F" + (pde.hasExact() && !monteCarlo ? " and the exact solution" : "") + " are finite at all " + n
            + " points");
        double maxRes = Double.NaN;
        double rms = Double.NaN;
        double maxRel = Double.NaN;
        double maxTerm = Double.NaN;
        boolean residual = false;
        if (!pde.hasExact()) {
            notes.add("no exact solution: residual not checked");
        } else {
            try {
                double[] tt = new double[n];
                double[] ue = new double[n];
                java.util.Arrays.fill(tt, pde.horizon());
                String failed = null;
                try {
                    pde.exact(n, tt, x, ue);
                } catch (RuntimeException e) {
                    failed = "not finite: exact solution u(T, x) fails (" + io.scasml.io.Messages.oneLine(e) + ")";
                }
                for (int i = 0; i < n; i++) {
                    if (failed != null || !Double.isFinite(ue[i])) {
                        String line = failed != null ? failed : "not finite: exact solution u(T, x) = " + ue[i]
                            + " at point " + i + " of " + n + " (x = " + SpecPde.vec(x, i * d, d) + ")";
                        problems.add(line);
                        return new Report(pde.name(), d, n, seed, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                            Collections.unmodifiableList(notes), Collections.unmodifiableList(problems), false, line);
                    }
                }
                maxTerm = 0;
                for (int i = 0; i < n; i++) {
                    double e = Math.abs(ue[i] - g[i]);
                    maxTerm = Math.max(maxTerm, e);
                    if (!(e <= TERMINAL_TOL * (1 + Math.abs(g[i])))) {
                        problems.add(String.format(Locale.ROOT, "terminal condition: u(T, x) = %.17g but g(x) = %.17g at point %d",
                            ue[i], g[i], i));
                        break;
                    }
                }
                if (monteCarlo) {
                    notes.add(((SpecPde) pde).exactIsMonteCarlo()
                        ? "exact solution is a Monte Carlo reference (Cole-Hopf): residual not differentiated"
                        : "exact solution is a finite-difference reference (radial): residual not differentiated");
                } else {
                    double[] r = residuals(pde, n, t, x);
                    residual = true;
                    maxRes = 0;
                    maxRel = 0;
                    double sq = 0;
                    int worst = -1;
                    for (int i = 0; i < n; i++) {
                        maxRes = Math.max(maxRes, Math.abs(r[2 * i]));
                        sq += r[2 * i] * r[2 * i];
                        if (!(r[2 * i + 1] <= maxRel)) {
                            maxRel = r[2 * i + 1];
                            worst = i;
                        }
                    }
                    rms = Math.sqrt(sq / n);
                    if (!(maxRel <= RESIDUAL_TOL)) {
                        problems.add(String.format(Locale.ROOT,
                            "PDE residual: relative %.3e > %.0e at point %d (t = %s, x = %s)", maxRel, RESIDUAL_TOL, worst,
                            t[worst], SpecPde.vec(x, worst * d, d)));
                    }
                }
            } catch (RuntimeException e) {
                problems.add(String.valueOf(e.getMessage()));
            }
        }
        if (spec) {
            references((SpecPde) pde, notes, problems);
        }
        return new Report(pde.name(), d, n, seed, residual, maxRes, rms, maxRel, maxTerm,
            Collections.unmodifiableList(notes), Collections.unmodifiableList(problems), problems.isEmpty(), null);
    }

    /**
     * Evaluates g, F (at u = g) and, if asked, the exact solution one point at a time, filling {@code g} and {@code f};
     * returns the line describing the first point where a value is not finite or the evaluation fails, else null.
     */
    private static String firstNonFinite(Pde pde, int n, double[] t, double[] x, double[] z, double[] g, double[] f,
                                         boolean exact) {
        int d = pde.dim();
        double[] out = new double[1];
        for (int p = 0; p < n; p++) {
            final int i = p;
            double[] xi = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
            double[] zi = java.util.Arrays.copyOfRange(z, i * d, i * d + d);
            String where = String.format(Locale.ROOT, "at point %d of %d (t = %s, x = %s", i, n, t[i], SpecPde.vec(xi, 0, d));
            String bad = eval(() -> pde.terminal(1, xi, out), out, "terminal g(x)");
            if (bad != null) {
                return bad + " " + where + ")";
            }
            g[i] = out[0];
            final double gi = out[0];
            bad = eval(() -> pde.generator(1, new double[] {t[i]}, xi, new double[] {gi}, zi, out), out,
                "generator F(t, x, u, z)");
            if (bad != null) {
                return bad + " " + where + ", u = g(x) = " + g[i] + ", z = " + SpecPde.vec(zi, 0, d) + ")";
            }
            f[i] = out[0];
            if (exact) {
                bad = eval(() -> pde.exact(1, new double[] {t[i]}, xi, out), out, "exact solution u(t, x)");
                if (bad != null) {
                    return bad + " " + where + ")";
                }
            }
        }
        return null;
    }

    private static String eval(Runnable r, double[] out, String what) {
        out[0] = Double.NaN;
        try {
            r.run();
        } catch (RuntimeException e) {
            return "not finite: " + what + " fails (" + io.scasml.io.Messages.oneLine(e) + ")";
        }
        return Double.isFinite(out[0]) ? null : "not finite: " + what + " = " + out[0];
    }

    private static void references(SpecPde pde, List<String> notes, List<String> problems) {
        for (Reference ref : pde.references()) {
            if (!ref.applies()) {
                notes.add("reference for d = " + ref.dim() + " not checked at d = " + pde.dim());
                continue;
            }
            if (!pde.hasExact()) {
                notes.add("reference " + ref + ": no exact solution to compare; use it to check a solver run");
                continue;
            }
            double[] out = new double[1];
            pde.exact(1, new double[] {ref.t()}, ref.x(), out);
            double err = Math.abs(out[0] - ref.value());
            String line = String.format(Locale.ROOT, "reference u(%s, x) = %s, exact gives %.6g (|diff| %.2e, tolerance %.2e) [%s]",
                ref.t(), ref.value(), out[0], err, ref.tolerance(), ref.source());
            if (err <= ref.tolerance()) {
                notes.add(line);
            } else {
                problems.add(line);
            }
        }
    }

    /**
     * Rows of one batched call of the exact solution in {@link #residuals}, bounded so that the finite-difference
     * batch (rows × d coordinates) stays near 2²¹ values whatever d: at d = 10⁴ the 4d + 5 rows of one point would
     * otherwise be 4·10⁸ values.
     */
    static int coordinatesPerBlock(int d) {
        return Math.max(1, Math.min(d, (1 << 19) / Math.max(1, d)));
    }

    /** For each point: {r, |r| / scale}. */
    private static double[] residuals(Pde pde, int n, double[] t, double[] x) {
        int d = pde.dim();
        double h = STEP;
        double[] mu = pde.drift();
        double sigma = pde.sigma();
        // rows of the centre block: 0 centre; 1,2 t±h; 3,4 t±h/2; rows of a coordinate block of kb coordinates:
        // per k: x_k+h, x_k-h, x_k+h/2, x_k-h/2 (memory O(kb·d), not O(d²))
        int kb = coordinatesPerBlock(d);
        int rows = Math.max(5, 4 * kb);
        double[] bt = new double[rows];
        double[] bx = new double[rows * d];
        double[] bu = new double[rows];
        double[] out = new double[2 * n];
        double[] grad = new double[d];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 5; r++) {
                bt[r] = t[i];
                System.arraycopy(x, i * d, bx, r * d, d);
            }
            bt[1] += h;
            bt[2] -= h;
            bt[3] += h / 2;
            bt[4] -= h / 2;
            pde.exact(5, bt, bx, bu);
            double u0 = bu[0];
            double ut = richardson((bu[1] - bu[2]) / (2 * h), (bu[3] - bu[4]) / h);
            double drift = 0;
            double driftAbs = 0;
            double lap = 0;
            double lapAbs = 0;
            for (int k0 = 0; k0 < d; k0 += kb) {
                int nk = Math.min(kb, d - k0);
                for (int r = 0; r < 4 * nk; r++) {
                    bt[r] = t[i];
                    System.arraycopy(x, i * d, bx, r * d, d);
                }
                for (int j = 0; j < nk; j++) {
                    int k = k0 + j;
                    int r = 4 * j;
                    bx[r * d + k] += h;
                    bx[(r + 1) * d + k] -= h;
                    bx[(r + 2) * d + k] += h / 2;
                    bx[(r + 3) * d + k] -= h / 2;
                }
                pde.exact(4 * nk, bt, bx, bu);
                for (int j = 0; j < nk; j++) {
                    int k = k0 + j;
                    int r = 4 * j;
                    double dk = richardson((bu[r] - bu[r + 1]) / (2 * h), (bu[r + 2] - bu[r + 3]) / h);
                    double sk = richardson((bu[r] - 2 * u0 + bu[r + 1]) / (h * h),
                        (bu[r + 2] - 2 * u0 + bu[r + 3]) / (h * h / 4));
                    grad[k] = sigma * dk;
                    drift += mu[k] * dk;
                    driftAbs += Math.abs(mu[k] * dk);
                    lap += sk;
                    lapAbs += Math.abs(sk);
                }
            }
            double[] fo = new double[1];
            pde.generator(1, new double[] {t[i]}, java.util.Arrays.copyOfRange(x, i * d, i * d + d), new double[] {u0}, grad, fo);
            double c = sigma * sigma / 2;
            double r = ut + drift + c * lap + fo[0];
            double scale = Math.abs(ut) + driftAbs + c * lapAbs + Math.abs(fo[0]) + Math.abs(u0);
            out[2 * i] = r;
            out[2 * i + 1] = scale > 0 ? Math.abs(r) / scale : Math.abs(r);
        }
        return out;
    }

    /** One Richardson step for a central difference of order h²: (4 D(h/2) − D(h)) / 3. */
    private static double richardson(double coarse, double fine) {
        return (4 * fine - coarse) / 3;
    }
}
