package io.scasml.cli;

import io.scasml.spark.cli.CliContract;
import io.scasml.spark.cli.SolveCommand;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code scasml}: the one entry point, and the command list. Each command lives in the module that owns it (solve:
 * spark-jobs; inspect, bench kernel: surrogate-loader; pdes, check-pde: pde-specs; train: trainer; bench paper, table,
 * scaling, estimators: reports; bench spark: here). Exit codes and the one-line failure contract are spark-jobs'
 * {@link CliContract}: 0 success; 2 bad input of any kind; 3 completed, but some points are not finite; 1 internal
 * error. Failures always end with one line on stderr, redacted, never a stack trace (those go to the run's log file,
 * which the line names).
 */
@Command(name = "scasml", mixinStandardHelpOptions = true, versionProvider = CliContract.Version.class,
    description = "Debiased PDE point values with multilevel Picard / SCaSML on Apache Spark.",
    subcommands = {SolveCommand.class, io.scasml.surrogate.InspectCommand.class, io.scasml.pde.PdesCommand.class,
        io.scasml.pde.CheckPdeCommand.class, io.scasml.trainer.TrainCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input. */
    public static final int EXIT_USAGE = CliContract.EXIT_USAGE;
    /** Exit code for an internal error (a bug or an environment failure, not the input). */
    public static final int EXIT_FAILURE = CliContract.EXIT_FAILURE;
    /** Exit code of a completed run in which some points are not finite (column status; see README). */
    public static final int EXIT_NONFINITE = CliContract.EXIT_NONFINITE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = execute(System.out, System.err, args);
        if (code == 0 && inYarnClusterDriver()) {
            // YARN cluster mode: the ApplicationMaster runs this main in a thread and reports SUCCEEDED when it
            // returns; System.exit(0) would run its shutdown hook first and report FAILED (exit code 16).
            return;
        }
        System.exit(code);
    }

    /** True inside a YARN ApplicationMaster's driver (cluster deploy mode): the AM sets these system properties. */
    static boolean inYarnClusterDriver() {
        return "cluster".equals(System.getProperty("spark.submit.deployMode"))
            && System.getProperty("spark.yarn.app.id") != null
            && String.valueOf(System.getProperty("spark.master")).startsWith("yarn");
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return CliContract.execute(commandLine(), out, err, args);
    }

    /** The command tree. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
