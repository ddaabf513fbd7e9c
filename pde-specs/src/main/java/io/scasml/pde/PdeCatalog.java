package io.scasml.pde;

import com.fasterxml.jackson.databind.JsonNode;
import io.scasml.kernels.pde.Pde;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The built-in PDEs: the spec files of {@code examples/pdes/}, shipped in this module's jar as class-path resources
 * under {@value #RESOURCE_DIR} (listed, in order, by {@code index.txt}), so that they load the same way inside a Spark
 * application jar. Built-ins and user specs take one path: {@link #resolve} accepts a catalog name or a spec file.
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
        List<Entry> out = new ArrayList<>();
        for (String name : names()) {
            String file = name + ".yaml";
            JsonNode root = SpecParser.tree(file, resource(file));
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
     * The spec of a catalog name or spec file, validated for dimension {@code dim}.
     *
     * @param nameOrPath a catalog name ({@link #names()}) or the path of a YAML/JSON spec file
     * @param dim        the dimension, or null for the spec's default
     * @throws SpecException for an unknown name, an unreadable file or a refused spec
     */
    public static PdeSpec resolveSpec(String nameOrPath, Integer dim) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new SpecException(null, null, "no PDE given; expected a catalog name " + names() + " or a spec file");
        }
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT);
        if (names().contains(key)) {
            return PdeSpec.of(key + ".yaml", resource(key + ".yaml"), dim);
        }
        Path p = Paths.get(nameOrPath);
        if (Files.isRegularFile(p)) {
            return PdeSpec.load(p, dim);
        }
        throw new SpecException(nameOrPath, null, "neither a catalog name " + names() + " nor a readable spec file");
    }

    /**
     * The compiled PDE of a catalog name or spec file (compiled once per JVM; see {@link PdeSpec#compile()}).
     *
     * @see #resolveSpec(String, Integer)
     */
    public static Pde resolve(String nameOrPath, Integer dim) {
        return resolveSpec(nameOrPath, dim).compile();
    }

    /** The text of a catalog resource. */
    static String resource(String file) {
        ClassLoader cl = PdeCatalog.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new SpecException(file, null, "catalog resource " + RESOURCE_DIR + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(file, null, null, "cannot read catalog resource: " + e, e);
        }
    }
}
