package io.scasml.spark.job;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

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
 * Run metrics as one Spark aggregation over the written output (never collected point by point), over the points
 * whose exact value is known (ALGORITHM.md §5):
 * <ul>
 *   <li>{@code rel_l2} = ‖u − exact‖₂ / ‖exact‖₂;</li>
 *   <li>{@code linf} = max |u − exact|; {@code l1} = mean |u − exact|;</li>
 *   <li>{@code ci95_coverage} = share of the points with a finite error bar whose [ci_low, ci_high] holds the exact
 *       value.</li>
 * </ul>
 * The same errors of the surrogate alone ({@code u_surrogate}) are reported when it is present, and evaluation
 * totals over all points.
 */
public final class Metrics {
    private Metrics() {
    }

    static Map<String, Object> compute(SparkSession spark, Path data, String format, StructType schema,
                                       boolean withExact) {
        Dataset<Row> df = format.equals("csv")
            ? spark.read().schema(schema).option("header", "true").csv(data.toString())
            : spark.read().parquet(data.toString());
        List<Column> a = new ArrayList<>();
        a.add(count(lit(1)));
        for (String c : TermPartial.COUNT_NAMES) {
            a.add(sum(col(c)));
        }
        Column se = col("std_error");
        Column hasSe = not(isnan(se));
        a.add(sum(when(hasSe, 0L).otherwise(1L)));
        a.add(sum(when(hasSe, se)));
        a.add(max(when(hasSe, se)));
        int dBase = a.size();
        a.add(sum(when(col("warn_noise"), 1L).otherwise(0L)));
        a.add(sum(when(col("warn_residual"), 1L).otherwise(0L)));
        a.add(org.apache.spark.sql.functions.percentile_approx(when(not(isnan(col("noise_ratio"))), col("noise_ratio")),
            lit(0.5), lit(10000)));
        a.add(org.apache.spark.sql.functions.avg(when(not(isnan(col("residual_rms"))), col("residual_rms"))));
        a.add(max(when(not(isnan(col("residual_rms"))), col("residual_rms"))));
        int base = a.size();
        if (withExact) {
            Column ex = not(isnan(col("exact"))).and(not(isnan(col("u"))));
            Column e = col("u").minus(col("exact"));
            a.add(sum(when(ex, 1L).otherwise(0L)));
            a.add(sum(when(ex, e.multiply(e))));
            a.add(sum(when(ex, col("exact").multiply(col("exact")))));
            a.add(max(when(ex, abs(e))));
            a.add(sum(when(ex, abs(e))));
            Column withBar = ex.and(hasSe);
            a.add(sum(when(withBar, 1L).otherwise(0L)));
            a.add(sum(when(withBar.and(col("exact").geq(col("ci_low"))).and(col("exact").leq(col("ci_high"))), 1L)
                .otherwise(0L)));
            Column sx = ex.and(not(isnan(col("u_surrogate"))));
            Column es = col("u_surrogate").minus(col("exact"));
            a.add(sum(when(sx, 1L).otherwise(0L)));
            a.add(sum(when(sx, es.multiply(es))));
            a.add(sum(when(sx, col("exact").multiply(col("exact")))));
            a.add(max(when(sx, abs(es))));
            a.add(sum(when(sx, abs(es))));
        }
        Row r = df.agg(a.get(0), a.subList(1, a.size()).toArray(new Column[0])).first();

        Map<String, Object> out = new LinkedHashMap<>();
        long n = r.getLong(0);
        out.put("points", n);
        Map<String, Object> ev = new LinkedHashMap<>();
        for (int k = 0; k < TermPartial.COUNT_NAMES.length; k++) {
            ev.put(TermPartial.COUNT_NAMES[k], r.isNullAt(1 + k) ? 0L : r.getLong(1 + k));
        }
        out.put("evaluations", ev);
        int i = 1 + TermPartial.COUNT_NAMES.length;
        long noBar = r.isNullAt(i) ? 0 : r.getLong(i);
        out.put("points_without_error_bar", noBar);
        Map<String, Object> se0 = new LinkedHashMap<>();
        se0.put("mean", n - noBar > 0 && !r.isNullAt(i + 1) ? r.getDouble(i + 1) / (n - noBar) : null);
        se0.put("max", r.isNullAt(i + 2) ? null : r.getDouble(i + 2));
        out.put("std_error", se0);
        Map<String, Object> diag = new LinkedHashMap<>();
        diag.put("points_warned_gradient_noise", r.isNullAt(dBase) ? 0L : r.getLong(dBase));
        diag.put("points_warned_residual", r.isNullAt(dBase + 1) ? 0L : r.getLong(dBase + 1));
        diag.put("median_noise_ratio", r.isNullAt(dBase + 2) ? null : r.getDouble(dBase + 2));
        diag.put("mean_residual_rms", r.isNullAt(dBase + 3) ? null : r.getDouble(dBase + 3));
        diag.put("max_residual_rms", r.isNullAt(dBase + 4) ? null : r.getDouble(dBase + 4));
        out.put("diagnostics", diag);
        out.put("metrics", null);
        out.put("surrogate_metrics", null);
        if (withExact) {
            long ne = r.getLong(base);
            if (ne > 0) {
                Map<String, Object> m = errors(ne, r.getDouble(base + 1), r.getDouble(base + 2), r.getDouble(base + 3),
                    r.getDouble(base + 4));
                long nb = r.getLong(base + 5);
                m.put("ci95_coverage", nb > 0 ? (double) r.getLong(base + 6) / nb : null);
                m.put("points_with_error_bar", nb);
                out.put("metrics", m);
            }
            long ns = r.getLong(base + 7);
            if (ns > 0) {
                out.put("surrogate_metrics", errors(ns, r.getDouble(base + 8), r.getDouble(base + 9),
                    r.getDouble(base + 10), r.getDouble(base + 11)));
            }
        }
        return out;
    }

    private static Map<String, Object> errors(long n, double se2, double ex2, double linf, double l1sum) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points_with_exact", n);
        m.put("rel_l2", Math.sqrt(se2 / ex2));
        m.put("linf", linf);
        m.put("l1", l1sum / n);
        return m;
    }
}
