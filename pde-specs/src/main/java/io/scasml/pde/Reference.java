package io.scasml.pde;

import java.util.Arrays;

/**
 * A published reference value u(t, x) ≈ {@code value} (± {@code tolerance}), valid for dimension {@code dim}
 * (null: any dimension), with its {@code source}.
 *
 * @param dim       the dimension the value belongs to, or null for every dimension
 * @param t         time
 * @param x         the point (length = the spec's dimension); null when {@code dim} differs from the spec's dimension
 * @param value     the reference value
 * @param tolerance absolute tolerance that a correct solver should meet (the uncertainty of the reference included)
 * @param source    where the value comes from
 */
public record Reference(Integer dim, double t, double[] x, double value, double tolerance, String source) {

    /** Whether the reference belongs to the dimension of the spec it was read with. */
    public boolean applies() {
        return x != null;
    }

    @Override
    public String toString() {
        String p = x == null ? "(d=" + dim + ")" : x.length <= 4 ? Arrays.toString(x)
            : "[" + x[0] + ", " + x[1] + ", ..., " + x[x.length - 1] + "]";
        return "u(" + t + ", " + p + ") = " + value + " ± " + tolerance + " [" + source + "]";
    }
}
