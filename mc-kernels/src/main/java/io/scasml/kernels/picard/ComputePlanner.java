package io.scasml.kernels.picard;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compute-optimal settings for a target accuracy, from a short pilot (docs/algorithm.md §23,
 * "compute-optimal settings").
 *
 * <h2>Rule</h2>
 * <ol>
 *   <li>Pilot: the requested method at the requested (n, M) over at most {@link #PILOT_POINTS} of the points
 *       (evenly spaced in input order), on the streams {@link StreamKeys#pilotRoot}({@link StreamKeys#PILOT_PLAN}),
 *       which no reported estimate uses. Each pilot point i gives SEᵢ² and uᵢ, so its tolerance
 *       tolᵢ = max(target_se, target_rel_se·|uᵢ|) and the work it needs, Wᵢ = SEᵢ²·C(n, M)/tolᵢ², with C the
 *       {@link WorkPlan} cost per point. This assumes the work-normalised variance SE²·C is constant in M at fixed
 *       n (each top-level term's variance falls like 1/M^(n−l) while the cost grows like M^n; measured on LQG
 *       d = 10, n = 2: SE²·C = 0.43, 0.62, 0.51 at M = 4, 8, 16, only M = 2 is off at 1.4).</li>
 *   <li>W* = the {@link #QUANTILE} quantile of the Wᵢ: settings for the bulk of the points; the adaptive rounds
 *       finish the rest.</li>
 *   <li>n is kept: a pilot measures variance, not the Picard truncation bias that n controls. M is the largest
 *       base ≥ the requested one (doubling) with C(n, M) ≤ W* / {@link #TARGET_ROUNDS} within
 *       {@link RunOptions#maxBase()} and {@link RunOptions#maxEvaluationsPerPoint()}: the bulk of the points then
 *       needs at least {@link #TARGET_ROUNDS} rounds (fewer than 4·{@link #TARGET_ROUNDS} with n = 2, where C
 *       grows like M²) — enough replicates for the between-replicate check and for adaptivity to pay, few enough
 *       stages. Quadrature has no base: only the rounds are predicted.</li>
 *   <li>The chosen options get max_rounds ≥ 4·predicted rounds (never below the requested).</li>
 * </ol>
 * The prediction is conservative where the requested M is small: SE²·C is larger there (measured on VB d = 10,
 * n = 2, pilot at M = 4, target 0.4%: M = 32 chosen, 12 rounds predicted for the 90% point, 2.5 rounds needed on
 * average); the adaptive rounds stop early, so the cost of the misprediction is only a coarser M.
 */
public final class ComputePlanner {
    /** Most points in the pilot. */
    public static final int PILOT_POINTS = 64;
    /** Quantile of the per-point work that the settings are sized for. */
    public static final double QUANTILE = 0.9;
    /** Rounds the bulk of the points should need. */
    public static final int TARGET_ROUNDS = 4;

    private ComputePlanner() {
    }

    /**
     * The choice and why, for {@code summary.json}.
     *
     * @param levels              chosen n (the requested one)
     * @param base                chosen M
     * @param requestedBase       the requested M
     * @param pilotPoints         points in the pilot
     * @param pilotEvaluations    evaluations spent on the pilot (all its points)
     * @param workQuantile        W*: evaluations per point the {@link #QUANTILE} quantile of the pilot points needs
     * @param evaluationsPerRound C(n, M) of the chosen settings (main method only)
     * @param predictedRounds     ⌈W* / C(n, M)⌉
     * @param options             the options to run with (chosen base, raised max_rounds)
     * @param reason              the rule's outcome in words
     */
    public record Choice(int levels, int base, int requestedBase, int pilotPoints, double pilotEvaluations,
                         double workQuantile, double evaluationsPerRound, int predictedRounds, RunOptions options,
                         String reason) {
        /** The record as written to {@code summary.json} (without the options, which are written anyway). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("levels", levels);
            m.put("base", base);
            m.put("requested_base", requestedBase);
            m.put("pilot_points", pilotPoints);
            m.put("pilot_evaluations", pilotEvaluations);
            m.put("work_quantile", workQuantile);
            m.put("evaluations_per_round", evaluationsPerRound);
            m.put("predicted_rounds", predictedRounds);
            m.put("max_rounds", options.maxRounds());
            m.put("reason", reason);
            return m;
        }
    }

    /**
     * Runs the pilot and chooses.
     *
     * @param pde       the equation
     * @param surrogate the surrogate (as for the run)
     * @param opt       the requested options, with a target
     * @param points    the run's points
     * @param executor  runs the pilot (one batch)
     * @throws IllegalArgumentException without a target, or as {@link PicardEstimator#create}
     */
    public static Choice choose(Pde pde, Surrogate surrogate, RunOptions opt, List<QueryPoint> points,
                                RoundExecutor executor) {
        if (!opt.adaptive()) {
            throw new IllegalArgumentException("target_se: the compute planner needs --target-se or --target-rel-se");
        }
        PicardEstimator est = PicardEstimator.create(pde, surrogate, opt);
        int np = Math.min(PILOT_POINTS, points.size());
        List<QueryPoint> pilot = new ArrayList<>(np);
        for (int i = 0; i < np; i++) {
            QueryPoint p = points.get((int) ((long) i * points.size() / np));
            est.validate(p);
            pilot.add(p);
        }
        double c = est.estimatedEvaluationsPerPoint();
        List<PointEstimate> res = executor.run(List.of(new RoundExecutor.Batch(RoundExecutor.Role.MAIN, est, pilot,
            StreamKeys.pilotRoot(opt.seed(), StreamKeys.PILOT_PLAN), true, "planner pilot"))).get(0);
        double[] w = new double[res.size()];
        int k = 0;
        for (PointEstimate e : res) {
            if (!e.ok() || !(e.stdError() > 0)) {
                continue; // t = T (nothing to do) or not a number (nothing to learn)
            }
            double tol = Math.max(opt.targetSe(), opt.targetRelSe() * Math.abs(e.u()));
            w[k++] = tol > 0 ? e.stdError() * e.stdError() * c / (tol * tol) : Double.POSITIVE_INFINITY;
        }
        double pilotEvals = c * np;
        if (k == 0) {
            return new Choice(opt.levels(), opt.base(), opt.base(), np, pilotEvals, 0, c, 1, opt,
                "pilot has no point with a positive finite SE: requested settings kept");
        }
        double[] ws = Arrays.copyOf(w, k);
        Arrays.sort(ws);
        double wq = ws[Math.min(k - 1, (int) Math.ceil(QUANTILE * k) - 1)];
        int base = opt.base();
        double cBase = c;
        String why;
        if (opt.scheme() == Scheme.FULL_HISTORY && Double.isFinite(wq)) {
            while (true) {
                long next = 2L * base;
                if (next > opt.maxBase()) {
                    break;
                }
                double cn;
                try {
                    cn = PicardEstimator.create(pde, surrogate, opt.toBuilder().base((int) next).build())
                        .estimatedEvaluationsPerPoint();
                } catch (IllegalArgumentException overBudget) {
                    break;
                }
                if (cn > wq / TARGET_ROUNDS) {
                    break;
                }
                base = (int) next;
                cBase = cn;
            }
            why = base == opt.base()
                ? String.format(Locale.ROOT, "the requested M = %d already needs at most about %d rounds for %.0f%%"
                    + " of the pilot points (W* = %.3g evaluations, C = %.3g per round)", base,
                    (int) Math.ceil(wq / cBase), 100 * QUANTILE, wq, cBase)
                : String.format(Locale.ROOT, "M raised %d -> %d, the largest doubling with at least %d rounds"
                    + " for %.0f%% of the pilot points: about %d rounds predicted (W* = %.3g evaluations, C = %.3g"
                    + " per round); n = %d kept (a pilot does not measure the truncation bias)", opt.base(), base,
                    TARGET_ROUNDS, 100 * QUANTILE, (int) Math.ceil(wq / cBase), wq, cBase, opt.levels());
        } else {
            why = String.format(Locale.ROOT, "%s: settings kept, %.3g evaluations per round, W* = %.3g",
                opt.scheme() == Scheme.QUADRATURE ? "quadrature has no base" : "target unreachable for some point",
                c, wq);
        }
        int rounds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(wq / cBase)));
        int maxRounds = (int) Math.min(RunOptions.MAX_ROUNDS_CEILING, Math.max(opt.maxRounds(), 4L * rounds));
        RunOptions chosen = opt.toBuilder().base(base).maxRounds(maxRounds).build();
        return new Choice(opt.levels(), base, opt.base(), np, pilotEvals, wq, cBase, rounds, chosen, why);
    }
}
