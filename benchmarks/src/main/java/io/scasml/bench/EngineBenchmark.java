package io.scasml.bench;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.TermPartial;
import io.scasml.kernels.picard.UnitKey;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The estimator per query point, single thread: all work units of one group of 64 points, divided by 64.
 * VB (pure-Java F and g); SCaSML uses the analytic VB surrogate (so this measures the engine, not ND4J).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class EngineBenchmark {
    @Param({"20", "100"})
    public int dim;

    @Param({"2", "3"})
    public int levels;

    @Param({"mlp", "scasml"})
    public String method;

    private PicardEstimator est;
    private QueryPoint[] group;
    private List<UnitKey> units;

    @Setup(Level.Trial)
    public void setup() {
        Pde pde = BuiltinPdes.vb(dim);
        RunOptions o = RunOptions.builder().method(Method.parse(method)).levels(levels).base(10).seed(1).build();
        est = PicardEstimator.create(pde, AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(dim), 0.05, 1), o);
        group = PointSampler.sample(pde.domain(), dim, 64, 3).toArray(new QueryPoint[0]);
        units = est.units();
    }

    /** Time for all units of 64 points; divide by 64 for the time per point. */
    @Benchmark
    public void group64(Blackhole bh) {
        for (UnitKey u : units) {
            TermPartial[] p = est.run(group, u);
            bh.consume(p);
        }
    }
}
