package io.scasml.spark.job;

import io.scasml.io.Messages;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.AdaptiveDriver;
import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.ComputePlanner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.PointReduction;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RoundExecutor;
import io.scasml.kernels.picard.RoundPlan;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.TermPartial;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Adaptive rounds and guarded SCaSML on Spark (issue 13; docs/algorithm.md §23.7): the engine's
 * {@link AdaptiveDriver} decides, Spark runs each round as one stage.
 *
 * <ol>
 *   <li>The points (already validated and ranked by the job) are collected in rank (= id) order and broadcast
 *       once; the {@link RunDescription} is broadcast once (twice when the compute planner changed the options:
 *       once for its pilot, once for the run). Each executor JVM builds the estimator of each role once
 *       ({@link RunDescription#estimator(RoundExecutor.Role)}).</li>
 *   <li>With a target and {@code --plan auto}, {@link ComputePlanner#choose} runs its pilot as one stage and its
 *       choice replaces the options; the choice goes to {@code summary.json} ({@code compute_plan}).</li>
 *   <li>With {@code --resume}, the driver is restored from the newest valid checkpoint beside the output
 *       ({@link #checkpointDir}); a checkpoint of another run is refused with the reason.</li>
 *   <li>Each round: {@link AdaptiveDriver#nextBatches()} → {@link RoundPlan}; the round's batch descriptors
 *       (role, indices of the points, estimate root) are broadcast (a few ints per point); one RDD over the
 *       plan's tasks, contiguous ranges of task indices per partition, each task {@link RoundPlan#run} with the
 *       executor's estimator of its role; shuffled to whole (batch, group) ranges, sorted by task index, reduced
 *       with {@link PointReduction} in unit order; the per-point estimates are collected,
 *       {@link RoundPlan#assemble}d and {@link AdaptiveDriver#accept}ed; the checkpoint is written (temporary file
 *       + rename through the Hadoop FS); a progress line with the round, the points remaining and an ETA goes to
 *       stderr. Timing feeds only that line, never a decision.</li>
 *   <li>Rows: the usual row of {@link AdaptiveEstimate#estimate()} plus {@link AdaptiveEstimate#columns()}.</li>
 * </ol>
 * Every number is a function of the seed, the options and the points only: the same bits as
 * {@link io.scasml.kernels.picard.LocalRunner#solve} for any partitioning, retry or interruption.
 */
public final class AdaptiveStages {
    /** Test hook: sleep this many milliseconds after each round's checkpoint (kill-and-resume tests). */
    static final String PAUSE_PROPERTY = "scasml.test.roundPauseMs";

    private AdaptiveStages() {
    }

    /** Whether a run goes through the adaptive driver: a target, or guarded SCaSML. */
    public static boolean applies(RunOptions o) {
        return o.adaptive() || (o.guard() && o.method() == Method.SCASML);
    }

    /**
     * What the rounds produced.
     *
     * @param rows          the output rows, in id order
     * @param results       the driver's results, in id order (the rows' source)
     * @param options       the options the run used (the planner's choice with {@code --plan auto})
     * @param summary       {@code adaptive}, {@code guard}, {@code compute_plan} and {@code checkpoint} for
     *                      summary.json
     * @param warnings      the run's warnings (aggregated over points)
     * @param checkpointDir where the checkpoints went (delete after the commit)
     */
    public record Outcome(List<Row> rows, List<AdaptiveEstimate> results, RunOptions options,
                          Map<String, Object> summary, List<String> warnings, Path checkpointDir) {
    }

    /** The checkpoint directory of an output: {@code .NAME.scasml-checkpoint} beside it (stable across runs). */
    public static Path checkpointDir(Path out) {
        return new Path(out.getParent(), "." + out.getName() + ".scasml-checkpoint");
    }

    /**
     * Where the rounds run: Spark stages ({@link #spark}) or a thread pool in this JVM ({@link #local}, the
     * in-process runner of {@code solve --runner local}). Both reduce every group in unit order, so the estimates
     * are the same bits.
     */
    interface Rounds {
        /** The executor of the rounds of a run (called again when the compute planner changed the options). */
        RoundExecutor executor(RunDescription rd);

        /** Releases what the rounds held (broadcasts). */
        default void close() {
        }
    }

    /**
     * Rounds as Spark stages: the points (in rank = id order) are broadcast once, each run description once.
     *
     * @param progress where the in-round progress line goes, or null
     */
    static Rounds spark(JavaSparkContext jsc, List<QueryPoint> points, Integer partitions, PrintWriter progress) {
        Broadcast<QueryPoint[]> bcPoints = jsc.broadcast(points.toArray(new QueryPoint[0]));
        Map<Long, Integer> index = new HashMap<>(points.size() * 2);
        for (int i = 0; i < points.size(); i++) {
            index.put(points.get(i).id(), i);
        }
        return new Rounds() {
            private RunDescription last;
            private Broadcast<RunDescription> bcRun;

            @Override
            public RoundExecutor executor(RunDescription rd) {
                if (rd != last) {
                    bcRun = jsc.broadcast(rd);
                    last = rd;
                }
                return new SparkRounds(jsc, bcRun, bcPoints, index, partitions, progress);
            }

            @Override
            public void close() {
                bcPoints.unpersist(false);
            }
        };
    }

    /** Rounds on a pool of {@code threads} threads in this JVM ({@link LocalRunner#executor}). */
    static Rounds local(int threads) {
        return rd -> io.scasml.kernels.picard.LocalRunner.executor(threads, false);
    }

    /**
     * Runs the rounds.
     *
     * @param s      the request
     * @param rounds where the rounds run
     * @param rd     the run description (requested options)
     * @param pde    the equation (driver copy)
     * @param sur    the surrogate (driver copy), or null
     * @param points the validated points in rank (= id) order
     * @param fs     the output's file system
     * @param out    the final output directory (qualified)
     * @param shape  the output's shape (columns)
     * @param err    progress and notes
     */
    static Outcome run(SolveSettings s, Rounds rounds, RunDescription rd, Pde pde, Surrogate sur,
                       List<QueryPoint> points, FileSystem fs, Path out, ResultColumns.Shape shape, PrintWriter err)
        throws IOException {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        RunOptions opt = rd.options();

        // ---- compute plan
        Map<String, Object> plan = new LinkedHashMap<>();
        if (s.plan().equals("auto") && opt.adaptive()) {
            ComputePlanner.Choice c;
            try {
                c = ComputePlanner.choose(pde, sur, opt, points, rounds.executor(rd));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
            plan.put("mode", "auto");
            plan.putAll(c.toMap());
            if (!c.options().toMap().equals(opt.toMap())) {
                opt = c.options();
                rd = rd.withOptions(opt);
            }
            err.println("scasml: compute plan: n = " + c.levels() + ", M = " + c.base() + ", max rounds "
                + c.options().maxRounds() + ": " + c.reason());
        } else {
            plan.put("mode", "fixed");
            plan.put("levels", opt.levels());
            plan.put("base", opt.base());
            plan.put("max_rounds", opt.adaptive() ? opt.maxRounds() : 1);
            plan.put("reason", s.plan().equals("auto")
                ? "--plan auto needs --target-se or --target-rel-se: the requested settings are kept"
                : "the requested settings (--plan fixed)");
            if (s.plan().equals("auto")) {
                warnings.add("--plan auto without a target (--target-se / --target-rel-se): settings kept");
            }
        }
        summary.put("compute_plan", plan);

        AdaptiveDriver dr;
        try {
            dr = AdaptiveDriver.create(pde, sur, opt, points);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        RoundExecutor exec = rounds.executor(rd);

        // ---- checkpoints
        Path ckDir = checkpointDir(out);
        Map<String, Object> ck = new LinkedHashMap<>();
        ck.put("dir", io.scasml.io.Redaction.text(ckDir.toString()));
        int resumedFrom = -1;
        if (s.resume()) {
            resumedFrom = restore(dr, fs, ckDir);
            if (resumedFrom < 0) {
                err.println("scasml: --resume: no checkpoint in " + ckDir + "; starting at round 0");
            } else {
                err.println("scasml: resuming after " + (resumedFrom == 0 ? "the guard's pilot phase"
                    : "round " + resumedFrom) + " from " + ckDir);
            }
        } else if (fs.exists(ckDir)) {
            warnings.add("an earlier run's checkpoint in " + ckDir + " was replaced (pass --resume to continue a run)");
            fs.delete(ckDir, true);
        }
        ck.put("resumed_from_round", resumedFrom < 0 ? null : resumedFrom);

        // ---- rounds
        long pauseMs = Long.getLong(PAUSE_PROPERTY, 0L);
        long tRounds = System.nanoTime();
        double evals0 = dr.progress().evaluations();
        int roundsRun = 0;
        while (!dr.finished()) {
            long tr = System.nanoTime();
            List<RoundExecutor.Batch> batches = dr.nextBatches();
            dr.accept(exec.run(batches));
            roundsRun++;
            writeCheckpoint(fs, ckDir, dr.round(), dr.checkpoint());
            if (s.progress()) {
                AdaptiveDriver.Progress p = dr.progress();
                double elapsed = (System.nanoTime() - tRounds) / 1e9;
                double done = p.evaluations() - evals0;
                double eta = done > 0 ? elapsed * p.predictedEvaluationsLeft() / done : Double.NaN;
                err.println(String.format(Locale.ROOT, "scasml: %s; round took %.1f s, %.1f s elapsed%s", p.line(),
                    (System.nanoTime() - tr) / 1e9, elapsed,
                    p.remaining() > 0 && Double.isFinite(eta) ? String.format(Locale.ROOT, ", ETA %.0f s", eta) : ""));
                err.flush();
            }
            if (pauseMs > 0) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        ck.put("rounds_this_run", roundsRun);
        summary.put("checkpoint", ck);

        // ---- results
        List<AdaptiveEstimate> res = dr.results();
        double horizon = pde.horizon();
        List<Row> rows = new ArrayList<>(res.size());
        int met = 0;
        int maxR = 0;
        long sumR = 0;
        double evals = 0;
        int carriedMlp = 0;
        double sumW = 0;
        double minW = Double.POSITIVE_INFINITY;
        int nW = 0;
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> example = new LinkedHashMap<>();
        for (AdaptiveEstimate a : res) {
            rows.add(ResultColumns.row(a, shape));
            met += a.targetMet() ? 1 : 0;
            maxR = Math.max(maxR, a.rounds());
            sumR += a.rounds();
            evals += a.evaluations();
            if (a.guard() != null) {
                double w = a.guard().weight();
                if (Double.isFinite(w)) {
                    sumW += w;
                    minW = Math.min(minW, w);
                    nW++;
                }
                carriedMlp += w < 0.5 ? 1 : 0;
            }
            List<String> own = a.estimate().warnings(horizon);
            for (String w : a.warnings(horizon, opt)) {
                if (own.contains(w)) {
                    continue; // the estimate's own warnings are counted from the columns by the job
                }
                String kind = w.contains("target not met") ? "target not met"
                    : w.contains("carried by plain MLP") ? "carried by plain MLP"
                    : w.contains("disagree") ? "final SCaSML and MLP estimates disagree" : "other";
                counts.computeIfAbsent(kind, k -> new int[1])[0]++;
                example.putIfAbsent(kind, w);
            }
        }
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            warnings.add(e.getValue()[0] + " point(s): " + e.getKey() + " (column "
                + (e.getKey().startsWith("target") ? "target_met" : "guard_weight") + "); e.g. "
                + example.get(e.getKey()));
        }
        Map<String, Object> ad = new LinkedHashMap<>();
        ad.put("adaptive", opt.adaptive());
        ad.put("target_se", opt.targetSe() > 0 ? opt.targetSe() : "off");
        ad.put("target_rel_se", opt.targetRelSe() > 0 ? opt.targetRelSe() : "off");
        ad.put("max_rounds", opt.adaptive() ? opt.maxRounds() : 1);
        ad.put("max_evaluations_per_point", opt.maxEvaluationsPerPoint());
        ad.put("rounds", dr.round());
        ad.put("points_target_met", met);
        ad.put("points_target_not_met", opt.adaptive() ? res.size() - met : 0);
        ad.put("max_point_rounds", maxR);
        ad.put("mean_point_rounds", res.isEmpty() ? 0.0 : (double) sumR / res.size());
        ad.put("evaluations", evals);
        ad.put("evaluations_per_round_per_point", dr.roundCost());
        ad.put("standard_error", "pooled within-replicate: SE^2 = sum_r SE_r^2 / R^2, Welch-Satterthwaite dof"
            + " (between-replicate sd/sqrt(R) as the column between_se; docs/algorithm.md 23.2)");
        summary.put("adaptive", ad);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("enabled", dr.guarded());
        g.put("requested", opt.guard());
        if (dr.guarded()) {
            g.put("companion", "mlp");
            g.put("points_carried_by_mlp", carriedMlp);
            g.put("points_carried_by_scasml", res.size() - carriedMlp);
            g.put("mean_weight", nW > 0 ? sumW / nW : Double.NaN);
            g.put("min_weight", nW > 0 ? minW : Double.NaN);
            g.put("rule", "u = w*SCaSML + (1-w)*MLP, w from a pilot on independent streams"
                + " (docs/algorithm.md 23.3)");
        } else {
            g.put("reason", opt.method() != Method.SCASML ? "method " + opt.method().label() + " (the guard applies"
                + " to scasml only)" : "--no-guard");
        }
        summary.put("guard", g);
        return new Outcome(rows, res, opt, summary, warnings, ckDir);
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    private static final String PREFIX = "round-";
    private static final String SUFFIX = ".bin";

    /** Writes round {@code k}'s checkpoint ({@code round-K.bin}, via a temporary file and a rename), drops older ones. */
    static void writeCheckpoint(FileSystem fs, Path dir, int k, byte[] bytes) throws IOException {
        fs.mkdirs(dir);
        Path fin = new Path(dir, String.format(Locale.ROOT, "%s%06d%s", PREFIX, k, SUFFIX));
        Path tmp = new Path(dir, "_" + fin.getName() + ".tmp");
        try (OutputStream o = fs.create(tmp, true)) {
            o.write(bytes);
        }
        if (fs.exists(fin)) {
            fs.delete(fin, false);
        }
        if (!fs.rename(tmp, fin)) {
            throw new IOException("checkpoint: cannot rename " + tmp + " to " + fin);
        }
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (n.startsWith(PREFIX) && n.endsWith(SUFFIX) && n.compareTo(fin.getName()) < 0) {
                fs.delete(f.getPath(), false);
            }
        }
    }

    /**
     * Restores the driver from the newest checkpoint that is intact ({@code round-K.bin}, newest first; a damaged
     * one is skipped). Returns the round restored, or −1 when there is none.
     *
     * @throws UserError when the checkpoints belong to another run (or none is readable)
     */
    static int restore(AdaptiveDriver dr, FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return -1;
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (f.isFile() && n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            return -1;
        }
        files.sort(Comparator.comparing((FileStatus f) -> f.getPath().getName()).reversed());
        String first = null;
        for (FileStatus f : files) {
            if (f.getLen() > Integer.MAX_VALUE - 64) {
                first = first != null ? first : f.getPath() + ": too large for a checkpoint";
                continue;
            }
            byte[] b = new byte[(int) f.getLen()];
            try (InputStream in = fs.open(f.getPath())) {
                org.apache.hadoop.io.IOUtils.readFully(in, b, 0, b.length);
            }
            try {
                dr.restore(b);
                return dr.round();
            } catch (IllegalArgumentException e) {
                String m = f.getPath() + ": " + Messages.oneLine(e);
                if (e.getMessage() != null && e.getMessage().contains("another run")) {
                    throw new UserError("resume: " + m + "; rerun without --resume to start over", e);
                }
                first = first != null ? first : m;
            }
        }
        throw new UserError("resume: no usable checkpoint in " + dir + " (" + first + "); rerun without --resume to"
            + " start over");
    }

    // ------------------------------------------------------------------------------------------------ one stage

    /** A round's batches as the executors need them: role, point indices and root of each (no estimators). */
    static final class RoundSpec implements Serializable {
        private static final long serialVersionUID = 1L;
        final RoundExecutor.Role[] roles;
        final int[][] points;
        final long[] roots;
        final boolean[] pilot;
        final String[] labels;
        /** Unique per round and run (broadcast ids restart with each SparkContext; the plan cache outlives them). */
        final String key = java.util.UUID.randomUUID().toString();

        RoundSpec(RoundExecutor.Role[] roles, int[][] points, long[] roots, boolean[] pilot, String[] labels) {
            this.roles = roles;
            this.points = points;
            this.roots = roots;
            this.pilot = pilot;
            this.labels = labels;
        }

        /** The round's plan with this JVM's estimators (same options, so the same groups and tasks). */
        RoundPlan plan(RunDescription rd, QueryPoint[] all) {
            List<RoundExecutor.Batch> b = new ArrayList<>(roles.length);
            for (int i = 0; i < roles.length; i++) {
                List<QueryPoint> pts = new ArrayList<>(points[i].length);
                for (int k : points[i]) {
                    pts.add(all[k]);
                }
                b.add(new RoundExecutor.Batch(roles[i], rd.estimator(roles[i]), pts, roots[i], pilot[i], labels[i]));
            }
            return RoundPlan.of(b);
        }
    }

    /** Per JVM: the plan of the current round (by its spec's key), built once and shared by the JVM's tasks. */
    private static final Map<String, RoundPlan> PLANS = new LinkedHashMap<>();

    static RoundPlan planFor(Broadcast<RoundSpec> spec, Broadcast<RunDescription> run, Broadcast<QueryPoint[]> pts) {
        String key = spec.value().key;
        synchronized (PLANS) {
            RoundPlan p = PLANS.get(key);
            if (p == null) {
                p = spec.value().plan(run.value(), pts.value());
                if (PLANS.size() >= 2) {
                    PLANS.remove(PLANS.keySet().iterator().next());
                }
                PLANS.put(key, p);
            }
            return p;
        }
    }

    /** A {@link RoundExecutor} that runs a round's batches as one Spark stage (plus the reduction's shuffle). */
    static final class SparkRounds implements RoundExecutor {
        private final JavaSparkContext jsc;
        private final Broadcast<RunDescription> run;
        private final Broadcast<QueryPoint[]> points;
        private final Map<Long, Integer> index;
        private final Integer partitions;
        private final LongAccumulator unitsDone;
        private final LongAccumulator pathsDone;
        private final PrintWriter progress;

        /**
         * @param progress where the in-round progress line goes (work units of the round, paths/s, ETA), or null
         */
        SparkRounds(JavaSparkContext jsc, Broadcast<RunDescription> run, Broadcast<QueryPoint[]> points,
                    Map<Long, Integer> index, Integer partitions, PrintWriter progress) {
            this.jsc = jsc;
            this.run = run;
            this.points = points;
            this.index = index;
            this.partitions = partitions;
            this.unitsDone = jsc.sc().longAccumulator("scasml.round.units");
            this.pathsDone = jsc.sc().longAccumulator("scasml.round.paths");
            this.progress = progress;
        }

        @Override
        public List<List<PointEstimate>> run(List<Batch> batches) {
            RunOptions mainOpt = run.value().options();
            int nb = batches.size();
            RoundExecutor.Role[] roles = new RoundExecutor.Role[nb];
            int[][] idx = new int[nb][];
            long[] roots = new long[nb];
            boolean[] pilot = new boolean[nb];
            String[] labels = new String[nb];
            for (int b = 0; b < nb; b++) {
                Batch bt = batches.get(b);
                RunOptions want = bt.role().options(mainOpt);
                if (!bt.est().options().toMap().equals(want.toMap())) {
                    throw new IllegalStateException(bt.label() + ": the driver's estimator has options "
                        + bt.est().options() + ", the broadcast ones are " + want);
                }
                roles[b] = bt.role();
                roots[b] = bt.root();
                pilot[b] = bt.pilot();
                labels[b] = bt.label();
                idx[b] = new int[bt.points().size()];
                for (int i = 0; i < idx[b].length; i++) {
                    Integer k = index.get(bt.points().get(i).id());
                    if (k == null) {
                        throw new IllegalStateException(bt.label() + ": point " + bt.points().get(i).id()
                            + " is not one of the run's points");
                    }
                    idx[b][i] = k;
                }
            }
            RoundPlan plan = RoundPlan.of(batches);
            // global group index gg over (batch, group); first task of each group that has tasks
            int[] ggOffset = new int[nb + 1];
            for (int b = 0; b < nb; b++) {
                ggOffset[b + 1] = ggOffset[b] + plan.groups(b);
            }
            List<RoundPlan.Task> tasks = plan.tasks();
            long nTasks = tasks.size();
            List<Long> starts = new ArrayList<>();
            int prev = -1;
            for (int i = 0; i < tasks.size(); i++) {
                RoundPlan.Task t = tasks.get(i);
                int gg = ggOffset[t.batch()] + t.group();
                if (gg != prev) {
                    starts.add((long) i);
                    prev = gg;
                }
            }
            PointEstimate[][][] byGroup = new PointEstimate[nb][][];
            for (int b = 0; b < nb; b++) {
                byGroup[b] = new PointEstimate[plan.groups(b)][];
            }
            if (nTasks > 0) {
                Broadcast<RoundSpec> spec = jsc.broadcast(new RoundSpec(roles, idx, roots, pilot, labels));
                int slots = Math.max(1, jsc.defaultParallelism());
                int parts = (int) Math.max(1, Math.min(nTasks, partitions != null ? partitions
                    : (long) SolveJob.DEFAULT_PARTITIONS_PER_SLOT * slots));
                int reduceParts = Math.max(1, Math.min(starts.size(), parts));
                long[] st = new long[starts.size()];
                for (int i = 0; i < st.length; i++) {
                    st[i] = starts.get(i);
                }
                List<Integer> slices = new ArrayList<>(parts);
                for (int p = 0; p < parts; p++) {
                    slices.add(p);
                }
                final Broadcast<RunDescription> bRun = run;
                final Broadcast<QueryPoint[]> bPts = points;
                final LongAccumulator done = unitsDone;
                final LongAccumulator paths = pathsDone;
                // cost-ranged slices, decreasing shares (the smallest tasks last: CostRangePartitioner)
                final long[] sliceStart = sliceStarts(plan, parts);
                final int[] fOffset = ggOffset;
                unitsDone.reset();
                pathsDone.reset();
                ProgressReporter rep = null;
                if (progress != null) {
                    rep = new ProgressReporter(unitsDone, pathsDone, nTasks, progress);
                    jsc.sc().addSparkListener(rep);
                }
                List<Tuple2<Integer, PointEstimate[]>> got;
                try {
                    got = jsc.parallelize(slices, parts)
                        .mapPartitionsToPair(it -> runSlice(it, sliceStart, spec, bRun, bPts, done, paths))
                        .repartitionAndSortWithinPartitions(new TaskGroupPartitioner(st, reduceParts))
                        .mapPartitions(it -> new RoundFinisher(it, planFor(spec, bRun, bPts), bRun.value(), fOffset))
                        .collect();
                } finally {
                    if (rep != null) {
                        rep.close();
                        jsc.sc().removeSparkListener(rep);
                    }
                }
                for (Tuple2<Integer, PointEstimate[]> t : got) {
                    int gg = t._1();
                    int b = batchOf(ggOffset, gg);
                    byGroup[b][gg - ggOffset[b]] = t._2();
                }
                spec.destroy();
            }
            // groups without work units (method surrogate): reduced here, as LocalRunner does
            for (int b = 0; b < nb; b++) {
                PicardEstimator est = batches.get(b).est();
                for (int g = 0; g < plan.groups(b); g++) {
                    if (byGroup[b][g] == null && est.units().isEmpty()) {
                        byGroup[b][g] = PointReduction.reduce(est, plan.group(b, g), new TermPartial[0][]);
                    }
                }
            }
            return plan.assemble(byGroup);
        }
    }

    static int batchOf(int[] ggOffset, int gg) {
        int b = Arrays.binarySearch(ggOffset, gg);
        if (b >= 0) {
            // gg is the first group of batch b (skip empty batches that share the offset)
            while (b + 1 < ggOffset.length && ggOffset[b + 1] == gg) {
                b++;
            }
            return b;
        }
        return -b - 2;
    }

    /**
     * The first task of each of {@code parts} slices, then the task count: contiguous task ranges whose estimated
     * cost (the work plan's unit cost times the group's points) decreases linearly with the slice index, as
     * {@link CostRangePartitioner} cuts the plain run's stage; the benchmark property
     * {@code scasml.bench.planSplit=equal} gives equal task counts instead.
     */
    static long[] sliceStarts(RoundPlan plan, int parts) {
        List<RoundPlan.Task> tasks = plan.tasks();
        int n = tasks.size();
        long[] cuts;
        if ("equal".equals(System.getProperty(SolveJob.PLAN_SPLIT_PROPERTY))) {
            cuts = CostRangePartitioner.decreasingCuts(n, i -> 0, parts);
        } else {
            double[] prefix = new double[n + 1];
            for (int i = 0; i < n; i++) {
                RoundPlan.Task t = tasks.get(i);
                prefix[i + 1] = prefix[i] + plan.batches().get(t.batch()).est().plan().unitCost(t.unit())
                    * plan.group(t.batch(), t.group()).length;
            }
            cuts = CostRangePartitioner.decreasingCuts(n, i -> prefix[(int) i], parts);
        }
        long[] st = new long[parts + 1];
        System.arraycopy(cuts, 0, st, 1, cuts.length);
        st[parts] = n;
        return st;
    }

    /** Runs the tasks of one slice: task indices [start[p], start[p + 1]), lazily, one unit in memory at a time. */
    static Iterator<Tuple2<Long, UnitResult>> runSlice(Iterator<Integer> it, long[] start,
                                                      Broadcast<RoundSpec> spec, Broadcast<RunDescription> run,
                                                      Broadcast<QueryPoint[]> pts, LongAccumulator done,
                                                      LongAccumulator paths) {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        int p = it.next();
        RunDescription rd = run.value();
        rd.faults().maybeFail();
        RoundPlan plan = planFor(spec, run, pts);
        RoundSpec sp = spec.value();
        long from = start[p];
        long to = start[p + 1];
        return new Iterator<Tuple2<Long, UnitResult>>() {
            long i = from;

            @Override
            public boolean hasNext() {
                return i < to;
            }

            @Override
            public Tuple2<Long, UnitResult> next() {
                if (i >= to) {
                    throw new NoSuchElementException();
                }
                long k = i++;
                RoundPlan.Task t = plan.tasks().get((int) k);
                TermPartial[] tp = plan.run(t, rd.estimator(sp.roles[t.batch()]));
                long np = 0;
                for (TermPartial x : tp) {
                    np += x.count(TermPartial.PATHS);
                }
                done.add(1);
                paths.add(np);
                return new Tuple2<>(k, new UnitResult(null, tp));
            }
        };
    }

    /** Sends whole groups (task-index ranges starting at {@code starts}) to contiguous reduce partitions. */
    static final class TaskGroupPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final long[] starts;
        private final int parts;

        TaskGroupPartitioner(long[] starts, int parts) {
            this.starts = starts;
            this.parts = Math.max(1, parts);
        }

        int group(long task) {
            int i = Arrays.binarySearch(starts, task);
            return i >= 0 ? i : -i - 2;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            long g = group((Long) key);
            return (int) Math.min(parts - 1, Math.max(0, g * parts / Math.max(1, starts.length)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaskGroupPartitioner p && p.parts == parts && Arrays.equals(p.starts, starts);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(starts) * 31 + parts;
        }
    }

    /** Streams task-index-sorted unit results into the estimates of each (batch, group), units in order. */
    static final class RoundFinisher implements Iterator<Tuple2<Integer, PointEstimate[]>> {
        private final Iterator<Tuple2<Long, UnitResult>> in;
        private final RoundPlan plan;
        private final RunDescription rd;
        private final int[] ggOffset;
        private Tuple2<Long, UnitResult> head;

        RoundFinisher(Iterator<Tuple2<Long, UnitResult>> in, RoundPlan plan, RunDescription rd, int[] ggOffset) {
            this.in = in;
            this.plan = plan;
            this.rd = rd;
            this.ggOffset = ggOffset;
            this.head = in.hasNext() ? in.next() : null;
        }

        @Override
        public boolean hasNext() {
            return head != null;
        }

        @Override
        public Tuple2<Integer, PointEstimate[]> next() {
            if (head == null) {
                throw new NoSuchElementException();
            }
            RoundPlan.Task first = plan.tasks().get((int) (long) head._1());
            int b = first.batch();
            int g = first.group();
            PicardEstimator est = rd.estimator(plan.batches().get(b).role());
            PointReduction red = new PointReduction(est, plan.group(b, g));
            while (head != null) {
                RoundPlan.Task t = plan.tasks().get((int) (long) head._1());
                if (t.batch() != b || t.group() != g) {
                    break;
                }
                red.accept(t.unit(), head._2().partials);
                head = in.hasNext() ? in.next() : null;
            }
            int nu = est.units().size();
            if (red.accepted() != nu) {
                throw new IllegalStateException(plan.batches().get(b).label() + ", group " + g + ": got "
                    + red.accepted() + " of " + nu + " work units");
            }
            return new Tuple2<>(ggOffset[b] + g, red.finish());
        }
    }
}
