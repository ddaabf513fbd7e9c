package io.scasml.kernels.picard;

import java.util.ArrayList;
import java.util.List;

/** Small statistics helpers for the estimator tests. */
final class Stats {
    private Stats() {
    }

    /** R independent replicates of one query point: distinct ids give independent streams. */
    static List<QueryPoint> replicates(int r, double t, double[] x) {
        List<QueryPoint> l = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            l.add(new QueryPoint(1000 + i, t, x.clone()));
        }
        return l;
    }

    /** {mean, standard error of the mean, sample standard deviation}. */
    static double[] meanSe(double[] v) {
        double m = 0;
        for (double a : v) {
            m += a;
        }
        m /= v.length;
        double s = 0;
        for (double a : v) {
            s += (a - m) * (a - m);
        }
        double sd = Math.sqrt(s / (v.length - 1));
        return new double[] {m, sd / Math.sqrt(v.length), sd};
    }

    /** Combines independent estimates with their standard errors: {mean, se} of the plain average. */
    static double[] pool(List<PointEstimate> es) {
        double m = 0;
        double v = 0;
        for (PointEstimate e : es) {
            m += e.u();
            v += e.stdError() * e.stdError();
        }
        int n = es.size();
        return new double[] {m / n, Math.sqrt(v) / n};
    }

    /** Relative L2 error of u against exact over the estimates. */
    static double relL2(List<PointEstimate> es) {
        double e2 = 0;
        double x2 = 0;
        for (PointEstimate e : es) {
            e2 += (e.u() - e.exact()) * (e.u() - e.exact());
            x2 += e.exact() * e.exact();
        }
        return Math.sqrt(e2 / x2);
    }

    /** Relative L2 error of the surrogate against exact. */
    static double surrogateRelL2(List<PointEstimate> es) {
        double e2 = 0;
        double x2 = 0;
        for (PointEstimate e : es) {
            e2 += (e.uSurrogate() - e.exact()) * (e.uSurrogate() - e.exact());
            x2 += e.exact() * e.exact();
        }
        return Math.sqrt(e2 / x2);
    }
}
