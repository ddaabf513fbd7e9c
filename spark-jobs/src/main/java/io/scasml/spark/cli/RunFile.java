package io.scasml.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scasml.spark.job.UserError;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * Loads and checks a run file.
     *
     * @param known the accepted keys (normalised: lower case, '-' separators)
     * @throws UserError if it cannot be read, is not an object, or has an unknown key
     */
    static RunFile load(File f, Set<String> known) {
        if (!f.isFile()) {
            throw new UserError("config: " + f + " does not exist");
        }
        Object root;
        try {
            // YAML is a superset of JSON: one parser reads both.
            root = new ObjectMapper(new YAMLFactory()).readValue(f, Object.class);
        } catch (IOException e) {
            throw new UserError("config: " + f + ": not valid YAML/JSON: " + Main.oneLine(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new UserError("config: " + f + ": expected a mapping of option names to values");
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = normalise(String.valueOf(e.getKey()));
            if (!known.contains(k)) {
                throw new UserError("config: " + f + ": unknown key '" + e.getKey() + "'; expected one of "
                    + new TreeSet<>(known));
            }
            v.put(k, e.getValue());
        }
        return new RunFile(f.getPath(), v);
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
        return new UserError("config: " + name + ": " + key + ": '" + v + "' is not " + expected);
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
        m.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
        return out;
    }
}
