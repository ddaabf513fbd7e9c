package io.scasml.surrogate;

import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Test helpers: random networks, points, and the benchmark PDEs of docs/algorithm.md §17. */
final class TestModels {

    private TestModels() {
    }

    static int[] widths(int d, int... hidden) {
        int[] w = new int[hidden.length + 2];
        w[0] = d + 1;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = 1;
        return w;
    }

    static double[][] randomWeights(int[] widths, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[widths.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = new double[widths[l] * widths[l + 1]];
            double s = 1.5 / Math.sqrt(widths[l]);
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = s * (2 * r.nextDouble() - 1) * 1.7;
            }
        }
        return w;
    }

    static double[][] randomBiases(int[] widths, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[][] b = new double[widths.length - 1][];
        for (int l = 0; l < b.length; l++) {
            b[l] = new double[widths[l + 1]];
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] = 0.3 * (2 * r.nextDouble() - 1);
            }
        }
        return b;
    }

    static MlpModel randomMlp(int d, Activation act, long seed, int... hidden) {
        int[] w = widths(d, hidden);
        String[] names = new String[w.length - 1];
        Arrays.setAll(names, i -> "l" + i);
        return MlpModel.of(d, act, w, randomWeights(w, seed), randomBiases(w, seed), names, "x,t", "in_out", false,
                false, "random:" + seed);
    }

    static double[] uniform(int n, double lo, double hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** The VB / LCD / DR equations of docs/algorithm.md §17 with the coefficients of a golden.json equation block. */
    static Pde pde(String name, int d, double horizon, double sigma, double mu) {
        return new Pde() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int dim() {
                return d;
            }

            @Override
            public double horizon() {
                return horizon;
            }

            @Override
            public double[] drift() {
                double[] m = new double[d];
                Arrays.fill(m, mu);
                return m;
            }

            @Override
            public double sigma() {
                return sigma;
            }

            @Override
            public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                for (int i = 0; i < n; i++) {
                    switch (name) {
                        case "vb" -> {
                            double s = 0;
                            for (int k = 0; k < d; k++) {
                                s += z[i * d + k];
                            }
                            out[i] = sigma * u[i] * s;
                        }
                        case "lcd" -> out[i] = 0.0;
                        case "dr" -> {
                            double sx = 0;
                            for (int k = 0; k < d; k++) {
                                sx += x[i * d + k];
                            }
                            double lam = 0.1;
                            double ustar = 1.6 + Math.sin(lam * sx) * Math.exp(lam * lam * d * (t[i] - horizon) / 2);
                            double e = u[i] - ustar;
                            out[i] = Math.min(1.0, e * e);
                        }
                        default -> throw new IllegalStateException(name);
                    }
                }
            }

            @Override
            public void terminal(int n, double[] x, double[] out) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Domain domain() {
                return Domain.cube(-0.5, 0.5, 0, horizon, 0);
            }
        };
    }
}
