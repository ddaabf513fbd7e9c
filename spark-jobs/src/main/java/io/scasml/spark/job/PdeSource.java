package io.scasml.spark.job;

import io.scasml.pde.PdeCatalog;
import io.scasml.pde.PdeSpec;
import io.scasml.kernels.pde.Pde;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The seam between the job and the PDE catalog: what the driver ships to executors (the validated spec: its source
 * text and dimension) and how each JVM rebuilds the equation from it, once (Janino compilation cached per JVM by
 * {@link PdeSpec#compile()}).
 *
 * <p>A catalog name ({@code scasml pdes}) or a spec file path (any Hadoop path readable on the driver) both resolve
 * through {@link PdeCatalog#resolveSpec}; built-ins and user specs take the same path.
 */
public final class PdeSource implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String name;
    private final PdeSpec spec;

    private PdeSource(String name, PdeSpec spec) {
        this.name = name;
        this.spec = spec;
    }

    /**
     * Resolves a catalog name or a spec file on the driver and checks that it compiles.
     *
     * @param nameOrPath catalog name or spec file
     * @param dim        spatial dimension (null: the spec's default)
     * @throws UserError naming the bad value
     */
    public static PdeSource resolve(String nameOrPath, Integer dim) {
        return resolve(nameOrPath, dim, HadoopConf.of(java.util.Map.of()), null);
    }

    /**
     * Resolves a catalog name, or reads a spec file through the Hadoop FileSystem API with the run's configuration
     * (any Hadoop path: {@code file:}, {@code hdfs://}, {@code s3a://}; pde-specs reads it strictly: size limit,
     * UTF-8, byte-order mark removed), then parses and checks it.
     *
     * @param conf   the run's Hadoop configuration (the same spark.hadoop.* settings as the points reader)
     * @param limits bounds on the spec (pde-specs {@code SpecLimits}), or null for the defaults
     * @throws UserError or SpecException naming the bad value
     */
    public static PdeSource resolve(String nameOrPath, Integer dim, Configuration conf,
                                    io.scasml.pde.SpecLimits limits) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new UserError("pde: missing; pass --pde NAME|FILE (one of " + PdeCatalog.names() + ", or a spec file)");
        }
        String v = nameOrPath.trim();
        try {
            PdeSpec spec;
            try {
                spec = PdeCatalog.resolveSpec(v, dim, conf, limits);
            } catch (io.scasml.pde.SpecException e) {
                if (!PdeCatalog.contains(v) && String.valueOf(e.getMessage()).endsWith("does not exist")) {
                    throw new UserError("pde: " + io.scasml.io.Messages.quote(v) + " is neither a catalog name "
                        + PdeCatalog.names() + " nor an existing spec file", e);
                }
                throw e;
            }
            PdeSource s = new PdeSource(v, spec);
            s.pde();
            return s;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /**
     * The equation, compiled once per JVM (thread-safe), with non-finite values as data
     * ({@link io.scasml.pde.SpecPde#nonFiniteAsData()}): a NaN or infinite F, g or exact value at a point is returned
     * as such, and the estimator flags that point ({@code status} column) instead of the job failing.
     */
    public Pde pde() {
        return spec.compile().nonFiniteAsData();
    }

    /** A stable description, part of the run fingerprint and the provenance. */
    public String key() {
        return spec.name() + "/d=" + spec.dim() + "/" + spec.contentHash().substring(0, 16);
    }

    /** Catalog name or spec path, as given. */
    public String name() {
        return name;
    }

    /** Spatial dimension. */
    public int dim() {
        return spec.dim();
    }
}
