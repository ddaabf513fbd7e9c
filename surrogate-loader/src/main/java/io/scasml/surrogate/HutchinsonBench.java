package io.scasml.surrogate;

import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.surrogate.ProbeKind;

import java.util.Locale;

/**
 * Benchmark of the randomized residual pass against the exact one ({@link KernelBench}'s random tanh network):
 * residual evaluations/s, the scratch memory of one evaluator call, and the cost model's ratio. Not a test.
 *
 * <pre>
 * java -cp … io.scasml.surrogate.HutchinsonBench [--dims 100,1000,10000] [--ks 1,4,16] [--width 50] [--depth 5]
 *      [--precision fp64|fp32] [--seconds 0.5] [--rounds 5] [--kind rademacher|gaussian]
 * </pre>
 * Prints one Markdown table row per (d, method) — the best rate over the interleaved rounds — and the cost-model
 * crossover dimensions.
 */
public final class HutchinsonBench {

    private HutchinsonBench() {
    }

    /** One measurement. */
    public record Result(int dim, String method, int batch, double evalsPerSec, double scratchMiB,
                         double bytesPerRow, double modelRatio) {
    }

    /** Batch size for a dimension: about the same work per pass at every d. */
    static int batchFor(int d) {
        return d <= 100 ? 4096 : d <= 1000 ? 1024 : 128;
    }

    /** A prepared pass of one method at one d. */
    static final class Runner {
        final int dim;
        final String method;
        final int batch;
        final Runnable pass;
        final double scratchMiB;
        final double bytesPerRow;
        final double modelRatio;
        double best;

        Runner(int dim, String method, int batch, Runnable pass, double scratchMiB, double bytesPerRow,
               double modelRatio) {
            this.dim = dim;
            this.method = method;
            this.batch = batch;
            this.pass = pass;
            this.scratchMiB = scratchMiB;
            this.bytesPerRow = bytesPerRow;
            this.modelRatio = modelRatio;
        }

        /** Runs passes for about {@code seconds} (at least 1) and keeps the best rate seen. */
        void time(double seconds) {
            int passes = 0;
            long t0 = System.nanoTime();
            long el;
            do {
                pass.run();
                passes++;
                el = System.nanoTime() - t0;
            } while (el < seconds * 1e9);
            best = Math.max(best, batch * passes / (el / 1e9));
        }

        Result result() {
            return new Result(dim, method, batch, best, scratchMiB, bytesPerRow, modelRatio);
        }
    }

    /** Prepares the exact pass (k = 0) or the randomized pass with k probes and runs one warm-up pass. */
    static Runner prepare(int d, int width, int depth, Precision p, int k, ProbeKind kind) {
        return prepare(d, width, depth, p, k, kind, false);
    }

    /**
     * As {@link #prepare(int, int, int, Precision, int, ProbeKind)}; {@code deflated}: the deflated pass
     * ({@link HutchinsonResidual#runDeflated}) with k projected probes.
     */
    static Runner prepare(int d, int width, int depth, Precision p, int k, ProbeKind kind, boolean deflated) {
        MlpModel m = KernelBench.randomMlp(d, width, depth, 20240611L);
        int batch = batchFor(d);
        MlpEvaluator s = (MlpEvaluator) m.materialize(EvalOptions.of(p).withMaxBatchRows(Math.max(batch, 1)));
        double[][] tx = KernelBench.batch(d, batch, 7);
        double[] u = new double[batch];
        double[] dt = new double[batch];
        double[] g = new double[batch * d];
        double[] lap = new double[batch];
        double[] var = new double[batch];
        long[] keys = new long[batch];
        int bytes = p == Precision.FP32 ? 4 : 8;
        int[] ws = m.widths();
        Runner r;
        if (k == 0) {
            int rows = s.residualChunkRows();
            double perRow = ((d + 1) + width + 2.0 * (d + 3) * width + (d + 3)) * bytes;
            r = new Runner(d, "exact", batch, () -> s.residualTerms(batch, tx[0], tx[1], u, dt, g, lap),
                    rows * perRow / (1 << 20), perRow, 1.0);
        } else {
            long[] counter = {0};
            HutchinsonResidual h = s.hutchinson();
            int kk = deflated ? k + 1 : k;
            double model = (deflated ? HutchinsonResidual.deflatedCostPerRow(ws, k, kind)
                    : HutchinsonResidual.hutchinsonCostPerRow(ws, k, kind)) / HutchinsonResidual.exactCostPerRow(ws);
            r = new Runner(d, (deflated ? "deflated:" : "hutchinson:") + k, batch, () -> {
                long c = counter[0]++;
                for (int i = 0; i < batch; i++) {
                    keys[i] = StreamKeys.pointKey(c, i);
                }
                if (deflated) {
                    s.residualTermsDeflated(batch, tx[0], tx[1], keys, k, kind, u, dt, g, lap, var);
                } else {
                    s.residualTermsRandomized(batch, tx[0], tx[1], keys, k, kind, u, dt, g, lap, var);
                }
            }, h.scratchBytes(kk) / (double) (1 << 20), (double) h.valuesPerRow(kk) * bytes, model);
        }
        r.pass.run();
        return r;
    }

    /**
     * Measures the exact pass and the randomized pass for each k at dimension d: {@code rounds} rounds, each timing
     * every method for about {@code seconds} in turn, keeping each method's best rate (interleaving and best-of
     * reduce the effect of other processes on the ratios).
     */
    public static java.util.List<Result> run(int d, int width, int depth, Precision p, int[] ks, ProbeKind kind,
                                             double seconds, int rounds) {
        return run(d, width, depth, p, ks, kind, seconds, rounds, false);
    }

    /** As above; {@code deflated}: also the deflated pass for each k. */
    public static java.util.List<Result> run(int d, int width, int depth, Precision p, int[] ks, ProbeKind kind,
                                             double seconds, int rounds, boolean deflated) {
        java.util.List<Runner> rs = new java.util.ArrayList<>();
        rs.add(prepare(d, width, depth, p, 0, kind));
        for (int k : ks) {
            rs.add(prepare(d, width, depth, p, k, kind));
            if (deflated) {
                rs.add(prepare(d, width, depth, p, k, kind, true));
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Runner r : rs) {
                r.time(seconds);
            }
        }
        java.util.List<Result> out = new java.util.ArrayList<>();
        for (Runner r : rs) {
            out.add(r.result());
        }
        return out;
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) {
        String dims = "100,1000,10000";
        String ks = "1,4,16";
        int width = 50;
        int depth = 5;
        Precision p = Precision.FP64;
        double seconds = 0.5;
        int rounds = 5;
        ProbeKind kind = ProbeKind.RADEMACHER;
        boolean deflated = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dims" -> dims = args[i + 1];
                case "--ks" -> ks = args[i + 1];
                case "--width" -> width = Integer.parseInt(args[i + 1]);
                case "--depth" -> depth = Integer.parseInt(args[i + 1]);
                case "--precision" -> p = Precision.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--kind" -> kind = ProbeKind.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                case "--deflated" -> deflated = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "width %d, depth %d, %s, %s probes%n", width, depth, p, kind);
        System.out.println("| d | method | batch | residual evals/s | vs exact | scratch MiB | bytes/row | model cost ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        String[] kk = ks.split(",");
        int[] kv = new int[kk.length];
        for (int i = 0; i < kk.length; i++) {
            kv[i] = Integer.parseInt(kk[i].trim());
        }
        for (String ds : dims.split(",")) {
            java.util.List<Result> rs = run(Integer.parseInt(ds.trim()), width, depth, p, kv, kind, seconds, rounds,
                    deflated);
            for (Result r : rs) {
                print(r, rs.get(0).evalsPerSec());
            }
        }
        for (int k : new int[]{1, 4, 16}) {
            System.out.printf(Locale.ROOT, "model crossover (width %d, depth %d, k %d, %s): d >= %d%n", width, depth, k,
                    kind, HutchinsonResidual.crossoverDim(width, depth, k, kind, 1_000_000));
        }
    }

    private static void print(Result r, double exact) {
        System.out.printf(Locale.ROOT, "| %d | %s | %d | %.4g | %.2f× | %.1f | %.0f | %.3f |%n", r.dim(), r.method(),
                r.batch(), r.evalsPerSec(), r.evalsPerSec() / exact, r.scratchMiB(), r.bytesPerRow(), r.modelRatio());
        System.out.flush();
    }
}
