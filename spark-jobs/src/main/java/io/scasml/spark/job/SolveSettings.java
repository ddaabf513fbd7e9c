package io.scasml.spark.job;

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
 */
public record SolveSettings(String pde, int dim, String points, String pointsFormat, String surrogate, String precision,
                            RunOptions options, String out, String format, boolean overwrite, String master,
                            Integer partitions, Map<String, String> sparkConf, FaultInjection faults,
                            boolean progress, String configFile, SolveLimits limits, String runId,
                            String logFile, io.scasml.pde.SpecLimits specLimits,
                            io.scasml.surrogate.SurrogateLimits surrogateLimits, boolean resume, String plan) {

    /**
     * Every parameter by its run-file name, for the provenance: credential-looking Spark properties and passwords in
     * URIs are masked ({@link Redaction}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("pde", Redaction.text(pde));
        m.put("dim", dim);
        m.put("points", Redaction.text(points));
        m.put("points_format", pointsFormat);
        m.put("surrogate", Redaction.text(surrogate));
        m.put("precision", precision);
        m.putAll(options.toMap());
        m.put("out", Redaction.text(out));
        m.put("format", format);
        m.put("overwrite", overwrite);
        m.put("master", Redaction.text(master));
        m.put("partitions", partitions);
        Map<String, String> conf = new LinkedHashMap<>();
        Redaction.map(sparkConf).forEach((k, v) -> conf.put(k, Redaction.text(v)));
        m.put("conf", conf);
        m.put("config", Redaction.text(configFile));
        m.put("limits", limits.toMap());
        m.put("resume", resume);
        m.put("plan", plan);
        if (faults.active()) {
            m.put("inject_failures", faults.toString());
        }
        return m;
    }
}
