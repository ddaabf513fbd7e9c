package io.scasml.spark.cli;

import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.Scheme;
import io.scasml.spark.job.FaultInjection;
import io.scasml.spark.job.SolveJob;
import io.scasml.spark.job.SolveLimits;
import io.scasml.spark.job.SolveSettings;
import io.scasml.spark.job.UserError;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scasml solve}: estimates u at query points and writes {@code OUT/points.parquet} (or {@code points.csv}) and
 * {@code OUT/summary.json}. Every option may also come from {@code --config FILE}; a flag given on the command line
 * wins over the file, the file over the defaults.
 */
@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Estimate u(t, x) with error bars at query points on Spark (embedded local[*] by default).",
        "Every option can also be set in a YAML/JSON run file (--config); flags override it."})
public final class SolveCommand implements Callable<Integer> {

    /** Run-file keys (normalised long option names). */
    static final Set<String> KEYS = Set.of("pde", "dim", "points", "points-format", "levels", "base", "method",
        "surrogate", "scheme", "seed", "out", "master", "partitions", "format", "overwrite", "clip", "split-half",
        "loo", "antithetic", "points-per-unit", "unit-cost", "max-evals", "conf", "progress", "precision", "drift", "limit",
        "target-se", "target-rel-se", "max-rounds", "guard", "inner-samples", "resume", "plan");

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON run file (any Hadoop path) holding any of these options.")
    String config;

    @Option(names = "--pde", paramLabel = "NAME", description = "Equation: vb, lcd, lqg, dr, hjb.")
    String pde;

    @Option(names = "--dim", paramLabel = "D", description = "Spatial dimension d (default: the spec's default).")
    Integer dim;

    @Option(names = "--points", paramLabel = "sample:N|PATH",
        description = "sample:N (N points from the equation's test domain, drawn with the seed) or a CSV, Parquet or"
            + " JSON-lines file, directory or glob (Hadoop path) with columns t, x0..x{d-1} (or array x), optional id.")
    String points;

    @Option(names = "--points-format", paramLabel = "FMT", description = "auto (from the file names), csv, parquet, jsonl. Default auto.")
    String pointsFormat;

    @Option(names = "--levels", paramLabel = "n", description = "Picard level n >= 0. Default 2.")
    Integer levels;

    @Option(names = "--base", paramLabel = "M", description = "Monte Carlo base M >= 1. Default 10.")
    Integer base;

    @Option(names = "--method", paramLabel = "METHOD", description = "mlp, scasml or surrogate. Default scasml with --surrogate, else mlp.")
    String method;

    @Option(names = "--precision", paramLabel = "P", description = "Surrogate kernels: fp64 (default) or fp32 (FP32 GEMMs, FP64 accumulation).")
    String precision;

    @Option(names = "--drift", paramLabel = "WHERE", description = "paths (default: simulate the drift) or generator (driftless paths, mu.grad u moved into F).")
    String drift;

    @Option(names = "--surrogate", paramLabel = "DIR", description = "Surrogate (format-v1 directory, or class:FQCN).")
    String surrogate;

    @Option(names = "--scheme", paramLabel = "SCHEME", description = "full-history or quadrature. Default full-history.")
    String scheme;

    @Option(names = "--seed", paramLabel = "S", description = "Root seed of all random streams. Default 1.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (Hadoop path); refused if it exists, unless --overwrite.")
    String out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: the one spark-submit set, else local[*].")
    String master;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of the work plan. Default 4 x default parallelism.")
    Integer partitions;

    @Option(names = "--format", paramLabel = "FMT", description = "Output format: parquet (points.parquet/) or csv (points.csv). Default parquet.")
    String format;

    @Option(names = "--overwrite", negatable = true, description = "Replace an existing output directory.")
    Boolean overwrite;

    @Option(names = "--clip", paramLabel = "C", description = "Trust region for inner Picard iterates (biased); 'off' (default) or a bound > 0.")
    String clip;

    @Option(names = "--split-half", negatable = true, description = "Polarised split-half generator. Default on.")
    Boolean splitHalf;

    @Option(names = "--loo", negatable = true, description = "Leave-one-out control variates. Default on.")
    Boolean loo;

    @Option(names = "--antithetic", negatable = true, description = "Antithetic Brownian increments. Default off.")
    Boolean antithetic;

    @Option(names = "--points-per-unit", paramLabel = "G", description = "Query points per work unit. Default 64.")
    Integer pointsPerUnit;

    @Option(names = "--unit-cost", paramLabel = "C", description = "Target evaluations per point in one work unit (sets the sample blocks). Default 20000.")
    Long unitCost;

    @Option(names = "--max-evals", paramLabel = "E", description = "Refuse runs needing more evaluations per point. Default 5e7.")
    Double maxEvals;

    @Option(names = "--target-se", paramLabel = "A", description = "Adaptive mode: absolute standard error to reach"
        + " per point; 'off' (default) or a value > 0.")
    String targetSe;

    @Option(names = "--target-rel-se", paramLabel = "R", description = "Adaptive mode: standard error relative to |u|"
        + " to reach per point; 'off' (default) or a value > 0.")
    String targetRelSe;

    @Option(names = "--max-rounds", paramLabel = "R", description = "Adaptive mode: at most this many rounds"
        + " (replicates) per point. Default 16.")
    Integer maxRounds;

    @Option(names = "--guard", negatable = true, description = "Guarded SCaSML: combine with plain MLP on independent"
        + " streams, weight from a pilot. Default on (method scasml).")
    Boolean guard;

    @Option(names = "--inner-samples", paramLabel = "RULE", description = "When split-half/leave-one-out halves of"
        + " inner terms would be too small: raise (default), refuse or warn.")
    String innerSamples;

    @Option(names = "--resume", negatable = true, description = "Continue from the checkpoint a killed run left beside"
        + " --out (adaptive and guarded runs checkpoint every round); without one, start at round 0.")
    Boolean resume;

    @Option(names = "--plan", paramLabel = "auto|fixed", description = "With a target: auto chooses the base M from a"
        + " short pilot (compute_plan in summary.json); fixed (default) keeps --levels/--base.")
    String plan;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark property (repeatable).")
    Map<String, String> conf;

    @Option(names = "--limit", paramLabel = "NAME=N", description = "Raise (or lower) a limit (repeatable): points, dim,"
        + " levels, base, partitions, points-per-unit, work-units, line-bytes, columns (README: Limits).")
    Map<String, String> limit;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Where Spark's own logging goes (local file, kept;"
        + " command line only)."
        + " Default: a file in $SCASML_LOG_DIR or the temp directory, removed after a successful run.")
    String logFile;

    /** Bounds on spec files and their expressions (pde-specs: --max-spec-bytes, --max-point-cost, ...). */
    @picocli.CommandLine.Mixin
    io.scasml.pde.SpecLimitOptions specLimits = new io.scasml.pde.SpecLimitOptions();

    /** Bounds on surrogate directories (surrogate-loader: --surrogate-max-npz-bytes, ...). */
    @picocli.CommandLine.Mixin
    io.scasml.surrogate.SurrogateLimitsOptions surrogateLimits = new io.scasml.surrogate.SurrogateLimitsOptions();

    @Option(names = "--progress", negatable = true, description = "Progress line on stderr. Default on.")
    Boolean progress;

    @Option(names = "--inject-failures", hidden = true, paramLabel = "EVERY[:throw|halt]",
        description = "Testing: fail the first attempt of every EVERY-th simulation task.")
    String injectFailures;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // From the first step on (reading the run file may start Hadoop's and Spark's logging), their console
        // output goes to the run log.
        String runId = newRunId();
        RunLog log = RunLog.start("solve", runId, logFile == null ? null : java.nio.file.Paths.get(logFile));
        boolean ok = false;
        try {
            SolveSettings s = settings(runId);
            Map<String, Object> summary = SolveJob.run(s, spec.commandLine().getErr());
            ok = true;
            Object bad = summary.get("points_not_finite");
            return bad instanceof Number n && n.longValue() > 0 ? Main.EXIT_NONFINITE : 0;
        } catch (Throwable e) { // SparkException is a checked exception that Scala code throws undeclared
            boolean internal = Main.inputMessage(e) == null;
            if (internal) {
                log.record(e);
            }
            throw new CommandFailure(e, internal || log.written() ? log.file() : null);
        } finally {
            log.close(ok);
        }
    }

    /** Flags over run file over defaults, validated. */
    SolveSettings settings() {
        return settings(newRunId());
    }

    SolveSettings settings(String runId) {
        RunFile f = config == null ? RunFile.empty()
            : RunFile.load(config.trim(), KEYS, io.scasml.spark.job.HadoopConf.of(conf));
        Map<String, String> lim = new LinkedHashMap<>(f.map("limit"));
        if (limit != null) {
            lim.putAll(limit);
        }
        SolveLimits limits = SolveLimits.of(lim);
        String pdeV = pick(pde, f.string("pde"));
        Integer dimV = pick(dim, f.integer("dim"));
        String pointsV = pick(points, f.string("points"));
        String outV = pick(out, f.string("out"));
        if (pdeV == null) {
            throw new UserError("pde: missing; pass --pde NAME|FILE (see: scasml pdes)");
        }
        if (dimV == null) {
            dimV = 0; // the spec's default dimension
        } else if (dimV < 1) {
            throw new UserError("dim: " + dimV + " must be >= 1");
        } else {
            limits.check("dim", dimV, "dim");
        }
        if (pointsV == null) {
            throw new UserError("points: missing; pass --points sample:N or a CSV/Parquet/JSON-lines path");
        }
        if (outV == null) {
            throw new UserError("out: missing; pass --out DIR");
        }
        checkSample(pointsV.trim(), limits);
        String surrogateV = pick(surrogate, f.string("surrogate"));
        String methodV = pick(method, f.string("method"));
        RunOptions.Builder b = RunOptions.builder();
        try {
            b.method(methodV != null ? Method.parse(methodV) : surrogateV != null ? Method.SCASML : Method.MLP);
            String schemeV = pick(scheme, f.string("scheme"));
            if (schemeV != null) {
                b.scheme(Scheme.parse(schemeV));
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        setInt(levels, f.integer("levels"), v -> b.levels(bounded("levels", v, limits, "levels")));
        setInt(base, f.integer("base"), v -> b.base(bounded("base", v, limits, "base")));
        setInt(pointsPerUnit, f.integer("points-per-unit"),
            v -> b.pointsPerUnit(bounded("points-per-unit", v, limits, "points-per-unit")));
        Long seedV = pick(seed, f.longValue("seed"));
        if (seedV != null) {
            b.seed(seedV);
        }
        Long uc = pick(unitCost, f.longValue("unit-cost"));
        if (uc != null) {
            b.unitCost(uc);
        }
        Double me = pick(maxEvals, f.number("max-evals"));
        if (me != null) {
            b.maxEvaluationsPerPoint(me);
        }
        Double clipV = clip != null ? Double.valueOf(parseClip(clip)) : f.number("clip");
        if (clipV != null) {
            b.clip(clipV);
        }
        Boolean sh = pick(splitHalf, f.bool("split-half"));
        if (sh != null) {
            b.splitHalf(sh);
        }
        Boolean looV = pick(loo, f.bool("loo"));
        if (looV != null) {
            b.leaveOneOut(looV);
        }
        Boolean anti = pick(antithetic, f.bool("antithetic"));
        if (anti != null) {
            b.antithetic(anti);
        }
        String driftV = pick(drift, f.string("drift"));
        if (driftV != null) {
            String dv = driftV.trim().toLowerCase(Locale.ROOT);
            if (!dv.equals("paths") && !dv.equals("generator")) {
                throw new UserError("drift: '" + driftV + "' is not one of paths, generator");
            }
            b.driftInGenerator(dv.equals("generator"));
        }
        try {
            String tse = pick(targetSe, f.string("target-se"));
            if (tse != null) {
                b.targetSe(parseTarget(tse));
            }
            String trs = pick(targetRelSe, f.string("target-rel-se"));
            if (trs != null) {
                b.targetRelSe(parseTarget(trs));
            }
            Integer mr = pick(maxRounds, f.integer("max-rounds"));
            if (mr != null) {
                b.maxRounds(mr);
            }
            Boolean gd = pick(guard, f.bool("guard"));
            if (gd != null) {
                b.guard(gd);
            }
            String is = pick(innerSamples, f.string("inner-samples"));
            if (is != null) {
                b.innerSamples(io.scasml.kernels.picard.InnerSamples.parse(is.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        String planV = pick(plan, f.string("plan"));
        String planMode = planV == null ? "fixed" : planV.trim().toLowerCase(Locale.ROOT);
        if (!planMode.equals("fixed") && !planMode.equals("auto")) {
            throw new UserError("plan: '" + planV + "' is not one of auto, fixed");
        }
        String precV = pick(precision, f.string("precision"));
        String prec = precV == null ? "fp64" : precV.trim().toLowerCase(Locale.ROOT);
        if (!prec.equals("fp64") && !prec.equals("fp32")) {
            throw new UserError("precision: '" + precV + "' is not one of fp64, fp32");
        }
        RunOptions opts;
        try {
            opts = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        String fmt = pick(format, f.string("format"));
        fmt = fmt == null ? "parquet" : fmt.trim().toLowerCase(Locale.ROOT);
        if (!fmt.equals("parquet") && !fmt.equals("csv")) {
            throw new UserError("format: '" + fmt + "' is not one of parquet, csv");
        }
        Integer parts = pick(partitions, f.integer("partitions"));
        if (parts != null && parts < 1) {
            throw new UserError("partitions: " + parts + " must be >= 1");
        }
        if (parts != null) {
            limits.check("partitions", parts, "partitions");
        }
        String pf = pick(pointsFormat, f.string("points-format"));
        Map<String, String> sc = new LinkedHashMap<>(f.map("conf"));
        if (conf != null) {
            sc.putAll(conf);
        }
        return new SolveSettings(pdeV.trim(), dimV, pointsV.trim(), pf == null ? "auto" : pf.trim(), surrogateV, prec,
            opts, outV.trim(), fmt, Boolean.TRUE.equals(pick(overwrite, f.bool("overwrite"))),
            pick(master, f.string("master")), parts, sc, FaultInjection.parse(injectFailures),
            !Boolean.FALSE.equals(pick(progress, f.bool("progress"))), f.name(), limits, runId, logFile,
            specLimits(), surrogateLimits(), Boolean.TRUE.equals(pick(resume, f.bool("resume"))), planMode);
    }

    private io.scasml.pde.SpecLimits specLimits() {
        try {
            return specLimits.limits();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private io.scasml.surrogate.SurrogateLimits surrogateLimits() {
        try {
            return surrogateLimits.toLimits();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** A run id: UTC time and 32 random bits (names the staging directory and the log; recorded in summary.json). */
    static String newRunId() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
            + "-" + String.format("%08x", new java.security.SecureRandom().nextInt());
    }

    /** Refuses sample:N with N not a positive integer or above the points limit, before anything is allocated. */
    private static void checkSample(String p, SolveLimits limits) {
        if (!p.startsWith("sample:")) {
            return;
        }
        String v = p.substring(7).trim();
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UserError("points: " + io.scasml.io.Messages.quote(p) + " is not sample:N with an integer N");
        }
        if (n < 1) {
            throw new UserError("points: sample:" + n + " needs N >= 1");
        }
        limits.check("points: sample:N", n, "points");
        if (n > Integer.MAX_VALUE) {
            throw new UserError("points: sample:" + n + " is above " + Integer.MAX_VALUE + ", the most points one run"
                + " samples; use a point file");
        }
    }

    private static int bounded(String field, int v, SolveLimits limits, String name) {
        limits.check(field, v, name);
        return v;
    }

    private static double parseTarget(String v) {
        String s = v.trim();
        if (s.equalsIgnoreCase("off")) {
            return 0.0;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UserError("target: '" + v + "' is not a number or 'off'");
        }
    }

    private static double parseClip(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("inf") || s.equals("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UserError("clip: '" + v + "' is not a number or 'off'");
        }
    }

    private static <T> T pick(T flag, T file) {
        return flag != null ? flag : file;
    }

    private static void setInt(Integer flag, Integer file, java.util.function.IntConsumer set) {
        Integer v = pick(flag, file);
        if (v != null) {
            set.accept(v);
        }
    }

    /** For tests: runs with the given streams. */
    static int run(PrintStream out, PrintStream err, String... args) {
        return Main.execute(out, err, args);
    }
}
