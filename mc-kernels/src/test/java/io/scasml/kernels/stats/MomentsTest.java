package io.scasml.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.random.StreamKeys;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/** Stable moments: large means with small spreads keep their digits, in one stream or combined from blocks. */
class MomentsTest {

    @Test
    void largeMeanSmallSpreadVarianceTo1e10() {
        UniformRandomProvider r = StreamKeys.stream(2024);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(r);
        int n = 20_000;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1e6 + 1e-3 * g.sample();
        }
        double exact = exactVariance(v);
        // one stream
        Moments one = new Moments();
        for (double x : v) {
            one.accept(x);
        }
        assertEquals(exact, one.variance(), 1e-10 * exact);
        // uneven blocks combined in order (as the work units are)
        Moments all = new Moments();
        int[] cuts = {0, 1, 7, 300, 301, 5000, 12_345, 19_999, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
            Moments b = new Moments();
            for (int i = cuts[c]; i < cuts[c + 1]; i++) {
                b.accept(v[i]);
            }
            all.combine(b);
        }
        assertEquals(n, all.count());
        assertEquals(exact, all.variance(), 1e-10 * exact);
        assertEquals(1e6, all.mean(), 1e-4);
        // the raw-sum formula this replaces loses the variance entirely here (so this test discriminates)
        double s = 0;
        double sq = 0;
        for (double x : v) {
            s += x;
            sq += x * x;
        }
        double raw = (sq - s * (s / n)) / (n - 1);
        assertTrue(Math.abs(raw - exact) > 1e-3 * exact, "raw sums happened to be accurate: " + raw);
    }

    @Test
    void sumIsThePlainSumInOrder() {
        double[] v = {0.1, 0.2, 0.3, 1e-17, 5};
        Moments a = new Moments();
        Moments b = new Moments();
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            (i < 2 ? a : b).accept(v[i]);
        }
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < v.length; i++) {
            if (i < 2) {
                sa += v[i];
            } else {
                sb += v[i];
            }
        }
        s = sa + sb;
        assertEquals(Double.doubleToLongBits(s), Double.doubleToLongBits(a.copy().combine(b).sum()));
        assertEquals(Double.doubleToLongBits(sb), Double.doubleToLongBits(new Moments().combine(b).sum()));
        assertTrue(Double.isNaN(new Moments().variance()));
        Moments single = new Moments();
        single.accept(3);
        assertTrue(Double.isNaN(single.variance()));
    }

    /** Σ(v − v̄)²/(n − 1) in exact decimal arithmetic. */
    static double exactVariance(double[] v) {
        MathContext mc = new MathContext(60);
        BigDecimal s = BigDecimal.ZERO;
        for (double x : v) {
            s = s.add(new BigDecimal(x));
        }
        BigDecimal mean = s.divide(BigDecimal.valueOf(v.length), mc);
        BigDecimal m2 = BigDecimal.ZERO;
        for (double x : v) {
            BigDecimal dd = new BigDecimal(x).subtract(mean);
            m2 = m2.add(dd.multiply(dd));
        }
        return m2.divide(BigDecimal.valueOf(v.length - 1), mc).doubleValue();
    }
}
