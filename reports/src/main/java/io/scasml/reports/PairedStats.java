package io.scasml.reports;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.TTest;

/**
 * Statistics over repeated seeds: the mean and sample standard deviation of one quantity ({@link #summary}), and a
 * paired comparison of two methods run on the same seeds ({@link #paired}): the mean difference a − b, its Student t
 * confidence interval (K − 1 degrees of freedom), the two-sided paired t test p-value and the two-sided exact sign
 * test p-value (binomial, p = 1/2, ties dropped). The distributions and tests are Apache Commons Statistics'.
 */
public final class PairedStats {
    private PairedStats() {
    }

    /** Mean and sample standard deviation (n − 1; NaN for fewer than 2 values) of K values. */
    public record Summary(double mean, double sd, int n) {
        /** As a JSON-friendly map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", mean);
            m.put("sd", Double.isNaN(sd) ? null : sd);
            m.put("n", n);
            return m;
        }
    }

    /**
     * A paired comparison of a against b over the same K seeds.
     *
     * @param meanDiff  mean of a − b
     * @param sdDiff    sample standard deviation of a − b (NaN for K &lt; 2)
     * @param ciLow     lower end of the confidence interval of the mean difference (NaN for K &lt; 2)
     * @param ciHigh    upper end (NaN for K &lt; 2)
     * @param level     the interval's confidence level, e.g. 0.95
     * @param tPValue   two-sided paired t test p-value (NaN for K &lt; 2; 0 or 1 when all differences are equal)
     * @param below     seeds with a &lt; b
     * @param above     seeds with a &gt; b
     * @param signPValue two-sided exact sign test p-value over the untied seeds (1 when all are tied)
     * @param n         K
     */
    public record Paired(double meanDiff, double sdDiff, double ciLow, double ciHigh, double level, double tPValue,
                         int below, int above, double signPValue, int n) {
        /** Whether a is below b and the t test says so at significance {@code alpha} (interval entirely below 0). */
        public boolean significantlyBelow(double alpha) {
            return meanDiff < 0 && tPValue < alpha;
        }

        /** As a JSON-friendly map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean_difference", meanDiff);
            m.put("sd_difference", nul(sdDiff));
            m.put("ci_level", level);
            m.put("ci_low", nul(ciLow));
            m.put("ci_high", nul(ciHigh));
            m.put("t_test_p", nul(tPValue));
            m.put("seeds_below", below);
            m.put("seeds_above", above);
            m.put("sign_test_p", signPValue);
            m.put("n", n);
            return m;
        }
    }

    private static Object nul(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Mean and sample standard deviation. */
    public static Summary summary(double[] v) {
        int n = v.length;
        if (n == 0) {
            return new Summary(Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= n;
        if (n < 2) {
            return new Summary(mean, Double.NaN, n);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new Summary(mean, Math.sqrt(ss / (n - 1)), n);
    }

    /**
     * The paired comparison of a against b (same length K ≥ 1, a[i] and b[i] from the same seed) at confidence
     * {@code level} (e.g. 0.95).
     *
     * @throws IllegalArgumentException if the lengths differ or are 0, or level is not in (0, 1)
     */
    public static Paired paired(double[] a, double[] b, double level) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired: need two samples of the same length >= 1, got " + a.length
                + " and " + b.length);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("paired: confidence level " + level + " is not in (0, 1)");
        }
        int n = a.length;
        double[] d = new double[n];
        int below = 0;
        int above = 0;
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
            if (d[i] < 0) {
                below++;
            } else if (d[i] > 0) {
                above++;
            }
        }
        Summary s = summary(d);
        double lo = Double.NaN;
        double hi = Double.NaN;
        double p = Double.NaN;
        if (n >= 2) {
            double se = s.sd() / Math.sqrt(n);
            if (se > 0) {
                double q = TDistribution.of(n - 1).inverseSurvivalProbability((1 - level) / 2);
                lo = s.mean() - q * se;
                hi = s.mean() + q * se;
                p = TTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).pairedTest(a, b).getPValue();
            } else {
                // every difference equal: no spread, the interval is the point and the test is degenerate
                lo = s.mean();
                hi = s.mean();
                p = s.mean() == 0 ? 1 : 0;
            }
        }
        int untied = below + above;
        double sign = untied == 0 ? 1
            : BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).test(untied, below, 0.5).getPValue();
        return new Paired(s.mean(), s.sd(), lo, hi, level, p, below, above, sign, n);
    }
}
