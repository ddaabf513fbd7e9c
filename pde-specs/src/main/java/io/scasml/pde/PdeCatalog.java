package io.scasml.pde;

import com.fasterxml.jackson.databind.JsonNode;
import io.scasml.io.InputException;
import io.scasml.io.StrictText;
import io.scasml.kernels.pde.Pde;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * The built-in PDEs: the spec files of {@code examples/pdes/}, shipped in this module's jar as class-path resources
 * under {@value #RESOURCE_DIR} (listed, in order, by {@code index.txt}), so that they load the same way inside a Spark
 * application jar. Built-ins and user specs take one path: {@link #resolve} accepts a catalog name or a spec file.
 *
 * <p>Spec files are read with {@link SpecLimits} (the defaults, or the caller's): local paths with the plain file API,
 * Hadoop paths ({@code hdfs://}, {@code s3a://}, ...) with the caller's Hadoop {@link Configuration}
 * ({@link #resolveSpec(String, Integer, Configuration, SpecLimits)}; the Spark job passes the session's, so its
 * {@code spark.hadoop.*} settings apply).
 */
public final class PdeCatalog {
    /** Class-path folder of the catalog specs. */
    public static final String RESOURCE_DIR = "io/scasml/pde/catalog/";

    /**
     * One catalog entry.
     *
     * @param name        catalog name
     * @param description one line
     * @param defaultDim  d when none is requested
     * @param dimIsParameter whether {@code --dim} may change d
     * @param hasExact    whether the spec gives an exact (or Monte Carlo reference) solution
     * @param references  number of published reference values
     */
    public record Entry(String name, String description, int defaultDim, boolean dimIsParameter, boolean hasExact,
                        int references) {
    }

    /** A path with a URI scheme ({@code hdfs://...}, {@code s3a://...}, {@code file:/...}): read through Hadoop. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:(//|/).*");

    private PdeCatalog() {
    }

    /** The catalog names, in listing order. */
    public static List<String> names() {
        String index = resource("index.txt");
        List<String> out = new ArrayList<>();
        for (String line : index.split("\n")) {
            String s = line.trim();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Every catalog entry (reads each spec's header; compiles nothing). */
    public static List<Entry> list() {
        return list(SpecLimits.DEFAULTS);
    }

    /** Every catalog entry, each spec read strictly under {@code limits} (reads each spec's header; compiles nothing). */
    public static List<Entry> list(SpecLimits limits) {
        List<Entry> out = new ArrayList<>();
        for (String name : names()) {
            String file = name + ".yaml";
            JsonNode root = SpecParser.tree(file, resource(file), limits);
            JsonNode dim = root.get("dim");
            boolean param = dim != null && dim.isObject();
            int def = dim == null ? 0 : param ? dim.path("default").asInt() : dim.asInt();
            JsonNode ex = root.get("exact");
            JsonNode refs = root.get("references");
            out.add(new Entry(root.path("name").asText(name), root.path("description").asText(""), def, param,
                ex != null && !ex.isNull(), refs != null && refs.isArray() ? refs.size() : 0));
        }
        return out;
    }

    /** Whether {@code name} is a catalog name (case-insensitive). */
    public static boolean contains(String name) {
        return names().contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The spec of a catalog name or spec file, validated for dimension {@code dim} under {@link SpecLimits#DEFAULTS}.
     *
     * @param nameOrPath a catalog name ({@link #names()}) or the path of a YAML/JSON spec file
     * @param dim        the dimension, or null for the spec's default
     * @throws SpecException for an unknown name, an unreadable file or a refused spec
     */
    public static PdeSpec resolveSpec(String nameOrPath, Integer dim) {
        return resolveSpec(nameOrPath, dim, SpecLimits.DEFAULTS);
    }

    /**
     * The spec of a catalog name or spec file, validated for dimension {@code dim} under {@code limits}. A local path is
     * read with the file API; a path with a URI scheme ({@code hdfs://}, {@code s3a://}, ...) through Hadoop with a
     * default {@link Configuration} (use {@link #resolveSpec(String, Integer, Configuration, SpecLimits)} to pass the
     * session's).
     *
     * @throws SpecException for an unknown name, an unreadable file or a refused spec
     */
    public static PdeSpec resolveSpec(String nameOrPath, Integer dim, SpecLimits limits) {
        String key = key(nameOrPath);
        if (names().contains(key)) {
            return PdeSpec.of(key + ".yaml", resource(key + ".yaml"), dim, limits);
        }
        String s = nameOrPath.trim();
        if (SCHEME.matcher(s).matches() && !s.startsWith("file:")) {
            return PdeSpec.load(new org.apache.hadoop.fs.Path(s), new Configuration(), dim, limits);
        }
        Path p;
        try {
            p = Paths.get(s.startsWith("file:") ? java.net.URI.create(s).getPath() : s);
        } catch (IllegalArgumentException e) { // a malformed URI or path
            throw new SpecException(s, null, null, "neither a catalog name " + names() + " nor a valid path: "
                + e.getMessage(), e);
        }
        if (Files.isRegularFile(p)) {
            return PdeSpec.load(p, dim, limits);
        }
        throw new SpecException(s, null, "neither a catalog name " + names() + " nor a readable spec file");
    }

    /**
     * The spec of a catalog name or of a spec file at any Hadoop path, read with {@code conf} — the entry point of
     * the Spark job, which passes its session's Hadoop configuration (with the {@code spark.hadoop.*} settings). A
     * catalog name wins over a file of the same name; anything else is a Hadoop path (a path without scheme is
     * resolved against {@code fs.defaultFS}).
     *
     * @param conf   Hadoop configuration to open the path with
     * @param limits the bounds, or null for {@link SpecLimits#DEFAULTS}
     * @throws SpecException for a path that does not exist or cannot be read, a file that is too large or not UTF-8,
     *                       or a refused spec; the message names the path (passwords masked) and the field
     */
    public static PdeSpec resolveSpec(String nameOrPath, Integer dim, Configuration conf, SpecLimits limits) {
        String key = key(nameOrPath);
        if (names().contains(key)) {
            return PdeSpec.of(key + ".yaml", resource(key + ".yaml"), dim, limits);
        }
        org.apache.hadoop.fs.Path path;
        try {
            path = new org.apache.hadoop.fs.Path(nameOrPath.trim());
        } catch (IllegalArgumentException e) {
            throw new SpecException(nameOrPath.trim(), null, null, "neither a catalog name " + names()
                + " nor a valid path: " + e.getMessage(), e);
        }
        return PdeSpec.load(path, conf == null ? new Configuration() : conf, dim, limits);
    }

    private static String key(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new SpecException(null, null, "no PDE given; expected a catalog name " + names() + " or a spec file");
        }
        return nameOrPath.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The compiled PDE of a catalog name or spec file (compiled once per JVM; see {@link PdeSpec#compile()}).
     *
     * @see #resolveSpec(String, Integer)
     */
    public static Pde resolve(String nameOrPath, Integer dim) {
        return resolveSpec(nameOrPath, dim).compile();
    }

    /**
     * The compiled PDE of a catalog name or spec file under {@code limits}.
     *
     * @see #resolveSpec(String, Integer, SpecLimits)
     */
    public static Pde resolve(String nameOrPath, Integer dim, SpecLimits limits) {
        return resolveSpec(nameOrPath, dim, limits).compile();
    }

    /** The text of a catalog resource. */
    static String resource(String file) {
        ClassLoader cl = PdeCatalog.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new SpecException(file, null, "catalog resource " + RESOURCE_DIR + file + " is missing from the class path");
            }
            return StrictText.decode(file, StrictText.readBounded(file, in, SpecLimits.DEFAULTS.maxSpecBytes(), null));
        } catch (InputException e) {
            throw new SpecException(file, null, null, e.detail(), e);
        } catch (IOException e) {
            throw new SpecException(file, null, null, "cannot read catalog resource: " + e, e);
        }
    }
}
