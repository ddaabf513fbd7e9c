package io.scasml.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scasml bench inference}: trustworthy inference-time scaling (issue 13). Per case, guarded SCaSML (the
 * default) over a level sweep, a base sweep and adaptive runs at decreasing relative-SE targets: relative L2 error
 * against compute (cost-model evaluations per point, pilots and companion included), its Monte Carlo noise floor
 * rel SE = √(Σ SE²/Σ exact²), the check that the error does not grow with compute beyond 2 combined SE, fitted
 * log–log slopes, unguarded SCaSML and plain MLP at the sweeps' middle setting for reference, the compute each kind
 * of run needs to reach a target error, and for HJB cases the estimate at the origin.
 */
@Command(name = "inference", mixinStandardHelpOptions = true,
    description = "Inference-time scaling with guarded SCaSML: error against compute for fixed (n, M) sweeps and"
        + " adaptive targets, monotonicity within 2 SE, slopes, compute to reach a target error.")
public final class InferenceBenchCommand implements Callable<Integer> {

    /** --out (default runs/bench-inference) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;

    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--cases", split = ",", defaultValue = "vb20,lcd10,dr100,lqg100,hjb100-ball",
        description = "Cases <pde><dim>[-variant] with a surrogate <surrogates>/<case> (default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--points", defaultValue = "100", description = "Test points per run (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--levels", split = ",", defaultValue = "1,2,3",
        description = "n of the level sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> levels;

    @Option(names = "--level-base", defaultValue = "4", description = "M of the level sweep (default: ${DEFAULT-VALUE}).")
    int levelBase;

    @Option(names = "--bases", split = ",", defaultValue = "4,8,16",
        description = "M of the base sweep at n = 2 (default: ${DEFAULT-VALUE}).")
    List<Integer> bases;

    @Option(names = "--targets", split = ",", defaultValue = "0.004,0.002,0.001",
        description = "--target-rel-se of the adaptive runs, at n = 2, M = 8 (default: ${DEFAULT-VALUE}).")
    List<Double> targets;

    @Option(names = "--max-rounds", defaultValue = "32", description = "Round cap of the adaptive runs (default: ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--reach", defaultValue = "1e-3",
        description = "The relative L2 error whose compute is reported, per case (default: ${DEFAULT-VALUE}).")
    double reach;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The HJB reference value at the origin, t = 0, d = 100 (Cole–Hopf; issue 13). */
    static final double HJB100_ORIGIN = 4.5902;

    /** One run's figures. */
    record Row(String kind, String label, double evals, double seconds, double relL2, double relSe, double meanW,
               int met) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("config", label);
            m.put("evaluations_per_point", evals);
            m.put("seconds", seconds);
            m.put("rel_l2", relL2);
            m.put("rel_se", relSe);
            m.put("mean_guard_weight", Double.isNaN(meanW) ? null : meanW);
            m.put("points_target_met", met);
            return m;
        }
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new InferenceBenchCommand()).execute(args));
    }

    private Row run(String kind, String label, Pde pde, Surrogate s, RunOptions o, List<QueryPoint> pts) {
        long a = System.nanoTime();
        List<AdaptiveEstimate> r = LocalRunner.solve(pde, o.method() == Method.MLP ? null : s, o, pts,
            caseOptions.threads());
        double sec = (System.nanoTime() - a) / 1e9;
        double e2 = 0;
        double u2 = 0;
        double se2 = 0;
        double ev = 0;
        double w = 0;
        int nw = 0;
        int met = 0;
        for (AdaptiveEstimate x : r) {
            PointEstimate e = x.estimate();
            double d = e.u() - e.exact();
            e2 += d * d;
            u2 += e.exact() * e.exact();
            se2 += e.stdError() * e.stdError();
            ev += x.evaluations();
            met += x.targetMet() ? 1 : 0;
            if (x.guard() != null) {
                w += x.guard().weight();
                nw++;
            }
        }
        Row row = new Row(kind, label, ev / r.size(), sec, Math.sqrt(e2 / u2), Math.sqrt(se2 / u2),
            nw > 0 ? w / nw : Double.NaN, met);
        System.err.printf(Locale.ROOT, "%s %s: rel L2 %.3g (rel SE %.3g), %.0f evals/pt, %.1f s, mean w %.3g%n", kind,
            label, row.relL2(), row.relSe(), row.evals(), sec, row.meanW());
        return row;
    }

    private RunOptions fixed(Method m, int n, int base, boolean guard) {
        return RunOptions.builder().method(m).levels(n).base(base).seed(seed).guard(guard).build();
    }

    /**
     * Whether each run's error is at most the best earlier run's (in order of compute) plus 2 combined SE; the
     * violations, in words (empty when none).
     */
    static List<String> monotone(List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Double.compare(a.evals(), b.evals()));
        List<String> bad = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            Row r = sorted.get(i);
            for (int j = 0; j < i; j++) {
                Row q = sorted.get(j);
                double tol = 2 * Math.hypot(r.relSe(), q.relSe());
                if (r.relL2() > q.relL2() + tol) {
                    bad.add(String.format(Locale.ROOT, "%s (%.3g) > %s (%.3g) + 2 SE (%.3g)", r.label(), r.relL2(),
                        q.label(), q.relL2(), tol));
                    break;
                }
            }
        }
        return bad;
    }

    @Override
    public Integer call() throws Exception {
        try (RunDir dir = output.open(caseOptions.inputs())) {
            Map<String, Object> results = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            List<String> plots = new ArrayList<>();
            StringBuilder table = new StringBuilder("| case | kind | configuration | evals/pt | seconds | rel L2 |"
                + " rel SE | mean w | target met |\n|---|---|---|---|---|---|---|---|---|\n");
            for (String c : cases) {
                CaseOptions.BenchCase bc = caseOptions.load(c, points, seed);
                Pde pde = bc.pde();
                Surrogate s = bc.surrogate();
                List<QueryPoint> pts = bc.points();
                Map<String, List<Row>> kinds = new LinkedHashMap<>();
                List<Row> lv = new ArrayList<>();
                for (int n : levels) {
                    lv.add(run("levels", "n=" + n + " M=" + levelBase, pde, s, fixed(Method.SCASML, n, levelBase,
                        true), pts));
                }
                kinds.put("guarded levels", lv);
                List<Row> bs = new ArrayList<>();
                for (int b : bases) {
                    bs.add(run("bases", "n=2 M=" + b, pde, s, fixed(Method.SCASML, 2, b, true), pts));
                }
                kinds.put("guarded bases", bs);
                List<Row> ad = new ArrayList<>();
                for (double t : targets) {
                    RunOptions o = fixed(Method.SCASML, 2, 8, true).toBuilder().targetRelSe(t).maxRounds(maxRounds)
                        .build();
                    ad.add(run("adaptive", String.format(Locale.ROOT, "n=2 M=8 target %.3g", t), pde, s, o, pts));
                }
                kinds.put("guarded adaptive", ad);
                List<Row> ref = new ArrayList<>();
                ref.add(run("reference", "unguarded SCaSML n=2 M=8", pde, s, fixed(Method.SCASML, 2, 8, false), pts));
                ref.add(run("reference", "plain MLP n=2 M=8", pde, s, fixed(Method.MLP, 2, 8, false), pts));
                Map<String, Object> caseRes = new LinkedHashMap<>();
                Map<String, double[][]> series = new LinkedHashMap<>();
                List<Row> all = new ArrayList<>();
                for (Map.Entry<String, List<Row>> k : kinds.entrySet()) {
                    List<Row> rows = k.getValue();
                    all.addAll(rows);
                    double[] x = rows.stream().mapToDouble(Row::evals).toArray();
                    double[] y = rows.stream().mapToDouble(Row::relL2).toArray();
                    series.put(k.getKey(), new double[][] {x, y});
                    List<String> bad = monotone(rows);
                    notes.add(String.format(Locale.ROOT, "%s %s: error non-increasing in compute within 2 SE: %s", c,
                        k.getKey(), bad.isEmpty() ? "yes" : "NO: " + String.join("; ", bad)));
                    List<Object> maps = new ArrayList<>();
                    rows.forEach(r -> maps.add(r.toMap()));
                    caseRes.put(k.getKey().replace(' ', '_'), maps);
                }
                List<Object> refMaps = new ArrayList<>();
                ref.forEach(r -> refMaps.add(r.toMap()));
                caseRes.put("reference", refMaps);
                for (Row r : concat(all, ref)) {
                    table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %.3g | %.3g | %s | %s |%n",
                        c, r.kind(), r.label(), r.evals(), r.seconds(), r.relL2(), r.relSe(),
                        Double.isNaN(r.meanW()) ? "—" : String.format(Locale.ROOT, "%.2f", r.meanW()),
                        r.kind().equals("adaptive") ? r.met() + "/" + points : "—"));
                }
                series.put("unguarded SCaSML", new double[][] {{ref.get(0).evals()}, {ref.get(0).relL2()}});
                series.put("plain MLP", new double[][] {{ref.get(1).evals()}, {ref.get(1).relL2()}});
                Path png = dir.dir().resolve("inference-" + c + ".png");
                Map<String, Charts.Fit> fits = Charts.logLog(c + ": relative L2 error vs evaluations per point ("
                    + points + " points)", "evaluations per point (pilots and companion included)",
                    "relative L2 error", series, png);
                plots.add(png.getFileName().toString());
                Map<String, Object> slopes = new LinkedHashMap<>();
                for (String k : kinds.keySet()) {
                    slopes.put(k, fits.get(k).slope());
                    notes.add(String.format(Locale.ROOT, "%s %s: fitted slope of error vs evaluations %.2f", c, k,
                        fits.get(k).slope()));
                }
                caseRes.put("slopes", slopes);
                Map<String, Object> reachRes = new LinkedHashMap<>();
                for (Map.Entry<String, List<Row>> k : kinds.entrySet()) {
                    Row best = null;
                    for (Row r : k.getValue()) {
                        if (r.relL2() <= reach && (best == null || r.evals() < best.evals())) {
                            best = r;
                        }
                    }
                    reachRes.put(k.getKey(), best == null ? null : best.toMap());
                    notes.add(String.format(Locale.ROOT, "%s %s: compute to reach rel L2 %.3g: %s", c, k.getKey(),
                        reach, best == null ? "not reached" : String.format(Locale.ROOT, "%.0f evals/pt (%s)",
                            best.evals(), best.label())));
                }
                caseRes.put("reach_rel_l2_" + reach, reachRes);
                notes.add(String.format(Locale.ROOT, "%s: guarded n=2 M=8 rel L2 %.3g vs unguarded %.3g, plain MLP"
                    + " %.3g (rel SE %.3g, %.3g, %.3g)", c, bs.size() > 1 ? bs.get(1).relL2() : Double.NaN,
                    ref.get(0).relL2(), ref.get(1).relL2(), bs.size() > 1 ? bs.get(1).relSe() : Double.NaN,
                    ref.get(0).relSe(), ref.get(1).relSe()));
                if (pde.name().equals("hjb") && pde.dim() == 100) {
                    caseRes.put("origin", origin(pde, s, notes, table, c));
                }
                results.put(c, caseRes);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            String cmd = "scasml bench inference --cases " + String.join(",", cases) + " --points " + points
                + " --seed " + seed;
            summary.put("command", cmd);
            summary.put("machine", Machine.describe());
            summary.put("results", results);
            summary.put("findings", notes);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.dir().resolve("results.json").toFile(), summary);
            Report.write(dir.dir(), "Trustworthy inference-time scaling (guarded SCaSML, adaptive rounds)", cmd,
                table.toString(), notes, plots);
            dir.commit();
            notes.forEach(System.out::println);
            System.out.println("report: " + dir.target().resolve("report.md"));
        }
        return 0;
    }

    private static List<Row> concat(List<Row> a, List<Row> b) {
        List<Row> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** HJB d = 100 at the origin, t = 0: guarded SCaSML, unguarded SCaSML and plain MLP at n = 3, M = 8. */
    private Map<String, Object> origin(Pde pde, Surrogate s, List<String> notes, StringBuilder table, String c) {
        List<QueryPoint> o = List.of(new QueryPoint(0, 0.0, new double[pde.dim()]));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object[] m : new Object[][] {{"guarded SCaSML", Method.SCASML, true},
            {"unguarded SCaSML", Method.SCASML, false}, {"plain MLP", Method.MLP, false}}) {
            RunOptions opt = fixed((Method) m[1], 3, 8, (Boolean) m[2]);
            AdaptiveEstimate a = LocalRunner.solve(pde, m[1] == Method.MLP ? null : s, opt, o, caseOptions.threads())
                .get(0);
            PointEstimate e = a.estimate();
            double z = Math.abs(e.u() - HJB100_ORIGIN) / e.stdError();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("u", e.u());
            r.put("se", e.stdError());
            r.put("reference", HJB100_ORIGIN);
            r.put("z", z);
            r.put("guard_weight", a.guard() == null ? null : a.guard().weight());
            out.put((String) m[0], r);
            notes.add(String.format(Locale.ROOT, "%s at the origin, n=3 M=8, %s: %.5g ± %.3g (reference %.4f, %.2f SE"
                + " off)%s", c, m[0], e.u(), e.stdError(), HJB100_ORIGIN, z, a.guard() == null ? ""
                : String.format(Locale.ROOT, ", w = %.3g", a.guard().weight())));
        }
        return out;
    }
}
