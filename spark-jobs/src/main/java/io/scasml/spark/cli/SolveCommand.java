package io.scasml.spark.cli;

import io.scasml.kernels.picard.EstimatorOption;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.RunOptions;
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
    modelTransformer = SolveCommand.EngineOptions.class,
    description = {"Estimate u(t, x) with error bars at query points on Spark (embedded local[*] by default).",
        "Every option can also be set in a YAML/JSON run file (--config); flags override it."})
public final class SolveCommand implements Callable<Integer> {

    /** Run-file keys of the job's own options (normalised long option names). */
    static final Set<String> JOB_KEYS = Set.of("pde", "dim", "points", "points-format", "surrogate", "out", "master",
        "partitions", "format", "overwrite", "conf", "progress", "precision", "limit", "resume", "plan",
        "coordinates", "runner");

    /**
     * Run-file keys: the job's own and, for every estimator option of {@link RunOptions#OPTIONS}, its flag without
     * the dashes ({@code levels}, {@code loo}, {@code max-evals}, ...).
     */
    static final Set<String> KEYS;

    static {
        Set<String> k = new java.util.TreeSet<>(JOB_KEYS);
        for (EstimatorOption<?> o : RunOptions.OPTIONS) {
            k.add(fileKey(o));
        }
        KEYS = java.util.Collections.unmodifiableSet(k);
    }

    /** What solve adds to an estimator option's own description. */
    private static final Map<String, String> SOLVE_NOTES = Map.of(
        "method", " (solve: scasml with --surrogate, else mlp)");

    /**
     * Adds one command-line option per estimator option of {@link RunOptions#OPTIONS} (mc-kernels): its flag and
     * description; switches are negatable ({@code --no-loo}), the others take one value, parsed by the descriptor.
     * A new estimator option is a new descriptor there and appears here, in the run file and in summary.json.
     */
    public static final class EngineOptions implements picocli.CommandLine.IModelTransformer {
        @Override
        public picocli.CommandLine.Model.CommandSpec transform(picocli.CommandLine.Model.CommandSpec spec) {
            for (EstimatorOption<?> o : RunOptions.OPTIONS) {
                if (spec.findOption(o.flag()) != null) {
                    continue;
                }
                picocli.CommandLine.Model.OptionSpec.Builder b = picocli.CommandLine.Model.OptionSpec.builder(o.flag())
                    .description(o.description() + SOLVE_NOTES.getOrDefault(o.key(), ""));
                if (o.isSwitch()) {
                    b.type(Boolean.class).arity("0").negatable(true);
                } else {
                    b.type(String.class).arity("1").paramLabel(o.flag().substring(2).toUpperCase(Locale.ROOT));
                }
                spec.addOption(b.build());
            }
            return spec;
        }
    }

    /** The run-file key of an estimator option: its flag without the dashes. */
    static String fileKey(EstimatorOption<?> o) {
        return RunFile.normalise(o.flag().substring(2));
    }

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

    @Option(names = "--precision", paramLabel = "P", description = "Surrogate kernels: fp32 (FP32 GEMMs, FP64 activations and Monte Carlo accumulation) or"
        + " fp64 (exact FP64 reproduction). Default " + io.scasml.surrogate.Precision.DEFAULT_NAME + ".")
    String precision;

    @Option(names = "--surrogate", paramLabel = "DIR", description = "Surrogate (format-v1 directory, or class:FQCN).")
    String surrogate;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (Hadoop path); refused if it exists, unless --overwrite.")
    String out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: the one spark-submit set, else local[*].")
    String master;

    @Option(names = "--runner", paramLabel = "auto|spark|local", description = "auto (default): in this JVM without"
        + " a SparkSession when the master is local and the run is small (sample:N points, or CSV/JSON-lines files;"
        + " no --partitions/--conf); spark: always a SparkSession; local: in-process or refused with the reason"
        + " (same bits and output files either way).")
    String runner;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of the work plan. Default 4 x default parallelism.")
    Integer partitions;

    @Option(names = "--format", paramLabel = "FMT", description = "Output format: parquet (points.parquet/) or csv (points.csv). Default parquet.")
    String format;

    @Option(names = "--coordinates", negatable = true, description = "Write the coordinates x0..x{d-1} in the result"
        + " rows (default); --no-coordinates leaves them out, keeping id and t (join on id with the input; at d = 10^4"
        + " the coordinates are most of the output).")
    Boolean coordinates;

    @Option(names = "--overwrite", negatable = true, description = "Replace an existing output directory.")
    Boolean overwrite;

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
            io.scasml.spark.job.SolveSummary summary = SolveJob.run(s, spec.commandLine().getErr());
            ok = true;
            return summary.pointsNotFinite() > 0 ? CliContract.EXIT_NONFINITE : 0;
        } catch (Throwable e) { // SparkException is a checked exception that Scala code throws undeclared
            boolean internal = CliContract.inputMessage(e) == null;
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
        RunOptions.Builder b = RunOptions.builder();
        try {
            for (EstimatorOption<?> o : RunOptions.OPTIONS) {
                String text = engineValue(o, f);
                if (text == null && o.key().equals("method")) {
                    text = surrogateV != null ? Method.SCASML.label() : Method.MLP.label();
                }
                if (text == null) {
                    continue;
                }
                String name = fileKey(o);
                if (SolveLimits.DEFAULTS.containsKey(name)) {
                    try {
                        limits.check(name, Long.parseLong(text.trim()), name);
                    } catch (NumberFormatException e) {
                        // not an integer: the descriptor's parser says so below
                    }
                }
                o.parseInto(b, text);
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
        String prec = precV == null ? io.scasml.surrogate.Precision.DEFAULT_NAME : precV.trim().toLowerCase(Locale.ROOT);
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
        String runnerV = pick(runner, f.string("runner"));
        String runnerMode = runnerV == null ? "auto" : runnerV.trim().toLowerCase(Locale.ROOT);
        if (!runnerMode.equals("auto") && !runnerMode.equals("spark") && !runnerMode.equals("local")) {
            throw new UserError("runner: '" + runnerV + "' is not one of auto, spark, local");
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
            specLimits(), surrogateLimits(), Boolean.TRUE.equals(pick(resume, f.bool("resume"))), planMode,
            !Boolean.FALSE.equals(pick(coordinates, f.bool("coordinates"))), runnerMode);
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

    /**
     * An estimator option's text: the command line's value if given, else the run file's (read by the option's
     * type, so {@code clip: off} and {@code loo: no} work), else null.
     */
    private String engineValue(EstimatorOption<?> o, RunFile f) {
        if (spec != null) {
            picocli.CommandLine.Model.OptionSpec os = spec.findOption(o.flag());
            Object v = os == null ? null : os.getValue();
            if (v != null) {
                return String.valueOf(v);
            }
        }
        String key = fileKey(o);
        Object v;
        Class<?> t = o.type();
        if (t == Boolean.class) {
            v = f.bool(key);
        } else if (t == Integer.class) {
            v = f.integer(key);
        } else if (t == Long.class) {
            v = f.longValue(key);
        } else if (t == Double.class) {
            v = f.number(key);
        } else {
            v = f.string(key);
        }
        return v == null ? null : String.valueOf(v);
    }

    private static <T> T pick(T flag, T file) {
        return flag != null ? flag : file;
    }

    /**
     * Runs {@code solve ARGS} alone (this module's own command tree, under the contract of {@link CliContract}) with
     * the given streams; for tests and embedding. The full command line is the cli module's {@code io.scasml.cli.Main}.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return CliContract.execute(new picocli.CommandLine(new SolveCommand()), out, err, args);
    }
}
