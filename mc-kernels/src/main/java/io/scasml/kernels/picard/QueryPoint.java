package io.scasml.kernels.picard;

import java.util.Arrays;

/**
 * One query point (t, x) with a stable identifier. The identifier keys the point's random streams, so the same
 * id, t and x always give the same estimate for the same seed.
 *
 * @param id query-point id (from the input, or its row index)
 * @param t  time, in [0, T]
 * @param x  coordinates, length d (the array is owned by this record; do not modify)
 */
public record QueryPoint(long id, double t, double[] x) {

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryPoint q && q.id == id && Double.compare(q.t, t) == 0 && Arrays.equals(q.x, x);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(x);
    }

    @Override
    public String toString() {
        return "QueryPoint[id=" + id + ", t=" + t + ", x=" + Arrays.toString(x) + "]";
    }
}
