package io.scasml.pde;

import io.scasml.kernels.pde.Pde;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scasml check-pde FILE|NAME [--dim D]}: compiles a spec, evaluates it on random domain points and, when it has
 * an exact solution, checks by finite differences that the solution satisfies the PDE and the terminal condition.
 * Exit code 0 when every check passes, 1 when a check fails, 2 when the spec is refused.
 */
@Command(name = "check-pde", mixinStandardHelpOptions = true,
    description = "Compile a PDE spec (file or catalog name) and check it on random points of its domain.")
public final class CheckPdeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|NAME", description = "A spec file (YAML/JSON) or a catalog name (see 'pdes').")
    String pde;

    @Option(names = "--dim", paramLabel = "D", description = "Dimension (for specs whose dimension is a parameter).")
    Integer dim;

    @Option(names = "--points", paramLabel = "N", defaultValue = "32", description = "Random points to check (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    public CheckPdeCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        Pde p;
        try {
            p = PdeCatalog.resolve(pde, dim);
        } catch (SpecException e) {
            err.println("check-pde: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (points < 1) {
            err.println("check-pde: --points " + points + " must be >= 1");
            err.flush();
            return 2;
        }
        PdeChecker.Report r = PdeChecker.check(p, seed, points);
        out.print(r.summary());
        out.flush();
        return r.pass() ? 0 : 1;
    }
}
