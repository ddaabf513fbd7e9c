package io.scasml.yarnit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * Hadoop's mini clusters on 127.0.0.1 — one NameNode + DataNode (MiniDFSCluster) and one ResourceManager + NodeManager
 * (MiniYARNCluster), in this JVM — with their client configuration written to {@code DIR/conf} (core-, hdfs- and
 * yarn-site.xml) so that an ordinary {@code spark-submit --master yarn} with {@code HADOOP_CONF_DIR=DIR/conf} reaches
 * them; and {@link #submit}, the one place that builds that submission of the app jar.
 *
 * <p>{@code main}: {@code start DIR} (runs until killed; {@code DIR/ready} appears when both clusters are up) and
 * {@code submit DIR client|cluster SCASML-ARGS...} (runs SparkSubmit, exits with its status); scripts/yarn-minicluster
 * calls these.
 */
public final class YarnMiniCluster implements AutoCloseable {
    /** NodeManager capacity: room for an ApplicationMaster and two small executors. */
    static final int NM_MEMORY_MB = 4096;

    final Path dir;
    final Path confDir;
    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Configuration conf;

    private YarnMiniCluster(Path dir, MiniDFSCluster dfs, MiniYARNCluster yarn, Configuration conf) {
        this.dir = dir;
        this.confDir = dir.resolve("conf");
        this.dfs = dfs;
        this.yarn = yarn;
        this.conf = conf;
    }

    /** Starts HDFS then YARN with every directory below {@code dir}, and writes {@code dir/conf}. */
    public static YarnMiniCluster start(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.toAbsolutePath());
        Configuration c = new YarnConfiguration();
        c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, root.resolve("dfs").toString());
        c.set("hadoop.tmp.dir", root.resolve("hadoop-tmp").toString());
        c.setBoolean("dfs.permissions.enabled", false);
        c.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(c).numDataNodes(1).nameNodePort(0).build();
        MiniYARNCluster yarn = null;
        try {
            dfs.waitClusterUp();
            c.set("fs.defaultFS", dfs.getURI().toString());
            c.set("yarn.resourcemanager.hostname", "127.0.0.1");
            c.set("yarn.nodemanager.hostname", "127.0.0.1");
            c.setInt("yarn.nodemanager.resource.memory-mb", NM_MEMORY_MB);
            c.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
            c.setInt("yarn.scheduler.minimum-allocation-mb", 128);
            c.setInt("yarn.scheduler.maximum-allocation-mb", NM_MEMORY_MB);
            c.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
            c.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
            c.setFloat("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.9f);
            c.setBoolean("yarn.webapp.ui2.enable", false);
            // the capacity scheduler's one queue (no capacity-scheduler.xml on this classpath); an AM may take it all
            c.set("yarn.scheduler.capacity.root.queues", "default");
            c.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
            c.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
            c.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
            // Keep the containers' directories for a look after a failure (a minute).
            c.setInt("yarn.nodemanager.delete.debug-delay-sec", 60);
            yarn = new MiniYARNCluster("scasml-yarn-it", 1, 1, 1);
            yarn.init(c);
            yarn.start();
            Configuration yc = yarn.getConfig();
            // MiniYARNCluster may return from start() before the RM has published its real port.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (yc.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ResourceManager address not published within 60 s");
                }
                Thread.sleep(100);
            }
            if (!yarn.waitForNodeManagersToConnect(60_000)) {
                throw new IllegalStateException("NodeManager did not register within 60 s");
            }
            Configuration client = new Configuration(yc);
            client.set("fs.defaultFS", dfs.getURI().toString());
            YarnMiniCluster m = new YarnMiniCluster(root, dfs, yarn, client);
            m.writeConf();
            return m;
        } catch (Exception | Error e) {
            if (yarn != null) {
                yarn.stop();
            }
            dfs.shutdown();
            throw e;
        }
    }

    /**
     * A client configuration as a cluster hands it out: the NameNode and the ResourceManager's addresses and the
     * replication, nothing else (the mini clusters' own configuration names test-only classes, e.g. StaticMapping).
     */
    private void writeConf() throws IOException {
        Files.createDirectories(confDir);
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", conf.get("fs.defaultFS"));
        Configuration hdfs = new Configuration(false);
        hdfs.set("dfs.replication", "1");
        Configuration yarnSite = new Configuration(false);
        for (String k : new String[] {YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
            YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
            YarnConfiguration.RM_WEBAPP_ADDRESS}) {
            yarnSite.set(k, conf.get(k));
        }
        write(core, "core-site.xml");
        write(hdfs, "hdfs-site.xml");
        write(yarnSite, "yarn-site.xml");
    }

    private void write(Configuration c, String name) throws IOException {
        try (OutputStream o = Files.newOutputStream(confDir.resolve(name))) {
            c.writeXml(o);
        }
    }

    /** {@code hdfs://127.0.0.1:PORT}. */
    public String hdfsUri() throws IOException {
        return dfs.getURI().toString();
    }

    public String resourceManager() {
        return conf.get(YarnConfiguration.RM_ADDRESS);
    }

    public FileSystem fileSystem() throws IOException {
        return FileSystem.get(dfs.getURI(), conf);
    }

    @Override
    public void close() {
        try {
            yarn.stop();
        } finally {
            dfs.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------- submission

    /** The repository root: scasml.repo.dir (set by Surefire and the script), else two levels up from here. */
    static Path repo() {
        String p = System.getProperty("scasml.repo.dir");
        return (p != null ? Paths.get(p) : Paths.get("..")).toAbsolutePath().normalize();
    }

    static String read(Path p, String hint) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " missing; build it: " + hint);
        }
        return Files.readString(p, StandardCharsets.UTF_8).trim();
    }

    static final String BUILD = "mvn -B -Papp -pl cli -am package -DskipTests && mvn -B -Pyarn-it -pl yarn-it test-compile";

    /** The shaded application jar, cli/target/cli-VERSION-app.jar. */
    static Path appJar() throws IOException {
        Path t = repo().resolve("cli/target");
        try (Stream<Path> s = Files.exists(t) ? Files.list(t) : Stream.empty()) {
            return s.filter(p -> p.getFileName().toString().matches("cli-.*-app\\.jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no cli/target/cli-*-app.jar; build it: " + BUILD));
        }
    }

    /**
     * The submission of the app jar to this cluster as a user does it: SparkSubmit with {@code --master yarn}, the
     * build's filled-in {@code cluster-config/yarn.conf}, and only what a 4 GB one-node cluster needs on top (sizes;
     * the Spark and Hadoop jars, which a real cluster has in its distribution, as {@code local:} spark.yarn.jars).
     */
    static ProcessBuilder submit(Path confDir, String deployMode, List<String> appArgs) throws IOException {
        Path r = repo();
        List<String> sparkCp = Arrays.asList(read(r.resolve("yarn-it/target/spark-classpath.txt"), BUILD)
            .split(java.io.File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(read(r.resolve("cli/target/jvm-options.txt"), BUILD).split("\\s+")));
        cmd.add("-Xmx512m");
        cmd.add("-Dlog4j.configurationFile=" + r.resolve("cluster-config/log4j2.properties"));
        cmd.add("-cp");
        cmd.add(confDir + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, sparkCp));
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(List.of("--master", "yarn", "--deploy-mode", deployMode));
        Path yarnConf = r.resolve("cli/target/cluster-config/yarn.conf");
        read(yarnConf, BUILD);
        cmd.addAll(List.of("--properties-file", yarnConf.toString()));
        for (String kv : new String[] {
            "spark.yarn.jars=" + sparkCp.stream().map(j -> "local:" + j).collect(Collectors.joining(",")),
            "spark.executor.instances=2", "spark.executor.cores=1", "spark.executor.memory=512m",
            "spark.executor.memoryOverhead=384m", "spark.driver.memory=512m", "spark.driver.memoryOverhead=384m",
            "spark.yarn.am.memory=384m", "spark.yarn.am.memoryOverhead=256m", "spark.yarn.submit.waitAppCompletion=true",
            "spark.ui.enabled=false"}) {
            cmd.addAll(List.of("--conf", kv));
        }
        cmd.addAll(List.of("--class", "io.scasml.cli.Main", appJar().toString()));
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HADOOP_CONF_DIR", confDir.toString());
        env.put("YARN_CONF_DIR", confDir.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("SPARK_TESTING");
        env.remove("SPARK_HOME");
        return pb;
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("start")) {
            Path d = Paths.get(args[1]);
            YarnMiniCluster m = start(d);
            Runtime.getRuntime().addShutdownHook(new Thread(m::close));
            String line = "hdfs " + m.hdfsUri() + " resourcemanager " + m.resourceManager() + " conf " + m.confDir;
            Files.writeString(m.dir.resolve("ready"), line + "\n", StandardCharsets.UTF_8);
            System.out.println("yarn-minicluster: ready: " + line);
            System.out.flush();
            Thread.currentThread().join();
        } else if (args.length >= 3 && args[0].equals("submit")) {
            Path conf = Paths.get(args[1]).toAbsolutePath().resolve("conf");
            ProcessBuilder pb = submit(conf, args[2], List.of(args).subList(3, args.length)).inheritIO();
            System.exit(pb.start().waitFor());
        } else {
            System.err.println("usage: YarnMiniCluster start DIR | submit DIR client|cluster SCASML-ARGS...");
            System.exit(2);
        }
    }
}
