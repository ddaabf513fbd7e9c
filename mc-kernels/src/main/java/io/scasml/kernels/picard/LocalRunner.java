package io.scasml.kernels.picard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Runs an estimator in one JVM on a thread pool: the same work units and the same reduction
 * ({@link PointReduction}) as the Spark job, so the results are bit-identical to it and to each other for any
 * thread count.
 */
public final class LocalRunner {
    private LocalRunner() {
    }

    /** Runs with {@code threads} threads and no progress reporting. */
    public static List<PointEstimate> run(PicardEstimator est, List<QueryPoint> points, int threads) {
        return run(est, points, threads, false, null);
    }

    /**
     * Estimates every point.
     *
     * @param est      the estimator
     * @param points   validated query points
     * @param threads  worker threads (≥ 1)
     * @param shuffle  execute the units in a scrambled (but fixed) order — for reproducibility tests
     * @param progress called with the number of finished units after each unit (may be null)
     * @return estimates in input order
     */
    public static List<PointEstimate> run(PicardEstimator est, List<QueryPoint> points, int threads, boolean shuffle,
                                          LongConsumer progress) {
        return run(est, points, threads, shuffle, progress,
            io.scasml.kernels.random.StreamKeys.estimateRoot(est.options().seed(), 0));
    }

    /**
     * Estimates every point with the streams below an estimate root (see
     * {@link PicardEstimator#run(QueryPoint[], UnitKey, long)}); the other parameters as
     * {@link #run(PicardEstimator, List, int, boolean, LongConsumer)}.
     */
    public static List<PointEstimate> run(PicardEstimator est, List<QueryPoint> points, int threads, boolean shuffle,
                                          LongConsumer progress, long root) {
        for (QueryPoint p : points) {
            est.validate(p);
        }
        int g = est.options().pointsPerUnit();
        List<QueryPoint[]> groups = new ArrayList<>();
        for (int i = 0; i < points.size(); i += g) {
            groups.add(points.subList(i, Math.min(points.size(), i + g)).toArray(new QueryPoint[0]));
        }
        est.plan().checkPoints(points.size());
        List<UnitKey> units = est.units();
        int nu = units.size();
        TermPartial[][][] res = new TermPartial[groups.size()][nu][];
        List<int[]> tasks = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            for (int ui = 0; ui < nu; ui++) {
                tasks.add(new int[] {gi, ui});
            }
        }
        if (shuffle) {
            java.util.Collections.reverse(tasks);
            for (int i = 0; i + 2 < tasks.size(); i += 3) {
                java.util.Collections.swap(tasks, i, i + 2);
            }
        }
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        List<Runnable> jobs = new ArrayList<>(tasks.size());
        for (int[] tk : tasks) {
            jobs.add(() -> {
                res[tk[0]][tk[1]] = est.run(groups.get(tk[0]), units.get(tk[1]), root);
                long k = done.incrementAndGet();
                if (progress != null) {
                    progress.accept(k);
                }
            });
        }
        runAll(jobs, threads);
        List<PointEstimate> out = new ArrayList<>(points.size());
        if (points.isEmpty()) {
            return out;
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            for (PointEstimate pe : PointReduction.reduce(est, groups.get(gi), res[gi])) {
                out.add(pe);
            }
            res[gi] = null;
        }
        return out;
    }

    /**
     * A {@link RoundExecutor} on a thread pool: every task of the round's {@link RoundPlan} (all batches at once)
     * on one pool, then {@link PointReduction} per group in unit order — the shape of one Spark stage.
     *
     * @param threads worker threads
     * @param shuffle scrambled unit order (reproducibility tests)
     */
    public static RoundExecutor executor(int threads, boolean shuffle) {
        return batches -> runRound(RoundPlan.of(batches), threads, shuffle);
    }

    /** Every task of a round on one pool, then the reduction per (batch, group) in unit order. */
    private static List<List<PointEstimate>> runRound(RoundPlan plan, int threads, boolean shuffle) {
        List<RoundPlan.Task> tasks = new ArrayList<>(plan.tasks());
        int nb = plan.batches().size();
        TermPartial[][][][] res = new TermPartial[nb][][][];
        for (int b = 0; b < nb; b++) {
            res[b] = new TermPartial[plan.groups(b)][plan.batches().get(b).est().units().size()][];
        }
        if (shuffle) {
            java.util.Collections.reverse(tasks);
            for (int i = 0; i + 2 < tasks.size(); i += 3) {
                java.util.Collections.swap(tasks, i, i + 2);
            }
        }
        List<Runnable> jobs = new ArrayList<>(tasks.size());
        for (RoundPlan.Task t : tasks) {
            jobs.add(() -> res[t.batch()][t.group()][t.unit()] = plan.run(t, plan.batches().get(t.batch()).est()));
        }
        runAll(jobs, threads);
        PointEstimate[][][] byGroup = new PointEstimate[nb][][];
        for (int b = 0; b < nb; b++) {
            byGroup[b] = new PointEstimate[plan.groups(b)][];
            PicardEstimator est = plan.batches().get(b).est();
            for (int g = 0; g < plan.groups(b); g++) {
                byGroup[b][g] = PointReduction.reduce(est, plan.group(b, g), res[b][g]);
                res[b][g] = null;
            }
        }
        return plan.assemble(byGroup);
    }

    /**
     * The adaptive / guarded entry point: an {@link AdaptiveDriver} for the options (targets, caps, guard) run to
     * the end on a thread pool. Without a target and without the guard this is one round, whose estimates are
     * {@link #run(PicardEstimator, List, int)}'s bit for bit.
     */
    public static List<AdaptiveEstimate> solve(io.scasml.kernels.pde.Pde pde,
                                               io.scasml.kernels.surrogate.Surrogate surrogate, RunOptions opt,
                                               List<QueryPoint> points, int threads) {
        return solve(pde, surrogate, opt, points, threads, null);
    }

    /**
     * As {@link #solve(io.scasml.kernels.pde.Pde, io.scasml.kernels.surrogate.Surrogate, RunOptions, List, int)},
     * calling {@code listener} after every round (progress lines, checkpoints; may be null).
     */
    public static List<AdaptiveEstimate> solve(io.scasml.kernels.pde.Pde pde,
                                               io.scasml.kernels.surrogate.Surrogate surrogate, RunOptions opt,
                                               List<QueryPoint> points, int threads,
                                               AdaptiveDriver.RoundListener listener) {
        return AdaptiveDriver.create(pde, surrogate, opt, points).run(executor(threads, false), listener);
    }

    /** Runs {@code jobs} on a pool of {@code threads} daemon threads; the first failure is rethrown as it was. */
    private static void runAll(List<Runnable> jobs, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread th = new Thread(r, "scasml-local");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>(jobs.size());
            for (Runnable j : jobs) {
                fs.add(pool.submit(j));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
