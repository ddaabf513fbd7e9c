package io.scasml.surrogate;

import java.util.Locale;

/**
 * Hidden-layer activations of format v1, each twice continuously differentiable (the PDE residual needs the
 * Laplacian). For every activation, {@link #eval} returns σ(z), σ'(z) and σ''(z) together.
 */
public enum Activation {
    /** σ = tanh z, σ' = 1 − σ², σ'' = −2σσ'. */
    TANH("tanh"),
    /** σ = sin z, σ' = cos z, σ'' = −sin z. */
    SIN("sin"),
    /** σ = log(1 + eᶻ) (computed stably), σ' = s = logistic(z), σ'' = s(1 − s). */
    SOFTPLUS("softplus"),
    /** σ = z·s, s = logistic(z); σ' = s(1 + z(1 − s)), σ'' = s(1 − s)(2 + z(1 − 2s)). */
    SILU("silu");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The name used in {@code surrogate.json}. */
    public String id() {
        return id;
    }

    /**
     * Parses a format-v1 activation name.
     *
     * @param file the file named in the error message
     * @param name the name as written
     * @return the activation
     * @throws SurrogateFormatException for a non-smooth activation (with the reason) or an unknown name
     */
    public static Activation parse(String file, String name) throws SurrogateFormatException {
        String n = name.toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.id.equals(n)) {
                return a;
            }
        }
        if (n.equals("swish")) {
            return SILU;
        }
        switch (n) {
            case "relu", "leaky_relu", "relu6", "elu", "selu", "hardtanh", "abs", "hard_tanh" ->
                    throw new SurrogateFormatException(file, "activation '" + name + "' is refused: it is not twice "
                            + "differentiable (its second derivative is singular at 0), so the Laplacian in the PDE "
                            + "residual is undefined; use tanh, sin, softplus or silu");
            default -> throw new SurrogateFormatException(file, "unknown activation '" + name
                    + "' (expected tanh, sin, softplus or silu)");
        }
    }

    /**
     * tanh with a relative error below 4e-15, about 3–4× faster than {@link Math#tanh} on HotSpot (which has no
     * tanh intrinsic, while {@link Math#exp} is one): an odd Taylor polynomial up to x⁹ for |x| &lt; 0.04
     * (truncation ≈ 0.009·x¹⁰ relative) and (1 − e)/(1 + e) with e = exp(−2|x|) otherwise (cancellation bounded by
     * ulp(1)/tanh(0.04) ≈ 3e-15).
     */
    static double tanh(double x) {
        double ax = Math.abs(x);
        if (ax < 0.04) {
            double x2 = x * x;
            return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835)))));
        }
        double e = Math.exp(-2 * ax);
        return Math.copySign((1 - e) / (1 + e), x);
    }

    /**
     * Evaluates σ, σ', σ'' at {@code z} over one row.
     *
     * @param z  pre-activations. Not modified.
     * @param a  σ(z). Modified.
     * @param s1 σ'(z). Modified.
     * @param s2 σ''(z). Modified.
     * @param w  row length
     */
    public void eval(double[] z, double[] a, double[] s1, double[] s2, int w) {
        switch (this) {
            case TANH -> {
                for (int j = 0; j < w; j++) {
                    double v = tanh(z[j]);
                    double p = 1.0 - v * v;
                    a[j] = v;
                    s1[j] = p;
                    s2[j] = -2.0 * v * p;
                }
            }
            case SIN -> {
                for (int j = 0; j < w; j++) {
                    double v = Math.sin(z[j]);
                    a[j] = v;
                    s1[j] = Math.cos(z[j]);
                    s2[j] = -v;
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    double e = Math.exp(-Math.abs(x));
                    double s = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    a[j] = Math.max(x, 0.0) + Math.log1p(e);
                    s1[j] = s;
                    s2[j] = s * (1.0 - s);
                }
            }
            case SILU -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    double e = Math.exp(-Math.abs(x));
                    double s = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    a[j] = x * s;
                    s1[j] = s * (1.0 + x * (1.0 - s));
                    s2[j] = s * (1.0 - s) * (2.0 + x * (1.0 - 2.0 * s));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** σ(z) only, in place over {@code w} values. */
    public void value(double[] z, int w) {
        switch (this) {
            case TANH -> {
                for (int j = 0; j < w; j++) {
                    z[j] = tanh(z[j]);
                }
            }
            case SIN -> {
                for (int j = 0; j < w; j++) {
                    z[j] = Math.sin(z[j]);
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    z[j] = Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
                }
            }
            case SILU -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    double e = Math.exp(-Math.abs(x));
                    z[j] = x * (x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** σ(z) and σ'(z) over one row; {@code z} is overwritten by σ(z). */
    public void valueAndSlope(double[] z, double[] s1, int w) {
        switch (this) {
            case TANH -> {
                for (int j = 0; j < w; j++) {
                    double v = tanh(z[j]);
                    z[j] = v;
                    s1[j] = 1.0 - v * v;
                }
            }
            case SIN -> {
                for (int j = 0; j < w; j++) {
                    s1[j] = Math.cos(z[j]);
                    z[j] = Math.sin(z[j]);
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    double e = Math.exp(-Math.abs(x));
                    s1[j] = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    z[j] = Math.max(x, 0.0) + Math.log1p(e);
                }
            }
            case SILU -> {
                for (int j = 0; j < w; j++) {
                    double x = z[j];
                    double e = Math.exp(-Math.abs(x));
                    double s = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    s1[j] = s * (1.0 + x * (1.0 - s));
                    z[j] = x * s;
                }
            }
            default -> throw new IllegalStateException();
        }
    }
}
