package io.scasml.surrogate;

import java.util.Locale;

/**
 * The hidden-layer activations of format v1 — the one definition shared by the loader's evaluators and the trainer.
 * Each is at least three times continuously differentiable: the PDE residual needs the Laplacian (σ″), and the
 * trainer's reverse pass through the forward Laplacian differentiates σ″ once more (σ‴).
 *
 * <p>Two evaluation paths, deliberately separate: the row methods ({@link #eval(double[], double[], double[],
 * double[], int)}, {@link #value}, {@link #valueAndSlope}) serve the batch evaluators (a faster tanh, see
 * {@link #tanh}); {@link #eval(double, double[])} serves training with {@link Math#tanh}, so training results do not
 * depend on the evaluator's kernels.
 *
 * <p>Names: {@code tanh}, {@code sin}, {@code softplus}, {@code silu} ({@code swish} is an alias of {@code silu}
 * everywhere: the loader reads it, the trainer accepts it and writes {@code silu}). Refused with the reason:
 * {@code relu}, {@code leaky_relu}, {@code relu6}, {@code elu}, {@code selu}, {@code hardtanh}, {@code hard_tanh},
 * {@code abs} (not twice differentiable).
 */
public enum Activation {
    /** σ = tanh z, σ' = 1 − σ², σ'' = −2σσ', σ‴ = σ'(6σ² − 2). */
    TANH("tanh"),
    /** σ = sin z, σ' = cos z, σ'' = −sin z, σ‴ = −cos z. */
    SIN("sin"),
    /** σ = log(1 + eᶻ) (computed stably), σ' = s = logistic(z), σ'' = s(1 − s), σ‴ = s(1 − s)(1 − 2s). */
    SOFTPLUS("softplus"),
    /**
     * σ = z·s, s = logistic(z); σ' = s(1 + z(1 − s)), σ'' = p(2 + z(1 − 2s)), σ‴ = p[(1 − 2s)(3 + z(1 − 2s)) − 2zp],
     * p = s(1 − s).
     */
    SILU("silu");

    /** The accepted names, for messages. */
    public static final String ACCEPTED = "tanh, sin, softplus or silu (alias swish)";

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The name used in {@code surrogate.json}. */
    public String id() {
        return id;
    }

    /** The activation named {@code name} (case-insensitive, trimmed), or null. */
    private static Activation lookup(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.id.equals(n)) {
                return a;
            }
        }
        return n.equals("swish") ? SILU : null;
    }

    /** Why {@code name} is refused (it is not an activation). */
    private static String refusal(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "relu", "leaky_relu", "relu6", "elu", "selu", "hardtanh", "abs", "hard_tanh":
                return "activation '" + name + "' is refused: it is not twice differentiable (its second derivative "
                        + "is singular at 0), so the Laplacian in the PDE residual is undefined; use " + ACCEPTED;
            default:
                return "unknown activation '" + name + "' (expected " + ACCEPTED + ")";
        }
    }

    /**
     * Parses a format-v1 activation name read from a file.
     *
     * @param file the file named in the error message
     * @param name the name as written
     * @return the activation
     * @throws SurrogateFormatException for a non-smooth activation (with the reason) or an unknown name
     */
    public static Activation parse(String file, String name) throws SurrogateFormatException {
        Activation a = lookup(name);
        if (a == null) {
            throw new SurrogateFormatException(file, refusal(name));
        }
        return a;
    }

    /**
     * Parses an activation name given as an option (the trainer's {@code --activation}).
     *
     * @throws IllegalArgumentException {@code "activation: <reason>"}, naming the value and the accepted names
     */
    public static Activation parse(String name) {
        Activation a = lookup(name);
        if (a == null) {
            throw new IllegalArgumentException("activation: " + refusal(name));
        }
        return a;
    }

    /**
     * σ(z) and its first three derivatives at one point, for training (uses {@link Math#tanh}).
     *
     * @param z   pre-activation
     * @param out length ≥ 4: σ, σ′, σ″, σ‴. Modified.
     */
    public void eval(double z, double[] out) {
        switch (this) {
            case TANH -> {
                double a = Math.tanh(z);
                double d1 = 1 - a * a;
                out[0] = a;
                out[1] = d1;
                out[2] = -2 * a * d1;
                out[3] = d1 * (6 * a * a - 2);
            }
            case SIN -> {
                double s = Math.sin(z);
                double c = Math.cos(z);
                out[0] = s;
                out[1] = c;
                out[2] = -s;
                out[3] = -c;
            }
            case SOFTPLUS -> {
                double s = logistic(z);
                double p = s * (1 - s);
                out[0] = z > 30 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
                out[1] = s;
                out[2] = p;
                out[3] = p * (1 - 2 * s);
            }
            case SILU -> {
                double s = logistic(z);
                double p = s * (1 - s);
                double q = 1 - 2 * s;
                out[0] = z * s;
                out[1] = s + z * p;
                out[2] = p * (2 + z * q);
                out[3] = p * (q * (3 + z * q) - 2 * z * p);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The logistic function 1/(1 + e^−z), without overflow for large |z|. */
    public static double logistic(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
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
