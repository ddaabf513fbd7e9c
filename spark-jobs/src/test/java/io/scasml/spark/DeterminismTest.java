package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit-identical per-point results for local[1], local[2], any --partitions, injected task failures with retries,
 * and the engine's own LocalRunner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeterminismTest {
    static final int N = 24;

    @TempDir
    static Path tmp;
    Map<Long, String> reference;

    @BeforeAll
    void referenceRun() throws Exception {
        Path out = tmp.resolve("ref");
        List<String> a = TestSupport.vbArgs("sample:" + N, out, "local[1]");
        a.addAll(List.of("--format", "csv"));
        TestSupport.cli(a.toArray(new String[0])).ok();
        reference = TestSupport.csvRows(out);
        assertEquals(N, reference.size());
    }

    private Map<Long, String> run(String name, String master, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> a = TestSupport.vbArgs("sample:" + N, out, master);
        a.addAll(List.of("--format", "csv"));
        a.addAll(List.of(extra));
        TestSupport.cli(a.toArray(new String[0])).ok();
        return TestSupport.csvRows(out);
    }

    @Test
    void local2WithManyPartitionsEqualsLocal1() throws Exception {
        assertEquals(reference, run("p7", "local[2]", "--partitions", "7"));
    }

    @Test
    void onePartitionEqualsLocal1() throws Exception {
        assertEquals(reference, run("p1", "local[2]", "--partitions", "1"));
    }

    @Test
    void failedFirstAttemptsAreRetriedWithIdenticalResults() throws Exception {
        // local[2,3]: three attempts per task; every second simulation task fails its first attempt.
        assertEquals(reference, run("faults", "local[2,3]", "--partitions", "5", "--inject-failures", "2"));
    }

    @Test
    void equalsLocalRunner() {
        Pde pde = BuiltinPdes.byName("vb", 3);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(2).base(3).seed(7).pointsPerUnit(4)
            .unitCost(20).build();
        PicardEstimator est = PicardEstimator.create(pde, null, o);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), 3, N, 7);
        List<PointEstimate> local = LocalRunner.run(est, pts, 2);
        assertTrue(est.units().size() > 1, "the test needs several units per group");
        List<String> diffs = new ArrayList<>();
        for (PointEstimate e : local) {
            String[] f = reference.get(e.id()).split(",");
            // id, t, x0..x2, u_surrogate, correction, u, std_error, ci_low, ci_high, exact, abs_error, counts
            double[] want = {e.t(), e.x()[0], e.x()[1], e.x()[2], e.uSurrogate(), e.correction(), e.u(), e.stdError(),
                e.ciLow(), e.ciHigh(), e.exact(), e.error()};
            for (int k = 0; k < want.length; k++) {
                double got = Double.parseDouble(f[1 + k]);
                if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want[k])) {
                    diffs.add("id " + e.id() + " column " + k + ": spark " + got + " local " + want[k]);
                }
            }
            for (int k = 0; k < e.counts().length; k++) {
                if (Long.parseLong(f[13 + k]) != e.counts()[k]) {
                    diffs.add("id " + e.id() + " count " + k);
                }
            }
        }
        assertEquals(List.of(), diffs);
    }
}
