package io.scasml.spark.cli;

import io.scasml.spark.job.UserError;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code scasml}: the one entry point. Exit codes: 0 success, 1 failure while running, 2 bad input (usage, run file,
 * points, paths) — always with a one-line message on stderr.
 */
@Command(name = "scasml", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Debiased PDE point values with multilevel Picard / SCaSML on Apache Spark.",
    subcommands = {SolveCommand.class, io.scasml.surrogate.InspectCommand.class, io.scasml.pde.PdesCommand.class,
        io.scasml.pde.CheckPdeCommand.class, io.scasml.trainer.TrainCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = commandLine();
        cl.setOverwrittenOptionsAllowed(true); // the last occurrence wins: wrappers may append overrides
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("scasml: " + ex.getMessage()
                + " (see: scasml " + ex.getCommandLine().getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            UserError ue = userError(ex);
            boolean trace = Boolean.getBoolean("scasml.stacktrace") || System.getenv("SCASML_STACKTRACE") != null;
            if (ue != null) {
                c.getErr().println("scasml: " + oneLine(ue.getMessage()));
                if (trace) {
                    ex.printStackTrace(c.getErr());
                }
                return EXIT_USAGE;
            }
            c.getErr().println("scasml: failed: " + oneLine(rootMessage(ex))
                + (trace ? "" : " (set SCASML_STACKTRACE=1 for the stack trace)"));
            if (trace) {
                ex.printStackTrace(c.getErr());
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /** The command tree; other modules' commands are added to {@code subcommands} above. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static UserError userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserError u) {
                return u;
            }
            // Executors wrap it in SparkException with the message text only.
            String m = c.getMessage();
            if (m != null && m.contains(UserError.class.getName() + ": ")) {
                String rest = m.substring(m.indexOf(UserError.class.getName() + ": ")
                    + UserError.class.getName().length() + 2);
                return new UserError(oneLine(rest));
            }
        }
        return null;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String oneLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }

    /** The project version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scasml " + io.scasml.spark.job.Provenance.version()};
        }
    }
}
