package io.scasml.kernels.picard;

import io.scasml.kernels.stats.StudentT;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The independent replicate estimates of one point by one method, folded into running sums (a few numbers and
 * the gradient; docs/algorithm.md §23, "replicates and their standard error"). Replicate r is a complete
 * estimate on its own streams, with value uᵣ, variance estimate SEᵣ² = Σₖ s²ₖ/Nₖ and Welch–Satterthwaite
 * ingredient Dᵣ = Σₖ (s²ₖ/Nₖ)²/(Nₖ − 1) = SEᵣ⁴/νᵣ. The combined estimate of R replicates is
 * <pre>
 *   u = (Σᵣ uᵣ)/R,   SE² = (Σᵣ SEᵣ²)/R²,   ν = (Σᵣ SEᵣ²)² / Σᵣ Dᵣ
 * </pre>
 * (the pooled within-replicate estimator: unbiased for Var(u), with the degrees of freedom of all R(n + 1)
 * top-level terms) and, as a diagnostic, the between-replicate standard error sd(uᵣ)/√R (R ≥ 2). Where a
 * replicate has no within-replicate variance (a top-level term with one sample: quadrature at small ρ), the
 * between-replicate estimator with ν = R − 1 stands in from R = 2 on.
 *
 * <p>Sums are accumulated in round order, the first replicate assigned rather than added, so one replicate gives
 * back its estimate bit for bit (√(SE²) = SE exactly in IEEE arithmetic). Mutable, not thread-safe.
 */
final class ReplicateSet {
    private final int d;
    private int r;
    private PointStatus status = PointStatus.OK;
    private double uSurrogate = Double.NaN;
    private double exact = Double.NaN;
    private double sumU;
    private double sumCorr;
    private double sumVar;
    private double sumDofDen;
    private double dofFirst;
    /** Welford mean and M₂ of the uᵣ (between-replicate diagnostic). */
    private double meanB;
    private double m2B;
    private final double[] sumZ;
    private double sumGvt;
    private double sumRrms2;
    private double sumProbeVar;
    private double shareFirst;
    private final long[] counts = new long[TermPartial.COUNT_NAMES.length];

    ReplicateSet(int d) {
        this.d = d;
        this.sumZ = new double[d];
    }

    /** Replicates folded so far (failed ones included). */
    int replicates() {
        return r;
    }

    /** Whether every replicate so far is a number. */
    boolean ok() {
        return status == PointStatus.OK;
    }

    PointStatus status() {
        return status;
    }

    /** Adds the next replicate. */
    void add(PointEstimate e) {
        long[] c = e.counts();
        for (int k = 0; k < counts.length; k++) {
            counts[k] += c[k];
        }
        if (r == 0) {
            uSurrogate = e.uSurrogate();
            exact = e.exact();
        }
        r++;
        if (!ok()) {
            return;
        }
        if (!e.ok()) {
            status = e.status();
            sumRrms2 = e.residualRms() * e.residualRms();
            return;
        }
        double var = e.stdError() * e.stdError();
        double dofDen = var == 0 ? 0 : var * var / e.dof();
        double rr = e.residualRms() * e.residualRms();
        if (r == 1) {
            sumU = e.u();
            sumCorr = e.correction();
            sumVar = var;
            sumDofDen = dofDen;
            dofFirst = e.dof();
            System.arraycopy(e.z(), 0, sumZ, 0, d);
            sumGvt = e.gradVarTrace();
            sumRrms2 = rr;
            shareFirst = e.probeVarianceShare();
            sumProbeVar = shareFirst * var;
            meanB = e.u();
            m2B = 0;
        } else {
            sumU += e.u();
            sumCorr += e.correction();
            sumVar += var;
            sumDofDen += dofDen;
            double[] z = e.z();
            for (int k = 0; k < d; k++) {
                sumZ[k] += z[k];
            }
            sumGvt += e.gradVarTrace();
            sumRrms2 += rr;
            sumProbeVar += e.probeVarianceShare() * var;
            double delta = e.u() - meanB;
            meanB += delta / r;
            m2B += delta * (e.u() - meanB);
        }
    }

    /** Combined value (NaN before the first replicate or after a failed one). */
    double u() {
        return r > 0 && ok() ? sumU / r : Double.NaN;
    }

    /**
     * Whether the replicates have no within-replicate variance (a top-level term with a single sample, e.g.
     * quadrature at small ρ) and the between-replicate estimator stands in (R ≥ 2).
     */
    boolean betweenFallback() {
        return r >= 2 && ok() && Double.isNaN(sumVar);
    }

    /** Combined variance estimate SE² = ΣSEᵣ²/R² (between-replicate fallback: sd(uᵣ)²/R). */
    double variance() {
        if (betweenFallback()) {
            return m2B / (r - 1) / r;
        }
        return r > 0 && ok() ? sumVar / ((double) r * r) : Double.NaN;
    }

    /** Σᵣ Dᵣ / R⁴: the Welch–Satterthwaite denominator of the combined variance (fallback: SE⁴/(R − 1)). */
    double dofDenominator() {
        if (betweenFallback()) {
            double v = variance();
            return v * v / (r - 1);
        }
        double rr = (double) r * r;
        return r > 0 && ok() ? sumDofDen / (rr * rr) : Double.NaN;
    }

    /** Combined standard error. */
    double stdError() {
        if (betweenFallback()) {
            return betweenStdError();
        }
        return r > 0 && ok() ? Math.sqrt(sumVar) / r : Double.NaN;
    }

    /** Combined degrees of freedom (fallback: R − 1). */
    double dof() {
        if (r == 0 || !ok()) {
            return Double.NaN;
        }
        if (betweenFallback()) {
            return r - 1;
        }
        return r == 1 ? dofFirst : sumVar * sumVar / sumDofDen;
    }

    /** Between-replicate standard error sd(uᵣ)/√R (NaN for R &lt; 2). */
    double betweenStdError() {
        return r >= 2 && ok() ? Math.sqrt(m2B / (r - 1) / r) : Double.NaN;
    }

    double[] z() {
        double[] z = new double[d];
        for (int k = 0; k < d; k++) {
            z[k] = r > 0 && ok() ? sumZ[k] / r : Double.NaN;
        }
        return z;
    }

    double gradVarTrace() {
        return r > 0 && ok() ? sumGvt / ((double) r * r) : Double.NaN;
    }

    double residualRms() {
        if (r == 0) {
            return Double.NaN;
        }
        return ok() ? Math.sqrt(sumRrms2 / r) : Math.sqrt(sumRrms2);
    }

    /**
     * The probes' (direct) share of the combined variance, Σᵣ shareᵣ·SEᵣ² / Σᵣ SEᵣ² (one replicate: its share, bit
     * for bit); NaN without probes and with the between-replicate fallback.
     */
    double probeVarianceShare() {
        if (r == 0 || !ok() || betweenFallback()) {
            return Double.NaN;
        }
        return r == 1 ? shareFirst : sumProbeVar / sumVar;
    }

    double correction() {
        return r > 0 && ok() ? sumCorr / r : Double.NaN;
    }

    double uSurrogate() {
        return uSurrogate;
    }

    double exact() {
        return exact;
    }

    long[] counts() {
        return counts.clone();
    }

    /** The combined estimate as a {@link PointEstimate} (one replicate: that replicate's estimate, bit for bit). */
    PointEstimate estimate(QueryPoint p) {
        if (!ok() || r == 0) {
            double[] z = new double[d];
            Arrays.fill(z, Double.NaN);
            return new PointEstimate(p.id(), p.t(), p.x(), uSurrogate, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, z, exact, counts(), Double.NaN, Double.NaN, residualRms(), Double.NaN,
                r == 0 ? PointStatus.OK : status, Double.NaN, Double.NaN, Double.NaN);
        }
        double u = u();
        double se = stdError();
        double dof = dof();
        double q = se > 0 ? StudentT.quantile975(dof) : StudentT.Z975;
        double[] z = z();
        return new PointEstimate(p.id(), p.t(), p.x(), uSurrogate, correction(), u, se, u - q * se, u + q * se, z,
            exact, counts(), gradVarTrace(), dot(z, z), residualRms(), dof, PointStatus.OK, probeVarianceShare(),
            Double.NaN, Double.NaN);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ checkpoint

    void write(DataOutputStream out) throws IOException {
        out.writeInt(r);
        out.writeInt(status.ordinal());
        double[] v = {uSurrogate, exact, sumU, sumCorr, sumVar, sumDofDen, dofFirst, meanB, m2B, sumGvt, sumRrms2,
            sumProbeVar, shareFirst};
        for (double x : v) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
        for (double x : sumZ) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
        for (long c : counts) {
            out.writeLong(c);
        }
    }

    static ReplicateSet read(DataInputStream in, int d) throws IOException {
        ReplicateSet s = new ReplicateSet(d);
        s.r = in.readInt();
        int st = in.readInt();
        if (s.r < 0 || st < 0 || st >= PointStatus.values().length) {
            throw new IOException("corrupt replicate record (rounds " + s.r + ", status " + st + ")");
        }
        s.status = PointStatus.values()[st];
        s.uSurrogate = rd(in);
        s.exact = rd(in);
        s.sumU = rd(in);
        s.sumCorr = rd(in);
        s.sumVar = rd(in);
        s.sumDofDen = rd(in);
        s.dofFirst = rd(in);
        s.meanB = rd(in);
        s.m2B = rd(in);
        s.sumGvt = rd(in);
        s.sumRrms2 = rd(in);
        s.sumProbeVar = rd(in);
        s.shareFirst = rd(in);
        for (int k = 0; k < d; k++) {
            s.sumZ[k] = rd(in);
        }
        for (int k = 0; k < s.counts.length; k++) {
            s.counts[k] = in.readLong();
        }
        return s;
    }

    private static double rd(DataInputStream in) throws IOException {
        return Double.longBitsToDouble(in.readLong());
    }
}
