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
 *   <li>{@code child(parent, i) = mix64(parent ^ mix64(i + GAMMA))} with GAMMA = 0x9E3779B97F4A7C15 (golden ratio);
 *       for a fixed parent it is a bijection of i, so distinct indices give distinct keys;</li>
 *   <li>the children of the seed's root {@code mix64(seed)} are split into disjoint namespaces by the sign of the
 *       index: a non-negative index is a query-point id ({@link #pointKey}: ids must be ≥ 0), a negative index is
 *       one of the tags of the table below ({@link #namespace}); tree positions and blocks extend keys with
 *       {@code child};</li>
 *   <li>a stream for key k is an L64X128Mix generator (Commons RNG 1.6) seeded with the native seed
 *       {@code [mix64(k + 1γ), mix64(k + 2γ), mix64(k + 3γ), mix64(k + 4γ)]}; element 0 is the LCG increment, so
 *       distinct keys give distinct LCG sub-sequences as well as distinct states.</li>
 * </ul>
 *
 * <h2>Tag table</h2>
 * Top-level namespaces (negative, distinct; {@link #NAMESPACES} lists them):
 * <table>
 *   <caption>namespaces of child(mix64(seed), tag)</caption>
 *   <tr><th>tag</th><th>constant</th><th>used by</th></tr>
 *   <tr><td>≥ 0</td><td>—</td><td>query point with that id (the estimator)</td></tr>
 *   <tr><td>−1</td><td>{@link #SAMPLED_POINTS}</td><td>{@code PointSampler} (point i: child i)</td></tr>
 *   <tr><td>−2</td><td>{@link #TRAINING}</td><td>the trainer (sub-tags {@code TRAIN_*} below)</td></tr>
 *   <tr><td>−3</td><td>{@link #ROUND}</td><td>rounds r ≥ 1 of the adaptive mode ({@link #estimateRoot}: child r,
 *       then the point id)</td></tr>
 *   <tr><td>−4</td><td>{@link #PROBE}</td><td>reserved: probes of the randomised Laplacian</td></tr>
 *   <tr><td>−5</td><td>{@link #GUARD}</td><td>the plain-MLP companion of guarded SCaSML (child: the round, then the
 *       point id)</td></tr>
 *   <tr><td>−6</td><td>{@link #PILOT}</td><td>pilot estimates of the adaptive driver (child: the pilot stream
 *       {@code PILOT_*}, then the point id); never part of a reported estimate</td></tr>
 * </table>
 * An estimate's streams hang below an <em>estimate root</em> R ({@link #estimateRoot}): the point's key is
 * {@code child(R, id)}. Round 0 of the main method has R = mix64(seed), so its keys are {@link #pointKey} — a
 * one-round adaptive run draws exactly the numbers of a plain run.
 * Sub-tags are indices of {@code child} under a namespace key; they need only be distinct within it
 * ({@link #TRAIN_TAGS}, {@link #PATH_TAGS}).
 */
public final class StreamKeys {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** Namespace of the query points drawn for {@code sample:N} ({@code PointSampler}). */
    public static final long SAMPLED_POINTS = -1;
    /** Namespace of the trainer's streams. */
    public static final long TRAINING = -2;
    /** Namespace of rounds r ≥ 1 of the adaptive mode (round 0 is the plain run's streams). */
    public static final long ROUND = -3;
    /** Reserved namespace: probe vectors of the randomised Laplacian (a later issue). */
    public static final long PROBE = -4;
    /** Namespace of the plain-MLP companion estimates of guarded SCaSML. */
    public static final long GUARD = -5;
    /** Namespace of the adaptive driver's pilot estimates. */
    public static final long PILOT = -6;
    /** Every top-level namespace tag. */
    public static final long[] NAMESPACES = {SAMPLED_POINTS, TRAINING, ROUND, PROBE, GUARD, PILOT};

    /** Pilot sub-tag under {@code namespace(seed, PILOT)}: the main method's pilot estimate. */
    public static final long PILOT_MAIN = 1;
    /** Pilot sub-tag: the plain-MLP companion's pilot estimate. */
    public static final long PILOT_COMPANION = 2;
    /** Pilot sub-tag: the compute planner's pilot ({@code ComputePlanner}). */
    public static final long PILOT_PLAN = 3;
    /** Every pilot sub-tag. */
    public static final long[] PILOT_TAGS = {PILOT_MAIN, PILOT_COMPANION, PILOT_PLAN};

    /** Trainer sub-tags under {@code namespace(seed, TRAINING)}: collocation points. */
    public static final long TRAIN_COLLOCATION = 1;
    /** Trainer: terminal points. */
    public static final long TRAIN_TERMINAL = 2;
    /** Trainer: data (boundary/interior) points. */
    public static final long TRAIN_DATA = 3;
    /** Trainer: minibatch steps (child: the step). */
    public static final long TRAIN_STEPS = 4;
    /** Trainer: test points. */
    public static final long TRAIN_TEST = 5;
    /** Trainer: test points along paths. */
    public static final long TRAIN_PATH_TEST = 6;
    /** Trainer: probes of the randomized PINN loss (child: the step, then the point's index in the batch). */
    public static final long TRAIN_PROBES = 7;
    /** Trainer: kernel-fit centres. */
    public static final long TRAIN_KERNEL_CENTRES = 11;
    /** Trainer: kernel-fit test points. */
    public static final long TRAIN_KERNEL_TEST = 12;
    /** Trainer: initial network weights. */
    public static final long TRAIN_INIT = 0x6C0B;
    /** Every trainer sub-tag. */
    public static final long[] TRAIN_TAGS = {TRAIN_COLLOCATION, TRAIN_TERMINAL, TRAIN_DATA, TRAIN_STEPS, TRAIN_TEST,
        TRAIN_PATH_TEST, TRAIN_PROBES, TRAIN_KERNEL_CENTRES, TRAIN_KERNEL_TEST, TRAIN_INIT};

    /** Sub-tags of path-sampled training points under {@code mix64(key)}: paths ending at T. */
    public static final long PATHS_TERMINAL = 0x7E41;
    /** Paths stopped at a random time. */
    public static final long PATHS_INTERIOR = 0x9A7B;
    /** Every path sub-tag. */
    public static final long[] PATH_TAGS = {PATHS_TERMINAL, PATHS_INTERIOR};

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

    /**
     * The key of query point {@code pointId} under root {@code seed}.
     *
     * @throws IllegalArgumentException if the id is negative (negative indices are the namespace tags)
     */
    public static long pointKey(long seed, long pointId) {
        if (pointId < 0) {
            throw new IllegalArgumentException("point id " + pointId + ": ids must be >= 0");
        }
        return child(mix64(seed), pointId);
    }

    /**
     * The root key of namespace {@code tag} (one of {@link #NAMESPACES}) under root {@code seed}.
     *
     * @throws IllegalArgumentException if the tag is not negative (that would be a query point's key)
     */
    public static long namespace(long seed, long tag) {
        if (tag >= 0) {
            throw new IllegalArgumentException("namespace tag " + tag + " must be negative");
        }
        return child(mix64(seed), tag);
    }

    /**
     * The estimate root of round {@code round} of the main method: {@code mix64(seed)} for round 0 (so the point
     * keys are {@link #pointKey}), {@code child(namespace(seed, ROUND), round)} for round ≥ 1.
     *
     * @throws IllegalArgumentException if the round is negative
     */
    public static long estimateRoot(long seed, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round + " must be >= 0");
        }
        return round == 0 ? mix64(seed) : child(namespace(seed, ROUND), round);
    }

    /** The estimate root of round {@code round} (≥ 0) of guarded SCaSML's plain-MLP companion. */
    public static long companionRoot(long seed, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round + " must be >= 0");
        }
        return child(namespace(seed, GUARD), round);
    }

    /** The estimate root of pilot stream {@code tag} (one of {@link #PILOT_TAGS}). */
    public static long pilotRoot(long seed, long tag) {
        return child(namespace(seed, PILOT), tag);
    }

    /**
     * The key of query point {@code pointId} below an estimate root.
     *
     * @throws IllegalArgumentException if the id is negative
     */
    public static long pointKeyUnder(long root, long pointId) {
        if (pointId < 0) {
            throw new IllegalArgumentException("point id " + pointId + ": ids must be >= 0");
        }
        return child(root, pointId);
    }

    /** A fresh generator for the stream of {@code key}. */
    public static UniformRandomProvider stream(long key) {
        return new L64X128Mix(new long[] {
            mix64(key + GAMMA), mix64(key + 2 * GAMMA), mix64(key + 3 * GAMMA), mix64(key + 4 * GAMMA)});
    }
}
