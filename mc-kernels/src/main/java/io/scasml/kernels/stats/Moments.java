package io.scasml.kernels.stats;

import java.io.Serializable;

/**
 * Count, sum, mean and sum of squared deviations M₂ = Σ(vᵢ − v̄)² of a stream of values, by shifted Welford updates
 * ({@link #accept}) and Chan's pairwise combination ({@link #combine}). The values are accumulated relative to a
 * shift K (the first value seen), so values with a large mean and a small spread keep their digits: for v near
 * 10⁶ with spread 10⁻³ the variance is exact to about 1e-13 relative, where the raw Σv² − (Σv)²/n loses everything.
 *
 * <p>The plain sum Σv is kept as well, accumulated in the order of the {@code accept}/{@code combine} calls, so that
 * a mean formed as {@code sum() / count()} is reproducible bit for bit. Neither operation is associative in
 * floating point: results are bit-identical when the same values are accepted and combined in the same order.
 *
 * <p>Mutable; not thread-safe. Primitive fields only, so that Kryo and Java serialization ship it cheaply.
 */
public final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long n;
    private double sum;
    private double shift;
    private double mean;
    private double m2;

    /** Empty. */
    public Moments() {
    }

    /** Adds one value (Welford's update relative to the shift). */
    public void accept(double v) {
        if (n == 0) {
            shift = v;
        }
        n++;
        sum += v;
        double dv = v - shift;
        double delta = dv - mean;
        mean += delta / n;
        m2 += delta * (dv - mean);
    }

    /**
     * Appends {@code later} (values that come after this one's): Chan, Golub and LeVeque's pairwise update,
     * M₂ = M₂ᵃ + M₂ᵇ + δ²·nᵃnᵇ/(nᵃ + nᵇ) with δ the difference of the means, formed from the shifts and the shifted
     * means so that it does not cancel. {@code later} is not modified.
     *
     * @return this
     */
    public Moments combine(Moments later) {
        if (later.n == 0) {
            return this;
        }
        if (n == 0) {
            n = later.n;
            sum += later.sum;
            shift = later.shift;
            mean = later.mean;
            m2 = later.m2;
            return this;
        }
        long nab = n + later.n;
        double delta = (later.shift - shift) + (later.mean - mean);
        double wb = (double) later.n / nab;
        mean += delta * wb;
        m2 += later.m2 + delta * delta * ((double) n * wb);
        sum += later.sum;
        n = nab;
        return this;
    }

    /** A copy. */
    public Moments copy() {
        Moments c = new Moments();
        c.n = n;
        c.sum = sum;
        c.shift = shift;
        c.mean = mean;
        c.m2 = m2;
        return c;
    }

    /** Number of values. */
    public long count() {
        return n;
    }

    /** Σv, in accumulation order. */
    public double sum() {
        return sum;
    }

    /** The mean K + (mean of v − K), NaN when empty (more accurate than {@code sum()/count()}). */
    public double mean() {
        return n == 0 ? Double.NaN : shift + mean;
    }

    /** M₂ = Σ(vᵢ − v̄)² (≥ 0). */
    public double m2() {
        return m2;
    }

    /** The unbiased sample variance M₂/(n − 1); NaN for fewer than two values. */
    public double variance() {
        return n >= 2 ? Math.max(0, m2) / (n - 1) : Double.NaN;
    }

    @Override
    public String toString() {
        return "Moments[n=" + n + ", sum=" + sum + ", mean=" + mean() + ", m2=" + m2 + "]";
    }
}
