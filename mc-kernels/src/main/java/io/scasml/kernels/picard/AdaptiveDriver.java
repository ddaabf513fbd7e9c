package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.stats.StudentT;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Adaptive rounds and guarded SCaSML, independent of where the estimates run (docs/algorithm.md §23).
 *
 * <h2>Rounds</h2>
 * Round r estimates every point that is still active with the streams below
 * {@link StreamKeys#estimateRoot}(seed, r): an independent replicate of the same estimator (round 0 is exactly the
 * plain run). A point's estimate combines its replicates with equal weights; its standard error is the pooled
 * within-replicate one, SE² = Σᵣ SEᵣ²/R², with Welch–Satterthwaite degrees of freedom over all the replicates'
 * terms ({@link ReplicateSet}). After each round a point stops when
 * SE ≤ max({@link RunOptions#targetSe()}, {@link RunOptions#targetRelSe()}·|u|) (target met), when it has had
 * {@link RunOptions#maxRounds()} rounds, when another round would take its evaluations above
 * {@link RunOptions#maxEvaluationsPerPoint()}, or when its estimate is not a number. Without a target there is one
 * round. Every decision is a function of the accumulated numbers only, so the same seed, options and points give
 * the same bits whatever runs the rounds, in whatever order, with whatever retries.
 *
 * <h2>Guarded SCaSML</h2>
 * With {@link RunOptions#guard()} and method SCaSML, every round also runs a plain-MLP estimate of u (the
 * {@link #companion()}, streams {@link StreamKeys#companionRoot}, no surrogate calls); before round 0 a pilot phase
 * runs one estimate of both on the streams {@link StreamKeys#pilotRoot}, used for nothing but the weight. The
 * reported value is w·S + (1 − w)·M with w fixed by the pilot (see {@link #pilotWeight}: estimated-MSE weights with
 * each method's last Picard increment as its truncation-bias proxy); since w is independent of the replicates it
 * weighs, the combination is unbiased whenever S and M are, and its variance is w²Var(S) + (1 − w)²Var(M)
 * (independent streams), estimated from the replicates. A point whose weight is 0 or 1 (snapped within
 * {@link #SNAP}) runs the rounds of that one method only.
 *
 * <h2>Use</h2>
 * Pull style, for a job that runs each round as one stage: {@link #nextBatches()}, run them, {@link #accept} the
 * results, optionally {@link #checkpoint()}, until {@link #finished()}; then {@link #results()}. Or push style:
 * {@link #run(RoundExecutor, RoundListener)}. A fresh driver {@link #restore}d from a checkpoint continues the run
 * and ends with the same bits as an uninterrupted one.
 *
 * <p>Not thread-safe (the driver side of a run).
 */
public final class AdaptiveDriver {
    /** Version of the checkpoint format written by {@link #checkpoint()} (2: the guard's pilot phase and proxies). */
    public static final int CHECKPOINT_VERSION = 3;
    private static final byte[] MAGIC = "SCASMLCK".getBytes(StandardCharsets.US_ASCII);
    /**
     * Pilot disagreement threshold: the part of (S − M)² above this multiple of SE_S² + SE_M² and above what the
     * two truncation-bias proxies explain counts as a bias of SCaSML in the weight (a four-SE rule: two unbiased
     * pilots cross it with probability about 6e-5 for normal errors, so an accurate surrogate keeps its weight).
     */
    public static final double DISAGREEMENT_SE2 = 16.0;
    /**
     * The two-sided tail of the normal four-SE rule, 2·Φ(−4): with the pilots' Welch–Satterthwaite degrees of
     * freedom ν the threshold is the t quantile of this tail (4 as ν → ∞, larger at small ν), so pilots with
     * few samples do not cross it more often.
     */
    public static final double DISAGREEMENT_TAIL = 6.334248366623996e-5;
    /**
     * A pilot weight within this distance of 0 or 1 is snapped to it, and the other method's main rounds are skipped
     * for that point: by (23.6) the estimated MSE grows by at most a factor 1/(1 − SNAP) (5.3%, 2.6% in RMSE) while
     * the point's cost per round drops by the skipped method's share.
     */
    public static final double SNAP = 0.05;
    /**
     * Fewest rounds before a point whose SE comes from the between-replicate fallback (no within-replicate
     * variance, {@link ReplicateSet}) may stop on its target: with few degrees of freedom, stopping on a small SE
     * estimate selects underestimates and the intervals under-cover.
     */
    public static final int MIN_FALLBACK_ROUNDS = 8;
    /** Options that do not change any bit of the result (excluded from the checkpoint's options hash). */
    private static final Set<String> LAYOUT_OPTIONS = Set.of("points_per_unit", "max_work_units",
        "max_units_per_group");

    /** Called after every completed round (e.g. to write a checkpoint and a progress line). */
    @FunctionalInterface
    public interface RoundListener {
        void afterRound(AdaptiveDriver driver);
    }

    /**
     * Where a run stands, after {@link #round()} completed rounds.
     *
     * @param round                    rounds completed
     * @param points                   points of the run
     * @param remaining                points still active (to be estimated in the next round)
     * @param targetMet                points that met the target
     * @param evaluations              evaluations spent so far (cost model, all points)
     * @param nextRoundEvaluations     evaluations of the next round
     * @param predictedEvaluationsLeft evaluations the remaining points are predicted to need (each active point:
     *                                 ⌈R·(SE/tol)²⌉ − R more rounds, within its caps); an ETA is
     *                                 elapsed · predictedEvaluationsLeft / evaluations
     * @param targeted                 whether the run has a target (otherwise {@code targetMet} means nothing and the
     *                                 line leaves it out)
     */
    public record Progress(int round, int points, int remaining, int targetMet, double evaluations,
                           double nextRoundEvaluations, double predictedEvaluationsLeft, boolean targeted) {
        /** A one-line summary, e.g. for the job's progress line (the caller adds wall time and ETA). */
        public String line() {
            return String.format(Locale.ROOT, "round %d: %d of %d points remaining, %s%.3g evaluations so far, next"
                + " round %.3g, predicted left %.3g", round, remaining, points,
                targeted ? targetMet + " met the target, " : "", evaluations, nextRoundEvaluations,
                predictedEvaluationsLeft);
        }

        /** Seconds left at the rate seen so far ({@code elapsedSeconds} of wall time for the evaluations so far). */
        public double etaSeconds(double elapsedSeconds) {
            return evaluations > 0 ? elapsedSeconds * predictedEvaluationsLeft / evaluations : Double.NaN;
        }
    }

    /** Per-point state: a few numbers per method. */
    private static final class State {
        final ReplicateSet main;
        final ReplicateSet comp;
        double evaluations;
        boolean done;
        boolean met;
        double pilotS = Double.NaN;
        double pilotSeS = Double.NaN;
        double pilotM = Double.NaN;
        double pilotSeM = Double.NaN;
        double weight = Double.NaN;
        double pilotIncS = Double.NaN;
        double pilotIncSeS = Double.NaN;
        double pilotIncM = Double.NaN;
        double pilotIncSeM = Double.NaN;
        double pilotUhat = Double.NaN;
        double pilotDofS = Double.NaN;
        double pilotDofM = Double.NaN;

        State(int d, boolean guarded) {
            this(new ReplicateSet(d), guarded ? new ReplicateSet(d) : null);
        }

        State(ReplicateSet main, ReplicateSet comp) {
            this.main = main;
            this.comp = comp;
        }
    }

    private final RunOptions opt;
    private final Pde pde;
    private final PicardEstimator main;
    private final PicardEstimator companion;
    private final PicardEstimator pilotMain;
    private final PicardEstimator pilotCompanion;
    private final List<QueryPoint> points;
    private final int d;
    private final int maxRounds;
    private final double mainCost;
    private final double companionCost;
    private final double pilotMainCost;
    private final double pilotCompanionCost;
    private final long hash;
    private final State[] state;
    private int round;
    /** Whether the guard's pilot phase is done (always, unguarded). */
    private boolean piloted;
    private List<RoundExecutor.Batch> pending;
    /** Per pending batch, the state index of each of its points. */
    private List<int[]> pendingIndex;

    private AdaptiveDriver(RunOptions opt, Pde pde, PicardEstimator main, PicardEstimator companion,
                           PicardEstimator pilotMain, PicardEstimator pilotCompanion, List<QueryPoint> points) {
        this.opt = opt;
        this.pde = pde;
        this.main = main;
        this.companion = companion;
        this.pilotMain = pilotMain;
        this.pilotCompanion = pilotCompanion;
        this.pilotMainCost = pilotMain == null ? 0 : pilotMain.estimatedEvaluationsPerPoint();
        this.pilotCompanionCost = pilotCompanion == null ? 0 : pilotCompanion.estimatedEvaluationsPerPoint();
        this.points = List.copyOf(points);
        this.d = pde.dim();
        this.maxRounds = opt.adaptive() ? opt.maxRounds() : 1;
        this.mainCost = main.estimatedEvaluationsPerPoint();
        this.companionCost = companion == null ? 0 : companion.estimatedEvaluationsPerPoint();
        this.state = new State[points.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = new State(d, companion != null);
        }
        this.hash = optionsHash();
        this.piloted = companion == null;
    }

    /**
     * A driver for one run.
     *
     * @param pde       the equation
     * @param surrogate the surrogate (SCaSML, surrogate alone), null for MLP
     * @param opt       the options (targets, caps and guard included)
     * @param points    the query points (validated here)
     * @throws IllegalArgumentException as {@link PicardEstimator#create} and {@link PicardEstimator#validate}, or
     *                                  when the run exceeds {@link RunOptions#maxWorkUnits()}
     */
    public static AdaptiveDriver create(Pde pde, Surrogate surrogate, RunOptions opt, List<QueryPoint> points) {
        PicardEstimator main = PicardEstimator.create(pde, surrogate, opt);
        PicardEstimator comp = null;
        PicardEstimator pm = null;
        PicardEstimator pc = null;
        if (opt.guard() && opt.method() == Method.SCASML) {
            comp = PicardEstimator.create(pde, null, RoundExecutor.Role.COMPANION.options(opt));
            pm = PicardEstimator.create(pde, surrogate, RoundExecutor.Role.PILOT_MAIN.options(opt));
            pc = PicardEstimator.create(pde, null, RoundExecutor.Role.PILOT_COMPANION.options(opt));
        }
        for (QueryPoint p : points) {
            main.validate(p);
        }
        main.plan().checkPoints(points.size());
        return new AdaptiveDriver(opt, pde, main, comp, pm, pc, points);
    }

    /** The estimator of the requested method. */
    public PicardEstimator estimator() {
        return main;
    }

    /** The plain-MLP companion of guarded SCaSML, or null. */
    public PicardEstimator companion() {
        return companion;
    }

    /** Whether the run is guarded. */
    public boolean guarded() {
        return companion != null;
    }

    /** The options. */
    public RunOptions options() {
        return opt;
    }

    /** The points, in order. */
    public List<QueryPoint> points() {
        return points;
    }

    /** Rounds completed. */
    public int round() {
        return round;
    }

    /** Whether every point is done. */
    public boolean finished() {
        for (State s : state) {
            if (!s.done) {
                return false;
            }
        }
        return true;
    }

    /**
     * Evaluations per point of one round of both methods (main, plus the companion when guarded; also the cost of
     * the guard's pilot phase). A guarded point whose weight was snapped to 0 or 1 runs one of them only.
     */
    public double roundCost() {
        return mainCost + companionCost;
    }

    /** Whether the guarded point runs SCaSML main rounds (weight above 0; always, unguarded or before the pilot). */
    private boolean runsMain(State s) {
        return companion == null || !piloted || s.weight > 0;
    }

    /** Whether the guarded point runs plain-MLP companion rounds (weight below 1). */
    private boolean runsCompanion(State s) {
        return companion != null && (!piloted || s.weight < 1);
    }

    /** Evaluations of this point's next round. */
    private double roundCost(State s) {
        return (runsMain(s) ? mainCost : 0) + (runsCompanion(s) ? companionCost : 0);
    }

    /** Rounds this point has had (of whichever methods it runs). */
    private int rounds(State s) {
        return s.comp == null ? s.main.replicates() : Math.max(s.main.replicates(), s.comp.replicates());
    }

    /** The hash of everything that determines the result bits (options but the layout ones, PDE, points). */
    public long optionsHash() {
        long h = StreamKeys.mix64(0x5CA5A1L);
        for (Map.Entry<String, Object> e : opt.toMap().entrySet()) {
            if (!LAYOUT_OPTIONS.contains(e.getKey())) {
                h = hashString(h, e.getKey() + "=" + e.getValue());
            }
        }
        h = hashString(h, pde.name());
        h = StreamKeys.mix64(h ^ d);
        h = StreamKeys.mix64(h ^ Double.doubleToLongBits(pde.horizon()));
        h = StreamKeys.mix64(h ^ (companion != null ? 1 : 0));
        for (QueryPoint p : points) {
            h = StreamKeys.mix64(h ^ p.id());
            h = StreamKeys.mix64(h ^ Double.doubleToLongBits(p.t()));
            for (double v : p.x()) {
                h = StreamKeys.mix64(h ^ Double.doubleToLongBits(v));
            }
        }
        return h;
    }

    private static long hashString(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = StreamKeys.mix64(h ^ s.charAt(i));
        }
        return StreamKeys.mix64(h ^ 0xFFL);
    }

    // ------------------------------------------------------------------------------------------------ rounds

    /**
     * The batches of the next step (empty when finished). Guarded, the first step is the pilot phase: a pilot of
     * both methods over every point, on the streams {@link StreamKeys#pilotRoot}; it fixes the weights and counts as
     * no round. Then each round r: the main method over the active points that run it with round r's streams and,
     * when guarded, the companion over those that run it (a point whose weight is 0 runs only the companion, one
     * whose weight is 1 only the main method). Empty batches are left out.
     */
    public List<RoundExecutor.Batch> nextBatches() {
        List<RoundExecutor.Batch> b = new ArrayList<>(2);
        List<int[]> idx = new ArrayList<>(2);
        if (!finished()) {
            long seed = opt.seed();
            if (!piloted) {
                int[] all = select(s -> true);
                add(b, idx, RoundExecutor.Role.PILOT_MAIN, pilotMain, all,
                    StreamKeys.pilotRoot(seed, StreamKeys.PILOT_MAIN), true, "pilot");
                add(b, idx, RoundExecutor.Role.PILOT_COMPANION, pilotCompanion, all,
                    StreamKeys.pilotRoot(seed, StreamKeys.PILOT_COMPANION), true, "companion pilot");
            } else {
                add(b, idx, RoundExecutor.Role.MAIN, main, select(this::runsMain), StreamKeys.estimateRoot(seed, round),
                    false, "round " + round);
                if (companion != null) {
                    add(b, idx, RoundExecutor.Role.COMPANION, companion, select(this::runsCompanion),
                        StreamKeys.companionRoot(seed, round), false, "companion round " + round);
                }
            }
        }
        pending = List.copyOf(b);
        pendingIndex = List.copyOf(idx);
        return pending;
    }

    private int[] select(java.util.function.Predicate<State> runs) {
        int[] out = new int[state.length];
        int a = 0;
        for (int i = 0; i < state.length; i++) {
            if (!state[i].done && runs.test(state[i])) {
                out[a++] = i;
            }
        }
        return Arrays.copyOf(out, a);
    }

    private void add(List<RoundExecutor.Batch> b, List<int[]> idx, RoundExecutor.Role role, PicardEstimator est,
                     int[] which, long root, boolean pilot, String label) {
        if (which.length == 0) {
            return;
        }
        List<QueryPoint> pts = new ArrayList<>(which.length);
        for (int i : which) {
            pts.add(points.get(i));
        }
        b.add(new RoundExecutor.Batch(role, est, pts, root, pilot, label));
        idx.add(which);
    }

    /**
     * Folds the results of {@link #nextBatches()} (same order) and decides which points go on.
     *
     * @throws IllegalStateException    if no batches are pending
     * @throws IllegalArgumentException if the results do not match the batches
     */
    public void accept(List<List<PointEstimate>> results) {
        if (pending == null) {
            throw new IllegalStateException("no round pending: call nextBatches() first");
        }
        if (results.size() != pending.size()) {
            throw new IllegalArgumentException(results.size() + " results for " + pending.size() + " batches");
        }
        if (pending.isEmpty()) {
            pending = null;
            return;
        }
        boolean pilotPhase = pending.get(0).pilot();
        boolean[] touched = new boolean[state.length];
        for (int bi = 0; bi < pending.size(); bi++) {
            RoundExecutor.Batch b = pending.get(bi);
            int[] index = pendingIndex.get(bi);
            List<PointEstimate> r = results.get(bi);
            if (r.size() != b.points().size()) {
                throw new IllegalArgumentException(b.label() + ": " + r.size() + " estimates for "
                    + b.points().size() + " points");
            }
            for (int j = 0; j < r.size(); j++) {
                PointEstimate e = r.get(j);
                State s = state[index[j]];
                touched[index[j]] = true;
                if (e.id() != b.points().get(j).id()) {
                    throw new IllegalArgumentException(b.label() + ": estimate " + j + " is of point " + e.id()
                        + ", expected " + b.points().get(j).id());
                }
                boolean isMain = b.role().usesSurrogate();
                if (b.pilot()) {
                    if (isMain) {
                        s.pilotS = e.ok() ? e.u() : Double.NaN;
                        s.pilotSeS = e.ok() ? e.stdError() : Double.NaN;
                        s.pilotIncS = e.ok() ? e.increment() : Double.NaN;
                        s.pilotIncSeS = e.ok() ? e.incrementSe() : Double.NaN;
                        s.pilotUhat = e.uSurrogate();
                        s.pilotDofS = e.ok() ? e.dof() : Double.NaN;
                    } else {
                        s.pilotM = e.ok() ? e.u() : Double.NaN;
                        s.pilotSeM = e.ok() ? e.stdError() : Double.NaN;
                        s.pilotIncM = e.ok() ? e.increment() : Double.NaN;
                        s.pilotIncSeM = e.ok() ? e.incrementSe() : Double.NaN;
                        s.pilotDofM = e.ok() ? e.dof() : Double.NaN;
                    }
                } else {
                    (isMain ? s.main : s.comp).add(e);
                }
                s.evaluations += cost(b.role());
            }
        }
        pending = null;
        pendingIndex = null;
        if (pilotPhase) {
            for (State s : state) {
                s.weight = weightOf(s).weight();
            }
            piloted = true;
            return;
        }
        for (int i = 0; i < state.length; i++) {
            if (touched[i]) {
                decide(state[i]);
            }
        }
        round++;
    }

    private double cost(RoundExecutor.Role role) {
        switch (role) {
            case MAIN:
                return mainCost;
            case COMPANION:
                return companionCost;
            case PILOT_MAIN:
                return pilotMainCost;
            default:
                return pilotCompanionCost;
        }
    }

    /** The guard's decision at a point from its pilots, their variances scaled to the run's base. */
    private Weight weightOf(State s) {
        return pilotWeight(pilotOf(s, true), pilotOf(s, false), mainCost > 0 ? pilotMainCost / mainCost : 1,
            companionCost > 0 ? pilotCompanionCost / companionCost : 1);
    }

    private static Pilot pilotOf(State s, boolean scasml) {
        return scasml ? new Pilot(s.pilotS, s.pilotSeS, s.pilotIncS, s.pilotIncSeS, s.pilotDofS)
            : new Pilot(s.pilotM, s.pilotSeM, s.pilotIncM, s.pilotIncSeM, s.pilotDofM);
    }

    private void decide(State s) {
        double u;
        double se;
        boolean ok;
        if (companion == null) {
            ok = s.main.ok();
            u = s.main.u();
            se = s.main.stdError();
        } else {
            double[] c = combined(s);
            ok = !Double.isNaN(c[0]);
            u = c[0];
            se = c[1];
        }
        if (!ok) {
            s.done = true;
            s.met = false;
            return;
        }
        boolean fallback = s.main.betweenFallback() || (s.comp != null && s.comp.betweenFallback());
        boolean enough = !fallback || rounds(s) >= MIN_FALLBACK_ROUNDS;
        if (opt.adaptive() && enough && se <= tolerance(u)) {
            s.done = true;
            s.met = true;
            return;
        }
        if (rounds(s) >= maxRounds || s.evaluations + roundCost(s) > opt.maxEvaluationsPerPoint()) {
            s.done = true;
        }
    }

    /** The standard error a point with value u must reach: max(target_se, target_rel_se·|u|). */
    public double tolerance(double u) {
        return Math.max(opt.targetSe(), opt.targetRelSe() * Math.abs(u));
    }

    /**
     * The squared disagreement threshold k² for pilots with variances vS, vM and degrees of freedom: k is the
     * t quantile of the tail {@link #DISAGREEMENT_TAIL}/2 at the Welch–Satterthwaite ν = (vS + vM)² / (vS²/νS +
     * vM²/νM); {@link #DISAGREEMENT_SE2} (k = 4) when ν is unknown or infinite.
     */
    static double disagreementThreshold2(double vS, double dofS, double vM, double dofM) {
        double den = (Double.isFinite(dofS) && dofS > 0 ? vS * vS / dofS : 0)
            + (Double.isFinite(dofM) && dofM > 0 ? vM * vM / dofM : 0);
        if (!(den > 0) || Double.isNaN(dofS) || Double.isNaN(dofM)) {
            return DISAGREEMENT_SE2;
        }
        double nu = (vS + vM) * (vS + vM) / den;
        double k = StudentT.upperQuantile(nu, DISAGREEMENT_TAIL / 2);
        return Double.isFinite(k) ? Math.max(DISAGREEMENT_SE2, k * k) : DISAGREEMENT_SE2;
    }

    /**
     * One pilot estimate of the guard.
     *
     * @param u           the estimate (of u)
     * @param se          its standard error
     * @param increment   its last Picard increment ({@link PointEstimate#increment()})
     * @param incrementSe that increment's standard error
     * @param dof         the estimate's Welch–Satterthwaite degrees of freedom (NaN or +∞: normal)
     */
    public record Pilot(double u, double se, double increment, double incrementSe, double dof) {
        /** A pilot with normal errors (ν = +∞). */
        public Pilot(double u, double se, double increment, double incrementSe) {
            this(u, se, increment, incrementSe, Double.POSITIVE_INFINITY);
        }

        boolean ok() {
            return Double.isFinite(u) && Double.isFinite(se);
        }

        /**
         * The squared truncation-bias proxy β² = max(0, increment² − incrementSe²), unbiased for the square of the
         * increment's mean; increment² where its SE is unknown (a single sample), 0 without an increment.
         */
        public double bias2() {
            if (!Double.isFinite(increment)) {
                return 0;
            }
            double b2 = increment * increment;
            return Double.isFinite(incrementSe) ? Math.max(0, b2 - incrementSe * incrementSe) : b2;
        }
    }

    /**
     * The guard's decision at one point (docs/algorithm.md §23.3).
     *
     * @param weight     the weight of SCaSML used, {@code mseWeight} snapped to 0 or 1 within {@link #SNAP}
     * @param mseWeight  the weight minimising the estimated MSE, (23.5)
     * @param biasScasml2 SCaSML's squared truncation-bias proxy β_S²
     * @param biasMlp2   plain MLP's β_M²
     * @param excess2    the squared disagreement left unexplained by noise and both proxies (counted as SCaSML's)
     */
    public record Weight(double weight, double mseWeight, double biasScasml2, double biasMlp2, double excess2) {
    }

    /**
     * The guard's weight of SCaSML from the two pilots (docs/algorithm.md §23.3). With pilot variances v = SE², the
     * truncation-bias proxies β² ({@link Pilot#bias2}) and the unexplained disagreement
     * x² = max(0, (S − M)² − {@link #DISAGREEMENT_SE2}·(v_S + v_M) − (β_S + β_M)²), counted as a bias of SCaSML,
     * the estimated mean squared errors are A_S = v_S + β_S² + x² and A_M = v_M + β_M², and
     * w = A_M / (A_S + A_M) minimises w²A_S + (1 − w)²A_M; a w within {@link #SNAP} of 0 or 1 becomes 0 or 1. A
     * failed (non-finite) SCaSML pilot gives 0, a failed MLP pilot 1; A_S + A_M = 0 (both exact, e.g. t = T)
     * gives 1.
     */
    public static Weight pilotWeight(Pilot sc, Pilot ml) {
        return pilotWeight(sc, ml, 1, 1);
    }

    /**
     * {@link #pilotWeight(Pilot, Pilot)} for pilots run at another base than the run: the variance of one estimate of
     * the run is taken as the pilot's times {@code scaleS} (SCaSML) or {@code scaleM} (MLP) — the cost ratio
     * C_pilot/C_run, i.e. the work-normalised variance SE²·C constant in M — in A_S and A_M; the disagreement test
     * compares the pilots with their own variances.
     */
    public static Weight pilotWeight(Pilot sc, Pilot ml, double scaleS, double scaleM) {
        if (!sc.ok()) {
            return new Weight(ml.ok() ? 0 : 1, ml.ok() ? 0 : 1, Double.NaN, Double.NaN, Double.NaN);
        }
        if (!ml.ok()) {
            return new Weight(1, 1, Double.NaN, Double.NaN, Double.NaN);
        }
        double vS = sc.se() * sc.se();
        double vM = ml.se() * ml.se();
        double bS2 = sc.bias2();
        double bM2 = ml.bias2();
        double diff = sc.u() - ml.u();
        double explained = Math.sqrt(bS2) + Math.sqrt(bM2);
        double k2 = disagreementThreshold2(vS, sc.dof(), vM, ml.dof());
        double x2 = Math.max(0, diff * diff - k2 * (vS + vM) - explained * explained);
        double aS = vS * scaleS + bS2 + x2;
        double aM = vM * scaleM + bM2;
        double den = aS + aM;
        double raw = den > 0 ? Math.max(0, Math.min(1, aM / den)) : 1;
        double w = raw >= 1 - SNAP ? 1 : raw <= SNAP ? 0 : raw;
        return new Weight(w, raw, bS2, bM2, x2);
    }

    /** {u, se, dof} of a guarded point with its fixed weight (NaN u when neither estimate is usable). */
    private double[] combined(State s) {
        double w = s.weight;
        boolean okS = s.main.ok() && s.main.replicates() > 0;
        boolean okM = s.comp.ok() && s.comp.replicates() > 0;
        if (!okS && !okM) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        if (!okS) {
            w = 0;
        } else if (!okM) {
            w = 1;
        }
        if (w == 1) {
            return new double[] {s.main.u(), s.main.stdError(), s.main.dof()};
        }
        if (w == 0) {
            return new double[] {s.comp.u(), s.comp.stdError(), s.comp.dof()};
        }
        double v = 1 - w;
        double u = w * s.main.u() + v * s.comp.u();
        double var = w * w * s.main.variance() + v * v * s.comp.variance();
        double den = w * w * w * w * s.main.dofDenominator() + v * v * v * v * s.comp.dofDenominator();
        double dof = den > 0 ? var * var / den : Double.POSITIVE_INFINITY;
        return new double[] {u, Math.sqrt(var), dof};
    }

    /** Runs rounds until every point is done. */
    public List<AdaptiveEstimate> run(RoundExecutor executor, RoundListener listener) {
        while (!finished()) {
            List<RoundExecutor.Batch> b = nextBatches();
            accept(executor.run(b));
            if (listener != null) {
                listener.afterRound(this);
            }
        }
        return results();
    }

    /** Where the run stands. */
    public Progress progress() {
        int remaining = 0;
        int met = 0;
        double evals = 0;
        double left = 0;
        double next = 0;
        for (State s : state) {
            evals += s.evaluations;
            if (s.met) {
                met++;
            }
            if (s.done) {
                continue;
            }
            remaining++;
            next += roundCost(s);
            int r = rounds(s);
            double more = 1;
            if (r > 0 && opt.adaptive()) {
                double[] c = companion == null ? new double[] {s.main.u(), s.main.stdError()} : combined(s);
                double ratio = c[1] / tolerance(c[0]);
                double need = Math.ceil(r * ratio * ratio);
                if (Double.isFinite(need)) {
                    more = Math.max(1, Math.min(need, maxRounds) - r);
                } else {
                    more = maxRounds - r;
                }
                more = Math.min(more, Math.floor((opt.maxEvaluationsPerPoint() - s.evaluations) / roundCost(s)));
                more = Math.max(1, more);
            }
            left += more * roundCost(s);
        }
        return new Progress(round, state.length, remaining, met, evals, next, left, opt.adaptive());
    }

    // ------------------------------------------------------------------------------------------------ results

    /** The results, in point order (of the rounds so far when not {@link #finished()}). */
    public List<AdaptiveEstimate> results() {
        List<AdaptiveEstimate> out = new ArrayList<>(state.length);
        for (int i = 0; i < state.length; i++) {
            out.add(result(points.get(i), state[i]));
        }
        return out;
    }

    private AdaptiveEstimate result(QueryPoint p, State s) {
        PointEstimate me = s.main.estimate(p);
        if (companion == null) {
            return new AdaptiveEstimate(me, s.main.replicates(), s.evaluations, s.met, s.main.betweenStdError(),
                null);
        }
        PointEstimate ce = s.comp.estimate(p);
        double uHat = s.main.replicates() > 0 ? me.uSurrogate() : s.pilotUhat;
        double[] c = combined(s);
        double w = s.weight;
        boolean okS = s.main.ok() && s.main.replicates() > 0;
        boolean okM = s.comp.ok() && s.comp.replicates() > 0;
        String why = reason(s, s.main.ok(), s.comp.ok()); // a skipped method (0 replicates) is ok
        double betweenSe = s.main.replicates() > 0 ? s.main.betweenStdError() : s.comp.betweenStdError();
        if (!okS && okM) {
            w = 0;
        } else if (okS && !okM) {
            w = 1;
        }
        double pz = Math.abs(s.pilotS - s.pilotM) / Math.sqrt(s.pilotSeS * s.pilotSeS + s.pilotSeM * s.pilotSeM);
        AdaptiveEstimate.Guard g = new AdaptiveEstimate.Guard(w, me.u(), me.stdError(), ce.u(), ce.stdError(), pz,
            w >= 0.5 ? "scasml" : "mlp", why);
        PointEstimate est;
        if (Double.isNaN(c[0])) {
            est = s.main.replicates() > 0 && !me.ok() ? me : withSurrogate(ce, uHat);
        } else if (w == 1) {
            est = me;
        } else if (w == 0) {
            est = withSurrogate(ce, uHat);
        } else {
            double v = 1 - w;
            double u = c[0];
            double se = c[1];
            double dof = c[2];
            double q = se > 0 ? StudentT.quantile975(dof) : StudentT.Z975;
            double[] z = new double[d];
            for (int k = 0; k < d; k++) {
                z[k] = w * me.z()[k] + v * ce.z()[k];
            }
            long[] counts = me.counts().clone();
            for (int k = 0; k < counts.length; k++) {
                counts[k] += ce.counts()[k];
            }
            est = new PointEstimate(p.id(), p.t(), p.x(), me.uSurrogate(), u - me.uSurrogate(), u, se, u - q * se,
                u + q * se, z, me.exact(), counts, w * w * me.gradVarTrace() + v * v * ce.gradVarTrace(),
                ReplicateSet.dot(z, z), me.residualRms(), dof, PointStatus.OK,
                // only the SCaSML part carries probes (the companion is plain MLP): w²·share·SE² of it over SE²
                se > 0 ? w * w * me.probeVarianceShare() * me.stdError() * me.stdError() / (se * se) : Double.NaN,
                Double.NaN, Double.NaN);
        }
        return new AdaptiveEstimate(est, rounds(s), s.evaluations, s.met, betweenSe, g);
    }

    /** The companion's estimate reported as the point's: û kept for reference, correction u − û. */
    private static PointEstimate withSurrogate(PointEstimate e, double uHat) {
        return new PointEstimate(e.id(), e.t(), e.x(), uHat, e.u() - uHat, e.u(), e.stdError(), e.ciLow(),
            e.ciHigh(), e.z(), e.exact(), e.counts(), e.gradVarTrace(), e.gradNorm2(), e.residualRms(), e.dof(),
            e.status(), e.probeVarianceShare(), e.increment(), e.incrementSe());
    }

    private String reason(State s, boolean okS, boolean okM) {
        if (!okS) {
            return okM ? "the SCaSML estimate is not a number (" + s.main.status().label() + ")"
                : "neither estimate is a number";
        }
        if (!okM) {
            return "the plain-MLP estimate is not a number (" + s.comp.status().label() + ")";
        }
        if (!Double.isFinite(s.pilotS)) {
            return "the SCaSML pilot is not a number";
        }
        if (!Double.isFinite(s.pilotM)) {
            return "the plain-MLP pilot is not a number";
        }
        Weight w = weightOf(s);
        double vS = s.pilotSeS * s.pilotSeS;
        double vM = s.pilotSeM * s.pilotSeM;
        double diff = s.pilotS - s.pilotM;
        String snapped = w.weight() == w.mseWeight() ? ""
            : String.format(Locale.ROOT, "; w = %.3g snapped to %s, the %s rounds skipped", w.mseWeight(),
                w.weight() == 0 ? "0" : "1", w.weight() == 0 ? "SCaSML" : "plain-MLP");
        if (w.excess2() > 0) {
            return String.format(Locale.ROOT, "the pilots disagree beyond noise and both truncation-bias proxies"
                + " (|S - M| = %.3g, %.3g combined SE, proxies SCaSML %.3g, MLP %.3g): counted as SCaSML bias (a"
                + " surrogate wrong along the paths)%s", Math.abs(diff), Math.abs(diff) / Math.sqrt(vS + vM),
                Math.sqrt(w.biasScasml2()), Math.sqrt(w.biasMlp2()), snapped);
        }
        return String.format(Locale.ROOT, "estimated-MSE weights from the pilot (SE SCaSML %.3g, SE MLP %.3g,"
            + " truncation-bias proxies SCaSML %.3g, MLP %.3g)%s", s.pilotSeS, s.pilotSeM,
            Math.sqrt(w.biasScasml2()), Math.sqrt(w.biasMlp2()), snapped);
    }

    // ------------------------------------------------------------------------------------------------ checkpoint

    /**
     * The driver's state after the completed rounds, as bytes (format in docs/algorithm.md §23,
     * "checkpoints"): magic {@code SCASMLCK}, version, options hash, rounds completed, point count, d, guarded
     * flag, then per point its flags, evaluations, pilot numbers and weight and its replicate sums, and a CRC-32
     * of everything before it. Big-endian; doubles as their raw IEEE bits.
     *
     * @throws IllegalStateException while a round is pending
     */
    public byte[] checkpoint() {
        if (pending != null) {
            throw new IllegalStateException("a round is pending: checkpoint after accept()");
        }
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(MAGIC);
            out.writeInt(CHECKPOINT_VERSION);
            out.writeLong(hash);
            out.writeInt(round);
            out.writeInt(state.length);
            out.writeInt(d);
            out.writeBoolean(companion != null);
            out.writeBoolean(piloted);
            for (State s : state) {
                out.writeByte((s.done ? 1 : 0) | (s.met ? 2 : 0));
                for (double v : new double[] {s.evaluations, s.pilotS, s.pilotSeS, s.pilotM, s.pilotSeM, s.weight,
                    s.pilotIncS, s.pilotIncSeS, s.pilotIncM, s.pilotIncSeM, s.pilotUhat, s.pilotDofS, s.pilotDofM}) {
                    out.writeLong(Double.doubleToRawLongBits(v));
                }
                s.main.write(out);
                if (s.comp != null) {
                    s.comp.write(out);
                }
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bos.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Restores a fresh driver (no round run yet) from {@link #checkpoint()} bytes of the same run.
     *
     * @throws IllegalArgumentException if the bytes are not a checkpoint, are damaged, or belong to another run
     *                                  (options, PDE or points differ); the message says which
     * @throws IllegalStateException    if this driver has already run a round
     */
    public void restore(byte[] bytes) {
        if (round != 0 || pending != null || piloted != (companion == null)) {
            throw new IllegalStateException("restore needs a fresh driver (this one has run " + round + " rounds)");
        }
        if (bytes.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("checkpoint: not a SCaSML checkpoint (bad magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = 0;
        for (int i = bytes.length - 8; i < bytes.length; i++) {
            stored = (stored << 8) | (bytes[i] & 0xFF);
        }
        if (stored != crc.getValue()) {
            throw new IllegalArgumentException("checkpoint: checksum mismatch (truncated or damaged file)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
            bytes.length - MAGIC.length - 8))) {
            int version = in.readInt();
            if (version != CHECKPOINT_VERSION) {
                throw new IllegalArgumentException("checkpoint: version " + version + ", this build reads "
                    + CHECKPOINT_VERSION);
            }
            long h = in.readLong();
            if (h != hash) {
                throw new IllegalArgumentException("checkpoint: written by another run (options, PDE or points"
                    + " differ: hash " + Long.toHexString(h) + " vs " + Long.toHexString(hash) + ")");
            }
            int r = in.readInt();
            int n = in.readInt();
            int dd = in.readInt();
            boolean g = in.readBoolean();
            boolean pil = in.readBoolean();
            if (n != state.length || dd != d || g != (companion != null) || r < 0) {
                throw new IllegalArgumentException("checkpoint: shape differs (points " + n + ", d " + dd
                    + ", guarded " + g + ")");
            }
            State[] ns = new State[n];
            for (int i = 0; i < n; i++) {
                int fl = in.readByte();
                double[] v = new double[13];
                for (int k = 0; k < v.length; k++) {
                    v[k] = Double.longBitsToDouble(in.readLong());
                }
                ReplicateSet m = ReplicateSet.read(in, d);
                State s = new State(m, g ? ReplicateSet.read(in, d) : null);
                s.done = (fl & 1) != 0;
                s.met = (fl & 2) != 0;
                s.evaluations = v[0];
                s.pilotS = v[1];
                s.pilotSeS = v[2];
                s.pilotM = v[3];
                s.pilotSeM = v[4];
                s.weight = v[5];
                s.pilotIncS = v[6];
                s.pilotIncSeS = v[7];
                s.pilotIncM = v[8];
                s.pilotIncSeM = v[9];
                s.pilotUhat = v[10];
                s.pilotDofS = v[11];
                s.pilotDofM = v[12];
                ns[i] = s;
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("checkpoint: " + in.available() + " trailing bytes");
            }
            if (!g && !pil) {
                throw new IllegalArgumentException("checkpoint: unguarded run marked as awaiting its pilot");
            }
            System.arraycopy(ns, 0, state, 0, n);
            round = r;
            piloted = pil;
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint: unreadable (" + e.getMessage() + ")", e);
        }
    }

}
