package io.scasml.spark.cli;

import io.scasml.io.InputException;
import io.scasml.io.Messages;
import io.scasml.io.Redaction;
import io.scasml.spark.job.UserError;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The error contract every {@code scasml} command tree keeps (the {@code scasml} entry point of the cli module, and
 * the solve-only tree the tests of this module drive). Exit codes: 0 success; 2 bad input of any kind (options, run
 * file, points, spec, surrogate, paths, an output that may not be written); 3 completed, but some points are not
 * finite (column {@code status}); 1 internal error. Failures always end with one line on stderr, redacted, never a
 * stack trace (those go to the run's log file, which the line names).
 */
public final class CliContract {

    /** Exit code for bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an internal error (a bug or an environment failure, not the input). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a completed run in which some points are not finite (column status; see README). */
    public static final int EXIT_NONFINITE = 3;

    private CliContract() {
    }

    /**
     * Runs {@code cl} with the contract's handlers (parameter errors and failures as one line, exit 2 or 1) and
     * returns the exit code. The last occurrence of an option wins (wrappers may append overrides).
     */
    public static int execute(CommandLine cl, PrintStream out, PrintStream err, String... args) {
        cl.setOverwrittenOptionsAllowed(true); // the last occurrence wins: wrappers may append overrides
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("scasml: " + Messages.oneLine(Redaction.text(ex.getMessage()))
                + " (see: scasml " + ex.getCommandLine().getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            Throwable cause = ex;
            java.nio.file.Path log = null;
            if (ex instanceof CommandFailure f) {
                cause = f.getCause();
                log = f.log();
            }
            boolean trace = Boolean.getBoolean("scasml.stacktrace") || System.getenv("SCASML_STACKTRACE") != null;
            String where = log == null ? "" : " (log: " + log + ")";
            String input = inputMessage(cause);
            if (input != null) {
                c.getErr().println("scasml: " + input + where);
            } else {
                c.getErr().println("scasml: internal error: " + Messages.oneLine(Redaction.text(rootMessage(cause)))
                    + (log != null ? " (details: " + log + ")"
                        : trace ? "" : " (set SCASML_STACKTRACE=1 for the stack trace)"));
            }
            if (trace) {
                cause.printStackTrace(c.getErr());
            }
            return input != null ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /**
     * The one line for refused input (exit 2), or null when {@code t} is not about the input: {@link UserError},
     * {@link InputException}, a PDE spec or surrogate refused, or one of these raised on an executor (Spark wraps it
     * in its own exception with the original text). Redacted, one line.
     */
    public static String inputMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserError || c instanceof InputException
                || c instanceof io.scasml.pde.SpecException
                || c instanceof io.scasml.surrogate.SurrogateFormatException) {
                String m = c.getMessage();
                if (c instanceof io.scasml.surrogate.SurrogateFormatException && m != null
                    && !m.startsWith("surrogate")) {
                    m = "surrogate: " + m;
                }
                return Messages.oneLine(Redaction.text(m));
            }
        }
        UserError remote = userError(t);
        return remote == null ? null : Messages.oneLine(Redaction.text(remote.getMessage()));
    }

    static UserError userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserError u) {
                return u;
            }
            // Executors wrap it in SparkException with the message text only.
            String m = c.getMessage();
            for (String cls : new String[] {UserError.class.getName(), InputException.class.getName(),
                io.scasml.pde.SpecException.class.getName(),
                io.scasml.surrogate.SurrogateFormatException.class.getName()}) {
                if (m != null && m.contains(cls + ": ")) {
                    return new UserError(oneLine(m.substring(m.indexOf(cls + ": ") + cls.length() + 2)));
                }
            }
        }
        return null;
    }

    static String rootMessage(Throwable t) {
        Throwable c = io.scasml.io.Messages.rootCause(t);
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String oneLine(String m) {
        return m == null ? "" : io.scasml.io.Messages.oneLine(m);
    }

    /** {@code --version}: the project version (for every command tree's root). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scasml " + io.scasml.spark.job.Provenance.version()};
        }
    }
}
