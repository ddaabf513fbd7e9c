package io.scasml.surrogate;

import org.junit.jupiter.api.Assumptions;

import java.io.File;

/**
 * The optional interoperability fixtures of {@code ../shared/fixtures} (surrogates written by an independent NumPy
 * exporter, with golden values). The project's own tests never need them; the tests that compare against them run
 * when the directory exists and are skipped, with the reason on stderr, when it does not (a bare clone).
 *
 * <p>The directory is {@code $SCASML_SHARED_DIR} if that is set (it wins, since Surefire's
 * {@code systemPropertyVariables} may override a {@code -D} given to Maven), else the system property
 * {@code scasml.shared.dir} (set by the parent pom to {@code ${maven.multiModuleProjectDirectory}/../shared}), else
 * {@code ../../shared} from the module directory.
 */
final class SharedFixtures {

    private SharedFixtures() {
    }

    /** The shared directory as configured (it may not exist). */
    static File sharedDir() {
        String env = System.getenv("SCASML_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            return new File(env);
        }
        String p = System.getProperty("scasml.shared.dir");
        return new File(p != null && !p.isBlank() ? p : "../../shared");
    }

    /** {@code <shared>/fixtures/<name>}, or the test is skipped with the reason printed. */
    static File fixture(String name) {
        File f = new File(new File(sharedDir(), "fixtures"), name);
        boolean ok = f.isDirectory();
        if (!ok) {
            String reason = "skipped: interoperability fixture " + f.getPath() + " is absent (set SCASML_SHARED_DIR "
                    + "or -Dscasml.shared.dir to a directory holding fixtures/ to run it)";
            System.err.println("[shared-fixtures] " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return f;
    }
}
