package io.scasml.spark.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.scasml.io.Redaction;
import io.scasml.kernels.picard.RunOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fully resolved {@code solve} request (flags over run file over defaults), as the job sees it.
 *
 * @param pde            catalog name (or spec path, once pde-specs lands)
 * @param dim            spatial dimension (0: the spec's default)
 * @param points         {@code sample:N} or a Hadoop path (file, directory or glob)
 * @param pointsFormat   {@code auto|csv|parquet|jsonl}
 * @param surrogate      surrogate location, or null
 * @param precision      surrogate kernel precision, fp64 or fp32
 * @param options        engine options
 * @param out            output directory (Hadoop path)
 * @param format         {@code parquet|csv}
 * @param overwrite      replace an existing output
 * @param master         Spark master URL, or null to keep the one spark-submit set (else {@code local[*]})
 * @param partitions     partitions of the work plan, or null for the default
 * @param sparkConf      extra Spark properties
 * @param faults         test-only fault injection
 * @param progress       print the progress line on stderr
 * @param configFile     the run file the values came from, or null
 * @param limits         upper bounds on the request and its inputs
 * @param runId          this run's id (staging directory, log file, summary.json)
 * @param logFile        where Spark's logging goes (chosen by the user), or null for the run's scratch log
 * @param specLimits     bounds on a spec file and its expressions (pde-specs)
 * @param surrogateLimits bounds on a surrogate directory (surrogate-loader)
 * @param resume         continue from the checkpoint beside the output (adaptive driver runs)
 * @param plan           {@code fixed} (the requested n, M) or {@code auto} (the compute planner, with a target)
 * @param coordinates    write the coordinates x0..x{d-1} in the result rows ({@code --no-coordinates}: false)
 * @param runner         {@code auto}, {@code spark} or {@code local} (the in-process runner: {@link InProcess})
 */
public record SolveSettings(String pde, int dim, String points, String pointsFormat, String surrogate, String precision,
                            RunOptions options, String out, String format, boolean overwrite, String master,
                            Integer partitions, Map<String, String> sparkConf, FaultInjection faults,
                            boolean progress, String configFile, SolveLimits limits, String runId,
                            String logFile, io.scasml.pde.SpecLimits specLimits,
                            io.scasml.surrogate.SurrogateLimits surrogateLimits, boolean resume, String plan,
                            boolean coordinates, String runner) {

    /**
     * The {@code parameters} of summary.json: every parameter by its run-file name, the estimator options inline by
     * their provenance keys.
     */
    public record Parameters(String runId, String pde, int dim, String points, String pointsFormat, String surrogate,
                             String precision, @JsonUnwrapped Provenance.EstimatorFields options, String out,
                             String format, boolean overwrite, String master, Integer partitions,
                             Map<String, String> conf, String config, Map<String, Long> limits,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String injectFailures, boolean resume,
                             String plan, boolean coordinates, String runner) {
    }

    /**
     * Every parameter by its run-file name, for the provenance: credential-looking Spark properties and passwords in
     * URIs are masked ({@link Redaction}).
     */
    public Parameters parameters() {
        Map<String, String> conf = new LinkedHashMap<>();
        Redaction.map(sparkConf).forEach((k, v) -> conf.put(k, Redaction.text(v)));
        return new Parameters(runId, Redaction.text(pde), dim, Redaction.text(points), pointsFormat,
            Redaction.text(surrogate), precision, Provenance.EstimatorFields.of(options), Redaction.text(out), format,
            overwrite, Redaction.text(master), partitions, conf, Redaction.text(configFile), limits.toMap(),
            faults.active() ? faults.toString() : null, resume, plan, coordinates, runner);
    }

    /** The prefix of generated points, {@code sample:N}. */
    static final String SAMPLE_PREFIX = "sample:";

    /** Whether the points are generated ({@code sample:N}) rather than read from a path. */
    boolean sampled() {
        return points.startsWith(SAMPLE_PREFIX);
    }

    /**
     * N of {@code sample:N} as given, not yet range-checked.
     *
     * @throws NumberFormatException when N is not an int
     */
    int sampleCount() {
        return Integer.parseInt(points.substring(SAMPLE_PREFIX.length()).trim());
    }
}
