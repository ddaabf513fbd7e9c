package io.scasml.surrogate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the FP32 fused loops over off-heap ND4J buffers: FP32 lanes are widened to FP64 lanes
 * (half-width float species, the preferred double species: 8 + 8 lanes with AVX-512), computed in FP64 and narrowed
 * on store. Each element is computed exactly as by the scalar loop of {@link Fused32} (the same widening, fma,
 * product and rounding to float), so the results are the scalar loop's bits, whatever the lane count. Available under
 * the same condition as {@link VectorLoops64} (the module present, {@code scasml.noVectorApi} unset).
 */
final class VectorLoops32 {
    /** Whether the Vector API module was resolved in this JVM (the same switch as the FP64 loops). */
    static final boolean AVAILABLE = VectorLoops64.AVAILABLE;

    private VectorLoops32() {
    }

    /** Holder so that the Vector API classes load only on first use. */
    private static final class Impl {
        static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
        static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
        static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    }

    /**
     * For j &lt; w: acc[j] = fma(v, v, acc[j]) and b[off + j] = (float) (s1[j]·v), with v = (double) b[off + j]
     * (float element offsets).
     */
    static void squareAndScale(ByteBuffer b, int off, int w, double[] s1, double[] acc) {
        VectorSpecies<Double> ds = Impl.D;
        VectorSpecies<Float> fs = Impl.F;
        int j = 0;
        int up = ds.loopBound(w);
        for (; j < up; j += ds.length()) {
            int bo = (off + j) << 2;
            DoubleVector v = (DoubleVector) FloatVector.fromByteBuffer(fs, b, bo, Impl.NATIVE)
                .convertShape(VectorOperators.F2D, ds, 0);
            v.fma(v, DoubleVector.fromArray(ds, acc, j)).intoArray(acc, j);
            ((FloatVector) v.mul(DoubleVector.fromArray(ds, s1, j)).convertShape(VectorOperators.D2F, fs, 0))
                .intoByteBuffer(b, bo, Impl.NATIVE);
        }
        for (; j < w; j++) {
            int bo = (off + j) << 2;
            double v = b.getFloat(bo);
            acc[j] = Math.fma(v, v, acc[j]);
            b.putFloat(bo, (float) (s1[j] * v));
        }
    }

    /** For j &lt; w: b[off + j] = (float) (s1[j]·w1[wo + j]). */
    static void product(ByteBuffer b, int off, int w, double[] s1, double[] w1, int wo) {
        VectorSpecies<Double> ds = Impl.D;
        VectorSpecies<Float> fs = Impl.F;
        int j = 0;
        int up = ds.loopBound(w);
        for (; j < up; j += ds.length()) {
            ((FloatVector) DoubleVector.fromArray(ds, s1, j).mul(DoubleVector.fromArray(ds, w1, wo + j))
                .convertShape(VectorOperators.D2F, fs, 0)).intoByteBuffer(b, (off + j) << 2, Impl.NATIVE);
        }
        for (; j < w; j++) {
            b.putFloat((off + j) << 2, (float) (s1[j] * w1[wo + j]));
        }
    }
}
