package io.scasml.pde;

import io.scasml.kernels.pde.Domain;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Draws points of a {@link Domain} as the reference protocol does: a share {@code boundaryShare} on the spatial
 * boundary, the rest uniform in the interior, times uniform in {@code [tMin, tMax]}. Cube boundary points are uniform
 * points with one random coordinate moved to lo or hi; ball points are uniform in the ball (radius·U^{1/d} times a
 * uniform direction) or on the sphere.
 */
public final class DomainSampler {
    private DomainSampler() {
    }

    /**
     * Fills {@code t[0..n)} and {@code x[0..n*d)} (row-major). Point i is on the boundary when
     * {@code i < round(n * boundaryShare)}.
     *
     * @param t times, length ≥ n. Modified.
     * @param x coordinates, length ≥ n·d. Modified.
     */
    public static void sample(Domain dom, int d, int n, UniformRandomProvider rng, double[] t, double[] x) {
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        int boundary = (int) Math.round(n * dom.boundaryShare());
        for (int i = 0; i < n; i++) {
            t[i] = dom.tMin() + (dom.tMax() - dom.tMin()) * rng.nextDouble();
            int off = i * d;
            boolean onBoundary = i < boundary;
            if (dom.shape() == Domain.Shape.CUBE) {
                for (int k = 0; k < d; k++) {
                    x[off + k] = dom.lo() + (dom.hi() - dom.lo()) * rng.nextDouble();
                }
                if (onBoundary) {
                    x[off + rng.nextInt(d)] = rng.nextBoolean() ? dom.hi() : dom.lo();
                }
            } else {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double g = gauss.sample();
                    x[off + k] = g;
                    s += g * g;
                }
                double r = dom.hi() * (onBoundary ? 1.0 : Math.pow(rng.nextDouble(), 1.0 / d)) / Math.sqrt(s);
                for (int k = 0; k < d; k++) {
                    x[off + k] *= r;
                }
            }
        }
    }
}
