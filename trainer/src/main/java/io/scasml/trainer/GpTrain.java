package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.SurrogateLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scasml train --kind gp}: runs {@link GpCollocation} with the command's options and writes the
 * {@code rbf-kernel} surrogate (format v1) and {@code training-report.json} into {@code --out}.
 */
final class GpTrain {
    private GpTrain() {
    }

    static GpCollocation.Config config(TrainCommand c) {
        GpCollocation.Config g = new GpCollocation.Config();
        g.interior = c.gpInterior;
        g.terminal = c.gpTerminal;
        g.lengthscale = c.lengthscale == null ? Double.NaN : c.lengthscale;
        if (c.nugget != null) {
            g.nugget = c.nugget;
        }
        g.iterations = c.gpIterations;
        g.seed = c.seed;
        g.collocationMode = c.collocationMode;
        g.domainShare = c.domainShare;
        g.testPoints = c.testPoints;
        g.pathTestPoints = c.pathTestPoints;
        if (!(g.domainShare >= 0 && g.domainShare <= 1)) {
            throw new IllegalArgumentException("domain-share: " + g.domainShare + " must be in [0, 1]");
        }
        if (g.testPoints < 1 || g.pathTestPoints < 1) {
            throw new IllegalArgumentException("test-points/path-test-points: must be >= 1");
        }
        return g;
    }

    static int run(TrainCommand c, Pde eq, PrintStream err) throws IOException {
        GpCollocation.Config gc = config(c);
        long t0 = System.nanoTime();
        GpCollocation.Result r = GpCollocation.solve(eq, gc, c.quiet ? null : err::println);
        double wall = (System.nanoTime() - t0) / 1e9;
        Path out = c.stagingDir();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("generator", "scasml train --kind gp (trainer module, io.scasml.trainer.GpCollocation)");
        meta.put("command", c.invocation());
        meta.put("equation", eq.name());
        meta.put("equation_dim", eq.dim());
        meta.put("fit", "Gaussian-kernel collocation of the PDE (Gauss–Newton); no solution values used");
        meta.put("exact_data_used", false);
        meta.put("functionals", r.functionals);
        meta.put("rkhs_norm", r.rkhsNorm);
        meta.put("held_out_rel_l2", TrainCommand.finiteOrNull(r.testRelL2));
        meta.put("residual_rms_paths", r.pathResidualRms);
        meta.put("config", gc.toMap());
        GpCollocation.write(out, r.model, meta);
        double roundTrip = Double.NaN;
        try {
            Surrogate s = SurrogateLoader.loadSurrogate(out.toAbsolutePath().toString());
            Points pts = Points.domain(eq.domain(), eq.dim(), 64, StreamKeys.child(StreamKeys.mix64(gc.seed), 26));
            double[] u = new double[pts.n];
            s.value(pts.n, pts.t, pts.x, u);
            double m = 0;
            double[] xi = new double[eq.dim()];
            for (int i = 0; i < pts.n; i++) {
                System.arraycopy(pts.x, i * eq.dim(), xi, 0, eq.dim());
                m = Math.max(m, Math.abs(u[i] - r.value(pts.t[i], xi)));
            }
            roundTrip = m;
        } catch (Exception | LinkageError e) {
            err.println("train: warning: could not load the written surrogate back: " + e.getMessage());
        }
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("kind", "gp");
        rep.put("pde", eq.name());
        rep.put("dim", eq.dim());
        rep.put("command", c.invocation());
        rep.put("method", "GP collocation: min zᵀΘ⁻¹z over the latent functionals subject to the PDE at interior "
                + "points and u = g at terminal points, Gauss–Newton");
        rep.put("functionals", r.functionals);
        rep.put("gradient_functionals", r.gradient ? "div" : "none");
        rep.put("lengthscale", r.lengthscale);
        rep.put("nugget", r.nugget);
        rep.put("prior_mean", r.shift);
        rep.put("iterations_done", r.history.size());
        List<Map<String, Object>> hist = new ArrayList<>();
        for (GpCollocation.Iteration it : r.history) {
            hist.add(it.toMap());
        }
        rep.put("iterations", hist);
        rep.put("rkhs_norm", r.rkhsNorm);
        rep.put("held_out_points", gc.testPoints);
        rep.put("held_out_rel_l2", TrainCommand.finiteOrNull(r.testRelL2));
        rep.put("held_out_linf", TrainCommand.finiteOrNull(r.testLinf));
        rep.put("residual_rms_paths", r.pathResidualRms);
        rep.put("residual_rms_domain", r.domainResidualRms);
        rep.put("terminal_rms_fresh", r.terminalRmsFresh);
        rep.put("roundtrip_max_abs_diff", TrainCommand.finiteOrNull(roundTrip));
        Map<String, Object> wt = new LinkedHashMap<>();
        wt.put("kernel_matrix", r.assembleSeconds);
        wt.put("inverse", r.inverseSeconds);
        wt.put("gauss_newton", r.gaussNewtonSeconds);
        wt.put("eval", r.evalSeconds);
        wt.put("total", wall);
        rep.put("wall_time_s", wt);
        rep.put("available_processors", Runtime.getRuntime().availableProcessors());
        rep.put("config", gc.toMap());
        SurrogateWriter.JSON.writeValue(out.resolve("training-report.json").toFile(), rep);
        System.out.printf(Locale.ROOT, "wrote %s: GP collocation, %d functionals, ℓ = %.4g, %d Gauss–Newton iterations, "
                        + "held-out rel L2 %s, residual RMS along paths %.3e (domain %.3e), %.1f s%n", c.out,
                r.functionals, r.lengthscale, r.history.size(),
                Double.isNaN(r.testRelL2) ? "n/a" : String.format(Locale.ROOT, "%.4g", r.testRelL2),
                r.pathResidualRms, r.domainResidualRms, wall);
        return 0;
    }

}
