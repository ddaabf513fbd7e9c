package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The work plan: counted before built, limits named in one-line refusals, units as a view. */
class WorkPlanTest {
    static final Pde PDE = BuiltinPdes.hjb(4, 1.0);

    private static void refusedFast(Executable e, String... fragments) {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
            String m = ex.getMessage();
            assertTrue(!m.contains("\n"), "one line: " + m);
            for (String f : fragments) {
                assertTrue(m.contains(f), "message '" + m + "' should mention '" + f + "'");
            }
        });
    }

    private static PicardEstimator mlp(RunOptions.Builder b) {
        return PicardEstimator.create(PDE, null, b.method(Method.MLP).build());
    }

    @Test
    void absurdOptionsAreRefusedFromCountsWithoutBuildingAnything() {
        // options beyond their limits
        refusedFast(() -> RunOptions.builder().base(Integer.MAX_VALUE).build(), "base", "2147483647", "max_base",
            "1000000", "--max-base");
        refusedFast(() -> RunOptions.builder().levels(9).build(), "levels", "9", "max_levels", "8", "--max-levels");
        refusedFast(() -> RunOptions.builder().maxLevels(65).build(), "max_levels", "65");
        // within the limits but hopeless: the budget, from saturating counts
        refusedFast(() -> mlp(RunOptions.builder().levels(8).base(1_000_000)), "budget", "max_evaluations_per_point",
            "--max-evals");
        refusedFast(() -> mlp(RunOptions.builder().levels(3).base(1_000_000)
            .maxEvaluationsPerPoint(1e300)), "levels/base", "overflow");
        // billions of units per group: unit_cost 1 with the budget lifted
        refusedFast(() -> mlp(RunOptions.builder().levels(2).base(30_000).unitCost(1).maxEvaluationsPerPoint(1e300)
            .batchPoints(1 << 20)), "units", "max_units_per_group", "--unit-cost");
        refusedFast(() -> mlp(RunOptions.builder().levels(2).base(40_000).unitCost(1).maxEvaluationsPerPoint(1e300)
            .maxUnitsPerGroup(Integer.MAX_VALUE)), "units", "max_units_per_group");
        // a run over absurdly many points: counted, not enumerated
        PicardEstimator e = mlp(RunOptions.builder().levels(2).base(10));
        refusedFast(() -> e.plan().checkPoints(Long.MAX_VALUE), "units", "max_work_units", "--max-work-units");
        assertEquals((Long.MAX_VALUE / 64 + 1) * e.plan().unitsPerGroup(), e.plan().workUnits(Long.MAX_VALUE));
        PicardEstimator single = mlp(RunOptions.builder().levels(2).base(10).pointsPerUnit(1));
        assertEquals(Long.MAX_VALUE, single.plan().workUnits(Long.MAX_VALUE)); // saturates, does not wrap
        e.plan().checkPoints(1000);
        // LocalRunner checks before allocating its task list
        PicardEstimator tight = mlp(RunOptions.builder().levels(2).base(10).maxWorkUnits(3));
        List<QueryPoint> pts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pts.add(new QueryPoint(i, 0.1, new double[4])); // 4 groups of 64: at least 4 units
        }
        refusedFast(() -> LocalRunner.run(tight, pts, 1), "max_work_units = 3");
    }

    @Test
    void unitCostsAddUpToThePlansCostPerPoint() {
        for (RunOptions.Builder b : List.of(RunOptions.builder().levels(2).base(10),
            RunOptions.builder().levels(3).base(5).unitCost(50), RunOptions.builder().levels(2).base(7).unitCost(3))) {
            WorkPlan p = mlp(b).plan();
            double sum = 0;
            for (int u = 0; u < p.unitsPerGroup(); u++) {
                assertTrue(p.unitCost(u) > 0, "unit " + u);
                sum += p.unitCost(u);
            }
            assertEquals(p.evaluationsPerPoint(), sum, 1e-9 * sum);
        }
    }

    @Test
    void largeButAdmissiblePlansAreViewsNotLists() {
        PicardEstimator e = mlp(RunOptions.builder().levels(2).base(2000).unitCost(1)
            .maxEvaluationsPerPoint(1e12).maxUnitsPerGroup(Integer.MAX_VALUE));
        List<UnitKey> u = e.units();
        assertTrue(u.size() > 1_000_000, "size " + u.size());
        assertEquals(new UnitKey(0, 0), u.get(0));
        UnitKey last = u.get(u.size() - 1);
        assertEquals(e.topTerms() - 1, last.term());
        assertEquals((e.termSamples(last.term()) - 1) / e.blockSize(last.term()), last.block());
    }

    @ParameterizedTest(name = "{0} {1} n={2} M={3} anti={4}")
    @CsvSource({
        "mlp,full-history,3,5,false,hjb", "mlp,quadrature,4,1,true,hjb", "scasml,full-history,3,4,false,vb",
        "scasml,full-history,2,6,true,lin", "mlp,full-history,2,6,false,lin", "scasml,quadrature,3,1,false,lin"})
    void unitViewEnumeratesTermsAndBlocksInOrder(String method, String scheme, int n, int m, boolean anti,
                                                 String pdeName) {
        Pde pde = pdeName.equals("lin") ? TestPdes.linearTerminal(3, 0.1, 0.5, 1.0) : BuiltinPdes.byName(pdeName, 3);
        RunOptions o = RunOptions.builder().method(Method.parse(method)).scheme(Scheme.parse(scheme)).levels(n)
            .base(m).antithetic(anti).unitCost(150).build();
        PicardEstimator e = PicardEstimator.create(pde, AnalyticSurrogates.zero(3), o);
        List<UnitKey> expected = new ArrayList<>();
        for (int t = 0; t < e.topTerms(); t++) {
            int s = e.blockSize(t);
            if (s == 0) {
                continue; // a vanishing term (F = 0): no units
            }
            for (int b = 0; b * (long) s < e.termSamples(t); b++) {
                expected.add(new UnitKey(t, b));
            }
        }
        assertEquals(expected, new ArrayList<>(e.units()));
        assertEquals(expected.size(), e.plan().unitsPerGroup());
        assertEquals(3 * (long) expected.size(), e.plan().workUnits(3L * o.pointsPerUnit()));
        assertEquals(4 * (long) expected.size(), e.plan().workUnits(3L * o.pointsPerUnit() + 1));
        assertEquals(e.estimatedEvaluationsPerPoint() * 10, e.plan().evaluations(10), 0);
    }
}
