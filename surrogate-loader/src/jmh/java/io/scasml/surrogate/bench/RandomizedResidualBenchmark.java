package io.scasml.surrogate.bench;

import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.RandomizedResidual;
import io.scasml.surrogate.EvalOptions;
import io.scasml.surrogate.KernelBench;
import io.scasml.surrogate.MlpModel;
import io.scasml.surrogate.Precision;
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

import java.util.concurrent.TimeUnit;

/**
 * The randomized residual pass (exact value, ∂t, ∇x; Hutchinson Δx with k probes) against the exact residual pass
 * (the baseline, {@code probes = 0}) of a depth-5 tanh network. Score: ms per batch; residual evaluations/s =
 * batch / score. Quick figures without JMH: {@code scripts/bench-hutchinson}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class RandomizedResidualBenchmark {

    @Param({"100", "1000", "10000"})
    public int dim;

    @Param({"0", "1", "4", "16"})
    public int probes;

    @Param({"FP64", "FP32"})
    public Precision precision;

    @Param({"50"})
    public int width;

    @Param({"5"})
    public int depth;

    @Param({"RADEMACHER"})
    public ProbeKind kind;

    private RandomizedResidual s;
    private int batch;
    private double[] t;
    private double[] x;
    private double[] u;
    private double[] dt;
    private double[] g;
    private double[] lap;
    private double[] var;
    private long[] keys;
    private long round;

    @Setup(Level.Trial)
    public void setUp() {
        batch = dim <= 100 ? 4096 : dim <= 1000 ? 1024 : 128;
        MlpModel m = KernelBench.randomMlp(dim, width, depth, 20240611L);
        s = (RandomizedResidual) m.materialize(EvalOptions.of(precision).withMaxBatchRows(batch));
        double[][] tx = KernelBench.batch(dim, batch, 7);
        t = tx[0];
        x = tx[1];
        u = new double[batch];
        dt = new double[batch];
        g = new double[batch * dim];
        lap = new double[batch];
        var = new double[batch];
        keys = new long[batch];
    }

    @Benchmark
    public double pass() {
        if (probes == 0) {
            s.residualTerms(batch, t, x, u, dt, g, lap);
        } else {
            long r = round++;
            for (int i = 0; i < batch; i++) {
                keys[i] = StreamKeys.pointKey(r, i);
            }
            s.residualTermsRandomized(batch, t, x, keys, probes, kind, u, dt, g, lap, var);
        }
        return u[0] + lap[batch - 1];
    }
}
