package io.scasml.kernels.picard;

import java.util.Locale;

/**
 * Why a point's estimate is (or is not) a number. A non-finite value met while estimating a point is data, not an
 * error: that point gets NaN values and no error bar and the other points are computed as if it were absent.
 * When several causes apply, the first in declaration order after {@link #OK} is reported.
 */
public enum PointStatus {
    /** The estimate is a finite number. */
    OK,
    /** The surrogate û or its gradient is not finite at the point itself. */
    NONFINITE_SURROGATE,
    /** The terminal condition (g, or g − û(T, ·) for SCaSML) is not finite at the point or along its paths. */
    NONFINITE_TERMINAL,
    /** The integrand of a time-integral term (generator differences, or the surrogate's residual) is not finite. */
    NONFINITE_GENERATOR;

    /** Bit of this cause in a per-point flag word (0 for {@link #OK}). */
    int bit() {
        return ordinal() == 0 ? 0 : 1 << (ordinal() - 1);
    }

    /** The status of a flag word: the first cause present, else {@link #OK}. */
    static PointStatus of(int flags) {
        for (PointStatus s : values()) {
            if ((flags & s.bit()) != 0) {
                return s;
            }
        }
        return OK;
    }

    /** The spelling written to results: {@code ok}, {@code nonfinite_surrogate}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
