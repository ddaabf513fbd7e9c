package io.scasml.pde;

import io.scasml.io.InputException;
import io.scasml.io.Messages;
import io.scasml.io.Redaction;
import io.scasml.io.StrictText;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.hadoop.conf.Configuration;

/**
 * A validated spec for one dimension: the spec file's text, its name (for messages) and d. This small immutable value
 * is what travels to Spark executors (broadcast or closure); {@link #compile()} turns it into a {@link SpecPde} once
 * per JVM and per (content, d), through a process-wide cache, so executors compile each spec once however many tasks
 * use it.
 *
 * <p>Creating a PdeSpec parses and type-checks every expression and checks it against its {@link SpecLimits} (fast;
 * no bytecode yet, nothing evaluated beyond the read budget), so a bad or too costly spec is refused on the driver,
 * before any job starts. Spec text is strict UTF-8 (a byte that is not is refused with its byte offset); a leading
 * byte-order mark is removed.
 */
public final class PdeSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String text;
    private final int dim;
    private final String name;
    /** The limits it was accepted under (null in a stream written before limits existed: the defaults). */
    private final SpecLimits limits;
    private transient SpecModel model;

    private PdeSpec(String source, String text, SpecModel model, SpecLimits limits) {
        this.source = source;
        this.text = text;
        this.dim = model.dim;
        this.name = model.name;
        this.limits = limits;
        this.model = model;
    }

    /**
     * Parses and validates a spec under {@link SpecLimits#DEFAULTS}.
     *
     * @param source the file or resource name used in messages
     * @param text   the spec file's content (YAML or JSON)
     * @param dim    the dimension, or null for the spec's default
     * @throws SpecException if the spec is refused; the message names {@code source} and the field
     */
    public static PdeSpec of(String source, String text, Integer dim) {
        return of(source, text, dim, SpecLimits.DEFAULTS);
    }

    /**
     * Parses and validates a spec under {@code limits}.
     *
     * @param source the file or resource name used in messages
     * @param text   the spec file's content (YAML or JSON); a leading byte-order mark is removed
     * @param dim    the dimension, or null for the spec's default
     * @param limits the bounds the spec must stay within
     * @throws SpecException if the spec is refused; the message names {@code source}, the field, the measured value and
     *                       the limit
     */
    public static PdeSpec of(String source, String text, Integer dim, SpecLimits limits) {
        SpecLimits l = limits == null ? SpecLimits.DEFAULTS : limits;
        String t = StrictText.stripBom(text);
        return new PdeSpec(source, t, SpecParser.parse(source, t, dim, l), l);
    }

    /**
     * Reads and validates a local spec file under {@link SpecLimits#DEFAULTS}.
     *
     * @throws SpecException if the file cannot be read or is refused
     */
    public static PdeSpec load(Path file, Integer dim) {
        return load(file, dim, SpecLimits.DEFAULTS);
    }

    /**
     * Reads and validates a local spec file: at most {@link SpecLimits#maxSpecBytes} bytes (checked before reading),
     * strict UTF-8.
     *
     * @throws SpecException if the file cannot be read or is refused
     */
    public static PdeSpec load(Path file, Integer dim, SpecLimits limits) {
        SpecLimits l = limits == null ? SpecLimits.DEFAULTS : limits;
        String source = file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new SpecException(source, null, "is a directory; expected a spec file");
            }
            long size = Files.size(file);
            if (size > l.maxSpecBytes()) {
                throw new SpecException(source, null, "file is " + size + " bytes; the limit is " + l.maxSpecBytes()
                    + " (raise it with " + SpecLimits.OPT_SPEC_BYTES + ")");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = StrictText.readBounded(source, in, l.maxSpecBytes(), SpecLimits.OPT_SPEC_BYTES);
            }
            text = StrictText.decode(source, bytes);
        } catch (InputException e) {
            throw new SpecException(source, null, null, e.detail(), e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SpecException(source, null, null, "does not exist", e);
        } catch (IOException e) {
            throw new SpecException(source, null, null, "cannot read: " + Messages.oneLine(e), e);
        }
        return of(source, text, dim, l);
    }

    /**
     * Reads and validates a spec file through the Hadoop FileSystem API ({@code file:}, {@code hdfs://},
     * {@code s3a://}, ...; a path without scheme is resolved against {@code fs.defaultFS} of {@code conf}), with the
     * caller's configuration — e.g. {@code spark.sparkContext().hadoopConfiguration()}, which holds the session's
     * {@code spark.hadoop.*} settings (credentials, endpoints). At most {@link SpecLimits#maxSpecBytes} bytes (checked
     * against the file's length before reading, and while reading), strict UTF-8, byte-order mark removed. Messages
     * name the path with any password in it masked.
     *
     * @param conf   the Hadoop configuration to open the path with
     * @param limits the bounds, or null for {@link SpecLimits#DEFAULTS}
     * @throws SpecException if the path does not exist, is a directory, is too large, is not UTF-8, cannot be read or
     *                       the spec is refused
     */
    public static PdeSpec load(org.apache.hadoop.fs.Path path, Configuration conf, Integer dim, SpecLimits limits) {
        SpecLimits l = limits == null ? SpecLimits.DEFAULTS : limits;
        String source = Redaction.text(path.toString());
        String text;
        try {
            text = StrictText.readText(path, conf, l.maxSpecBytes(), SpecLimits.OPT_SPEC_BYTES);
        } catch (InputException e) {
            throw new SpecException(source, null, null, e.detail(), e);
        } catch (IOException | RuntimeException e) {
            throw new SpecException(source, null, null, "cannot read: " + Redaction.text(Messages.oneLine(e)), e);
        }
        return of(source, text, dim, l);
    }

    /** This spec at another dimension (validated again, under the same limits). */
    public PdeSpec withDim(int d) {
        return d == dim ? this : of(source, text, d, limits());
    }

    /** The limits this spec was accepted under. */
    public SpecLimits limits() {
        return limits == null ? SpecLimits.DEFAULTS : limits;
    }

    /**
     * The static cost of the compiled spec: operations of one evaluation at one point of the generator, the terminal
     * condition and the exact solution (0 when absent; a Cole–Hopf exact solution: samples x terminal), as the
     * {@link SpecLimits#maxPointCost} check measured them. Useful for budget checks from counts (cost x calls).
     */
    public PointCosts pointCosts() {
        return SpecParser.pointCosts(model());
    }

    /**
     * Operations of one evaluation at one point (upper bounds of the static cost model).
     *
     * @param generator F(t, x, u, z)
     * @param terminal  g(x)
     * @param exact     the exact solution, or 0 without one
     */
    public record PointCosts(double generator, double terminal, double exact) {
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
            model = SpecParser.parse(source, text, dim, limits());
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
