package io.scasml.spark.job;

import io.scasml.io.Redaction;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Whether {@code solve} runs in this JVM without a SparkSession ({@code --runner local}, or {@code auto} on a small
 * local run), and with how many threads. A local master's Spark job runs its tasks in this JVM anyway; what the
 * in-process runner leaves out is Spark's start (session, Scala and Spark SQL classes), its read, shuffle and write
 * stages and their fixed per-task costs (BENCHMARKS.md section 14). The work units, their order of reduction and
 * the output files are the Spark job's (the same bits: {@code InProcessRunnerTest}).
 *
 * <p>{@code auto} chooses it when: no SparkSession is active (a caller's session is used), the master is
 * {@code local}, {@code local[N]} or {@code local[*]} (not {@code local[N,F]}, which asks for task retries), the
 * points are {@code sample:N} with N·(d + 1) ≤ {@link #AUTO_MAX_DOUBLES}, or uncompressed CSV / JSON-lines files of
 * at most {@link #AUTO_MAX_BYTES} in all (Parquet inputs are read by Spark), and neither {@code --partitions} nor
 * {@code --conf} nor fault injection is given (they address Spark). The size rules keep in-process runs small: the
 * engine keeps every point's partial sums in memory until its group is reduced, where Spark can spill them.
 * {@code --runner local} drops the size rules and refuses the others with the reason.
 *
 * @param chosen  run in-process
 * @param reason  why not (null when chosen)
 * @param master  the master (redacted)
 * @param threads worker threads: N of local[N], the available processors for local[*], 1 for local
 */
record InProcess(boolean chosen, String reason, String master, int threads) {
    /** auto's size rule: points × (dimension + 1) at most this (≈ 100 000 points at d = 20). */
    static final long AUTO_MAX_DOUBLES = 1L << 21;
    /** auto's size rule for point files: their bytes in all (≈ 40 000 rows of d = 20 in CSV). */
    static final long AUTO_MAX_BYTES = 16L << 20;

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]{0,4})\\])?");

    private static InProcess no(String reason) {
        return new InProcess(false, reason, null, 0);
    }

    /**
     * The choice for a request (the master as {@link SolveJob} resolved it into {@code conf}; {@code files}: the
     * checked point files, null for sample:N).
     */
    static InProcess choose(SolveSettings s, SparkConf conf, int dim, PointReader.Prepared files,
                            org.apache.hadoop.conf.Configuration hconf) {
        if (s.runner().equals("spark")) {
            return no("--runner spark");
        }
        if (SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined()) {
            return no("a SparkSession is already active in this JVM");
        }
        String master = conf.get("spark.master", "local[*]").trim();
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            return no("the master " + Redaction.text(master) + " is not local, local[N] or local[*]");
        }
        int threads = m.group(1) == null ? 1 : m.group(1).equals("*")
            ? Math.max(1, Runtime.getRuntime().availableProcessors()) : Integer.parseInt(m.group(1));
        if (s.partitions() != null) {
            return no("--partitions sets the partitions of Spark's work plan");
        }
        if (!s.sparkConf().isEmpty()) {
            return no("--conf sets Spark properties " + Redaction.map(s.sparkConf()).keySet());
        }
        if (s.faults().active()) {
            return no("--inject-failures fails Spark tasks");
        }
        boolean auto = s.runner().equals("auto");
        if (files == null) {
            int n;
            try {
                n = s.sampleCount();
            } catch (RuntimeException e) {
                return no("points: not sample:N"); // SolveCommand has refused it already
            }
            if (auto && (long) n * (dim + 1L) > AUTO_MAX_DOUBLES) {
                return no("N x (d + 1) = " + (long) n * (dim + 1L) + " is above " + AUTO_MAX_DOUBLES);
            }
        } else {
            if (files.format() == PointReader.Format.PARQUET) {
                return no("Parquet points are read by Spark (in-process: sample:N, CSV, JSON lines)");
            }
            if (auto) {
                long bytes = 0;
                try {
                    org.apache.hadoop.io.compress.CompressionCodecFactory codecs =
                        new org.apache.hadoop.io.compress.CompressionCodecFactory(hconf);
                    for (org.apache.hadoop.fs.Path p : files.files()) {
                        if (codecs.getCodec(p) != null) {
                            return no("compressed point files are read by Spark under --runner auto");
                        }
                        bytes += p.getFileSystem(hconf).getFileStatus(p).getLen();
                    }
                } catch (java.io.IOException e) {
                    return no("the point files' sizes: " + io.scasml.io.Messages.oneLine(e));
                }
                if (bytes > AUTO_MAX_BYTES) {
                    return no("the point files hold " + bytes + " bytes, above " + AUTO_MAX_BYTES);
                }
            }
        }
        return new InProcess(true, null, Redaction.text(master), threads);
    }

    /** The {@code spark} entry of summary.json for an in-process run. */
    SolveSummary.SparkInfo info() {
        return new SolveSummary.SparkInfo(null, master, null, threads, threads, threads, Map.of(), "local");
    }
}
