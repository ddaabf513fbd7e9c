package io.scasml.surrogate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code bench kernel --dim D --width W --depth L --batch B [--precision fp64|fp32] [--seconds S] [--threads N] [--json]}: residual
 * evaluations/s and GFLOP/s of the MLP residual pass next to the same-run ND4J GEMM GFLOP/s. A quick check outside
 * JMH; the application's CLI registers it as the {@code kernel} subcommand of {@code bench}.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Benchmark the MLP residual pass (value, dt, gradient, Laplacian) against same-run ND4J GEMM.")
public class BenchKernelCommand implements Callable<Integer> {

    @Option(names = "--dim", required = true, description = "spatial dimension d")
    int dim;

    @Option(names = "--width", defaultValue = "50", description = "hidden width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--depth", defaultValue = "5", description = "number of hidden layers (default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--batch", defaultValue = "4096", description = "points per pass (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--precision", defaultValue = "fp64", description = "fp64 or fp32 (default ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--seconds", defaultValue = "2", description = "timing budget per measurement (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--scratch-mib",
            description = "tangent-buffer budget in MiB, which sets the row chunk (default: EvalOptions.DEFAULT's)")
    Double scratchMib;

    @Option(names = "--threads", defaultValue = "1",
            description = "Java threads sharing the batch, one BLAS thread each, as the job runs one task per core "
                    + "(default ${DEFAULT-VALUE}: the calling thread with OMP_NUM_THREADS BLAS threads)")
    int threads;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    /** For picocli. */
    public BenchKernelCommand() {
    }

    @Override
    public Integer call() {
        if (dim < 1 || width < 1 || depth < 1 || batch < 1 || !(seconds > 0) || (scratchMib != null && !(scratchMib > 0))) {
            System.err.println("bench kernel: --dim, --width, --depth, --batch must be >= 1, --seconds and "
                    + "--scratch-mib > 0");
            return 2;
        }
        if (threads < 1 || threads > batch) {
            System.err.println("bench kernel: --threads must be between 1 and --batch (" + batch + "), got " + threads);
            return 2;
        }
        Precision p;
        switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "fp64" -> p = Precision.FP64;
            case "fp32" -> p = Precision.FP32;
            default -> {
                System.err.println("bench kernel: --precision must be fp64 or fp32, got '" + precision + "'");
                return 2;
            }
        }
        KernelBench.Result r = KernelBench.run(dim, width, depth, batch, p, seconds,
                scratchMib == null ? EvalOptions.DEFAULT.scratchBytes() : Math.max(1L, (long) (scratchMib * (1 << 20))),
                threads);
        if (json) {
            System.out.println(r.toJson());
        } else {
            System.out.printf(java.util.Locale.ROOT, "residual pass d=%d width=%d depth=%d batch=%d %s: %.4g evals/s, "
                            + "%.3g GFLOP/s (%.0f%% of same-run GEMM %.3g GFLOP/s), %.4g s/pass, chunk %d rows, %d thread(s); BLAS %s%n",
                    dim, width, depth, batch, p, r.residualEvalsPerSec(), r.gflops(),
                    100 * r.gflops() / r.gemmGflops(), r.gemmGflops(), r.secondsPerPass(), r.chunkRows(), r.threads(),
                    r.blas());
        }
        return 0;
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchKernelCommand()).execute(args));
    }
}
