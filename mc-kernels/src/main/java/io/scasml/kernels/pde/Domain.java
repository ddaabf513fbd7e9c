package io.scasml.kernels.pde;

import java.util.Objects;

/**
 * A space-time test domain {@code Ω × [tMin, tMax]} from which query points are drawn, as in the reference protocol:
 * a share of the points lies in the interior of Ω, the rest on its boundary ∂Ω, with uniform times.
 *
 * @param shape      {@link Shape#CUBE} ({@code [lo, hi]^d}) or {@link Shape#BALL} (center 0, radius {@code hi})
 * @param lo         lower corner of the cube (ignored for a ball)
 * @param hi         upper corner of the cube, or the ball radius
 * @param tMin       smallest time
 * @param tMax       largest time
 * @param boundaryShare share of points on the spatial boundary, in [0, 1] (1/6 gives the reference's 1000 + 200)
 */
public record Domain(Shape shape, double lo, double hi, double tMin, double tMax, double boundaryShare) {

    /** Domain shapes. */
    public enum Shape { CUBE, BALL }

    /** Validates the fields. */
    public Domain {
        Objects.requireNonNull(shape, "shape");
        if (!(hi > lo) && shape == Shape.CUBE) {
            throw new IllegalArgumentException("domain: hi (" + hi + ") must exceed lo (" + lo + ")");
        }
        if (shape == Shape.BALL && !(hi > 0)) {
            throw new IllegalArgumentException("domain: ball radius must be > 0, got " + hi);
        }
        if (!(tMax >= tMin) || !Double.isFinite(tMin) || !Double.isFinite(tMax)) {
            throw new IllegalArgumentException("domain: time range [" + tMin + ", " + tMax + "] is not a finite interval");
        }
        if (!(boundaryShare >= 0 && boundaryShare <= 1)) {
            throw new IllegalArgumentException("domain: boundaryShare must be in [0, 1], got " + boundaryShare);
        }
    }

    /** The cube {@code [lo, hi]^d × [tMin, tMax]}. */
    public static Domain cube(double lo, double hi, double tMin, double tMax, double boundaryShare) {
        return new Domain(Shape.CUBE, lo, hi, tMin, tMax, boundaryShare);
    }

    /** The ball of the given radius around 0, times {@code [tMin, tMax]}. */
    public static Domain ball(double radius, double tMin, double tMax, double boundaryShare) {
        return new Domain(Shape.BALL, 0.0, radius, tMin, tMax, boundaryShare);
    }
}
