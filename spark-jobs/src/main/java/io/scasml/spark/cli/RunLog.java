package io.scasml.spark.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Keeps Spark's (and Hadoop's, Parquet's) own logging off the terminal for the length of one run: every console
 * appender of the log4j configuration is replaced by a file appender writing to the run's log file, and restored
 * afterwards. The file is created only when something is logged; it is removed after a successful run unless the
 * user chose its path ({@code --log-file}), and kept (and named in the error line) after a failure.
 *
 * <p>Default location: {@code $SCASML_LOG_DIR} (or the system property {@code scasml.log.dir}), else
 * {@code java.io.tmpdir/scasml-logs}, file {@code KIND-RUNID.log}.
 */
final class RunLog implements AutoCloseable {
    private static final Object LOCK = new Object();
    private static RunLog active;

    private final Path file;
    private final boolean chosen;
    private final boolean owner;
    private final List<Object[]> removed = new ArrayList<>();
    private final List<LoggerConfig> added = new ArrayList<>();
    private FileAppender appender;
    private LoggerContext ctx;

    private RunLog(Path file, boolean chosen, boolean owner) {
        this.file = file;
        this.chosen = chosen;
        this.owner = owner;
    }

    /** The directory for run logs. */
    static Path logDir() {
        String d = System.getenv("SCASML_LOG_DIR");
        if (d == null || d.isBlank()) {
            d = System.getProperty("scasml.log.dir");
        }
        if (d == null || d.isBlank()) {
            return Paths.get(System.getProperty("java.io.tmpdir"), "scasml-logs");
        }
        return Paths.get(d);
    }

    /**
     * Starts redirecting. Nested runs (e.g. {@code bench spark} running {@code solve}) share the outer log.
     *
     * @param chosen the file the user asked for, or null for the default location
     */
    static RunLog start(String kind, String runId, Path chosen) {
        synchronized (LOCK) {
            if (active != null) {
                return new RunLog(active.file, true, false);
            }
            Path f = chosen != null ? chosen.toAbsolutePath() : logDir().resolve(kind + "-" + runId + ".log")
                .toAbsolutePath();
            RunLog r = new RunLog(f, chosen != null, true);
            try {
                r.redirect(runId);
            } catch (RuntimeException | LinkageError e) {
                // no log4j-core (an unusual deployment): logging stays as configured
                r.restore();
            }
            active = r;
            return r;
        }
    }

    private void redirect(String runId) {
        try {
            // Let Spark initialise logging first (silently): otherwise, finding log4j's default configuration, it
            // would replace ours and print a line on stderr.
            new org.apache.spark.SparkConf(false).initializeLogIfNecessary(false, true);
        } catch (RuntimeException | LinkageError e) {
            // not fatal
        }
        ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
            .withPattern("%d{yy/MM/dd HH:mm:ss.SSS} %p [%t] %c{1}: %m%n%ex").build();
        appender = FileAppender.newBuilder().setName("scasml-run-log-" + runId).withFileName(file.toString())
            .withAppend(true).withCreateOnDemand(true).setLayout(layout).setConfiguration(config).build();
        appender.start();
        config.addAppender(appender);
        List<LoggerConfig> configs = new ArrayList<>(config.getLoggers().values());
        if (!configs.contains(config.getRootLogger())) {
            configs.add(config.getRootLogger());
        }
        for (LoggerConfig lc : configs) {
            boolean any = false;
            for (Map.Entry<String, Appender> a : new ArrayList<>(lc.getAppenders().entrySet())) {
                if (a.getValue() instanceof ConsoleAppender) {
                    lc.removeAppender(a.getKey());
                    removed.add(new Object[] {lc, a.getValue()});
                    any = true;
                }
            }
            if (any) {
                lc.addAppender(appender, null, null);
                added.add(lc);
            }
        }
        ctx.updateLoggers();
    }

    private void restore() {
        if (ctx == null) {
            return;
        }
        for (LoggerConfig lc : added) {
            lc.removeAppender(appender.getName());
        }
        for (Object[] r : removed) {
            ((LoggerConfig) r[0]).addAppender((Appender) r[1], null, null);
        }
        ctx.getConfiguration().getAppenders().remove(appender.getName());
        ctx.updateLoggers();
        appender.stop();
        added.clear();
        removed.clear();
        ctx = null;
    }

    /** The log file (it exists only once something was logged). */
    Path file() {
        return file;
    }

    /** Whether anything was logged (the file exists and is not empty). */
    boolean written() {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes a failure's stack trace into the log (never to the terminal). */
    void record(Throwable t) {
        org.apache.logging.log4j.Logger l = LogManager.getLogger("io.scasml.spark.cli");
        if (appender != null) {
            // through the run's appender directly: the configured level may hide errors of our logger
            appender.append(org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder()
                .setLoggerName(l.getName()).setLevel(org.apache.logging.log4j.Level.ERROR)
                .setMessage(new org.apache.logging.log4j.message.SimpleMessage("scasml: the run failed"))
                .setThrown(t).setTimeMillis(System.currentTimeMillis()).build());
        }
    }

    /** Stops redirecting; removes the log after a success unless the user chose its path. */
    void close(boolean success) {
        if (!owner) {
            return;
        }
        synchronized (LOCK) {
            restore();
            active = null;
            if (success && !chosen) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a left-over log harms nothing
                }
            }
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
