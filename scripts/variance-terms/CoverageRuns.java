package io.scasml.reports;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.*;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.pde.PdeCatalog;
import io.scasml.surrogate.Precision;
import io.scasml.surrogate.SurrogateLoader;
import java.util.*;

/**
 * 95% interval coverage, rel L2 and cost of one method over several seeds (seed k: points of seed POINT_SEED + k,
 * streams of seed 1000 + k), n = 2, 2 threads (issue 14, docs/algorithm.md §25). Args: PDE DIM SURROGATE_DIR POINTS
 * BASE ANTI(0|1) SEEDS METHOD [POINT_SEED [LEVEL_ZERO_FACTOR]].
 */
public class CoverageRuns {
    public static void main(String[] a) throws Exception {
        String pdeName = a[0]; int d = Integer.parseInt(a[1]); String sdir = a[2];
        int np = Integer.parseInt(a[3]); int base = Integer.parseInt(a[4]);
        boolean anti = a[5].equals("1"); int seeds = Integer.parseInt(a[6]);
        Method m = Method.valueOf(a[7].toUpperCase());
        long ps = a.length > 8 ? Long.parseLong(a[8]) : 101;
        int f = a.length > 9 ? Integer.parseInt(a[9]) : 1;
        Pde raw = PdeCatalog.resolve(pdeName, d);
        Surrogate s = SurrogateLoader.loadSurrogate(sdir, Precision.FP64);
        long cov = 0, n = 0; double ev = 0, sec = 0; double rl = 0; double e2all = 0, se2all = 0;
        for (int k = 0; k < seeds; k++) {
            List<QueryPoint> pts = PointSampler.sample(raw.domain(), raw.dim(), np, ps + k);
            Pde pde = new CachedExactPde(raw, pts);
            RunOptions o = RunOptions.builder().method(m).levels(2).base(base).seed(1000 + k).antithetic(anti).levelZeroFactor(f).build();
            PicardEstimator est = PicardEstimator.create(pde, s, o);
            if (k == 0) LocalRunner.run(est, pts.subList(0, Math.min(32, pts.size())), 2);
            long t0 = System.nanoTime();
            List<PointEstimate> es = LocalRunner.run(est, pts, 2);
            sec += (System.nanoTime() - t0) / 1e9;
            double e2 = 0, u2 = 0;
            for (PointEstimate e : es) {
                double dd = e.u() - e.exact(); e2 += dd * dd; u2 += e.exact() * e.exact();
                if (e.t() < raw.horizon()) { n++; cov += e.covers() ? 1 : 0; e2all += dd*dd; se2all += e.stdError()*e.stdError(); }
                long[] c = e.counts(); ev += c[0] + c[1] + c[2];
            }
            rl += Math.sqrt(e2 / u2);
        }
        double c = cov / (double) n;
        System.out.printf(Locale.ROOT, "%s d=%d %s M=%d F=%d anti=%s seeds=%d: mean relL2 %.4g, coverage %.4f ± %.4f (binomial SE, %d interior point-runs), rms err/rms SE %.3f, evals/pt %.0f, s/seed %.2f%n",
            pdeName, d, m, base, f, anti, seeds, rl / seeds, c, Math.sqrt(c * (1 - c) / n), n, Math.sqrt(e2all / se2all), ev / (seeds * (double) np), sec / seeds);
    }
}
