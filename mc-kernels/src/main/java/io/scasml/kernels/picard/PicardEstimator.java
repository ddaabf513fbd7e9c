package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Multilevel Picard (MLP) and SCaSML estimators of u(t, x) with Monte Carlo error bars (ALGORITHM.md §1–3, §10).
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
 * <h2>Error bars</h2>
 * The top-level terms are independent sample means, so Var(U_n) = Σ_terms Var(summand)/N; the standard error uses
 * the unbiased per-term sample variances. A term with one sample makes the standard error NaN.
 *
 * <h2>Work decomposition and reproducibility</h2>
 * Work units are (group of query points, top-level term, fixed block of the term's samples) — {@link #units()} is a
 * pure function of the options. Every draw derives from (seed, point id, tree position, block) by
 * {@link StreamKeys}, and every batch inside a unit has a shape fixed by the unit, so any division of the units among
 * threads, tasks or executors, in any order, gives bit-identical estimates ({@link #finish} combines in (term, block)
 * order).
 *
 * <p>Thread-safe: {@link #run} may be called concurrently (the PDE and surrogate must be thread-safe).
 */
public final class PicardEstimator {
    /** Two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;
    /** Evaluation points per batch are also bounded by this many doubles of coordinates (memory). */
    static final int MAX_BATCH_DOUBLES = 1 << 21;

    private final Pde pde;
    private final Surrogate surrogate;
    private final RunOptions opt;
    private final PicardProblem problem;
    private final int d;
    private final int n;
    private final double horizon;
    private final double sigma;
    private final double[] mu;
    private final int antithetic;
    private final Term[][] terms;
    private final double[] cost;
    private final int[] blockSize;
    private final List<UnitKey> units;
    private final int maxBatch;

    /** One Picard term of a node at level k. */
    static final class Term {
        final int index;
        final boolean terminal;
        final int level;
        final int samples;
        final int points;
        final GaussLegendre rule;
        final boolean skip;

        Term(int index, boolean terminal, int level, int samples, int points, GaussLegendre rule, boolean skip) {
            this.index = index;
            this.terminal = terminal;
            this.level = level;
            this.samples = samples;
            this.points = points;
            this.rule = rule;
            this.skip = skip;
        }
    }

    private PicardEstimator(Pde original, Surrogate surrogate, RunOptions opt) {
        this.pde = opt.driftInGenerator() ? io.scasml.kernels.pde.DriftFreePde.of(original) : original;
        this.surrogate = surrogate;
        this.opt = opt;
        this.d = pde.dim();
        this.n = opt.levels();
        this.horizon = pde.horizon();
        this.sigma = pde.sigma();
        this.mu = pde.drift();
        this.antithetic = opt.antithetic() ? 2 : 1;
        this.maxBatch = Math.max(256, Math.min(opt.batchPoints(), MAX_BATCH_DOUBLES / d));
        switch (opt.method()) {
            case MLP: problem = PicardProblem.plain(pde); break;
            case SCASML: problem = PicardProblem.defect(pde, surrogate); break;
            default: problem = null;
        }
        terms = new Term[n + 1][];
        cost = new double[n + 1];
        terms[0] = new Term[0];
        for (int k = 1; k <= n; k++) {
            if (problem == null) {
                terms[k] = new Term[0];
                continue;
            }
            terms[k] = buildTerms(k);
            double c = 0;
            for (Term tm : terms[k]) {
                if (!tm.skip) {
                    c += (double) tm.samples * perSampleCost(tm);
                }
            }
            cost[k] = c;
        }
        blockSize = new int[n + 1];
        List<UnitKey> u = new ArrayList<>();
        if (problem != null && n > 0) {
            for (Term tm : terms[n]) {
                if (tm.skip) {
                    continue;
                }
                double c = perSampleCost(tm);
                long s = (long) Math.floor(opt.unitCost() / c);
                s = Math.max(1, Math.min(s, tm.samples));
                s = Math.min(s, Math.max(1, maxBatch / ((long) tm.points * antithetic)));
                blockSize[tm.index] = (int) s;
                int blocks = (int) ((tm.samples + s - 1) / s);
                for (int b = 0; b < blocks; b++) {
                    u.add(new UnitKey(tm.index, b));
                }
            }
        }
        units = Collections.unmodifiableList(u);
    }

    private double perSampleCost(Term tm) {
        double pa = (double) tm.points * antithetic;
        if (tm.terminal) {
            return pa;
        }
        return pa * (1 + cost[tm.level] + (tm.level >= 1 ? cost[tm.level - 1] : 0));
    }

    private Term[] buildTerms(int k) {
        Term[] ts = new Term[k + 1];
        boolean quad = opt.scheme() == Scheme.QUADRATURE;
        int nTerm = quad ? QuadratureTables.terminalSamples(n, k + 1) : pow(opt.base(), k);
        ts[0] = new Term(0, true, -1, pairs(nTerm), 1, null, false);
        for (int l = 0; l < k; l++) {
            boolean skip = problem.isZero() && (l >= 1 || !problem.hasSource());
            if (quad) {
                int q = QuadratureTables.nodes(n, k - l);
                ts[1 + l] = new Term(1 + l, false, l, pairs(QuadratureTables.paths(n, k - l)), q, GaussLegendre.of(q),
                    skip);
            } else {
                ts[1 + l] = new Term(1 + l, false, l, pairs(pow(opt.base(), k - l)), 1, null, skip);
            }
        }
        return ts;
    }

    /** With antithetic pairs, N paths become ⌈N/2⌉ pairs (same number of evaluations); otherwise N. */
    private int pairs(int samples) {
        return antithetic == 2 ? (samples + 1) / 2 : samples;
    }

    private static int pow(int b, int e) {
        long r = 1;
        for (int i = 0; i < e; i++) {
            r *= b;
            if (r > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("levels/base: M^n = " + b + "^" + e + " overflows");
            }
        }
        return (int) r;
    }

    /**
     * Creates an estimator.
     *
     * @param pde       the equation
     * @param surrogate the surrogate û (required for SCaSML and the surrogate alone; ignored by MLP; may be null then)
     * @param opt       run options
     * @throws IllegalArgumentException if a surrogate is needed but missing, its dimension differs from the PDE's, or
     *                                  the estimated cost per point exceeds {@link RunOptions#maxEvaluationsPerPoint()}
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
        PicardEstimator e = new PicardEstimator(pde, opt.method() == Method.MLP ? null : surrogate, opt);
        double c = e.estimatedEvaluationsPerPoint();
        if (c > opt.maxEvaluationsPerPoint()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                "budget: n = %d, M = %d (%s) needs about %.3g evaluations per point, above the limit %.3g;"
                    + " lower --levels/--base or raise --max-evals", opt.levels(), opt.base(), opt.scheme().label(),
                c, opt.maxEvaluationsPerPoint()));
        }
        return e;
    }

    /** The PDE. */
    public Pde pde() {
        return pde;
    }

    /** The options. */
    public RunOptions options() {
        return opt;
    }

    /** Fewest samples per half below which the split-half and leave-one-out estimators are unreliable. */
    public static final int MIN_HALF_SAMPLES = 4;

    /**
     * Warnings about the configuration itself (empty when none): the split-half generator and the leave-one-out
     * control variates need a few samples per half of every inner Picard term — with halves of 1–3 samples the
     * estimates of quadratic generators become unstable (measured: LQG d = 100 diverges at M = 4, n ≥ 2).
     */
    public List<String> configurationWarnings() {
        List<String> w = new ArrayList<>();
        if (problem == null || n < 2 || !(opt.splitHalf() || opt.leaveOneOut())) {
            return w;
        }
        int fewest = Integer.MAX_VALUE;
        for (int k = 1; k < n; k++) {
            for (Term tm : terms[k]) {
                if (!tm.skip) {
                    fewest = Math.min(fewest, tm.samples / 2);
                }
            }
        }
        if (fewest < MIN_HALF_SAMPLES) {
            w.add("inner Picard terms have only " + fewest + " sample(s) per half: the split-half and leave-one-out"
                + " estimators are unreliable there (raise --base to at least " + (4 * MIN_HALF_SAMPLES / 2)
                + (opt.antithetic() ? ", or drop --antithetic" : "") + ")");
        }
        return w;
    }

    /** Estimated terminal + generator evaluations per query point (the recursion of ALGORITHM.md §2.5). */
    public double estimatedEvaluationsPerPoint() {
        return problem == null ? 1 : cost[n];
    }

    /** The work units of one group of query points, in (term, block) order; empty for the surrogate alone. */
    public List<UnitKey> units() {
        return units;
    }

    /** Number of samples of top-level term {@code term}. */
    public int termSamples(int term) {
        return terms[n][term].samples;
    }

    /** Block size of top-level term {@code term}. */
    public int blockSize(int term) {
        return blockSize[term];
    }

    /**
     * Checks a query point.
     *
     * @throws IllegalArgumentException naming the point, the bad value and what was expected
     */
    public void validate(QueryPoint p) {
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
        Term tm = terms[n][unit.term()];
        int s = blockSize[unit.term()];
        int i0 = unit.block() * s;
        int i1 = Math.min(tm.samples, i0 + s);
        TermPartial[] out = new TermPartial[group.length];
        int m = 0;
        int[] active = new int[group.length];
        for (int j = 0; j < group.length; j++) {
            out[j] = new TermPartial(group[j].id(), unit.term(), unit.block(), d);
            if (group[j].t() < horizon) {
                active[m++] = j;
            }
        }
        if (m == 0 || tm.skip) {
            return out;
        }
        double[] t = new double[m];
        double[] x = new double[m * d];
        long[] keys = new long[m];
        int[] origin = new int[m];
        for (int a = 0; a < m; a++) {
            QueryPoint p = group[active[a]];
            t[a] = p.t();
            System.arraycopy(p.x(), 0, x, a * d, d);
            keys[a] = StreamKeys.pointKey(opt.seed(), p.id());
            origin[a] = active[a];
        }
        Ctx ctx = new Ctx(group.length);
        Sums sums = new Sums(m, d);
        processTerm(tm, m, t, x, keys, origin, i0, i1, unit.block(), sums, ctx);
        for (int a = 0; a < m; a++) {
            int j = active[a];
            TermPartial p = out[j];
            int ia = 2 * a;
            int ib = 2 * a + 1;
            p.n = sums.cnt[ia] + sums.cnt[ib];
            p.vSum = sums.v[ia] + sums.v[ib];
            p.vSq = sums.vq[ia] + sums.vq[ib];
            p.gSq = sums.gq[ia] + sums.gq[ib];
            p.nA = sums.cnt[ia];
            p.vSumA = sums.v[ia];
            for (int k = 0; k < d; k++) {
                p.gSum[k] = sums.g[ia * d + k] + sums.g[ib * d + k];
                p.gSumA[k] = sums.g[ia * d + k];
            }
            System.arraycopy(ctx.counts[j], 0, p.counts, 0, p.counts.length);
            p.residualSq = ctx.residualSq[j];
            p.residualN = ctx.residualN[j];
        }
        return out;
    }

    /** Per-origin evaluation counters of one unit run. */
    static final class Ctx {
        final long[][] counts;
        final double[] residualSq;
        final long[] residualN;

        Ctx(int g) {
            counts = new long[g][TermPartial.COUNT_NAMES.length];
            residualSq = new double[g];
            residualN = new long[g];
        }

        void add(int[] origin, int from, int to, int counter, long each) {
            for (int e = from; e < to; e++) {
                counts[origin[e]][counter] += each;
            }
        }
    }

    /** Per node and half h ∈ {a, b}: count, Σv, Σv², Σg, Σ‖g‖²; index 2j + h. */
    static final class Sums {
        final long[] cnt;
        final double[] v;
        final double[] vq;
        final double[] g;
        final double[] gq;

        Sums(int m, int d) {
            cnt = new long[2 * m];
            v = new double[2 * m];
            vq = new double[2 * m];
            g = new double[2 * m * d];
            gq = new double[2 * m];
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
        for (Term tm : terms[k]) {
            if (tm.skip) {
                continue;
            }
            Sums s = new Sums(m, d);
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
    private void processTerm(Term tm, int m, double[] t, double[] x, long[] keys, int[] origin, int i0, int i1,
                             int block, Sums out, Ctx ctx) {
        int perNode = (i1 - i0) * tm.points * antithetic;
        int chunk = Math.max(1, maxBatch / Math.max(1, perNode));
        for (int j0 = 0; j0 < m; j0 += chunk) {
            processChunk(tm, j0, Math.min(m, j0 + chunk), t, x, keys, origin, i0, i1, block, out, ctx);
        }
    }

    private void processChunk(Term tm, int j0, int j1, double[] t, double[] x, long[] keys, int[] origin, int i0,
                              int i1, int block, Sums out, Ctx ctx) {
        final int mc = j1 - j0;
        final int ns = i1 - i0;
        final int pa = tm.points * antithetic;
        final int e = mc * ns * pa;
        final double[] evT = new double[e];
        final double[] evX = new double[e * d];
        final double[] wU = new double[e];
        final double[] wZ = new double[e];
        final double[] wV = new double[e * d];
        final int[] evOrigin = new int[e];
        final double[] xi = new double[d];
        final double[] acc = new double[d];
        final double inv = 1.0 / antithetic;

        // ---- simulate the Brownian samples of every node of the chunk (stream per node, term and block)
        for (int j = j0; j < j1; j++) {
            final double tj = t[j];
            final double tau = horizon - tj;
            final double sqTau = Math.sqrt(tau);
            final int xo = j * d;
            UniformRandomProvider rng = StreamKeys.stream(StreamKeys.child(StreamKeys.child(keys[j], tm.index), block));
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int i = 0; i < ns; i++) {
                int base = ((j - j0) * ns + i) * pa;
                if (tm.terminal) {
                    for (int q = 0; q < d; q++) {
                        xi[q] = gauss.sample();
                    }
                    for (int a = 0; a < antithetic; a++) {
                        int ev = base + a;
                        double sg = a == 0 ? 1 : -1;
                        evT[ev] = horizon;
                        wU[ev] = inv;
                        wZ[ev] = inv / sqTau;
                        for (int q = 0; q < d; q++) {
                            evX[ev * d + q] = x[xo + q] + mu[q] * tau + sigma * sqTau * sg * xi[q];
                            wV[ev * d + q] = sg * xi[q];
                        }
                    }
                } else if (tm.rule == null) {
                    double v = rng.nextDouble();
                    double r = v * v * tau;
                    double sr = Math.sqrt(r);
                    for (int q = 0; q < d; q++) {
                        xi[q] = gauss.sample();
                    }
                    for (int a = 0; a < antithetic; a++) {
                        int ev = base + a;
                        double sg = a == 0 ? 1 : -1;
                        evT[ev] = tj + r;
                        wU[ev] = 2 * v * tau * inv;
                        wZ[ev] = 2 * sqTau * inv;
                        for (int q = 0; q < d; q++) {
                            evX[ev * d + q] = x[xo + q] + mu[q] * r + sigma * sr * sg * xi[q];
                            wV[ev * d + q] = sg * xi[q];
                        }
                    }
                } else {
                    Arrays.fill(acc, 0);
                    double prev = 0;
                    for (int kq = 0; kq < tm.points; kq++) {
                        double c = tm.rule.node(kq) * tau;
                        double w = tm.rule.weight(kq) * tau;
                        double sd = Math.sqrt(c - prev);
                        prev = c;
                        for (int q = 0; q < d; q++) {
                            acc[q] += sd * gauss.sample();
                        }
                        for (int a = 0; a < antithetic; a++) {
                            int ev = base + kq * antithetic + a;
                            double sg = a == 0 ? 1 : -1;
                            evT[ev] = tj + c;
                            wU[ev] = w * inv;
                            wZ[ev] = w / c * inv;
                            for (int q = 0; q < d; q++) {
                                evX[ev * d + q] = x[xo + q] + mu[q] * c + sigma * sg * acc[q];
                                wV[ev * d + q] = sg * acc[q];
                            }
                        }
                    }
                }
                for (int p = 0; p < pa; p++) {
                    evOrigin[base + p] = origin[j];
                }
                ctx.counts[origin[j]][TermPartial.PATHS] += antithetic;
            }
        }

        // ---- evaluate the summands' integrands y at every evaluation point
        final double[] y = new double[e];
        if (tm.terminal) {
            problem.terminal(e, evX, y);
            ctx.add(evOrigin, 0, e, TermPartial.TERMINAL_EVALS, 1);
            if (problem.terminalUsesSurrogate()) {
                ctx.add(evOrigin, 0, e, TermPartial.SURROGATE_VALUE, 1);
            }
        } else {
            integrand(tm, e, evT, evX, evOrigin, keys, j0, ns, pa, i0, y, ctx);
        }

        // ---- control variates and accumulation per node and half
        final int half = tm.samples >= 2 ? tm.samples / 2 : tm.samples;
        final boolean loo = opt.leaveOneOut();
        double[] gx = null;
        final double[] sumY = new double[2 * pa];
        final double[] g = new double[d];
        final boolean randomTimes = !tm.terminal && tm.rule == null;
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
                double gq = 0;
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
                out.vq[idx] += v * v;
                int go = idx * d;
                for (int q = 0; q < d; q++) {
                    out.g[go + q] += g[q];
                    gq += g[q] * g[q];
                }
                out.gq[idx] += gq;
            }
        }
    }

    /**
     * y = Φ-difference of a level term at every evaluation point: for l = 0, Φ(0) + ε; for l ≥ 1,
     * Gp(U_l) − Gp(U_{l−1}) with independent inner estimates.
     */
    private void integrand(Term tm, int e, double[] evT, double[] evX, int[] evOrigin, long[] keys, int j0, int ns,
                           int pa, int i0, double[] y, Ctx ctx) {
        final int l = tm.level;
        final boolean withSource = l == 0 && problem.hasSource();
        NodeVals cur = null;
        NodeVals prev = null;
        if (l >= 1) {
            long[] kc = new long[e];
            long[] kp = new long[e];
            for (int ev = 0; ev < e; ev++) {
                int jl = ev / (ns * pa);
                int rem = ev - jl * ns * pa;
                int i = i0 + rem / pa;
                int p = rem % pa;
                long termKey = StreamKeys.child(keys[j0 + jl], tm.index);
                long sampleKey = StreamKeys.child(StreamKeys.child(termKey, i), p);
                kc[ev] = StreamKeys.child(sampleKey, 0);
                kp[ev] = StreamKeys.child(sampleKey, 1);
            }
            cur = evalNodes(l, e, evT, evX, kc, evOrigin, ctx);
            if (l >= 2) {
                prev = evalNodes(l - 1, e, evT, evX, kp, evOrigin, ctx);
            }
        }
        PicardProblem.Gen gen = problem.prepare(e, evT, evX, withSource);
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
        if (withSource) {
            double[] eps = gen.source();
            for (int ev = 0; ev < e; ev++) {
                y[ev] += eps[ev];
                ctx.residualSq[evOrigin[ev]] += eps[ev] * eps[ev];
                ctx.residualN[evOrigin[ev]]++;
            }
            ctx.add(evOrigin, 0, e, TermPartial.RESIDUAL_EVALS, 1);
        }
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

    // ------------------------------------------------------------------------------------------------ reduction

    /**
     * Combines the partials of a batch of points into estimates.
     *
     * @param points   the points; not modified
     * @param partials for each point, all its partials (any order; sorted here by (term, block)); not modified
     * @return one estimate per point
     */
    public PointEstimate[] finish(QueryPoint[] points, List<List<TermPartial>> partials) {
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
            QueryPoint p = points[i];
            double[] zs = surrogate != null ? Arrays.copyOfRange(zh, i * d, (i + 1) * d) : new double[d];
            if (problem == null) {
                out[i] = new PointEstimate(p.id(), p.t(), p.x(), uh[i], 0.0, uh[i], Double.NaN, Double.NaN,
                    Double.NaN, zs, exact[i], new long[TermPartial.COUNT_NAMES.length], Double.NaN, dot(zs, zs),
                    Double.NaN);
                continue;
            }
            List<TermPartial> ps = new ArrayList<>(partials.get(i));
            ps.sort((a, b) -> a.term != b.term ? Integer.compare(a.term, b.term) : Integer.compare(a.block, b.block));
            long[] counts = new long[TermPartial.COUNT_NAMES.length];
            double corr = 0;
            double var = 0;
            double dofDen = 0;
            double[] z = new double[d];
            double[] za = new double[d];
            double[] zb = new double[d];
            boolean halves = true;
            double residSq = 0;
            long residN = 0;
            int idx = 0;
            while (idx < ps.size()) {
                TermPartial acc = ps.get(idx).copy();
                idx++;
                while (idx < ps.size() && ps.get(idx).term == acc.term) {
                    acc.combine(ps.get(idx));
                    idx++;
                }
                for (int k = 0; k < counts.length; k++) {
                    counts[k] += acc.counts[k];
                }
                residSq += acc.residualSq;
                residN += acc.residualN;
                if (acc.n == 0) {
                    continue;
                }
                double mean = acc.vSum / acc.n;
                corr += mean;
                double vt = acc.n >= 2 ? Math.max(0, (acc.vSq - acc.vSum * mean) / (acc.n - 1)) / acc.n : Double.NaN;
                var += vt;
                dofDen += acc.n >= 2 ? vt * vt / (acc.n - 1) : Double.NaN;
                long nb = acc.n - acc.nA;
                for (int k = 0; k < d; k++) {
                    z[k] += acc.gSum[k] / acc.n;
                    if (acc.nA > 0 && nb > 0) {
                        za[k] += acc.gSumA[k] / acc.nA;
                        zb[k] += (acc.gSum[k] - acc.gSumA[k]) / nb;
                    }
                }
                if (acc.nA == 0 || nb == 0) {
                    halves = false;
                }
            }
            double u;
            double se;
            double ush = surrogate != null ? uh[i] : Double.NaN;
            if (!(p.t() < horizon)) {
                corr = surrogate != null ? gT[i] - uh[i] : gT[i];
                u = gT[i];
                se = 0;
                Arrays.fill(z, Double.NaN);
            } else {
                u = surrogate != null ? uh[i] + corr : corr;
                se = Math.sqrt(var);
            }
            double[] ztot = new double[d];
            for (int k = 0; k < d; k++) {
                ztot[k] = z[k] + (surrogate != null ? zs[k] : 0);
            }
            double gvt = Double.NaN;
            if (halves && p.t() < horizon) {
                gvt = 0;
                for (int k = 0; k < d; k++) {
                    double dd = za[k] - zb[k];
                    gvt += dd * dd;
                }
                gvt /= 4;
            }
            // Welch–Satterthwaite degrees of freedom of the sum of term means; Student-t half-width
            double q = se > 0 ? tQuantile975(var * var / dofDen) : Z95;
            out[i] = new PointEstimate(p.id(), p.t(), p.x(), ush, corr, u, se, u - q * se, u + q * se, ztot,
                exact[i], counts, gvt, dot(ztot, ztot), residN > 0 ? Math.sqrt(residSq / residN) : Double.NaN);
        }
        return out;
    }

    /**
     * The 97.5% quantile of Student's t with ν degrees of freedom (Abramowitz–Stegun 26.7.5 expansion about the
     * normal quantile; relative error below 1e-4 for ν ≥ 3, and ν is floored at 2). ν = ∞ or NaN gives 1.95996.
     */
    static double tQuantile975(double nu) {
        if (!(nu < 1e7)) {
            return Z95;
        }
        if (nu < 2) {
            nu = 2;
        }
        double z = Z95;
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
