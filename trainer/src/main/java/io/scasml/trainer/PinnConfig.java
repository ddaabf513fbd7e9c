package io.scasml.trainer;

import io.scasml.surrogate.Activation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tunable of a PINN training run, with its default; written to the provenance block of the surrogate and the
 * training report so that a run can be reproduced from its output.
 */
public final class PinnConfig {
    /** Hidden widths. */
    public int[] widths = {50, 50, 50};
    /** Activation. */
    public Activation activation = Activation.TANH;
    /** Size of the collocation pool. */
    public int collocation = 8192;
    /** Size of the terminal-point pool (û(T, x) ≈ g(x)). */
    public int terminalPoints = 2048;
    /**
     * Size of the data pool (exact values on the test domain's boundary, as the reference's Dirichlet data); 0 (the
     * default) = none: the network is learned from the PDE residual and the terminal condition alone.
     */
    public int dataPoints = 0;
    /** Where data points lie: {@code boundary} (reference protocol) or {@code domain}. */
    public String dataRegion = "boundary";
    /** Collocation points per step (minibatch drawn from the pool; the whole pool if larger). */
    public int batch = 512;
    /** Terminal/data points per step. */
    public int valueBatch = 512;
    /** Adam steps. */
    public int steps = 3000;
    /** Initial learning rate. */
    public double lr = 1e-3;
    /** Final learning rate (exponential decay from lr); NaN = lr/10. */
    public double lrFinal = Double.NaN;
    /** Root seed. */
    public long seed = 1234;
    /** {@code paths} (default) or {@code domain}. */
    public String collocationMode = "paths";
    /** In paths mode, share of collocation points kept at their start in the test domain. */
    public double domainShare = 0.25;
    /** Loss weights. */
    public double residualWeight = 1.0;
    /** Terminal-loss weight. */
    public double terminalWeight = 1.0;
    /** Data-loss weight. */
    public double dataWeight = 1.0;
    /**
     * paths mode: share of terminal points (T, x) with x from the test domain rather than a path's end X_T (default 0).
     * For equations whose paths drift far from the domain within a short time (VB at d = 10⁴: ΣX moves by ≈ −313 per
     * unit time), the path ends never sample g near the domain, where the solution's front is.
     */
    public double terminalDomainShare = 0;
    /**
     * Fresh collocation and terminal points every step instead of minibatches of the fixed pools (drawn the same
     * way, keyed by the step). At d = 10⁴ a pool of N points holds N·d doubles and gives N scalars of terminal
     * information — a generic direction in R^d needs more than d of them; fresh points cost O(batch·d) per step.
     */
    public boolean freshPoints = false;
    /** Held-out test points on the domain (for the relative L2 error when the exact solution is known). */
    public int testPoints = 1200;
    /** Held-out path points for the residual RMS along paths. */
    public int pathTestPoints = 2048;
    /** Whether to normalise inputs (format v1 input map) from the collocation pool's mean and std. */
    public boolean normalizeInput = true;
    /** Whether to set the output map from the terminal values' mean and std. */
    public boolean normalizeOutput = true;
    /**
     * The residual loss's Laplacian: {@code exact} (default) or {@code hutchinson:K[:gaussian]} (the unbiased
     * randomized loss of docs/algorithm.md §24.2, two sets of K probes per collocation point).
     */
    public String laplacian = "exact";
    /**
     * Points per set whose residual the end-of-training report evaluates with the exact Laplacian (the pool's final
     * residual loss, the domain and path residual RMS): the first N of each set; 0 = every point. Default -1 = automatic:
     * every point with the exact loss, {@value #AUTO_REPORT_RESIDUAL_POINTS} with a randomized one (the exact residual
     * costs O(d²·w) per point, hours for a whole pool at d = 10⁴).
     */
    public int reportResidualPoints = -1;
    /** The bounded sample of {@link #reportResidualPoints}' automatic choice under a randomized loss. */
    public static final int AUTO_REPORT_RESIDUAL_POINTS = 256;
    /** Progress-line interval in steps (0 = about 50 lines). */
    public int progressEvery = 0;

    /** Whether a run with this configuration fits exact-solution values (data points with a positive weight). */
    public boolean usesExactData(io.scasml.kernels.pde.Pde pde) {
        return dataPoints > 0 && dataWeight > 0 && pde.hasExact();
    }

    /** Effective cap of the report's exact-residual sets (0 = none): {@link #reportResidualPoints} resolved. */
    public int reportResidualCap() {
        if (reportResidualPoints >= 0) {
            return reportResidualPoints;
        }
        return laplacianMode().randomized() ? AUTO_REPORT_RESIDUAL_POINTS : 0;
    }

    /** Effective final learning rate. */
    public double lrFinal() {
        return Double.isNaN(lrFinal) ? lr / 10 : lrFinal;
    }

    /** The parsed {@link #laplacian}: exact or hutchinson. */
    public io.scasml.kernels.surrogate.LaplacianMode laplacianMode() {
        io.scasml.kernels.surrogate.LaplacianMode m = io.scasml.kernels.surrogate.LaplacianMode.parse(laplacian);
        if (m.kind() != io.scasml.kernels.surrogate.LaplacianMode.Kind.EXACT
                && m.kind() != io.scasml.kernels.surrogate.LaplacianMode.Kind.HUTCHINSON
                && m.kind() != io.scasml.kernels.surrogate.LaplacianMode.Kind.DEFLATED) {
            throw new IllegalArgumentException("laplacian: '" + laplacian + "'; the trainer accepts exact,"
                    + " hutchinson:K[:gaussian] or deflated:K[:gaussian] (K an integer >= 1)");
        }
        return m;
    }

    /** Checks ranges; throws IllegalArgumentException naming the option. */
    public void validate() {
        laplacianMode();
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("widths: " + Arrays.toString(widths) + " must all be >= 1");
            }
        }
        if (widths.length < 1) {
            throw new IllegalArgumentException("widths: need at least one hidden layer");
        }
        req(collocation >= 1, "collocation", collocation, ">= 1");
        req(terminalPoints >= 1, "terminal-points", terminalPoints, ">= 1");
        req(dataPoints >= 0, "data-points", dataPoints, ">= 0");
        req(batch >= 1, "batch", batch, ">= 1");
        req(valueBatch >= 1, "value-batch", valueBatch, ">= 1");
        req(steps >= 0, "steps", steps, ">= 0");
        req(lr > 0 && Double.isFinite(lr), "lr", lr, "a finite number > 0");
        req(lrFinal() > 0 && Double.isFinite(lrFinal()), "lr-final", lrFinal(), "a finite number > 0");
        req(domainShare >= 0 && domainShare <= 1, "domain-share", domainShare, "in [0, 1]");
        req(terminalDomainShare >= 0 && terminalDomainShare <= 1, "terminal-domain-share", terminalDomainShare, "in [0, 1]");
        req(residualWeight >= 0 && terminalWeight >= 0 && dataWeight >= 0, "loss weights",
                residualWeight + "/" + terminalWeight + "/" + dataWeight, ">= 0");
        req(testPoints >= 1, "test-points", testPoints, ">= 1");
        req(pathTestPoints >= 1, "path-test-points", pathTestPoints, ">= 1");
        req(reportResidualPoints >= -1, "report-residual-points", reportResidualPoints, ">= 0 (0 = every point)");
        if (!collocationMode.equals("paths") && !collocationMode.equals("domain")) {
            throw new IllegalArgumentException("collocation-mode: '" + collocationMode + "'; expected paths or domain");
        }
        if (!dataRegion.equals("boundary") && !dataRegion.equals("domain")) {
            throw new IllegalArgumentException("data-region: '" + dataRegion + "'; expected boundary or domain");
        }
    }

    private static void req(boolean ok, String name, Object v, String what) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + v + " must be " + what);
        }
    }

    /** The provenance map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("widths", widths.clone());
        m.put("activation", activation.id());
        m.put("collocation", collocation);
        m.put("collocation_mode", collocationMode);
        m.put("domain_share", domainShare);
        m.put("terminal_points", terminalPoints);
        m.put("terminal_domain_share", terminalDomainShare);
        m.put("fresh_points", freshPoints);
        m.put("data_points", dataPoints);
        m.put("data_region", dataRegion);
        m.put("batch", batch);
        m.put("value_batch", valueBatch);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("lr_final", lrFinal());
        m.put("seed", seed);
        m.put("residual_weight", residualWeight);
        m.put("terminal_weight", terminalWeight);
        m.put("data_weight", dataWeight);
        m.put("test_points", testPoints);
        m.put("path_test_points", pathTestPoints);
        m.put("report_residual_points", reportResidualCap());
        m.put("normalize_input", normalizeInput);
        m.put("normalize_output", normalizeOutput);
        m.put("laplacian", laplacianMode().id());
        return m;
    }
}
