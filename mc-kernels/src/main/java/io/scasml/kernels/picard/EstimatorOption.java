package io.scasml.kernels.picard;

import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Descriptor of one estimator option: its provenance key, its command-line flag, its help text, how it is read
 * from a {@link RunOptions}, set on a {@link RunOptions.Builder}, parsed from text and written to provenance.
 * {@link RunOptions#OPTIONS} lists every option once; {@link RunOptions#toMap()}, {@link RunOptions.Builder#set}
 * and front ends (command line, run files) iterate that list, so adding an option is one entry there plus its
 * field.
 *
 * @param <T> the option's value type (boxed)
 */
public final class EstimatorOption<T> {
    private final String key;
    private final String flag;
    private final String description;
    private final Class<T> type;
    private final Function<RunOptions, T> getter;
    private final BiConsumer<RunOptions.Builder, T> setter;
    private final Function<String, T> parser;
    private final Function<T, Object> provenance;
    private final boolean isSwitch;

    EstimatorOption(String key, String flag, String description, Class<T> type, boolean isSwitch,
                    Function<RunOptions, T> getter,
                    BiConsumer<RunOptions.Builder, T> setter, Function<String, T> parser,
                    Function<T, Object> provenance) {
        this.key = Objects.requireNonNull(key);
        this.flag = Objects.requireNonNull(flag);
        this.description = Objects.requireNonNull(description);
        this.type = Objects.requireNonNull(type);
        this.getter = Objects.requireNonNull(getter);
        this.setter = Objects.requireNonNull(setter);
        this.parser = Objects.requireNonNull(parser);
        this.provenance = provenance != null ? provenance : v -> v;
        this.isSwitch = isSwitch;
    }

    /** Key in provenance ({@code summary.json} parameters), snake_case, e.g. {@code max_units_per_group}. */
    public String key() {
        return key;
    }

    /** Command-line flag, e.g. {@code --max-units-per-group}; a run file uses it without the dashes. */
    public String flag() {
        return flag;
    }

    /** One-sentence help text, ending with the default. */
    public String description() {
        return description;
    }

    /**
     * Value type: Integer, Long, Double, Boolean, String (a value with its own syntax, validated and canonicalized by
     * the parser, e.g. {@code laplacian}) or an enum of this package.
     */
    public Class<T> type() {
        return type;
    }

    /** Whether the option is a switch (a negatable flag without a value on the command line). */
    public boolean isSwitch() {
        return isSwitch;
    }

    /** The option's value in {@code o}. */
    public T get(RunOptions o) {
        return getter.apply(o);
    }

    /** The documented default. */
    public T defaultValue() {
        return getter.apply(RunOptions.DEFAULTS);
    }

    /** Sets the option on a builder (validated by {@link RunOptions.Builder#build()}). */
    public void set(RunOptions.Builder b, T value) {
        setter.accept(b, value);
    }

    /**
     * Parses {@code text} (as typed on the command line or in a run file) and sets it on a builder.
     *
     * @throws IllegalArgumentException naming the option and the text when it cannot be parsed
     */
    public void parseInto(RunOptions.Builder b, String text) {
        T v;
        try {
            v = parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m != null && m.startsWith(key + ":")) {
                throw e;
            }
            throw new IllegalArgumentException(key + ": '" + text + "' is not a valid " + typeName(), e);
        }
        set(b, v);
    }

    /** The option's value in {@code o}, as written to provenance (e.g. {@code "off"} for an unset clip). */
    public Object provenance(RunOptions o) {
        return provenance.apply(get(o));
    }

    private String typeName() {
        if (type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == Double.class) {
            return "number";
        }
        if (type == Boolean.class) {
            return "boolean (true/false)";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return flag;
    }

    static Integer parseInt(String s) {
        return Integer.valueOf(s);
    }

    static Long parseLong(String s) {
        return Long.valueOf(s);
    }

    /** Numbers, also in exponent notation; non-finite values are refused. */
    static Double parseDouble(String s) {
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not finite");
        }
        return v;
    }

    static Boolean parseBoolean(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": case "on": case "yes": return Boolean.TRUE;
            case "false": case "off": case "no": return Boolean.FALSE;
            default: throw new IllegalArgumentException("not a boolean");
        }
    }
}
