package io.scasml.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.reports.CaseOptions;
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
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scasml bench spark}: throughput of the Spark job for several masters against the engine called directly
 * (LocalRunner, same points, same options, same work units) — paths/s, points/s, strong scaling and the overhead of
 * Spark. The case (PDE, surrogate, test points) comes from reports' {@link CaseOptions}, as in {@code bench paper};
 * each Spark run is a full {@code scasml solve} in this JVM (startup excluded from the solve time, reported
 * separately). LocalRunner runs with 1 thread and with {@code --threads} (default: all cores), on the case's cached
 * exact values; solve evaluates the exact solution itself (negligible for vb).
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Spark job throughput and overhead against the engine called directly.")
public final class BenchSparkCommand implements Callable<Integer> {

    /** --surrogates, --precision, --threads (LocalRunner), and the case loading. */
    @Mixin
    CaseOptions caseOptions;

    @Option(names = "--case", defaultValue = "vb20", description = "Case <pde><dim>; its surrogate <surrogates>/<case>"
        + " is needed for --method scasml only (default: ${DEFAULT-VALUE}).")
    String caseName;

    @Option(names = "--method", defaultValue = "mlp",
        description = "mlp or scasml (with the case's surrogate) (default: ${DEFAULT-VALUE}).")
    String methodName;

    @picocli.CommandLine.Mixin
    io.scasml.reports.ProtocolOptions protocol;

    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]",
        description = "Spark masters to time (default: ${DEFAULT-VALUE}).")
    List<String> masters;

    @Option(names = "--repeat", defaultValue = "2",
        description = "Runs per configuration; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--work", defaultValue = "runs/bench-spark", description = "Scratch directory; each timed run is a"
        + " solve output (marked, replaced run after run) inside it (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Method method = switch (methodName) {
            case "mlp" -> Method.MLP;
            case "scasml" -> Method.SCASML;
            default -> throw new io.scasml.spark.job.UserError("bench spark: --method: '" + methodName
                + "' is not one of mlp, scasml");
        };
        Files.createDirectories(work);
        // plain MLP needs no surrogate: then any <pde><dim> is a case (e.g. vb100)
        CaseOptions.BenchCase bc = caseOptions.load(caseName, protocol.points, protocol.seed, method == Method.SCASML);
        RunOptions o = RunOptions.builder().method(method).levels(protocol.levels).base(protocol.base).seed(protocol.seed).build();
        PicardEstimator est = PicardEstimator.create(bc.pde(), bc.surrogate(), o);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("command", "scasml bench spark --case " + caseName + " --method " + method.label() + " --points "
            + protocol.points + " --levels " + protocol.levels + " --base " + protocol.base + " --seed " + protocol.seed + " --precision "
            + caseOptions.precision() + " --threads " + caseOptions.threads() + " --masters "
            + String.join(",", masters));
        res.put("machine", io.scasml.reports.Machine.describe());
        long paths = 0;
        Map<String, Object> local = new LinkedHashMap<>();
        Map<Integer, Double> localByThreads = new LinkedHashMap<>();
        double local1 = Double.NaN;
        for (int th : new TreeSet<>(List.of(1, caseOptions.threads()))) {
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeat; r++) {
                long a = System.nanoTime();
                List<PointEstimate> es = LocalRunner.run(est, bc.points(), th);
                best = Math.min(best, (System.nanoTime() - a) / 1e9);
                paths = es.stream().mapToLong(e -> e.counts()[6]).sum();
            }
            if (th == 1) {
                local1 = best;
            }
            localByThreads.put(th, best);
            local.put("threads=" + th, row(best, paths));
        }
        res.put("local_runner", local);
        String pdeName = caseName.replaceAll("\\d+$", "");
        Map<String, Object> spark = new LinkedHashMap<>();
        for (String m : masters) {
            double best = Double.POSITIVE_INFINITY;
            double startup = Double.NaN;
            for (int r = 0; r < repeat; r++) {
                Path out = work.resolve("run-" + m.replaceAll("[^A-Za-z0-9]", "_") + "-" + r);
                List<String> args = new ArrayList<>(List.of("solve", "--pde", pdeName,
                    "--dim", String.valueOf(bc.pde().dim()),
                    "--points", "sample:" + protocol.points, "--levels", String.valueOf(protocol.levels), "--base", String.valueOf(protocol.base),
                    "--seed", String.valueOf(protocol.seed), "--out", out.toString(), "--overwrite", "--master", m,
                    "--no-progress", "--method", method.label(),
                    // the Spark job, not solve's in-process runner (--runner auto would pick it for a local master)
                    "--runner", "spark"));
                if (method == Method.SCASML) {
                    // the estimator LocalRunner times above: SCaSML alone (solve's default guard would add the pilots
                    // and the plain-MLP companion, which LocalRunner.run does not run)
                    args.addAll(List.of("--surrogate", caseOptions.surrogateDir(caseName), "--precision",
                        caseOptions.precision(), "--no-guard"));
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
            Double same = localByThreads.get(localThreads(m));
            if (same != null) {
                // the issue-16 figure: Spark's time over LocalRunner with as many threads as the master has slots
                row.put("overhead_vs_local_runner", best / same - 1);
            }
            spark.put(m, row);
        }
        res.put("spark", spark);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
            "| runner | seconds | points/s | paths/s | over LocalRunner, same threads |%n|---|---|---|---|---|%n"));
        for (Map.Entry<String, Object> e : local.entrySet()) {
            appendRow(out, "LocalRunner " + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : spark.entrySet()) {
            appendRow(out, "Spark " + e.getKey(), e.getValue());
        }
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
        } else {
            stdout.print(out);
        }
        stdout.flush();
        return 0;
    }

    private Map<String, Object> row(double seconds, long paths) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("points_per_s", protocol.points / seconds);
        m.put("paths_per_s", paths / seconds);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void appendRow(StringBuilder sb, String name, Object v) {
        Map<String, Object> m = (Map<String, Object>) v;
        Object over = m.get("overhead_vs_local_runner");
        sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.3g | %s |%n", name, (Double) m.get("seconds"),
            (Double) m.get("points_per_s"), (Double) m.get("paths_per_s"),
            over == null ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * (Double) over)));
    }

    /** The task slots of a local master (local, local[K], local[*], local[K,F]); -1 for any other master. */
    static int localThreads(String master) {
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?\\])?")
            .matcher(master.trim());
        if (!mt.matches()) {
            return -1;
        }
        if (mt.group(1) == null) {
            return 1;
        }
        return mt.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(mt.group(1));
    }
}
