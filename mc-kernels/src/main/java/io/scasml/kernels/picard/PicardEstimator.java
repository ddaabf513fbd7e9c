package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.stats.Moments;
import io.scasml.kernels.surrogate.LaplacianMode;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Multilevel Picard (MLP) and SCaSML estimators of u(t, x) with Monte Carlo error bars (docs/algorithm.md).
 *
 * <h2>Estimator</h2>
 * U_0 ≡ 0 and, for k ≥ 1, at a node (t, x) with τ = T − t:
 * <pre>
 *   U_k = mean_i g̃(X_T^i)                                     (terminal term, N_0 samples)
 *       + Σ_{l=0}^{k−1} mean_i [ Σ_p w_p (Φ(U_l) − Φ(U_{l−1}))(s_p, X_p) ]   (level terms; Φ(U_{−1}) := 0, + ε at l = 0)
 * </pre>
 * with the gradient (an estimate of σ∇u) built from the same samples with Bismut–Elworthy–Li weights.
 * <ul>
 *   <li>Full history: N_0 = M^k, level l has M^{k−l} samples, one time each, s = t + V²τ with V ~ U(0, 1)
 *       (importance sampling, finite-variance weights): value weight 2Vτ, gradient weight 2√τ·ξ.</li>
 *   <li>Quadrature (ρ = n): N_0 = ρ^k, level l has Mf[ρ, k−l] Brownian paths through the Q[ρ, k−l] Gauss–Legendre
 *       nodes of (t, T); value weight w_κ, gradient weight w_κ W_κ/(c_κ − t).</li>
 *   <li>Terminal gradient: (g̃(X_T) − c)·ξ/√τ, with c a control variate (leave-one-out mean, else g̃(x)).</li>
 *   <li>Full-history value: with leave-one-out on, the time weight gets a control variate too,
 *       2Vτ·y − (2Vτ − τ)·ȳ₋ᵢ (E[2V] = 1 and ȳ₋ᵢ, the mean of the other samples of the same half, is independent
 *       of V): a time-smooth integrand no longer pays for the τ = V² importance sampling.</li>
 *   <li>Every inner U_l and U_{l−1} is an independent estimate (own keyed streams).</li>
 * </ul>
 * Options (see {@link RunOptions}): polarised split-half generator Gp(U) = 2Φ(Ū) − ½[Φ(Uᵃ) + Φ(Uᵇ)] with Ū the mean
 * of the half estimates, exact in expectation for Φ quadratic in (u, z); leave-one-out control variates for every
 * gradient sum (within the same half); antithetic pairs ±ξ (⌈N/2⌉ pairs replace N paths, so the cost is unchanged); clipping of inner iterates (a trust region, biased,
 * off by default; the top-level estimate is never clipped so that its error bar stays honest).
 *
 * <h2>Structure</h2>
 * The {@link WorkPlan} fixes terms, costs, blocks and units from the options; a {@link PicardScheme} fills each
 * batch of evaluation points and weights; this class simulates and accumulates; {@link PointAccumulator} owns the
 * statistics (stable moments, Welch–Satterthwaite degrees of freedom, exact Student-t interval) and builds the
 * {@link PointEstimate}; {@link PointReduction} folds units into points in the fixed order.
 *
 * <h2>Error bars</h2>
 * The top-level terms are independent sample means, so Var(U_n) = Σ_terms Var(summand)/N; the standard error uses
 * the unbiased per-term sample variances. A term with one sample makes the standard error NaN.
 *
 * <h2>Non-finite values</h2>
 * A non-finite integrand, terminal or surrogate value met while estimating a point never throws: it sets a flag on
 * that point (one comparison per evaluation point, the cause found on a slow path only then), whose estimate then
 * has NaN values and a {@link PointStatus} saying why; the other points are computed exactly as without it.
 *
 * <h2>Work decomposition and reproducibility</h2>
 * Work units are (group of query points, top-level term, fixed block of the term's samples) — {@link #units()} is a
 * pure function of the options. Every draw derives from (seed, point id, tree position, block) by
 * {@link StreamKeys} — more precisely from (estimate root, point id, …), the root being {@code mix64(seed)} for a
 * plain run and another root for the adaptive rounds, the guard's companion and pilots
 * ({@link #run(QueryPoint[], UnitKey, long)}, docs/algorithm.md §23), and every batch inside a unit has a
 * shape fixed by the unit, so any division of the units among
 * threads, tasks or executors, in any order, gives bit-identical estimates ({@link PointReduction} combines in
 * (term, block) order).
 *
 * <p>Thread-safe: {@link #run} may be called concurrently (the PDE and surrogate must be thread-safe).
 */
public final class PicardEstimator {
    private final Pde pde;
    private final Surrogate surrogate;
    private final RunOptions opt;
    private final PicardProblem problem;
    private final WorkPlan plan;
    private final PicardScheme scheme;
    private final int d;
    private final int n;
    private final double horizon;
    private final double sigma;
    private final double[] mu;
    private final int antithetic;
    private final int maxBatch;
    private final LaplacianMode laplacian;

    private PicardEstimator(Pde pde, Surrogate surrogate, RunOptions opt, PicardProblem problem, WorkPlan plan,
                            LaplacianMode laplacian) {
        this.pde = pde;
        this.surrogate = surrogate;
        this.opt = opt;
        this.problem = problem;
        this.plan = plan;
        this.scheme = plan.scheme();
        this.d = pde.dim();
        this.n = plan.levels();
        this.horizon = pde.horizon();
        this.sigma = pde.sigma();
        this.mu = pde.drift();
        this.antithetic = plan.antithetic();
        this.maxBatch = plan.maxBatch();
        this.laplacian = laplacian;
    }

    /**
     * Creates an estimator. The work plan is counted and checked against the limits of {@code opt} before
     * anything proportional to it is built.
     *
     * @param pde       the equation
     * @param surrogate the surrogate û (required for SCaSML and the surrogate alone; ignored by MLP; may be null then)
     * @param opt       run options
     * @throws IllegalArgumentException if a surrogate is needed but missing, its dimension differs from the PDE's, or
     *                                  the plan exceeds a limit ({@link RunOptions#maxEvaluationsPerPoint()},
     *                                  {@link RunOptions#maxUnitsPerGroup()}), or {@link RunOptions#laplacian()} is
     *                                  hutchinson and the surrogate has no randomized pass; the message names option
     *                                  and limit
     */
    public static PicardEstimator create(Pde pde, Surrogate surrogate, RunOptions opt) {
        if (opt.method() != Method.MLP) {
            if (surrogate == null) {
                throw new IllegalArgumentException("surrogate: method " + opt.method().label()
                    + " needs a surrogate (--surrogate DIR)");
            }
            if (surrogate.dim() != pde.dim()) {
                throw new IllegalArgumentException("surrogate: dimension " + surrogate.dim()
                    + " disagrees with the PDE's dimension " + pde.dim());
            }
        }
        Pde p = opt.driftInGenerator() ? io.scasml.kernels.pde.DriftFreePde.of(pde) : pde;
        Surrogate s = opt.method() == Method.MLP ? null : surrogate;
        // Resolved once from the options and the surrogate (a pure function of both, so the driver and every
        // executor resolve auto the same way); exact wherever there is no SCaSML source term.
        LaplacianMode lap = opt.method() == Method.SCASML ? opt.laplacianMode().resolve(s) : LaplacianMode.EXACT;
        PicardProblem problem;
        switch (opt.method()) {
            case MLP: problem = PicardProblem.plain(p); break;
            case SCASML: problem = lap.randomized() ? PicardProblem.defect(p, s, lap) : PicardProblem.defect(p, s);
                break;
            default: problem = null;
        }
        WorkPlan plan = WorkPlan.of(opt, p.dim(), problem != null, problem != null && problem.isZero(),
            problem != null && problem.hasSource());
        return new PicardEstimator(p, s, opt, problem, plan, lap);
    }

    /**
     * The Laplacian mode the source term uses: {@link RunOptions#laplacian()} resolved against the surrogate
     * ({@link LaplacianMode#resolve}; never auto; exact for MLP and the surrogate alone). Its {@link LaplacianMode#id()}
     * belongs in the provenance next to the option.
     */
    public LaplacianMode laplacian() {
        return laplacian;
    }

    /** The PDE. */
    public Pde pde() {
        return pde;
    }

    /** The options. */
    public RunOptions options() {
        return opt;
    }

    /** The work plan. */
    public WorkPlan plan() {
        return plan;
    }

    /**
     * Fewest samples per half of an inner Picard term for the split-half and leave-one-out estimators
     * ({@link InnerSamples}). Measured (LQG d = 10, M = 4, 8 points, relative L2 for n = 1 … 4): with halves of 4
     * the error still grows at n = 3 (0.13, 0.10, 0.17, 0.11, with relative SE 0.10, 0.05, 0.12, 0.09); with halves
     * of 8 it does not beyond noise (0.13, 0.071, 0.098, 0.028; SE 0.10, 0.051, 0.067, 0.039). Configured counts
     * without the rule: 0.13, 0.16, 0.25, 0.84.
     */
    public static final int MIN_HALF_SAMPLES = 8;

    /**
     * Warnings about the configuration itself (empty when none): the split-half generator and the leave-one-out
     * control variates need a few samples per half of every inner Picard term — with halves of 1–3 samples the
     * estimates of quadratic generators become unstable (measured: LQG d = 100 diverges at M = 4, n ≥ 2).
     */
    public List<String> configurationWarnings() {
        List<String> w = new ArrayList<>();
        if (laplacian.randomized() && laplacian.probes() == 1) {
            w.add("--laplacian " + laplacian.id() + ": with one probe per evaluation the probes' share of the error bar"
                + " (probe_variance_share) cannot be estimated and the residual RMS includes the probes' variance"
                + " (use K >= 2)");
        }
        if (problem == null || n < 2 || !(opt.splitHalf() || opt.leaveOneOut())) {
            return w;
        }
        int fewest = Integer.MAX_VALUE;
        for (int k = 1; k < n; k++) {
            for (WorkPlan.Term tm : plan.terms(k)) {
                if (!tm.skip) {
                    fewest = Math.min(fewest, tm.samples / 2);
                }
            }
        }
        if (fewest < MIN_HALF_SAMPLES) {
            w.add("inner Picard terms have only " + fewest + " sample(s) per half: the split-half and leave-one-out"
                + " estimators are unreliable there (use --inner-samples raise, or raise --base to at least "
                + (2 * MIN_HALF_SAMPLES)
                + (opt.antithetic() ? ", or drop --antithetic" : "") + ")");
        }
        return w;
    }

    /** Estimated terminal + generator evaluations per query point (the cost model of {@link WorkPlan}). */
    public double estimatedEvaluationsPerPoint() {
        return plan.evaluationsPerPoint();
    }

    /** The work units of one group of query points, in (term, block) order; empty for the surrogate alone. */
    public List<UnitKey> units() {
        return plan.units();
    }

    /** Number of top-level terms, the length of a {@link PointAccumulator} (0 for the surrogate alone). */
    public int topTerms() {
        return plan.topTerms();
    }

    /** Number of samples of top-level term {@code term}. */
    public int termSamples(int term) {
        return plan.termSamples(term);
    }

    /** Block size of top-level term {@code term}. */
    public int blockSize(int term) {
        return plan.blockSize(term);
    }

    /**
     * Checks a query point.
     *
     * @throws IllegalArgumentException naming the point, the bad value and what was expected
     */
    public void validate(QueryPoint p) {
        if (p.id() < 0) {
            throw new IllegalArgumentException("point id=" + p.id() + ": ids must be >= 0 (negative values are"
                + " reserved for random-stream namespaces)");
        }
        if (p.x() == null || p.x().length != d) {
            throw new IllegalArgumentException("point id=" + p.id() + ": has " + (p.x() == null ? 0 : p.x().length)
                + " coordinates, expected d = " + d);
        }
        if (!(p.t() >= 0 && p.t() <= horizon)) {
            throw new IllegalArgumentException("point id=" + p.id() + ": t = " + p.t() + " is outside [0, T = "
                + horizon + "]");
        }
        for (int k = 0; k < d; k++) {
            if (!Double.isFinite(p.x()[k])) {
                throw new IllegalArgumentException("point id=" + p.id() + ": x" + k + " = " + p.x()[k]
                    + " is not a finite number");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ work units

    /**
     * Runs one work unit for a group of query points.
     *
     * @param group the group's points (validated); not modified
     * @param unit  one of {@link #units()}
     * @return one partial per point, in group order
     */
    public TermPartial[] run(QueryPoint[] group, UnitKey unit) {
        return run(group, unit, StreamKeys.estimateRoot(opt.seed(), 0));
    }

    /**
     * Runs one work unit for a group of query points with the streams below an estimate root (see
     * {@link StreamKeys#estimateRoot}): point p's key is {@code child(root, p.id())}. With the root of round 0 this
     * is {@link #run(QueryPoint[], UnitKey)}; other roots give independent replicates of the same estimate (the
     * adaptive rounds, the guard's companion, pilots).
     *
     * @param group the group's points (validated); not modified
     * @param unit  one of {@link #units()}
     * @param root  the estimate root
     * @return one partial per point, in group order
     */
    public TermPartial[] run(QueryPoint[] group, UnitKey unit, long root) {
        WorkPlan.Term tm = plan.terms(n)[unit.term()];
        int s = plan.blockSize(unit.term());
        int i0 = unit.block() * s;
        int i1 = Math.min(tm.samples, i0 + s);
        TermPartial[] out = new TermPartial[group.length];
        int m = 0;
        int[] active = new int[group.length];
        for (int j = 0; j < group.length; j++) {
            if (group[j].t() < horizon) {
                active[m++] = j;
            }
        }
        Ctx ctx = new Ctx(group.length);
        if (m > 0 && !tm.skip) {
            double[] t = new double[m];
            double[] x = new double[m * d];
            long[] keys = new long[m];
            int[] origin = new int[m];
            for (int a = 0; a < m; a++) {
                QueryPoint p = group[active[a]];
                t[a] = p.t();
                System.arraycopy(p.x(), 0, x, a * d, d);
                keys[a] = StreamKeys.pointKeyUnder(root, p.id());
                origin[a] = active[a];
            }
            Sums sums = new Sums(m, d, true);
            processTerm(tm, m, t, x, keys, origin, i0, i1, unit.block(), sums, ctx);
            for (int a = 0; a < m; a++) {
                int j = active[a];
                int ia = 2 * a;
                int ib = 2 * a + 1;
                Moments v = sums.mom[ia].copy().combine(sums.mom[ib]);
                double[] gs = new double[d];
                double[] ga = new double[d];
                for (int k = 0; k < d; k++) {
                    gs[k] = sums.g[ia * d + k] + sums.g[ib * d + k];
                    ga[k] = sums.g[ia * d + k];
                }
                boolean probeTerm = tm.level == 0 && !tm.terminal && problem.randomized();
                double pv = probeTerm ? sums.probeVar[ia] + sums.probeVar[ib] : 0.0;
                out[j] = new TermPartial(group[j].id(), unit.term(), unit.block(), v, sums.cnt[ia], gs, ga,
                    ctx.counts[j], ctx.residualSq[j], ctx.residualN[j], ctx.flags[j], probeTerm, pv);
            }
        }
        for (int j = 0; j < group.length; j++) {
            if (out[j] == null) {
                out[j] = TermPartial.empty(group[j].id(), unit.term(), unit.block(), d, ctx.counts[j],
                    ctx.residualSq[j], ctx.residualN[j], ctx.flags[j]);
            }
        }
        return out;
    }

    /** Per-origin evaluation counters and non-finite flags of one unit run. */
    static final class Ctx {
        final long[][] counts;
        final double[] residualSq;
        final long[] residualN;
        final int[] flags;

        Ctx(int g) {
            counts = new long[g][TermPartial.COUNT_NAMES.length];
            residualSq = new double[g];
            residualN = new long[g];
            flags = new int[g];
        }

        void add(int[] origin, int from, int to, int counter, long each) {
            for (int e = from; e < to; e++) {
                counts[origin[e]][counter] += each;
            }
        }
    }

    /**
     * Per node and half h ∈ {a, b}: count, Σv, Σg; index 2j + h. With moments (top-level terms), also the
     * {@link Moments} of v.
     */
    static final class Sums {
        final long[] cnt;
        final double[] v;
        final double[] g;
        final Moments[] mom;
        /** With moments: Σ over the samples of the probes' conditional variance of the value summand. */
        final double[] probeVar;

        Sums(int m, int d, boolean moments) {
            cnt = new long[2 * m];
            v = new double[2 * m];
            g = new double[2 * m * d];
            if (moments) {
                mom = new Moments[2 * m];
                for (int i = 0; i < mom.length; i++) {
                    mom[i] = new Moments();
                }
                probeVar = new double[2 * m];
            } else {
                mom = null;
                probeVar = null;
            }
        }
    }

    /** U_k at m nodes: full estimate and (split-half) the two half estimates. */
    static final class NodeVals {
        final double[] u;
        final double[] z;
        final double[] ua;
        final double[] za;
        final double[] ub;
        final double[] zb;

        NodeVals(double[] u, double[] z, double[] ua, double[] za, double[] ub, double[] zb) {
            this.u = u;
            this.z = z;
            this.ua = ua;
            this.za = za;
            this.ub = ub;
            this.zb = zb;
        }
    }

    /** Evaluates U_k at m nodes (k ≥ 1). */
    private NodeVals evalNodes(int k, int m, double[] t, double[] x, long[] keys, int[] origin, Ctx ctx) {
        boolean split = opt.splitHalf();
        double[] ua = new double[m];
        double[] za = new double[m * d];
        double[] ub = new double[m];
        double[] zb = new double[m * d];
        for (WorkPlan.Term tm : plan.terms(k)) {
            if (tm.skip) {
                continue;
            }
            Sums s = new Sums(m, d, false);
            processTerm(tm, m, t, x, keys, origin, 0, tm.samples, 0, s, ctx);
            for (int j = 0; j < m; j++) {
                int ia = 2 * j;
                int ib = ia + 1;
                if (split) {
                    // half b empty only when the term has a single sample: reuse half a
                    int jb = s.cnt[ib] > 0 ? ib : ia;
                    double ca = 1.0 / s.cnt[ia];
                    double cb = 1.0 / s.cnt[jb];
                    ua[j] += s.v[ia] * ca;
                    ub[j] += s.v[jb] * cb;
                    for (int q = 0; q < d; q++) {
                        za[j * d + q] += s.g[ia * d + q] * ca;
                        zb[j * d + q] += s.g[jb * d + q] * cb;
                    }
                } else {
                    double c = 1.0 / (s.cnt[ia] + s.cnt[ib]);
                    ua[j] += (s.v[ia] + s.v[ib]) * c;
                    for (int q = 0; q < d; q++) {
                        za[j * d + q] += (s.g[ia * d + q] + s.g[ib * d + q]) * c;
                    }
                }
            }
        }
        NodeVals out;
        if (split) {
            double[] u = new double[m];
            double[] z = new double[m * d];
            for (int j = 0; j < m; j++) {
                u[j] = 0.5 * (ua[j] + ub[j]);
            }
            for (int q = 0; q < m * d; q++) {
                z[q] = 0.5 * (za[q] + zb[q]);
            }
            out = new NodeVals(u, z, ua, za, ub, zb);
        } else {
            out = new NodeVals(ua, za, null, null, null, null);
        }
        double c = opt.clip();
        if (!Double.isInfinite(c)) {
            clip(out.u, c);
            clip(out.z, c);
            if (split) {
                clip(out.ua, c);
                clip(out.za, c);
                clip(out.ub, c);
                clip(out.zb, c);
            }
        }
        return out;
    }

    private static void clip(double[] a, double c) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(-c, Math.min(c, a[i]));
        }
    }

    /**
     * Accumulates samples [i0, i1) of one term at m nodes into {@code out}, processing nodes in chunks that keep
     * each batch of evaluation points within {@link #maxBatch}.
     */
    private void processTerm(WorkPlan.Term tm, int m, double[] t, double[] x, long[] keys, int[] origin, int i0, int i1,
                             int block, Sums out, Ctx ctx) {
        int perNode = (i1 - i0) * tm.points * antithetic;
        int chunk = Math.max(1, maxBatch / Math.max(1, perNode));
        for (int j0 = 0; j0 < m; j0 += chunk) {
            processChunk(tm, j0, Math.min(m, j0 + chunk), t, x, keys, origin, i0, i1, block, out, ctx);
        }
    }

    private void processChunk(WorkPlan.Term tm, int j0, int j1, double[] t, double[] x, long[] keys, int[] origin,
                              int i0, int i1, int block, Sums out, Ctx ctx) {
        final int mc = j1 - j0;
        final int ns = i1 - i0;
        final int pa = tm.points * antithetic;
        final int e = mc * ns * pa;
        final EvalBatch batch = new EvalBatch(e, d, antithetic, mu, sigma, horizon);
        final double[] evT = batch.evT;
        final double[] evX = batch.evX;
        final int[] evOrigin = batch.evOrigin;

        // ---- simulate the Brownian samples of every node of the chunk (stream per node, term and block)
        for (int j = j0; j < j1; j++) {
            final double tj = t[j];
            final double tau = horizon - tj;
            final double sqTau = Math.sqrt(tau);
            final int xo = j * d;
            UniformRandomProvider rng = StreamKeys.stream(StreamKeys.child(StreamKeys.child(keys[j], tm.index), block));
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
            int base = (j - j0) * ns * pa;
            if (tm.terminal) {
                batch.fillTerminal(base, ns, tau, sqTau, x, xo, gauss);
            } else {
                scheme.fill(tm, batch, base, ns, tj, tau, sqTau, x, xo, rng, gauss);
            }
            Arrays.fill(evOrigin, base, base + ns * pa, origin[j]);
            ctx.counts[origin[j]][TermPartial.PATHS] += (long) antithetic * ns;
        }

        // ---- evaluate the summands' integrands y at every evaluation point
        final double[] y = new double[e];
        double[] probeVar = null;
        if (tm.terminal) {
            problem.terminal(e, evX, y);
            ctx.add(evOrigin, 0, e, TermPartial.TERMINAL_EVALS, 1);
            if (problem.terminalUsesSurrogate()) {
                ctx.add(evOrigin, 0, e, TermPartial.SURROGATE_VALUE, 1);
            }
        } else {
            probeVar = integrand(tm, e, evT, evX, evOrigin, keys, j0, ns, pa, i0, y, ctx);
        }
        for (int ev = 0; ev < e; ev++) {
            if (!Double.isFinite(y[ev])) {
                flagNonFinite(tm.terminal, e, evT, evX, evOrigin, y, ctx);
                break;
            }
        }
        // ---- control variates and accumulation per node and half
        accumulate(tm, j0, j1, t, x, origin, i0, ns, pa, batch, y, out, ctx);
        if (probeVar != null && out.probeVar != null) {
            // the probes' conditional variance of each value summand Σ_p wU·y (independent probes per point p)
            final double[] wU = batch.wU;
            for (int j = j0; j < j1; j++) {
                final int jl = j - j0;
                for (int i = 0; i < ns; i++) {
                    int h = (i0 + i) < (tm.samples >= 2 ? tm.samples / 2 : tm.samples) ? 0 : 1;
                    int base = (jl * ns + i) * pa;
                    double pv = 0;
                    for (int p = 0; p < pa; p++) {
                        pv += wU[base + p] * wU[base + p] * probeVar[base + p];
                    }
                    out.probeVar[2 * j + h] += pv;
                }
            }
        }
    }

    /**
     * Control variates and accumulation of the summands of one chunk, per node and half: the value summand
     * v = Σ_p wU·y (minus the time control variate for random times), the gradient summand Σ_p (y − c)·wZ·wV with c
     * the leave-one-out mean of the same half (or g̃(x) at the node for a terminal term without it).
     */
    private void accumulate(WorkPlan.Term tm, int j0, int j1, double[] t, double[] x, int[] origin, int i0, int ns,
                            int pa, EvalBatch batch, double[] y, Sums out, Ctx ctx) {
        final double[] wU = batch.wU;
        final double[] wZ = batch.wZ;
        final double[] wV = batch.wV;
        final double inv = batch.inv;
        final int half = tm.samples >= 2 ? tm.samples / 2 : tm.samples;
        final boolean loo = opt.leaveOneOut();
        double[] gx = null;
        final double[] sumY = new double[2 * pa];
        final double[] g = new double[d];
        final boolean randomTimes = !tm.terminal && scheme.randomTimes();
        for (int j = j0; j < j1; j++) {
            final int jl = j - j0;
            final double meanWU = (horizon - t[j]) * inv;
            Arrays.fill(sumY, 0);
            int na = 0;
            int nb = 0;
            for (int i = 0; i < ns; i++) {
                int h = (i0 + i) < half ? 0 : 1;
                if (h == 0) {
                    na++;
                } else {
                    nb++;
                }
                int base = (jl * ns + i) * pa;
                for (int p = 0; p < pa; p++) {
                    sumY[h * pa + p] += y[base + p];
                }
            }
            boolean looA = loo && na >= 2;
            boolean looB = loo && nb >= 2;
            if (tm.terminal && gx == null && (!looA || (nb > 0 && !looB))) {
                gx = new double[j1 - j0];
                double[] xs = Arrays.copyOfRange(x, j0 * d, j1 * d);
                problem.terminal(j1 - j0, xs, gx);
                for (int r = 0; r < gx.length; r++) {
                    if (!Double.isFinite(gx[r])) {
                        ctx.flags[origin[j0 + r]] |= PointStatus.NONFINITE_TERMINAL.bit();
                    }
                }
                ctx.add(origin, j0, j1, TermPartial.TERMINAL_EVALS, 1);
                if (problem.terminalUsesSurrogate()) {
                    ctx.add(origin, j0, j1, TermPartial.SURROGATE_VALUE, 1);
                }
            }
            for (int i = 0; i < ns; i++) {
                int h = (i0 + i) < half ? 0 : 1;
                int nh = h == 0 ? na : nb;
                boolean useLoo = h == 0 ? looA : looB;
                int base = (jl * ns + i) * pa;
                double v = 0;
                Arrays.fill(g, 0);
                for (int p = 0; p < pa; p++) {
                    int ev = base + p;
                    double yy = y[ev];
                    v += wU[ev] * yy;
                    double c;
                    if (useLoo) {
                        c = (sumY[h * pa + p] - yy) / (nh - 1);
                        if (randomTimes) {
                            // time control variate: E[wU] = τ/A is known, c is independent of this sample's V
                            v -= (wU[ev] - meanWU) * c;
                        }
                    } else {
                        c = tm.terminal ? gx[jl] : 0.0;
                    }
                    double coef = (yy - c) * wZ[ev];
                    int vo = ev * d;
                    for (int q = 0; q < d; q++) {
                        g[q] += coef * wV[vo + q];
                    }
                }
                int idx = 2 * j + h;
                out.cnt[idx]++;
                out.v[idx] += v;
                if (out.mom != null) {
                    out.mom[idx].accept(v);
                }
                int go = idx * d;
                for (int q = 0; q < d; q++) {
                    out.g[go + q] += g[q];
                }
            }
        }
    }

    /**
     * Slow path, taken only when some integrand of the batch is not finite: flags each affected query point once,
     * with the cause found by re-evaluating the pieces at one offending evaluation point — for a terminal term, g
     * alone (finite: the surrogate's û(T, ·) is to blame); for a time-integral term, the surrogate (not finite:
     * the surrogate is to blame, else the generator).
     */
    private void flagNonFinite(boolean terminal, int e, double[] evT, double[] evX, int[] evOrigin, double[] y,
                               Ctx ctx) {
        double[] xr = new double[d];
        double[] one = new double[1];
        double[] grad = new double[d];
        for (int ev = 0; ev < e; ev++) {
            int o = evOrigin[ev];
            if (Double.isFinite(y[ev]) || ctx.flags[o] != 0) {
                continue;
            }
            System.arraycopy(evX, ev * d, xr, 0, d);
            PointStatus cause;
            if (terminal) {
                cause = PointStatus.NONFINITE_TERMINAL;
                if (problem.terminalUsesSurrogate()) {
                    pde.terminal(1, xr, one);
                    if (Double.isFinite(one[0])) {
                        cause = PointStatus.NONFINITE_SURROGATE;
                    }
                }
            } else {
                cause = PointStatus.NONFINITE_GENERATOR;
                if (surrogate != null) {
                    surrogate.valueAndGradient(1, new double[] {evT[ev]}, xr, one, grad);
                    boolean finite = Double.isFinite(one[0]);
                    for (int k = 0; k < d && finite; k++) {
                        finite = Double.isFinite(grad[k]);
                    }
                    if (!finite) {
                        cause = PointStatus.NONFINITE_SURROGATE;
                    }
                }
            }
            ctx.flags[o] |= cause.bit();
        }
    }

    /**
     * The key of evaluation point {@code ev} of a batch: child(child(child(node key, term), sample i), point p), with
     * p the quadrature node and antithetic member. Inner estimates at the point use its children 0 and 1, the
     * probes of a randomized Laplacian its child {@link StreamKeys#PROBE}.
     */
    private static long sampleKey(WorkPlan.Term tm, int ev, long[] keys, int j0, int ns, int pa, int i0) {
        int jl = ev / (ns * pa);
        int rem = ev - jl * ns * pa;
        int i = i0 + rem / pa;
        int p = rem % pa;
        long termKey = StreamKeys.child(keys[j0 + jl], tm.index);
        return StreamKeys.child(StreamKeys.child(termKey, i), p);
    }

    /**
     * y = Φ-difference of a level term at every evaluation point: for l = 0, Φ(0) + ε; for l ≥ 1,
     * Gp(U_l) − Gp(U_{l−1}) with independent inner estimates.
     *
     * @return with a randomized Laplacian at l = 0: per evaluation point the probes' variance of y (NaN for one
     *         probe); else null
     */
    private double[] integrand(WorkPlan.Term tm, int e, double[] evT, double[] evX, int[] evOrigin, long[] keys, int j0,
                               int ns, int pa, int i0, double[] y, Ctx ctx) {
        final int l = tm.level;
        final boolean withSource = l == 0 && problem.hasSource();
        NodeVals cur = null;
        NodeVals prev = null;
        if (l >= 1) {
            long[] kc = new long[e];
            long[] kp = new long[e];
            for (int ev = 0; ev < e; ev++) {
                long sampleKey = sampleKey(tm, ev, keys, j0, ns, pa, i0);
                kc[ev] = StreamKeys.child(sampleKey, 0);
                kp[ev] = StreamKeys.child(sampleKey, 1);
            }
            cur = evalNodes(l, e, evT, evX, kc, evOrigin, ctx);
            if (l >= 2) {
                prev = evalNodes(l - 1, e, evT, evX, kp, evOrigin, ctx);
            }
        }
        long[] probeKeys = null;
        if (withSource && problem.randomized()) {
            // every sample, antithetic member and quadrature node draws its own probes
            probeKeys = new long[e];
            for (int ev = 0; ev < e; ev++) {
                probeKeys[ev] = StreamKeys.child(sampleKey(tm, ev, keys, j0, ns, pa, i0), StreamKeys.PROBE);
            }
        }
        PicardProblem.Gen gen = problem.prepare(e, evT, evX, withSource, probeKeys);
        if (problem.terminalUsesSurrogate()) {
            int counter = withSource ? TermPartial.SURROGATE_RESIDUAL
                : (problem.usesGradient() ? TermPartial.SURROGATE_GRADIENT : TermPartial.SURROGATE_VALUE);
            ctx.add(evOrigin, 0, e, counter, 1);
        }
        Arrays.fill(y, 0, e, 0.0);
        if (l == 0) {
            if (!problem.vanishesAtZero()) {
                phi(gen, null, e, y, 1.0, evOrigin, ctx);
            }
        } else {
            phi(gen, cur, e, y, 1.0, evOrigin, ctx);
            if (prev != null) {
                phi(gen, prev, e, y, -1.0, evOrigin, ctx);
            } else if (!problem.vanishesAtZero()) {
                phi(gen, null, e, y, -1.0, evOrigin, ctx);
            }
        }
        double[] probeVar = null;
        if (withSource) {
            double[] eps = gen.source();
            probeVar = gen.sourceProbeVariance();
            if (probeVar == null) {
                for (int ev = 0; ev < e; ev++) {
                    y[ev] += eps[ev];
                    ctx.residualSq[evOrigin[ev]] += eps[ev] * eps[ev];
                    ctx.residualN[evOrigin[ev]]++;
                }
            } else {
                for (int ev = 0; ev < e; ev++) {
                    y[ev] += eps[ev];
                    // E[ε̂²] = ε² + Var(ε̂ | point): subtract the unbiased estimate of the latter (k ≥ 2; with one
                    // probe it is not estimable and the residual RMS stays biased upward)
                    double pv = probeVar[ev];
                    ctx.residualSq[evOrigin[ev]] += eps[ev] * eps[ev] - (Double.isNaN(pv) ? 0.0 : pv);
                    ctx.residualN[evOrigin[ev]]++;
                }
            }
            ctx.add(evOrigin, 0, e, TermPartial.RESIDUAL_EVALS, 1);
        }
        return probeVar;
    }

    /** y += sign · Gp(U) (split-half) or sign · Φ(U); U = null means U ≡ 0. */
    private void phi(PicardProblem.Gen gen, NodeVals u, int e, double[] y, double sign, int[] evOrigin, Ctx ctx) {
        double[] tmp = new double[e];
        if (u == null) {
            gen.apply(new double[e], new double[e * d], tmp);
            for (int i = 0; i < e; i++) {
                y[i] += sign * tmp[i];
            }
            ctx.add(evOrigin, 0, e, TermPartial.GENERATOR_EVALS, 1);
            return;
        }
        gen.apply(u.u, u.z, tmp);
        if (u.ua == null) {
            for (int i = 0; i < e; i++) {
                y[i] += sign * tmp[i];
            }
            ctx.add(evOrigin, 0, e, TermPartial.GENERATOR_EVALS, 1);
            return;
        }
        double[] ta = new double[e];
        double[] tb = new double[e];
        gen.apply(u.ua, u.za, ta);
        gen.apply(u.ub, u.zb, tb);
        for (int i = 0; i < e; i++) {
            y[i] += sign * (2 * tmp[i] - 0.5 * (ta[i] + tb[i]));
        }
        ctx.add(evOrigin, 0, e, TermPartial.GENERATOR_EVALS, 3);
    }

    // ------------------------------------------------------------------------------------------------ estimates

    /**
     * The estimates of a group of points from their complete accumulators (see {@link PointReduction}): evaluates
     * the surrogate, the exact solution and g at the points themselves, then lets each accumulator build its
     * estimate.
     *
     * @param points the points; not modified
     * @param acc    one accumulator per point, holding every unit of the plan
     * @return one estimate per point
     */
    PointEstimate[] estimates(QueryPoint[] points, PointAccumulator[] acc) {
        final int np = points.length;
        double[] t = new double[np];
        double[] x = new double[np * d];
        for (int i = 0; i < np; i++) {
            t[i] = points[i].t();
            System.arraycopy(points[i].x(), 0, x, i * d, d);
        }
        double[] uh = new double[np];
        double[] zh = new double[np * d];
        if (surrogate != null) {
            surrogate.valueAndGradient(np, t, x, uh, zh);
            for (int i = 0; i < np * d; i++) {
                zh[i] *= sigma;
            }
        } else {
            Arrays.fill(uh, Double.NaN);
        }
        double[] exact = new double[np];
        if (pde.hasExact()) {
            pde.exact(np, t, x, exact);
        } else {
            Arrays.fill(exact, Double.NaN);
        }
        double[] gT = new double[np];
        pde.terminal(np, x, gT);
        PointEstimate[] out = new PointEstimate[np];
        for (int i = 0; i < np; i++) {
            double[] zs = surrogate != null ? Arrays.copyOfRange(zh, i * d, (i + 1) * d) : new double[d];
            PointAccumulator.Facts f = new PointAccumulator.Facts(horizon, problem != null, surrogate != null, uh[i],
                zs, exact[i], gT[i]);
            out[i] = acc[i].estimate(points[i], f);
        }
        return out;
    }
}
