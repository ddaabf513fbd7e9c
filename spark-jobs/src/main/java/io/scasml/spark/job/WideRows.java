package io.scasml.spark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL with very wide rows. At d = 10⁴ the point files and the result rows have 10⁴ coordinate columns, for
 * which Spark generates and compiles (Janino) row projections of 10⁴ fields: measured on 2 loaded cores for 3
 * points, ≈ 130 s to write the rows as CSV, 72 s as Parquet and 64 s to read a 10 002-column Parquet file, against
 * ≈ 4 s for the rest of the run. A run whose dimension exceeds {@link #CODEGEN_MAX_FIELDS} therefore uses
 * interpreted projections ({@code spark.sql.codegen.factoryMode=NO_CODEGEN}, whole-stage code generation off):
 * slower per row, but the rows are query points — few — and nothing is compiled. The settings go into the session's
 * configuration (planning, on the driver) and into the driver thread's local properties (which the tasks of plain
 * RDD actions over a Dataset read their SQL configuration from); {@link #close} restores both.
 */
final class WideRows implements AutoCloseable {
    /** Runs of a larger dimension use interpreted projections. */
    static final int CODEGEN_MAX_FIELDS = 1000;

    private static final Map<String, String> SETTINGS = Map.of("spark.sql.codegen.factoryMode", "NO_CODEGEN",
        "spark.sql.codegen.wholeStage", "false");

    private final SparkSession spark;
    private final Map<String, String> confBefore = new LinkedHashMap<>();
    private final Map<String, String> localBefore = new LinkedHashMap<>();
    private final boolean active;

    private WideRows(SparkSession spark, boolean active) {
        this.spark = spark;
        this.active = active;
        if (!active) {
            return;
        }
        RuntimeConfig c = spark.conf();
        SparkContext sc = spark.sparkContext();
        for (Map.Entry<String, String> e : SETTINGS.entrySet()) {
            confBefore.put(e.getKey(), c.contains(e.getKey()) ? c.get(e.getKey()) : null);
            localBefore.put(e.getKey(), sc.getLocalProperty(e.getKey()));
            c.set(e.getKey(), e.getValue());
            sc.setLocalProperty(e.getKey(), e.getValue());
        }
    }

    /** Interpreted projections for the scope when {@code dim} exceeds {@link #CODEGEN_MAX_FIELDS}, else nothing. */
    static WideRows forDimension(SparkSession spark, int dim) {
        return new WideRows(spark, dim > CODEGEN_MAX_FIELDS);
    }

    /** Whether the scope changed the settings. */
    boolean active() {
        return active;
    }

    @Override
    public void close() {
        if (!active) {
            return;
        }
        RuntimeConfig c = spark.conf();
        SparkContext sc = spark.sparkContext();
        confBefore.forEach((k, v) -> {
            if (v == null) {
                c.unset(k);
            } else {
                c.set(k, v);
            }
        });
        localBefore.forEach(sc::setLocalProperty);
    }
}
