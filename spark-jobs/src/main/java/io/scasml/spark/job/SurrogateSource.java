package io.scasml.spark.job;

import io.scasml.surrogate.Precision;
import io.scasml.surrogate.SurrogateLoader;
import io.scasml.surrogate.SurrogateModel;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seam between the job and the surrogate loader: a Serializable, broadcastable form of a surrogate (shipped once
 * per executor inside the broadcast run description) and its per-JVM materialisation.
 *
 * <p>Locations understood today:
 * <ul>
 *   <li>{@code class:FQCN} — a class implementing {@link Surrogate} with a public constructor {@code (int dim)}
 *       (analytic surrogates in tests and examples);</li>
 *   <li>anything else — a format-v1 directory; not wired yet (see {@link #open}).</li>
 * </ul>
 * When {@code surrogate-loader} lands: in {@link #open}, load the directory through the Hadoop FileSystem API into
 * its compact broadcast form and keep that in a field; in {@link #build}, materialize it. Nothing else changes.
 */
public final class SurrogateSource implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Surrogate> CACHE = new ConcurrentHashMap<>();
    private static final String CLASS_PREFIX = "class:";

    private final String location;
    private final int dim;
    /** The loaded format-v1 surrogate in its compact broadcast form (primitive arrays), or null for class:. */
    private final SurrogateModel model;
    private final Precision precision;

    private SurrogateSource(String location, int dim, SurrogateModel model, Precision precision) {
        this.location = location;
        this.dim = dim;
        this.model = model;
        this.precision = precision;
    }

    /**
     * Opens a surrogate on the driver.
     *
     * @param location a {@code class:} name or a surrogate directory (Hadoop path)
     * @param dim      the PDE's dimension (for analytic surrogates)
     * @throws UserError if it cannot be opened
     */
    public static SurrogateSource open(String location, int dim) {
        return open(location, dim, Precision.FP64);
    }

    /**
     * Opens a surrogate on the driver: a format-v1 directory is loaded and validated completely here (through the
     * Hadoop FileSystem API), so executors receive only its compact form.
     *
     * @param precision compute precision of the ND4J kernels
     * @throws UserError if it cannot be loaded or its dimension differs from the PDE's
     */
    public static SurrogateSource open(String location, int dim, Precision precision) {
        return open(location, dim, precision, HadoopConf.of(java.util.Map.of()), null);
    }

    /**
     * Opens a surrogate on the driver with the run's Hadoop configuration (the same {@code spark.hadoop.*}
     * credentials and endpoints as the points reader).
     */
    public static SurrogateSource open(String location, int dim, Precision precision,
                                       org.apache.hadoop.conf.Configuration conf,
                                       io.scasml.surrogate.SurrogateLimits limits) {
        String loc = location.trim();
        SurrogateModel m = null;
        if (!loc.startsWith(CLASS_PREFIX)) {
            try {
                m = limits == null ? SurrogateLoader.load(loc, conf) : SurrogateLoader.load(loc, conf, limits);
            } catch (java.io.IOException | IllegalArgumentException e) {
                String msg = oneLine(e.getMessage());
                throw new UserError(msg.startsWith("surrogate") ? msg : "surrogate: " + msg, e);
            }
            if (m.dim() != dim) {
                throw new UserError("surrogate: " + loc + " has dimension " + m.dim() + " but the PDE has d = " + dim);
            }
        }
        SurrogateSource s = new SurrogateSource(loc, dim, m, precision);
        s.materialize();
        return s;
    }

    private static String oneLine(String m) {
        return m == null ? "" : io.scasml.io.Messages.oneLine(m);
    }

    /** The surrogate, built once per JVM; thread-safe implementations are shared by all tasks of the JVM. */
    public Surrogate materialize() {
        return CACHE.computeIfAbsent(key(), k -> build());
    }

    private Surrogate build() {
        if (model != null) {
            return model.evaluator(precision);
        }
        String cls = location.substring(CLASS_PREFIX.length());
        try {
            Class<?> c = Class.forName(cls, true, Thread.currentThread().getContextClassLoader());
            if (!Surrogate.class.isAssignableFrom(c)) {
                throw new UserError("surrogate: class " + cls + " does not implement " + Surrogate.class.getName());
            }
            Constructor<?> k = c.getConstructor(int.class);
            return (Surrogate) k.newInstance(dim);
        } catch (ReflectiveOperationException e) {
            throw new UserError("surrogate: cannot instantiate " + cls + "(int dim): " + e, e);
        }
    }

    /** Dimension of the surrogate's inputs. */
    public int dim() {
        return materialize().dim();
    }

    /** A stable description, part of the run fingerprint and the provenance. */
    public String key() {
        return (model != null ? "sha256:" + model.checksum() + "/" + precision : location) + "/d=" + dim;
    }

    /** Where it came from, as given. */
    public String location() {
        return location;
    }
}
