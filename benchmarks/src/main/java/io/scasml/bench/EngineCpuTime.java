package io.scasml.bench;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.UnitKey;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The workload of {@link EngineBenchmark#group64} timed in thread CPU time instead of wall time, for comparisons
 * on a machine that other processes share (wall time then measures the scheduler). Usage:
 * {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) io.scasml.bench.EngineCpuTime
 * DIM LEVELS METHOD REPS}; prints the median and minimum CPU milliseconds per group of 64 points after 4 s of
 * warm-up.
 */
public final class EngineCpuTime {
    private EngineCpuTime() {
    }

    public static void main(String[] a) {
        int dim = Integer.parseInt(a[0]);
        int levels = Integer.parseInt(a[1]);
        String method = a[2];
        int reps = Integer.parseInt(a[3]);
        Pde pde = BuiltinPdes.vb(dim);
        RunOptions o = RunOptions.builder().method(Method.parse(method)).levels(levels).base(10).seed(1).build();
        PicardEstimator est = PicardEstimator.create(pde,
            AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(dim), 0.05, 1), o);
        QueryPoint[] group = PointSampler.sample(pde.domain(), dim, 64, 3).toArray(new QueryPoint[0]);
        List<UnitKey> units = est.units();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long end = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < end) {
            for (UnitKey u : units) {
                sink += est.run(group, u).length;
            }
        }
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (UnitKey u : units) {
                sink += est.run(group, u).length;
            }
            t[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%d %d %s cpu_ms median %.3f min %.3f (sink %d)%n", dim, levels, method,
            t[reps / 2], t[0], sink % 7);
    }
}
