package io.scasml.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.pde.PdeCatalog;
import io.scasml.spark.cli.Main;
import io.scasml.surrogate.SurrogateLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * {@code scasml bench spark}: throughput of the Spark job for several masters against the engine called directly
 * (LocalRunner, same points, same options, same work units) — paths/s, points/s, strong scaling and the overhead of
 * Spark. Each Spark run is a full {@code scasml solve} in this JVM (startup excluded from the solve time, reported
 * separately).
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Spark job throughput and overhead against the engine called directly.")
public final class BenchSparkCommand implements Callable<Integer> {

    @Option(names = "--pde", defaultValue = "vb", description = "PDE (default: ${DEFAULT-VALUE}).")
    String pde;

    @Option(names = "--dim", defaultValue = "20", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--points", defaultValue = "1200", description = "Sampled points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--levels", defaultValue = "2", description = "n (default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--base", defaultValue = "10", description = "M (default: ${DEFAULT-VALUE}).")
    int base;

    @Option(names = "--surrogate", description = "Surrogate directory (SCaSML); without it, plain MLP.")
    String surrogate;

    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]",
        description = "Spark masters to time (default: ${DEFAULT-VALUE}).")
    List<String> masters;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
        description = "LocalRunner thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--repeat", defaultValue = "2", description = "Runs per configuration; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--work", defaultValue = "runs/bench-spark", description = "Scratch directory; each timed run is a"
        + " solve output (marked, replaced run after run) inside it (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        Pde p = PdeCatalog.resolve(pde, dim);
        Surrogate s = surrogate == null ? null : SurrogateLoader.loadSurrogate(surrogate);
        Method method = surrogate == null ? Method.MLP : Method.SCASML;
        RunOptions o = RunOptions.builder().method(method).levels(levels).base(base).seed(1).build();
        PicardEstimator est = PicardEstimator.create(p, s, o);
        List<QueryPoint> pts = PointSampler.sample(p.domain(), dim, points, 1);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("command", "scasml bench spark --pde " + pde + " --dim " + dim + " --points " + points + " --levels "
            + levels + " --base " + base + (surrogate == null ? "" : " --surrogate " + surrogate) + " --masters "
            + String.join(",", masters));
        res.put("machine", io.scasml.reports.Machine.describe());
        long paths = 0;
        Map<String, Object> local = new LinkedHashMap<>();
        double local1 = Double.NaN;
        for (int th : threads) {
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeat; r++) {
                long a = System.nanoTime();
                List<PointEstimate> es = LocalRunner.run(est, pts, th);
                best = Math.min(best, (System.nanoTime() - a) / 1e9);
                paths = es.stream().mapToLong(e -> e.counts()[6]).sum();
            }
            if (th == 1) {
                local1 = best;
            }
            local.put("threads=" + th, row(best, paths));
        }
        res.put("local_runner", local);
        Map<String, Object> spark = new LinkedHashMap<>();
        for (String m : masters) {
            double best = Double.POSITIVE_INFINITY;
            double startup = Double.NaN;
            for (int r = 0; r < repeat; r++) {
                Path out = work.resolve("run-" + m.replaceAll("[^A-Za-z0-9]", "_") + "-" + r);
                List<String> args = new ArrayList<>(List.of("solve", "--pde", pde, "--dim", String.valueOf(dim),
                    "--points", "sample:" + points, "--levels", String.valueOf(levels), "--base", String.valueOf(base),
                    "--seed", "1", "--out", out.toString(), "--overwrite", "--master", m, "--no-progress",
                    "--method", method.label()));
                if (surrogate != null) {
                    args.addAll(List.of("--surrogate", surrogate));
                }
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int rc = Main.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(new String[0]));
                if (rc != 0) {
                    // solve's own one line (already redacted), without its "scasml: " prefix
                    String line = io.scasml.io.Messages.oneLine(err.toString(StandardCharsets.UTF_8)
                        .replaceFirst("^scasml: ", ""));
                    if (rc == Main.EXIT_USAGE) {
                        throw new io.scasml.spark.job.UserError("bench spark: solve on " + m + ": " + line);
                    }
                    throw new IllegalStateException("solve on " + m + " failed (exit " + rc + "): " + line);
                }
                JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
                JsonNode t = sum.get("timings");
                double solve = t.get("read_validate_s").asDouble() + t.get("solve_write_s").asDouble();
                best = Math.min(best, solve);
                startup = t.get("spark_start_s").asDouble();
            }
            Map<String, Object> row = row(best, paths);
            row.put("spark_start_s", startup);
            if (Double.isFinite(local1)) {
                row.put("local_runner_1_thread_s", local1);
            }
            spark.put(m, row);
        }
        res.put("spark", spark);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| runner | seconds | points/s | paths/s |%n|---|---|---|---|%n"));
        for (Map.Entry<String, Object> e : local.entrySet()) {
            appendRow(out, "LocalRunner " + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : spark.entrySet()) {
            appendRow(out, "Spark " + e.getKey(), e.getValue());
        }
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
        } else {
            System.out.print(out);
        }
        return 0;
    }

    private Map<String, Object> row(double seconds, long paths) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("points_per_s", points / seconds);
        m.put("paths_per_s", paths / seconds);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void appendRow(StringBuilder sb, String name, Object v) {
        Map<String, Object> m = (Map<String, Object>) v;
        sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.3g |%n", name, (Double) m.get("seconds"),
            (Double) m.get("points_per_s"), (Double) m.get("paths_per_s")));
    }
}
