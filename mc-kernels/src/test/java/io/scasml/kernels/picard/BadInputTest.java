package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets a one-line message naming the value and what was expected. */
class BadInputTest {

    private static void refused(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        String m = ex.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message '" + m + "' should mention '" + f + "'");
        }
    }

    @Test
    void options() {
        refused(() -> RunOptions.builder().levels(-1).build(), "levels", "-1", ">= 0");
        refused(() -> RunOptions.builder().base(0).build(), "base", "0", ">= 1");
        refused(() -> RunOptions.builder().clip(-1).build(), "clip");
        refused(() -> Method.parse("foo"), "foo", "mlp");
        refused(() -> Scheme.parse("bar"), "bar", "quadrature");
    }

    @Test
    void points() {
        Pde pde = BuiltinPdes.vb(3);
        PicardEstimator e = PicardEstimator.create(pde, null, RunOptions.builder().method(Method.MLP).build());
        refused(() -> e.validate(new QueryPoint(7, 0.6, new double[3])), "id=7", "0.6", "[0, T = 0.5]");
        refused(() -> e.validate(new QueryPoint(8, -0.1, new double[3])), "id=8", "-0.1");
        refused(() -> e.validate(new QueryPoint(9, Double.NaN, new double[3])), "id=9", "NaN");
        refused(() -> e.validate(new QueryPoint(1, 0.1, new double[2])), "id=1", "2 coordinates", "d = 3");
        refused(() -> e.validate(new QueryPoint(2, 0.1, new double[] {0, Double.NaN, 0})), "id=2", "x1", "NaN");
        refused(() -> e.validate(new QueryPoint(3, 0.1, new double[] {0, 0, Double.POSITIVE_INFINITY})), "x2");
    }

    @Test
    void tinyHalvesAreWarnedAbout() {
        Pde pde = BuiltinPdes.hjb(5, 1.0);
        RunOptions o = RunOptions.builder().method(Method.MLP).levels(3).base(4).innerSamples(InnerSamples.WARN).build();
        java.util.List<String> w = PicardEstimator.create(pde, null, o).configurationWarnings();
        assertTrue(w.size() == 1 && w.get(0).contains("2 sample(s) per half") && w.get(0).contains("--base"), w.toString());
        assertTrue(PicardEstimator.create(pde, null, o.toBuilder().base(16).build()).configurationWarnings().isEmpty());
        assertTrue(PicardEstimator.create(pde, null, o.toBuilder().splitHalf(false).leaveOneOut(false).build())
            .configurationWarnings().isEmpty());
    }

    @Test
    void surrogateMismatchAndBudget() {
        Pde pde = BuiltinPdes.vb(3);
        refused(() -> PicardEstimator.create(pde, null, RunOptions.builder().build()), "surrogate", "needs");
        refused(() -> PicardEstimator.create(pde, AnalyticSurrogates.zero(4), RunOptions.builder().build()),
            "dimension 4", "3");
        refused(() -> PicardEstimator.create(pde, null, RunOptions.builder().method(Method.MLP).levels(6).base(10)
            .build()), "budget", "evaluations per point", "--max-evals");
    }
}
