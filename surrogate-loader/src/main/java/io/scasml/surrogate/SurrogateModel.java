package io.scasml.surrogate;

import io.scasml.kernels.surrogate.Surrogate;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact, immutable form of a loaded surrogate: primitive arrays and metadata only (no ND4J arrays), so it can be
 * broadcast by Spark with Java serialization or Kryo.
 *
 * <p>Executors call {@link #evaluator()} (or {@link #evaluator(EvalOptions)}): the ND4J evaluator is materialized once
 * per JVM and options, in a cache keyed by the {@link #checksum() content checksum}, and shared by all tasks (it is
 * thread-safe).
 *
 * <p>The arrays are canonical: inputs in {@code x,t} order, input and output affine maps folded into the first and
 * last layers (MLP), centers in {@code x,t} order (kernel). Treat every array as read-only.
 */
public abstract sealed class SurrogateModel implements Serializable permits MlpModel, RbfModel {

    private static final long serialVersionUID = 1L;
    private static final ConcurrentHashMap<String, Surrogate> CACHE = new ConcurrentHashMap<>();

    /** Spatial dimension d. */
    protected final int dim;
    /** Where it was loaded from (informational). */
    protected final String source;
    private String checksum;

    SurrogateModel(int dim, String source) {
        this.dim = dim;
        this.source = source;
    }

    /** Spatial dimension d. */
    public final int dim() {
        return dim;
    }

    /** The location this surrogate was loaded from, or a description. */
    public final String source() {
        return source;
    }

    /** Format-v1 type: {@code mlp} or {@code rbf-kernel}. */
    public abstract String type();

    /** Number of scalar parameters (weights, biases, centers, coefficients). */
    public abstract long parameterCount();

    /** A multi-line human-readable description (type, dimension, layers, ...), without the checksum. */
    public abstract String describe();

    /**
     * SHA-256 (hex) of the canonical content: the type, shapes, metadata that changes the function, and the bits of
     * every array. Equal checksums mean equal functions; it keys the per-JVM evaluator cache.
     */
    public final synchronized String checksum() {
        if (checksum == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(type().getBytes(StandardCharsets.UTF_8));
                digest(md);
                checksum = HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return checksum;
    }

    /** Feeds the canonical content to the digest. */
    abstract void digest(MessageDigest md);

    /** The FP64 evaluator with default options (materialized once per JVM). */
    public final Surrogate evaluator() {
        return evaluator(EvalOptions.DEFAULT);
    }

    /** The evaluator for a precision, other options default (materialized once per JVM). */
    public final Surrogate evaluator(Precision precision) {
        return evaluator(EvalOptions.of(precision));
    }

    /**
     * The ND4J evaluator for these options, materialized at most once per JVM (cache keyed by checksum and options)
     * and safe for concurrent use.
     */
    public final Surrogate evaluator(EvalOptions options) {
        String key = checksum() + '|' + options;
        return CACHE.computeIfAbsent(key, k -> materialize(options));
    }

    /** A fresh evaluator, bypassing the cache (benchmarks, tests). */
    public abstract Surrogate materialize(EvalOptions options);

    /** Drops every cached evaluator of this JVM (their off-heap memory is released when collected). */
    public static void clearEvaluatorCache() {
        CACHE.clear();
    }

    static void digestInts(MessageDigest md, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        md.update(b.array());
    }

    static void digestDoubles(MessageDigest md, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) {
            b.putLong(Double.doubleToLongBits(x));
        }
        md.update(b.array());
    }
}
