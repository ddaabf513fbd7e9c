package io.scasml.spark.job;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Upper bounds on what one {@code solve} may ask for, checked before anything is allocated or computed, so that an
 * absurd option or a hostile input file is refused with one line instead of exhausting the driver. Every limit has a
 * name, a generous default and is raised with {@code --limit NAME=N} (or {@code limit: {NAME: N}} in a run file).
 */
public final class SolveLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The limits, their defaults and what they bound (README: "Limits"). */
    public static final Map<String, Long> DEFAULTS;
    /** What each limit bounds, for messages and --help. */
    public static final Map<String, String> MEANING;

    static {
        Map<String, Long> d = new LinkedHashMap<>();
        Map<String, String> m = new LinkedHashMap<>();
        def(d, m, "points", 100_000_000L, "query points (sample:N or rows of the point files)");
        def(d, m, "dim", 65_536L, "spatial dimension --dim");
        def(d, m, "levels", 20L, "Picard level --levels");
        def(d, m, "base", 10_000L, "Monte Carlo base --base");
        def(d, m, "partitions", 100_000L, "work-plan partitions --partitions");
        def(d, m, "points-per-unit", 1_000_000L, "--points-per-unit");
        def(d, m, "work-units", 100_000_000L, "work units of the plan (point groups x units per group)");
        def(d, m, "line-bytes", 16L << 20, "bytes in one line of a CSV / JSON-lines point file");
        def(d, m, "columns", 100_000L, "columns of a point file (CSV header, JSON object, Parquet schema)");
        DEFAULTS = Collections.unmodifiableMap(d);
        MEANING = Collections.unmodifiableMap(m);
    }

    private static void def(Map<String, Long> d, Map<String, String> m, String k, long v, String what) {
        d.put(k, v);
        m.put(k, what);
    }

    private final Map<String, Long> values;

    private SolveLimits(Map<String, Long> values) {
        this.values = values;
    }

    /** The defaults. */
    public static SolveLimits defaults() {
        return new SolveLimits(new LinkedHashMap<>(DEFAULTS));
    }

    /**
     * The defaults with overrides.
     *
     * @param overrides name → value (from {@code --limit} and the run file), may be null
     * @throws UserError for an unknown name or a value that is not a positive integer
     */
    public static SolveLimits of(Map<String, String> overrides) {
        Map<String, Long> v = new LinkedHashMap<>(DEFAULTS);
        if (overrides != null) {
            for (Map.Entry<String, String> e : overrides.entrySet()) {
                String k = e.getKey().trim().toLowerCase(Locale.ROOT).replace('_', '-');
                if (!DEFAULTS.containsKey(k)) {
                    throw new UserError("limit: unknown limit '" + e.getKey() + "'; expected one of "
                        + String.join(", ", DEFAULTS.keySet()));
                }
                long x;
                try {
                    x = Long.parseLong(e.getValue().trim().replace("_", ""));
                } catch (NumberFormatException ex) {
                    throw new UserError("limit: " + k + "=" + e.getValue() + " is not an integer; expected a positive"
                        + " integer");
                }
                if (x < 1) {
                    throw new UserError("limit: " + k + "=" + x + " must be >= 1");
                }
                v.put(k, x);
            }
        }
        return new SolveLimits(v);
    }

    /** The value of a limit. */
    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no limit " + name);
        }
        return v;
    }

    /** {@link #get} as an int (limits used as array sizes are capped at 2^31 - 1). */
    public int getInt(String name) {
        return (int) Math.min(Integer.MAX_VALUE - 16, get(name));
    }

    /**
     * Refuses {@code value} above the limit {@code name}.
     *
     * @param field names the option or field in the message (e.g. "base")
     * @throws UserError naming the field, the value and the limit
     */
    public void check(String field, long value, String name) {
        long max = get(name);
        if (value > max) {
            throw new UserError(field + ": " + value + " is above the limit " + name + " = " + max
                + "; lower it, or raise the limit with --limit " + name + "=N");
        }
    }

    /** Name → value, for the provenance. */
    public Map<String, Long> toMap() {
        return Collections.unmodifiableMap(values);
    }
}
