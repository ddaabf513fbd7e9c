package io.scasml.trainer;

import io.scasml.pde.PdeCatalog;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;

/**
 * The one seam between the trainer and the PDE catalog: a catalog name or a spec file, resolved by pde-specs'
 * {@link PdeCatalog} — the same path as {@code scasml solve}. The hand-written {@link BuiltinPdes} remain the
 * reference implementations those specs are tested against.
 */
public final class PdeResolver {
    private PdeResolver() {
    }

    /**
     * Resolves a catalog name or spec path.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static Pde resolve(String nameOrPath, int dim) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("pde: missing; pass --pde NAME|FILE (names: " + PdeCatalog.names() + ")");
        }
        return PdeCatalog.resolve(nameOrPath.trim(), dim);
    }
}
