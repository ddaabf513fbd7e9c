package io.scasml.trainer;

import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.ProbeKind;
import io.scasml.kernels.surrogate.Probes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The physics-informed loss of an {@link Mlp} for a {@link Pde} and its exact gradient with respect to the parameters:
 *
 * <pre>
 *   L = w_r · mean_i ε(t_i, x_i)²  +  w_T · mean_j (û(T, x_j) − g(x_j))²  +  w_D · mean_m (û(t_m, x_m) − u_m)²,
 *   ε = ∂t û + μ·∇û + (σ²/2) Δû + F(t, x, û, σ∇û)     (exact derivatives, {@link ForwardLaplacian}).
 * </pre>
 *
 * <p>F is a black box ({@link Pde#generator}); its partial derivatives ∂F/∂u and ∂F/∂z, needed by the reverse pass,
 * are central differences with step 1e-6·(1 + |v|) — exact up to rounding for generators at most quadratic in (u, z),
 * which covers every built-in equation. Skipped when F ≡ 0, and ∂F/∂z when F does not use z.
 *
 * <p>With {@code probes = K ≥ 1} ({@code scasml train --laplacian hutchinson:K}) the residual part is the unbiased
 * randomized loss of docs/algorithm.md §24.2: per collocation point two independent sets of K probes (a, b), the
 * residuals ε̂ᵃ, ε̂ᵇ with the trace estimates L̂ᵃ, L̂ᵇ of Δû and the exact û, ∂t û, ∇û, and the term ε̂ᵃ·ε̂ᵇ (E = ε²);
 * its parameter gradient (24.7) with m̂ = μ + σ r (r·∂F/∂z) from one Rademacher direction r and one central
 * difference of F along it. The probes of point i of a batch are probes 0..2K of the row key
 * {@code child(probeKey, i)} ({@link Probes}; {@link #setProbeKey}): a, b, then r. No O(d²) work per point.
 *
 * <p>Not thread-safe.
 */
public final class PinnLoss {

    /** A batch of points with optional targets. */
    public static final class Batch {
        final int n;
        final double[] t;
        final double[] x;
        final double[] target;

        /**
         * @param n      number of points
         * @param t      times (length ≥ n). Not copied; not modified.
         * @param x      coordinates, row-major n × d. Not copied; not modified.
         * @param target target values, or null for collocation batches
         */
        public Batch(int n, double[] t, double[] x, double[] target) {
            this.n = n;
            this.t = t;
            this.x = x;
            this.target = target;
        }

        /** Number of points. */
        public int size() {
            return n;
        }
    }

    private final Mlp net;
    private final Pde pde;
    private final int d;
    private final double[] mu;
    private final double sigma;
    private final double half2;
    private final ForwardLaplacian res;
    private final int resBatch;
    private final ForwardLaplacian val;
    final INDArray grad;
    final INDArray[] gradW;
    private final double wRes;
    private final double wTerm;
    private final double wData;
    // scratch
    private final double[] gradX, dtv, z, f, fp, fm, eps, fu, fz, gu, gdu, glap, vgu, tmp;
    // randomized loss (probes > 0)
    private final int probes;
    private final ProbeKind probeKind;
    private final ProbeJet jet;
    /** Deflated randomized loss: direction 2K + 1 is ĝ = ∇xû/‖∇xû‖, the probes are projected off it. */
    private final boolean deflated;
    private long probeKey = StreamKeys.child(StreamKeys.namespace(0, StreamKeys.TRAINING), StreamKeys.TRAIN_PROBES);

    /**
     * @param net        the network (read at every evaluation)
     * @param pde        the equation
     * @param resCap     collocation batch capacity
     * @param valCap     terminal/data batch capacity
     * @param wRes       residual weight
     * @param wTerm      terminal weight
     * @param wData      data weight
     */
    public PinnLoss(Mlp net, Pde pde, int resCap, int valCap, double wRes, double wTerm, double wData) {
        this(net, pde, resCap, valCap, wRes, wTerm, wData, DEFAULT_SCRATCH_BYTES);
    }

    /**
     * Budget of the exact-Laplacian pass's buffers by default: 256 MiB. Collocation batches whose tangent buffers
     * ((d+1)·rows·w per hidden layer, {@link ForwardLaplacian#bytesPerRow}) would exceed it are processed in chunks
     * (the loss and gradient are sums over points: the same up to rounding); at d ≤ a few hundred a batch of
     * hundreds of points is one chunk, as before.
     */
    public static final long DEFAULT_SCRATCH_BYTES = 256L << 20;

    /**
     * As {@link #PinnLoss(Mlp, Pde, int, int, double, double, double)} with a budget for the residual pass's
     * buffers: the collocation batch is processed in chunks of at most max(1, scratchBytes / bytesPerRow) points.
     */
    public PinnLoss(Mlp net, Pde pde, int resCap, int valCap, double wRes, double wTerm, double wData,
                    long scratchBytes) {
        this(net, pde, resCap, valCap, wRes, wTerm, wData, scratchBytes, 0, ProbeKind.RADEMACHER);
    }

    /**
     * As {@link #PinnLoss(Mlp, Pde, int, int, double, double, double, long)} with the randomized residual loss when
     * {@code probes ≥ 1} (K probes per set, two sets per point); {@code probes = 0} is the exact loss. The randomized
     * pass is chunked by the same budget ({@link ProbeJet#bytesPerRow}, O((2K + 1)·(d + L·w)) per point).
     */
    public PinnLoss(Mlp net, Pde pde, int resCap, int valCap, double wRes, double wTerm, double wData,
                    long scratchBytes, int probes, ProbeKind probeKind) {
        this(net, pde, resCap, valCap, wRes, wTerm, wData, scratchBytes, probes, probeKind, false);
    }

    /**
     * As {@link #PinnLoss(Mlp, Pde, int, int, double, double, double, long, int, ProbeKind)}; {@code deflated} (with
     * {@code probes ≥ 1}, {@code --laplacian deflated:K}) splits each Hutchinson estimate as
     * ĝᵀHĝ + (1/K) Σ (Pv)ᵀH(Pv), ĝ = ∇xû/‖∇xû‖ held fixed, P = I − ĝĝᵀ (docs/algorithm.md §24.3): unbiased for
     * every ĝ, exact for a ridge function û = φ(t, a·x), where the plain estimate's relative noise is √2.
     */
    public PinnLoss(Mlp net, Pde pde, int resCap, int valCap, double wRes, double wTerm, double wData,
                    long scratchBytes, int probes, ProbeKind probeKind, boolean deflated) {
        if (deflated && probes < 1) {
            throw new IllegalArgumentException("laplacian: deflated needs probes >= 1, got " + probes);
        }
        this.deflated = deflated;
        if (probes < 0) {
            throw new IllegalArgumentException("laplacian: probes " + probes + " must be >= 0");
        }
        this.probes = probes;
        this.probeKind = probeKind;
        if (pde.dim() != net.d) {
            throw new IllegalArgumentException("dim: network has d = " + net.d + " but the PDE has d = " + pde.dim());
        }
        this.net = net;
        this.pde = pde;
        this.d = pde.dim();
        this.mu = pde.drift();
        this.sigma = pde.sigma();
        this.half2 = 0.5 * sigma * sigma;
        this.resBatch = resCap;
        int chunk = (int) Math.max(1, Math.min(resCap, scratchBytes / ForwardLaplacian.bytesPerRow(net)));
        if (probes > 0) {
            int nd = 2 * probes + 1 + (deflated ? 1 : 0);
            int jc = (int) Math.max(1, Math.min(resCap, scratchBytes / ProbeJet.bytesPerRow(net, nd)));
            this.jet = new ProbeJet(net, jc, nd);
            // The exact pass serves only the evaluation methods (residuals, terms): one point at a time is enough.
            chunk = Math.min(chunk, jc);
        } else {
            this.jet = null;
        }
        this.res = new ForwardLaplacian(net, chunk, true);
        this.val = new ForwardLaplacian(net, valCap, false);
        this.grad = Nd4j.zeros(DataType.DOUBLE, net.nParams);
        this.gradW = net.views(grad);
        this.wRes = wRes;
        this.wTerm = wTerm;
        this.wData = wData;
        gradX = new double[resCap * d];
        dtv = new double[resCap];
        z = new double[resCap * d];
        f = new double[resCap];
        fp = new double[resCap];
        fm = new double[resCap];
        eps = new double[resCap];
        fu = new double[resCap];
        fz = new double[resCap * d];
        gu = new double[resCap];
        gdu = new double[resCap * (d + 1)];
        glap = new double[resCap];
        vgu = new double[valCap];
        tmp = new double[Math.max(resCap, valCap)];
    }

    /** Collocation batch capacity. */
    public int residualCapacity() {
        return resBatch;
    }

    /** Points per chunk of the collocation batch (the residual pass's capacity). */
    public int residualChunk() {
        return jet != null ? jet.capacity() : res.capacity();
    }

    /** Probes per set of the randomized loss; 0 = exact. */
    public int probes() {
        return probes;
    }

    /**
     * The key of the next evaluations' probes (randomized loss): point i of a collocation batch draws its probes from
     * the row key {@code child(key, i)}. The trainer sets {@code child(child(namespace(seed, TRAINING), TRAIN_PROBES),
     * step)}.
     */
    public void setProbeKey(long key) {
        this.probeKey = key;
    }

    /** Terminal/data batch capacity. */
    public int valueCapacity() {
        return val.capacity();
    }

    /**
     * Evaluates the loss and, if asked, its gradient (then available in {@link #gradient()}).
     *
     * @param colloc   collocation batch (size ≤ residual capacity), or null
     * @param terminal terminal batch with targets g(x) (times are ignored: T is used), or null
     * @param data     data batch with targets, or null
     * @param withGrad whether to compute the gradient
     * @return {total, residual part, terminal part, data part} (weighted)
     */
    public double[] evaluate(Batch colloc, Batch terminal, Batch data, boolean withGrad) {
        if (withGrad) {
            zeroGrad();
        }
        double lr = 0;
        double lt = 0;
        double ld = 0;
        if (colloc != null && colloc.n > 0) {
            lr = residualLoss(colloc, withGrad);
        }
        if (terminal != null && terminal.n > 0) {
            double[] tt = new double[terminal.n];
            Arrays.fill(tt, pde.horizon());
            lt = valueLoss(terminal.n, tt, terminal.x, terminal.target, wTerm, withGrad);
        }
        if (data != null && data.n > 0) {
            ld = valueLoss(data.n, data.t, data.x, data.target, wData, withGrad);
        }
        return new double[] {lr + lt + ld, lr, lt, ld};
    }

    /** The gradient of the last {@link #evaluate} with {@code withGrad}: a copy, parameter layout. */
    public double[] gradient() {
        double[] g = new double[net.nParams];
        grad.data().asNioDouble().get(0, g);
        return g;
    }

    private void zeroGrad() {
        java.nio.DoubleBuffer gb = grad.data().asNioDouble();
        for (int i = 0; i < net.nParams; i++) {
            gb.put(i, 0.0);
        }
    }

    private double valueLoss(int n, double[] t, double[] x, double[] target, double weight, boolean withGrad) {
        int cap = val.capacity();
        double sum = 0;
        for (int s0 = 0; s0 < n; s0 += cap) {
            int m = Math.min(cap, n - s0);
            double[] tc = Arrays.copyOfRange(t, s0, s0 + m);
            double[] xc = Arrays.copyOfRange(x, s0 * d, (s0 + m) * d);
            val.forward(m, tc, xc);
            Arrays.fill(vgu, 0.0);
            for (int i = 0; i < m; i++) {
                double e = val.u[i] - target[s0 + i];
                sum += e * e;
                vgu[i] = 2 * weight * e / n;
            }
            if (withGrad) {
                val.backward(vgu, null, null, grad, gradW);
            }
        }
        return weight * sum / n;
    }

    private double residualLoss(Batch b, boolean withGrad) {
        if (b.n > resBatch) {
            throw new IllegalArgumentException("collocation batch of " + b.n + " exceeds capacity " + resBatch);
        }
        if (jet != null) {
            int cap = jet.capacity();
            double sum = 0;
            for (int s0 = 0; s0 < b.n; s0 += cap) {
                int m = Math.min(cap, b.n - s0);
                sum += randomizedChunk(m, Arrays.copyOfRange(b.t, s0, s0 + m),
                    Arrays.copyOfRange(b.x, s0 * d, (s0 + m) * d), s0, b.n, withGrad);
            }
            return sum;
        }
        int cap = res.capacity();
        if (b.n <= cap) {
            return residualLossChunk(b.n, b.t, b.x, b.n, withGrad);
        }
        double sum = 0;
        for (int s0 = 0; s0 < b.n; s0 += cap) {
            int m = Math.min(cap, b.n - s0);
            sum += residualLossChunk(m, Arrays.copyOfRange(b.t, s0, s0 + m),
                Arrays.copyOfRange(b.x, s0 * d, (s0 + m) * d), b.n, withGrad);
        }
        return sum;
    }

    /**
     * The randomized residual loss's share of m points (batch indices first..first+m−1) of a batch of n: Σ ε̂ᵃε̂ᵇ
     * weighted, its gradient (24.7) added into {@link #grad}.
     */
    private double randomizedChunk(int m, double[] t, double[] x, int first, int n, boolean withGrad) {
        final int cap = jet.capacity();
        final int nd = jet.directions();
        final int din = d + 1;
        final int k = probes;
        jet.forwardValues(m, t, x);
        jet.inputGradient();
        double[] uu = Arrays.copyOf(jet.u, m);
        double[] zz = new double[m * d];
        double[] drift = new double[m];
        for (int i = 0; i < m; i++) {
            double dr = 0;
            for (int c = 0; c < d; c++) {
                double g = jet.gx[i * din + c];
                zz[i * d + c] = sigma * g;
                dr += mu[c] * g;
            }
            drift[i] = dr + jet.gx[i * din + d];
        }
        double[] ff = new double[m];
        pde.generator(m, t, x, uu, zz, ff);
        // Deflated: ĝ = ∇xû/‖∇xû‖ per point (e₁ where ∇xû = 0), a constant of the estimates.
        double[] gh = deflated ? new double[m * d] : null;
        if (deflated) {
            for (int i = 0; i < m; i++) {
                double nn = 0;
                for (int c = 0; c < d; c++) {
                    nn += jet.gx[i * din + c] * jet.gx[i * din + c];
                }
                if (nn > 0 && Double.isFinite(nn)) {
                    double inv = 1 / Math.sqrt(nn);
                    for (int c = 0; c < d; c++) {
                        gh[i * d + c] = jet.gx[i * din + c] * inv;
                    }
                } else {
                    gh[i * d] = 1.0;
                }
            }
        }
        // Directions: 0 = (m̂, 1) (first order only), 1..K = set a, K+1..2K = set b (spatial, t-component 0).
        double[] q = new double[nd * cap * din];
        for (int i = 0; i < m; i++) {
            long rowKey = StreamKeys.child(probeKey, first + i);
            for (int j = 0; j < 2 * k; j++) {
                Probes.fill(rowKey, j, probeKind, d, q, ((j + 1) * cap + i) * din);
            }
        }
        double[] fuv = new double[m];
        double[] mhat = new double[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(mu, 0, mhat, i * d, d);
        }
        if (!pde.generatorIsZero()) {
            double[] up = new double[m];
            double[] fa = new double[m];
            double[] fb = new double[m];
            double[] hs = new double[m];
            for (int i = 0; i < m; i++) {
                hs[i] = 1e-6 * (1 + Math.abs(uu[i]));
                up[i] = uu[i] + hs[i];
            }
            pde.generator(m, t, x, up, zz, fa);
            for (int i = 0; i < m; i++) {
                up[i] = uu[i] - hs[i];
            }
            pde.generator(m, t, x, up, zz, fb);
            for (int i = 0; i < m; i++) {
                fuv[i] = (fa[i] - fb[i]) / (2 * hs[i]);
            }
            if (pde.generatorUsesGradient()) {
                // m̂ = μ + σ r (r·∂F/∂z): r Rademacher (probe 2K of the row), r·∂F/∂z by a central difference along r.
                double[] zp = new double[m * d];
                double[] zm = new double[m * d];
                double[] rr = new double[m * d];
                for (int i = 0; i < m; i++) {
                    Probes.fill(StreamKeys.child(probeKey, first + i), 2 * k, ProbeKind.RADEMACHER, d, rr, i * d);
                    if (deflated) { // r ← P r: ∂F/∂z = ĝ(ĝ·∂F/∂z) + P∂F/∂z, the first part exact (below)
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += rr[i * d + c] * gh[i * d + c];
                        }
                        for (int c = 0; c < d; c++) {
                            rr[i * d + c] -= dot * gh[i * d + c];
                        }
                    }
                    double zn = 0;
                    for (int c = 0; c < d; c++) {
                        zn = Math.max(zn, Math.abs(zz[i * d + c]));
                    }
                    hs[i] = 1e-6 * (1 + zn);
                }
                addAlong(m, d, t, x, uu, zz, rr, hs, zp, zm, fa, fb, sigma, mhat);
                if (deflated) { // + σ ĝ (ĝ·∂F/∂z), by a central difference along ĝ
                    for (int i = 0; i < m; i++) {
                        double zn = 0;
                        for (int c = 0; c < d; c++) {
                            zn += zz[i * d + c] * zz[i * d + c];
                        }
                        hs[i] = 1e-6 * (1 + Math.sqrt(zn));
                    }
                    addAlong(m, d, t, x, uu, zz, gh, hs, zp, zm, fa, fb, sigma, mhat);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(mhat, i * d, q, i * din, d);
            q[i * din + d] = 1.0;
        }
        if (deflated) {
            // ĝ (a constant of the estimate: unbiased for every unit vector), probes v ← v − (v·ĝ)ĝ.
            int gs = (2 * k + 1) * cap;
            for (int i = 0; i < m; i++) {
                int go = (gs + i) * din;
                System.arraycopy(gh, i * d, q, go, d);
                for (int j = 0; j < 2 * k; j++) {
                    int po = ((j + 1) * cap + i) * din;
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += q[po + c] * q[go + c];
                    }
                    for (int c = 0; c < d; c++) {
                        q[po + c] -= dot * q[go + c];
                    }
                }
            }
        }
        jet.forwardJets(q);
        double sum = 0;
        double[] ea = new double[m];
        double[] eb = new double[m];
        for (int i = 0; i < m; i++) {
            double la = 0;
            double lb = 0;
            for (int j = 0; j < k; j++) {
                la += jet.dQ[(j + 1) * cap + i];
                lb += jet.dQ[(k + j + 1) * cap + i];
            }
            double base = drift[i] + ff[i] + (deflated ? half2 * jet.dQ[(2 * k + 1) * cap + i] : 0);
            ea[i] = base + half2 * la / k;
            eb[i] = base + half2 * lb / k;
            sum += ea[i] * eb[i];
        }
        if (withGrad) {
            double[] gU = new double[cap];
            double[] gD = new double[nd * cap];
            double[] gQ = new double[nd * cap];
            double sc = wRes / n;
            for (int i = 0; i < m; i++) {
                double alpha = sc * (ea[i] + eb[i]);
                gU[i] = alpha * fuv[i];
                gD[i] = alpha;
                for (int j = 0; j < k; j++) {
                    gQ[(j + 1) * cap + i] = sc * half2 * eb[i] / k;
                    gQ[(k + j + 1) * cap + i] = sc * half2 * ea[i] / k;
                }
                if (deflated) {
                    gQ[(2 * k + 1) * cap + i] = alpha * half2;
                }
            }
            jet.backward(gU, gD, gQ, grad, gradW);
        }
        return wRes * sum / n;
    }

    /** The residual loss's share of m points of a batch of n (its gradient added into {@link #grad}). */
    private double residualLossChunk(int m, double[] t, double[] x, int n, boolean withGrad) {
        int cap = res.capacity();
        residualTerms(m, t, x);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += eps[i] * eps[i];
        }
        if (withGrad) {
            generatorPartials(m, t, x);
            Arrays.fill(gu, 0.0);
            Arrays.fill(gdu, 0.0);
            Arrays.fill(glap, 0.0);
            for (int i = 0; i < m; i++) {
                double ge = 2 * wRes * eps[i] / n;
                gu[i] = ge * fu[i];
                for (int k = 0; k < d; k++) {
                    gdu[k * cap + i] = ge * (mu[k] + sigma * fz[i * d + k]);
                }
                gdu[d * cap + i] = ge;
                glap[i] = ge * half2;
            }
            res.backward(gu, gdu, glap, grad, gradW);
        }
        return wRes * sum / n;
    }

    /** Forward pass + ε into {@code eps}; leaves û, ∇û, z = σ∇û in scratch. */
    private void residualTerms(int n, double[] t, double[] x) {
        int cap = res.capacity();
        res.forward(n, t, x);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double g = res.du[k * cap + i];
                gradX[i * d + k] = g;
                z[i * d + k] = sigma * g;
            }
            dtv[i] = res.du[d * cap + i];
        }
        pde.generator(n, t, x, res.u, z, f);
        for (int i = 0; i < n; i++) {
            double drift = 0;
            for (int k = 0; k < d; k++) {
                drift += mu[k] * gradX[i * d + k];
            }
            eps[i] = dtv[i] + drift + half2 * res.lap[i] + f[i];
        }
    }

    private void generatorPartials(int n, double[] t, double[] x) {
        Arrays.fill(fu, 0.0);
        Arrays.fill(fz, 0.0);
        if (pde.generatorIsZero()) {
            return;
        }
        double[] u = res.u;
        double[] hs = tmp;
        for (int i = 0; i < n; i++) {
            hs[i] = 1e-6 * (1 + Math.abs(u[i]));
        }
        double[] up = new double[n];
        for (int i = 0; i < n; i++) {
            up[i] = u[i] + hs[i];
        }
        pde.generator(n, t, x, up, z, fp);
        for (int i = 0; i < n; i++) {
            up[i] = u[i] - hs[i];
        }
        pde.generator(n, t, x, up, z, fm);
        for (int i = 0; i < n; i++) {
            fu[i] = (fp[i] - fm[i]) / (2 * hs[i]);
        }
        if (!pde.generatorUsesGradient()) {
            return;
        }
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < n; i++) {
                double zi = z[i * d + k];
                hs[i] = 1e-6 * (1 + Math.abs(zi));
                z[i * d + k] = zi + hs[i];
            }
            pde.generator(n, t, x, u, z, fp);
            for (int i = 0; i < n; i++) {
                z[i * d + k] -= 2 * hs[i];
            }
            pde.generator(n, t, x, u, z, fm);
            for (int i = 0; i < n; i++) {
                z[i * d + k] += hs[i];
                fz[i * d + k] = (fp[i] - fm[i]) / (2 * hs[i]);
            }
        }
        // Restore z exactly (the ± steps may leave rounding): recompute from the gradient.
        for (int i = 0; i < n * d; i++) {
            z[i] = sigma * gradX[i];
        }
    }

    /**
     * Residuals ε at n points (any n; processed in chunks of the residual capacity).
     *
     * @return ε, length n
     */
    public double[] residuals(int n, double[] t, double[] x) {
        int cap = res.capacity();
        double[] out = new double[n];
        for (int s0 = 0; s0 < n; s0 += cap) {
            int m = Math.min(cap, n - s0);
            residualTerms(m, Arrays.copyOfRange(t, s0, s0 + m), Arrays.copyOfRange(x, s0 * d, (s0 + m) * d));
            System.arraycopy(eps, 0, out, s0, m);
        }
        return out;
    }

    /**
     * Value, ∂t, ∇x and Δx at n points (chunks of the residual capacity), for checks.
     *
     * @return {u (n), dt (n), grad (n·d), lap (n)}
     */
    public double[][] terms(int n, double[] t, double[] x) {
        int cap = res.capacity();
        double[][] out = {new double[n], new double[n], new double[n * d], new double[n]};
        for (int s0 = 0; s0 < n; s0 += cap) {
            int m = Math.min(cap, n - s0);
            res.forward(m, Arrays.copyOfRange(t, s0, s0 + m), Arrays.copyOfRange(x, s0 * d, (s0 + m) * d));
            for (int i = 0; i < m; i++) {
                out[0][s0 + i] = res.u[i];
                out[1][s0 + i] = res.du[d * cap + i];
                for (int k = 0; k < d; k++) {
                    out[2][(s0 + i) * d + k] = res.du[k * cap + i];
                }
                out[3][s0 + i] = res.lap[i];
            }
        }
        return out;
    }

    /** Values û at n points (chunks of the value capacity). */
    public double[] values(int n, double[] t, double[] x) {
        int cap = val.capacity();
        double[] out = new double[n];
        for (int s0 = 0; s0 < n; s0 += cap) {
            int m = Math.min(cap, n - s0);
            val.forward(m, Arrays.copyOfRange(t, s0, s0 + m), Arrays.copyOfRange(x, s0 * d, (s0 + m) * d));
            System.arraycopy(val.u, 0, out, s0, m);
        }
        return out;
    }

    /**
     * m̂ᵢ += σ vᵢ (vᵢ·∂F/∂z) for each row i, the directional derivative by a central difference of step hᵢ along vᵢ
     * (rows of {@code dir}, d each); {@code zp}, {@code zm}, {@code fa}, {@code fb} are scratch.
     */
    private void addAlong(int m, int d, double[] t, double[] x, double[] uu, double[] zz, double[] dir, double[] hs,
                          double[] zp, double[] zm, double[] fa, double[] fb, double sigma, double[] mhat) {
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < d; c++) {
                zp[i * d + c] = zz[i * d + c] + hs[i] * dir[i * d + c];
                zm[i * d + c] = zz[i * d + c] - hs[i] * dir[i * d + c];
            }
        }
        pde.generator(m, t, x, uu, zp, fa);
        pde.generator(m, t, x, uu, zm, fb);
        for (int i = 0; i < m; i++) {
            double dd = (fa[i] - fb[i]) / (2 * hs[i]);
            for (int c = 0; c < d; c++) {
                mhat[i * d + c] += sigma * dir[i * d + c] * dd;
            }
        }
    }
}
