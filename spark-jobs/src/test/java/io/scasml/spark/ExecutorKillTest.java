package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.picard.LocalRunner;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.surrogate.Surrogate;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults and hygiene on a real standalone cluster ({@link LoopbackCluster}: Master and two one-core Workers, each its
 * own JVM, with an in-process driver):
 *
 * <ul>
 *   <li>an executor JVM is killed from outside with SIGKILL, by its PID, in the middle of a {@code solve} job; the
 *       job completes (the Worker starts a new executor, the lost shuffle output is recomputed) and every estimate
 *       is bit-identical to LocalRunner's;</li>
 *   <li>ten consecutive jobs leave no executor JVM, listening socket or temporary directory behind.</li>
 * </ul>
 *
 * <p>The kill is synchronised, not timed: simulation tasks from partition {@link #FREE} on wait at a gate (a file)
 * inside the surrogate, so when the test kills, it knows from a listener that a simulation task has finished on the
 * victim (its shuffle output will be lost) and from a marker file that another task is held at the gate (the job
 * cannot have finished). Only after the victim is gone is the gate opened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExecutorKillTest {
    /** Plan partitions of the simulation stage (a number no other stage of these jobs has). */
    static final int SIM_PARTITIONS = 23;
    /** Simulation tasks with a lower partition index run freely; the others wait for the gate. */
    static final int FREE = 6;
    static final String GATE_ENV = "SCASML_TEST_GATE";
    static final int N_KILL = 24;
    static final int JOBS = 10;

    @TempDir
    static Path tmp;
    static LoopbackCluster cluster;
    static String savedTmpdir;
    static Path driverTmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LoopbackCluster.start(tmp.resolve("cluster"), 2);
        // Spark reads java.io.tmpdir whenever it needs a default temporary root: point it at a test-owned directory
        // for this class so that anything the driver puts there is seen (spark.local.dir is set too).
        driverTmp = Files.createDirectories(tmp.resolve("driver-tmp"));
        savedTmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", driverTmp.toString());
        // Spark caches the driver's local root (spark-UUID under spark.local.dir) once per JVM: forget one made by an
        // earlier test class, so that this class's drivers really use the test-owned spark.local.dir.
        org.apache.spark.util.Utils$.MODULE$.clearLocalRootDirs();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (savedTmpdir != null) {
            System.setProperty("java.io.tmpdir", savedTmpdir);
        }
        // and let later test classes' drivers choose their own again (ours goes with the temporary directory)
        org.apache.spark.util.Utils$.MODULE$.clearLocalRootDirs();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Spark settings of every job here: one-core executors, all scratch space in test-owned directories. */
    static List<String> clusterConf(int cores) {
        return new ArrayList<>(List.of("--conf", "spark.cores.max=" + cores, "--conf", "spark.executor.memory=512m",
            "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.local.dir=" + cluster.driverLocalDir,
            "--conf", "spark.executor.extraJavaOptions=-Djava.io.tmpdir=" + cluster.executorTmpDir + " "
                + LoopbackCluster.LIGHT_JVM,
            "--conf", "spark.extraListeners=" + Watch.class.getName()));
    }

    // ------------------------------------------------------------------------------------------- the kill

    @Test
    @Order(1)
    void executorKilledBySigkillMidJobStillGivesLocalRunnerBits() throws Exception {
        long t0 = System.nanoTime();
        Hygiene before = Hygiene.snapshot();
        Path gate = Files.createDirectories(tmp.resolve("gate"));
        Path jobs = Files.createDirectories(tmp.resolve("kill-out"));
        Path out = jobs.resolve("killed");
        Watch.reset();
        List<String> a = TestSupport.vbArgs("sample:" + N_KILL, out, cluster.masterUrl());
        // --no-guard: one simulation stage whose partitions the gate holds (the guarded path runs a stage per round).
        a.addAll(List.of("--method", "scasml", "--no-guard", "--surrogate", "class:" + GatedSurrogate.class.getName(),
            "--format", "csv", "--partitions", String.valueOf(SIM_PARTITIONS)));
        a.addAll(clusterConf(2));
        a.addAll(List.of("--conf", "spark.executorEnv." + GATE_ENV + "=" + gate,
            "--conf", "spark.task.maxFailures=8"));

        ExecutorService driver = Executors.newSingleThreadExecutor();
        Future<TestSupport.Result> job = driver.submit(() -> TestSupport.cli(a.toArray(new String[0])));
        LoopbackCluster.ExecutorProcess victim;
        int doneOnVictim;
        try {
            victim = awaitVictim(gate, job);
            doneOnVictim = Watch.simSucceeded(victim.executorId());
            ProcessHandle h = ProcessHandle.of(victim.pid()).orElseThrow(() -> new AssertionError("gone already"));
            assertTrue(h.isAlive(), "executor " + victim + " is alive before the kill");
            assertTrue(LoopbackCluster.cmdline(victim.pid()).contains(victim.appId()), "the PID is the executor's");
            assertTrue(h.destroyForcibly(), "SIGKILL sent to " + victim.pid());
            h.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(h.isAlive(), "executor " + victim.pid() + " is gone after SIGKILL");
            assertTrue(ProcessHandle.of(victim.pid()).map(p -> !p.isAlive()).orElse(true));
            System.err.println("ExecutorKillTest: killed executor " + victim.executorId() + " (pid " + victim.pid()
                + ") of " + victim.appId() + " after " + doneOnVictim + " simulation task(s) had finished on it; "
                + Watch.waiting(gate) + " task(s) held at the gate");
        } catch (Exception | Error e) {
            // let the job end before the cluster goes, then report what went wrong
            open(gate);
            try {
                job.get(120, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the first failure is the one to report
            }
            driver.shutdownNow();
            throw e;
        }
        open(gate);
        TestSupport.Result r;
        try {
            r = job.get(300, TimeUnit.SECONDS);
        } finally {
            driver.shutdownNow();
        }
        r.ok();

        // the driver saw the executor go, and the work it had done was done again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Watch.REMOVED.containsKey(victim.executorId()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Watch.REMOVED.containsKey(victim.executorId()), "executor removal seen: " + Watch.REMOVED);
        int sims = Watch.simSucceeded(null);
        assertTrue(sims > SIM_PARTITIONS, "the lost shuffle output was recomputed: " + sims
            + " successful simulation tasks for " + SIM_PARTITIONS + " partitions");
        assertTrue(cluster.log("worker1").contains("exitStatus 137") || cluster.log("worker2").contains(
            "exitStatus 137"), "a Worker saw its executor die of SIGKILL (exit status 137)");

        Pde pde = BuiltinPdes.byName("vb", 3);
        RunOptions o = RunOptions.builder().method(Method.SCASML).levels(2).base(3).seed(7).pointsPerUnit(4)
            .unitCost(20).build();
        List<PointEstimate> local = LocalRunner.run(PicardEstimator.create(pde, new GatedSurrogate(3), o),
            PointSampler.sample(pde.domain(), 3, N_KILL, 7), 1);
        LocalRunnerCheck.assertBitIdentical(local, TestSupport.csvRows(out));

        Hygiene.assertClean(before, Set.of(victim.appId()), 1, jobs, Set.of("killed"), "after the kill test");
        System.err.printf("ExecutorKillTest: kill test %.1f s (%d simulation task runs, removal reason: %s)%n",
            (System.nanoTime() - t0) / 1e9, sims, Watch.REMOVED.get(victim.executorId()));
    }

    /**
     * Waits until a simulation task has finished on some executor and another simulation task is held at the gate,
     * then names the executor with the most finished simulation tasks (alive, found in the process table).
     */
    private static LoopbackCluster.ExecutorProcess awaitVictim(Path gate, Future<TestSupport.Result> job)
        throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (job.isDone()) {
                fail("the job ended before an executor could be killed: " + job.get());
            }
            String app = Watch.appId;
            Optional<String> busiest = Watch.SIM_OK.entrySet().stream().filter(e -> e.getValue().get() > 0)
                .max(Map.Entry.comparingByValue((x, y) -> Integer.compare(x.get(), y.get())))
                .map(Map.Entry::getKey);
            if (app != null && busiest.isPresent() && Watch.waiting(gate) > 0) {
                Optional<LoopbackCluster.ExecutorProcess> p = cluster.executor(app, busiest.get());
                if (p.isPresent()) {
                    return p.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no simulation task finished with another one held at the gate within 180 s: "
            + Watch.SIM_OK + ", waiting " + Watch.waiting(gate) + ", executors " + cluster.executors());
    }

    private static void open(Path gate) throws IOException {
        try {
            Files.createFile(gate.resolve("release"));
        } catch (FileAlreadyExistsException e) {
            // already open
        }
    }

    // -------------------------------------------------------------------------------------- ten jobs in a row

    @Test
    @Order(2)
    void tenConsecutiveJobsLeaveNoProcessesPortsOrTemporaryDirectories() throws Exception {
        long t0 = System.nanoTime();
        Hygiene before = Hygiene.snapshot();
        int threadsBefore = threadNames().size();
        List<String> afterFirst = List.of();
        Path jobs = Files.createDirectories(tmp.resolve("ten-out"));
        Set<String> apps = new TreeSet<>();
        Set<String> outs = new TreeSet<>();
        for (int j = 0; j < JOBS; j++) {
            Path out = jobs.resolve("job" + j);
            List<String> a = TestSupport.vbArgs("sample:8", out, cluster.masterUrl());
            a.addAll(List.of("--format", "csv", "--partitions", "2"));
            a.addAll(clusterConf(1));
            long tj = System.nanoTime();
            TestSupport.cli(a.toArray(new String[0])).ok();
            com.fasterxml.jackson.databind.JsonNode summary = new ObjectMapper().readTree(
                out.resolve("summary.json").toFile());
            String app = summary.get("spark").get("app_id").asText();
            System.err.printf("ExecutorKillTest: job %d (%s) %.1f s, timings %s%n", j + 1, app,
                (System.nanoTime() - tj) / 1e9, summary.get("timings"));
            assertTrue(app.startsWith("app-"), app);
            assertTrue(apps.add(app), "a new application per job");
            outs.add(out.getFileName().toString());
            assertEquals(8, TestSupport.csvRows(out).size());
            Hygiene.assertClean(before, apps, 0, jobs, outs, "after job " + (j + 1));
            if (j == 0) {
                afterFirst = threadNames();
            }
        }
        Hygiene.assertClean(before, null, 0, jobs, outs, "after " + JOBS + " jobs");
        // Non-daemon threads are asserted on (assertClean). All threads are only shown: the first job starts JVM-wide
        // pools (netty, Hadoop, Spark SQL's cached QueryStageCreator/shuffle-exchange pools, whose idle threads
        // linger 60 s), so their number after a job depends on timing, not on leaks.
        List<String> now = threadNames();
        List<String> grown = new ArrayList<>(now);
        afterFirst.forEach(grown::remove);
        System.err.printf("ExecutorKillTest: %d jobs in %.1f s; longest wait for executors and dirs to go: %d ms; "
            + "driver threads %d (before: %d, after job 1: %d; new since: %s)%n", JOBS, (System.nanoTime() - t0) / 1e9,
            Hygiene.longestWaitMs, now.size(), threadsBefore, afterFirst.size(), grown);
    }

    /** Live threads of the driver JVM, by name with digits dropped (pool threads are numbered). */
    static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .map(t -> t.getName().replaceAll("[0-9]+", "#")).sorted().collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------------------ leftovers

    /** What the driver JVM and the cluster own before jobs run: listening sockets and scratch directory contents. */
    record Hygiene(Set<String> driverPorts, Set<String> daemonPorts, Set<String> scratch, int threads) {
        static long longestWaitMs;
        static final Set<String> ALLOWED_SEEN = ConcurrentHashMap.newKeySet();
        private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        private static final Pattern LZ4 = Pattern.compile("liblz4-java-[0-9]+\\.so(\\.lck)?");

        /**
         * What Spark and lz4-java create once per JVM and remove when that JVM exits (shutdown hook, deleteOnExit; a
         * CLI run leaves nothing in java.io.tmpdir or spark.local.dir): the driver's and each Worker's empty local
         * root {@code spark-UUID} (blockmgr-* and userFiles-* inside it must be gone: they are entries of their own),
         * the driver's empty {@code artifacts-UUID} (SparkSession artifacts), and the extracted lz4 native library
         * with its lock file. Returns "dir : kind" for such an entry, or null.
         */
        static String jvmLifetime(String entry) {
            int c = entry.indexOf(" : ");
            String dir = entry.substring(0, c);
            String rel = entry.substring(c + 3);
            if (rel.contains("/")) {
                return null;
            }
            boolean local = dir.equals(cluster.driverLocalDir.toString()) || dir.endsWith("-local");
            if (local && rel.startsWith("spark-") && UUID.matcher(rel.substring(6)).matches()) {
                return dir + " : local root";
            }
            if (dir.equals(driverTmp.toString()) && rel.startsWith("artifacts-")
                && UUID.matcher(rel.substring(10)).matches()) {
                return dir + " : artifact root";
            }
            boolean tmpDir = dir.equals(driverTmp.toString()) || dir.equals(cluster.executorTmpDir.toString());
            if (tmpDir && LZ4.matcher(rel).matches()) {
                return dir + " : lz4";
            }
            return null;
        }

        /** Live non-daemon threads of the driver JVM: one left per job would keep a CLI process from exiting. */
        static List<String> nonDaemonThreads() {
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName).sorted().collect(Collectors.toList());
        }

        static Set<Long> self() {
            return Set.of(ProcessHandle.current().pid());
        }

        static List<Path> scratchDirs() throws IOException {
            List<Path> l = new ArrayList<>(cluster.scratchDirs());
            l.add(driverTmp);
            return l;
        }

        static Hygiene snapshot() throws IOException {
            return new Hygiene(LoopbackCluster.listening(self()), LoopbackCluster.listening(cluster.daemonPids()),
                LoopbackCluster.entries(scratchDirs()), nonDaemonThreads().size());
        }

        /**
         * Asserts, allowing 30 s for executors to exit and Workers to delete their app directories: no executor JVM
         * of the given applications (or, with {@code apps == null}, no process at all below the Workers and no
         * executor of this cluster) is alive; the driver JVM and any such process listen on no socket the driver did
         * not have before; the scratch directories hold what they held before, give or take the
         * {@linkplain #jvmLifetime once-per-JVM entries} (and the native-library copy of each of the
         * {@code sigkilled} executors); the output parent holds exactly the outputs (no hidden temporary or
         * moved-aside directories).
         */
        static void assertClean(Hygiene before, Set<String> apps, int sigkilled, Path outParent, Set<String> outs,
                                String when) throws Exception {
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            List<String> problems;
            do {
                problems = problems(before, apps, sigkilled, outParent, outs);
                if (problems.isEmpty()) {
                    longestWaitMs = Math.max(longestWaitMs, (System.nanoTime() - t0) / 1_000_000);
                    Set<String> daemons = LoopbackCluster.listening(cluster.daemonPids());
                    if (!daemons.equals(before.daemonPorts())) {
                        // the Master's and Workers' own sockets are theirs to manage: shown, not failed on
                        System.err.println("ExecutorKillTest: " + when + ": Master/Worker listening sockets changed: "
                            + before.daemonPorts() + " -> " + daemons);
                    }
                    return;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            fail(when + ": left behind after 30 s:\n  " + String.join("\n  ", problems));
        }

        private static List<String> problems(Hygiene before, Set<String> apps, int sigkilled, Path outParent,
                                             Set<String> outs) throws IOException {
            List<String> p = new ArrayList<>();
            List<LoopbackCluster.ExecutorProcess> ex = cluster.executors().stream()
                .filter(e -> apps == null || apps.contains(e.appId())).collect(Collectors.toList());
            for (LoopbackCluster.ExecutorProcess e : ex) {
                p.add("executor JVM alive: " + e);
            }
            Set<Long> owners = new TreeSet<>(self());
            ex.forEach(e -> owners.add(e.pid()));
            if (apps == null) {
                for (ProcessHandle h : cluster.workerDescendants()) {
                    p.add("process below a Worker alive: " + h.pid() + " " + LoopbackCluster.cmdline(h.pid()));
                    owners.add(h.pid());
                }
            }
            for (String s : LoopbackCluster.listening(owners)) {
                if (!before.driverPorts().contains(s)) {
                    p.add("listening socket (pid address:port): " + s);
                }
            }
            List<String> threads = nonDaemonThreads();
            if (threads.size() > before.threads()) {
                p.add("driver non-daemon threads: " + before.threads() + " before, now " + threads);
            }
            Map<String, Integer> kinds = new TreeMap<>();
            for (String s : LoopbackCluster.entries(scratchDirs())) {
                if (before.scratch().contains(s)) {
                    continue;
                }
                String kind = jvmLifetime(s);
                int n = kind == null ? 0 : kinds.merge(kind, 1, Integer::sum);
                int allowed = kind == null ? 0 : kind.startsWith(cluster.executorTmpDir + " : lz4") ? 2 * sigkilled
                    : kind.contains(" : lz4") ? 2 : 1;
                if (n > allowed || kind == null) {
                    p.add("scratch entry: " + s);
                } else if (ALLOWED_SEEN.add(s)) {
                    System.err.println("ExecutorKillTest: allowed once-per-JVM entry: " + s);
                }
            }
            // Workers keep each executor's stdout/stderr under work/app-*/N/ (logs, by design); nothing else
            for (Path w : cluster.workDirs()) {
                try (Stream<Path> s = Files.walk(w)) {
                    s.filter(Files::isRegularFile).map(x -> x.getFileName().toString())
                        .filter(n -> !n.equals("stdout") && !n.equals("stderr"))
                        .forEach(n -> p.add("file in a Worker's work dir: " + w + " ... " + n));
                }
            }
            try (Stream<Path> s = Files.list(outParent)) {
                Set<String> names = s.map(x -> x.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
                if (!names.equals(outs)) {
                    p.add("output parent " + outParent + " holds " + names + ", expected " + outs);
                }
            }
            return p;
        }
    }

    // ---------------------------------------------------------------------------------- listener and gate

    /**
     * Driver-side listener (spark.extraListeners, so it sees the job from its first event): finished simulation
     * tasks per executor, executor removals, the application id.
     */
    public static final class Watch extends SparkListener {
        static final Map<String, AtomicInteger> SIM_OK = new ConcurrentHashMap<>();
        static final Map<String, String> REMOVED = new ConcurrentHashMap<>();
        static final Set<Integer> SIM_STAGES = ConcurrentHashMap.newKeySet();
        static volatile String appId;

        static void reset() {
            SIM_OK.clear();
            REMOVED.clear();
            SIM_STAGES.clear();
            appId = null;
        }

        /** Finished simulation tasks on one executor, or on all with {@code null}. */
        static int simSucceeded(String executorId) {
            return SIM_OK.entrySet().stream().filter(e -> executorId == null || e.getKey().equals(executorId))
                .mapToInt(e -> e.getValue().get()).sum();
        }

        /** Simulation tasks that reached the gate while it was closed. */
        static long waiting(Path gate) throws IOException {
            try (Stream<Path> s = Files.list(gate)) {
                return s.filter(p -> p.getFileName().toString().startsWith("waiting-")).count();
            }
        }

        @Override
        public void onApplicationStart(SparkListenerApplicationStart e) {
            if (e.appId().isDefined()) {
                appId = e.appId().get();
            }
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            // a stage's first attempt has all its partitions as tasks; a retry only the missing ones
            if (e.stageInfo().attemptNumber() == 0 && e.stageInfo().numTasks() == SIM_PARTITIONS) {
                SIM_STAGES.add(e.stageInfo().stageId());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            if (SIM_STAGES.contains(e.stageId()) && e.taskInfo().successful()) {
                SIM_OK.computeIfAbsent(e.taskInfo().executorId(), k -> new AtomicInteger()).incrementAndGet();
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            REMOVED.put(e.executorId(), e.reason());
        }
    }

    /**
     * {@link StandaloneClusterTest.PerturbedVbSurrogate} (same values, so LocalRunner gives the reference bits) that,
     * in an executor whose environment names a gate directory, holds every simulation task with partition index
     * {@code >= FREE} until the file {@code release} exists there, leaving a {@code waiting-*} marker. Without the
     * environment variable (LocalRunner, the driver) or outside a task it never waits.
     */
    public static final class GatedSurrogate implements Surrogate {
        private static volatile boolean open;
        private final Surrogate inner;

        public GatedSurrogate(int d) {
            this.inner = new StandaloneClusterTest.PerturbedVbSurrogate(d);
        }

        private static void gate() {
            if (open) {
                return;
            }
            String dir = System.getenv(GATE_ENV);
            TaskContext tc = TaskContext.get();
            if (dir == null) {
                open = true;
                return;
            }
            if (tc == null || tc.numPartitions() != SIM_PARTITIONS || tc.partitionId() < FREE) {
                return;
            }
            Path release = Path.of(dir, "release");
            try {
                if (!Files.exists(release)) {
                    Files.write(Path.of(dir, "waiting-" + tc.partitionId() + "-" + tc.attemptNumber() + "-"
                        + ProcessHandle.current().pid()), new byte[0]);
                }
                // bounded: a test that never opens the gate fails on its own timeout, not here
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
                while (!Files.exists(release) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                throw new IllegalStateException("gate " + dir + ": " + e, e);
            } catch (InterruptedException e) {
                // the task is being killed
                Thread.currentThread().interrupt();
                return;
            }
            open = true;
        }

        @Override
        public int dim() {
            return inner.dim();
        }

        @Override
        public void value(int n, double[] t, double[] x, double[] u) {
            gate();
            inner.value(n, t, x, u);
        }

        @Override
        public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
            gate();
            inner.valueAndGradient(n, t, x, u, grad);
        }

        @Override
        public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                  double[] lap) {
            gate();
            inner.residualTerms(n, t, x, u, dt, grad, lap);
        }
    }
}
