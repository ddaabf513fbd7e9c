package io.scasml.kernels.picard;

import java.util.Locale;

/**
 * What the engine does when the split-half generator or the leave-one-out control variates would get fewer than
 * {@link PicardEstimator#MIN_HALF_SAMPLES} samples per half in an inner Picard term (docs/algorithm.md §23,
 * "inner-sample rule").
 */
public enum InnerSamples {
    /**
     * Raise every inner term (levels k &lt; n) to at least 2·{@link PicardEstimator#MIN_HALF_SAMPLES} samples (pairs
     * with antithetic increments); the cost model counts the raised samples. The default.
     */
    RAISE("raise"),
    /** Refuse such a configuration, with the reason and the smallest base that avoids it. */
    REFUSE("refuse"),
    /** Keep the configured counts and only warn ({@link PicardEstimator#configurationWarnings()}): the old behaviour. */
    WARN("warn");

    private final String label;

    InnerSamples(String label) {
        this.label = label;
    }

    /** The name used on the command line and in provenance. */
    public String label() {
        return label;
    }

    /**
     * Parses a label.
     *
     * @throws IllegalArgumentException naming the text and the accepted values
     */
    public static InnerSamples parse(String s) {
        for (InnerSamples v : values()) {
            if (v.label.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("inner_samples: '" + s + "' is not one of raise, refuse, warn");
    }
}
