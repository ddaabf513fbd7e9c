package io.scasml.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.scasml.io.InputException;
import io.scasml.io.Messages;
import io.scasml.io.StrictText;
import io.scasml.io.StrictTrees;
import io.scasml.spark.job.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A run file: one YAML or JSON object holding any {@code solve} option under its long name ({@code levels: 3},
 * {@code points-per-unit: 16}; {@code points_per_unit} works too), plus {@code conf:} — a map of Spark properties.
 * Flags on the command line override it. Unknown keys are refused, so typos do not pass silently.
 */
final class RunFile {
    private final String name;
    private final Map<String, Object> values;

    private RunFile(String name, Map<String, Object> values) {
        this.name = name;
        this.values = values;
    }

    static RunFile empty() {
        return new RunFile(null, Map.of());
    }

    /** Largest run file read (a run file is a few lines; this only stops a wrong path from being buffered). */
    static final long MAX_BYTES = 1L << 20;

    /**
     * Loads and checks a run file, through the Hadoop FileSystem API (any Hadoop path), strictly: UTF-8 (a byte
     * that is not is refused with its offset), a byte-order mark removed, duplicate keys, YAML anchors, aliases and
     * type tags refused (see {@link StrictTrees}).
     *
     * @param location the run file (a local path or any Hadoop URI)
     * @param known    the accepted keys (normalised: lower case, '-' separators)
     * @param conf     the Hadoop configuration (from the command line's {@code --conf spark.hadoop.*})
     * @throws InputException if it cannot be read or is refused; UserError for an unknown key
     */
    static RunFile load(String location, Set<String> known, Configuration conf) {
        String shown = "config: " + location;
        JsonNode root;
        try {
            byte[] bytes = StrictText.readFile(new Path(location), conf, MAX_BYTES, null);
            root = StrictTrees.readYaml(shown, StrictText.decode(shown, bytes));
        } catch (InputException e) {
            if (e.source().startsWith("config: ")) {
                throw e;
            }
            throw new InputException(shown, e.field(), e.detail(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(shown, null, "cannot be read: " + Messages.oneLine(e));
        }
        if (!root.isObject()) {
            throw new UserError(shown + ": expected a mapping of option names to values");
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = normalise(e.getKey());
            if (!known.contains(k)) {
                throw new UserError(shown + ": unknown key " + Messages.quote(e.getKey()) + "; expected one of "
                    + new TreeSet<>(known));
            }
            if (v.containsKey(k)) {
                throw new UserError(shown + ": key " + Messages.quote(e.getKey()) + " repeats an earlier spelling of "
                    + k + "; each option may appear once");
            }
            v.put(k, plain(e.getValue()));
        }
        return new RunFile(location, v);
    }

    /** A tree value as plain Java (String, Integer, Long, Double, Boolean, Map, List, null). */
    private static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isInt()) {
            return n.intValue();
        }
        if (n.isLong()) {
            return n.longValue();
        }
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return n.asText();
    }

    static String normalise(String key) {
        return key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String name() {
        return name;
    }

    boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    private UserError bad(String key, Object v, String expected) {
        return new UserError("config: " + name + ": " + key + ": " + Messages.quote(String.valueOf(v)) + " is not "
            + expected);
    }

    String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof Iterable) {
            throw bad(key, v, "a single value");
        }
        return String.valueOf(v);
    }

    Integer integer(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i;
        }
        try {
            return Integer.valueOf(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    Long longValue(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        try {
            return Long.valueOf(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    Double number(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (Boolean.FALSE.equals(v)) {
            return Double.POSITIVE_INFINITY; // `clip: off` read as a YAML 1.1 boolean
        }
        String s = String.valueOf(v).trim();
        if (s.equalsIgnoreCase("off") || s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number");
        }
    }

    Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("yes") || s.equals("on")) {
            return true;
        }
        if (s.equals("false") || s.equals("no") || s.equals("off")) {
            return false;
        }
        throw bad(key, v, "true or false");
    }

    Map<String, String> map(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(key, v, "a mapping of Spark property names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object x = e.getValue();
            if (x == null || x instanceof Map || x instanceof Iterable) {
                throw bad(key + "." + e.getKey(), x, "a single value");
            }
            out.put(String.valueOf(e.getKey()), String.valueOf(x));
        }
        return out;
    }
}
