package io.scasml.trainer;

import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.random.StreamKeys;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A set of space-time points {@code (t_i, x_i)} (row-major x) and the samplers that make training and test sets.
 *
 * <p><b>Collocation where the paths go.</b> The estimator evaluates the surrogate along the forward process
 * {@code X_s = x + μ(s − t) + σ(W_s − W_t)} started at query points of the test domain, not only in the domain
 * (docs/algorithm.md §20). {@link #paths} draws from that distribution: a start point (t₀, x₀) from the test domain
 * ({@link PointSampler}), a later time s ~ U(t₀, T) (or s = T for terminal points) and X_s exactly. Every point has its
 * own keyed stream {@code child(child(mix64(seed), tag), i)}, so sets do not depend on how they are generated.
 */
public final class Points {
    /** Number of points. */
    public final int n;
    /** Spatial dimension. */
    public final int d;
    /** Times, length n. */
    public final double[] t;
    /** Coordinates, row-major n × d. */
    public final double[] x;

    /** Wraps arrays (not copied). */
    public Points(int n, int d, double[] t, double[] x) {
        this.n = n;
        this.d = d;
        this.t = t;
        this.x = x;
    }

    /** Points of the test domain (interior and boundary shares as the domain says), as {@link PointSampler} draws them. */
    public static Points domain(Domain dom, int d, int n, long seed) {
        List<QueryPoint> q = PointSampler.sample(dom, d, n, seed);
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            QueryPoint p = q.get(i);
            t[i] = p.t();
            System.arraycopy(p.x(), 0, x, i * d, d);
        }
        return new Points(n, d, t, x);
    }

    /** Points on the spatial boundary of the test domain with uniform times (the reference's Dirichlet data). */
    public static Points boundary(Domain dom, int d, int n, long seed) {
        Domain b = new Domain(dom.shape(), dom.lo(), dom.hi(), dom.tMin(), dom.tMax(), 1.0);
        return domain(b, d, n, seed);
    }

    /**
     * Points of the path distribution started in the test domain.
     *
     * @param pde         the equation (μ, σ, T, domain)
     * @param n           number of points
     * @param seed        seed
     * @param domainShare share of points kept at their start (s = t₀), in [0, 1]; terminal points: share of points
     *                    (T, x₀) with x₀ from the test domain instead of the path's end (T, X_T)
     * @param terminal    whether s = T (terminal points) instead of s ~ U(t₀, T)
     */
    public static Points paths(Pde pde, int n, long seed, double domainShare, boolean terminal) {
        int d = pde.dim();
        Points start = domain(pde.domain(), d, n, seed);
        double[] mu = pde.drift();
        double sigma = pde.sigma();
        double horizon = pde.horizon();
        long root = StreamKeys.child(StreamKeys.mix64(seed),
            terminal ? StreamKeys.PATHS_TERMINAL : StreamKeys.PATHS_INTERIOR);
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            UniformRandomProvider r = StreamKeys.stream(StreamKeys.child(root, i));
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(r);
            double t0 = start.t[i];
            double s;
            if (terminal) {
                s = horizon;
                // (No draw at share 0: the pools of earlier versions stay bit for bit.)
                if (domainShare > 0 && r.nextDouble() < domainShare) {
                    System.arraycopy(start.x, i * d, x, i * d, d);
                    t[i] = s;
                    continue;
                }
            } else if (r.nextDouble() < domainShare) {
                s = t0;
            } else {
                s = t0 + (horizon - t0) * r.nextDouble();
            }
            double dt = s - t0;
            double sd = sigma * Math.sqrt(Math.max(dt, 0));
            for (int k = 0; k < d; k++) {
                x[i * d + k] = start.x[i * d + k] + mu[k] * dt + sd * g.sample();
            }
            t[i] = s;
        }
        return new Points(n, d, t, x);
    }

    /** The same coordinates at t = T (terminal points of the domain). */
    public Points atTime(double time) {
        double[] tt = new double[n];
        java.util.Arrays.fill(tt, time);
        return new Points(n, d, tt, x);
    }
}
