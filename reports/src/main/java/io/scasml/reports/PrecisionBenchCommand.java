package io.scasml.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.Scheme;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.Precision;
import io.scasml.surrogate.SurrogateLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scasml bench precision}: is FP32 free? SCaSML on the paper cases with the FP64 and the FP32 surrogate kernels
 * (same points, seed and streams; the Monte Carlo sums are FP64 in both; each timed after a 48-point warm-up of
 * both), and per point the change of the estimate in units of its reported FP64 standard error, |u₃₂ − u₆₄| / SE₆₄.
 * The criterion for making FP32 the default is that every point's change is below {@code --threshold} (1% of its SE);
 * points with SE = 0 (t = T) must not change at all; points without an error bar (SE NaN: the quadrature scheme at
 * small n has single-path terms) cannot be judged against one and are reported apart, with their largest |Δu|.
 */
@Command(name = "precision", mixinStandardHelpOptions = true,
    description = "SCaSML with FP32 vs FP64 surrogate kernels on the paper cases: per-point |u32 - u64| / SE64.")
public final class PrecisionBenchCommand implements Callable<Integer> {

    /** --out (default runs/bench-precision) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;

    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--cases", split = ",", description = "Cases (default: ${DEFAULT-VALUE}).",
        defaultValue = "vb20,lcd10,dr100,lqg100")
    List<String> cases;

    @Option(names = "--schemes", split = ",", description = "Schemes (default: ${DEFAULT-VALUE}).",
        defaultValue = "full-history")
    List<String> schemes;

    @picocli.CommandLine.Mixin
    ProtocolOptions protocol;

    @Option(names = "--threshold", defaultValue = "0.01",
        description = "Largest allowed |u32 - u64| / SE64 at every point (default: ${DEFAULT-VALUE}).")
    double threshold;

    /** The comparison at one case and scheme. */
    record Row(String c, String scheme, int points, int withSe, double max, double p99, double median,
               int over, int changedWithoutSe, int noErrorBar, double maxAbsNoErrorBar, double sec64, double sec32) {
        /** Whether some point has an error bar, so that the criterion applies. */
        boolean assessed() {
            return withSe > 0;
        }

        boolean passes() {
            return over == 0 && changedWithoutSe == 0;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("points", points);
            m.put("points_with_se", withSe);
            m.put("max_ratio", max);
            m.put("p99_ratio", p99);
            m.put("median_ratio", median);
            m.put("points_over_threshold", over);
            m.put("changed_at_zero_se", changedWithoutSe);
            m.put("points_without_error_bar", noErrorBar);
            m.put("max_abs_change_without_error_bar", maxAbsNoErrorBar);
            m.put("seconds_fp64", sec64);
            m.put("seconds_fp32", sec32);
            m.put("passes", passes());
            return m;
        }
    }

    /** Per-point |u32 − u64| / SE64 of two runs over the same points (in the same order). */
    static Row compare(String c, String scheme, List<PointEstimate> e64, List<PointEstimate> e32, double threshold,
                       double sec64, double sec32) {
        if (e64.size() != e32.size()) {
            throw new IllegalStateException(c + ": " + e64.size() + " FP64 vs " + e32.size() + " FP32 estimates");
        }
        double[] r = new double[e64.size()];
        int n = 0;
        int over = 0;
        int changedWithoutSe = 0;
        int noBar = 0;
        double maxNoBar = 0;
        for (int i = 0; i < e64.size(); i++) {
            PointEstimate a = e64.get(i);
            PointEstimate b = e32.get(i);
            if (a.id() != b.id()) {
                throw new IllegalStateException(c + ": point " + i + " has ids " + a.id() + " and " + b.id());
            }
            double diff = Math.abs(b.u() - a.u());
            if (a.stdError() > 0 && Double.isFinite(a.stdError())) {
                double q = diff / a.stdError();
                r[n++] = q;
                if (!(q < threshold)) {
                    over++;
                }
            } else if (a.stdError() == 0) {
                if (!(diff == 0)) {
                    changedWithoutSe++;
                }
            } else {
                noBar++;
                maxNoBar = Math.max(maxNoBar, diff);
            }
        }
        double[] s = Arrays.copyOf(r, n);
        Arrays.sort(s);
        double max = n == 0 ? Double.NaN : s[n - 1];
        double p99 = n == 0 ? Double.NaN : s[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)];
        double med = n == 0 ? Double.NaN : s[(n - 1) / 2];
        return new Row(c, scheme, e64.size(), n, max, p99, med, over, changedWithoutSe, noBar, maxNoBar, sec64, sec32);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new PrecisionBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int th = caseOptions.threads();
        try (RunDir dir = output.open(caseOptions.inputs())) {
            Map<String, Object> results = new LinkedHashMap<>();
            StringBuilder table = new StringBuilder();
            table.append("| case | scheme | points (with SE) | max |Δu|/SE | p99 | median | points ≥ threshold |"
                + " changed at SE = 0 | no error bar: points, max |Δu| | time FP64 (s) | time FP32 (s) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<String> goals = new ArrayList<>();
            boolean all = true;
            boolean anyAssessed = false;
            for (String c : cases) {
                CaseOptions.BenchCase bc = caseOptions.load(c, protocol.points, protocol.seed, false);
                Surrogate s64 = SurrogateLoader.loadSurrogate(caseOptions.surrogateDir(c), Precision.FP64);
                Surrogate s32 = SurrogateLoader.loadSurrogate(caseOptions.surrogateDir(c), Precision.FP32);
                Map<String, Object> caseRes = new LinkedHashMap<>();
                for (String sch : schemes) {
                    Scheme scheme = Scheme.parse(sch);
                    RunOptions o = RunOptions.builder().method(Method.SCASML).scheme(scheme).levels(protocol.levels)
                        .base(protocol.base).seed(protocol.seed).build();
                    PicardEstimator est64 = PicardEstimator.create(bc.pde(), s64, o);
                    PicardEstimator est32 = PicardEstimator.create(bc.pde(), s32, o);
                    List<io.scasml.kernels.picard.QueryPoint> warm =
                        bc.points().subList(0, Math.min(48, bc.points().size()));
                    LocalRunner.run(est64, warm, th);
                    LocalRunner.run(est32, warm, th);
                    long a = System.nanoTime();
                    List<PointEstimate> e64 = LocalRunner.run(est64, bc.points(), th);
                    double sec64 = (System.nanoTime() - a) / 1e9;
                    a = System.nanoTime();
                    List<PointEstimate> e32 = LocalRunner.run(est32, bc.points(), th);
                    double sec32 = (System.nanoTime() - a) / 1e9;
                    Row r = compare(c, scheme.label(), e64, e32, threshold, sec64, sec32);
                    all &= r.passes();
                    anyAssessed |= r.assessed();
                    caseRes.put(scheme.label(), r.toMap());
                    table.append(String.format(Locale.ROOT, "| %s | %s | %d (%d) | %s | %s | %s | %d | %d | %d, %.3g | %.2f | %.2f |%n",
                        c, r.scheme(), r.points(), r.withSe(), fmt(r.max()), fmt(r.p99()), fmt(r.median()), r.over(),
                        r.changedWithoutSe(), r.noErrorBar(), r.maxAbsNoErrorBar(), sec64, sec32));
                    System.err.printf(Locale.ROOT, "%s %s: max |du|/SE %.3g (%d of %d points >= %.3g), FP64 %.2f s,"
                        + " FP32 %.2f s%n", c, r.scheme(), r.max(), r.over(), r.withSe(), threshold, sec64, sec32);
                }
                results.put(c, caseRes);
            }
            all &= anyAssessed;
            goals.add(String.format(Locale.ROOT, "every point's |u32 - u64| < %.3g SE64 on every case: %s", threshold,
                all ? "met (FP32 qualifies as the default)" : "NOT met (FP32 does not qualify as the default)"));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("command", "scasml bench precision --points " + protocol.points + " --levels " + protocol.levels
                + " --base " + protocol.base + " --seed " + protocol.seed + " --cases " + String.join(",", cases)
                + " --schemes " + String.join(",", schemes) + " --threshold " + threshold + " --threads " + th);
            summary.put("machine", Machine.describe());
            summary.put("threshold", threshold);
            summary.put("results", results);
            summary.put("qualifies", all);
            summary.put("goals", goals);
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            om.writeValue(dir.dir().resolve("results.json").toFile(), summary);
            Files.writeString(dir.dir().resolve("table.md"), table.toString());
            Report.write(dir.dir(), "FP32 vs FP64 surrogate kernels (SCaSML, reference protocol)",
                (String) summary.get("command"), table.toString(), goals, List.of());
            dir.commit();
            System.out.println(table);
            goals.forEach(System.out::println);
            System.out.println("report: " + dir.target().resolve("report.md"));
        }
        return 0;
    }
}
