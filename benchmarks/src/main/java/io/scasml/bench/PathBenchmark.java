package io.scasml.bench;

import io.scasml.kernels.random.StreamKeys;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Path generation: keyed stream creation (L64X128Mix + ziggurat) per block, then a block of Brownian increments
 * ξ ∈ R^d for {@code block} samples; reported per normal deviate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathBenchmark {
    @Param({"10", "100", "1000"})
    public int block;

    public static final int D = 100;
    private long key = 12345;
    private final double[] buf = new double[1000 * D];

    @Benchmark
    @OperationsPerInvocation(1)
    public double normalsPerBlock() {
        key = StreamKeys.child(key, 1);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(StreamKeys.stream(key));
        int n = block * D;
        for (int i = 0; i < n; i++) {
            buf[i] = g.sample();
        }
        return buf[n - 1];
    }
}
