package io.scasml.reports;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.pde.PdeCatalog;
import io.scasml.surrogate.Precision;
import io.scasml.surrogate.SurrogateLoader;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options every benchmark over example cases shares (a picocli mixin: {@code bench paper}, {@code table},
 * {@code scaling}, {@code estimators} here and {@code bench spark} in the cli module), and the one way a case such as
 * {@code vb20} becomes its PDE, surrogate and test points.
 */
public final class CaseOptions {
    private static final Pattern CASE = Pattern.compile("([a-z]+)(\\d+)(-[a-z0-9]+)?");

    @Option(names = "--surrogates", defaultValue = "examples/surrogates",
        description = "Directory holding <case>/ surrogates (default: ${DEFAULT-VALUE}).")
    String surrogates;

    @Option(names = "--precision", defaultValue = Precision.DEFAULT_NAME,
        description = "Surrogate kernels: fp32 or fp64 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (default: all cores).")
    int threads;

    /** A case ready to run: the PDE (exact values cached for the points), the surrogate and the test points. */
    public record BenchCase(String name, Pde pde, Surrogate surrogate, List<QueryPoint> points) {
    }

    /** The inputs the output may not be or contain: the surrogates directory (when it is a local path). */
    public java.util.List<java.nio.file.Path> inputs() {
        java.util.List<java.nio.file.Path> l = new java.util.ArrayList<>();
        if (surrogates != null && !surrogates.contains("://")) {
            l.add(java.nio.file.Path.of(surrogates));
        }
        return l;
    }

    /** Worker threads: the option, or all cores. */
    public int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The surrogate directory of a case: {@code <surrogates>/<case>}. */
    public String surrogateDir(String c) {
        return surrogates + "/" + c;
    }

    /** The surrogate kernel precision as given ({@code fp64} or {@code fp32}). */
    public String precision() {
        return precision;
    }

    /**
     * Parses a case name such as {@code vb20} or {@code hjb100-ball} (a variant: another surrogate of the same
     * equation) into (pde, dim).
     *
     * @throws IllegalArgumentException if it is not {@code <pde><dim>}
     */
    static Object[] parseCase(String c) {
        Matcher m = CASE.matcher(c);
        if (!m.matches()) {
            throw new IllegalArgumentException("--cases: '" + c + "' is not <pde><dim>[-variant], e.g. vb20 or"
                + " hjb100-ball");
        }
        return new Object[] {m.group(1), Integer.parseInt(m.group(2))};
    }

    /**
     * Loads a case: the PDE from the catalog, the surrogate {@code <surrogates>/<case>} at the chosen precision,
     * {@code points} test points from the equation's domain with {@code seed}, and their exact values (computed once).
     */
    public BenchCase load(String c, int points, long seed) throws IOException {
        return load(c, points, seed, true);
    }

    /**
     * {@link #load(String, int, long)}, without the surrogate when {@code withSurrogate} is false (plain MLP runs need
     * none, so any {@code <pde><dim>} is a case): the case's surrogate is then null.
     */
    public BenchCase load(String c, int points, long seed, boolean withSurrogate) throws IOException {
        Object[] pc = parseCase(c);
        Pde raw = PdeCatalog.resolve((String) pc[0], (Integer) pc[1]);
        Surrogate s = !withSurrogate ? null : SurrogateLoader.loadSurrogate(surrogateDir(c),
            Precision.valueOf(precision.toUpperCase(Locale.ROOT)));
        List<QueryPoint> pts = PointSampler.sample(raw.domain(), raw.dim(), points, seed);
        return new BenchCase(c, new CachedExactPde(raw, pts), s, pts);
    }
}
