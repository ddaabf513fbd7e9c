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
 * {@link #companion()}, streams {@link StreamKeys#companionRoot}, no surrogate calls), and round 0 also runs a pilot
 * of both on the streams {@link StreamKeys#pilotRoot}, used for nothing but the weight. The reported value is
 * w·S + (1 − w)·M with w fixed by the pilot (see {@link #weight}); since w is independent of the replicates it
 * weighs, the combination is unbiased whenever S and M are, and its variance is w²Var(S) + (1 − w)²Var(M)
 * (independent streams), estimated from the replicates.
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
    /** Version of the checkpoint format written by {@link #checkpoint()}. */
    public static final int CHECKPOINT_VERSION = 1;
    private static final byte[] MAGIC = "SCASMLCK".getBytes(StandardCharsets.US_ASCII);
    /**
     * Pilot disagreement threshold: the part of (S − M)² above this multiple of SE_S² + SE_M² counts as a bias of
     * SCaSML in the weight (a four-SE rule: two unbiased pilots cross it with probability about 6e-5 for normal
     * errors, so an accurate surrogate keeps its weight).
     */
    public static final double DISAGREEMENT_SE2 = 16.0;
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
    private final List<QueryPoint> points;
    private final int d;
    private final int maxRounds;
    private final double mainCost;
    private final double companionCost;
    private final long hash;
    private final State[] state;
    private int round;
    private List<RoundExecutor.Batch> pending;

    private AdaptiveDriver(RunOptions opt, Pde pde, PicardEstimator main, PicardEstimator companion,
                           List<QueryPoint> points) {
        this.opt = opt;
        this.pde = pde;
        this.main = main;
        this.companion = companion;
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
        if (opt.guard() && opt.method() == Method.SCASML) {
            comp = PicardEstimator.create(pde, null, opt.toBuilder().method(Method.MLP).build());
        }
        for (QueryPoint p : points) {
            main.validate(p);
        }
        main.plan().checkPoints(points.size());
        return new AdaptiveDriver(opt, pde, main, comp, points);
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

    /** Evaluations per point of one round (main, plus the companion when guarded). */
    public double roundCost() {
        return mainCost + companionCost;
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
     * The batches of the next round (empty when finished): the main method over the active points with round r's
     * streams; when guarded, the companion too, and in round 0 the two pilots over every point.
     */
    public List<RoundExecutor.Batch> nextBatches() {
        List<RoundExecutor.Batch> b = new ArrayList<>(4);
        if (finished()) {
            pending = b;
            return b;
        }
        List<QueryPoint> active = new ArrayList<>();
        for (int i = 0; i < state.length; i++) {
            if (!state[i].done) {
                active.add(points.get(i));
            }
        }
        long seed = opt.seed();
        b.add(new RoundExecutor.Batch(RoundExecutor.Role.MAIN, main, active, StreamKeys.estimateRoot(seed, round),
            false, "round " + round));
        if (companion != null) {
            b.add(new RoundExecutor.Batch(RoundExecutor.Role.COMPANION, companion, active,
                StreamKeys.companionRoot(seed, round), false, "companion round " + round));
            if (round == 0) {
                b.add(new RoundExecutor.Batch(RoundExecutor.Role.MAIN, main, active,
                    StreamKeys.pilotRoot(seed, StreamKeys.PILOT_MAIN), true, "pilot"));
                b.add(new RoundExecutor.Batch(RoundExecutor.Role.COMPANION, companion, active,
                    StreamKeys.pilotRoot(seed, StreamKeys.PILOT_COMPANION), true, "companion pilot"));
            }
        }
        pending = List.copyOf(b);
        return pending;
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
        int[] index = new int[pending.get(0).points().size()];
        int a = 0;
        for (int i = 0; i < state.length; i++) {
            if (!state[i].done) {
                index[a++] = i;
            }
        }
        for (int bi = 0; bi < pending.size(); bi++) {
            RoundExecutor.Batch b = pending.get(bi);
            List<PointEstimate> r = results.get(bi);
            if (r.size() != b.points().size()) {
                throw new IllegalArgumentException(b.label() + ": " + r.size() + " estimates for "
                    + b.points().size() + " points");
            }
            for (int j = 0; j < r.size(); j++) {
                PointEstimate e = r.get(j);
                State s = state[index[j]];
                if (e.id() != b.points().get(j).id()) {
                    throw new IllegalArgumentException(b.label() + ": estimate " + j + " is of point " + e.id()
                        + ", expected " + b.points().get(j).id());
                }
                boolean isMain = b.role() == RoundExecutor.Role.MAIN;
                if (b.pilot()) {
                    if (isMain) {
                        s.pilotS = e.ok() ? e.u() : Double.NaN;
                        s.pilotSeS = e.ok() ? e.stdError() : Double.NaN;
                    } else {
                        s.pilotM = e.ok() ? e.u() : Double.NaN;
                        s.pilotSeM = e.ok() ? e.stdError() : Double.NaN;
                    }
                    s.evaluations += isMain ? mainCost : companionCost;
                } else {
                    (isMain ? s.main : s.comp).add(e);
                    s.evaluations += isMain ? mainCost : companionCost;
                }
            }
        }
        for (int j = 0; j < a; j++) {
            State s = state[index[j]];
            if (round == 0 && companion != null) {
                s.weight = weight(s.pilotS, s.pilotSeS, s.pilotM, s.pilotSeM);
            }
            decide(s);
        }
        pending = null;
        round++;
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
        boolean enough = !fallback || s.main.replicates() >= MIN_FALLBACK_ROUNDS;
        if (opt.adaptive() && enough && se <= tolerance(u)) {
            s.done = true;
            s.met = true;
            return;
        }
        if (s.main.replicates() >= maxRounds || s.evaluations + roundCost() > opt.maxEvaluationsPerPoint()) {
            s.done = true;
        }
    }

    /** The standard error a point with value u must reach: max(target_se, target_rel_se·|u|). */
    public double tolerance(double u) {
        return Math.max(opt.targetSe(), opt.targetRelSe() * Math.abs(u));
    }

    /**
     * The guard's weight of SCaSML from the pilot estimates S ± s_S and M ± s_M (docs/algorithm.md §23): with
     * the excess disagreement b² = max(0, (S − M)² − {@link #DISAGREEMENT_SE2}·(s_S² + s_M²)) counted as a squared
     * bias of SCaSML, w = s_M² / (s_S² + b² + s_M²), clamped to [0, 1]. A failed (non-finite) pilot gets weight 0;
     * both exact (s = 0, e.g. t = T) gives 1.
     */
    public static double weight(double s, double seS, double m, double seM) {
        boolean okS = Double.isFinite(s) && Double.isFinite(seS);
        boolean okM = Double.isFinite(m) && Double.isFinite(seM);
        if (!okS) {
            return okM ? 0 : 1;
        }
        if (!okM) {
            return 1;
        }
        double vS = seS * seS;
        double vM = seM * seM;
        double diff = s - m;
        double excess = Math.max(0, diff * diff - DISAGREEMENT_SE2 * (vS + vM));
        double den = vS + excess + vM;
        if (!(den > 0)) {
            return 1;
        }
        double w = vM / den;
        return Math.max(0, Math.min(1, w));
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
        for (State s : state) {
            evals += s.evaluations;
            if (s.met) {
                met++;
            }
            if (s.done) {
                continue;
            }
            remaining++;
            int r = s.main.replicates();
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
                more = Math.min(more, Math.floor((opt.maxEvaluationsPerPoint() - s.evaluations) / roundCost()));
                more = Math.max(1, more);
            }
            left += more * roundCost();
        }
        return new Progress(round, state.length, remaining, met, evals, remaining * roundCost(), left, opt.adaptive());
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
        double[] c = combined(s);
        double w = s.weight;
        boolean okS = s.main.ok() && s.main.replicates() > 0;
        boolean okM = s.comp.ok() && s.comp.replicates() > 0;
        String why = reason(s, okS, okM);
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
            est = me.ok() ? ce : me;
        } else if (w == 1) {
            est = me;
        } else if (w == 0) {
            est = withSurrogate(ce, me.uSurrogate());
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
                se > 0 ? w * w * me.probeVarianceShare() * me.stdError() * me.stdError() / (se * se) : Double.NaN);
        }
        return new AdaptiveEstimate(est, s.main.replicates(), s.evaluations, s.met, s.main.betweenStdError(), g);
    }

    /** The companion's estimate reported as the point's: û kept for reference, correction u − û. */
    private static PointEstimate withSurrogate(PointEstimate e, double uHat) {
        return new PointEstimate(e.id(), e.t(), e.x(), uHat, e.u() - uHat, e.u(), e.stdError(), e.ciLow(),
            e.ciHigh(), e.z(), e.exact(), e.counts(), e.gradVarTrace(), e.gradNorm2(), e.residualRms(), e.dof(),
            e.status(), e.probeVarianceShare());
    }

    private static String reason(State s, boolean okS, boolean okM) {
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
        double vS = s.pilotSeS * s.pilotSeS;
        double vM = s.pilotSeM * s.pilotSeM;
        double diff = s.pilotS - s.pilotM;
        double excess = diff * diff - DISAGREEMENT_SE2 * (vS + vM);
        if (excess > 0) {
            return String.format(Locale.ROOT, "the pilots disagree beyond noise (|S - M| = %.3g, %.3g combined SE):"
                + " counted as SCaSML bias (a surrogate wrong along the paths)", Math.abs(diff),
                Math.abs(diff) / Math.sqrt(vS + vM));
        }
        return String.format(Locale.ROOT, "inverse-variance weights from the pilot (SE SCaSML %.3g, SE MLP %.3g)",
            s.pilotSeS, s.pilotSeM);
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
            for (State s : state) {
                out.writeByte((s.done ? 1 : 0) | (s.met ? 2 : 0));
                for (double v : new double[] {s.evaluations, s.pilotS, s.pilotSeS, s.pilotM, s.pilotSeM, s.weight}) {
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
        if (round != 0 || pending != null) {
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
            if (n != state.length || dd != d || g != (companion != null) || r < 0) {
                throw new IllegalArgumentException("checkpoint: shape differs (points " + n + ", d " + dd
                    + ", guarded " + g + ")");
            }
            State[] ns = new State[n];
            for (int i = 0; i < n; i++) {
                int fl = in.readByte();
                double[] v = new double[6];
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
                ns[i] = s;
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("checkpoint: " + in.available() + " trailing bytes");
            }
            System.arraycopy(ns, 0, state, 0, n);
            round = r;
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint: unreadable (" + e.getMessage() + ")", e);
        }
    }

}
