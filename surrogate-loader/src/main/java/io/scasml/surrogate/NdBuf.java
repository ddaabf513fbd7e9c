package io.scasml.surrogate;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * One preallocated off-heap ND4J buffer with a live NIO view for fused Java loops, and 2-D row-major GEMM views of
 * its leading elements. Not thread-safe: owned by one scratch set at a time.
 */
final class NdBuf {

    final DataBuffer data;
    final DataType type;
    /** Live view when FP64, else null. */
    final DoubleBuffer d;
    /** Live native-order byte view of the buffer (for the Vector API loops), FP64 or FP32. */
    final java.nio.ByteBuffer bytes;
    /** Live view when FP32, else null. */
    final FloatBuffer f;
    final long length;

    NdBuf(DataType type, long length) {
        this.type = type;
        this.length = length;
        this.data = Nd4j.createBuffer(type, Math.max(1, length), true);
        this.d = type == DataType.DOUBLE ? data.asNioDouble() : null;
        this.bytes = data.asNio().order(java.nio.ByteOrder.nativeOrder());
        this.f = type == DataType.FLOAT ? data.asNioFloat() : null;
    }

    /** A (rows × cols) C-order view of the first rows·cols elements. */
    INDArray view(long rows, long cols) {
        if (rows * cols > length) {
            throw new IllegalStateException("view " + rows + "x" + cols + " exceeds buffer of " + length);
        }
        return Nd4j.create(data, new long[]{rows, cols}, new long[]{cols, 1}, 0L, 'c', type);
    }

    /** A buffer holding a copy of {@code v} (for weights). */
    static INDArray matrix(DataType type, double[] v, int rows, int cols) {
        DataBuffer b;
        if (type == DataType.DOUBLE) {
            b = Nd4j.createBuffer(v.clone());
        } else {
            float[] fv = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                fv[i] = (float) v[i];
            }
            b = Nd4j.createBuffer(fv);
        }
        return Nd4j.create(b, new long[]{rows, cols}, new long[]{cols, 1}, 0L, 'c', type);
    }
}
