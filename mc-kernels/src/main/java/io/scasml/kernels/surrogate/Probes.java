package io.scasml.kernels.surrogate;

import io.scasml.kernels.random.StreamKeys;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The probe vectors of a randomized residual pass, as a pure function of a row key (documented contract; changing it
 * changes every randomized result):
 * <ul>
 *   <li>probe {@code j} (0 ≤ j &lt; k) of a row with key {@code K} is drawn from the stream
 *       {@link StreamKeys#stream StreamKeys.stream}{@code (StreamKeys.child(K, j))}, so the first k probes of a row
 *       are the same whatever k, and a row's probes do not depend on the other rows of the batch, on n or on the
 *       chunking;</li>
 *   <li>{@link ProbeKind#RADEMACHER}: coordinate {@code i} is {@code +1} if bit {@code i mod 64} of the
 *       {@code (i / 64)}-th {@code nextLong()} of that stream is 0, else {@code −1};</li>
 *   <li>{@link ProbeKind#GAUSSIAN}: coordinates are successive {@code ZigguratSampler.NormalizedGaussian} draws
 *       (Commons RNG 1.6) on that stream.</li>
 * </ul>
 */
public final class Probes {

    /** SIGNS[8·p + b] = ±1 by bit b of the byte p (0 → +1). */
    private static final double[] SIGNS = new double[256 * 8];

    static {
        for (int p = 0; p < 256; p++) {
            for (int b = 0; b < 8; b++) {
                SIGNS[8 * p + b] = ((p >>> b) & 1) == 0 ? 1.0 : -1.0;
            }
        }
    }

    private Probes() {
    }

    /** The stream key of probe {@code j} of the row with key {@code rowKey}. */
    public static long probeKey(long rowKey, int j) {
        return StreamKeys.child(rowKey, j);
    }

    /**
     * Draws probe {@code j} of the row with key {@code rowKey}.
     *
     * @param rowKey the row's key
     * @param j      the probe index, ≥ 0
     * @param kind   the distribution
     * @param d      the dimension
     * @param out    receives the d coordinates at {@code out[off .. off+d-1]}. Modified.
     * @param off    offset into out
     */
    public static void fill(long rowKey, int j, ProbeKind kind, int d, double[] out, int off) {
        UniformRandomProvider rng = StreamKeys.stream(probeKey(rowKey, j));
        if (kind == ProbeKind.RADEMACHER) {
            for (int i0 = 0; i0 < d; i0 += 64) {
                long bits = rng.nextLong();
                int m = Math.min(64, d - i0);
                int o = off + i0;
                int b = 0;
                // Eight coordinates at a time from a table of the 256 sign patterns (bit b of the byte → coordinate b).
                for (; b + 8 <= m; b += 8) {
                    System.arraycopy(SIGNS, (int) ((bits >>> b) & 0xFF) * 8, out, o + b, 8);
                }
                for (; b < m; b++) {
                    out[o + b] = ((bits >>> b) & 1L) == 0 ? 1.0 : -1.0;
                }
            }
        } else {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int i = 0; i < d; i++) {
                out[off + i] = g.sample();
            }
        }
    }
}
