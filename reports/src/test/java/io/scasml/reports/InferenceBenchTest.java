package io.scasml.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The inference bench's monotonicity check and case names with a variant (no simulation: milliseconds). */
class InferenceBenchTest {

    static InferenceBenchCommand.Row row(String label, double evals, double err, double se) {
        return new InferenceBenchCommand.Row("test", label, evals, 0, err, se, Double.NaN, 0);
    }

    @Test
    void theErrorMayNotGrowWithComputeBeyondTwoCombinedSe() {
        // order of compute, not of the list; 0.011 is within 2·√(0.001² + 0.001²) = 0.0028 of 0.010
        assertEquals(List.of(), InferenceBenchCommand.monotone(List.of(row("b", 200, 0.011, 0.001),
            row("a", 100, 0.010, 0.001), row("c", 400, 0.005, 0.001))));
        List<String> bad = InferenceBenchCommand.monotone(List.of(row("a", 100, 0.010, 0.001),
            row("b", 200, 0.020, 0.001)));
        assertEquals(1, bad.size());
        assertTrue(bad.get(0).startsWith("b (0.0200) > a (0.0100)"), bad.get(0));
    }

    @Test
    void aCaseMayNameAVariant() {
        Object[] c = CaseOptions.parseCase("hjb100-ball");
        assertEquals("hjb", c[0]);
        assertEquals(100, c[1]);
        assertEquals("vb", CaseOptions.parseCase("vb20")[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CaseOptions.parseCase("hjb-ball"));
        assertTrue(e.getMessage().contains("hjb-ball"), e.getMessage());
    }
}
