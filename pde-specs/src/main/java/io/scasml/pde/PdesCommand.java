package io.scasml.pde;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scasml pdes}: lists the catalog of built-in PDE specs (read strictly, under the limits of
 * {@link SpecLimitOptions}). Exit code 0, or 2 when an option or a catalog spec is refused.
 */
@Command(name = "pdes", mixinStandardHelpOptions = true,
    description = "List the built-in PDEs (spec files of examples/pdes/, usable by name wherever a PDE is expected).")
public final class PdesCommand implements Callable<Integer> {

    @Mixin
    SpecLimitOptions limitOptions = new SpecLimitOptions();

    @Spec
    CommandSpec spec;

    public PdesCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        String t;
        try {
            t = table(limitOptions.limits());
        } catch (IllegalArgumentException e) {
            err.println("pdes: " + io.scasml.io.Messages.oneLine(e));
            err.flush();
            return 2;
        }
        out.println(t);
        out.flush();
        return 0;
    }

    /** The listing, one PDE a line. */
    public static String table() {
        return table(SpecLimits.DEFAULTS);
    }

    /** The listing, one PDE a line, each spec read under {@code limits}. */
    public static String table(SpecLimits limits) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-20s %-8s %-6s %-5s %s%n", "NAME", "DIM", "EXACT", "REFS", "DESCRIPTION"));
        for (PdeCatalog.Entry e : PdeCatalog.list(limits)) {
            s.append(String.format(Locale.ROOT, "%-20s %-8s %-6s %-5d %s%n", e.name(),
                e.defaultDim() + (e.dimIsParameter() ? "*" : ""), e.hasExact() ? "yes" : "no", e.references(), e.description()));
        }
        s.append("* default dimension; change it with --dim.");
        return s.toString();
    }
}
