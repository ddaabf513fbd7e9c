package io.scasml.pde;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A validated spec for one dimension: the spec file's text, its name (for messages) and d. This small immutable value
 * is what travels to Spark executors (broadcast or closure); {@link #compile()} turns it into a {@link SpecPde} once
 * per JVM and per (content, d), through a process-wide cache, so executors compile each spec once however many tasks
 * use it.
 *
 * <p>Creating a PdeSpec parses and type-checks every expression (fast; no bytecode yet), so a bad spec is refused on
 * the driver, before any job starts.
 */
public final class PdeSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String text;
    private final int dim;
    private final String name;
    private transient SpecModel model;

    private PdeSpec(String source, String text, SpecModel model) {
        this.source = source;
        this.text = text;
        this.dim = model.dim;
        this.name = model.name;
        this.model = model;
    }

    /**
     * Parses and validates a spec.
     *
     * @param source the file or resource name used in messages
     * @param text   the spec file's content (YAML or JSON)
     * @param dim    the dimension, or null for the spec's default
     * @throws SpecException if the spec is refused; the message names {@code source} and the field
     */
    public static PdeSpec of(String source, String text, Integer dim) {
        return new PdeSpec(source, text, SpecParser.parse(source, text, dim));
    }

    /**
     * Reads and validates a spec file.
     *
     * @throws SpecException if the file cannot be read or is refused
     */
    public static PdeSpec load(Path file, Integer dim) {
        String text;
        try {
            long size = Files.size(file);
            if (size > SpecParser.MAX_SPEC_CHARS * 4L) {
                throw new SpecException(file.toString(), null, "file is " + size + " bytes; a spec is at most "
                    + SpecParser.MAX_SPEC_CHARS + " characters");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(file.toString(), null, null, "cannot read: " + e, e);
        }
        return of(file.toString(), text, dim);
    }

    /** This spec at another dimension (validated again). */
    public PdeSpec withDim(int d) {
        return d == dim ? this : of(source, text, d);
    }

    /** The PDE's name (the spec's {@code name} field). */
    public String name() {
        return name;
    }

    /** The file or resource the spec came from. */
    public String source() {
        return source;
    }

    /** The spec text. */
    public String text() {
        return text;
    }

    /** The dimension. */
    public int dim() {
        return dim;
    }

    /** SHA-256 of the text, hex. */
    public String contentHash() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder(64);
            for (byte b : h) {
                s.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of the per-JVM compile cache: content hash, d and source name. */
    String cacheKey() {
        return contentHash() + "/" + dim + "/" + source;
    }

    /** The parsed model (re-parsed after deserialization). */
    synchronized SpecModel model() {
        if (model == null) {
            model = SpecParser.parse(source, text, dim);
        }
        return model;
    }

    /**
     * The compiled PDE, from the per-JVM cache (compiled on first use; later calls with an equal spec return the same
     * instance).
     *
     * @throws SpecException if the spec fails a check that needs the compiled code (e.g. a Cole–Hopf generator check)
     */
    public SpecPde compile() {
        return SpecCompiler.compileCached(this);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (source == null || text == null || dim < 1) {
            throw new java.io.InvalidObjectException("PdeSpec: missing source, text or dim");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PdeSpec p && p.dim == dim && p.text.equals(text) && p.source.equals(source);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + dim;
    }

    @Override
    public String toString() {
        return "PdeSpec(" + name + ", d=" + dim + ", " + source + ")";
    }
}
