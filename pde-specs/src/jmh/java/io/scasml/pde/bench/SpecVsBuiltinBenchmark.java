package io.scasml.pde.bench;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.pde.PdeCatalog;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A compiled catalog spec against the hand-written {@link BuiltinPdes} equation (the baseline) for the same F and g,
 * on one batch of {@code n} points of dimension {@code d}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpecVsBuiltinBenchmark {

    @Param({"vb", "dr", "lqg", "hjb"})
    public String pde;

    @Param({"builtin", "spec"})
    public String impl;

    @Param({"100"})
    public int d;

    @Param({"4096"})
    public int n;

    private Pde p;
    private double[] t;
    private double[] x;
    private double[] u;
    private double[] z;
    private double[] out;

    @Setup
    public void setup() {
        p = impl.equals("builtin") ? BuiltinPdes.byName(pde, d) : PdeCatalog.resolve(pde, d);
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(42));
        t = new double[n];
        u = new double[n];
        x = new double[n * d];
        z = new double[n * d];
        out = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = p.horizon() * rng.nextDouble();
            u[i] = rng.nextDouble();
        }
        for (int k = 0; k < n * d; k++) {
            x[k] = (2 * rng.nextDouble() - 1) / Math.sqrt(d);
            z[k] = 2 * rng.nextDouble() - 1;
        }
    }

    @Benchmark
    public double[] generator() {
        p.generator(n, t, x, u, z, out);
        return out;
    }

    @Benchmark
    public double[] terminal() {
        p.terminal(n, x, out);
        return out;
    }
}
