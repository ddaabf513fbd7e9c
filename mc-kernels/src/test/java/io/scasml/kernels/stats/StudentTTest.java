package io.scasml.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The exact Student-t 97.5% quantile. Reference values: 20-digit roots of F_ν(t) = 0.975 with F from the
 * regularised incomplete beta function (40-digit arithmetic), rounded to double; they agree with printed tables
 * (12.706, 4.303, 3.182, 2.776, 2.571, 2.228, 2.042, 1.984, 1.962, 1.960). Each is re-derived here independently of
 * the library: closed forms for ν = 1, 2, 4, direct integration of the density for integer ν ≤ 100, and the
 * Cornish–Fisher expansion (error O(ν⁻⁵)) for ν ≥ 1000.
 */
class StudentTTest {
    static final double[][] TABLE = {
        {1, 12.706204736174705},
        {2, 4.302652729749464},
        {3, 3.1824463052837095},
        {4, 2.7764451051977943},
        {5, 2.5705818356363155},
        {10, 2.228138851986275},
        {30, 2.042272456301238},
        {100, 1.9839715185235522},
        {1e3, 1.9623390808264085},
        {1e6, 1.959966356814107},
    };

    @Test
    void libraryMatchesTheTableTo1e10() {
        for (double[] r : TABLE) {
            double q = StudentT.quantile975(r[0]);
            assertEquals(r[1], q, 1e-10 * r[1], "nu = " + r[0]);
        }
    }

    @Test
    void tableAgreesWithIndependentComputations() {
        // closed forms
        assertEquals(TABLE[0][1], Math.tan(Math.PI * (0.975 - 0.5)), 1e-13 * TABLE[0][1]);
        double a = 4 * 0.975 * 0.025;
        assertEquals(TABLE[1][1], (2 * 0.975 - 1) * Math.sqrt(2 / a), 1e-13 * TABLE[1][1]);
        double q4 = Math.cos(Math.acos(Math.sqrt(a)) / 3) / Math.sqrt(a);
        assertEquals(TABLE[3][1], 2 * Math.sqrt(q4 - 1), 1e-13 * TABLE[3][1]);
        // F_ν(t) by integrating the density: the residual F − 0.975, divided by the density, bounds the error in t
        for (double[] r : TABLE) {
            if (r[0] > 100) {
                continue;
            }
            int nu = (int) r[0];
            double t = r[1];
            double err = (cdf(nu, t) - 0.975) / density(nu, t);
            assertTrue(Math.abs(err) < 1e-11 * t, "nu = " + nu + ": F(t) - 0.975 gives dt = " + err);
        }
        // large ν: Cornish–Fisher (Abramowitz–Stegun 26.7.5)
        for (double[] r : TABLE) {
            if (r[0] >= 1e3) {
                assertEquals(r[1], cornishFisher(r[0]), 1e-13 * r[1], "nu = " + r[0]);
            }
        }
    }

    @Test
    void limitsAndNonIntegerDegrees() {
        assertEquals(StudentT.Z975, StudentT.quantile975(Double.POSITIVE_INFINITY), 0);
        assertEquals(StudentT.Z975, StudentT.quantile975(1e300), 0);
        assertTrue(Double.isNaN(StudentT.quantile975(Double.NaN)));
        assertTrue(Double.isNaN(StudentT.quantile975(0)));
        // monotone in ν, between the neighbouring integers for Welch–Satterthwaite's non-integer ν
        double q = StudentT.quantile975(1.5);
        assertTrue(q < TABLE[0][1] && q > TABLE[1][1], "q(1.5) = " + q);
        double prev = Double.POSITIVE_INFINITY;
        for (double nu = 1; nu < 1e7; nu *= 1.7) {
            double v = StudentT.quantile975(nu);
            assertTrue(v < prev && v > StudentT.Z975, "nu = " + nu);
            prev = v;
        }
    }

    /** Student-t density for integer ν, the normalising constant from Γ((ν+1)/2)/Γ(ν/2) by its recurrence. */
    static double density(int nu, double t) {
        double r = nu % 2 == 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
        for (int k = nu % 2 == 1 ? 1 : 2; k < nu; k += 2) {
            r *= (k + 1.0) / k;
        }
        return r / Math.sqrt(nu * Math.PI) * Math.pow(1 + t * t / nu, -(nu + 1) / 2.0);
    }

    /** F_ν(t) = 1/2 + ∫₀ᵗ f, composite Simpson with 200,000 panels. */
    static double cdf(int nu, double t) {
        int m = 200_000;
        double h = t / m;
        double s = density(nu, 0) + density(nu, t);
        for (int i = 1; i < m; i++) {
            s += (i % 2 == 1 ? 4 : 2) * density(nu, i * h);
        }
        return 0.5 + s * h / 3;
    }

    static double cornishFisher(double nu) {
        double z = StudentT.Z975;
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu);
    }
}
