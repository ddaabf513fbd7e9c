package io.scasml.reports;

import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.QueryPoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PDE whose exact (reference) solution is computed once for a fixed set of query points and then looked up —
 * the Cole–Hopf references of LQG/HJB cost ~10⁴ samples per point, and every method of a benchmark needs them.
 * Points outside the set fall through to the wrapped PDE. Read-only after construction: thread-safe.
 */
final class CachedExactPde implements Pde {
    private final Pde pde;
    private final Map<Key, Double> cache = new HashMap<>();

    private record Key(double t, double[] x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Double.compare(k.t, t) == 0 && Arrays.equals(k.x, x);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(t) * 31 + Arrays.hashCode(x);
        }
    }

    CachedExactPde(Pde pde, List<QueryPoint> points) {
        this.pde = pde;
        if (!pde.hasExact()) {
            return;
        }
        int n = points.size();
        int d = pde.dim();
        double[] t = new double[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = points.get(i).t();
            System.arraycopy(points.get(i).x(), 0, x, i * d, d);
        }
        double[] out = new double[n];
        // parallel over chunks: the reference may be an expensive Monte Carlo estimate
        int chunks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 4));
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            int a = (int) ((long) n * c / chunks);
            int b = (int) ((long) n * (c + 1) / chunks);
            double[] tt = Arrays.copyOfRange(t, a, b);
            double[] xx = Arrays.copyOfRange(x, a * d, b * d);
            double[] oo = new double[b - a];
            pde.exact(b - a, tt, xx, oo);
            System.arraycopy(oo, 0, out, a, b - a);
        });
        for (int i = 0; i < n; i++) {
            cache.put(new Key(t[i], points.get(i).x()), out[i]);
        }
    }

    @Override public String name() { return pde.name(); }
    @Override public int dim() { return pde.dim(); }
    @Override public double horizon() { return pde.horizon(); }
    @Override public double[] drift() { return pde.drift(); }
    @Override public double sigma() { return pde.sigma(); }
    @Override public boolean generatorUsesGradient() { return pde.generatorUsesGradient(); }
    @Override public boolean generatorIsZero() { return pde.generatorIsZero(); }
    @Override public Domain domain() { return pde.domain(); }
    @Override public boolean hasExact() { return pde.hasExact(); }

    @Override
    public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
        pde.generator(n, t, x, u, z, out);
    }

    @Override
    public void terminal(int n, double[] x, double[] out) {
        pde.terminal(n, x, out);
    }

    @Override
    public void exact(int n, double[] t, double[] x, double[] out) {
        int d = pde.dim();
        for (int i = 0; i < n; i++) {
            Double v = cache.get(new Key(t[i], Arrays.copyOfRange(x, i * d, (i + 1) * d)));
            if (v != null) {
                out[i] = v;
            } else {
                double[] o = new double[1];
                pde.exact(1, new double[] {t[i]}, Arrays.copyOfRange(x, i * d, (i + 1) * d), o);
                out[i] = o[0];
            }
        }
    }
}
