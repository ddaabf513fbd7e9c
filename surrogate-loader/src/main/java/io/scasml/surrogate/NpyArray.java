package io.scasml.surrogate;

import java.util.Arrays;

/**
 * One array of an {@code .npz} file, converted to {@code double} in C (row-major) order.
 *
 * @param name  the array name (the zip entry name without {@code .npy})
 * @param dtype the stored NumPy dtype descriptor, e.g. {@code <f8}
 * @param shape the shape; empty for a scalar
 * @param data  the values in C order; length = product of {@code shape}
 */
public record NpyArray(String name, String dtype, long[] shape, double[] data) {

    /** Number of dimensions. */
    public int ndim() {
        return shape.length;
    }

    /** Shape as text, NumPy style: {@code (50, 21)}. */
    public String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && name.equals(other.name) && dtype.equals(other.dtype)
                && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString();
    }
}
