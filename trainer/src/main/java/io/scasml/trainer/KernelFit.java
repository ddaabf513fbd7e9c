package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Kernel ridge regression of a Gaussian-kernel surrogate on exact values:
 * {@code û(y) = a + b·Σ_j α_j exp(−|y − c_j|²/(2ℓ²))} over y = (x, t), with the centers c_j at collocation points
 * (along paths or on the test domain, as for the PINN) and {@code (K + ηI) α = (u − a)/b} solved by Cholesky
 * (a, b = mean and std of the values). Written as format v1 {@code type: rbf-kernel} with one {@code value} block.
 *
 * <p>Default lengthscale: the median distance between centers (a standard heuristic; the reference GP uses
 * 0.25·√d for VB, docs/algorithm.md §19).
 */
public final class KernelFit {

    /** Options. */
    public static final class Config {
        /** Number of centers (= training points). */
        public int centers = 1024;
        /** Lengthscale; NaN = median heuristic. */
        public double lengthscale = Double.NaN;
        /** Ridge added to the diagonal. */
        public double nugget = 1e-6;
        /** Seed. */
        public long seed = 1234;
        /** paths or domain. */
        public String collocationMode = "paths";
        /** paths mode: share of points in the domain itself. */
        public double domainShare = 0.25;
        /** Held-out domain points. */
        public int testPoints = 1200;
        /** Held-out path points (residual RMS, computed by the caller through surrogate-loader). */
        public int pathTestPoints = 2048;

        /** Provenance. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("centers", centers);
            m.put("lengthscale", Double.isNaN(lengthscale) ? "median heuristic" : lengthscale);
            m.put("nugget", nugget);
            m.put("seed", seed);
            m.put("collocation_mode", collocationMode);
            m.put("domain_share", domainShare);
            m.put("test_points", testPoints);
            return m;
        }
    }

    /** Fit result. */
    public static final class Result {
        /** Centers, row-major N × (d+1), x,t order. */
        public double[] centers;
        /** Weights. */
        public double[] alpha;
        /** ℓ. */
        public double lengthscale;
        /** Output map. */
        public double shift;
        /** Output map. */
        public double scale;
        /** RMS error at the centers. */
        public double trainRmse;
        /** Held-out relative L2 on the test domain. */
        public double testRelL2;
        /** Residual RMS along paths (NaN unless filled in by the caller). */
        public double pathResidualRms = Double.NaN;
    }

    private KernelFit() {
    }

    /**
     * Fits.
     *
     * @throws IllegalArgumentException if the PDE has no exact solution or domain, or options are out of range
     */
    public static Result fit(Pde pde, Config c, Consumer<String> progress) {
        if (!pde.hasExact()) {
            throw new IllegalArgumentException("kind: the kernel fit regresses exact values, and '" + pde.name()
                    + "' has no exact solution; train a PINN (--kind mlp) instead");
        }
        if (pde.domain() == null) {
            throw new IllegalArgumentException("pde: '" + pde.name() + "' has no domain for the collocation points");
        }
        if (c.centers < 2 || c.centers > 20000) {
            throw new IllegalArgumentException("centers: " + c.centers + " must be in [2, 20000]");
        }
        if (!(c.nugget >= 0)) {
            throw new IllegalArgumentException("nugget: " + c.nugget + " must be >= 0");
        }
        int d = pde.dim();
        int n = c.centers;
        long root = StreamKeys.namespace(c.seed, StreamKeys.TRAINING);
        Points p = c.collocationMode.equals("paths")
                ? Points.paths(pde, n, StreamKeys.child(root, StreamKeys.TRAIN_KERNEL_CENTRES), c.domainShare, false)
                : Points.domain(pde.domain(), d, n, StreamKeys.child(root, StreamKeys.TRAIN_KERNEL_CENTRES));
        double[] u = new double[n];
        if (progress != null) {
            progress.accept("kernel fit: exact values at " + n + " centers");
        }
        pde.exact(n, p.t, p.x, u);
        int D = d + 1;
        double[] cen = new double[n * D];
        for (int i = 0; i < n; i++) {
            System.arraycopy(p.x, i * d, cen, i * D, d);
            cen[i * D + d] = p.t[i];
        }
        double[] dist2 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = 0; k < D; k++) {
                    double e = cen[i * D + k] - cen[j * D + k];
                    s += e * e;
                }
                dist2[i * n + j] = s;
                dist2[j * n + i] = s;
            }
        }
        double ell = c.lengthscale;
        if (Double.isNaN(ell)) {
            double[] off = new double[n * (n - 1) / 2];
            int m = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    off[m++] = dist2[i * n + j];
                }
            }
            Arrays.sort(off);
            ell = Math.sqrt(off[off.length / 2]);
        }
        if (!(ell > 0) || !Double.isFinite(ell)) {
            throw new IllegalArgumentException("lengthscale: " + ell + " must be a finite number > 0");
        }
        double mean = 0;
        for (double v : u) {
            mean += v;
        }
        mean /= n;
        double var = 0;
        for (double v : u) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / n);
        if (!(sd > 1e-12)) {
            sd = 1;
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = (u[i] - mean) / sd;
        }
        double inv = 1 / (2 * ell * ell);
        double[] kmat = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            kmat[i] = Math.exp(-dist2[i] * inv);
        }
        double[] a = new double[n * n];
        double nug = c.nugget;
        double[] alpha = null;
        for (int attempt = 0; attempt < 8 && alpha == null; attempt++) {
            System.arraycopy(kmat, 0, a, 0, n * n);
            for (int i = 0; i < n; i++) {
                a[i * n + i] += nug;
            }
            alpha = choleskySolve(a, y.clone(), n);
            if (alpha == null) {
                nug = Math.max(nug * 10, 1e-10);
            }
        }
        if (alpha == null) {
            throw new IllegalArgumentException("kernel matrix is not positive definite even with nugget " + nug);
        }
        Result r = new Result();
        r.centers = cen;
        r.alpha = alpha;
        r.lengthscale = ell;
        r.shift = mean;
        r.scale = sd;
        double se = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += kmat[i * n + j] * alpha[j];
            }
            double e = mean + sd * s - u[i];
            se += e * e;
        }
        r.trainRmse = Math.sqrt(se / n);
        Points test = Points.domain(pde.domain(), d, c.testPoints, StreamKeys.child(root, StreamKeys.TRAIN_KERNEL_TEST));
        double[] ex = new double[test.n];
        pde.exact(test.n, test.t, test.x, ex);
        double[] yy = new double[D];
        double[] v = new double[test.n];
        for (int i = 0; i < test.n; i++) {
            System.arraycopy(test.x, i * d, yy, 0, d);
            yy[d] = test.t[i];
            v[i] = mean + sd * predict(yy, cen, alpha, D, inv);
        }
        r.testRelL2 = io.scasml.kernels.stats.ErrorMetrics.relL2(test.n, v, ex);
        return r;
    }

    static double predict(double[] y, double[] cen, double[] alpha, int D, double inv) {
        double s = 0;
        for (int j = 0; j < alpha.length; j++) {
            double q = 0;
            for (int k = 0; k < D; k++) {
                double e = y[k] - cen[j * D + k];
                q += e * e;
            }
            s += alpha[j] * Math.exp(-q * inv);
        }
        return s;
    }

    /** Solves A x = b for symmetric positive definite A (overwritten); returns null if not positive definite. */
    static double[] choleskySolve(double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= a[j * n + k] * a[j * n + k];
            }
            if (!(s > 0)) {
                return null;
            }
            double ljj = Math.sqrt(s);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = t / ljj;
            }
        }
        for (int i = 0; i < n; i++) {
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= a[i * n + k] * b[k];
            }
            b[i] = t / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = b[i];
            for (int k = i + 1; k < n; k++) {
                t -= a[k * n + i] * b[k];
            }
            b[i] = t / a[i * n + i];
        }
        return b;
    }
}
