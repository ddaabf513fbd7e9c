package io.scasml.pde;

import io.scasml.kernels.pde.Pde;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scasml check-pde FILE|NAME [--dim D]}: compiles a spec, evaluates it on random domain points and, when it has
 * an exact solution, checks by finite differences that the solution satisfies the PDE and the terminal condition.
 * Exit code 0 when every check passes, 1 when a check fails, 2 when the spec (or an option) is refused, 3 when g, F or
 * the exact solution is not finite at a checked point (the line starting {@code FAIL: not finite:} names the first).
 * The spec limits can be raised with the options of {@link SpecLimitOptions}.
 */
@Command(name = "check-pde", mixinStandardHelpOptions = true,
    description = "Compile a PDE spec (file or catalog name) and check it on random points of its domain.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every check passed", "1:a check failed (residual, terminal condition, reference)",
        "2:the spec or an option was refused", "3:g, F or the exact solution is not finite at a checked point"})
public final class CheckPdeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|NAME", description = "A spec file (YAML/JSON) or a catalog name (see 'pdes').")
    String pde;

    @Option(names = "--dim", paramLabel = "D", description = "Dimension (for specs whose dimension is a parameter).")
    Integer dim;

    @Option(names = "--points", paramLabel = "N", defaultValue = "32", description = "Random points to check (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    SpecLimitOptions limitOptions = new SpecLimitOptions();

    @Spec
    CommandSpec spec;

    /** Most points {@code --points} accepts. */
    static final int MAX_POINTS = 100_000;

    public CheckPdeCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        Pde p;
        if (points < 1 || points > MAX_POINTS) {
            err.println("check-pde: --points " + points + " must be in [1, " + MAX_POINTS + "]");
            err.flush();
            return PdeChecker.EXIT_REFUSED;
        }
        try {
            p = PdeCatalog.resolve(pde, dim, limitOptions.limits());
        } catch (IllegalArgumentException e) { // SpecException, or a limit option out of range
            err.println("check-pde: " + io.scasml.io.Messages.oneLine(e));
            err.flush();
            return PdeChecker.EXIT_REFUSED;
        }
        PdeChecker.Report r = PdeChecker.check(p, seed, points);
        out.print(r.summary());
        out.flush();
        return r.exitCode();
    }
}
