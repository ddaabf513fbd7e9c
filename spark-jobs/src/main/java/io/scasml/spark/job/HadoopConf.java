package io.scasml.spark.job;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The Hadoop configuration a run uses for every user input and output, built the way Spark builds its own: the
 * Hadoop defaults and site files on the class path, then every {@code spark.hadoop.KEY=VALUE} of the Spark
 * configuration copied in as {@code KEY=VALUE}. So the surrogate, the spec and the run file see the same credentials
 * and endpoints as the points reader, and they can be checked before the SparkSession starts.
 */
public final class HadoopConf {
    /** The prefix Spark strips when it copies properties into its Hadoop configuration. */
    public static final String PREFIX = "spark.hadoop.";

    private HadoopConf() {
    }

    /**
     * The Hadoop configuration of a Spark configuration: the session's own when one is already running (it may hold
     * settings made after start), else a new one with every {@code spark.hadoop.*} property copied in.
     */
    public static Configuration of(SparkConf conf) {
        SparkSession running = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
            : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (running != null) {
            return new Configuration(running.sparkContext().hadoopConfiguration());
        }
        Configuration h = new Configuration();
        for (Tuple2<String, String> e : conf.getAll()) {
            if (e._1().startsWith(PREFIX) && e._1().length() > PREFIX.length()) {
                h.set(e._1().substring(PREFIX.length()), e._2(), "spark.hadoop (scasml)");
            }
        }
        return h;
    }

    /**
     * The Hadoop configuration for extra Spark properties given before a run is set up (e.g. to read the run file):
     * the JVM's {@code spark.*} system properties (what spark-submit passes) with {@code extra} over them.
     */
    public static Configuration of(Map<String, String> extra) {
        SparkConf c = new SparkConf();
        if (extra != null) {
            extra.forEach(c::set);
        }
        return of(c);
    }
}
