package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Shared pieces of the kernel benchmarks ({@link BenchKernelCommand} and the JMH benchmark): a random tanh network,
 * a batch, the FLOP count of the residual pass, and a same-shape ND4J GEMM for comparison.
 */
public final class KernelBench {

    private KernelBench() {
    }

    /** A tanh network d+1 → width×depth → 1 with seeded Glorot-uniform weights. */
    public static MlpModel randomMlp(int d, int width, int depth, long seed) {
        int[] w = new int[depth + 2];
        w[0] = d + 1;
        Arrays.fill(w, 1, depth + 1, width);
        w[depth + 1] = 1;
        SplittableRandom r = new SplittableRandom(seed);
        double[][] ws = new double[depth + 1][];
        double[][] bs = new double[depth + 1][];
        String[] names = new String[depth + 1];
        for (int l = 0; l <= depth; l++) {
            double lim = Math.sqrt(6.0 / (w[l] + w[l + 1]));
            ws[l] = new double[w[l] * w[l + 1]];
            for (int i = 0; i < ws[l].length; i++) {
                ws[l][i] = lim * (2 * r.nextDouble() - 1);
            }
            bs[l] = new double[w[l + 1]];
            names[l] = "linears." + l;
        }
        return MlpModel.of(d, Activation.TANH, w, ws, bs, names, "x,t", "in_out", false, false,
                "bench d=" + d + " width=" + width + " depth=" + depth);
    }

    /** Uniform points in [−0.5, 0.5]^d × [0, 0.5]: {t, x}. */
    public static double[][] batch(int d, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = 0.5 * r.nextDouble();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() - 0.5;
        }
        return new double[][]{t, x};
    }

    /**
     * Floating-point operations of one residual pass per point, as implemented: GEMMs 2·m·k·n (first layer on the
     * (d+1) inputs, later layers and the output on (d+3)-row blocks) plus the fused element-wise work (tangent scaling
     * and the sum of squares: 3 per spatial tangent element, 1 per time-tangent element, 3 for the second-order row);
     * activation evaluations are not counted.
     */
    public static double residualFlopsPerPoint(MlpModel m) {
        int d = m.dim();
        int layers = m.layerCount();
        double f = 2.0 * (d + 1) * m.width(1) + (double) (d + 3) * m.width(1);
        for (int l = 2; l < layers; l++) {
            f += 2.0 * (d + 3) * m.width(l - 1) * m.width(l);
            f += (3.0 * d + 4) * m.width(l);
        }
        f += 2.0 * (d + 3) * m.width(layers - 1);
        return f;
    }

    /**
     * The OpenBLAS library ND4J runs on: the file JavaCPP loaded for {@code openblas_nolapack} (its cache path names
     * the presets jar, e.g. {@code openblas-0.3.31-1.5.13-linux-x86_64.jar}), or "unknown" before ND4J is loaded.
     */
    public static String blasLibrary() {
        Nd4j.create(DataType.DOUBLE, 1, 1);
        for (java.util.Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("openblas") && !e.getKey().contains("jni") && e.getValue() != null) {
                return e.getValue();
            }
        }
        return "unknown";
    }

    /** Result of {@link #run}. */
    public record Result(int dim, int width, int depth, int batch, Precision precision, double residualEvalsPerSec,
                         double gflops, double gemmGflops, double secondsPerPass, int chunkRows, String blas,
                         int threads) {
        /** The JSON object printed by {@code bench kernel --json}. */
        public String toJson() {
            return String.format(java.util.Locale.ROOT, "{\"dim\": %d, \"width\": %d, \"depth\": %d, \"batch\": %d, "
                            + "\"precision\": \"%s\", \"residual_evals_per_s\": %.6g, \"gflops\": %.6g, "
                            + "\"gemm_gflops\": %.6g, \"seconds_per_pass\": %.6g, \"chunk_rows\": %d, "
                            + "\"fraction_of_gemm\": %.4f, \"threads\": %d, \"blas\": \"%s\"}",
                    dim, width, depth, batch, precision.name().toLowerCase(java.util.Locale.ROOT), residualEvalsPerSec,
                    gflops, gemmGflops, secondsPerPass, chunkRows, gflops / gemmGflops, threads,
                    blas.replace("\\", "\\\\").replace("\"", "\\\""));
        }
    }

    /**
     * Times the residual pass (after one warm-up pass) until {@code seconds} have elapsed (at least 2 passes), then
     * a same-run GEMM of the dominant shape: (chunk·(d+3) × width)·(width × width).
     */
    public static Result run(int d, int width, int depth, int batch, Precision p, double seconds) {
        return run(d, width, depth, batch, p, seconds, EvalOptions.DEFAULT.scratchBytes());
    }

    /** {@link #run(int, int, int, int, Precision, double)} with another tangent-buffer budget (row chunk size). */
    public static Result run(int d, int width, int depth, int batch, Precision p, double seconds, long scratchBytes) {
        return run(d, width, depth, batch, p, seconds, scratchBytes, 1);
    }

    /**
     * {@link #run(int, int, int, int, Precision, double, long)} on {@code threads} Java threads: the batch split into
     * that many equal shares, each thread running the residual pass on its share with one BLAS thread (how the job
     * uses the cores: one ND4J thread per task slot), timed as the wall clock of all shares together. With
     * {@code threads = 1} the pass runs on the calling thread with ND4J's BLAS threads ({@code OMP_NUM_THREADS}). The
     * same-run GEMM always runs on the calling thread with ND4J's BLAS threads, restored after the pass.
     */
    public static Result run(int d, int width, int depth, int batch, Precision p, double seconds, long scratchBytes,
                             int threads) {
        if (threads < 1 || threads > batch) {
            throw new IllegalArgumentException("threads must be in [1, batch = " + batch + "], got " + threads);
        }
        MlpModel m = randomMlp(d, width, depth, 20240611L);
        int share = (batch + threads - 1) / threads;
        MlpEvaluator s = (MlpEvaluator) m.materialize(EvalOptions.of(p).withMaxBatchRows(Math.max(share, 1))
                .withScratchBytes(scratchBytes));
        double sec;
        if (threads == 1) {
            sec = timePass(s, d, batch, seconds);
        } else {
            org.nd4j.linalg.api.blas.Blas blas = Nd4j.factory().blas();
            int blasThreads = blas.getMaxThreads();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                blas.setMaxThreads(1);
                sec = timeParallelPass(s, d, batch, threads, seconds, pool);
            } finally {
                blas.setMaxThreads(blasThreads);
                pool.shutdownNow();
            }
        }
        double flops = residualFlopsPerPoint(m) * batch;
        int rows = s.residualChunkRows();
        double gemm = gemmGflops(p, (long) rows * (d + 3), width, width, seconds);
        return new Result(d, width, depth, batch, p, batch / sec, flops / sec / 1e9, gemm, sec, rows, blasLibrary(),
                threads);
    }

    /** Seconds per pass over the whole batch on the calling thread (after one warm-up pass, at least 2 passes). */
    private static double timePass(MlpEvaluator s, int d, int batch, double seconds) {
        double[][] tx = batch(d, batch, 7);
        double[] u = new double[batch];
        double[] dt = new double[batch];
        double[] g = new double[batch * d];
        double[] lap = new double[batch];
        s.residualTerms(batch, tx[0], tx[1], u, dt, g, lap);
        int passes = 0;
        long t0 = System.nanoTime();
        long el;
        do {
            s.residualTerms(batch, tx[0], tx[1], u, dt, g, lap);
            passes++;
            el = System.nanoTime() - t0;
        } while (passes < 2 || el < seconds * 1e9);
        return el / 1e9 / passes;
    }

    /** Seconds per pass with the batch's shares on {@code threads} pool threads at once (each share its own arrays). */
    private static double timeParallelPass(MlpEvaluator s, int d, int batch, int threads, double seconds,
                                           java.util.concurrent.ExecutorService pool) {
        double[][] tx = batch(d, batch, 7);
        java.util.List<java.util.concurrent.Callable<Void>> jobs = new java.util.ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int lo = (int) ((long) batch * k / threads);
            int n = (int) ((long) batch * (k + 1) / threads) - lo;
            double[] t = Arrays.copyOfRange(tx[0], lo, lo + n);
            double[] x = Arrays.copyOfRange(tx[1], lo * d, (lo + n) * d);
            double[] u = new double[n];
            double[] dt = new double[n];
            double[] g = new double[n * d];
            double[] lap = new double[n];
            jobs.add(() -> {
                s.residualTerms(n, t, x, u, dt, g, lap);
                return null;
            });
        }
        runAll(pool, jobs);
        int passes = 0;
        long t0 = System.nanoTime();
        long el;
        do {
            runAll(pool, jobs);
            passes++;
            el = System.nanoTime() - t0;
        } while (passes < 2 || el < seconds * 1e9);
        return el / 1e9 / passes;
    }

    private static void runAll(java.util.concurrent.ExecutorService pool,
                               java.util.List<java.util.concurrent.Callable<Void>> jobs) {
        try {
            for (java.util.concurrent.Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** GFLOP/s of Nd4j.gemm (m × k)·(k × n) into a preallocated output, timed for about {@code seconds}. */
    public static double gemmGflops(Precision p, long mRows, int k, int n, double seconds) {
        DataType t = p == Precision.FP32 ? DataType.FLOAT : DataType.DOUBLE;
        INDArray a = Nd4j.rand(t, mRows, k);
        INDArray b = Nd4j.rand(t, k, n);
        INDArray c = Nd4j.create(t, mRows, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        int reps = 0;
        long t0 = System.nanoTime();
        long el;
        do {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            reps++;
            el = System.nanoTime() - t0;
        } while (reps < 3 || el < seconds * 1e9);
        return 2.0 * mRows * k * n * reps / (el / 1e9) / 1e9;
    }

    /** Runs one residual pass (for JMH): returns a value that depends on the outputs. */
    public static double residualOnce(Surrogate s, int n, double[] t, double[] x, double[] u, double[] dt, double[] g,
                                      double[] lap) {
        s.residualTerms(n, t, x, u, dt, g, lap);
        return u[0] + lap[n - 1];
    }
}
