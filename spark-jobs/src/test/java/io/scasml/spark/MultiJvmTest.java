package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors in separate JVMs: {@code local-cluster[2,1,1024]} (two executor processes launched by in-process
 * workers). Needs SPARK_HOME with a jars/ folder (Surefire points it into target/) and the executor classpath as
 * absolute paths. Opt-in, to keep {@code mvn verify} short; the helpers serve {@link StandaloneClusterTest}.
 */
class MultiJvmTest {
    @TempDir
    Path tmp;

    /** The test classpath with absolute entries, for executor JVMs. */
    static String absoluteTestClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringBuilder b = new StringBuilder();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                b.append(b.length() == 0 ? "" : File.pathSeparator).append(Paths.get(e).toAbsolutePath());
            }
        }
        return b.toString();
    }

    static void sparkHome() throws Exception {
        String home = System.getenv("SPARK_HOME");
        assertTrue(home != null, "SPARK_HOME is set by Surefire (spark-jobs/pom.xml)");
        Files.createDirectories(Paths.get(home, "jars"));
    }

    static List<PointEstimate> localRunner(int n, long seed) {
        Pde pde = BuiltinPdes.byName("vb", 3);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(2).base(3).seed(seed).pointsPerUnit(4)
            .unitCost(20).build();
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), 3, n, seed);
        return LocalRunner.run(PicardEstimator.create(pde, null, o), pts, 1);
    }

    /** Opt-in (-Dscasml.test.localCluster=true): StandaloneClusterTest covers separate executor JVMs by default. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "scasml.test.localCluster", matches = "true")
    void localClusterTwoExecutorJvmsIsBitIdenticalToLocalRunner() throws Exception {
        sparkHome();
        Path out = tmp.resolve("lc");
        List<String> a = TestSupport.vbArgs("sample:16", out, "local-cluster[2,1,1024]");
        a.addAll(List.of("--format", "csv", "--partitions", "6",
            "--conf", "spark.executor.extraClassPath=" + absoluteTestClasspath(),
            "--conf", "spark.executor.memory=512m"));
        TestSupport.Result r = TestSupport.cli(a.toArray(new String[0])).ok();
        assertTrue(r.err().contains("16 points"), r.err());
        LocalRunnerCheck.assertBitIdentical(localRunner(16, 7), TestSupport.csvRows(out));
    }
}
