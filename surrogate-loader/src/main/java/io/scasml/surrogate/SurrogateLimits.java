package io.scasml.surrogate;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resource limits for loading an untrusted surrogate directory. Every limit is checked before the memory or work it
 * bounds is spent: file sizes before reading, declared sizes from the zip central directory and the {@code .npy}
 * headers before inflating or allocating, network shapes before the weights are decoded. A refusal names the limit
 * by its option name ({@code --surrogate-max-…}), the same in every command that loads surrogates.
 *
 * @param maxJsonBytes     largest {@code surrogate.json}, bytes ({@code --surrogate-max-json-bytes})
 * @param maxNpzBytes      largest {@code weights.npz} file, bytes ({@code --surrogate-max-npz-bytes})
 * @param maxInflatedBytes total uncompressed size of all npz entries, bytes: declared sizes are summed before anything
 *                         is inflated, and inflation is counted and stopped at the limit
 *                         ({@code --surrogate-max-inflated-bytes})
 * @param maxArrayBytes    total size of all arrays as their {@code .npy} headers declare them (elements × item size),
 *                         bytes ({@code --surrogate-max-array-bytes})
 * @param maxEntries       most entries in the npz ({@code --surrogate-max-entries})
 * @param maxLayers        most linear layers of an MLP (hidden layers + 1) ({@code --surrogate-max-layers})
 * @param maxWidth         widest MLP layer, including the input width d + 1 ({@code --surrogate-max-width})
 * @param maxParameters    most scalar parameters (weights, biases, centers, coefficients)
 *                         ({@code --surrogate-max-parameters})
 */
public record SurrogateLimits(long maxJsonBytes, long maxNpzBytes, long maxInflatedBytes, long maxArrayBytes,
                              int maxEntries, int maxLayers, int maxWidth, long maxParameters) implements Serializable {

    /** Option name of {@link #maxJsonBytes}. */
    public static final String OPT_JSON_BYTES = "--surrogate-max-json-bytes";
    /** Option name of {@link #maxNpzBytes}. */
    public static final String OPT_NPZ_BYTES = "--surrogate-max-npz-bytes";
    /** Option name of {@link #maxInflatedBytes}. */
    public static final String OPT_INFLATED_BYTES = "--surrogate-max-inflated-bytes";
    /** Option name of {@link #maxArrayBytes}. */
    public static final String OPT_ARRAY_BYTES = "--surrogate-max-array-bytes";
    /** Option name of {@link #maxEntries}. */
    public static final String OPT_ENTRIES = "--surrogate-max-entries";
    /** Option name of {@link #maxLayers}. */
    public static final String OPT_LAYERS = "--surrogate-max-layers";
    /** Option name of {@link #maxWidth}. */
    public static final String OPT_WIDTH = "--surrogate-max-width";
    /** Option name of {@link #maxParameters}. */
    public static final String OPT_PARAMETERS = "--surrogate-max-parameters";

    /** Default {@link #maxJsonBytes}: 4 MiB (a typical file is a few kB; an input map for d = 10⁴ is ~0.4 MB). */
    public static final long DEFAULT_JSON_BYTES = 4L << 20;
    /** Default {@link #maxNpzBytes}: 1 GiB. */
    public static final long DEFAULT_NPZ_BYTES = 1L << 30;
    /** Default {@link #maxInflatedBytes}: 640 MiB. */
    public static final long DEFAULT_INFLATED_BYTES = 640L << 20;
    /** Default {@link #maxArrayBytes}: 512 MiB (64 M float64 values). */
    public static final long DEFAULT_ARRAY_BYTES = 512L << 20;
    /** Default {@link #maxEntries}: 1024. */
    public static final int DEFAULT_ENTRIES = 1024;
    /** Default {@link #maxLayers}: 64. */
    public static final int DEFAULT_LAYERS = 64;
    /** Default {@link #maxWidth}: 65 536. */
    public static final int DEFAULT_WIDTH = 65_536;
    /** Default {@link #maxParameters}: 50 million (400 MB as float64). */
    public static final long DEFAULT_PARAMETERS = 50_000_000L;

    /** The generous defaults above. */
    public static final SurrogateLimits DEFAULT = new SurrogateLimits(DEFAULT_JSON_BYTES, DEFAULT_NPZ_BYTES,
            DEFAULT_INFLATED_BYTES, DEFAULT_ARRAY_BYTES, DEFAULT_ENTRIES, DEFAULT_LAYERS, DEFAULT_WIDTH,
            DEFAULT_PARAMETERS);

    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException if a limit is not positive, or a byte limit exceeds what one Java array holds
     */
    public SurrogateLimits {
        positive(OPT_JSON_BYTES, maxJsonBytes, Integer.MAX_VALUE - 64L);
        positive(OPT_NPZ_BYTES, maxNpzBytes, Integer.MAX_VALUE - 64L);
        positive(OPT_INFLATED_BYTES, maxInflatedBytes, Long.MAX_VALUE / 2);
        positive(OPT_ARRAY_BYTES, maxArrayBytes, Long.MAX_VALUE / 2);
        positive(OPT_ENTRIES, maxEntries, 1L << 20);
        positive(OPT_LAYERS, maxLayers, 1L << 20);
        positive(OPT_WIDTH, maxWidth, Integer.MAX_VALUE / 8);
        positive(OPT_PARAMETERS, maxParameters, Integer.MAX_VALUE - 64L);
    }

    private static void positive(String name, long v, long max) {
        if (v < 1 || v > max) {
            throw new IllegalArgumentException(name + ": " + v + " must be between 1 and " + max);
        }
    }

    /** A copy with {@link #maxJsonBytes} replaced. */
    public SurrogateLimits withMaxJsonBytes(long v) {
        return new SurrogateLimits(v, maxNpzBytes, maxInflatedBytes, maxArrayBytes, maxEntries, maxLayers, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxNpzBytes} replaced. */
    public SurrogateLimits withMaxNpzBytes(long v) {
        return new SurrogateLimits(maxJsonBytes, v, maxInflatedBytes, maxArrayBytes, maxEntries, maxLayers, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxInflatedBytes} replaced. */
    public SurrogateLimits withMaxInflatedBytes(long v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, v, maxArrayBytes, maxEntries, maxLayers, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxArrayBytes} replaced. */
    public SurrogateLimits withMaxArrayBytes(long v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, v, maxEntries, maxLayers, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxEntries} replaced. */
    public SurrogateLimits withMaxEntries(int v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, maxArrayBytes, v, maxLayers, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxLayers} replaced. */
    public SurrogateLimits withMaxLayers(int v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, maxArrayBytes, maxEntries, v, maxWidth,
                maxParameters);
    }

    /** A copy with {@link #maxWidth} replaced. */
    public SurrogateLimits withMaxWidth(int v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, maxArrayBytes, maxEntries, maxLayers, v,
                maxParameters);
    }

    /** A copy with {@link #maxParameters} replaced. */
    public SurrogateLimits withMaxParameters(long v) {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, maxArrayBytes, maxEntries, maxLayers,
                maxWidth, v);
    }

    /** The limits by option name (without the leading dashes), in declaration order: for provenance records. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(OPT_JSON_BYTES.substring(2), maxJsonBytes);
        m.put(OPT_NPZ_BYTES.substring(2), maxNpzBytes);
        m.put(OPT_INFLATED_BYTES.substring(2), maxInflatedBytes);
        m.put(OPT_ARRAY_BYTES.substring(2), maxArrayBytes);
        m.put(OPT_ENTRIES.substring(2), (long) maxEntries);
        m.put(OPT_LAYERS.substring(2), (long) maxLayers);
        m.put(OPT_WIDTH.substring(2), (long) maxWidth);
        m.put(OPT_PARAMETERS.substring(2), maxParameters);
        return m;
    }

    /** "exceeds the limit of N (raise it with OPTION)": the tail of every refusal. */
    static String limit(long value, String option) {
        return "the limit is " + value + " (raise it with " + option + ")";
    }
}
