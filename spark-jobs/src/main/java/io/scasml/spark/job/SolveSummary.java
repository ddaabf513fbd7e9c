package io.scasml.spark.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json} of one solve run, as typed records serialised by Jackson ({@link Provenance#JSON}: field
 * names are the snake_case of the component names, in component order). Readers go by name; fields are only ever
 * added.
 *
 * @param format                         always {@code scasml-solve-summary}
 * @param formatVersion                  1
 * @param version                        the project version
 * @param gitCommit                      the source revision, or null
 * @param command                        always {@code solve}
 * @param runId                          this run's id (also in the output marker)
 * @param parameters                     the resolved request, secrets masked
 * @param seed                           root seed
 * @param pde                            the equation
 * @param method                         mlp, scasml or surrogate
 * @param spark                          the Spark application
 * @param points                         points written
 * @param groups                         point groups
 * @param workUnits                      groups × units per group
 * @param unitsPerGroup                  work units of one group
 * @param estimatedEvaluationsPerPoint   from the work plan
 * @param evaluations                    evaluation totals by counter
 * @param metrics                        errors of u over the ok points with an exact value (null if none)
 * @param metricsByMethod                the same, keyed by the method
 * @param surrogateMetrics               errors of the surrogate alone (absent without one)
 * @param stdError                       mean and max standard error over the ok points with an error bar
 * @param diagnostics                    per-point diagnostics summarised
 * @param statusCounts                   points by {@code status} (every status listed)
 * @param pointsNotFinite                points whose status is not ok (exit code 3 when above 0)
 * @param firstNotFiniteIds              the smallest ids of those (at most five)
 * @param timings                        phase wall times
 * @param wallSeconds                    the whole run
 * @param outputs                        what was written
 * @param warnings                       the warning lines printed
 * @param adaptive                       adaptive and guarded runs: targets, caps, rounds, points that met the target
 *                                       (absent for single-pass runs)
 * @param guard                          adaptive and guarded runs: whether the guard ran, points carried by MLP,
 *                                       weights
 * @param computePlan                    adaptive and guarded runs: {@code mode} fixed or auto, and the planner's
 *                                       choice and reason ({@code ComputePlanner.Choice.toMap()})
 * @param checkpoint                     adaptive and guarded runs: the checkpoint directory, the round resumed from
 */
public record SolveSummary(String format, int formatVersion, String version, String gitCommit, String command,
                           String runId, SolveSettings.Parameters parameters, long seed, PdeInfo pde, String method,
                           SparkInfo spark, long points, long groups, long workUnits, int unitsPerGroup,
                           double estimatedEvaluationsPerPoint, Map<String, Long> evaluations, Metrics.Errors metrics,
                           Map<String, Metrics.Errors> metricsByMethod,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Metrics.SurrogateErrors surrogateMetrics,
                           Metrics.StdError stdError, Metrics.Diagnostics diagnostics, Map<String, Long> statusCounts,
                           long pointsNotFinite, List<Long> firstNotFiniteIds, Timings timings, double wallSeconds,
                           Outputs outputs, List<String> warnings,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> adaptive,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> guard,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> computePlan,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> checkpoint) {

    /** The equation as the run used it. */
    public record PdeInfo(String name, int dim, double horizon, double sigma, boolean hasExact) {
    }

    /**
     * The Spark application (selected properties, secrets masked); {@code runner} is {@code spark}, or {@code local}
     * when the in-process runner ran the request without a SparkSession (then no version, no application id, no
     * properties, and the thread count as parallelism and partitions).
     */
    public record SparkInfo(String version, String master, String appId, int defaultParallelism, int planPartitions,
                            int reducePartitions, Map<String, String> conf, String runner) {
    }

    /** Phase wall times in seconds. */
    public record Timings(double sparkStartS, double readValidateS, double solveWriteS, double metricsS,
                          double totalS) {
    }

    /** The data file (relative to the output directory) and its format. */
    public record Outputs(String points, String format) {
    }
}
