package io.scasml.surrogate.bench;

import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.EvalOptions;
import io.scasml.surrogate.KernelBench;
import io.scasml.surrogate.MlpModel;
import io.scasml.surrogate.Precision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * The MLP residual pass (value, ∂t, ∇x, Δx) of a depth-5 tanh network on a batch of 4096 points, next to the ND4J
 * GEMM of its dominant shape ((chunk·(d+3)) × w)·(w × w) in the same run. FLOPs per pass:
 * {@link KernelBench#residualFlopsPerPoint} × batch; GFLOP/s = FLOPs / (score in s/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class ResidualPassBenchmark {

    @Param({"20", "100", "1000"})
    public int dim;

    @Param({"50", "128"})
    public int width;

    @Param({"FP64", "FP32"})
    public Precision precision;

    @Param({"5"})
    public int depth;

    @Param({"4096"})
    public int batch;

    private Surrogate s;
    private double[] t;
    private double[] x;
    private double[] u;
    private double[] dt;
    private double[] g;
    private double[] lap;
    private INDArray ga;
    private INDArray gb;
    private INDArray gc;

    @Setup(Level.Trial)
    public void setUp() {
        MlpModel m = KernelBench.randomMlp(dim, width, depth, 20240611L);
        EvalOptions opt = EvalOptions.of(precision).withMaxBatchRows(batch);
        s = m.materialize(opt);
        double[][] tx = KernelBench.batch(dim, batch, 7);
        t = tx[0];
        x = tx[1];
        u = new double[batch];
        dt = new double[batch];
        g = new double[batch * dim];
        lap = new double[batch];
        int bytes = precision == Precision.FP32 ? 4 : 8;
        long rows = Math.max(1, Math.min(batch, opt.scratchBytes() / ((long) (dim + 3) * width * bytes)));
        DataType type = precision == Precision.FP32 ? DataType.FLOAT : DataType.DOUBLE;
        ga = Nd4j.rand(type, rows * (dim + 3), width);
        gb = Nd4j.rand(type, width, width);
        gc = Nd4j.create(type, rows * (dim + 3), width);
        System.out.printf("%n[flops] dim=%d width=%d %s residual pass GFLOP=%.6g gemm GFLOP=%.6g%n", dim, width,
                precision, KernelBench.residualFlopsPerPoint(m) * batch / 1e9, 2.0 * ga.rows() * width * width / 1e9);
    }

    @Benchmark
    public double residualPass() {
        return KernelBench.residualOnce(s, batch, t, x, u, dt, g, lap);
    }

    @Benchmark
    public INDArray gemmDominantShape() {
        return Nd4j.gemm(ga, gb, gc, false, false, 1.0, 0.0);
    }
}
