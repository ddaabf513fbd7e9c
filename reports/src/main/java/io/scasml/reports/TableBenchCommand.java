package io.scasml.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.Scheme;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.pde.PdeCatalog;
import io.scasml.surrogate.Precision;
import io.scasml.surrogate.SurrogateLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scasml bench table}: the whole published 20-row table ({@link TableRows}) under the reference protocol
 * (1000 interior + 200 boundary points, n = 2, M = 10, full history, no clipping), repeated over K seeds. Seed k
 * (k = 0..K−1) draws its points with seed S + k, plain MLP's streams from child(mix64(S + k), 1) and SCaSML's from
 * child(mix64(S + k), 2): every seed is an independent repetition of all three methods on the same points. Per
 * method: mean and standard deviation over the seeds of rel L2, L∞, L1 and wall time; per row, SCaSML paired
 * against the surrogate and against plain MLP ({@link PairedStats}); the reference's 10-run means beside them; a
 * "goal met?" column; one plot per equation; the total wall time. A row whose surrogate directory is absent is
 * skipped with a note, and a row that fails (an unreadable surrogate) is reported as FAILED while the others go on.
 * {@code --budget 1,2,4} adds the compute-budget study ({@link #budgetStudy}).
 */
@Command(name = "table", mixinStandardHelpOptions = true,
    description = "The published 20-row table (VB-PINN, VB-GP, LCD, LQG, DR over their dimensions), repeated over"
        + " seeds, with paired comparisons, plots and the compute-budget study.")
public final class TableBenchCommand implements Callable<Integer> {
    /** Significance level of the goal's paired comparisons. */
    static final double ALPHA = 0.05;

    /** --out (default runs/bench-table) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;

    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--rows", split = ",", defaultValue = "all",
        description = "Rows (vb20, vb-gp40, lcd30, ...), equations (VB-PINN, VB-GP, LCD, LQG, DR) or all"
            + " (default: ${DEFAULT-VALUE}).")
    List<String> rows;

    @Option(names = "--seeds", defaultValue = "10", description = "Independent seeds K per row (default: ${DEFAULT-VALUE}).")
    int seeds;

    @picocli.CommandLine.Mixin
    ProtocolOptions protocol;

    @Option(names = "--scheme", defaultValue = "full-history",
        description = "full-history or quadrature (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--warmup", negatable = true, defaultValue = "true",
        description = "Run every method once on 48 points per row before timing (default: on).")
    boolean warmup;

    @Option(names = "--antithetic", description = "Antithetic pairs of Brownian increments for every method's"
        + " Monte Carlo terms (⌈N/2⌉ pairs replace N paths; inner terms raised to 16 pairs by the inner-sample rule, so +58% evaluations at n = 2, M = 10; docs/algorithm.md §9, §25; default: off).")
    boolean antithetic;

    @Option(names = "--level-zero-factor", defaultValue = "1",
        description = "F times the samples of the top-level terminal and level-0 terms for MLP and SCaSML (the engine's"
            + " --level-zero-factor; docs/algorithm.md §25; default: ${DEFAULT-VALUE}).")
    int levelZeroFactor;

    @Option(names = "--budget", split = ",",
        description = "Compute-budget factors, e.g. 1,2,4: SCaSML with that many times the simulation, and the"
            + " surrogates <row>-b<factor> where present (default: no budget study).")
    List<Integer> budget = new ArrayList<>();

    @Option(names = "--budget-rows", split = ",", defaultValue = "vb20,lcd20",
        description = "Rows of the budget study (default: ${DEFAULT-VALUE}).")
    List<String> budgetRows;

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new TableBenchCommand()).execute(args));
    }

    private static final Method[] METHODS = {Method.SURROGATE, Method.MLP, Method.SCASML};

    /**
     * Metrics of every seed of one row, per method: {@link Method#SCASML} is guarded SCaSML (the {@code solve}
     * default, docs/algorithm.md §23.3), {@code unguarded} the plain SCaSML estimator beside it (what the reference
     * runs), {@code guardWeights} the mean guard weight w per seed (1 = SCaSML alone, 0 = plain MLP alone).
     */
    record RowResult(TableRows.Row row, String provenance, Map<Method, List<Metrics>> byMethod,
                     List<Metrics> unguarded, List<Double> guardWeights, double exactSeconds, double seconds) {
        double[] values(Method m, ToDoubleFunction<Metrics> f) {
            return byMethod.get(m).stream().mapToDouble(f).toArray();
        }

        PairedStats.Summary summary(Method m, ToDoubleFunction<Metrics> f) {
            return PairedStats.summary(values(m, f));
        }

        PairedStats.Summary unguardedSummary(ToDoubleFunction<Metrics> f) {
            return PairedStats.summary(unguarded.stream().mapToDouble(f).toArray());
        }

        double meanGuardWeight() {
            return guardWeights.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Guarded SCaSML against another method, seed by seed. */
        PairedStats.Paired paired(Method other) {
            return PairedStats.paired(values(Method.SCASML, Metrics::relL2), values(other, Metrics::relL2), 0.95);
        }

        /** Unguarded SCaSML against another method, seed by seed. */
        PairedStats.Paired pairedUnguarded(Method other) {
            return PairedStats.paired(unguarded.stream().mapToDouble(Metrics::relL2).toArray(),
                values(other, Metrics::relL2), 0.95);
        }
    }

    /** The seed of seed k's points. */
    long pointSeed(int k) {
        return protocol.seed + k;
    }

    /** The root of a method's random streams at seed k. */
    long streamSeed(Method m, int k) {
        return StreamKeys.child(StreamKeys.mix64(protocol.seed + k), m == Method.MLP ? 1 : 2);
    }

    private Precision precision() {
        return Precision.valueOf(caseOptions.precision.toUpperCase(Locale.ROOT));
    }

    /** The surrogate directory of a row (or of a budget variant), whether present or not. */
    Path surrogateDir(String name) {
        return Path.of(caseOptions.surrogates, name);
    }

    static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(SurrogateLoader.JSON));
    }

    /**
     * How a surrogate was trained, from its manifest: whether exact-solution values were used (the trainer's
     * {@code data_points} with a positive {@code data_weight}, or a kernel regression on exact values).
     */
    static String provenance(Path dir) {
        try {
            JsonNode meta = new ObjectMapper().readTree(dir.resolve(SurrogateLoader.JSON).toFile()).path("meta");
            JsonNode cfg = meta.path("config");
            String cmd = meta.path("command").asText("");
            if (cmd.contains("kernel-regression")) {
                return "exact values (kernel regression)";
            }
            if (meta.path("exact_data_used").isBoolean() && !meta.path("exact_data_used").asBoolean()) {
                return "PDE only";
            }
            int data = cfg.path("data_points").asInt(0);
            double w = cfg.path("data_weight").asDouble(data > 0 ? 1 : 0);
            if (data > 0 && w > 0) {
                String region = cfg.path("data_region").asText("");
                return "with " + data + " exact values" + (region.isEmpty() ? "" : " (" + region + ")");
            }
            if (cmd.isEmpty() && cfg.isMissingNode()) {
                return "not recorded";
            }
            return "PDE only";
        } catch (IOException e) {
            return "not recorded";
        }
    }

    /** Runs one method at seed k on the given points; the warm-up (if any) is not timed. */
    private Metrics runMethod(Pde pde, Surrogate s, Method m, int mBase, int k, List<QueryPoint> pts, boolean warm) {
        RunOptions o = RunOptions.builder().method(m).scheme(Scheme.parse(scheme)).levels(protocol.levels).base(mBase)
            .seed(m == Method.SURROGATE ? 1 : streamSeed(m, k)).antithetic(antithetic).levelZeroFactor(levelZeroFactor)
            .build();
        PicardEstimator est = PicardEstimator.create(pde, s, o);
        int th = caseOptions.threads();
        if (warm) {
            LocalRunner.run(est, pts.subList(0, Math.min(48, pts.size())), th);
        }
        long a = System.nanoTime();
        List<PointEstimate> es = LocalRunner.run(est, pts, th);
        return Metrics.of(es, (System.nanoTime() - a) / 1e9);
    }

    /**
     * Guarded SCaSML (the {@code solve} default) at seed k: its estimates, seconds, the evaluations of all its
     * rounds (pilots, SCaSML and the plain-MLP companion) per point, and the mean guard weight in {@code weight[0]}.
     */
    private Metrics runGuarded(Pde pde, Surrogate s, int k, List<QueryPoint> pts, boolean warm, double[] weight) {
        RunOptions o = RunOptions.builder().method(Method.SCASML).scheme(Scheme.parse(scheme)).levels(protocol.levels)
            .base(protocol.base).seed(streamSeed(Method.SCASML, k)).antithetic(antithetic).levelZeroFactor(levelZeroFactor)
            .guard(true).build();
        int th = caseOptions.threads();
        if (warm) {
            LocalRunner.solve(pde, s, o, pts.subList(0, Math.min(48, pts.size())), th);
        }
        long a = System.nanoTime();
        List<AdaptiveEstimate> r = LocalRunner.solve(pde, s, o, pts, th);
        double sec = (System.nanoTime() - a) / 1e9;
        List<PointEstimate> es = new ArrayList<>(r.size());
        double evals = 0;
        double w = 0;
        int nw = 0;
        for (AdaptiveEstimate x : r) {
            es.add(x.estimate());
            evals += x.evaluations();
            if (x.guard() != null) {
                w += x.guard().weight();
                nw++;
            }
        }
        weight[0] = nw == 0 ? Double.NaN : w / nw;
        Metrics m = Metrics.of(es, sec);
        return new Metrics(m.relL2(), m.linf(), m.l1(), m.coverage(), m.meanStdError(), sec, evals / r.size());
    }

    private RowResult runRow(TableRows.Row row) throws IOException {
        long t0 = System.nanoTime();
        Path dir = surrogateDir(row.key());
        Pde raw = PdeCatalog.resolve(row.pde(), row.dim());
        Surrogate s = SurrogateLoader.loadSurrogate(dir.toString(), precision());
        Map<Method, List<Metrics>> by = new EnumMap<>(Method.class);
        for (Method m : METHODS) {
            by.put(m, new ArrayList<>());
        }
        List<Metrics> unguarded = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double exactSec = 0;
        for (int k = 0; k < seeds; k++) {
            List<QueryPoint> pts = PointSampler.sample(raw.domain(), raw.dim(), protocol.points, pointSeed(k));
            long e0 = System.nanoTime();
            Pde pde = new CachedExactPde(raw, pts);
            exactSec += (System.nanoTime() - e0) / 1e9;
            for (Method m : METHODS) {
                Metrics mt;
                if (m == Method.SCASML) {
                    double[] w = new double[1];
                    mt = runGuarded(pde, s, k, pts, warmup && k == 0, w);
                    weights.add(w[0]);
                    Metrics ug = runMethod(pde, s, m, protocol.base, k, pts, warmup && k == 0);
                    unguarded.add(ug);
                    System.err.printf(Locale.ROOT, "%s seed %d/%d scasml unguarded: rel L2 %.3g, %.2f s%n",
                        row.key(), k + 1, seeds, ug.relL2(), ug.seconds());
                } else {
                    mt = runMethod(pde, s, m, protocol.base, k, pts, warmup && k == 0);
                }
                by.get(m).add(mt);
                System.err.printf(Locale.ROOT, "%s seed %d/%d %s%s: rel L2 %.3g, %.2f s%n", row.key(), k + 1, seeds,
                    m.label(), m == Method.SCASML ? " guarded" : "", mt.relL2(), mt.seconds());
            }
        }
        return new RowResult(row, provenance(dir), by, List.copyOf(unguarded), List.copyOf(weights), exactSec,
            (System.nanoTime() - t0) / 1e9);
    }

    static String pm(PairedStats.Summary s) {
        return Double.isNaN(s.sd()) ? String.format(Locale.ROOT, "%.3g", s.mean())
            : String.format(Locale.ROOT, "%.3g ± %.2g", s.mean(), s.sd());
    }

    static String g3(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3g", v);
    }

    static String pval(double p) {
        return Double.isNaN(p) ? "—" : p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p)
            : String.format(Locale.ROOT, "%.4f", p);
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds: " + seeds + " must be >= 1");
        }
        if (levelZeroFactor < 1) {
            throw new IllegalArgumentException("--level-zero-factor: " + levelZeroFactor + " must be >= 1");
        }
        Scheme.parse(scheme);
        List<TableRows.Row> selected = TableRows.select(rows);
        try (RunDir dir = output.open(caseOptions.inputs())) {
            List<String> skipped = new ArrayList<>();
            Map<String, RowResult> done = new LinkedHashMap<>();
            for (TableRows.Row row : selected) {
                Path sdir = surrogateDir(row.key());
                if (!present(sdir)) {
                    String note = String.format(Locale.ROOT, "SKIPPED %s (%s d=%d): surrogate %s absent — train it"
                        + " with scripts/train-examples.sh %s", row.key(), row.equation(), row.dim(), sdir, row.key());
                    System.out.println(note);
                    skipped.add(note);
                    continue;
                }
                try {
                    done.put(row.key(), runRow(row));
                } catch (IOException | RuntimeException e) {
                    // one broken row (an unreadable surrogate, a wrong dimension) must not lose hours of the others
                    String note = String.format(Locale.ROOT, "FAILED %s (%s d=%d): %s", row.key(), row.equation(),
                        row.dim(), e.getMessage() == null ? e.toString() : e.getMessage());
                    System.out.println(note);
                    e.printStackTrace();
                    skipped.add(note);
                }
            }
            List<BudgetPoint> budgetPoints = new ArrayList<>();
            List<String> budgetNotes = new ArrayList<>();
            if (!budget.isEmpty()) {
                budgetStudy(done, budgetPoints, budgetNotes);
            }
            double total = (System.nanoTime() - start) / 1e9;
            TableReport.write(this, dir.dir(), selected, done, skipped, budgetPoints, budgetNotes, total);
            dir.commit();
            System.out.println(Files.readString(dir.target().resolve("table.md")));
            System.out.printf(Locale.ROOT, "total wall time %.1f s (%d rows run, %d skipped or failed)%n", total, done.size(),
                skipped.size());
            System.out.println("report: " + dir.target().resolve("report.md"));
        }
        return 0;
    }

    /** The command line that reproduces this run. */
    String commandLine() {
        return "scasml bench table --rows " + String.join(",", rows) + " --seeds " + seeds + " --seed " + protocol.seed
            + " --points " + protocol.points + " --levels " + protocol.levels + " --base " + protocol.base + " --scheme " + scheme
            + " --surrogates " + caseOptions.surrogates + " --precision " + caseOptions.precision + " --threads "
            + caseOptions.threads() + (warmup ? "" : " --no-warmup") + (antithetic ? " --antithetic" : "")
            + (levelZeroFactor == 1 ? "" : " --level-zero-factor " + levelZeroFactor)
            + (budget.isEmpty() ? "" : " --budget " + join(budget) + " --budget-rows " + String.join(",", budgetRows));
    }

    private static String join(List<Integer> v) {
        List<String> s = new ArrayList<>();
        v.forEach(i -> s.add(Integer.toString(i)));
        return String.join(",", s);
    }

    // ---------------------------------------------------------------- compute-budget study

    /**
     * One budget level of one row.
     *
     * @param row          the row
     * @param factor       the budget factor
     * @param mBase        the Monte Carlo base M giving that budget
     * @param evalsPerPoint SCaSML's measured evaluations per point at M (mean over seeds)
     * @param scasml       SCaSML's rel L2 over the seeds (with the 1× surrogate)
     * @param scasmlSec    SCaSML's wall seconds over the seeds
     * @param surrogate    the surrogate {@code <row>-b<factor>} (the row's own at 1×), or null when absent
     * @param surrogateRelL2 its rel L2 over the same seeds' points (null when absent)
     */
    record BudgetPoint(TableRows.Row row, int factor, int mBase, double evalsPerPoint, PairedStats.Summary scasml,
                       PairedStats.Summary scasmlSec, String surrogate, PairedStats.Summary surrogateRelL2) {
    }

    /**
     * Measured SCaSML evaluations per point at base {@code m} on a few calibration points (the engine's own counts:
     * terminal + generator + residual evaluations), the cost that a budget factor multiplies.
     */
    private double evalsAt(Pde pde, Surrogate s, int m, List<QueryPoint> cal) {
        return runMethod(pde, s, Method.SCASML, m, 0, cal, false).evalsPerPoint();
    }

    /**
     * The base M whose measured SCaSML cost (evaluations per point) is closest, in ratio, to {@code factor} times
     * the cost at {@code --base}: M grows one at a time from {@code --base} until the cost reaches the target, and
     * the nearer of the last two is kept. The level n stays fixed.
     */
    int calibrateBase(Pde pde, Surrogate s, int factor, List<QueryPoint> cal) {
        if (factor == 1) {
            return protocol.base;
        }
        double prev = evalsAt(pde, s, protocol.base, cal);
        double target = factor * prev;
        int m = protocol.base;
        while (m < 100 * protocol.base) {
            double e = evalsAt(pde, s, m + 1, cal);
            if (e >= target) {
                return Math.abs(Math.log(e / target)) <= Math.abs(Math.log(prev / target)) ? m + 1 : m;
            }
            m++;
            prev = e;
        }
        return m;
    }

    /**
     * The compute-budget study (issue 14 item 4) on {@code --budget-rows}: at each factor f of {@code --budget},
     * SCaSML with the row's own (1×) surrogate and f times the simulation — the base M raised until the measured
     * evaluations per point are f times those at {@code --base} ({@link #calibrateBase}) — over the same K seeds;
     * beside it the surrogate {@code <row>-b<f>} (a PINN trained with f times the compute; the row's own at f = 1)
     * where that directory exists, else a note.
     */
    void budgetStudy(Map<String, RowResult> done, List<BudgetPoint> outPts, List<String> notes) throws IOException {
        for (String key : budgetRows) {
            TableRows.Row row = TableRows.byKey(key.trim());
            if (row == null) {
                throw new IllegalArgumentException("--budget-rows: '" + key + "' is not a row of the table");
            }
            Path sdir = surrogateDir(row.key());
            if (!present(sdir)) {
                String note = "SKIPPED budget study on " + row.key() + ": surrogate " + sdir + " absent";
                System.out.println(note);
                notes.add(note);
                continue;
            }
            Pde raw = PdeCatalog.resolve(row.pde(), row.dim());
            Surrogate s1 = SurrogateLoader.loadSurrogate(sdir.toString(), precision());
            List<QueryPoint> cal = PointSampler.sample(raw.domain(), raw.dim(), Math.min(8, protocol.points), pointSeed(0));
            Pde calPde = new CachedExactPde(raw, cal);
            List<List<QueryPoint>> ptsBySeed = new ArrayList<>();
            List<Pde> pdeBySeed = new ArrayList<>();
            RowResult prior = done.get(row.key());
            for (int f : budget) {
                if (f < 1) {
                    throw new IllegalArgumentException("--budget: factor " + f + " must be >= 1");
                }
                int m = calibrateBase(calPde, s1, f, cal);
                String name = f == 1 ? row.key() : row.key() + "-b" + f;
                Path bdir = surrogateDir(name);
                Surrogate sb = present(bdir) ? SurrogateLoader.loadSurrogate(bdir.toString(), precision()) : null;
                if (sb == null) {
                    String note = "budget " + f + "× on " + row.key() + ": surrogate " + bdir + " absent — only"
                        + " SCaSML's simulation is scaled at this budget";
                    System.out.println(note);
                    notes.add(note);
                }
                List<Metrics> sca = new ArrayList<>();
                List<Metrics> sur = new ArrayList<>();
                if (f == 1 && m == protocol.base && prior != null) {
                    sca.addAll(prior.unguarded());
                    sur.addAll(prior.byMethod().get(Method.SURROGATE));
                } else {
                    for (int k = 0; k < seeds; k++) {
                        if (ptsBySeed.size() <= k) {
                            List<QueryPoint> pts = PointSampler.sample(raw.domain(), raw.dim(), protocol.points, pointSeed(k));
                            ptsBySeed.add(pts);
                            pdeBySeed.add(new CachedExactPde(raw, pts));
                        }
                        Metrics mt = runMethod(pdeBySeed.get(k), s1, Method.SCASML, m, k, ptsBySeed.get(k),
                            warmup && k == 0);
                        sca.add(mt);
                        System.err.printf(Locale.ROOT, "budget %d× %s (M = %d) seed %d/%d scasml: rel L2 %.3g, %.2f s%n",
                            f, row.key(), m, k + 1, seeds, mt.relL2(), mt.seconds());
                        if (sb != null) {
                            sur.add(runMethod(pdeBySeed.get(k), sb, Method.SURROGATE, m, k, ptsBySeed.get(k), false));
                        }
                    }
                }
                outPts.add(new BudgetPoint(row, f, m,
                    PairedStats.summary(sca.stream().mapToDouble(Metrics::evalsPerPoint).toArray()).mean(),
                    PairedStats.summary(sca.stream().mapToDouble(Metrics::relL2).toArray()),
                    PairedStats.summary(sca.stream().mapToDouble(Metrics::seconds).toArray()),
                    sb == null ? null : name,
                    sb == null ? null : PairedStats.summary(sur.stream().mapToDouble(Metrics::relL2).toArray())));
            }
        }
    }

    // ---------------------------------------------------------------- accessors for the report

    int seeds() {
        return seeds;
    }

    int points() {
        return protocol.points;
    }

    int levels() {
        return protocol.levels;
    }

    int base() {
        return protocol.base;
    }

    String scheme() {
        return scheme;
    }

    int levelZeroFactor() {
        return levelZeroFactor;
    }

    boolean antithetic() {
        return antithetic;
    }

    int commandThreads() {
        return caseOptions.threads();
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
