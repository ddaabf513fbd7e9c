package io.scasml.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Spark standalone cluster on 127.0.0.1 for fault and hygiene tests: one Master and two one-core Workers, each a
 * separate JVM started from the test classpath, all on ports chosen here, with every directory they may write to
 * (work, local and {@code java.io.tmpdir} dirs) below one test-owned root. Besides starting and stopping, it reads the
 * process table and the socket table so that tests can find executor JVMs by PID and check for leftovers.
 */
final class LoopbackCluster implements AutoCloseable {
    /** JVM flags for the short-lived test JVMs here: quick start-up, few threads, little CPU on small machines. */
    static final String LIGHT_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    final Path root;
    final int masterPort;
    final int[] workerPorts;
    /** The directory the driver gives Spark as {@code spark.local.dir}: its blockmgr-* and spark-* dirs go here. */
    final Path driverLocalDir;
    /** {@code java.io.tmpdir} of the executor JVMs (set through spark.executor.extraJavaOptions). */
    final Path executorTmpDir;
    private final Map<String, Process> daemons = new TreeMap<>();

    private LoopbackCluster(Path root, int masterPort, int[] workerPorts) throws IOException {
        this.root = root;
        this.masterPort = masterPort;
        this.workerPorts = workerPorts;
        this.driverLocalDir = Files.createDirectories(root.resolve("driver-local"));
        this.executorTmpDir = Files.createDirectories(root.resolve("executor-tmp"));
    }

    /** Starts the Master and {@code workers} Workers and waits until the Master has registered all of them. */
    static LoopbackCluster start(Path root, int workers) throws Exception {
        MultiJvmTest.sparkHome();
        int[] ports = freePorts(1 + workers);
        LoopbackCluster c = new LoopbackCluster(root, ports[0], Arrays.copyOfRange(ports, 1, ports.length));
        try {
            c.daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(c.masterPort), "--webui-port", "0"));
            c.awaitPort("master", c.masterPort);
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(root.resolve("worker" + w + "-work"));
                c.daemon("worker" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--port", String.valueOf(c.workerPorts[w - 1]), "--cores", "1", "--memory", "1g",
                    "--webui-port", "0", "--work-dir", work.toString(), c.masterUrl()));
            }
            for (int w = 1; w <= workers; w++) {
                c.awaitPort("worker" + w, c.workerPorts[w - 1]);
            }
            c.awaitRegistered(workers);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The URLs executors of this cluster carry on their command line ({@code --worker-url}). */
    List<String> workerUrls() {
        List<String> l = new ArrayList<>();
        for (int p : workerPorts) {
            l.add("spark://Worker@127.0.0.1:" + p);
        }
        return l;
    }

    /** PIDs of the Master and Worker JVMs. */
    Set<Long> daemonPids() {
        return daemons.values().stream().map(Process::pid).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The directories below the root that only Spark's temporary files should touch (compared before/after). */
    List<Path> scratchDirs() throws IOException {
        List<Path> l = new ArrayList<>(List.of(driverLocalDir, executorTmpDir));
        for (String name : daemons.keySet()) {
            l.add(root.resolve(name + "-tmp"));
            if (name.startsWith("worker")) {
                l.add(root.resolve(name + "-local"));
            }
        }
        return l;
    }

    /** The Workers' work dirs (app-ID/EXECUTOR/stdout and stderr of every executor). */
    List<Path> workDirs() {
        List<Path> l = new ArrayList<>();
        for (String name : daemons.keySet()) {
            if (name.startsWith("worker")) {
                l.add(root.resolve(name + "-work"));
            }
        }
        return l;
    }

    private void daemon(String name, List<String> args) throws Exception {
        Path tmpDir = Files.createDirectories(root.resolve(name + "-tmp"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(Files.readString(Paths.get(System.getProperty("scasml.target.dir"),
            "jvm-options.txt")).trim().split("\\s+")));
        cmd.add("-Xmx384m");
        cmd.addAll(Arrays.asList(LIGHT_JVM.split(" ")));
        cmd.add("-Djava.io.tmpdir=" + tmpDir);
        cmd.add("-Dlog4j2.configurationFile=" + daemonLogConfig().toUri());
        cmd.add("-cp");
        cmd.add(MultiJvmTest.absoluteTestClasspath());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(root.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_DIST_CLASSPATH", MultiJvmTest.absoluteTestClasspath());
        pb.environment().put("OMP_NUM_THREADS", "1");
        // loopback only, for the daemons and (inherited through the Worker) the executors
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("SPARK_LOCAL_DIRS");
        if (name.startsWith("worker")) {
            // the worker creates its executors' app dirs (executor-*) here, and deletes them when the app ends
            pb.environment().put("SPARK_LOCAL_DIRS",
                Files.createDirectories(root.resolve(name + "-local")).toString());
        }
        daemons.put(name, pb.start());
    }

    /** Warnings, plus the Master's and Workers' own info lines (registrations, executor exits: read by tests). */
    private Path daemonLogConfig() throws IOException {
        Path f = root.resolve("daemon-log4j2.properties");
        if (!Files.exists(f)) {
            Files.write(f, List.of("rootLogger.level = warn", "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console", "appender.out.name = out", "appender.out.target = SYSTEM_ERR",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
                "logger.master.name = org.apache.spark.deploy.master", "logger.master.level = info",
                "logger.worker.name = org.apache.spark.deploy.worker", "logger.worker.level = info"));
        }
        return f;
    }

    String log(String name) {
        try {
            return Files.readString(root.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitPort(String name, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!daemons.get(name).isAlive()) {
                throw new IllegalStateException(name + " exited: " + log(name));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name + " did not open port " + port + ": " + log(name));
    }

    private void awaitRegistered(int workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            long n = log("master").lines().filter(l -> l.contains("Registering worker")).count();
            if (n >= workers) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("workers did not register: " + log("master"));
    }

    @Override
    public void close() throws Exception {
        List<Process> ps = new ArrayList<>(daemons.values());
        // workers first (each kills its executors), the master last
        java.util.Collections.reverse(ps);
        for (Process p : ps) {
            List<ProcessHandle> kids = p.descendants().collect(Collectors.toList());
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(15, TimeUnit.SECONDS);
            }
            for (ProcessHandle k : kids) {
                k.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ process table

    /** One executor JVM as the process table shows it. */
    record ExecutorProcess(long pid, String appId, String executorId, String workerUrl) {
    }

    /**
     * Every live CoarseGrainedExecutorBackend on this machine that belongs to this cluster (its {@code --worker-url}
     * is one of ours), whoever its parent is: a leftover whose worker died would still be found.
     */
    List<ExecutorProcess> executors() {
        List<String> ours = workerUrls();
        List<ExecutorProcess> l = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            List<String> a = cmdline(h.pid());
            if (!a.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")) {
                return;
            }
            String worker = arg(a, "--worker-url");
            if (worker != null && ours.contains(worker) && h.isAlive()) {
                l.add(new ExecutorProcess(h.pid(), arg(a, "--app-id"), arg(a, "--executor-id"), worker));
            }
        });
        return l;
    }

    /** Live processes started (directly or not) by the Worker JVMs: the executors, and anything they started. */
    List<ProcessHandle> workerDescendants() {
        List<ProcessHandle> l = new ArrayList<>();
        for (Map.Entry<String, Process> e : daemons.entrySet()) {
            if (e.getKey().startsWith("worker")) {
                e.getValue().descendants().filter(ProcessHandle::isAlive).forEach(l::add);
            }
        }
        return l;
    }

    /** The executor JVM of one application and executor id, if it is alive. */
    Optional<ExecutorProcess> executor(String appId, String executorId) {
        return executors().stream().filter(e -> appId.equals(e.appId()) && executorId.equals(e.executorId()))
            .findFirst();
    }

    static List<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Paths.get("/proc", String.valueOf(pid), "cmdline"));
            return Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String arg(List<String> a, String flag) {
        int i = a.indexOf(flag);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : null;
    }

    // ------------------------------------------------------------------------------------------- socket table

    /**
     * The TCP sockets in LISTEN state owned by the given processes, as "pid local-address:port" (from
     * /proc/net/tcp and tcp6, matched to processes through the socket inodes of their /proc/PID/fd links).
     */
    static Set<String> listening(Set<Long> pids) {
        Map<String, String> byInode = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Paths.get(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...; st 0A = LISTEN
                if (f.length > 9 && f[3].equals("0A")) {
                    byInode.put(f[9], f[1]);
                }
            }
        }
        Set<String> out = new TreeSet<>();
        for (long pid : pids) {
            Path fd = Paths.get("/proc", String.valueOf(pid), "fd");
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(fd)) {
                for (Path p : ds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(p).toString();
                    } catch (IOException | UnsupportedOperationException e) {
                        continue;
                    }
                    if (target.startsWith("socket:[")) {
                        String local = byInode.get(target.substring(8, target.length() - 1));
                        if (local != null) {
                            out.add(pid + " " + decode(local));
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone: it owns nothing
            }
        }
        return out;
    }

    /** "0100007F:1F90" → "127.0.0.1:8080" (IPv4); IPv6 addresses are left in hex. */
    private static String decode(String local) {
        int c = local.indexOf(':');
        String addr = local.substring(0, c);
        int port = Integer.parseInt(local.substring(c + 1), 16);
        if (addr.length() == 8) {
            long a = Long.parseLong(addr, 16);
            addr = (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff);
        }
        return addr + ":" + port;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Names (relative to each dir, prefixed with the dir) of everything below the given directories. */
    static Set<String> entries(List<Path> dirs) {
        Set<String> out = new TreeSet<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var s = Files.walk(d)) {
                s.filter(p -> !p.equals(d)).forEach(p -> out.add(d + " : " + d.relativize(p)));
            } catch (IOException | UncheckedIOException e) {
                // a directory vanished while it was walked: never "clean" on this poll, read again on the next
                out.add(d + " : (changing: " + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                p[i] = s.getLocalPort();
            }
            return p;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
