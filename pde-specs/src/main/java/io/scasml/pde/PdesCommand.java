package io.scasml.pde;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scasml pdes}: lists the catalog of built-in PDE specs. */
@Command(name = "pdes", mixinStandardHelpOptions = true,
    description = "List the built-in PDEs (spec files of examples/pdes/, usable by name wherever a PDE is expected).")
public final class PdesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public PdesCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        out.println(table());
        out.flush();
        return 0;
    }

    /** The listing, one PDE a line. */
    public static String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-20s %-8s %-6s %-5s %s%n", "NAME", "DIM", "EXACT", "REFS", "DESCRIPTION"));
        for (PdeCatalog.Entry e : PdeCatalog.list()) {
            s.append(String.format(Locale.ROOT, "%-20s %-8s %-6s %-5d %s%n", e.name(),
                e.defaultDim() + (e.dimIsParameter() ? "*" : ""), e.hasExact() ? "yes" : "no", e.references(), e.description()));
        }
        s.append("* default dimension; change it with --dim.");
        return s.toString();
    }
}
