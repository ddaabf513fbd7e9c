package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scasml.kernels.picard.PointEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the job's CSV rows with LocalRunner's estimates, bit for bit. */
final class LocalRunnerCheck {
    private LocalRunnerCheck() {
    }

    /** Rows as written for d = 3 with exact values: id, t, x0..x2, 6 values, exact, abs_error, 7 counts. */
    static void assertBitIdentical(List<PointEstimate> local, Map<Long, String> rows) {
        assertEquals(local.size(), rows.size());
        List<String> diffs = new ArrayList<>();
        for (PointEstimate e : local) {
            String[] f = rows.get(e.id()).split(",");
            double[] want = {e.t(), e.x()[0], e.x()[1], e.x()[2], e.uSurrogate(), e.correction(), e.u(), e.stdError(),
                e.ciLow(), e.ciHigh(), e.exact(), e.error()};
            for (int k = 0; k < want.length; k++) {
                double got = Double.parseDouble(f[1 + k]);
                if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want[k])) {
                    diffs.add("id " + e.id() + " column " + (1 + k) + ": spark " + got + " local " + want[k]);
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
