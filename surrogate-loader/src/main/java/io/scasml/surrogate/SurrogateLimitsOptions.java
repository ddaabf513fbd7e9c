package io.scasml.surrogate;

import picocli.CommandLine.Option;

/**
 * The {@link SurrogateLimits} as command-line options, for {@code @Mixin} in every command that loads a surrogate
 * ({@code inspect}, {@code solve}, ...): the same option names everywhere, which are also the names refusals give.
 */
public final class SurrogateLimitsOptions {

    @Option(names = SurrogateLimits.OPT_JSON_BYTES, paramLabel = "BYTES",
            description = "Largest surrogate.json (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_JSON_BYTES)
    long maxJsonBytes;

    @Option(names = SurrogateLimits.OPT_NPZ_BYTES, paramLabel = "BYTES",
            description = "Largest weights.npz file (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_NPZ_BYTES)
    long maxNpzBytes;

    @Option(names = SurrogateLimits.OPT_INFLATED_BYTES, paramLabel = "BYTES",
            description = "Total uncompressed size of the npz entries (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_INFLATED_BYTES)
    long maxInflatedBytes;

    @Option(names = SurrogateLimits.OPT_ARRAY_BYTES, paramLabel = "BYTES",
            description = "Total declared size of the arrays (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_ARRAY_BYTES)
    long maxArrayBytes;

    @Option(names = SurrogateLimits.OPT_ENTRIES, paramLabel = "N",
            description = "Most npz entries (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_ENTRIES)
    int maxEntries;

    @Option(names = SurrogateLimits.OPT_LAYERS, paramLabel = "N",
            description = "Most MLP layers (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_LAYERS)
    int maxLayers;

    @Option(names = SurrogateLimits.OPT_WIDTH, paramLabel = "N",
            description = "Widest MLP layer, input width d+1 included (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_WIDTH)
    int maxWidth;

    @Option(names = SurrogateLimits.OPT_PARAMETERS, paramLabel = "N",
            description = "Most surrogate parameters (default ${DEFAULT-VALUE}).",
            defaultValue = "" + SurrogateLimits.DEFAULT_PARAMETERS)
    long maxParameters;

    /** For picocli. */
    public SurrogateLimitsOptions() {
        SurrogateLimits d = SurrogateLimits.DEFAULT;
        maxJsonBytes = d.maxJsonBytes();
        maxNpzBytes = d.maxNpzBytes();
        maxInflatedBytes = d.maxInflatedBytes();
        maxArrayBytes = d.maxArrayBytes();
        maxEntries = d.maxEntries();
        maxLayers = d.maxLayers();
        maxWidth = d.maxWidth();
        maxParameters = d.maxParameters();
    }

    /**
     * The limits given.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public SurrogateLimits toLimits() {
        return new SurrogateLimits(maxJsonBytes, maxNpzBytes, maxInflatedBytes, maxArrayBytes, maxEntries, maxLayers,
                maxWidth, maxParameters);
    }
}
