package io.scasml.surrogate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the FP64 fused loops over off-heap ND4J buffers (AVX-512 / AVX2 lanes). Loaded only when
 * the {@code jdk.incubator.vector} module is present ({@link #AVAILABLE}); every JVM started by our scripts, Surefire
 * and Spark's launcher adds it. Each element is computed exactly as by the scalar loop (same fma), so results do not
 * depend on the lane count.
 */
final class VectorLoops64 {
    /** Whether the Vector API module was resolved in this JVM. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !Boolean.getBoolean("scasml.noVectorApi");

    private VectorLoops64() {
    }

    /** Holder so that the Vector API classes load only on first use. */
    private static final class Impl {
        static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
        static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    }

    /**
     * For j &lt; w: acc[j] = fma(v, v, acc[j]) and b[off + j] = s1[j]·v, with v = b[off + j] (element offsets).
     */
    static void squareAndScale(ByteBuffer b, int off, int w, double[] s1, double[] acc) {
        VectorSpecies<Double> s = Impl.S;
        int j = 0;
        int up = s.loopBound(w);
        for (; j < up; j += s.length()) {
            int bo = (off + j) << 3;
            DoubleVector v = DoubleVector.fromByteBuffer(s, b, bo, Impl.NATIVE);
            v.fma(v, DoubleVector.fromArray(s, acc, j)).intoArray(acc, j);
            v.mul(DoubleVector.fromArray(s, s1, j)).intoByteBuffer(b, bo, Impl.NATIVE);
        }
        for (; j < w; j++) {
            int bo = (off + j) << 3;
            double v = b.getDouble(bo);
            acc[j] = Math.fma(v, v, acc[j]);
            b.putDouble(bo, s1[j] * v);
        }
    }

    /** For j &lt; w: b[off + j] = s1[j]·w1[wo + j]. */
    static void product(ByteBuffer b, int off, int w, double[] s1, double[] w1, int wo) {
        VectorSpecies<Double> s = Impl.S;
        int j = 0;
        int up = s.loopBound(w);
        for (; j < up; j += s.length()) {
            DoubleVector.fromArray(s, s1, j).mul(DoubleVector.fromArray(s, w1, wo + j))
                .intoByteBuffer(b, (off + j) << 3, Impl.NATIVE);
        }
        for (; j < w; j++) {
            b.putDouble((off + j) << 3, s1[j] * w1[wo + j]);
        }
    }

    /**
     * Σ_j b[off + j]·wl[j] in FP64: lane-parallel fma partial sums, then the lanes added in lane order (never
     * {@code reduceLanes}, whose order differs between the intrinsic and the interpreter's fallback: results must not
     * depend on JIT state). The same lane count (machine type) gives the same bits.
     */
    static double dot(ByteBuffer b, int off, int w, double[] wl) {
        VectorSpecies<Double> s = Impl.S;
        int j = 0;
        int up = s.loopBound(w);
        DoubleVector acc = DoubleVector.zero(s);
        for (; j < up; j += s.length()) {
            acc = DoubleVector.fromByteBuffer(s, b, (off + j) << 3, Impl.NATIVE).fma(DoubleVector.fromArray(s, wl, j), acc);
        }
        double v = 0;
        for (int l = 0; l < s.length(); l++) {
            v += acc.lane(l);
        }
        for (; j < w; j++) {
            v = Math.fma(b.getDouble((off + j) << 3), wl[j], v);
        }
        return v;
    }
}
