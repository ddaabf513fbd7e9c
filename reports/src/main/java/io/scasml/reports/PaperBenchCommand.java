package io.scasml.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.Scheme;
import io.scasml.kernels.surrogate.Surrogate;
import java.nio.file.Files;
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
 * {@code scasml bench paper}: the reference protocol (docs/algorithm.md §18 — 1000 interior + 200 boundary
 * points, n = 2, M = 10, full history and quadrature) on VB d=20, LCD d=10, DR d=100 and LQG d=100 with the example
 * surrogates: the surrogate alone, plain MLP and SCaSML (no clipping), beside the reference's published figures.
 */
@Command(name = "paper", mixinStandardHelpOptions = true,
    description = "Reproduce the reference protocol (SimpleUniform) and compare with the published figures.")
public final class PaperBenchCommand implements Callable<Integer> {

    /** --out (default runs/bench-paper) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;


    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--cases", split = ",", description = "Cases (default: ${DEFAULT-VALUE}).",
        defaultValue = "vb20,lcd10,dr100,lqg100")
    List<String> cases;

    @Option(names = "--schemes", split = ",", description = "Schemes (default: ${DEFAULT-VALUE}).",
        defaultValue = "full-history,quadrature")
    List<String> schemes;

    @picocli.CommandLine.Mixin
    ProtocolOptions protocol;

    @Option(names = "--warmup", negatable = true, defaultValue = "true",
        description = "Run every method once on 48 points before timing (JIT warm-up, as JMH does; default: on).")
    boolean warmup;



    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new PaperBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int th = caseOptions.threads();
        try (RunDir dir = output.open(caseOptions.inputs())) {
            Map<String, Object> results = new LinkedHashMap<>();
            StringBuilder table = new StringBuilder();
            table.append("| case | scheme | method | rel L2 | L∞ | L1 | time (s) | evals/pt | CI95 coverage |"
                + " reference rel L2 / L∞ / L1 / time |\n|---|---|---|---|---|---|---|---|---|---|\n");
            List<String> goals = new ArrayList<>();
            List<String> plots = new ArrayList<>();
            for (String c : cases) {
                long t0 = System.nanoTime();
                CaseOptions.BenchCase bc = caseOptions.load(c, protocol.points, protocol.seed);
                Pde pde = bc.pde();
                Surrogate s = bc.surrogate();
                List<QueryPoint> pts = bc.points();
                System.err.printf(Locale.ROOT, "%s: loaded, with reference values, in %.1f s%n", c, (System.nanoTime() - t0) / 1e9);
                Map<String, Object> caseRes = new LinkedHashMap<>();
                Map<String, List<PointEstimate>> forPlots = new LinkedHashMap<>();
                Metrics surMetrics = null;
                for (String sch : schemes) {
                    Scheme scheme = Scheme.parse(sch);
                    ReferenceFigures.Case ref = ReferenceFigures.FIGURES.get(c + "/" + scheme.label());
                    Map<String, Object> schRes = new LinkedHashMap<>();
                    for (Method m : new Method[] {Method.SURROGATE, Method.MLP, Method.SCASML}) {
                        if (m == Method.SURROGATE && surMetrics != null) {
                            continue;
                        }
                        RunOptions o = RunOptions.builder().method(m).scheme(scheme).levels(protocol.levels).base(protocol.base)
                            .seed(protocol.seed).build();
                        PicardEstimator est = PicardEstimator.create(pde, s, o);
                        if (warmup) {
                            LocalRunner.run(est, pts.subList(0, Math.min(48, pts.size())), th);
                        }
                        long a = System.nanoTime();
                        List<PointEstimate> es = LocalRunner.run(est, pts, th);
                        double sec = (System.nanoTime() - a) / 1e9;
                        Metrics mt = Metrics.of(es, sec);
                        if (m == Method.SURROGATE) {
                            surMetrics = mt;
                        }
                        schRes.put(m.label(), mt.toMap());
                        String label = m == Method.SURROGATE ? "surrogate" : m.label() + " (" + scheme.label() + ")";
                        forPlots.put(label, es);
                        ReferenceFigures.Row rr = ref == null ? null
                            : m == Method.SURROGATE ? ref.surrogate() : m == Method.MLP ? ref.mlp() : ref.scasml();
                        table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3g | %.3g | %.3g | %.2f | %.0f | %s | %s |%n",
                            c, m == Method.SURROGATE ? "—" : scheme.label(), m.label(), mt.relL2(), mt.linf(), mt.l1(),
                            mt.seconds(), mt.evalsPerPoint(),
                            Double.isNaN(mt.coverage()) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * mt.coverage()),
                            rr == null ? "—" : String.format(Locale.ROOT, "%.3g / %.3g / %.3g / %.1f", rr.relL2(),
                                rr.linf(), rr.l1(), rr.seconds())));
                        System.err.printf(Locale.ROOT, "%s %s %s: rel L2 %.3g, %.2f s%n", c, scheme.label(), m.label(),
                            mt.relL2(), sec);
                        if (ref != null && m == Method.SCASML) {
                            double ratio = mt.relL2() / surMetrics.relL2();
                            goals.add(String.format(Locale.ROOT,
                                "%s %s: SCaSML/surrogate rel L2 = %.3f (reference %.3f) — %s", c, scheme.label(), ratio,
                                ref.ratio(), ratio <= ref.ratio() ? "met" : "NOT met"));
                            if (Double.isNaN(mt.coverage())) {
                                goals.add(String.format(Locale.ROOT, "%s %s: no error bars (a top-level term has a single"
                                    + " path: the quadrature tables at rho = %d)", c, scheme.label(), protocol.levels));
                            } else {
                                goals.add(String.format(Locale.ROOT, "%s %s: CI95 coverage %.1f%% — %s", c,
                                    scheme.label(), 100 * mt.coverage(),
                                    mt.coverage() >= 0.90 && mt.coverage() <= 0.99 ? "met" : "NOT met"));
                            }
                            if (c.equals("vb20") && scheme == Scheme.FULL_HISTORY) {
                                goals.add(String.format(Locale.ROOT,
                                    "vb20 full-history: SCaSML wall time %.2f s (goal ≤ 1.6 s; NumPy 3.7–4.1 s, reference 27.3 s GPU) — %s",
                                    sec, sec <= 1.6 ? "met" : "NOT met"));
                            }
                        }
                        if (ref != null && m == Method.MLP) {
                            goals.add(String.format(Locale.ROOT, "%s %s: MLP rel L2 %.3g vs reference MLP %.3g — %s", c,
                                scheme.label(), mt.relL2(), ref.mlp().relL2(),
                                mt.relL2() < ref.mlp().relL2() ? "met" : "NOT met"));
                        }
                    }
                    caseRes.put(scheme.label(), schRes);
                }
                results.put(c, caseRes);
                Path box = dir.dir().resolve("errors-" + c + ".png");
                Charts.errorBoxes(c + ": |error| per method (" + protocol.points + " points)", forPlots, box);
                plots.add(box.getFileName().toString());
                for (Map.Entry<String, List<PointEstimate>> e : forPlots.entrySet()) {
                    String slug = e.getKey().replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
                    Path map = dir.dir().resolve("map-" + c + "-" + slug + ".png");
                    Charts.errorMap(c + ", " + e.getKey() + ": mean |error| over (x1, x2)", e.getValue(), 6, map);
                    plots.add(map.getFileName().toString());
                }
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("command", "scasml bench paper --points " + protocol.points + " --levels " + protocol.levels + " --base " + protocol.base
                + " --seed " + protocol.seed + " --cases " + String.join(",", cases) + " --schemes " + String.join(",", schemes)
                + " --precision " + caseOptions.precision + " --threads " + th + (warmup ? "" : " --no-warmup"));
            summary.put("machine", Machine.describe());
            summary.put("threads", th);
            summary.put("results", results);
            summary.put("goals", goals);
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            om.writeValue(dir.dir().resolve("results.json").toFile(), summary);
            Files.writeString(dir.dir().resolve("table.md"), table.toString());
            Report.write(dir.dir(), "SCaSML paper reproduction (SimpleUniform)", (String) summary.get("command"),
                table.toString(), goals, plots);
            dir.commit();
            System.out.println(table);
            goals.forEach(System.out::println);
            System.out.println("report: " + dir.target().resolve("report.md"));
        }
        return 0;
    }
}
