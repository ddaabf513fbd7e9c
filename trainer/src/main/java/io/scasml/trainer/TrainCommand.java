package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.Activation;
import io.scasml.surrogate.SurrogateLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scasml train}: fits a surrogate to a PDE and writes it in format v1 with a training report.
 *
 * <p>Exit codes: 0 success; 2 bad input (one-line message on stderr); 3 training stopped on a non-finite loss (the last
 * good weights are written); 1 I/O failure.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a surrogate for a PDE: a physics-informed MLP (exact forward-Laplacian residual, Adam) or a "
                + "Gaussian-kernel fit, written in format v1 (surrogate.json + weights.npz) with training-report.json "
                + "and loss.png.",
            "Collocation points are drawn where the estimator's Brownian paths go (--collocation-mode paths, default)."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pde", required = true, paramLabel = "NAME|FILE", description = "Catalog name (vb, lcd, lqg, dr, hjb) or spec file.")
    String pde;

    @Option(names = "--dim", required = true, paramLabel = "D", description = "Spatial dimension.")
    int dim;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist unless --overwrite, which replaces only an earlier scasml output).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an earlier scasml output directory (one holding the _SCASML_OUTPUT marker).")
    boolean overwrite;

    @Option(names = "--kind", defaultValue = "mlp", description = "mlp (PINN, default), gp (Gaussian-kernel collocation "
            + "that solves the PDE, Gauss–Newton) or kernel-regression (Gaussian-kernel ridge fit to exact values; "
            + "'kernel' is a deprecated alias).")
    String kind;

    @Option(names = "--widths", split = ",", paramLabel = "W1,W2,..", description = "Hidden widths (default 50,50,50).")
    int[] widths;

    @Option(names = "--width", description = "Hidden width (with --depth; alternative to --widths).")
    Integer width;

    @Option(names = "--depth", description = "Number of hidden layers (with --width).")
    Integer depth;

    @Option(names = "--activation", defaultValue = "tanh", description = "tanh, sin, softplus or silu (alias swish, written as silu).")
    String activation;

    @Option(names = "--collocation", defaultValue = "8192", paramLabel = "N", description = "Collocation pool size (default ${DEFAULT-VALUE}).")
    int collocation;

    @Option(names = "--terminal-points", defaultValue = "2048", paramLabel = "N", description = "Terminal pool size (default ${DEFAULT-VALUE}).")
    int terminalPoints;

    @Option(names = "--data-points", defaultValue = "0", paramLabel = "N", description = "Exact-solution values to fit besides the PDE, "
            + "when the exact solution is known (default ${DEFAULT-VALUE}: the PDE residual and the terminal condition only; "
            + "a positive N is an explicit opt-in, recorded in the manifest as exact_data_used).")
    int dataPoints;

    @Option(names = "--data-region", defaultValue = "boundary", description = "boundary (reference protocol) or domain.")
    String dataRegion;

    @Option(names = "--batch", defaultValue = "512", description = "Collocation points per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--value-batch", defaultValue = "512", description = "Terminal/data points per step (default ${DEFAULT-VALUE}).")
    int valueBatch;

    @Option(names = "--steps", defaultValue = "3000", description = "Adam steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Initial learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-final", description = "Final learning rate, exponential decay (default lr/10).")
    Double lrFinal;

    @Option(names = "--seed", defaultValue = "1234", description = "Root seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--collocation-mode", defaultValue = "paths", description = "paths (default: along simulated paths from the test domain) or domain.")
    String collocationMode;

    @Option(names = "--domain-share", defaultValue = "0.25", description = "paths mode: share of collocation points in the test domain itself (default ${DEFAULT-VALUE}).")
    double domainShare;

    @Option(names = "--fresh-points", description = "Draw fresh collocation and terminal points every step (keyed "
            + "by the step) instead of minibatches of the fixed pools; the pools then serve the input map and the report.")
    boolean freshPoints;

    @Option(names = "--terminal-domain-share", defaultValue = "0", description = "paths mode: share of terminal points "
            + "at (T, x) with x from the test domain instead of a path's end (default ${DEFAULT-VALUE}).")
    double terminalDomainShare;

    @Option(names = "--laplacian", defaultValue = "exact", paramLabel = "exact|hutchinson:K[:gaussian]",
            description = "mlp: the residual loss's Laplacian: exact (default) or hutchinson:K, the unbiased randomized"
                    + " loss with two sets of K probes per collocation point (docs/algorithm.md §24.2; for large d).")
    String laplacian;

    @Option(names = "--residual-weight", defaultValue = "1", description = "Weight of mean(ε²) (default ${DEFAULT-VALUE}).")
    double residualWeight;

    @Option(names = "--terminal-weight", defaultValue = "1", description = "Weight of the terminal loss (default ${DEFAULT-VALUE}).")
    double terminalWeight;

    @Option(names = "--data-weight", defaultValue = "1", description = "Weight of the data loss (default ${DEFAULT-VALUE}).")
    double dataWeight;

    @Option(names = "--test-points", defaultValue = "1200", description = "Held-out test-domain points (default ${DEFAULT-VALUE}).")
    int testPoints;

    @Option(names = "--path-test-points", defaultValue = "2048", description = "Held-out path points for the residual RMS (default ${DEFAULT-VALUE}).")
    int pathTestPoints;

    @Option(names = "--report-residual-points", defaultValue = "-1", description = "Points per set (collocation pool, "
            + "test domain, path test set) whose exact residual the end-of-training report evaluates: the first N; 0 = "
            + "every point; default: every point with --laplacian exact, " + PinnConfig.AUTO_REPORT_RESIDUAL_POINTS
            + " with hutchinson (the exact residual costs O(d^2 w) per point).")
    int reportResidualPoints;

    @Option(names = "--precision", defaultValue = "fp64", description = "fp64 (fp32 training is not supported; surrogate-loader can evaluate the result in FP32).")
    String precision;

    @Option(names = "--centers", defaultValue = "1024", description = "kernel: number of centers (default ${DEFAULT-VALUE}).")
    int centers;

    @Option(names = "--lengthscale", description = "kernel: lengthscale ℓ (default σ_eq·√d as the reference's GP, at least 0.5·√(d+1)).")
    Double lengthscale;

    @Option(names = "--nugget", description = "kernel-regression: ridge added to the kernel matrix's diagonal (default 1e-6); "
            + "gp: relative nugget η, Θ = K + η·(each functional block's diagonal) (default 1e-8).")
    Double nugget;

    @Option(names = "--gp-interior", defaultValue = "400", paramLabel = "N", description = "gp: interior collocation points (default ${DEFAULT-VALUE}).")
    int gpInterior;

    @Option(names = "--gp-terminal", defaultValue = "1600", paramLabel = "M", description = "gp: terminal points (default ${DEFAULT-VALUE}).")
    int gpTerminal;

    @Option(names = "--gp-iterations", defaultValue = "10", description = "gp: Gauss–Newton iterations at most (default ${DEFAULT-VALUE}).")
    int gpIterations;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    /** For picocli and the top-level CLI. */
    public TrainCommand() {
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** A command line whose option errors are one line ("train: …", exit 2) instead of the usage text. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("train: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        return cl;
    }

    @Override
    public Integer call() {
        PrintStream err = System.err;
        try {
            return run(err);
        } catch (io.scasml.io.InputException e) {
            err.println("train: " + io.scasml.io.Messages.oneLine(e.getMessage()));
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("train: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("train: I/O error: " + e.getMessage());
            return 1;
        }
    }

    String invocation() {
        StringBuilder sb = new StringBuilder("scasml train");
        try {
            for (String a : spec.commandLine().getParseResult().originalArgs()) {
                sb.append(' ').append(a);
            }
        } catch (RuntimeException e) {
            // not parsed by picocli (programmatic use)
        }
        return sb.toString();
    }

    /** The staging directory of this run's output (see {@link io.scasml.io.OutputDirs}). */
    private Path dir;

    /** Where a trainer writes its files: the staging directory, moved to {@code --out} when complete. */
    Path stagingDir() {
        return dir;
    }

    int run(PrintStream err) throws IOException {
        // The output is checked before any work: --overwrite replaces only an earlier scasml output, and the output
        // may not be or contain the spec file, the working directory or the home directory.
        java.util.List<org.apache.hadoop.fs.Path> inputs = new java.util.ArrayList<>();
        if (!io.scasml.pde.PdeCatalog.contains(pde.trim()) && Files.exists(Path.of(pde.trim()))) {
            inputs.add(new org.apache.hadoop.fs.Path(Path.of(pde.trim()).toAbsolutePath().toUri()));
        }
        String runId = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
                + "-" + String.format("%08x", new java.security.SecureRandom().nextInt());
        io.scasml.io.OutputDirs.Target target = io.scasml.io.OutputDirs.prepare("--out",
                new org.apache.hadoop.fs.Path(out.toAbsolutePath().toUri()), new org.apache.hadoop.conf.Configuration(),
                overwrite, "train", runId, inputs);
        boolean committed = false;
        try {
            dir = target.stagingFile().toPath();
            int rc = work(err);
            target.commit();
            committed = true;
            printSummary();
            if (stopMessage != null) {
                err.println(stopMessage);
            }
            return rc;
        } finally {
            if (!committed) {
                target.abort();
            }
        }
    }

    private String summaryLine;
    private String stopMessage;

    private void printSummary() {
        if (summaryLine != null) {
            System.out.print(summaryLine);
        }
    }

    private int work(PrintStream err) throws IOException {
        String p = precision.toLowerCase(Locale.ROOT);
        if (p.equals("fp32")) {
            throw new IllegalArgumentException("precision: fp32 training is not supported (training runs in FP64; "
                    + "surrogate-loader can evaluate the written surrogate in FP32)");
        }
        if (!p.equals("fp64")) {
            throw new IllegalArgumentException("precision: '" + precision + "'; expected fp64 or fp32");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim: " + dim + " must be >= 1");
        }
        Pde eq = PdeResolver.resolve(pde, dim);
        if (eq.domain() == null) {
            throw new IllegalArgumentException("pde: '" + pde + "' has no domain; the trainer draws collocation points "
                    + "from the test domain and the paths started there: add a domain to the spec");
        }
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.equals("kernel")) {
            err.println("train: note: --kind kernel is deprecated; it is --kind kernel-regression (a fit to exact "
                    + "solution values); --kind gp solves the PDE");
            k = "kernel-regression";
        }
        if (k.equals("kernel-regression")) {
            return runKernel(eq, err);
        }
        if (k.equals("gp")) {
            return GpTrain.run(this, eq, err);
        }
        if (!k.equals("mlp")) {
            throw new IllegalArgumentException("kind: '" + kind + "'; expected mlp, gp or kernel-regression");
        }
        PinnConfig c = config();
        long t0 = System.nanoTime();
        PinnTrainer.Result r = PinnTrainer.train(eq, c, quiet ? null : err::println);
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("generator", "scasml train (trainer module, io.scasml.trainer)");
        meta.put("command", invocation());
        meta.put("equation", eq.name());
        meta.put("equation_dim", eq.dim());
        meta.put("seed", c.seed);
        meta.put("steps", r.stepsDone);
        meta.put("collocation_mode", c.collocationMode);
        meta.put("final_loss", r.finalLoss[0]);
        meta.put("held_out_rel_l2", finiteOrNull(r.testRelL2));
        meta.put("residual_rms_paths", r.pathResidualRms);
        meta.put("exact_data_used", c.usesExactData(eq));
        meta.put("config", c.toMap());
        SurrogateWriter.writeMlp(dir, r.net, meta);
        double roundTrip = roundTrip(eq, r);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("kind", "mlp");
        rep.put("pde", eq.name());
        rep.put("dim", eq.dim());
        rep.put("command", invocation());
        rep.put("exact_data_used", c.usesExactData(eq));
        rep.put("parameters", r.net.parameterCount());
        rep.put("steps_done", r.stepsDone);
        rep.put("stopped_at_step", r.stoppedAt >= 0 ? r.stoppedAt : null);
        rep.put("stop_reason", r.stopReason);
        Map<String, Object> fl = new LinkedHashMap<>();
        fl.put("total", r.finalLoss[0]);
        fl.put("residual", r.finalLoss[1]);
        fl.put("terminal", r.finalLoss[2]);
        fl.put("data", r.finalLoss[3]);
        rep.put("final_loss", fl);
        rep.put("held_out_points", c.testPoints);
        rep.put("held_out_rel_l2", finiteOrNull(r.testRelL2));
        rep.put("held_out_linf", finiteOrNull(r.testLinf));
        rep.put("residual_rms_paths", r.pathResidualRms);
        rep.put("residual_rms_domain", r.domainResidualRms);
        rep.put("residual_points", Map.of("collocation", r.reportResidualPoints[0], "domain",
                r.reportResidualPoints[1], "paths", r.reportResidualPoints[2]));
        rep.put("roundtrip_max_abs_diff", finiteOrNull(roundTrip));
        Map<String, Object> wt = new LinkedHashMap<>();
        wt.put("setup", r.setupSeconds);
        wt.put("train", r.trainSeconds);
        wt.put("eval", r.evalSeconds);
        wt.put("total", wall);
        rep.put("wall_time_s", wt);
        rep.put("available_processors", Runtime.getRuntime().availableProcessors());
        rep.put("config", c.toMap());
        SurrogateWriter.JSON.writeValue(dir.resolve("training-report.json").toFile(), rep);
        if (r.history.length > 0) {
            LossPlot.write(r.history, eq.name() + " d=" + eq.dim() + " — PINN loss (" + c.collocationMode + ")",
                    dir.resolve("loss.png"));
        }
        summaryLine = String.format(Locale.ROOT, "wrote %s: %d steps, final loss %.3e, held-out rel L2 %s, residual RMS"
                        + " along paths %.3e (domain %.3e), %.1f s%n", out, r.stepsDone, r.finalLoss[0],
                Double.isNaN(r.testRelL2) ? "n/a" : String.format(Locale.ROOT, "%.4g", r.testRelL2),
                r.pathResidualRms, r.domainResidualRms, wall);
        if (r.stoppedAt >= 0) {
            stopMessage = "train: stopped at step " + r.stoppedAt + ": " + r.stopReason + "; wrote the last good weights"
                    + " (after step " + r.stoppedAt + ") to " + out + " — lower --lr";
            return 3;
        }
        return 0;
    }

    /** Loads the written surrogate with surrogate-loader and returns the max |difference| of values at test points. */
    private double roundTrip(Pde eq, PinnTrainer.Result r) {
        try {
            Surrogate s = SurrogateLoader.loadSurrogate(dir.toAbsolutePath().toString());
            Points pts = Points.domain(eq.domain(), eq.dim(), 64, 99);
            double[] u = new double[pts.n];
            s.value(pts.n, pts.t, pts.x, u);
            PinnLoss l = new PinnLoss(r.net, eq, 64, 64, 1, 1, 1);
            double[] v = l.values(pts.n, pts.t, pts.x);
            double m = 0;
            for (int i = 0; i < pts.n; i++) {
                m = Math.max(m, Math.abs(u[i] - v[i]));
            }
            return m;
        } catch (Exception | LinkageError e) {
            System.err.println("train: warning: could not load the written surrogate back: " + e.getMessage());
            return Double.NaN;
        }
    }

    /** A report value: the number, or null (JSON null) when it is not finite. */
    static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    PinnConfig config() {
        PinnConfig c = new PinnConfig();
        if (widths != null && (width != null || depth != null)) {
            throw new IllegalArgumentException("widths: give either --widths or --width/--depth, not both");
        }
        if (widths != null) {
            c.widths = widths;
        } else if (width != null || depth != null) {
            int w = width == null ? 50 : width;
            int dp = depth == null ? 3 : depth;
            if (dp < 1) {
                throw new IllegalArgumentException("depth: " + dp + " must be >= 1");
            }
            c.widths = new int[dp];
            java.util.Arrays.fill(c.widths, w);
        }
        c.activation = Activation.parse(activation);
        c.collocation = collocation;
        c.terminalPoints = terminalPoints;
        c.dataPoints = dataPoints;
        c.dataRegion = dataRegion;
        c.batch = batch;
        c.valueBatch = valueBatch;
        c.steps = steps;
        c.lr = lr;
        c.lrFinal = lrFinal == null ? Double.NaN : lrFinal;
        c.seed = seed;
        c.collocationMode = collocationMode;
        c.domainShare = domainShare;
        c.terminalDomainShare = terminalDomainShare;
        c.freshPoints = freshPoints;
        c.residualWeight = residualWeight;
        c.laplacian = laplacian;
        c.terminalWeight = terminalWeight;
        c.dataWeight = dataWeight;
        c.testPoints = testPoints;
        c.pathTestPoints = pathTestPoints;
        c.reportResidualPoints = reportResidualPoints;
        c.validate();
        return c;
    }

    private int runKernel(Pde eq, PrintStream err) throws IOException {
        KernelFit.Config kc = new KernelFit.Config();
        kc.centers = centers;
        kc.lengthscale = lengthscale == null ? Double.NaN : lengthscale;
        kc.nugget = nugget == null ? 1e-6 : nugget;
        kc.seed = seed;
        kc.collocationMode = collocationMode;
        kc.domainShare = domainShare;
        kc.testPoints = testPoints;
        kc.pathTestPoints = pathTestPoints;
        long t0 = System.nanoTime();
        KernelFit.Result r = KernelFit.fit(eq, kc, quiet ? null : err::println);
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("generator", "scasml train --kind kernel-regression (trainer module, io.scasml.trainer)");
        meta.put("command", invocation());
        meta.put("equation", eq.name());
        meta.put("equation_dim", eq.dim());
        meta.put("fit", "kernel ridge regression on exact values");
        meta.put("exact_data_used", true);
        meta.put("held_out_rel_l2", finiteOrNull(r.testRelL2));
        meta.put("config", kc.toMap());
        SurrogateWriter.writeRbf(dir, eq.dim(), r.lengthscale, r.centers, r.alpha, r.shift, r.scale, meta);
        try {
            // Residual along paths through surrogate-loader's kernel evaluator (closed-form derivatives).
            Surrogate s = SurrogateLoader.loadSurrogate(dir.toAbsolutePath().toString());
            Points pt = Points.paths(eq, kc.pathTestPoints, io.scasml.kernels.random.StreamKeys.child(
                    io.scasml.kernels.random.StreamKeys.namespace(kc.seed, io.scasml.kernels.random.StreamKeys.TRAINING),
                    io.scasml.kernels.random.StreamKeys.TRAIN_PATH_TEST), 0, false);
            r.pathResidualRms = PinnTrainer.rms(io.scasml.kernels.surrogate.Residuals.residual(eq, s, pt.n, pt.t, pt.x));
        } catch (Exception | LinkageError e) {
            err.println("train: warning: could not load the written kernel surrogate back: " + e.getMessage());
        }
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("kind", "kernel-regression");
        rep.put("pde", eq.name());
        rep.put("dim", eq.dim());
        rep.put("command", invocation());
        rep.put("centers", r.alpha.length);
        rep.put("lengthscale", r.lengthscale);
        rep.put("train_rmse", r.trainRmse);
        rep.put("held_out_rel_l2", finiteOrNull(r.testRelL2));
        rep.put("residual_rms_paths", finiteOrNull(r.pathResidualRms));
        rep.put("wall_time_s", wall);
        rep.put("config", kc.toMap());
        SurrogateWriter.JSON.writeValue(dir.resolve("training-report.json").toFile(), rep);
        summaryLine = String.format(Locale.ROOT, "wrote %s: kernel fit, %d centers, ℓ = %.4g, held-out rel L2 %s, %.1f s%n", out,
                r.alpha.length, r.lengthscale,
                Double.isNaN(r.testRelL2) ? "n/a" : String.format(Locale.ROOT, "%.4g", r.testRelL2), wall);
        return 0;
    }
}
