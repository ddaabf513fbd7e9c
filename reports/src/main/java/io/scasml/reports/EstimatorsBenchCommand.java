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
import io.scasml.kernels.surrogate.Surrogate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scasml bench estimators}: the estimator variants of docs/algorithm.md §7–§9 — plain (engine defaults off),
 * split-half + leave-one-out (the default), split-half + antithetic — on the same points and seeds, for plain MLP and
 * SCaSML, with the split-half noise diagnostic and the surrogate residual along the paths.
 */
@Command(name = "estimators", mixinStandardHelpOptions = true,
    description = "Compare estimator variants (plain, split-half + leave-one-out, split-half + antithetic).")
public final class EstimatorsBenchCommand implements Callable<Integer> {

    /** --out (default runs/bench-estimators) and --overwrite. */
    @picocli.CommandLine.Mixin
    OutputOptions output;


    @picocli.CommandLine.Mixin
    CaseOptions caseOptions;

    @Option(names = "--cases", split = ",", defaultValue = "vb20,lcd10,dr100", description = "Cases (default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--points", defaultValue = "600", description = "Test points (default: ${DEFAULT-VALUE}).")
    int points;



    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new EstimatorsBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int th = caseOptions.threads();
        String[] variants = {"plain", "split-half+loo", "split-half+antithetic", "split-half+loo+antithetic"};
        try (RunDir dir = output.open(caseOptions.inputs())) {
            StringBuilder table = new StringBuilder("| case | method | variant | rel L2 per seed | mean rel L2 |"
                + " median noise ratio | path residual rms |\n|---|---|---|---|---|---|---|\n");
            Map<String, Object> results = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            for (String c : cases) {
                CaseOptions.BenchCase bc = caseOptions.load(c, points, 1);
                Pde pde = bc.pde();
                Surrogate s = bc.surrogate();
                List<QueryPoint> pts = bc.points();
                Map<String, Object> caseRes = new LinkedHashMap<>();
                for (Method m : new Method[] {Method.MLP, Method.SCASML}) {
                    for (String v : variants) {
                        double[] errs = new double[seeds.size()];
                        List<Double> ratios = new ArrayList<>();
                        double resid = 0;
                        long residN = 0;
                        for (int i = 0; i < seeds.size(); i++) {
                            RunOptions o = RunOptions.builder().method(m).levels(2).base(10).seed(seeds.get(i))
                                .splitHalf(!v.equals("plain")).leaveOneOut(v.contains("loo"))
                                .antithetic(v.contains("antithetic")).build();
                            List<PointEstimate> es = LocalRunner.run(PicardEstimator.create(pde, s, o), pts, th);
                            errs[i] = Metrics.of(es, 0).relL2();
                            for (PointEstimate e : es) {
                                if (Double.isFinite(e.noiseRatio())) {
                                    ratios.add(e.noiseRatio());
                                }
                                if (Double.isFinite(e.residualRms())) {
                                    resid += e.residualRms() * e.residualRms();
                                    residN++;
                                }
                            }
                        }
                        ratios.sort(null);
                        double med = ratios.isEmpty() ? Double.NaN : ratios.get(ratios.size() / 2);
                        double mean = java.util.Arrays.stream(errs).average().orElse(Double.NaN);
                        StringBuilder per = new StringBuilder();
                        for (double e : errs) {
                            per.append(per.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3g", e));
                        }
                        table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3g | %.3g | %s |%n", c,
                            m.label(), v, per, mean, med,
                            residN > 0 ? String.format(Locale.ROOT, "%.3g", Math.sqrt(resid / residN)) : "—"));
                        caseRes.put(m.label() + "/" + v, Map.of("rel_l2", errs, "mean_rel_l2", mean,
                            "median_noise_ratio", med));
                        System.err.printf(Locale.ROOT, "%s %s %s: mean rel L2 %.3g%n", c, m.label(), v, mean);
                    }
                }
                results.put(c, caseRes);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            String cmd = "scasml bench estimators --points " + points + " --cases " + String.join(",", cases)
                + " --seeds " + seeds.toString().replaceAll("[\\[\\] ]", "");
            summary.put("command", cmd);
            summary.put("machine", Machine.describe());
            summary.put("results", results);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.dir().resolve("results.json").toFile(), summary);
            Report.write(dir.dir(), "Estimator variants (docs/algorithm.md §7–§9)", cmd, table.toString(), notes, List.of());
            dir.commit();
            System.out.println(table);
        }
        return 0;
    }
}
