package io.scasml.kernels.picard;

/**
 * The parameter tables of the quadrature MLP (E–Hutzenthaler–Jentzen–Kruse; docs/algorithm.md §5), for ρ ≥ 1 and
 * k = 1..ρ: Q[ρ,k] = round(Γ⁻¹(ρ^{k/2})) Gauss–Legendre nodes, Mf[ρ,k] = round(ρ^{k/2}) paths for the Picard sums
 * and Mg[ρ,k] = ρ^{k−1} terminal samples (Mg[ρ, ρ+1] = ρ^ρ). Γ⁻¹(y) ≈ L / W₀(L/e) + 1/2 with
 * L = ln((y + 0.036534)/√(2π)) and W₀ the principal branch of Lambert's W.
 */
public final class QuadratureTables {
    private QuadratureTables() {
    }

    /** Number of quadrature nodes Q[ρ, k] (at least 1). */
    public static int nodes(int rho, int k) {
        double y = Math.pow(rho, k / 2.0);
        return Math.max(1, (int) Math.round(inverseGamma(y)));
    }

    /** Number of Picard paths Mf[ρ, k] (saturating at Long.MAX_VALUE). */
    public static long paths(int rho, int k) {
        return Math.max(1, Math.round(Math.pow(rho, k / 2.0)));
    }

    /** Number of terminal samples Mg[ρ, k] = ρ^(k−1) (saturating at Long.MAX_VALUE). */
    public static long terminalSamples(int rho, int k) {
        return Math.round(Math.pow(rho, k - 1));
    }

    /** Approximate inverse of the Gamma function for y ≥ ~0.9 (the branch above the minimum at 1.46). */
    static double inverseGamma(double y) {
        double l = Math.log((y + 0.036534) / Math.sqrt(2 * Math.PI));
        return l / lambertW0(l / Math.E) + 0.5;
    }

    /** Principal branch W₀(v) for v ≥ −1/e, by Halley's iteration. */
    static double lambertW0(double v) {
        if (v < -1 / Math.E) {
            throw new IllegalArgumentException("Lambert W0: argument " + v + " below -1/e");
        }
        double w = v < 1 ? v * (1 - v) : Math.log(v) - Math.log(Math.log(v) + 1e-300 + 1);
        if (v > -0.3 && v < 1) {
            w = v - v * v + 1.5 * v * v * v;
        } else if (v <= -0.3) {
            double p = Math.sqrt(2 * (Math.E * v + 1));
            w = -1 + p - p * p / 3;
        }
        for (int i = 0; i < 100; i++) {
            double ew = Math.exp(w);
            double f = w * ew - v;
            double dw = f / (ew * (w + 1) - (w + 2) * f / (2 * w + 2));
            w -= dw;
            if (Math.abs(dw) < 1e-15 * (1 + Math.abs(w))) {
                break;
            }
        }
        return w;
    }
}
