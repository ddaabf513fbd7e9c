package io.scasml.surrogate;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API loops give the scalar loops' bits element by element (FP64 and FP32, widths with and without a
 * lane tail, offsets inside a buffer), so the residual pass's results do not depend on whether the module is present.
 */
class VectorLoopsTest {

    private static final int[] WIDTHS = {1, 3, 7, 8, 9, 16, 50, 128, 131};

    private static ByteBuffer buffer(int elements, int bytes) {
        return ByteBuffer.allocateDirect(elements * bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void fp32SquareAndScaleAndProductAreTheScalarLoops() {
        assumeTrue(VectorLoops32.AVAILABLE, "jdk.incubator.vector not present");
        SplittableRandom r = new SplittableRandom(16);
        for (int w : WIDTHS) {
            int off = 5;
            int n = off + w + 3;
            ByteBuffer b = buffer(n, 4);
            float[] orig = new float[n];
            for (int i = 0; i < n; i++) {
                orig[i] = (float) (r.nextDouble() * 4 - 2);
                b.putFloat(i << 2, orig[i]);
            }
            double[] s1 = new double[w];
            double[] acc = new double[w];
            double[] acc0 = new double[w];
            double[] w1 = new double[w + 7];
            for (int j = 0; j < w; j++) {
                s1[j] = r.nextDouble() * 2 - 1;
                acc[j] = r.nextDouble();
                acc0[j] = acc[j];
            }
            for (int j = 0; j < w1.length; j++) {
                w1[j] = r.nextDouble() - 0.5;
            }
            VectorLoops32.squareAndScale(b, off, w, s1, acc);
            for (int i = 0; i < n; i++) {
                float want = orig[i];
                if (i >= off && i < off + w) {
                    double v = orig[i];
                    assertEquals(Double.doubleToRawLongBits(Math.fma(v, v, acc0[i - off])),
                            Double.doubleToRawLongBits(acc[i - off]), "fp32 acc, w = " + w);
                    want = (float) (s1[i - off] * v);
                }
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(b.getFloat(i << 2)),
                        "fp32 squareAndScale, w = " + w + ", element " + i);
            }
            VectorLoops32.product(b, off, w, s1, w1, 7);
            for (int j = 0; j < w; j++) {
                assertEquals(Float.floatToRawIntBits((float) (s1[j] * w1[7 + j])),
                        Float.floatToRawIntBits(b.getFloat((off + j) << 2)), "fp32 product, w = " + w);
            }
        }
    }

    @Test
    void fp64SquareAndScaleAndProductAreTheScalarLoops() {
        assumeTrue(VectorLoops64.AVAILABLE, "jdk.incubator.vector not present");
        SplittableRandom r = new SplittableRandom(64);
        for (int w : WIDTHS) {
            int off = 3;
            int n = off + w + 2;
            ByteBuffer b = buffer(n, 8);
            double[] orig = new double[n];
            for (int i = 0; i < n; i++) {
                orig[i] = r.nextDouble() * 4 - 2;
                b.putDouble(i << 3, orig[i]);
            }
            double[] s1 = new double[w];
            double[] acc = new double[w];
            double[] acc0 = new double[w];
            double[] w1 = new double[w + 4];
            for (int j = 0; j < w; j++) {
                s1[j] = r.nextDouble() * 2 - 1;
                acc[j] = r.nextDouble();
                acc0[j] = acc[j];
            }
            for (int j = 0; j < w1.length; j++) {
                w1[j] = r.nextDouble() - 0.5;
            }
            VectorLoops64.squareAndScale(b, off, w, s1, acc);
            for (int i = 0; i < n; i++) {
                double want = orig[i];
                if (i >= off && i < off + w) {
                    double v = orig[i];
                    assertEquals(Double.doubleToRawLongBits(Math.fma(v, v, acc0[i - off])),
                            Double.doubleToRawLongBits(acc[i - off]), "fp64 acc, w = " + w);
                    want = s1[i - off] * v;
                }
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(b.getDouble(i << 3)),
                        "fp64 squareAndScale, w = " + w + ", element " + i);
            }
            VectorLoops64.product(b, off, w, s1, w1, 4);
            for (int j = 0; j < w; j++) {
                assertEquals(Double.doubleToRawLongBits(s1[j] * w1[4 + j]),
                        Double.doubleToRawLongBits(b.getDouble((off + j) << 3)), "fp64 product, w = " + w);
            }
        }
    }
}
