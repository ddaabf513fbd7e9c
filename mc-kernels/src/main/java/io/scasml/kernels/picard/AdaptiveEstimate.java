package io.scasml.kernels.picard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A point's result from the {@link AdaptiveDriver}: the reported estimate and how it was reached.
 *
 * @param estimate     the reported estimate (for guarded SCaSML the combination w·SCaSML + (1 − w)·MLP, whose
 *                     {@code correction} is u − û; for one unguarded round, exactly the plain run's estimate)
 * @param rounds       rounds (replicates) that went into it, of whichever methods the point ran (guarded with w = 0:
 *                     the companion's)
 * @param evaluations  evaluations spent on this point by the cost model ({@link WorkPlan#evaluationsPerPoint()}),
 *                     pilots and companion included
 * @param targetMet    whether SE ≤ max(target_se, target_rel_se·|u|); false without a target or when a cap stopped
 *                     the point first; true at t = T (SE = 0)
 * @param betweenSe    between-replicate standard error sd(uᵣ)/√R of the main method (guarded with w = 0: of the
 *                     companion; NaN for R &lt; 2): a check
 *                     on the pooled {@code estimate.stdError()}
 * @param guard        the guard's record (null when unguarded)
 */
public record AdaptiveEstimate(PointEstimate estimate, int rounds, double evaluations, boolean targetMet,
                               double betweenSe, Guard guard) implements Serializable {

    /**
     * Guarded SCaSML at one point.
     *
     * @param weight     w ∈ [0, 1], fixed by the pilot; the reported u = w·uScasml + (1 − w)·uMlp
     * @param uScasml    the SCaSML estimate (combined replicates; NaN at w = 0, whose SCaSML rounds are skipped; the
     *                   MLP fields likewise at w = 1)
     * @param seScasml   its standard error
     * @param uMlp       the plain-MLP estimate (independent streams, combined replicates)
     * @param seMlp      its standard error
     * @param pilotZ     the pilot's disagreement |S − M| / √(SE_S² + SE_M²)
     * @param carriedBy  {@code "scasml"} (w ≥ ½) or {@code "mlp"}
     * @param reason     why, in words (for the warning)
     */
    public record Guard(double weight, double uScasml, double seScasml, double uMlp, double seMlp, double pilotZ,
                        String carriedBy, String reason) implements Serializable {
        /**
         * |S − M| / √(SE_S² + SE_M²) of the final estimates: a diagnostic only (the weight must not depend on the
         * samples it weighs), NaN when either is missing.
         */
        public double finalDisagreement() {
            return Math.abs(uScasml - uMlp) / Math.sqrt(seScasml * seScasml + seMlp * seMlp);
        }
    }

    /** Warn when the final SCaSML and MLP estimates of a guarded point disagree by more than this many SE. */
    public static final double FINAL_DISAGREEMENT_WARN = 4.0;

    /** Warnings of this point: the estimate's own, a missed target, and which estimate carried a guarded point. */
    public List<String> warnings(double horizon, RunOptions opt) {
        List<String> w = new ArrayList<>(estimate.warnings(horizon));
        if (opt.adaptive() && !targetMet && estimate.ok()) {
            w.add(String.format(Locale.ROOT, "point %d: target not met after %d round(s), %.3g evaluations"
                + " (SE %.3g); raise --max-rounds or --max-evals", estimate.id(), rounds, evaluations,
                estimate.stdError()));
        }
        if (guard != null && guard.weight() < 0.5) {
            w.add(String.format(Locale.ROOT, "point %d: carried by plain MLP (w = %.3g): %s", estimate.id(),
                guard.weight(), guard.reason()));
        }
        if (guard != null) {
            double z = guard.finalDisagreement();
            if (z > FINAL_DISAGREEMENT_WARN) {
                w.add(String.format(Locale.ROOT, "point %d: the final SCaSML (%.6g +- %.3g) and plain-MLP (%.6g +- %.3g)"
                    + " estimates disagree by %.3g SE although the pilot gave w = %.3g: one of them has heavier tails"
                    + " than its error bar shows (suspect the surrogate along the paths)", estimate.id(),
                    guard.uScasml(), guard.seScasml(), guard.uMlp(), guard.seMlp(), z, guard.weight()));
            }
        }
        return w;
    }

    /**
     * The adaptive and guard columns, in output order (names snake_case; NaN where not applicable), for the
     * result table's column descriptor.
     */
    public Map<String, Object> columns() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", rounds);
        m.put("evaluations", evaluations);
        m.put("target_met", targetMet);
        m.put("between_se", betweenSe);
        m.put("guard_weight", guard == null ? Double.NaN : guard.weight());
        m.put("u_scasml", guard == null ? Double.NaN : guard.uScasml());
        m.put("se_scasml", guard == null ? Double.NaN : guard.seScasml());
        m.put("u_mlp", guard == null ? Double.NaN : guard.uMlp());
        m.put("se_mlp", guard == null ? Double.NaN : guard.seMlp());
        m.put("guard_carried_by", guard == null ? "" : guard.carriedBy());
        return m;
    }

    /** Names of {@link #columns()}. */
    public static final List<String> COLUMN_NAMES = List.of("rounds", "evaluations", "target_met", "between_se",
        "guard_weight", "u_scasml", "se_scasml", "u_mlp", "se_mlp", "guard_carried_by");
}
