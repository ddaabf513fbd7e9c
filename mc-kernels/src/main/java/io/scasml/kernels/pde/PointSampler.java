package io.scasml.kernels.pde;

import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.random.StreamKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Draws query points from a test domain ({@code sample:N}): the first {@code round(N·(1 − boundaryShare))} points
 * uniformly in the interior, the rest uniformly on the spatial boundary, each with a uniform time in
 * [tMin, tMax]. Point i is drawn from its own stream {@code child(namespace(seed, SAMPLED_POINTS), i)}
 * ({@link StreamKeys}), so it does not depend on how the points are generated in parallel; ids are 0..N−1.
 */
public final class PointSampler {
    private PointSampler() {
    }

    /**
     * Samples N points.
     *
     * @throws IllegalArgumentException if N &lt; 1
     */
    public static List<QueryPoint> sample(Domain dom, int d, int count, long seed) {
        return sample(dom, d, count, seed, 0, count);
    }

    /**
     * Points {@code [from, to)} of the N-point sample — the same points as {@link #sample(Domain, int, int, long)}
     * returns at those indices, so the sample can be generated in parallel slices (e.g. on Spark executors).
     *
     * @throws IllegalArgumentException if N &lt; 1 or the range is not within [0, N]
     */
    public static List<QueryPoint> sample(Domain dom, int d, int count, long seed, int from, int to) {
        if (count < 1) {
            throw new IllegalArgumentException("points: sample:" + count + " needs N >= 1");
        }
        if (from < 0 || to > count || from > to) {
            throw new IllegalArgumentException("points: range [" + from + ", " + to + ") is not within [0, " + count + "]");
        }
        int interior = (int) Math.round(count * (1 - dom.boundaryShare()));
        long root = StreamKeys.namespace(seed, StreamKeys.SAMPLED_POINTS);
        List<QueryPoint> pts = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            UniformRandomProvider rng = StreamKeys.stream(StreamKeys.child(root, i));
            double[] x = new double[d];
            boolean boundary = i >= interior;
            if (dom.shape() == Domain.Shape.CUBE) {
                for (int k = 0; k < d; k++) {
                    x[k] = dom.lo() + (dom.hi() - dom.lo()) * rng.nextDouble();
                }
                if (boundary) {
                    int k = rng.nextInt(d);
                    x[k] = rng.nextBoolean() ? dom.hi() : dom.lo();
                }
            } else {
                ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
                double s = 0;
                for (int k = 0; k < d; k++) {
                    x[k] = g.sample();
                    s += x[k] * x[k];
                }
                double r = boundary ? dom.hi() : dom.hi() * Math.pow(rng.nextDouble(), 1.0 / d);
                double f = r / Math.sqrt(s);
                for (int k = 0; k < d; k++) {
                    x[k] *= f;
                }
            }
            double t = dom.tMin() + (dom.tMax() - dom.tMin()) * rng.nextDouble();
            pts.add(new QueryPoint(i, t, x));
        }
        return pts;
    }
}
