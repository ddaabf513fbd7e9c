package io.scasml.kernels.random;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;

/**
 * Keyed random streams: every random draw of an estimation is a pure function of
 * (root seed, query-point id, position in the Picard tree, sample block), so any division of the work among threads,
 * tasks or executors — in any order, retried or not — draws exactly the same numbers.
 *
 * <p>Rule (documented contract; changing it changes every result):
 * <ul>
 *   <li>{@code mix64} is the SplitMix64 / Stafford "Mix13" finaliser, a bijection on 64-bit words;</li>
 *   <li>{@code child(parent, i) = mix64(parent ^ mix64(i + GAMMA))} with GAMMA = 0x9E3779B97F4A7C15 (golden ratio);</li>
 *   <li>a point's key is {@code child(mix64(seed), pointId)}; tree positions and blocks extend keys with {@code child};</li>
 *   <li>a stream for key k is an L64X128Mix generator (Commons RNG 1.6) seeded with the native seed
 *       {@code [mix64(k + 1γ), mix64(k + 2γ), mix64(k + 3γ), mix64(k + 4γ)]}; element 0 is the LCG increment, so
 *       distinct keys give distinct LCG sub-sequences as well as distinct states.</li>
 * </ul>
 */
public final class StreamKeys {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private StreamKeys() {
    }

    /** SplitMix64 finaliser (Stafford Mix13). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The key of child {@code index} of {@code parent}. */
    public static long child(long parent, long index) {
        return mix64(parent ^ mix64(index + GAMMA));
    }

    /** The key of query point {@code pointId} under root {@code seed}. */
    public static long pointKey(long seed, long pointId) {
        return child(mix64(seed), pointId);
    }

    /** A fresh generator for the stream of {@code key}. */
    public static UniformRandomProvider stream(long key) {
        return new L64X128Mix(new long[] {
            mix64(key + GAMMA), mix64(key + 2 * GAMMA), mix64(key + 3 * GAMMA), mix64(key + 4 * GAMMA)});
    }
}
