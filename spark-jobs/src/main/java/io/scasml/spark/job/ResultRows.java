package io.scasml.spark.job;

import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.TermPartial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The per-point output table: {@code id, t, x0..x{d-1}, u_surrogate, correction, u, std_error, ci_low, ci_high},
 * then {@code exact, abs_error} when the equation has an exact solution, then the evaluation counts
 * ({@link TermPartial#COUNT_NAMES}). Column names are a contract (issue 2): keep them stable.
 */
public final class ResultRows {
    private ResultRows() {
    }

    /** The schema for dimension d. */
    public static StructType schema(int d, boolean withExact) {
        return schema(d, withExact, false);
    }

    /**
     * The schema for dimension d; with {@code adaptive} (runs through the adaptive driver: a target or guarded
     * SCaSML) followed by {@link AdaptiveEstimate#COLUMN_NAMES}.
     */
    public static StructType schema(int d, boolean withExact, boolean adaptive) {
        StructType base = baseSchema(d, withExact);
        if (!adaptive) {
            return base;
        }
        List<StructField> f = new ArrayList<>(java.util.Arrays.asList(base.fields()));
        for (String c : AdaptiveEstimate.COLUMN_NAMES) {
            f.add(DataTypes.createStructField(c, adaptiveType(c), false));
        }
        return DataTypes.createStructType(f);
    }

    private static org.apache.spark.sql.types.DataType adaptiveType(String c) {
        return switch (c) {
            case "rounds" -> DataTypes.IntegerType;
            case "target_met" -> DataTypes.BooleanType;
            case "guard_carried_by" -> DataTypes.StringType;
            default -> DataTypes.DoubleType;
        };
    }

    /**
     * One output row of an adaptive run: {@link #row(PointEstimate, boolean, double)} of the reported estimate,
     * then {@link AdaptiveEstimate#columns()} ({@code guard_carried_by} is {@code none} when unguarded).
     */
    public static Row row(AdaptiveEstimate a, boolean withExact, double horizon) {
        Row r = row(a.estimate(), withExact, horizon);
        Map<String, Object> c = a.columns();
        Object[] v = new Object[r.length() + AdaptiveEstimate.COLUMN_NAMES.size()];
        for (int i = 0; i < r.length(); i++) {
            v[i] = r.get(i);
        }
        int i = r.length();
        for (String n : AdaptiveEstimate.COLUMN_NAMES) {
            Object x = c.get(n);
            if (n.equals("guard_carried_by") && "".equals(x)) {
                x = "none";
            }
            v[i++] = x;
        }
        return RowFactory.create(v);
    }

    private static StructType baseSchema(int d, boolean withExact) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("t", DataTypes.DoubleType, false));
        for (int k = 0; k < d; k++) {
            f.add(DataTypes.createStructField("x" + k, DataTypes.DoubleType, false));
        }
        for (String c : new String[] {"u_surrogate", "correction", "u", "std_error", "ci_low", "ci_high"}) {
            f.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
        }
        if (withExact) {
            f.add(DataTypes.createStructField("exact", DataTypes.DoubleType, false));
            f.add(DataTypes.createStructField("abs_error", DataTypes.DoubleType, false));
        }
        for (String c : TermPartial.COUNT_NAMES) {
            f.add(DataTypes.createStructField(c, DataTypes.LongType, false));
        }
        for (String c : DIAGNOSTICS) {
            f.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
        }
        f.add(DataTypes.createStructField("warn_noise", DataTypes.BooleanType, false));
        f.add(DataTypes.createStructField("warn_residual", DataTypes.BooleanType, false));
        return DataTypes.createStructType(f);
    }

    /**
     * Per-point diagnostics (ALGORITHM.md §10): the split-half estimate ‖zᵃ − zᵇ‖²/4 of the simulated gradient's total
     * variance, ‖z‖², their ratio, and the RMS of the surrogate's PDE residual along the sampled paths (SCaSML).
     */
    public static final String[] DIAGNOSTICS = {"grad_var_trace", "grad_norm2", "noise_ratio", "residual_rms"};

    /** One output row; {@code horizon} is the PDE's T (for the residual warning). */
    public static Row row(PointEstimate e, boolean withExact, double horizon) {
        int d = e.x().length;
        int nc = TermPartial.COUNT_NAMES.length;
        Object[] v = new Object[2 + d + 6 + (withExact ? 2 : 0) + nc + DIAGNOSTICS.length + 2];
        int i = 0;
        v[i++] = e.id();
        v[i++] = e.t();
        for (int k = 0; k < d; k++) {
            v[i++] = e.x()[k];
        }
        v[i++] = e.uSurrogate();
        v[i++] = e.correction();
        v[i++] = e.u();
        v[i++] = e.stdError();
        v[i++] = e.ciLow();
        v[i++] = e.ciHigh();
        if (withExact) {
            v[i++] = e.exact();
            v[i++] = e.error();
        }
        for (int k = 0; k < nc; k++) {
            v[i++] = e.counts()[k];
        }
        v[i++] = e.gradVarTrace();
        v[i++] = e.gradNorm2();
        v[i++] = e.noiseRatio();
        v[i++] = e.residualRms();
        java.util.List<String> w = e.warnings(horizon);
        v[i++] = w.stream().anyMatch(m -> m.contains("gradient noise"));
        v[i++] = w.stream().anyMatch(m -> m.contains("residual"));
        return RowFactory.create(v);
    }
}
