package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Same seed → bit-identical estimates for any thread count, unit order and grouping. */
class ReproducibilityTest {

    private static void assertBitIdentical(List<PointEstimate> a, List<PointEstimate> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            PointEstimate x = a.get(i);
            PointEstimate y = b.get(i);
            assertEquals(x.id(), y.id());
            assertEquals(Double.doubleToLongBits(x.u()), Double.doubleToLongBits(y.u()), "u of point " + x.id());
            assertEquals(Double.doubleToLongBits(x.stdError()), Double.doubleToLongBits(y.stdError()));
            assertArrayEquals(x.z(), y.z(), 0.0);
            assertArrayEquals(x.counts(), y.counts());
            assertEquals(Double.doubleToLongBits(x.gradVarTrace()), Double.doubleToLongBits(y.gradVarTrace()));
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"scasml,full-history,vb", "mlp,full-history,hjb", "scasml,quadrature,vb", "mlp,quadrature,dr"})
    void threadsOrderAndGroupingDoNotChangeBits(String method, String scheme, String pdeName) {
        int d = 8;
        Pde pde = BuiltinPdes.byName(pdeName, d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 23, 2);
        RunOptions o = RunOptions.builder().method(Method.parse(method)).scheme(Scheme.parse(scheme)).levels(3)
            .base(5).seed(42).pointsPerUnit(5).unitCost(300).antithetic(pdeName.equals("vb")).build();
        var s = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 0.1, 2.0);
        PicardEstimator est = PicardEstimator.create(pde, s, o);
        List<PointEstimate> one = LocalRunner.run(est, pts, 1);
        assertBitIdentical(one, LocalRunner.run(est, pts, 2));
        assertBitIdentical(one, LocalRunner.run(est, pts, 3, true, null));
        // another grouping (pure-Java PDE and surrogate: per-point arithmetic does not depend on the batch)
        PicardEstimator est2 = PicardEstimator.create(pde, s, o.toBuilder().pointsPerUnit(7).build());
        assertBitIdentical(one, LocalRunner.run(est2, pts, 2));
        // input order: each point's estimate depends on (seed, id, t, x) only
        List<QueryPoint> rev = new ArrayList<>(pts);
        Collections.reverse(rev);
        List<PointEstimate> r = new ArrayList<>(LocalRunner.run(est, rev, 2));
        Collections.reverse(r);
        assertBitIdentical(one, r);
        // a different seed changes the numbers
        PicardEstimator other = PicardEstimator.create(pde, s, o.toBuilder().seed(43).build());
        assertNotEquals(one.get(0).u(), LocalRunner.run(other, pts, 2).get(0).u());
    }
}
