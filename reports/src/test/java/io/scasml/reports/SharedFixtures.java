package io.scasml.reports;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * The optional interoperability fixtures of {@code ../shared/fixtures}; tests that use them are skipped, with the
 * reason on stderr, where the directory is absent (a bare clone). The directory is {@code $SCASML_SHARED_DIR} if
 * set, else the system property {@code scasml.shared.dir} (set by the parent pom), else {@code ../../shared}. Same
 * rule as surrogate-loader's test helper of the same name.
 */
final class SharedFixtures {
    private SharedFixtures() {
    }

    static File sharedDir() {
        String env = System.getenv("SCASML_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            return new File(env);
        }
        String p = System.getProperty("scasml.shared.dir");
        return new File(p != null && !p.isBlank() ? p : "../../shared");
    }

    /** {@code <shared>/fixtures} when it holds {@code <needed>}, or the test is skipped with the reason printed. */
    static File fixtures(String needed) {
        File f = new File(sharedDir(), "fixtures");
        if (!new File(f, needed).isDirectory()) {
            String reason = "skipped: interoperability fixture " + new File(f, needed).getPath() + " is absent (set "
                + "SCASML_SHARED_DIR or -Dscasml.shared.dir to a directory holding fixtures/ to run it)";
            System.err.println("[shared-fixtures] " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return f;
    }
}
