package io.scasml.spark.job;

import io.scasml.io.InputException;
import io.scasml.io.Messages;
import io.scasml.io.StrictText;
import io.scasml.pde.PdeCatalog;
import io.scasml.pde.PdeSpec;
import io.scasml.kernels.pde.Pde;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

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
        return resolve(nameOrPath, dim, HadoopConf.of(java.util.Map.of()), SolveLimits.DEFAULTS.get("file-bytes"));
    }

    /**
     * Resolves a catalog name, or reads a spec file through the Hadoop FileSystem API with the run's configuration
     * (any Hadoop path: {@code file:}, {@code hdfs://}, {@code s3a://}), strictly decoded (UTF-8, byte-order mark
     * removed) and at most {@code maxBytes} long, then parses and checks it.
     *
     * @param conf     the run's Hadoop configuration (null: catalog names and local files only)
     * @param maxBytes the largest spec file read (limit {@code file-bytes})
     * @throws UserError or InputException naming the bad value
     */
    public static PdeSource resolve(String nameOrPath, Integer dim, Configuration conf, long maxBytes) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new UserError("pde: missing; pass --pde NAME|FILE (one of " + PdeCatalog.names() + ", or a spec file)");
        }
        String v = nameOrPath.trim();
        try {
            PdeSpec spec;
            if (conf == null || PdeCatalog.contains(v)) {
                spec = PdeCatalog.resolveSpec(v, dim);
            } else {
                byte[] bytes;
                try {
                    bytes = StrictText.readFile(new Path(v), conf, maxBytes, "--limit file-bytes=N");
                } catch (InputException e) {
                    if (e.detail().equals("does not exist")) {
                        throw new UserError("pde: " + Messages.quote(v) + " is neither a catalog name "
                            + PdeCatalog.names() + " nor an existing spec file");
                    }
                    throw new InputException("pde: " + e.source(), e.field(), e.detail(), e);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    throw new UserError("pde: " + v + ": cannot be read: " + Messages.oneLine(e), e);
                }
                // TODO(pde-specs): hand the bytes and the configuration to the strict spec reader once it lands.
                spec = PdeSpec.of(v, StrictText.decode("pde: " + v, bytes), dim);
            }
            PdeSource s = new PdeSource(v, spec);
            s.pde();
            return s;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The equation, compiled once per JVM (thread-safe). */
    public Pde pde() {
        return spec.compile();
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
