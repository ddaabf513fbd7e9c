package io.scasml.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
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
 * {@code scasml bench scaling}: inference-time scaling — error against compute (evaluations per point and seconds)
 * for a level sweep n = 1..4 and a base sweep at n = 2, plain MLP and SCaSML, with fitted log–log slopes; the
 * product-of-errors claim with two surrogates of different quality; and a dimension sweep of VB.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
    description = "Inference-time scaling study: error against compute, surrogate quality and dimension.")
public final class ScalingBenchCommand implements Callable<Integer> {

    /** --out (default runs/bench-scaling) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;


    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--cases", split = ",", defaultValue = "vb20,lqg100", description = "Cases (default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--points", defaultValue = "200", description = "Test points per run (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--max-level", defaultValue = "4", description = "Largest n of the level sweep (default: ${DEFAULT-VALUE}).")
    int maxLevel;

    @Option(names = "--level-base", defaultValue = "6", description = "M of the level sweep (default: ${DEFAULT-VALUE}).")
    int levelBase;

    @Option(names = "--bases", split = ",", defaultValue = "2,3,4,6,8,12,16",
        description = "M values of the base sweep at n = 2 (default: ${DEFAULT-VALUE}).")
    List<Integer> bases;

    @Option(names = "--dims", split = ",", defaultValue = "20,40,80,160",
        description = "Dimensions of the VB sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> dims;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;



    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ScalingBenchCommand()).execute(args));
    }

    private int th() {
        return caseOptions.threads();
    }

    private Metrics run(Pde pde, Surrogate s, RunOptions o, List<QueryPoint> pts) {
        long a = System.nanoTime();
        List<PointEstimate> es = LocalRunner.run(PicardEstimator.create(pde, s, o), pts, th());
        return Metrics.of(es, (System.nanoTime() - a) / 1e9);
    }

    @Override
    public Integer call() throws Exception {
        try (RunDir dir = output.open(caseOptions.inputs())) {
            Map<String, Object> results = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            List<String> plots = new ArrayList<>();
            StringBuilder table = new StringBuilder("| case | sweep | method | n | M | evals/pt | seconds | rel L2 |\n"
                + "|---|---|---|---|---|---|---|---|\n");
            for (String c : cases) {
                CaseOptions.BenchCase bc = caseOptions.load(c, points, seed);
                Pde pde = bc.pde();
                Surrogate s = bc.surrogate();
                List<QueryPoint> pts = bc.points();
                Metrics sur = run(pde, s, RunOptions.builder().method(Method.SURROGATE).build(), pts);
                Map<String, double[][]> byEvals = new LinkedHashMap<>();
                Map<String, double[][]> bySeconds = new LinkedHashMap<>();
                Map<String, Object> caseRes = new LinkedHashMap<>();
                caseRes.put("surrogate", sur.toMap());
                for (Method m : new Method[] {Method.MLP, Method.SCASML}) {
                    for (String sweep : new String[] {"levels", "bases"}) {
                        List<int[]> cfg = new ArrayList<>();
                        if (sweep.equals("levels")) {
                            for (int n = 1; n <= maxLevel; n++) {
                                cfg.add(new int[] {n, levelBase});
                            }
                        } else {
                            for (int b : bases) {
                                cfg.add(new int[] {2, b});
                            }
                        }
                        double[] ev = new double[cfg.size()];
                        double[] sec = new double[cfg.size()];
                        double[] err = new double[cfg.size()];
                        List<Object> rows = new ArrayList<>();
                        for (int i = 0; i < cfg.size(); i++) {
                            RunOptions o = RunOptions.builder().method(m).levels(cfg.get(i)[0]).base(cfg.get(i)[1])
                                .seed(seed).build();
                            Metrics mt = run(pde, s, o, pts);
                            ev[i] = mt.evalsPerPoint();
                            sec[i] = mt.seconds();
                            err[i] = mt.relL2();
                            Map<String, Object> row = new LinkedHashMap<>(mt.toMap());
                            row.put("n", cfg.get(i)[0]);
                            row.put("M", cfg.get(i)[1]);
                            rows.add(row);
                            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.0f | %.2f | %.3g |%n",
                                c, sweep, m.label(), cfg.get(i)[0], cfg.get(i)[1], ev[i], sec[i], err[i]));
                            System.err.printf(Locale.ROOT, "%s %s %s n=%d M=%d: rel L2 %.3g, %.0f evals/pt, %.2f s%n",
                                c, sweep, m.label(), cfg.get(i)[0], cfg.get(i)[1], err[i], ev[i], sec[i]);
                        }
                        caseRes.put(m.label() + "_" + sweep, rows);
                        byEvals.put(m.label() + " " + sweep, new double[][] {ev, err});
                        bySeconds.put(m.label() + " " + sweep, new double[][] {sec, err});
                    }
                }
                Path p1 = dir.dir().resolve("scaling-" + c + "-evals.png");
                Map<String, Charts.Fit> fits = Charts.logLog(c + ": relative L2 error vs evaluations per point",
                    "evaluations per point", "relative L2 error", byEvals, p1);
                Path p2 = dir.dir().resolve("scaling-" + c + "-seconds.png");
                Charts.logLog(c + ": relative L2 error vs wall seconds (" + points + " points)", "seconds",
                    "relative L2 error", bySeconds, p2);
                plots.add(p1.getFileName().toString());
                plots.add(p2.getFileName().toString());
                Map<String, Object> slopes = new LinkedHashMap<>();
                fits.forEach((k, f) -> {
                    slopes.put(k, f.slope());
                    notes.add(String.format(Locale.ROOT, "%s %s: fitted slope of error vs evaluations %.2f", c, k,
                        f.slope()));
                });
                caseRes.put("slopes", slopes);
                notes.add(String.format(Locale.ROOT, "%s: surrogate alone rel L2 %.3g", c, sur.relL2()));
                results.put(c, caseRes);
            }
            results.put("product_of_errors", productOfErrors(notes, table));
            results.put("dimension_sweep", dimensionSweep(notes, plots, dir.dir()));
            Map<String, Object> summary = new LinkedHashMap<>();
            String cmd = "scasml bench scaling --points " + points + " --max-level " + maxLevel + " --level-base "
                + levelBase + " --seed " + seed;
            summary.put("command", cmd);
            summary.put("machine", Machine.describe());
            summary.put("results", results);
            summary.put("findings", notes);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.dir().resolve("results.json").toFile(), summary);
            Report.write(dir.dir(), "SCaSML inference-time scaling", cmd, table.toString(), notes, plots);
            dir.commit();
            notes.forEach(System.out::println);
            System.out.println("report: " + dir.target().resolve("report.md"));
        }
        return 0;
    }

    /**
     * VB d=20 with û = u + a·cos(t + Σx/√d) for a = 0.02 and 0.08: SCaSML's error should scale with the
     * surrogate's (error ≈ surrogate error × the simulation's relative error).
     */
    private Map<String, Object> productOfErrors(List<String> notes, StringBuilder table) {
        int d = 20;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, points, seed);
        RunOptions base = RunOptions.builder().levels(2).base(10).seed(seed).build();
        Metrics mlp = run(pde, null, base.toBuilder().method(Method.MLP).build(), pts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mlp_rel_l2", mlp.relL2());
        for (double a : new double[] {0.02, 0.08}) {
            Surrogate s = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), a, 1.0);
            Metrics sur = run(pde, s, base.toBuilder().method(Method.SURROGATE).build(), pts);
            Metrics sc = run(pde, s, base, pts);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("surrogate_rel_l2", sur.relL2());
            r.put("scasml_rel_l2", sc.relL2());
            r.put("product_surrogate_x_mlp", sur.relL2() * mlp.relL2());
            out.put("amplitude_" + a, r);
            notes.add(String.format(Locale.ROOT,
                "product of errors, VB d=20, perturbation %.2f: surrogate %.3g × MLP %.3g = %.3g; SCaSML %.3g", a,
                sur.relL2(), mlp.relL2(), sur.relL2() * mlp.relL2(), sc.relL2()));
        }
        return out;
    }

    /** VB d sweep with û = u + 0.05·cos(t + Σx/√d): time per point and error against d. */
    private Map<String, Object> dimensionSweep(List<String> notes, List<String> plots, Path dir) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        double[] ds = dims.stream().mapToDouble(Integer::doubleValue).toArray();
        Map<String, double[][]> time = new LinkedHashMap<>();
        Map<String, double[][]> err = new LinkedHashMap<>();
        int np = Math.min(points, 100);
        for (Method m : new Method[] {Method.MLP, Method.SCASML}) {
            double[] tp = new double[ds.length];
            double[] er = new double[ds.length];
            for (int i = 0; i < ds.length; i++) {
                int d = dims.get(i);
                Pde pde = BuiltinPdes.vb(d);
                List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, np, seed);
                Surrogate s = AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 0.05, 1.0);
                Metrics mt = run(pde, s, RunOptions.builder().method(m).levels(2).base(10).seed(seed).build(), pts);
                tp[i] = 1e3 * mt.seconds() / np;
                er[i] = mt.relL2();
                notes.add(String.format(Locale.ROOT, "VB d=%d %s: %.3f ms per point, rel L2 %.3g", d, m.label(),
                    tp[i], er[i]));
            }
            time.put(m.label(), new double[][] {ds, tp});
            err.put(m.label(), new double[][] {ds, er});
            out.put(m.label(), Map.of("dims", ds, "ms_per_point", tp, "rel_l2", er));
        }
        Path p1 = dir.resolve("dims-time.png");
        Charts.lines("VB: time per point vs dimension (n=2, M=10)", "d", "ms per point", false, time, p1);
        Path p2 = dir.resolve("dims-error.png");
        Charts.lines("VB: relative L2 error vs dimension (n=2, M=10)", "d", "relative L2 error", true, err, p2);
        plots.add(p1.getFileName().toString());
        plots.add(p2.getFileName().toString());
        return out;
    }
}
