package io.scasml.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The optional interoperability fixtures of {@code ../shared/fixtures} for the spark-jobs tests: a test that needs
 * one runs when it exists (CI) and is skipped, with the reason on stderr ({@code [shared-fixtures] skipped: ...}),
 * when it does not (a bare clone). Same lookup as surrogate-loader and reports: {@code $SCASML_SHARED_DIR} if set,
 * else the system property {@code scasml.shared.dir} (the parent pom sets it to
 * {@code ${maven.multiModuleProjectDirectory}/../shared}), else {@code ../../shared}.
 */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The shared directory as configured (it may not exist). */
    static Path sharedDir() {
        String env = System.getenv("SCASML_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String p = System.getProperty("scasml.shared.dir");
        return Path.of(p != null && !p.isBlank() ? p : "../../shared");
    }

    /** {@code <shared>/fixtures/<name>}, or the calling test is skipped with the reason printed. */
    static Path fixture(String name) {
        Path f = sharedDir().resolve("fixtures").resolve(name);
        if (!Files.isDirectory(f)) {
            String reason = "skipped: interoperability fixture " + f + " is absent (set SCASML_SHARED_DIR or"
                + " -Dscasml.shared.dir to a directory holding fixtures/ to run it)";
            System.err.println("[shared-fixtures] " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return f;
    }
}
