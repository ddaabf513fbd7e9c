package io.scasml.cli;

import picocli.CommandLine.Command;

/** {@code scasml bench}: benchmarks and studies (each writes its figures, command and machine). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: kernel (surrogate residual pass), paper (reference protocol), table (the published"
        + " 20-row table over seeds), scaling (inference-time scaling), estimators (estimator variants), inference"
        + " (guarded and adaptive scaling), spark (the Spark job against the engine called directly), precision"
        + " (FP32 vs FP64 surrogate kernels, per point in units of the standard error).",
    subcommands = {io.scasml.surrogate.BenchKernelCommand.class, io.scasml.reports.PaperBenchCommand.class,
        io.scasml.reports.TableBenchCommand.class,
        io.scasml.reports.ScalingBenchCommand.class, io.scasml.reports.EstimatorsBenchCommand.class,
        io.scasml.reports.InferenceBenchCommand.class, io.scasml.reports.PrecisionBenchCommand.class,
        BenchSparkCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
