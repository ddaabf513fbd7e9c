package io.scasml.trainer;

import java.util.Locale;

/**
 * Twice-differentiable activations of the trained network, named as in format v1. The forward-Laplacian pass needs
 * σ, σ′ and σ″; its reverse pass also needs σ‴ (the Laplacian's adjoint differentiates σ″).
 */
public enum Activation {
    /** tanh: σ′ = 1 − a², σ″ = −2aσ′, σ‴ = σ′(6a² − 2). */
    TANH("tanh"),
    /** sin: σ′ = cos, σ″ = −sin, σ‴ = −cos. */
    SIN("sin"),
    /** softplus log(1 + e^z): σ′ = s (logistic), σ″ = s(1 − s), σ‴ = s(1 − s)(1 − 2s). */
    SOFTPLUS("softplus"),
    /** silu z·s: σ′ = s + z s(1 − s), σ″ = p(2 + z(1 − 2s)), σ‴ = p[(1 − 2s)(3 + z(1 − 2s)) − 2zp], p = s(1 − s). */
    SILU("silu");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The format-v1 name. */
    public String id() {
        return id;
    }

    /**
     * Parses a name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones (relu is refused: its Laplacian is
     *                                  undefined)
     */
    public static Activation parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.id.equals(k)) {
                return a;
            }
        }
        if (k.equals("relu")) {
            throw new IllegalArgumentException("activation: relu is not twice differentiable (the PDE residual needs "
                    + "the Laplacian); use tanh, sin, softplus or silu");
        }
        throw new IllegalArgumentException("activation: unknown '" + s + "'; expected tanh, sin, softplus or silu");
    }

    /**
     * Writes σ(z) and its first three derivatives at z.
     *
     * @param z   pre-activation
     * @param out length ≥ 4: σ, σ′, σ″, σ‴. Modified.
     */
    public void eval(double z, double[] out) {
        switch (this) {
            case TANH: {
                double a = Math.tanh(z);
                double d1 = 1 - a * a;
                out[0] = a;
                out[1] = d1;
                out[2] = -2 * a * d1;
                out[3] = d1 * (6 * a * a - 2);
                return;
            }
            case SIN: {
                double s = Math.sin(z);
                double c = Math.cos(z);
                out[0] = s;
                out[1] = c;
                out[2] = -s;
                out[3] = -c;
                return;
            }
            case SOFTPLUS: {
                double s = logistic(z);
                double p = s * (1 - s);
                out[0] = z > 30 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
                out[1] = s;
                out[2] = p;
                out[3] = p * (1 - 2 * s);
                return;
            }
            default: {
                double s = logistic(z);
                double p = s * (1 - s);
                double q = 1 - 2 * s;
                out[0] = z * s;
                out[1] = s + z * p;
                out[2] = p * (2 + z * q);
                out[3] = p * (q * (3 + z * q) - 2 * z * p);
            }
        }
    }

    static double logistic(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
