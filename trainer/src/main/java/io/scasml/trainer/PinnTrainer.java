package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Trains an {@link Mlp} on the {@link PinnLoss} with Adam: collocation, terminal and (when the exact solution is
 * known) data pools drawn once from the seed; a minibatch of each per step, drawn from the keyed stream of (seed,
 * step); learning rate decaying exponentially from {@code lr} to {@code lrFinal}. Everything is a function of the seed:
 * same seed, same weights, bit for bit.
 *
 * <p>A non-finite loss or gradient stops training at that step; the network is left at the last parameters whose loss
 * was finite and the result says where and why ({@link Result#stoppedAt}, {@link Result#stopReason}).
 */
public final class PinnTrainer {

    /** Outcome of a run. */
    public static final class Result {
        /** The trained network (last good parameters). */
        public Mlp net;
        /** Loss per step (total, residual, terminal, data), length = steps done. */
        public double[][] history;
        /** Steps completed with a finite loss. */
        public int stepsDone;
        /** Step at which training stopped on a non-finite value, or −1. */
        public int stoppedAt = -1;
        /** Why it stopped, or null. */
        public String stopReason;
        /** Points whose exact residual the report evaluated {collocation pool, test domain, path test set}. */
        public int[] reportResidualPoints;
        /**
         * Loss of the final parameters on the pools {total, residual, terminal, data}; the residual part on the first
         * {@code reportResidualPoints[0]} points of the collocation pool ({@link PinnConfig#reportResidualCap}).
         */
        public double[] finalLoss;
        /** Held-out relative L2 error on the test domain (NaN without an exact solution). */
        public double testRelL2 = Double.NaN;
        /** Held-out max error on the test domain. */
        public double testLinf = Double.NaN;
        /** Residual RMS along held-out path points. */
        public double pathResidualRms;
        /** Residual RMS on the held-out domain points. */
        public double domainResidualRms;
        /** Seconds spent making the pools and exact values. */
        public double setupSeconds;
        /** Seconds of the training loop. */
        public double trainSeconds;
        /** Seconds of the final evaluation. */
        public double evalSeconds;
    }

    private PinnTrainer() {
    }

    /**
     * Trains.
     *
     * @param pde      the equation; its {@link Pde#domain()} must not be null
     * @param cfg      configuration (validated here)
     * @param progress receives progress lines, or null
     * @return the result
     * @throws IllegalArgumentException for a bad configuration or an equation without a domain
     */
    public static Result train(Pde pde, PinnConfig cfg, Consumer<String> progress) {
        cfg.validate();
        if (pde.domain() == null) {
            throw new IllegalArgumentException("pde: '" + pde.name() + "' has no domain; collocation points are drawn "
                    + "from the test domain (and the paths started there): add a domain to the spec");
        }
        long t0 = System.nanoTime();
        final int d = pde.dim();
        final long seed = cfg.seed;
        final boolean paths = cfg.collocationMode.equals("paths");
        long root = StreamKeys.namespace(seed, StreamKeys.TRAINING);
        Points colloc = paths
                ? Points.paths(pde, cfg.collocation, StreamKeys.child(root, StreamKeys.TRAIN_COLLOCATION), cfg.domainShare, false)
                : Points.domain(pde.domain(), d, cfg.collocation, StreamKeys.child(root, StreamKeys.TRAIN_COLLOCATION));
        Points term = paths
                ? Points.paths(pde, cfg.terminalPoints, StreamKeys.child(root, StreamKeys.TRAIN_TERMINAL), cfg.terminalDomainShare, true)
                : Points.domain(pde.domain(), d, cfg.terminalPoints, StreamKeys.child(root, StreamKeys.TRAIN_TERMINAL)).atTime(pde.horizon());
        double[] g = new double[term.n];
        pde.terminal(term.n, term.x, g);
        Points data = null;
        double[] dataU = null;
        if (cfg.usesExactData(pde)) {
            data = cfg.dataRegion.equals("boundary")
                    ? Points.boundary(pde.domain(), d, cfg.dataPoints, StreamKeys.child(root, StreamKeys.TRAIN_DATA))
                    : Points.domain(pde.domain(), d, cfg.dataPoints, StreamKeys.child(root, StreamKeys.TRAIN_DATA));
            dataU = new double[data.n];
            pde.exact(data.n, data.t, data.x, dataU);
        }
        Mlp net = new Mlp(d, cfg.widths, cfg.activation);
        net.initGlorot(seed);
        if (cfg.normalizeInput) {
            double[] sh = new double[d + 1];
            double[] sc = new double[d + 1];
            for (int k = 0; k <= d; k++) {
                double m = 0;
                for (int i = 0; i < colloc.n; i++) {
                    m += k < d ? colloc.x[i * d + k] : colloc.t[i];
                }
                m /= colloc.n;
                double v = 0;
                for (int i = 0; i < colloc.n; i++) {
                    double e = (k < d ? colloc.x[i * d + k] : colloc.t[i]) - m;
                    v += e * e;
                }
                double sd = Math.sqrt(v / colloc.n);
                sc[k] = sd > 1e-12 ? 1 / sd : 1.0;
                sh[k] = -m * sc[k];
            }
            net.setInputMap(sh, sc);
        }
        if (cfg.normalizeOutput) {
            double m = 0;
            for (double v : g) {
                m += v;
            }
            m /= g.length;
            double v2 = 0;
            for (double v : g) {
                v2 += (v - m) * (v - m);
            }
            double sd = Math.sqrt(v2 / g.length);
            net.setOutputMap(m, sd > 1e-12 ? sd : 1.0);
        }
        int rb = Math.min(cfg.batch, colloc.n);
        int vb = Math.min(cfg.valueBatch, Math.max(term.n, data == null ? 1 : data.n));
        io.scasml.kernels.surrogate.LaplacianMode lm = cfg.laplacianMode();
        PinnLoss loss = new PinnLoss(net, pde, rb, vb, cfg.residualWeight, cfg.terminalWeight, cfg.dataWeight,
                PinnLoss.DEFAULT_SCRATCH_BYTES, lm.randomized() ? lm.probes() : 0,
                lm.randomized() ? lm.probeKind() : io.scasml.kernels.surrogate.ProbeKind.RADEMACHER, lm.deflated());
        Result res = new Result();
        res.net = net;
        res.setupSeconds = (System.nanoTime() - t0) / 1e9;

        // Adam state.
        final int np = net.nParams;
        double[] m1 = new double[np];
        double[] m2 = new double[np];
        double[] p = net.getParams();
        double[] lastGood = p.clone();
        final double b1 = 0.9;
        final double b2 = 0.999;
        final double epsA = 1e-8;
        double[][] hist = new double[cfg.steps][];
        int every = cfg.progressEvery > 0 ? cfg.progressEvery : Math.max(1, cfg.steps / 50);
        long tl = System.nanoTime();
        // minibatch scratch
        double[] bt = new double[rb];
        double[] bx = new double[rb * d];
        double[] tt = new double[Math.min(vb, term.n)];
        double[] tx = new double[tt.length * d];
        double[] tg = new double[tt.length];
        int dn = data == null ? 0 : Math.min(vb, data.n);
        double[] dt = new double[dn];
        double[] dx = new double[dn * d];
        double[] du = new double[dn];
        long stepRoot = StreamKeys.child(root, StreamKeys.TRAIN_STEPS);
        long probeRoot = StreamKeys.child(root, StreamKeys.TRAIN_PROBES);
        int step = 0;
        for (; step < cfg.steps; step++) {
            UniformRandomProvider r = StreamKeys.stream(StreamKeys.child(stepRoot, step));
            if (cfg.freshPoints) {
                // Fresh collocation and terminal points every step (keyed by the step: same seed, same bits), drawn
                // as the pools are; the pools then serve only the input map and the report.
                long fk = StreamKeys.child(StreamKeys.child(stepRoot, step), FRESH_TAG);
                Points fc = paths
                        ? Points.paths(pde, rb, StreamKeys.child(fk, 0), cfg.domainShare, false)
                        : Points.domain(pde.domain(), d, rb, StreamKeys.child(fk, 0));
                Points ft = paths
                        ? Points.paths(pde, tt.length, StreamKeys.child(fk, 1), cfg.terminalDomainShare, true)
                        : Points.domain(pde.domain(), d, tt.length, StreamKeys.child(fk, 1)).atTime(pde.horizon());
                System.arraycopy(fc.t, 0, bt, 0, rb);
                System.arraycopy(fc.x, 0, bx, 0, rb * d);
                System.arraycopy(ft.x, 0, tx, 0, tt.length * d);
                pde.terminal(tt.length, tx, tg);
            } else {
                pick(colloc, null, rb, r, bt, bx, null);
                pick(term, g, tt.length, r, null, tx, tg);
            }
            PinnLoss.Batch bc = new PinnLoss.Batch(rb, bt, bx, null);
            PinnLoss.Batch btm = new PinnLoss.Batch(tt.length, tt, tx, tg);
            PinnLoss.Batch bd = null;
            if (dn > 0) {
                pick(data, dataU, dn, r, dt, dx, du);
                // data points carry their own times
                bd = new PinnLoss.Batch(dn, dt, dx, du);
            }
            loss.setProbeKey(StreamKeys.child(probeRoot, step));
            double[] l = loss.evaluate(bc, btm, bd, true);
            double[] gr = loss.gradient();
            String bad = null;
            if (!Double.isFinite(l[0])) {
                bad = "loss is " + l[0] + " (residual " + fmt(l[1]) + ", terminal " + fmt(l[2]) + ", data "
                        + fmt(l[3]) + ")";
            } else {
                for (int i = 0; i < np; i++) {
                    if (!Double.isFinite(gr[i])) {
                        bad = "gradient is not finite (parameter " + i + ") at loss " + fmt(l[0]);
                        break;
                    }
                }
            }
            if (bad != null) {
                res.stoppedAt = step;
                res.stopReason = bad;
                net.setParams(lastGood);
                break;
            }
            hist[step] = l;
            System.arraycopy(p, 0, lastGood, 0, np);
            double frac = cfg.steps <= 1 ? 0 : (double) step / (cfg.steps - 1);
            double lr = cfg.lr * Math.pow(cfg.lrFinal() / cfg.lr, frac);
            double c1 = 1 - Math.pow(b1, step + 1);
            double c2 = 1 - Math.pow(b2, step + 1);
            for (int i = 0; i < np; i++) {
                m1[i] = b1 * m1[i] + (1 - b1) * gr[i];
                m2[i] = b2 * m2[i] + (1 - b2) * gr[i] * gr[i];
                p[i] -= lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + epsA);
            }
            net.setParams(p);
            if (progress != null && ((step + 1) % every == 0 || step == 0)) {
                double el = (System.nanoTime() - tl) / 1e9;
                double eta = el / (step + 1) * (cfg.steps - step - 1);
                progress.accept(String.format(Locale.ROOT,
                        "step %d/%d  loss %.3e  (residual %.2e, terminal %.2e, data %.2e)  lr %.1e  %.0fs, ETA %.0fs",
                        step + 1, cfg.steps, l[0], l[1], l[2], l[3], lr, el, eta));
            }
        }
        res.stepsDone = res.stoppedAt >= 0 ? res.stoppedAt : cfg.steps;
        double[][] h = new double[res.stepsDone][];
        System.arraycopy(hist, 0, h, 0, res.stepsDone);
        res.history = h;
        res.trainSeconds = (System.nanoTime() - tl) / 1e9;

        long te = System.nanoTime();
        evaluate(pde, cfg, net, loss, colloc, term, g, data, dataU, res, root);
        res.evalSeconds = (System.nanoTime() - te) / 1e9;
        return res;
    }

    private static void evaluate(Pde pde, PinnConfig cfg, Mlp net, PinnLoss loss, Points colloc, Points term,
                                 double[] g, Points data, double[] dataU, Result res, long root) {
        int d = pde.dim();
        // Final loss on the whole pools.
        int cap = cfg.reportResidualCap();
        int nc = capped(colloc.n, cap);
        double[] eps = loss.residuals(nc, colloc.t, colloc.x);
        double lr = 0;
        for (double e : eps) {
            lr += e * e;
        }
        lr = cfg.residualWeight * lr / nc;
        double[] ut = loss.values(term.n, term.t, term.x);
        double lt = 0;
        for (int i = 0; i < term.n; i++) {
            lt += (ut[i] - g[i]) * (ut[i] - g[i]);
        }
        lt = cfg.terminalWeight * lt / term.n;
        double ld = 0;
        if (data != null) {
            double[] ud = loss.values(data.n, data.t, data.x);
            for (int i = 0; i < data.n; i++) {
                ld += (ud[i] - dataU[i]) * (ud[i] - dataU[i]);
            }
            ld = cfg.dataWeight * ld / data.n;
        }
        res.finalLoss = new double[] {lr + lt + ld, lr, lt, ld};
        // Held-out domain points (the reference's test set: interior + boundary).
        Points test = Points.domain(pde.domain(), d, cfg.testPoints, StreamKeys.child(root, StreamKeys.TRAIN_TEST));
        double[] ed = loss.residuals(capped(test.n, cap), test.t, test.x);
        res.domainResidualRms = rms(ed);
        if (pde.hasExact()) {
            double[] ex = new double[test.n];
            pde.exact(test.n, test.t, test.x, ex);
            double[] uh = loss.values(test.n, test.t, test.x);
            io.scasml.kernels.stats.ErrorMetrics.Result held = io.scasml.kernels.stats.ErrorMetrics.of(test.n, uh, ex);
            res.testRelL2 = held.relL2();
            res.testLinf = held.linf();
        }
        Points pt = Points.paths(pde, cfg.pathTestPoints, StreamKeys.child(root, StreamKeys.TRAIN_PATH_TEST), 0, false);
        res.pathResidualRms = rms(loss.residuals(capped(pt.n, cap), pt.t, pt.x));
        res.reportResidualPoints = new int[] {nc, capped(test.n, cap), capped(pt.n, cap)};
    }

    /** The first min(n, cap) points of a set (all of them when cap is 0). */
    private static int capped(int n, int cap) {
        return cap > 0 ? Math.min(n, cap) : n;
    }

    /** Child of a step's key for its fresh points ({@link PinnConfig#freshPoints}); the step stream is the key itself. */
    static final long FRESH_TAG = 0xF4E5L;

    static double rms(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s / v.length);
    }

    /** Copies m points of the pool (all of it, in order, when m equals its size; else drawn with replacement). */
    private static void pick(Points pool, double[] target, int m, UniformRandomProvider r, double[] t, double[] x,
                             double[] y) {
        int d = pool.d;
        for (int i = 0; i < m; i++) {
            int j = m >= pool.n ? i : r.nextInt(pool.n);
            if (t != null) {
                t[i] = pool.t[j];
            }
            System.arraycopy(pool.x, j * d, x, i * d, d);
            if (y != null) {
                y[i] = target[j];
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
