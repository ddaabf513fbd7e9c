package io.scasml.surrogate;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test (skipped unless {@code -Dscasml.bench=true}): SCaSML rel L2 against wall seconds, exact vs
 * randomized Laplacian, on an example surrogate ({@code -Dscasml.bench.example=dr100}, default; the modes with
 * {@code -Dscasml.bench.laplacians=exact,deflated:4}) — BENCHMARKS.md.
 * <pre>
 * mvn -B -ntp -o -q -pl surrogate-loader -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=RandomizedEqualComputeBench -Dscasml.bench=true
 * </pre>
 */
class RandomizedEqualComputeBench {

    @Test
    @EnabledIfSystemProperty(named = "scasml.bench", matches = "true")
    void errorAtEqualCompute() throws Exception {
        String name = System.getProperty("scasml.bench.example", "dr100");
        int threads = Integer.getInteger("scasml.bench.threads", 2);
        int r = Integer.getInteger("scasml.bench.points", 100);
        Surrogate s;
        if (name.startsWith("nearvb")) {
            // a synthetic near-solution VB network at d = the digits (RandomizedScasmlTest.nearVbNetwork)
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nearvb");
            RandomizedScasmlTest.nearVbNetwork(dir, Integer.parseInt(name.substring(6)), 16);
            s = SurrogateLoader.load(dir.toString()).evaluator();
        } else {
            s = RandomizedScasmlTest.example(name);
        }
        int d = s.dim();
        Pde pde = BuiltinPdes.byName(name.startsWith("nearvb") ? "vb" : name.replaceAll("[0-9]+$", ""), d);
        double half = name.startsWith("vb") ? 0.5 : 1.0 / Math.sqrt(d);
        int[] bases = name.startsWith("nearvb") ? new int[] {3, 4, 6} : new int[] {4, 6, 8, 10};
        String[] laps = System.getProperty("scasml.bench.laplacians") != null
            ? System.getProperty("scasml.bench.laplacians").split(",")
            : name.startsWith("nearvb") ? new String[] {"exact", "hutchinson:4", "hutchinson:16", "deflated:4"}
            : new String[] {"exact", "hutchinson:1", "hutchinson:4"};
        List<QueryPoint> pts = RandomizedScasmlTest.points(r, d, 0.1, half, 21);
        // warm-up (JIT, ND4J)
        LocalRunner.run(PicardEstimator.create(pde, s, RunOptions.builder().levels(2).base(2).build()), pts, threads);
        System.out.println("| laplacian | n | M | wall s (best of 2) | CPU s | SCaSML rel L2 | surrogate rel L2 | mean SE "
            + "| mean probe share |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int m : bases) {
            for (String lap : laps) {
                RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(m).seed(7).laplacian(lap)
                    .build();
                double secs = Double.POSITIVE_INFINITY;
                double cpu = Double.POSITIVE_INFINITY;
                List<PointEstimate> es = null;
                for (int rep = 0; rep < 2; rep++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    es = LocalRunner.run(PicardEstimator.create(pde, s, o), pts, threads);
                    secs = Math.min(secs, (System.nanoTime() - t0) / 1e9);
                    cpu = Math.min(cpu, (os.getProcessCpuTime() - c0) / 1e9);
                }
                double e2 = 0;
                double s2 = 0;
                double x2 = 0;
                double se = 0;
                double share = 0;
                for (PointEstimate e : es) {
                    e2 += (e.u() - e.exact()) * (e.u() - e.exact());
                    s2 += (e.uSurrogate() - e.exact()) * (e.uSurrogate() - e.exact());
                    x2 += e.exact() * e.exact();
                    se += e.stdError();
                    share += e.probeVarianceShare();
                }
                System.out.printf(Locale.ROOT, "| %s | 2 | %d | %.2f | %.2f | %.3e | %.3e | %.3e | %.3f |%n", lap, m, secs, cpu,
                    Math.sqrt(e2 / x2), Math.sqrt(s2 / x2), se / r, share / r);
            }
        }
    }
}
