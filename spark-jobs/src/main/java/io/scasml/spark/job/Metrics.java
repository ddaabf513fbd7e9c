package io.scasml.spark.job;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.scasml.kernels.picard.PointStatus;
import io.scasml.kernels.picard.TermPartial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Run metrics as one Spark aggregation over the written output (never collected point by point). Errors are taken
 * over the points whose {@code status} is {@code ok} and whose exact value is known (docs/algorithm.md):
 * <ul>
 *   <li>{@code rel_l2} = ‖u − exact‖₂ / ‖exact‖₂;</li>
 *   <li>{@code linf} = max |u − exact|; {@code l1} = mean |u − exact|;</li>
 *   <li>{@code ci95_coverage} = share of the points with a finite error bar whose [ci_low, ci_high] holds the exact
 *       value.</li>
 * </ul>
 * The same errors of the surrogate alone ({@code u_surrogate}) are reported when it is present, evaluation totals
 * over all points, and the number of points of each {@code status}. Column names come from {@link ResultColumns}.
 */
public final class Metrics {
    /** What the errors are taken over (written into every error record). */
    public static final String OVER = "points with status ok and a finite exact value";
    /** How many non-finite point ids the summary and the warning name. */
    static final int FIRST_IDS = 5;

    private Metrics() {
    }

    /**
     * Errors of the estimate u against the exact solution.
     *
     * @param pointsWithExact    points the errors are taken over
     * @param relL2              ‖u − exact‖₂ / ‖exact‖₂
     * @param linf               max |u − exact|
     * @param l1                 mean |u − exact|
     * @param ci95Coverage       share of the points with an error bar whose interval holds the exact value (null if
     *                           none has one)
     * @param pointsWithErrorBar points with a finite error bar
     * @param over               which points the errors are taken over ({@link #OVER})
     */
    public record Errors(long pointsWithExact, double relL2, double linf, double l1, Double ci95Coverage,
                         long pointsWithErrorBar, String over) {
    }

    /** The same errors of the surrogate alone (u_surrogate), over the same points. */
    public record SurrogateErrors(long pointsWithExact, double relL2, double linf, double l1, String over) {
    }

    /** Mean and max of the finite standard errors (null when there are none). */
    public record StdError(Double mean, Double max) {
    }

    /** Per-point diagnostics, summed or summarised over the points. */
    public record Diagnostics(long pointsWarnedGradientNoise, long pointsWarnedResidual, Double medianNoiseRatio,
                              Double meanResidualRms, Double maxResidualRms) {
    }

    /**
     * What one aggregation gives.
     *
     * @param points                all points written
     * @param evaluations           evaluation totals by counter name
     * @param pointsWithoutErrorBar ok points whose std_error is NaN
     * @param stdError              over the ok points with an error bar
     * @param diagnostics           over the points where they are finite
     * @param metrics               errors of u (null without an exact solution or without ok points)
     * @param surrogateMetrics      errors of u_surrogate (null likewise, or without a surrogate)
     * @param statusCounts          points by status label, every label present
     * @param pointsNotFinite       points whose status is not ok
     * @param firstNotFinite        the smallest ids of those (at most {@link #FIRST_IDS})
     */
    public record Result(long points, Map<String, Long> evaluations, long pointsWithoutErrorBar, StdError stdError,
                         Diagnostics diagnostics, Errors metrics, SurrogateErrors surrogateMetrics,
                         Map<String, Long> statusCounts, long pointsNotFinite, List<Long> firstNotFinite) {
    }

    static Result compute(SparkSession spark, Path data, String format, StructType schema, boolean withExact) {
        Dataset<Row> df = format.equals("csv")
            ? spark.read().schema(schema).option("header", "true").csv(data.toString())
            : spark.read().parquet(data.toString());
        Column ok = col(ResultColumns.name("status")).equalTo(PointStatus.OK.label());
        List<Column> a = new ArrayList<>();
        a.add(count(lit(1)));
        for (String c : TermPartial.COUNT_NAMES) {
            a.add(sum(col(c)));
        }
        Column se = col(ResultColumns.name("std_error"));
        Column hasSe = ok.and(not(isnan(se)));
        a.add(sum(when(ok.and(isnan(se)), 1L).otherwise(0L)));
        a.add(sum(when(hasSe, se)));
        a.add(max(when(hasSe, se)));
        int dBase = a.size();
        Column noise = col(ResultColumns.name("noise_ratio"));
        Column res = col(ResultColumns.name("residual_rms"));
        a.add(sum(when(col(ResultColumns.name("warn_noise")), 1L).otherwise(0L)));
        a.add(sum(when(col(ResultColumns.name("warn_residual")), 1L).otherwise(0L)));
        a.add(percentile_approx(when(not(isnan(noise)), noise), lit(0.5), lit(10000)));
        a.add(avg(when(not(isnan(res)), res)));
        a.add(max(when(not(isnan(res)), res)));
        int sBase = a.size();
        PointStatus[] statuses = PointStatus.values();
        for (PointStatus p : statuses) {
            a.add(sum(when(col(ResultColumns.name("status")).equalTo(p.label()), 1L).otherwise(0L)));
        }
        int base = a.size();
        if (withExact) {
            Column exact = col(ResultColumns.name("exact"));
            Column u = col(ResultColumns.name("u"));
            Column us = col(ResultColumns.name("u_surrogate"));
            Column ex = ok.and(not(isnan(exact))).and(not(isnan(u)));
            Column e = u.minus(exact);
            a.add(sum(when(ex, 1L).otherwise(0L)));
            a.add(sum(when(ex, e.multiply(e))));
            a.add(sum(when(ex, exact.multiply(exact))));
            a.add(max(when(ex, abs(e))));
            a.add(sum(when(ex, abs(e))));
            Column withBar = ex.and(not(isnan(se)));
            a.add(sum(when(withBar, 1L).otherwise(0L)));
            a.add(sum(when(withBar.and(exact.geq(col(ResultColumns.name("ci_low"))))
                .and(exact.leq(col(ResultColumns.name("ci_high")))), 1L).otherwise(0L)));
            Column sx = ok.and(not(isnan(exact))).and(not(isnan(us)));
            Column es = us.minus(exact);
            a.add(sum(when(sx, 1L).otherwise(0L)));
            a.add(sum(when(sx, es.multiply(es))));
            a.add(sum(when(sx, exact.multiply(exact))));
            a.add(max(when(sx, abs(es))));
            a.add(sum(when(sx, abs(es))));
        }
        Row r = df.agg(a.get(0), a.subList(1, a.size()).toArray(new Column[0])).first();

        long n = r.getLong(0);
        Map<String, Long> ev = new LinkedHashMap<>();
        for (int k = 0; k < TermPartial.COUNT_NAMES.length; k++) {
            ev.put(TermPartial.COUNT_NAMES[k], longOr0(r, 1 + k));
        }
        int i = 1 + TermPartial.COUNT_NAMES.length;
        long noBar = longOr0(r, i);
        long withBarN = 0;
        Map<String, Long> byStatus = new LinkedHashMap<>();
        long notFinite = 0;
        for (int k = 0; k < statuses.length; k++) {
            long c = longOr0(r, sBase + k);
            byStatus.put(statuses[k].label(), c);
            if (statuses[k] != PointStatus.OK) {
                notFinite += c;
            } else {
                withBarN = c - noBar;
            }
        }
        StdError se0 = new StdError(withBarN > 0 && !r.isNullAt(i + 1) ? r.getDouble(i + 1) / withBarN : null,
            doubleOrNull(r, i + 2));
        Diagnostics diag = new Diagnostics(longOr0(r, dBase), longOr0(r, dBase + 1), doubleOrNull(r, dBase + 2),
            doubleOrNull(r, dBase + 3), doubleOrNull(r, dBase + 4));
        Errors metrics = null;
        SurrogateErrors surrogate = null;
        if (withExact) {
            long ne = r.getLong(base);
            if (ne > 0) {
                long nb = r.getLong(base + 5);
                metrics = new Errors(ne, Math.sqrt(r.getDouble(base + 1) / r.getDouble(base + 2)),
                    r.getDouble(base + 3), r.getDouble(base + 4) / ne,
                    nb > 0 ? (double) r.getLong(base + 6) / nb : null, nb, OVER);
            }
            long ns = r.getLong(base + 7);
            if (ns > 0) {
                surrogate = new SurrogateErrors(ns, Math.sqrt(r.getDouble(base + 8) / r.getDouble(base + 9)),
                    r.getDouble(base + 10), r.getDouble(base + 11) / ns, OVER);
            }
        }
        List<Long> first = List.of();
        if (notFinite > 0) {
            String id = ResultColumns.name("id");
            first = df.filter(not(ok)).select(col(id)).orderBy(col(id)).limit(FIRST_IDS).collectAsList().stream()
                .map(x -> x.getLong(0)).toList();
        }
        return new Result(n, ev, noBar, se0, diag, metrics, surrogate, byStatus, notFinite, first);
    }

    private static long longOr0(Row r, int i) {
        return r.isNullAt(i) ? 0L : r.getLong(i);
    }

    private static Double doubleOrNull(Row r, int i) {
        return r.isNullAt(i) ? null : r.getDouble(i);
    }
}
