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
 * Per-term variance of plain MLP and unguarded SCaSML (s²/N of each top-level term, mean over the interior points),
 * then guarded SCaSML, on the same points (issue 14, docs/algorithm.md §25). Args: PDE DIM SURROGATE_DIR POINTS BASE
 * [anti]. Points: seed 77 of the equation's test domain; streams: seed 5; n = 2; 2 threads.
 */
public class TermVariance {
    public static void main(String[] a) throws Exception {
        String pdeName = a[0]; int d = Integer.parseInt(a[1]); String sdir = a[2];
        int np = Integer.parseInt(a[3]); int base = Integer.parseInt(a[4]);
        boolean anti = a.length > 5 && a[5].equals("anti");
        Pde raw = PdeCatalog.resolve(pdeName, d);
        List<QueryPoint> pts = PointSampler.sample(raw.domain(), raw.dim(), np, 77);
        Pde pde = new CachedExactPde(raw, pts);
        Surrogate s = SurrogateLoader.loadSurrogate(sdir, Precision.FP64);
        for (Method m : new Method[] {Method.MLP, Method.SCASML}) {
            RunOptions o = RunOptions.builder().method(m).levels(2).base(base).seed(5).antithetic(anti).build();
            PicardEstimator est = PicardEstimator.create(pde, s, o);
            int T = est.topTerms();
            double[] v = new double[T], mean2 = new double[T];
            double e2 = 0, u2 = 0, se2 = 0, rr = 0; int nr = 0, cov = 0, n = 0;
            for (QueryPoint p : pts) {
                if (p.t() >= raw.horizon()) continue;
                QueryPoint[] g = {p};
                PointReduction red = new PointReduction(est, g);
                PointAccumulator acc = new PointAccumulator(p.id(), T, d);
                List<UnitKey> us = est.units();
                for (int i = 0; i < us.size(); i++) {
                    TermPartial[] tp = est.run(g, us.get(i));
                    acc.accept(tp[0]);
                    red.accept(i, tp);
                }
                PointEstimate e = red.finish()[0];
                for (int t = 0; t < T; t++) {
                    long ns = acc.samples(t);
                    if (ns > 1) { v[t] += acc.termVariance(t) / ns; }
                    if (ns > 0) mean2[t] += acc.termMean(t) * acc.termMean(t);
                }
                double err = e.u() - e.exact();
                e2 += err * err; u2 += e.exact() * e.exact(); se2 += e.stdError() * e.stdError();
                if (Double.isFinite(e.residualRms())) { rr += e.residualRms() * e.residualRms(); nr++; }
                cov += e.covers() ? 1 : 0; n++;
            }
            System.out.printf(Locale.ROOT, "%s %s d=%d M=%d anti=%s: interior pts %d relL2 %.4g  rms err %.4g  rms SE %.4g  cov %.3f  path resid rms %.4g%n",
                pdeName, m, d, base, anti, n, Math.sqrt(e2 / u2), Math.sqrt(e2 / n), Math.sqrt(se2 / n), cov / (double) n, nr > 0 ? Math.sqrt(rr / nr) : Double.NaN);
            for (int t = 0; t < T; t++) {
                System.out.printf(Locale.ROOT, "   term %d (%s): samples %d  mean s^2/N %.4g  (sqrt %.4g)  rms term mean %.4g%n", t,
                    t == 0 ? "terminal" : "level " + (t - 1), est.termSamples(t), v[t] / n, Math.sqrt(v[t] / n), Math.sqrt(mean2[t] / n));
            }
        }
        // guarded
        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(base).seed(5).antithetic(anti).guard(true).build();
        long t0 = System.nanoTime();
        List<AdaptiveEstimate> r = LocalRunner.solve(pde, s, o, pts, 2);
        double e2 = 0, u2 = 0, w = 0, ev = 0, e2Mlp = 0; int nw = 0, nMlp = 0;
        for (AdaptiveEstimate x : r) {
            PointEstimate e = x.estimate(); double dd = e.u() - e.exact(); e2 += dd*dd; u2 += e.exact()*e.exact(); ev += x.evaluations();
            if (x.guard() != null) {
                w += x.guard().weight(); nw++;
                if (x.guard().weight() < 0.5) { nMlp++; e2Mlp += dd * dd; }
            }
        }
        System.out.printf(Locale.ROOT, "guarded SCaSML: relL2 %.4g (all %d pts), mean w %.3f, evals/pt %.0f, %.1f s; %d points with w < 1/2 hold %.0f%% of the squared error%n",
            Math.sqrt(e2/u2), r.size(), w/nw, ev/r.size(), (System.nanoTime()-t0)/1e9, nMlp, 100 * e2Mlp / e2);
        RunOptions o2 = RunOptions.builder().method(Method.SCASML).levels(2).base(base).seed(5).antithetic(anti).build();
        List<PointEstimate> ug = LocalRunner.run(PicardEstimator.create(pde, s, o2), pts, 2);
        RunOptions o3 = RunOptions.builder().method(Method.MLP).levels(2).base(base).seed(5).antithetic(anti).build();
        List<PointEstimate> ml = LocalRunner.run(PicardEstimator.create(pde, s, o3), pts, 2);
        double a2 = 0, b2 = 0, c2 = 0; u2 = 0;
        for (int i = 0; i < pts.size(); i++) { double ex = ug.get(i).exact(); a2 += Math.pow(ug.get(i).u()-ex,2); b2 += Math.pow(ml.get(i).u()-ex,2); c2 += Math.pow(ug.get(i).uSurrogate()-ex,2); u2 += ex*ex; }
        System.out.printf(Locale.ROOT, "same pts: unguarded SCaSML %.4g, MLP %.4g, surrogate %.4g%n", Math.sqrt(a2/u2), Math.sqrt(b2/u2), Math.sqrt(c2/u2));
    }
}
