package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.Residuals;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.EvalOptions;
import io.scasml.surrogate.RbfModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Gaussian-process (kernel) collocation that <b>solves</b> the PDE: no solution values are used, only the equation
 * (μ, σ, F) and the terminal condition g.
 *
 * <h2>Formulation</h2>
 * The unknown u lives in the RKHS of the Gaussian kernel κ(y, y') = exp(−|y − y'|²/(2ℓ²)) over y = (x, t) ∈ R^{d+1}
 * (time an ordinary coordinate), with a constant prior mean c₀ = mean of g at the terminal points (u = c₀ + v). With
 * interior collocation points y_i = (t_i, x_i), i &lt; N, and terminal points (T, x_j), j &lt; M, the latent variables
 * are the values of the linear functionals
 * <pre>
 *   φ = [ δ_{y_i} (N),  δ_{(T,x_j)} (M),  D_{y_i} (N, only if F uses z),  L_{y_i} (N) ],
 *   D = Σ_k ∂_{x_k}  (the divergence functional),   L = ∂_t + m·D + (σ²/2)Δ   (μ = m·(1,…,1)),
 * </pre>
 * applied to v. The PDE L u + F(t, x, u, σ∇u) = 0 and u(T, ·) = g are imposed exactly on the latent vector by
 * eliminating the L and terminal entries:
 * <pre>
 *   z(w) = [ v_i,  g(x_j) − c₀,  D_i,  −F(t_i, x_i, c₀ + v_i, (σ D_i / d)·1) ],   w = (v_i, D_i) free,
 * </pre>
 * and w minimises the RKHS norm of the minimum-norm interpolant, J(w) = z(w)ᵀ Θ⁻¹ z(w), Θ = K(φ, φ) + nugget. The
 * generator is evaluated at the gradient (σD/d)·1, which is exact when F depends on z only through Σ_k z_k (checked
 * numerically before solving; VB's F = σ·u·Σz is such a generator). F's that need the full gradient (LQG, HJB: |z|²)
 * would need d gradient functionals per point and a per-coordinate gradient block in the surrogate format, which
 * format v1's {@code rbf-kernel} does not have: they are refused with that message.
 *
 * <h2>Gauss–Newton</h2>
 * At iterate w⁰ the generator is linearised, F ≈ F⁰ + F_u (v − v⁰) + F_D (D − D⁰) (∂F by central differences of the
 * black-box generator), so z ≈ A w + b is affine, and the quadratic problem min (Aw + b)ᵀ Θ⁻¹ (Aw + b) is solved
 * exactly: (AᵀPA) w = −AᵀP b with P = Θ⁻¹. Θ does not change between iterations, so P is formed once (Cholesky,
 * then the inverse of the factor); A has at most two non-zeros per column, so AᵀPA is assembled from blocks of P in
 * O(N²) and solved by Cholesky (2N unknowns). A step that does not decrease J is halved (up to 20 times). The iteration
 * stops after {@code iterations} steps or when the relative change of w is below 1e-10. When F ≡ 0 the first step is
 * the exact solution.
 *
 * <h2>Nugget</h2>
 * Θ = K + η·diag(k_g), where k_g is the (constant) diagonal entry of K within functional group g (1 for δ, a·d for D,
 * a + m²·a·d + (σ²/2)²·d(d+2)·a² for L, a = 1/ℓ²): the nugget is relative to each block's scale (the "adaptive
 * nugget" of the GP-PDE literature, scaled by the blocks' traces), so the second-derivative block is not
 * under-regularised relative to the values. If the Cholesky factorisation fails, η is multiplied by 10 (recorded).
 *
 * <h2>Result</h2>
 * u(y) = c₀ + K(y, φ) γ with γ = Θ⁻¹ z, i.e. written in {@code rbf-kernel} blocks: {@code value} = interior then
 * terminal points with γ_δ, {@code dt} = interior with γ_L, {@code div} = interior with γ_D + m·γ_L,
 * {@code laplacian} = interior with (σ²/2)·γ_L, output shift c₀ — exactly the functionals surrogate-loader evaluates.
 */
public final class GpCollocation {

    /** Largest number of functionals (the dense kernel matrix is n × n, inverted in O(n³)). */
    public static final int MAX_FUNCTIONALS = 6000;

    /** Options. */
    public static final class Config {
        /** Interior collocation points N. */
        public int interior = 400;
        /** Terminal points M. */
        public int terminal = 1600;
        /** ℓ; NaN = default (see {@link #defaultLengthscale}). */
        public double lengthscale = Double.NaN;
        /** Relative nugget η. */
        public double nugget = 1e-8;
        /** Gauss–Newton iterations (maximum). */
        public int iterations = 10;
        /** Seed. */
        public long seed = 1234;
        /** paths or domain. */
        public String collocationMode = "paths";
        /** paths mode: share of interior points at their start in the domain. */
        public double domainShare = 0.25;
        /** Fresh test-domain points for the report. */
        public int testPoints = 1000;
        /** Fresh path points for the residual RMS. */
        public int pathTestPoints = 1024;
        /** Fresh points for the per-iteration residual. */
        public int monitorPoints = 256;

        /** Provenance. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interior_points", interior);
            m.put("terminal_points", terminal);
            m.put("lengthscale", Double.isNaN(lengthscale) ? "default" : lengthscale);
            m.put("nugget", nugget);
            m.put("iterations", iterations);
            m.put("seed", seed);
            m.put("collocation_mode", collocationMode);
            m.put("domain_share", domainShare);
            m.put("test_points", testPoints);
            m.put("path_test_points", pathTestPoints);
            return m;
        }
    }

    /** One Gauss–Newton iteration's record. */
    public static final class Iteration {
        /** 1-based. */
        public int iteration;
        /** RKHS norm squared J = zᵀΘ⁻¹z after the step. */
        public double rkhsNorm2;
        /**
         * RMS of the linearisation error F(w_new) − [F⁰ + F_u Δv + F_D ΔD] at the full Gauss–Newton step: the
         * nonlinear PDE residual of the linearised step's interpolant at the collocation points (→ 0 as GN converges).
         */
        public double gnResidualRms;
        /** Step length factor accepted by the line search. */
        public double step;
        /** Relative change of w. */
        public double relChange;
        /** RMS of L u + F at the interior collocation points (functionals of the interpolant). */
        public double residualRmsCollocation;
        /** RMS of u − g at the terminal points. */
        public double terminalRmsCollocation;
        /** RMS of the PDE residual at fresh points (path distribution, through surrogate-loader's evaluator). */
        public double residualRmsFresh;
        /** Seconds since the start. */
        public double elapsed;

        /** For the report. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("iteration", iteration);
            m.put("rkhs_norm2", rkhsNorm2);
            m.put("gn_residual_rms", gnResidualRms);
            m.put("step", step);
            m.put("rel_change", relChange);
            m.put("residual_rms_collocation", residualRmsCollocation);
            m.put("terminal_rms_collocation", terminalRmsCollocation);
            m.put("residual_rms_fresh", residualRmsFresh);
            m.put("elapsed_s", elapsed);
            return m;
        }
    }

    /** Solver result. */
    public static final class Result {
        /** The fitted kernel surrogate (blocks as written). */
        public RbfModel model;
        /** ℓ used. */
        public double lengthscale;
        /** Relative nugget finally used. */
        public double nugget;
        /** Prior mean c₀ (output shift). */
        public double shift;
        /** Number of functionals n. */
        public int functionals;
        /** Whether the D functionals were used. */
        public boolean gradient;
        /** Per-iteration records. */
        public List<Iteration> history = new ArrayList<>();
        /** RKHS norm of v, √J. */
        public double rkhsNorm;
        /** Held-out relative L2 / L∞ against the exact solution (NaN if unknown; never used in training). */
        public double testRelL2 = Double.NaN;
        /** Held-out L∞ error. */
        public double testLinf = Double.NaN;
        /** Residual RMS at fresh test-domain points. */
        public double domainResidualRms;
        /** Residual RMS at fresh path points. */
        public double pathResidualRms;
        /** RMS of u(T, x) − g(x) at fresh terminal points (path distribution at T). */
        public double terminalRmsFresh;
        /** Seconds: kernel matrix, inverse, Gauss–Newton, evaluation. */
        public double assembleSeconds;
        /** Seconds. */
        public double inverseSeconds;
        /** Seconds. */
        public double gaussNewtonSeconds;
        /** Seconds. */
        public double evalSeconds;
        /** γ = Θ⁻¹z, the functional groups and their points (for the solver's own evaluation). */
        double[] gamma;
        int[] groups;
        double[][] functionalPoints;
        Kern kern;

        /**
         * The solver's own evaluation u(t, x) = c₀ + Σ_q γ_q K(δ_y, φ_q), straight from the kernel entries (independent
         * of the rbf-kernel blocks and surrogate-loader's evaluator).
         */
        public double value(double t, double[] x) {
            int d = x.length;
            double[] y = Arrays.copyOf(x, d + 1);
            y[d] = t;
            double s = shift;
            for (int q = 0; q < gamma.length; q++) {
                s += gamma[q] * kern.entry(Kern.DELTA, y, groups[q], functionalPoints[q]);
            }
            return s;
        }

        /** Interior collocation points (for tests). */
        public Points interiorPoints;
        /** Terminal points. */
        public Points terminalPoints;
    }

    private GpCollocation() {
    }

    /**
     * Default ℓ: the median distance between (up to 400 of) the interior collocation points in (x, t), which grows
     * like √(d+1) and follows the spread of the paths.
     */
    static double defaultLengthscale(Points interior, int d) {
        int n = Math.min(interior.n, 400);
        double[] q = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = sq(interior.t[i] - interior.t[j]);
                for (int k = 0; k < d; k++) {
                    s += sq(interior.x[i * d + k] - interior.x[j * d + k]);
                }
                q[m++] = s;
            }
        }
        Arrays.sort(q);
        return m == 0 ? 1.0 : Math.sqrt(q[m / 2]);
    }

    /** How the generator depends on z = σ∇u. */
    enum GradientUse { NONE, SUM }

    /**
     * Classifies F: NONE when the PDE says it ignores z; SUM when F(t,x,u,z) = F(t,x,u,(Σz/d)·1) at random probes.
     *
     * @throws IllegalArgumentException when F depends on z otherwise
     */
    static GradientUse gradientUse(Pde pde) {
        if (pde.generatorIsZero() || !pde.generatorUsesGradient()) {
            return GradientUse.NONE;
        }
        int d = pde.dim();
        int n = 16;
        Points p = Points.domain(pde.domain(), d, n, 0x6A9L);
        UniformRandomProvider r = StreamKeys.stream(StreamKeys.mix64(0x6A9L));
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(r);
        double[] u = new double[n];
        double[] z = new double[n * d];
        double[] zs = new double[n * d];
        double[] zero = new double[n * d];
        for (int i = 0; i < n; i++) {
            u[i] = g.sample();
            double s = 0;
            for (int k = 0; k < d; k++) {
                z[i * d + k] = g.sample();
                s += z[i * d + k];
            }
            Arrays.fill(zs, i * d, i * d + d, s / d);
        }
        double[] f1 = new double[n];
        double[] f2 = new double[n];
        double[] f0 = new double[n];
        pde.generator(n, p.t, p.x, u, z, f1);
        pde.generator(n, p.t, p.x, u, zs, f2);
        pde.generator(n, p.t, p.x, u, zero, f0);
        boolean sum = true;
        boolean depends = false;
        for (int i = 0; i < n; i++) {
            double sc = 1 + Math.abs(f1[i]) + Math.abs(f2[i]);
            sum &= Math.abs(f1[i] - f2[i]) <= 1e-10 * sc;
            depends |= Math.abs(f1[i] - f0[i]) > 1e-12 * sc;
        }
        if (!depends) {
            return GradientUse.NONE;
        }
        if (!sum) {
            throw new IllegalArgumentException("kind gp: the generator of '" + pde.name() + "' depends on σ∇u beyond "
                    + "its sum Σ_k z_k (e.g. |σ∇u|²); the collocation would need d gradient functionals per point and "
                    + "the rbf-kernel format has only value, dt, div and laplacian blocks (a per-coordinate 'grad' "
                    + "block in surrogate-loader would be needed); train a PINN (--kind mlp) instead");
        }
        return GradientUse.SUM;
    }

    /**
     * Solves.
     *
     * @param progress progress lines (null = none)
     * @throws IllegalArgumentException on unsupported equations or options out of range
     */
    public static Result solve(Pde pde, Config c, Consumer<String> progress) {
        Consumer<String> log = progress == null ? s -> { } : progress;
        if (pde.domain() == null) {
            throw new IllegalArgumentException("pde: '" + pde.name() + "' has no domain for the collocation points");
        }
        if (c.interior < 1 || c.terminal < 1) {
            throw new IllegalArgumentException("gp: need at least one interior and one terminal point, got "
                    + c.interior + " and " + c.terminal);
        }
        if (!(c.nugget > 0) || !Double.isFinite(c.nugget)) {
            throw new IllegalArgumentException("nugget: " + c.nugget + " must be a finite number > 0 for --kind gp");
        }
        if (c.iterations < 1 || c.iterations > 1000) {
            throw new IllegalArgumentException("gp-iterations: " + c.iterations + " must be in [1, 1000]");
        }
        if (!c.collocationMode.equals("paths") && !c.collocationMode.equals("domain")) {
            throw new IllegalArgumentException("collocation-mode: '" + c.collocationMode + "'; expected paths or domain");
        }
        int d = pde.dim();
        double[] mu = pde.drift();
        double m = mu.length == 0 ? 0 : mu[0];
        for (double v : mu) {
            if (Math.abs(v - m) > 1e-14 * (1 + Math.abs(m))) {
                throw new IllegalArgumentException("kind gp: the drift of '" + pde.name() + "' is not a multiple of "
                        + "(1,…,1); μ·∇u would need per-coordinate gradient functionals, which the rbf-kernel format "
                        + "cannot express; train a PINN (--kind mlp) instead");
            }
        }
        GradientUse gu = gradientUse(pde);
        boolean grad = gu == GradientUse.SUM;
        int nI = c.interior;
        int nB = c.terminal;
        long nf = (long) nI * (grad ? 3 : 2) + nB;
        if (nf > MAX_FUNCTIONALS) {
            throw new IllegalArgumentException("gp: " + nI + " interior and " + nB + " terminal points make " + nf
                    + " functionals (" + (grad ? "value, div and L at each interior point" : "value and L at each "
                    + "interior point") + ", value at each terminal point); at most " + MAX_FUNCTIONALS
                    + " are supported (dense " + nf + "² kernel matrix, O(n³) solve): lower --gp-interior/--gp-terminal");
        }
        int n = (int) nf;
        long t0 = System.nanoTime();
        long root = StreamKeys.mix64(c.seed);
        Points pi;
        Points pb;
        if (c.collocationMode.equals("paths")) {
            pi = Points.paths(pde, nI, StreamKeys.child(root, 21), c.domainShare, false);
            pb = Points.paths(pde, nB, StreamKeys.child(root, 22), 0, true);
        } else {
            pi = Points.domain(pde.domain(), d, nI, StreamKeys.child(root, 21));
            pb = Points.domain(pde.domain(), d, nB, StreamKeys.child(root, 22)).atTime(pde.horizon());
        }
        double ell = Double.isNaN(c.lengthscale) ? defaultLengthscale(pi, d) : c.lengthscale;
        if (!(ell > 0) || !Double.isFinite(ell)) {
            throw new IllegalArgumentException("lengthscale: " + ell + " must be a finite number > 0");
        }
        double sigma = pde.sigma();
        double s = sigma * sigma / 2;
        double a = 1 / (ell * ell);
        double[] g = new double[nB];
        pde.terminal(nB, pb.x, g);
        double c0 = 0;
        for (double v : g) {
            c0 += v;
        }
        c0 /= nB;
        log.accept(String.format(java.util.Locale.ROOT, "gp: %d interior + %d terminal points, %d functionals%s, "
                + "ℓ = %.4g, nugget %.1e", nI, nB, n, grad ? " (with div)" : "", ell, c.nugget));

        // Functional layout: group, point index into the group's point set.
        Kern kern = new Kern(d, a, m, s);
        int offB = nI;
        int offD = nI + nB;
        int offL = grad ? offD + nI : offD;
        int[] grp = new int[n];
        double[][] ys = new double[n][];
        double[][] yi = rows(pi);
        double[][] yb = rows(pb);
        for (int i = 0; i < nI; i++) {
            grp[i] = Kern.DELTA;
            ys[i] = yi[i];
            grp[offL + i] = Kern.L;
            ys[offL + i] = yi[i];
            if (grad) {
                grp[offD + i] = Kern.DIV;
                ys[offD + i] = yi[i];
            }
        }
        for (int j = 0; j < nB; j++) {
            grp[offB + j] = Kern.DELTA;
            ys[offB + j] = yb[j];
        }
        double[] theta = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q <= p; q++) {
                double v = kern.entry(grp[p], ys[p], grp[q], ys[q]);
                theta[p * n + q] = v;
                theta[q * n + p] = v;
            }
        }
        double[] diagScale = new double[n];
        for (int p = 0; p < n; p++) {
            diagScale[p] = kern.diag(grp[p]);
        }
        long t1 = System.nanoTime();
        log.accept(String.format(java.util.Locale.ROOT, "gp: kernel matrix %d × %d in %.1f s", n, n, (t1 - t0) / 1e9));
        double eta = c.nugget;
        double[] work = new double[n * n];
        boolean ok = false;
        for (int attempt = 0; attempt < 8 && !ok; attempt++) {
            System.arraycopy(theta, 0, work, 0, n * n);
            for (int p = 0; p < n; p++) {
                work[p * n + p] += eta * diagScale[p];
            }
            ok = Dense.cholesky(work, n);
            if (!ok) {
                log.accept("gp: kernel matrix not positive definite with nugget " + eta + "; trying " + eta * 10);
                eta *= 10;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("gp: the kernel matrix is not positive definite even with nugget " + eta
                    + "; raise --lengthscale or --nugget, or use fewer points");
        }
        theta = null;
        double[] pInv = Dense.inverseFromCholesky(work, n);
        work = null;
        double[] reg = new double[n];
        for (int p = 0; p < n; p++) {
            reg[p] = eta * diagScale[p];
        }
        long t2 = System.nanoTime();
        log.accept(String.format(java.util.Locale.ROOT, "gp: Θ⁻¹ in %.1f s", (t2 - t1) / 1e9));

        // Gauss–Newton on w = (v_I, D_I).
        int nw = grad ? 2 * nI : nI;
        double[] w = new double[nw];
        double[] fu = new double[nI];
        double[] fd = new double[nI];
        double[] f0 = new double[nI];
        Result res = new Result();
        res.lengthscale = ell;
        res.nugget = eta;
        res.shift = c0;
        res.functionals = n;
        res.gradient = grad;
        res.interiorPoints = pi;
        res.groups = grp;
        res.functionalPoints = ys;
        res.kern = kern;
        res.terminalPoints = pb;
        Points monitor = Points.paths(pde, c.monitorPoints, StreamKeys.child(root, 23), c.domainShare, false);
        Ctx ctx = new Ctx(pde, pi, g, c0, sigma, nI, nB, offB, offD, offL, grad, n, pInv);
        double jCur = ctx.objective(w);
        for (int it = 1; it <= c.iterations; it++) {
            ctx.linearise(w, f0, fu, fd);
            // b: z = A w + b; b_B = g − c0; b_L = −F0 + Fu v0 + Fd D0.
            double[] b = new double[n];
            for (int j = 0; j < nB; j++) {
                b[offB + j] = g[j] - c0;
            }
            for (int i = 0; i < nI; i++) {
                b[offL + i] = -f0[i] + fu[i] * w[i] + (grad ? fd[i] * w[nI + i] : 0);
            }
            double[] q = Dense.symv(pInv, b, n);
            double[] rhs = new double[nw];
            for (int i = 0; i < nI; i++) {
                rhs[i] = -(q[i] - fu[i] * q[offL + i]);
                if (grad) {
                    rhs[nI + i] = -(q[offD + i] - fd[i] * q[offL + i]);
                }
            }
            double[] h = new double[nw * nw];
            for (int i = 0; i < nI; i++) {
                for (int j = 0; j < nI; j++) {
                    double pII = pInv[i * n + j];
                    double pIL = pInv[i * n + offL + j];
                    double pLI = pInv[(offL + i) * n + j];
                    double pLL = pInv[(offL + i) * n + offL + j];
                    h[i * nw + j] = pII - fu[j] * pIL - fu[i] * pLI + fu[i] * fu[j] * pLL;
                    if (grad) {
                        double pID = pInv[i * n + offD + j];
                        double pLD = pInv[(offL + i) * n + offD + j];
                        double pDD = pInv[(offD + i) * n + offD + j];
                        double pDL = pInv[(offD + i) * n + offL + j];
                        // (v_i, D_j)
                        h[i * nw + nI + j] = pID - fd[j] * pIL - fu[i] * pLD + fu[i] * fd[j] * pLL;
                        // (D_i, D_j)
                        h[(nI + i) * nw + nI + j] = pDD - fd[j] * pDL - fd[i] * pLD + fd[i] * fd[j] * pLL;
                    }
                }
            }
            if (grad) {
                for (int i = 0; i < nI; i++) {
                    for (int j = 0; j < nI; j++) {
                        h[(nI + j) * nw + i] = h[i * nw + nI + j];
                    }
                }
            }
            double tr = 0;
            for (int i = 0; i < nw; i++) {
                tr += h[i * nw + i];
            }
            double jitter = 1e-14 * tr / nw;
            double[] wNew = null;
            for (int attempt = 0; attempt < 8 && wNew == null; attempt++) {
                double[] hh = h.clone();
                for (int i = 0; i < nw; i++) {
                    hh[i * nw + i] += jitter;
                }
                if (Dense.cholesky(hh, nw)) {
                    wNew = Dense.choleskySolve(hh, rhs.clone(), nw);
                } else {
                    jitter = Math.max(jitter * 100, 1e-300);
                }
            }
            if (wNew == null) {
                throw new IllegalArgumentException("gp: the Gauss–Newton system is singular at iteration " + it);
            }
            double[] fNew = ctx.f(ctx.u(wNew), ctx.dv(wNew));
            double lin = 0;
            for (int i = 0; i < nI; i++) {
                double pred = f0[i] + fu[i] * (wNew[i] - w[i]) + (grad ? fd[i] * (wNew[nI + i] - w[nI + i]) : 0);
                lin += sq(fNew[i] - pred);
            }
            double gnRes = Math.sqrt(lin / nI);
            double lambda = 1;
            double[] trial = new double[nw];
            double jNew = Double.NaN;
            for (int ls = 0; ls < 20; ls++) {
                for (int k = 0; k < nw; k++) {
                    trial[k] = w[k] + lambda * (wNew[k] - w[k]);
                }
                jNew = ctx.objective(trial);
                if (Double.isFinite(jNew) && jNew <= jCur * (1 + 1e-12)) {
                    break;
                }
                lambda /= 2;
            }
            double dn = 0;
            double wn = 0;
            for (int k = 0; k < nw; k++) {
                dn += sq(trial[k] - w[k]);
                wn += sq(trial[k]);
            }
            boolean accepted = Double.isFinite(jNew) && jNew <= jCur * (1 + 1e-12);
            if (accepted) {
                System.arraycopy(trial, 0, w, 0, nw);
                jCur = jNew;
            }
            Iteration rec = new Iteration();
            rec.iteration = it;
            rec.rkhsNorm2 = jCur;
            rec.gnResidualRms = gnRes;
            rec.step = accepted ? lambda : 0;
            rec.relChange = accepted ? Math.sqrt(dn / Math.max(wn, 1e-300)) : 0;
            double[] gamma = ctx.gamma(w);
            double[] zw = ctx.z(w);
            double[] fun = new double[n];
            for (int p = 0; p < n; p++) {
                fun[p] = zw[p] - reg[p] * gamma[p];
            }
            double[] colRes = ctx.collocationResidual(fun);
            rec.residualRmsCollocation = colRes[0];
            rec.terminalRmsCollocation = colRes[1];
            RbfModel model = ctx.model(gamma, kern, ell, yi, yb);
            Surrogate su = model.materialize(EvalOptions.DEFAULT);
            rec.residualRmsFresh = PinnTrainer.rms(Residuals.residual(pde, su, monitor.n, monitor.t, monitor.x));
            rec.elapsed = (System.nanoTime() - t2) / 1e9;
            res.history.add(rec);
            log.accept(String.format(java.util.Locale.ROOT, "gp: Gauss–Newton %d: J = %.6e, step %.3g, Δw %.2e, "
                            + "GN residual %.3e, residual RMS %.3e (collocation) %.3e (fresh), terminal %.2e, %.1f s",
                    it, jCur, rec.step, rec.relChange, rec.gnResidualRms, rec.residualRmsCollocation, rec.residualRmsFresh,
                    rec.terminalRmsCollocation, rec.elapsed));
            res.model = model;
            res.gamma = gamma;
            if (!accepted || rec.relChange < 1e-10 || pde.generatorIsZero()) {
                break;
            }
        }
        long t3 = System.nanoTime();
        res.rkhsNorm = Math.sqrt(jCur);
        res.assembleSeconds = (t1 - t0) / 1e9;
        res.inverseSeconds = (t2 - t1) / 1e9;
        res.gaussNewtonSeconds = (t3 - t2) / 1e9;
        Surrogate su = res.model.materialize(EvalOptions.DEFAULT);
        Points test = Points.domain(pde.domain(), d, c.testPoints, StreamKeys.child(root, 24));
        res.domainResidualRms = PinnTrainer.rms(Residuals.residual(pde, su, test.n, test.t, test.x));
        Points pt = Points.paths(pde, c.pathTestPoints, StreamKeys.child(root, 25), c.domainShare, false);
        res.pathResidualRms = PinnTrainer.rms(Residuals.residual(pde, su, pt.n, pt.t, pt.x));
        Points pT = Points.paths(pde, c.pathTestPoints, StreamKeys.child(root, 27), 0, true);
        double[] uT = new double[pT.n];
        double[] gT = new double[pT.n];
        su.value(pT.n, pT.t, pT.x, uT);
        pde.terminal(pT.n, pT.x, gT);
        double se = 0;
        for (int i = 0; i < pT.n; i++) {
            se += sq(uT[i] - gT[i]);
        }
        res.terminalRmsFresh = Math.sqrt(se / pT.n);
        if (pde.hasExact()) {
            double[] ex = new double[test.n];
            pde.exact(test.n, test.t, test.x, ex);
            double[] uh = new double[test.n];
            su.value(test.n, test.t, test.x, uh);
            io.scasml.kernels.stats.ErrorMetrics.Result held = io.scasml.kernels.stats.ErrorMetrics.of(test.n, uh, ex);
            res.testRelL2 = held.relL2();
            res.testLinf = held.linf();
        }
        res.evalSeconds = (System.nanoTime() - t3) / 1e9;
        return res;
    }

    /** Rows (x, t) of a point set. */
    static double[][] rows(Points p) {
        double[][] r = new double[p.n][p.d + 1];
        for (int i = 0; i < p.n; i++) {
            System.arraycopy(p.x, i * p.d, r[i], 0, p.d);
            r[i][p.d] = p.t[i];
        }
        return r;
    }

    private static double sq(double v) {
        return v * v;
    }

    /** The state the Gauss–Newton loop shares. */
    private static final class Ctx {
        final Pde pde;
        final Points pi;
        final double[] g;
        final double c0;
        final double sigma;
        final int nI;
        final int nB;
        final int offB;
        final int offD;
        final int offL;
        final boolean grad;
        final int n;
        final double[] pInv;
        final int d;

        Ctx(Pde pde, Points pi, double[] g, double c0, double sigma, int nI, int nB, int offB, int offD, int offL,
            boolean grad, int n, double[] pInv) {
            this.pde = pde;
            this.pi = pi;
            this.g = g;
            this.c0 = c0;
            this.sigma = sigma;
            this.nI = nI;
            this.nB = nB;
            this.offB = offB;
            this.offD = offD;
            this.offL = offL;
            this.grad = grad;
            this.n = n;
            this.pInv = pInv;
            this.d = pde.dim();
        }

        /** F at the interior points for values u (absolute) and divergences dv. */
        double[] f(double[] u, double[] dv) {
            double[] z = new double[nI * d];
            if (grad) {
                for (int i = 0; i < nI; i++) {
                    Arrays.fill(z, i * d, i * d + d, sigma * dv[i] / d);
                }
            }
            double[] out = new double[nI];
            pde.generator(nI, pi.t, pi.x, u, z, out);
            return out;
        }

        double[] u(double[] w) {
            double[] u = new double[nI];
            for (int i = 0; i < nI; i++) {
                u[i] = c0 + w[i];
            }
            return u;
        }

        double[] dv(double[] w) {
            double[] dv = new double[nI];
            if (grad) {
                System.arraycopy(w, nI, dv, 0, nI);
            }
            return dv;
        }

        double[] z(double[] w) {
            double[] z = new double[n];
            System.arraycopy(w, 0, z, 0, nI);
            for (int j = 0; j < nB; j++) {
                z[offB + j] = g[j] - c0;
            }
            if (grad) {
                System.arraycopy(w, nI, z, offD, nI);
            }
            double[] f = f(u(w), dv(w));
            for (int i = 0; i < nI; i++) {
                z[offL + i] = -f[i];
            }
            return z;
        }

        double objective(double[] w) {
            double[] z = z(w);
            double[] q = Dense.symv(pInv, z, n);
            double s = 0;
            for (int p = 0; p < n; p++) {
                s += z[p] * q[p];
            }
            return s;
        }

        double[] gamma(double[] w) {
            return Dense.symv(pInv, z(w), n);
        }

        /** F⁰, ∂F/∂u and ∂F/∂D at w by central differences. */
        void linearise(double[] w, double[] f0, double[] fu, double[] fd) {
            double[] u = u(w);
            double[] dv = dv(w);
            System.arraycopy(f(u, dv), 0, f0, 0, nI);
            double[] up = u.clone();
            double[] um = u.clone();
            double[] hu = new double[nI];
            for (int i = 0; i < nI; i++) {
                hu[i] = 1e-5 * Math.max(1, Math.abs(u[i]));
                up[i] += hu[i];
                um[i] -= hu[i];
            }
            double[] fp = f(up, dv);
            double[] fm = f(um, dv);
            for (int i = 0; i < nI; i++) {
                fu[i] = (fp[i] - fm[i]) / (2 * hu[i]);
            }
            Arrays.fill(fd, 0);
            if (grad) {
                double[] dp = dv.clone();
                double[] dm = dv.clone();
                double[] hd = new double[nI];
                for (int i = 0; i < nI; i++) {
                    hd[i] = 1e-5 * Math.max(1, Math.abs(dv[i]));
                    dp[i] += hd[i];
                    dm[i] -= hd[i];
                }
                fp = f(u, dp);
                fm = f(u, dm);
                for (int i = 0; i < nI; i++) {
                    fd[i] = (fp[i] - fm[i]) / (2 * hd[i]);
                }
            }
        }

        /** RMS of L u + F(u, D u) at the interior points and of u − g at the terminal points, from functionals. */
        double[] collocationResidual(double[] fun) {
            double[] u = new double[nI];
            double[] dv = new double[nI];
            for (int i = 0; i < nI; i++) {
                u[i] = c0 + fun[i];
                dv[i] = grad ? fun[offD + i] : 0;
            }
            double[] f = f(u, dv);
            double r = 0;
            for (int i = 0; i < nI; i++) {
                r += sq(fun[offL + i] + f[i]);
            }
            double tb = 0;
            for (int j = 0; j < nB; j++) {
                tb += sq(c0 + fun[offB + j] - g[j]);
            }
            return new double[]{Math.sqrt(r / nI), Math.sqrt(tb / nB)};
        }

        /** The surrogate u = c₀ + K(·, φ)γ in rbf-kernel blocks. */
        RbfModel model(double[] gamma, Kern kern, double ell, double[][] yi, double[][] yb) {
            int D = d + 1;
            double[] cv = new double[(nI + nB) * D];
            double[] av = new double[nI + nB];
            double[] ci = new double[nI * D];
            for (int i = 0; i < nI; i++) {
                System.arraycopy(yi[i], 0, cv, i * D, D);
                System.arraycopy(yi[i], 0, ci, i * D, D);
                av[i] = gamma[i];
            }
            for (int j = 0; j < nB; j++) {
                System.arraycopy(yb[j], 0, cv, (nI + j) * D, D);
                av[nI + j] = gamma[offB + j];
            }
            double[] adt = new double[nI];
            double[] adiv = new double[nI];
            double[] alap = new double[nI];
            for (int i = 0; i < nI; i++) {
                double gl = gamma[offL + i];
                adt[i] = gl;
                adiv[i] = (grad ? gamma[offD + i] : 0) + kern.m * gl;
                alap[i] = kern.s * gl;
            }
            int nb = RbfModel.Block.values().length;
            double[][] cen = new double[nb][];
            double[][] al = new double[nb][];
            cen[RbfModel.Block.VALUE.ordinal()] = cv;
            al[RbfModel.Block.VALUE.ordinal()] = av;
            cen[RbfModel.Block.DT.ordinal()] = ci;
            al[RbfModel.Block.DT.ordinal()] = adt;
            boolean anyDiv = false;
            for (double v : adiv) {
                anyDiv |= v != 0;
            }
            if (anyDiv) {
                cen[RbfModel.Block.DIV.ordinal()] = ci;
                al[RbfModel.Block.DIV.ordinal()] = adiv;
            }
            cen[RbfModel.Block.LAPLACIAN.ordinal()] = ci;
            al[RbfModel.Block.LAPLACIAN.ordinal()] = alap;
            return RbfModel.of(d, ell, cen, al, c0, 1.0, "x,t", "gp-collocation");
        }
    }

    /**
     * Kernel entries K(φ_p, φ_q) = A_y B_c κ(y, c) for functionals built from I, ∂t, D = Σ∂_k and Δ; with
     * r = y − c, R = Σ_k r_k, ρ² = Σ_k r_k², h = a²ρ² − a·d (all over κ):
     * <pre>
     *          c: I       ∂t            D                Δ
     *   y: I     1        a r_t         a R              h
     *      ∂t   −a r_t    a − a²r_t²    −a² r_t R        −a r_t h
     *      D    −a R      −a² r_t R     a d − a² R²      −a R (h − 2a)
     *      Δ     h        a r_t h       a R (h − 2a)     a⁴ρ⁴ − 2(d+2)a³ρ² + d(d+2)a²
     * </pre>
     * (derivatives in c are minus those in r for first-order operators). Functional groups: δ = I, DIV = D,
     * L = ∂t + m D + s Δ.
     */
    static final class Kern {
        static final int DELTA = 0;
        static final int DIV = 1;
        static final int L = 2;
        final int d;
        final double a;
        final double m;
        final double s;
        private final double[][] w;

        Kern(int d, double a, double m, double s) {
            this.d = d;
            this.a = a;
            this.m = m;
            this.s = s;
            // Weights over (I, ∂t, D, Δ).
            w = new double[][]{{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, m, s}};
        }

        /** Diagonal entry of group g (r = 0). */
        double diag(int g) {
            return switch (g) {
                case DELTA -> 1;
                case DIV -> a * d;
                default -> a + m * m * a * d + s * s * d * (d + 2.0) * a * a;
            };
        }

        double entry(int gp, double[] y, int gq, double[] c) {
            double rho2 = 0;
            double bigR = 0;
            for (int k = 0; k < d; k++) {
                double r = y[k] - c[k];
                rho2 += r * r;
                bigR += r;
            }
            double rt = y[d] - c[d];
            double kap = Math.exp(-0.5 * a * (rho2 + rt * rt));
            double a2 = a * a;
            double h = a2 * rho2 - a * d;
            double[] wp = w[gp];
            double[] wq = w[gq];
            double e = 0;
            // Row I.
            if (wp[0] != 0) {
                e += wp[0] * (wq[0] + wq[1] * a * rt + wq[2] * a * bigR + wq[3] * h);
            }
            if (wp[1] != 0) {
                e += wp[1] * (-wq[0] * a * rt + wq[1] * (a - a2 * rt * rt) - wq[2] * a2 * rt * bigR
                        - wq[3] * a * rt * h);
            }
            if (wp[2] != 0) {
                e += wp[2] * (-wq[0] * a * bigR - wq[1] * a2 * rt * bigR + wq[2] * (a * d - a2 * bigR * bigR)
                        - wq[3] * a * bigR * (h - 2 * a));
            }
            if (wp[3] != 0) {
                double l2 = a2 * a2 * rho2 * rho2 - 2.0 * (d + 2) * a2 * a * rho2 + (double) d * (d + 2) * a2;
                e += wp[3] * (wq[0] * h + wq[1] * a * rt * h + wq[2] * a * bigR * (h - 2 * a) + wq[3] * l2);
            }
            return e * kap;
        }
    }

    /** Writes the model as format v1 {@code rbf-kernel} with every present block ({@link SurrogateWriter}). */
    public static void write(Path dir, RbfModel model, Map<String, Object> meta) throws IOException {
        SurrogateWriter.writeRbf(dir, model, meta);
    }

    /** Dense symmetric linear algebra on row-major arrays (plain Java, single thread). */
    static final class Dense {
        private Dense() {
        }

        /** In-place Cholesky A = L Lᵀ (lower triangle, row-major); false if not positive definite. */
        static boolean cholesky(double[] a, int n) {
            for (int j = 0; j < n; j++) {
                int rj = j * n;
                double s = a[rj + j];
                for (int k = 0; k < j; k++) {
                    s -= a[rj + k] * a[rj + k];
                }
                if (!(s > 0)) {
                    return false;
                }
                double ljj = Math.sqrt(s);
                a[rj + j] = ljj;
                double inv = 1 / ljj;
                for (int i = j + 1; i < n; i++) {
                    int ri = i * n;
                    double t = a[ri + j];
                    for (int k = 0; k < j; k++) {
                        t -= a[ri + k] * a[rj + k];
                    }
                    a[ri + j] = t * inv;
                }
            }
            return true;
        }

        /** Solves L Lᵀ x = b with a factor from {@link #cholesky}; b is overwritten and returned. */
        static double[] choleskySolve(double[] l, double[] b, int n) {
            for (int i = 0; i < n; i++) {
                double t = b[i];
                for (int k = 0; k < i; k++) {
                    t -= l[i * n + k] * b[k];
                }
                b[i] = t / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double t = b[i];
                for (int k = i + 1; k < n; k++) {
                    t -= l[k * n + i] * b[k];
                }
                b[i] = t / l[i * n + i];
            }
            return b;
        }

        /**
         * (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ from a Cholesky factor (lower, row-major; destroyed). Returns the full symmetric inverse.
         */
        static double[] inverseFromCholesky(double[] l, int n) {
            // In place: lower triangle of l becomes M = L⁻¹, row by row (M L = I).
            for (int i = 0; i < n; i++) {
                int ri = i * n;
                double lii = l[ri + i];
                // Row i of M: M[i][j] for j < i = −(Σ_{k=j}^{i−1} L[i][k] M[k][j]) / L[i][i].
                double[] row = new double[i + 1];
                for (int k = 0; k < i; k++) {
                    double lik = l[ri + k];
                    if (lik == 0) {
                        continue;
                    }
                    int rk = k * n;
                    for (int j = 0; j <= k; j++) {
                        row[j] -= lik * l[rk + j];
                    }
                }
                for (int j = 0; j < i; j++) {
                    l[ri + j] = row[j] / lii;
                }
                l[ri + i] = 1 / lii;
            }
            // P = Mᵀ M: P[i][j] = Σ_{k ≥ max(i,j)} M[k][i] M[k][j]; accumulate row by row of M.
            double[] p = new double[n * n];
            for (int k = 0; k < n; k++) {
                int rk = k * n;
                for (int i = 0; i <= k; i++) {
                    double mki = l[rk + i];
                    if (mki == 0) {
                        continue;
                    }
                    int ri = i * n;
                    for (int j = 0; j <= i; j++) {
                        p[ri + j] += mki * l[rk + j];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    p[j * n + i] = p[i * n + j];
                }
            }
            return p;
        }

        /** y = A x for a full (symmetric) row-major A. */
        static double[] symv(double[] a, double[] x, int n) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int ri = i * n;
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[ri + j] * x[j];
                }
                y[i] = s;
            }
            return y;
        }
    }
}
