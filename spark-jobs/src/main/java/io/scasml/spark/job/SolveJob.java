package io.scasml.spark.job;

import io.scasml.io.Messages;
import io.scasml.io.OutputDirs;
import io.scasml.io.Redaction;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.PointReduction;
import io.scasml.kernels.picard.TermPartial;
import io.scasml.kernels.picard.UnitKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The distributed inference job behind {@code scasml solve}.
 *
 * <ol>
 *   <li>Points are read (or sampled), validated in one distributed pass (the first bad row, in input order, is
 *       reported with its file and line), and ranked: by id when the input has ids, else by input order (the id is
 *       then the row's ordinal).</li>
 *   <li>Consecutive ranks form groups of {@code points_per_unit} points — the same groups as
 *       {@link io.scasml.kernels.picard.LocalRunner} forms from the points in id order — and the work plan is
 *       group × {@link PicardEstimator#units()}, one RDD record per work unit, range-partitioned.</li>
 *   <li>The {@link RunDescription} is broadcast once; each executor JVM builds its estimator once and runs units,
 *       emitting one {@link UnitResult} per unit.</li>
 *   <li>Results are shuffled to contiguous group ranges and sorted by (group, unit); each group is finished as soon
 *       as its units have streamed by ({@link PointReduction} folds them in unit order), so every estimate is
 *       bit-identical for any partitioning, executor count, retry or order of execution, and the output is in id
 *       order without a global sort.</li>
 *   <li>Rows are written by Spark into a temporary directory beside the target; the metrics are accumulated as
 *       the rows are made ({@link MetricsAccumulator}); {@code summary.json} is added and the directory renamed
 *       into place.</li>
 * </ol>
 */
public final class SolveJob {
    /**
     * Work-plan partitions per default-parallelism slot when --partitions is not given. Measured on a local master
     * (issue 16, BENCHMARKS.md section 10): 16 per slot cost 40% more CPU than 4 at 4800 points (each task has a
     * fixed cost well above its scheduling), so finer splits are not the way to balance the slots.
     */
    static final int DEFAULT_PARTITIONS_PER_SLOT = 4;
    /** Benchmarks only: {@code equal} splits the simulation stage into equal item ranges (the former split). */
    static final String PLAN_SPLIT_PROPERTY = "scasml.bench.planSplit";

    private final SolveSettings s;
    private final PrintWriter err;
    private final List<String> warnings = new ArrayList<>();
    private double sparkStart;
    private double readValidate;
    private double solveWrite;
    /** The point files' listing and headers (checked before any Spark), or null for sample:N. */
    private PointReader.Prepared prepared;
    /** Set by {@link #finish} once the output is in place (nothing to abort after that). */
    private boolean committed;

    private SolveJob(SolveSettings s, PrintWriter err) {
        this.s = s;
        this.err = err;
    }

    /**
     * Runs a solve request.
     *
     * @param s   the request
     * @param err where progress and the final summary line go
     * @return the summary written to {@code summary.json}
     * @throws UserError on bad input (nothing is left behind)
     */
    public static SolveSummary run(SolveSettings s, PrintWriter err) {
        return new SolveJob(s, err).run();
    }

    private SolveSummary run() {
        long t0 = System.nanoTime();
        warmUpNd4j();
        // Everything the run reads is opened, and the output checked, before the SparkSession starts: with the
        // Hadoop configuration Spark will use (spark.hadoop.* copied in), so the same credentials reach every input.
        SparkConf sconf = sparkConf();
        Configuration hconf = HadoopConf.of(sconf);
        OutputDirs.Target target;
        try {
            target = OutputDirs.prepare("--out", new Path(s.out()), hconf, s.overwrite(), "solve", s.runId(),
                inputs());
        } catch (IOException e) {
            throw new UserError("out: " + s.out() + ": cannot be checked: " + Messages.oneLine(e), e);
        } catch (IllegalArgumentException e) {
            throw new UserError("out: " + Messages.quote(s.out()) + " is not a valid path: " + Messages.oneLine(e), e);
        }
        PdeSource pdeSource = PdeSource.resolve(s.pde(), s.dim() > 0 ? s.dim() : null, hconf, s.specLimits());
        Pde pde = pdeSource.pde();
        Method method = s.options().method();
        SurrogateSource sur = null;
        if (s.surrogate() != null) {
            if (method == Method.MLP) {
                warnings.add("surrogate " + s.surrogate() + " is ignored by method mlp");
            } else {
                sur = SurrogateSource.open(s.surrogate(), pde.dim(),
                    io.scasml.surrogate.Precision.valueOf(s.precision().toUpperCase(java.util.Locale.ROOT)), hconf,
                    s.surrogateLimits());
            }
        }
        RunDescription rd = new RunDescription(s.options(), pdeSource, sur, s.faults());
        PicardEstimator est;
        try {
            est = rd.estimator();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        warnings.addAll(est.configurationWarnings());
        if (Double.isFinite(s.options().clip())) {
            warnings.add("clip = " + s.options().clip() + " is on: inner Picard iterates are clipped (biased)");
        }
        if (method == Method.SURROGATE) {
            warnings.add("method surrogate: no simulation, no error bars");
        }

        if (!s.sampled()) {
            // paths, format and CSV headers (limits, duplicate columns, encoding) before Spark starts
            try {
                prepared = PointReader.prepare(s.points(), s.pointsFormat(), pde.dim(), hconf,
                    s.limits().getInt("line-bytes"), s.limits().getInt("columns"));
            } catch (IOException e) {
                throw new UserError("points: " + s.points() + ": cannot be read: " + Messages.oneLine(e), e);
            }
        }

        InProcess local = InProcess.choose(s, sconf, pde.dim(), prepared, hconf);
        if (local.chosen()) {
            return runLocal(t0, local, target, hconf, pde, method, rd, sur, est);
        }
        if (s.runner().equals("local")) {
            throw new UserError("runner: local cannot run this request: " + local.reason() + "; use --runner spark"
                + " or auto");
        }
        return runSpark(t0, sconf, target, pde, method, rd, sur, est);
    }

    /** The run on Spark: a session (created here unless one is active), the job's stages, Spark's writers. */
    private SolveSummary runSpark(long t0, SparkConf sconf, OutputDirs.Target target, Pde pde, Method method,
                                  RunDescription rd, SurrogateSource sur, PicardEstimator est) {
        boolean created = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
        SparkSession spark = SparkSession.builder().config(sconf).getOrCreate();
        sparkStart = secs(t0);
        Path tmp = null;
        FileSystem fs = target.fs();
        ProgressReporter progress = null;
        List<JavaRDD<?>> cached = new ArrayList<>();
        AdaptiveStages.Rounds rounds = null;
        // d = 10⁴: interpreted row projections for the wide point files and result rows (WideRows)
        WideRows wide = WideRows.forDimension(spark, pde.dim());
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            tmp = target.staging();

            // ---- points
            long tRead = System.nanoTime();
            Broadcast<RunDescription> bc = jsc.broadcast(rd);
            JavaPairRDD<Long, QueryPoint> ranked = rankedPoints(spark, jsc, bc, pde);
            ranked.persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(ranked.rdd().toJavaRDD());
            long nPoints = ranked.count();
            checkPoints(est, nPoints);
            readValidate = secs(tRead);

            // ---- plan, simulation, reduction
            long tSolve = System.nanoTime();
            final int g = s.options().pointsPerUnit();
            final long nGroups = (nPoints + g - 1) / g;
            final int nu = est.plan().unitsPerGroup();
            final long nItems = checkWorkUnits(est, nPoints);
            int slots = Math.max(1, jsc.defaultParallelism());
            int parts = s.partitions() != null ? s.partitions()
                : (int) Math.max(1, Math.min(Math.max(nItems, nGroups), (long) DEFAULT_PARTITIONS_PER_SLOT * slots));
            int groupParts = (int) Math.max(1, Math.min(nGroups, parts));
            LongAccumulator unitsDone = jsc.sc().longAccumulator("scasml.units");
            LongAccumulator pathsDone = jsc.sc().longAccumulator("scasml.paths");
            final ResultColumns.Shape shape = shape(pde);
            // the metrics are accumulated as the rows are made (last stage of the write job: applied once per
            // partition), not re-read from the output
            final MetricsAccumulator metricsAcc = new MetricsAccumulator(shape);
            jsc.sc().register(metricsAcc, "scasml.metrics");
            // adaptive targets and guarded SCaSML: rounds through the engine's driver, one stage per round
            final boolean adaptive = AdaptiveStages.applies(s.options());
            AdaptiveStages.Outcome outcome = null;
            if (adaptive) {
                List<QueryPoint> points = inRankOrder(ranked.collect());
                rounds = AdaptiveStages.spark(jsc, points, s.partitions(), s.progress() ? err : null);
                outcome = adaptiveRounds(rounds, rd, pde, sur, points, fs, target, shape, metricsAcc);
            }
            noteResume(adaptive);
            if (s.progress() && !adaptive) {
                progress = new ProgressReporter(unitsDone, pathsDone, nItems, err);
                spark.sparkContext().addSparkListener(progress);
            }
            JavaRDD<Row> rows;
            if (adaptive) {
                // the rows are already on the driver: one write task per slot (more tasks only add fixed costs
                // and files)
                rows = jsc.parallelize(outcome.rows(), (int) Math.max(1, Math.min(outcome.rows().size(),
                    Math.min(parts, slots))));
            } else {
            JavaPairRDD<Long, QueryPoint[]> groups = ranked
                .mapToPair(p -> new Tuple2<>(p._1() / g, p._2()))
                .groupByKey(new PlanPartitioner(nGroups, 1, groupParts))
                .mapValues(it -> {
                    List<QueryPoint> l = new ArrayList<>();
                    it.forEach(l::add);
                    l.sort(Comparator.comparingLong(QueryPoint::id));
                    return l.toArray(new QueryPoint[0]);
                });
            if (nu == 0) {
                rows = groups.mapPartitions(it -> {
                    PicardEstimator e = bc.value().estimator();
                    List<Row> l = new ArrayList<>();
                    while (it.hasNext()) {
                        QueryPoint[] grp = it.next()._2();
                        for (PointEstimate pe : new PointReduction(e, grp).finish()) {
                            metricsAcc.add(pe);
                            l.add(ResultColumns.row(pe, shape));
                        }
                    }
                    return l.iterator();
                });
            } else {
                JavaPairRDD<Long, QueryPoint[]> plan = groups
                    .flatMapToPair(gp -> {
                        List<Tuple2<Long, QueryPoint[]>> l = new ArrayList<>(nu);
                        for (int u = 0; u < nu; u++) {
                            l.add(new Tuple2<>(gp._1() * nu + u, gp._2()));
                        }
                        return l.iterator();
                    })
                    .partitionBy(planPartitioner(est, nItems, parts));
                JavaPairRDD<Long, UnitResult> results =
                    plan.mapPartitionsToPair(it -> runUnits(bc.value(), nu, unitsDone, pathsDone, it));
                rows = results
                    .repartitionAndSortWithinPartitions(new PlanPartitioner(nGroups, nu, groupParts))
                    .mapPartitions(it -> new GroupFinisher(it, bc.value().estimator(), nu, shape, metricsAcc));
            }
            if (s.partitions() == null && rows.getNumPartitions() > slots) {
                // one write task (and part file) per slot: each Parquet/CSV file has a fixed cost (writer set-up,
                // footer, commit) of the order of the reduce itself; coalesce keeps the rows' order
                rows = rows.coalesce(slots);
            }
            }

            StructType schema = ResultColumns.schema(shape, adaptive);
            Path data;
            String dataName;
            if (s.format().equals("csv")) {
                Path parts0 = new Path(tmp, "points.csv.parts");
                spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists)
                    .option("header", "false").csv(parts0.toString());
                data = new Path(tmp, "points.csv");
                mergeCsv(fs, parts0, data, schema);
                fs.delete(parts0, true);
                dataName = "points.csv";
            } else {
                data = new Path(tmp, "points.parquet");
                spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists).parquet(data.toString());
                dataName = "points.parquet";
            }
            if (progress != null) {
                progress.close();
            }
            solveWrite = secs(tSolve);
            SolveSummary summary = finish(t0, target, tmp, pde, method, est, sparkInfo(spark, parts, groupParts),
                nPoints, nItems, metricsAcc, outcome, dataName);
            return summary;
        } catch (IOException e) {
            throw new IllegalStateException("I/O error: " + e.getMessage(), e);
        } finally {
            wide.close();
            if (progress != null) {
                progress.close();
                spark.sparkContext().removeSparkListener(progress);
            }
            if (rounds != null) {
                rounds.close();
            }
            for (JavaRDD<?> r : cached) {
                r.unpersist(false);
            }
            if (!committed) {
                target.abort();
            }
            if (created) {
                spark.stop();
            }
        }
    }

    /**
     * The run in this JVM, without a SparkSession ({@link InProcess}): the points sampled on the driver, the same
     * work units and reduction on a thread pool ({@link LocalRunner}, {@link AdaptiveStages#local}), the rows
     * written by {@link LocalOutput} (the files and schema Spark's writers produce). The same bits as
     * {@link #runSpark}.
     */
    private SolveSummary runLocal(long t0, InProcess local, OutputDirs.Target target, Configuration hconf, Pde pde,
                                  Method method, RunDescription rd, SurrogateSource sur, PicardEstimator est) {
        sparkStart = 0;
        FileSystem fs = target.fs();
        try {
            Path tmp = target.staging();
            long tRead = System.nanoTime();
            List<QueryPoint> points = prepared == null
                ? PointSampler.sample(pde.domain(), pde.dim(), s.sampleCount(),
                    s.options().seed())
                : localPoints(hconf, est, pde);
            long nPoints = points.size();
            checkPoints(est, nPoints);
            readValidate = secs(tRead);

            long tSolve = System.nanoTime();
            long nItems = checkWorkUnits(est, nPoints);
            ResultColumns.Shape shape = shape(pde);
            MetricsAccumulator metricsAcc = new MetricsAccumulator(shape);
            boolean adaptive = AdaptiveStages.applies(s.options());
            AdaptiveStages.Outcome outcome = null;
            List<Row> rows;
            if (adaptive) {
                outcome = adaptiveRounds(AdaptiveStages.local(local.threads()), rd, pde, sur, points, fs, target,
                    shape, metricsAcc);
                rows = outcome.rows();
            } else {
                List<PointEstimate> es = LocalRunner.run(est, points, local.threads());
                rows = new ArrayList<>(es.size());
                for (PointEstimate pe : es) {
                    metricsAcc.add(pe); // on the driver, in id order
                    rows.add(ResultColumns.row(pe, shape));
                }
            }
            noteResume(adaptive);
            String dataName = LocalOutput.write(fs, tmp, s.format(), ResultColumns.schema(shape, adaptive), rows,
                s.runId());
            solveWrite = secs(tSolve);
            SolveSummary summary = finish(t0, target, tmp, pde, method, est, local.info(), nPoints, nItems,
                metricsAcc, outcome, dataName);
            return summary;
        } catch (IOException e) {
            throw new IllegalStateException("I/O error: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                target.abort();
            }
        }
    }

    /**
     * The simulation stage's partitioner: cost-ranged, decreasing shares ({@link CostRangePartitioner}); the
     * benchmark property {@value #PLAN_SPLIT_PROPERTY}{@code =equal} restores equal item ranges, for side-by-side
     * timings (BENCHMARKS.md section 14). Either gives the same bits.
     */
    static Partitioner planPartitioner(PicardEstimator est, long nItems, int parts) {
        if ("equal".equals(System.getProperty(PLAN_SPLIT_PROPERTY))) {
            return new PlanPartitioner(nItems, 1, parts);
        }
        int nu = est.plan().unitsPerGroup();
        double[] c = new double[nu];
        for (int u = 0; u < nu; u++) {
            c[u] = est.plan().unitCost(u);
        }
        return CostRangePartitioner.decreasing(nItems, c, parts);
    }

    private static void checkPoints(PicardEstimator est, long nPoints) {
        try {
            est.plan().checkPoints(nPoints);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The number of work units, checked against the limit. */
    private long checkWorkUnits(PicardEstimator est, long nPoints) {
        int g = s.options().pointsPerUnit();
        long nGroups = (nPoints + g - 1) / g;
        int nu = est.plan().unitsPerGroup();
        long nItems = est.plan().workUnits(nPoints);
        s.limits().check("work units (" + nGroups + " point groups x " + nu + " units per group)", nItems,
            "work-units");
        return nItems;
    }

    private ResultColumns.Shape shape(Pde pde) {
        return new ResultColumns.Shape(pde.dim(), pde.hasExact(), pde.horizon(), s.coordinates());
    }

    private static List<QueryPoint> inRankOrder(List<Tuple2<Long, QueryPoint>> ranked) {
        List<Tuple2<Long, QueryPoint>> ranks = new ArrayList<>(ranked);
        ranks.sort(Comparator.comparingLong(Tuple2::_1));
        List<QueryPoint> points = new ArrayList<>(ranks.size());
        for (Tuple2<Long, QueryPoint> t : ranks) {
            points.add(t._2());
        }
        return points;
    }

    /** The adaptive driver's rounds (targets, guarded SCaSML); the estimates go to the metrics in id order. */
    private AdaptiveStages.Outcome adaptiveRounds(AdaptiveStages.Rounds rounds, RunDescription rd, Pde pde,
                                                  SurrogateSource sur, List<QueryPoint> points, FileSystem fs,
                                                  OutputDirs.Target target, ResultColumns.Shape shape,
                                                  MetricsAccumulator metricsAcc) throws IOException {
        AdaptiveStages.Outcome outcome = AdaptiveStages.run(s, rounds, rd, pde,
            sur == null ? null : sur.materialize(), points, fs, target.out(), shape, err);
        warnings.addAll(outcome.warnings());
        for (io.scasml.kernels.picard.AdaptiveEstimate a : outcome.results()) {
            metricsAcc.add(a.estimate()); // on the driver, in id order
        }
        return outcome;
    }

    private void noteResume(boolean adaptive) {
        if (s.resume() && !adaptive) {
            warnings.add("--resume: a run without a target and without the guard is a single pass and has no"
                + " checkpoints; it ran from the start");
        }
    }

    /** The metrics, warnings and summary.json of a finished solve, then the atomic commit of the output. */
    private SolveSummary finish(long t0, OutputDirs.Target target, Path tmp, Pde pde, Method method,
                                PicardEstimator est, SolveSummary.SparkInfo info, long nPoints, long nItems,
                                MetricsAccumulator metricsAcc, AdaptiveStages.Outcome outcome, String dataName)
        throws IOException {
        FileSystem fs = target.fs();
        int g = s.options().pointsPerUnit();
        long nGroups = (nPoints + g - 1) / g;
        int nu = est.plan().unitsPerGroup();
        boolean withExact = pde.hasExact();
        // ---- metrics, accumulated during the reduce
        long tMetrics = System.nanoTime();
        Metrics.Result agg = metricsAcc.value();
        if (agg.points() != nPoints) {
            throw new IllegalStateException("metrics cover " + agg.points() + " of " + nPoints + " points");
        }
        SolveSummary.Timings timings = new SolveSummary.Timings(sparkStart, readValidate, solveWrite,
            secs(tMetrics), secs(t0));

        Metrics.Errors metrics = agg.metrics();
        long nanSe = agg.pointsWithoutErrorBar();
        if (nanSe > 0 && method != Method.SURROGATE) {
            warnings.add(nanSe + " point(s) have no error bar (std_error NaN: a Picard term with a single sample;"
                + " raise --base or --levels)");
        }
        long wn = agg.diagnostics().pointsWarnedGradientNoise();
        long wr = agg.diagnostics().pointsWarnedResidual();
        if (wn > 0) {
            warnings.add(wn + " point(s): gradient noise dominates (split-half tr Var > |z|^2); the correction may"
                + " be noisy - raise --base or --levels (column warn_noise)");
        }
        if (wr > 0) {
            warnings.add(wr + " point(s): the surrogate's PDE residual along the paths is large; the correction may"
                + " be unreliable - train the surrogate where the paths go (column warn_residual)");
        }
        if (agg.pointsNotFinite() > 0) {
            warnings.add(notFiniteWarning(agg));
        }
        SolveSummary summary = new SolveSummary("scasml-solve-summary", 1, Provenance.version(),
            Provenance.gitCommit(), "solve", s.runId(), s.parameters(), s.options().seed(),
            new SolveSummary.PdeInfo(pde.name(), pde.dim(), pde.horizon(), pde.sigma(), withExact),
            method.label(), info, nPoints, nGroups, nItems, nu,
            est.estimatedEvaluationsPerPoint(), agg.evaluations(), metrics,
            metrics == null ? Map.of() : Map.of(method.label(), metrics), agg.surrogateMetrics(), agg.stdError(),
            agg.diagnostics(), agg.statusCounts(), agg.pointsNotFinite(), agg.firstNotFinite(), timings,
            timings.totalS(), new SolveSummary.Outputs(dataName, s.format()), warnings,
            outcome == null ? null : map(outcome.summary().get("adaptive")),
            outcome == null ? null : map(outcome.summary().get("guard")),
            outcome == null ? null : map(outcome.summary().get("compute_plan")),
            outcome == null ? null : map(outcome.summary().get("checkpoint")));
        writeJson(fs, new Path(tmp, "summary.json"), summary);

        // ---- atomic commit (the marker names it a scasml output; an older one is deleted only after)
        target.commit();
        committed = true;
        if (outcome != null && fs.exists(outcome.checkpointDir())) {
            fs.delete(outcome.checkpointDir(), true); // the run is complete: nothing left to resume
        }
        err.println(finalLine(summary));
        for (String w : warnings) {
            err.println("scasml: warning: " + w);
        }
        return summary;
    }

    /**
     * The one rule for a point record, on both runners: its parse error, else the estimator's refusal of the point
     * (id from the record, else {@code ordinal}), as the one-line message; null when the record is good.
     */
    static String recordError(PointRecord r, PicardEstimator est, long ordinal) {
        if (r.error != null) {
            return "points: " + r.location() + ": " + r.error;
        }
        try {
            est.validate(r.toPoint(r.hasId ? r.id : ordinal));
            return null;
        } catch (IllegalArgumentException ex) {
            return "points: " + r.location() + ": " + ex.getMessage();
        }
    }

    /** The counts' rules, on both runners: some points, within the row limit, every row with an id or none. */
    private void checkCounts(String spec, long rows, long withId) {
        if (rows == 0) {
            throw new UserError("points: " + spec + " holds no points");
        }
        s.limits().check("points: " + spec + " (rows)", rows, "points");
        if (withId != 0 && withId != rows) {
            throw new UserError("points: " + spec + ": " + withId + " of " + rows
                + " rows have an id; give every row an id or none");
        }
    }

    private static UserError duplicateId(String spec, long id, long n) {
        return new UserError("points: " + spec + ": id " + id + " appears " + n + " times; ids must be unique");
    }

    /**
     * Reads, validates and ranks the points of CSV / JSON-lines files in this JVM (the in-process runner): the
     * records in input order ({@link PointReader#readLocal}), the first bad one reported as {@link #rankedPoints}
     * reports it, ids from the input or the ordinals, ranked by id; the points in rank order.
     */
    private List<QueryPoint> localPoints(Configuration hconf, PicardEstimator est, Pde pde) throws IOException {
        String spec = s.points();
        List<PointRecord> recs = PointReader.readLocal(prepared, hconf, pde.dim(), s.limits().getInt("line-bytes"),
            s.limits().getInt("columns"));
        long withId = 0;
        for (int i = 0; i < recs.size(); i++) {
            PointRecord r = recs.get(i);
            String bad = recordError(r, est, i);
            if (bad != null) {
                throw new UserError(bad);
            }
            withId += r.hasId ? 1 : 0;
        }
        checkCounts(spec, recs.size(), withId);
        List<QueryPoint> points = new ArrayList<>(recs.size());
        if (withId == 0) {
            for (int i = 0; i < recs.size(); i++) {
                points.add(recs.get(i).toPoint(i));
            }
            return points;
        }
        for (PointRecord r : recs) {
            points.add(r.toPoint(r.id));
        }
        points.sort(Comparator.comparingLong(QueryPoint::id));
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).id() == points.get(i - 1).id()) {
                long id = points.get(i).id();
                int n = 2;
                while (i + 1 < points.size() && points.get(i + 1).id() == id) {
                    n++;
                    i++;
                }
                throw duplicateId(spec, id, n);
            }
        }
        return points;
    }

    /**
     * Starts ND4J's native load (javacpp, OpenBLAS, the backend: ≈ 0.9 s) on a daemon thread when the run will use a
     * surrogate directory, so that it overlaps the Hadoop, spec and output checks instead of following them
     * (BENCHMARKS.md section 14). The surrogate's first ND4J call waits for it (class initialisation is atomic); a
     * failure here is ignored, and reported by that first call as before.
     */
    private void warmUpNd4j() {
        String sur = s.surrogate();
        if (sur == null || sur.trim().startsWith("class:") || s.options().method() == Method.MLP) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 1);
            } catch (Throwable e) {
                // the surrogate's own first call reports it
            }
        }, "scasml-nd4j-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Every input of the run, which the output may not be or contain. */
    private List<Path> inputs() {
        List<Path> in = new ArrayList<>();
        try {
            if (!s.sampled()) {
                in.add(new Path(s.points()));
            }
            if (s.surrogate() != null && !s.surrogate().trim().startsWith("class:")) {
                in.add(new Path(s.surrogate().trim()));
            }
            if (!io.scasml.pde.PdeCatalog.contains(s.pde())) {
                in.add(new Path(s.pde()));
            }
            if (s.configFile() != null) {
                in.add(new Path(s.configFile()));
            }
        } catch (IllegalArgumentException e) {
            throw new UserError("an input path is not valid: " + Messages.oneLine(e), e);
        }
        return in;
    }

    private SparkConf sparkConf() {
        SparkConf c = new SparkConf();
        if (s.master() != null) {
            c.setMaster(s.master());
        } else if (!c.contains("spark.master")) {
            c.setMaster("local[*]");
        }
        c.setIfMissing("spark.app.name", "scasml solve " + s.pde() + " d=" + s.dim());
        for (Map.Entry<String, String> e : s.sparkConf().entrySet()) {
            c.set(e.getKey(), e.getValue());
        }
        c.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        c.setIfMissing("spark.kryo.registrationRequired", "true");
        c.set("spark.kryo.registrator", ScasmlKryoRegistrator.class.getName());
        c.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", c.get("spark.task.cpus", "1"));
        // Spark masks these in its UI, event logs and logged configuration; ours is the wider pattern of Redaction.
        c.setIfMissing("spark.redaction.regex", "(?i)secret|password|passwd|pwd|token|credential|access[._-]?key"
            + "|private[._-]?key|session[._-]?key|signature|auth|api[._-]?key|keystore|truststore|account[._-]?key"
            + "|encryption[._-]?key|[.]key$");
        if (s.progress()) {
            c.setIfMissing("spark.ui.showConsoleProgress", "false");
        }
        // Spark SQL only reads the points and writes one row per point: interpreted projections instead of Janino
        // code generation, which cost 1.4-3.4 s of compiling on every fresh JVM (driver and each executor) for a few
        // microseconds per row saved (BENCHMARKS.md, issue 16); --conf turns it back on.
        c.setIfMissing("spark.sql.codegen.wholeStage", "false");
        c.setIfMissing("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        if (c.get("spark.master").startsWith("local")) {
            // lean local runs: no web UI (Jetty and its listeners), no event log, nothing retained for a UI
            c.setIfMissing("spark.ui.enabled", "false");
            c.setIfMissing("spark.eventLog.enabled", "false");
            c.setIfMissing("spark.ui.showConsoleProgress", "false");
            c.setIfMissing("spark.sql.ui.retainedExecutions", "0");
            c.setIfMissing("spark.ui.retainedJobs", "1");
            c.setIfMissing("spark.ui.retainedStages", "1");
        }
        return c;
    }

    /** Reads, validates and ranks the points: (rank, point) with ranks 0..N−1 in id order. */
    private JavaPairRDD<Long, QueryPoint> rankedPoints(SparkSession spark, JavaSparkContext jsc,
                                                       Broadcast<RunDescription> bc, Pde pde) throws IOException {
        String spec = s.points();
        if (spec == null || spec.isBlank()) {
            throw new UserError("points: missing; pass --points sample:N or a CSV/Parquet/JSON-lines path");
        }
        int slots = Math.max(1, jsc.defaultParallelism());
        if (s.sampled()) {
            int n;
            try {
                n = s.sampleCount();
            } catch (NumberFormatException e) {
                throw new UserError("points: " + Messages.quote(spec) + " is not sample:N with an integer N below "
                    + Integer.MAX_VALUE);
            }
            if (n < 1) {
                throw new UserError("points: sample:" + n + " needs N >= 1");
            }
            // generated on the executors in slices: driver memory stays flat for any N
            int slices = (int) Math.max(1, Math.min(n, Math.max(slots, n / 65_536L)));
            List<Integer> ids = new ArrayList<>(slices);
            for (int i = 0; i < slices; i++) {
                ids.add(i);
            }
            final int total = n;
            final long seed = s.options().seed();
            return jsc.parallelize(ids, slices).flatMapToPair(i -> {
                Pde p = bc.value().estimator().pde();
                int from = (int) ((long) total * i / slices);
                int to = (int) ((long) total * (i + 1) / slices);
                List<Tuple2<Long, QueryPoint>> l = new ArrayList<>(to - from);
                for (QueryPoint q : PointSampler.sample(p.domain(), p.dim(), total, seed, from, to)) {
                    l.add(new Tuple2<>(q.id(), q));
                }
                return l.iterator();
            });
        }
        JavaRDD<PointRecord> recs = PointReader.read(spark, spec, s.pointsFormat(), pde.dim(),
            s.limits().getInt("line-bytes"), s.limits().getInt("columns"));
        JavaPairRDD<PointRecord, Long> indexed = recs.zipWithIndex();
        indexed.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<PartitionCheck> checks = indexed.mapPartitionsWithIndex((pi, it) -> {
                PartitionCheck c = new PartitionCheck();
                c.partition = pi;
                PicardEstimator e = bc.value().estimator();
                while (it.hasNext()) {
                    Tuple2<PointRecord, Long> p = it.next();
                    PointRecord r = p._1();
                    c.rows++;
                    if (r.hasId) {
                        c.withId++;
                    }
                    if (c.firstError != null) {
                        continue;
                    }
                    c.firstError = recordError(r, e, p._2());
                }
                return List.of(c).iterator();
            }, true).collect();
            long rows = 0;
            long withId = 0;
            for (PartitionCheck c : checks) {
                if (c.firstError != null) {
                    throw new UserError(c.firstError);
                }
                rows += c.rows;
                withId += c.withId;
            }
            checkCounts(spec, rows, withId);
            if (withId == 0) {
                return indexed.mapToPair(p -> new Tuple2<>(p._2(), p._1().toPoint(p._2())));
            }
            JavaPairRDD<Long, QueryPoint> byId = indexed.mapToPair(p -> new Tuple2<>(p._1().id, p._1().toPoint(p._1().id)));
            List<Tuple2<Long, Integer>> dup = byId.mapToPair(p -> new Tuple2<>(p._1(), 1))
                .reduceByKey(Integer::sum).filter(p -> p._2() > 1).take(1);
            if (!dup.isEmpty()) {
                throw duplicateId(spec, dup.get(0)._1(), dup.get(0)._2());
            }
            int parts = Math.max(1, indexed.getNumPartitions());
            return byId.sortByKey(true, parts).values().zipWithIndex()
                .mapToPair(p -> new Tuple2<>(p._2(), p._1()));
        } finally {
            // ranked is persisted by the caller and counted right away; the records can go after that.
            indexed.unpersist(false);
        }
    }

    /** Runs the work units of one partition, lazily (one unit in memory at a time). */
    static Iterator<Tuple2<Long, UnitResult>> runUnits(RunDescription d, int nu, LongAccumulator unitsDone,
                                                       LongAccumulator pathsDone,
                                                       Iterator<Tuple2<Long, QueryPoint[]>> it) {
        d.faults().maybeFail();
        PicardEstimator e = d.estimator();
        List<UnitKey> us = e.units();
        return new Iterator<Tuple2<Long, UnitResult>>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Tuple2<Long, UnitResult> next() {
                Tuple2<Long, QueryPoint[]> w = it.next();
                int u = (int) (w._1() % nu);
                TermPartial[] tp = e.run(w._2(), us.get(u));
                long p = 0;
                for (TermPartial x : tp) {
                    p += x.count(TermPartial.PATHS);
                }
                unitsDone.add(1);
                pathsDone.add(p);
                return new Tuple2<>(w._1(), new UnitResult(u == 0 ? w._2() : null, tp));
            }
        };
    }

    /** Streams (group, unit)-sorted results into estimates, one group at a time. */
    static final class GroupFinisher implements Iterator<Row> {
        private final Iterator<Tuple2<Long, UnitResult>> in;
        private final PicardEstimator est;
        private final int nu;
        private final ResultColumns.Shape shape;
        private final MetricsAccumulator metrics;
        private Tuple2<Long, UnitResult> head;
        private Iterator<Row> current = Collections.emptyIterator();

        GroupFinisher(Iterator<Tuple2<Long, UnitResult>> in, PicardEstimator est, int nu, ResultColumns.Shape shape,
                      MetricsAccumulator metrics) {
            this.in = in;
            this.est = est;
            this.nu = nu;
            this.shape = shape;
            this.metrics = metrics;
            this.head = in.hasNext() ? in.next() : null;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && head != null) {
                current = nextGroup();
            }
            return current.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        private Iterator<Row> nextGroup() {
            long group = head._1() / nu;
            // unit 0 sorts first and carries the group's points; units are reduced in index order as they stream
            QueryPoint[] pts = head._2().points;
            if (pts == null) {
                throw new IllegalStateException("group " + group + ": work unit " + (head._1() % nu)
                    + " came first and no points");
            }
            PointReduction red = new PointReduction(est, pts);
            while (head != null && head._1() / nu == group) {
                red.accept((int) (head._1() % nu), head._2().partials);
                head = in.hasNext() ? in.next() : null;
            }
            if (red.accepted() != nu) {
                throw new IllegalStateException("group " + group + ": got " + red.accepted() + " of " + nu
                    + " work units");
            }
            PointEstimate[] est0 = red.finish();
            List<Row> rows = new ArrayList<>(est0.length);
            for (PointEstimate pe : est0) {
                metrics.add(pe);
                rows.add(ResultColumns.row(pe, shape));
            }
            return rows.iterator();
        }
    }

    /** Concatenates Spark's header-less CSV parts (in part order, i.e. id order) under one header line. */
    private static void mergeCsv(FileSystem fs, Path partsDir, Path target, StructType schema) throws IOException {
        FileStatus[] parts = fs.listStatus(partsDir, p -> p.getName().startsWith("part-"));
        Arrays.sort(parts, Comparator.comparing(f -> f.getPath().getName()));
        try (OutputStream o = fs.create(target, false)) {
            o.write((String.join(",", schema.fieldNames()) + "\n").getBytes(StandardCharsets.UTF_8));
            for (FileStatus p : parts) {
                try (InputStream in = fs.open(p.getPath())) {
                    IOUtils.copyBytes(in, o, 1 << 16, false);
                }
            }
        }
    }

    private static void writeJson(FileSystem fs, Path p, Object m) throws IOException {
        try (OutputStream o = fs.create(p, false)) {
            Provenance.JSON.writerWithDefaultPrettyPrinter().writeValue(o, m);
        }
    }

    private SolveSummary.SparkInfo sparkInfo(SparkSession spark, int parts, int groupParts) {
        SparkConf c = spark.sparkContext().getConf();
        Map<String, String> conf = new LinkedHashMap<>();
        for (String k : new String[] {"spark.submit.deployMode", "spark.serializer", "spark.kryo.registrationRequired",
            "spark.driver.memory", "spark.executor.memory", "spark.executor.cores", "spark.executor.instances",
            "spark.task.cpus", "spark.task.maxFailures", "spark.executorEnv.OMP_NUM_THREADS",
            "spark.default.parallelism", "spark.dynamicAllocation.enabled"}) {
            if (c.contains(k)) {
                conf.put(k, Redaction.text(Redaction.value(k, c.get(k))));
            }
        }
        return new SolveSummary.SparkInfo(spark.version(), Redaction.text(spark.sparkContext().master()),
            spark.sparkContext().applicationId(), spark.sparkContext().defaultParallelism(), parts, groupParts, conf,
            "spark");
    }

    /** The warning line for points that are not finite: how many, of which status, and the first ids. */
    static String notFiniteWarning(Metrics.Result agg) {
        StringBuilder b = new StringBuilder();
        b.append(agg.pointsNotFinite()).append(" of ").append(agg.points())
            .append(" point(s) are not finite (NaN values, no error bar; column status: ");
        String sep = "";
        for (Map.Entry<String, Long> e : agg.statusCounts().entrySet()) {
            if (!e.getKey().equals(io.scasml.kernels.picard.PointStatus.OK.label()) && e.getValue() > 0) {
                b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
                sep = ", ";
            }
        }
        b.append("); first ids: ");
        b.append(String.join(", ", agg.firstNotFinite().stream().map(String::valueOf).toList()));
        if (agg.pointsNotFinite() > agg.firstNotFinite().size()) {
            b.append(", ...");
        }
        b.append("; metrics are over the ok points; exit code 3");
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private String finalLine(SolveSummary summary) {
        long paths = summary.evaluations().get(TermPartial.COUNT_NAMES[TermPartial.PATHS]);
        double wall = summary.timings().totalS();
        double solve = summary.timings().solveWriteS();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "scasml solve: %d points, %s d=%d, method %s, %d work units, %d paths in %.1f s (%.3g paths/s)",
            summary.points(), s.pde(), s.dim(), s.options().method().label(), summary.workUnits(), paths, wall,
            solve > 0 ? paths / solve : 0.0));
        if (summary.adaptive() != null && s.options().adaptive()) {
            b.append(String.format(Locale.ROOT, ", %s round(s), %s of %d met the target",
                summary.adaptive().get("rounds"), summary.adaptive().get("points_target_met"), summary.points()));
        }
        if (summary.guard() != null && Boolean.TRUE.equals(summary.guard().get("enabled"))) {
            b.append(String.format(Locale.ROOT, ", guarded (%s carried by plain MLP)",
                summary.guard().get("points_carried_by_mlp")));
        }
        Metrics.Errors m = summary.metrics();
        if (m != null) {
            b.append(String.format(Locale.ROOT, "; rel_l2 %.3g, linf %.3g, l1 %.3g, ci95_coverage %s",
                m.relL2(), m.linf(), m.l1(), m.ci95Coverage()));
        }
        if (summary.pointsNotFinite() > 0) {
            b.append(" (errors over the ").append(summary.statusCounts().get("ok")).append(" ok points)");
        }
        b.append(" -> ").append(Redaction.text(s.out()));
        return b.toString();
    }

    private static double secs(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }
}
