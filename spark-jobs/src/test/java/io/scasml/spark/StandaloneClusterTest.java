package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster — Master and two one-core Workers, each its own JVM started with {@code java -cp} — runs
 * a small SCaSML job from a CSV file to Parquet while executor JVMs die mid-job (the first attempt of every second
 * simulation task halts its JVM); the Master starts new executors, lost shuffle output is recomputed, and the
 * results are bit-identical to LocalRunner.
 */
class StandaloneClusterTest {
    static final int N = 12;

    @TempDir
    static Path tmp;
    static final List<Process> DAEMONS = new ArrayList<>();
    static int port;

    static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> jvmOptions() {
        return TestSupport.jvmOptions();
    }

    static Process daemon(String name, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(jvmOptions());
        cmd.add("-Xmx384m");
        cmd.add("-cp");
        cmd.add(MultiJvmTest.absoluteTestClasspath());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_DIST_CLASSPATH", MultiJvmTest.absoluteTestClasspath());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        DAEMONS.add(p);
        return p;
    }

    static boolean open(int p) {
        try (Socket s = new Socket("127.0.0.1", p)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        MultiJvmTest.sparkHome();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
            String.valueOf(port), "--webui-port", "0"));
        for (int i = 0; i < 600 && !open(port); i++) {
            Thread.sleep(100);
        }
        assertTrue(open(port), "master did not start: " + Files.readString(tmp.resolve("master.log")));
        for (int w = 1; w <= 2; w++) {
            Path work = Files.createDirectories(tmp.resolve("work" + w));
            daemon("worker" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                "1", "--memory", "1g", "--webui-port", "0", "--work-dir", work.toString(),
                "spark://127.0.0.1:" + port));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process p : DAEMONS) {
            p.destroy();
        }
        for (Process p : DAEMONS) {
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void scasmlFromCsvToParquetSurvivesKilledExecutors() throws Exception {
        Pde pde = BuiltinPdes.byName("vb", 3);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), 3, N, 11);
        List<String> lines = new ArrayList<>(List.of("id,t,x0,x1,x2"));
        for (QueryPoint p : pts) {
            lines.add(p.id() + "," + p.t() + "," + p.x()[0] + "," + p.x()[1] + "," + p.x()[2]);
        }
        Path in = Files.write(tmp.resolve("points.csv"), lines);
        Path out = tmp.resolve("out");
        List<String> a = TestSupport.vbArgs(in.toString(), out, "spark://127.0.0.1:" + port);
        a.addAll(List.of("--method", "scasml", "--surrogate", "class:" + PerturbedVbSurrogate.class.getName(),
            "--partitions", "6", "--inject-failures", "2:halt", "--conf", "spark.executor.memory=512m",
            "--conf", "spark.task.maxFailures=8"));
        TestSupport.cli(a.toArray(new String[0])).ok();
        assertTrue(countHalts() >= 1, "no executor was killed");

        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(3).seed(7).pointsPerUnit(4)
            .unitCost(20).build();
        // guarded SCaSML (the default): the adaptive driver's rounds, one stage each, on executors that get killed
        List<PointEstimate> local = LocalRunner.solve(pde, new PerturbedVbSurrogate(3), o, pts, 1).stream()
            .map(io.scasml.kernels.picard.AdaptiveEstimate::estimate).toList();
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("points.parquet").toString()).orderBy("id")
                .collectAsList();
            assertEquals(N, rows.size());
            for (int i = 0; i < N; i++) {
                Row r = rows.get(i);
                PointEstimate e = local.get(i);
                assertEquals(e.id(), r.getLong(r.fieldIndex("id")));
                for (Map.Entry<String, Double> c : Map.of("u", e.u(), "std_error", e.stdError(), "correction",
                    e.correction(), "u_surrogate", e.uSurrogate()).entrySet()) {
                    assertEquals(Double.doubleToLongBits(c.getValue()),
                        Double.doubleToLongBits(r.getDouble(r.fieldIndex(c.getKey()))), "id " + e.id() + " " + c);
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static long countHalts() throws Exception {
        long n = 0;
        try (var s = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().equals("stderr")) {
                    n += Files.readAllLines(p).stream().filter(l -> l.contains("injected failure: halting")).count();
                }
            }
        }
        return n;
    }

    /** Exact VB plus a smooth perturbation 0.05·sin(Σx), so that the correction has work to do. */
    public static final class PerturbedVbSurrogate implements io.scasml.kernels.surrogate.Surrogate {
        private final VbExactSurrogate exact;
        private final int d;

        public PerturbedVbSurrogate(int d) {
            this.d = d;
            this.exact = new VbExactSurrogate(d);
        }

        @Override
        public int dim() {
            return d;
        }

        private double sx(int i, double[] x) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k];
            }
            return s;
        }

        @Override
        public void value(int n, double[] t, double[] x, double[] u) {
            exact.value(n, t, x, u);
            for (int i = 0; i < n; i++) {
                u[i] += 0.05 * Math.sin(sx(i, x));
            }
        }

        @Override
        public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
            exact.valueAndGradient(n, t, x, u, grad);
            for (int i = 0; i < n; i++) {
                double s = sx(i, x);
                u[i] += 0.05 * Math.sin(s);
                for (int k = 0; k < d; k++) {
                    grad[i * d + k] += 0.05 * Math.cos(s);
                }
            }
        }

        @Override
        public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                  double[] lap) {
            exact.residualTerms(n, t, x, u, dt, grad, lap);
            for (int i = 0; i < n; i++) {
                double s = sx(i, x);
                u[i] += 0.05 * Math.sin(s);
                for (int k = 0; k < d; k++) {
                    grad[i * d + k] += 0.05 * Math.cos(s);
                }
                lap[i] -= d * 0.05 * Math.sin(s);
            }
        }
    }
}
