package io.scasml.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.PointStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench precision}: the per-point comparison, and the command end to end on tiny settings. */
class PrecisionBenchTest {

    private static PointEstimate est(long id, double u, double se) {
        return new PointEstimate(id, 0.1, new double[] {0.0}, Double.NaN, 0, u, se, u - 2 * se, u + 2 * se,
            new double[] {Double.NaN}, Double.NaN, new long[0], Double.NaN, Double.NaN, Double.NaN, 10,
            PointStatus.OK, Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    void comparesEachPointInUnitsOfItsStandardError() {
        List<PointEstimate> a = List.of(est(0, 1.0, 0.1), est(1, 2.0, 0.2), est(2, 3.0, 0.0), est(3, 4.0, Double.NaN));
        // 0.0005/0.1 = 0.005 and 0.001/0.2 = 0.005: below 1%; the SE = 0 point is unchanged
        List<PointEstimate> b = List.of(est(0, 1.0005, 0.1), est(1, 2.001, 0.2), est(2, 3.0, 0.0), est(3, 4.5, 0.1));
        PrecisionBenchCommand.Row r = PrecisionBenchCommand.compare("c", "s", a, b, 0.01, 1, 1);
        assertEquals(2, r.withSe());
        assertEquals(0.005, r.max(), 1e-9);
        assertEquals(0, r.over());
        assertEquals(1, r.noErrorBar());
        assertEquals(0.5, r.maxAbsNoErrorBar(), 1e-12);
        assertTrue(r.passes());
        // one point at 2% of its SE, and a change where SE = 0: both fail the criterion
        List<PointEstimate> c = List.of(est(0, 1.002, 0.1), est(1, 2.0, 0.2), est(2, 3.1, 0.0), est(3, 4.0, 0.1));
        PrecisionBenchCommand.Row q = PrecisionBenchCommand.compare("c", "s", a, c, 0.01, 1, 1);
        assertEquals(1, q.over());
        assertEquals(1, q.changedWithoutSe());
        assertFalse(q.passes());
    }

    @Test
    void endToEndOnTheExampleSurrogate(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("prec");
        int rc = new CommandLine(new PrecisionBenchCommand()).execute("--surrogates", BenchCommandsTest.EXAMPLES,
            "--cases", "vb20", "--points", "12", "--levels", "1", "--base", "3", "--threads", "2",
            "--out", out.toString());
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode row = r.at("/results/vb20/full-history");
        assertEquals(12, row.get("points").asInt());
        assertTrue(row.get("max_ratio").asDouble() >= 0, row.toString());
        assertTrue(r.get("command").asText().startsWith("scasml bench precision"));
    }
}
