package io.scasml.spark.job;

import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.PointStatus;
import io.scasml.kernels.picard.TermPartial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The per-point output table, defined once: {@link #COLUMNS} lists every column (or family of columns) with its name,
 * Spark type, how its value is read from a {@link PointEstimate}, and its description. The Spark schema
 * ({@link #schema}), the row writer ({@link #row}), the names the metrics aggregate over and the column table of
 * {@code spark-jobs/README.md} ({@link #markdownTable}, kept equal by a test) all come from that list, so a new
 * column is one line there. Column names are a contract: keep them stable and add new ones at the end.
 */
public final class ResultColumns {
    private ResultColumns() {
    }

    /**
     * What the columns of one run depend on: the dimension, whether an exact solution exists, T, and whether the
     * coordinates {@code x0 … x{d-1}} are written ({@code solve --no-coordinates} leaves them out, keeping the id: at
     * d = 10⁴ they are most of the output's bytes).
     */
    public record Shape(int dim, boolean withExact, double horizon, boolean coordinates)
        implements java.io.Serializable {
        /** A shape with the coordinates. */
        public Shape(int dim, boolean withExact, double horizon) {
            this(dim, withExact, horizon, true);
        }
    }

    /** How many columns a descriptor stands for, and their names. */
    enum Family {
        /** One column. */
        ONE,
        /** One per coordinate: the name with {@code {k}} replaced by 0 … d−1. */
        PER_DIM,
        /** One column, present only when the equation has an exact solution. */
        WITH_EXACT,
        /** One per evaluation counter, named {@link TermPartial#COUNT_NAMES}. */
        COUNTS;

        int width(Shape s) {
            return switch (this) {
                case ONE -> 1;
                case PER_DIM -> s.coordinates() ? s.dim() : 0;
                case WITH_EXACT -> s.withExact() ? 1 : 0;
                case COUNTS -> TermPartial.COUNT_NAMES.length;
            };
        }

        String name(String pattern, int k) {
            return switch (this) {
                case PER_DIM -> pattern.replace("{k}", Integer.toString(k));
                case COUNTS -> TermPartial.COUNT_NAMES[k];
                default -> pattern;
            };
        }
    }

    /** Reads the value of column {@code k} of a family (0 for single columns) from an estimate. */
    @FunctionalInterface
    interface Reader extends java.io.Serializable {
        Object read(PointEstimate e, int k, Shape s);
    }

    /**
     * One column, or one family of columns.
     *
     * @param name        the column name; for a family, its pattern as the README shows it
     * @param type        the Spark type (never null values: NaN marks a missing number)
     * @param family      how many columns it stands for
     * @param reader      its value in one estimate
     * @param description one line for the README's column table
     */
    public record Column(String name, DataType type, Family family, Reader reader, String description)
        implements java.io.Serializable {
    }

    private static Column one(String name, DataType type, Function<PointEstimate, Object> f, String description) {
        return new Column(name, type, Family.ONE, (e, k, s) -> f.apply(e), description);
    }

    private static Column exact(String name, Function<PointEstimate, Object> f, String description) {
        return new Column(name, DataTypes.DoubleType, Family.WITH_EXACT, (e, k, s) -> f.apply(e), description);
    }

    private static final DataType D = DataTypes.DoubleType;

    /** Every column of {@code points.parquet} / {@code points.csv}, in order. */
    public static final List<Column> COLUMNS = List.of(
        one("id", DataTypes.LongType, PointEstimate::id, "query-point id (the input's `id` column, else the row's"
            + " ordinal)"),
        one("t", D, PointEstimate::t, "time t"),
        new Column("x{k}", D, Family.PER_DIM, (e, k, s) -> e.x()[k], "coordinates `x0` … `x{d-1}` (left out with"
            + " `--no-coordinates`)"),
        one("u_surrogate", D, PointEstimate::uSurrogate, "surrogate value û(t, x); NaN without a surrogate"),
        one("correction", D, PointEstimate::correction, "SCaSML correction ê (mlp: the MLP estimate itself;"
            + " surrogate: 0)"),
        one("u", D, PointEstimate::u, "the estimate of u(t, x); NaN when `status` is not `ok`"),
        one("std_error", D, PointEstimate::stdError, "its Monte Carlo standard error; 0 at t = T; NaN without an"
            + " error bar (a term with one sample, method surrogate, `status` not `ok`)"),
        one("ci_low", D, PointEstimate::ciLow, "u − q·std_error, q the exact 97.5% Student-t quantile at `dof`"),
        one("ci_high", D, PointEstimate::ciHigh, "u + q·std_error"),
        exact("exact", PointEstimate::exact, "exact or reference solution (only for equations that have one)"),
        exact("abs_error", PointEstimate::error, "\\|u − exact\\| (only with `exact`)"),
        new Column("{counts}", DataTypes.LongType, Family.COUNTS, (e, k, s) -> e.counts()[k],
            "evaluation counts of this point, by kind (`samples`: its Monte Carlo samples)"),
        one("grad_var_trace", D, PointEstimate::gradVarTrace, "split-half estimate ‖zᵃ − zᵇ‖²/4 of the total"
            + " variance of the simulated gradient (NaN if not estimable)"),
        one("grad_norm2", D, PointEstimate::gradNorm2, "‖z‖² of the estimated σ∇u"),
        one("noise_ratio", D, PointEstimate::noiseRatio, "grad_var_trace / grad_norm2 (NaN if not estimable)"),
        one("residual_rms", D, PointEstimate::residualRms, "RMS of the surrogate's PDE residual along the paths"
            + " (SCaSML; else NaN)"),
        one("probe_variance_share", D, PointEstimate::probeVarianceShare, "randomized Laplacian (`--laplacian"
            + " hutchinson:K\\|deflated:K`, K ≥ 2): the probes' estimated share of std_error² (their direct part, a"
            + " lower bound; docs/algorithm.md §24); NaN with the exact Laplacian, K = 1, at t = T or without an error"
            + " bar"),
        new Column("warn_noise", DataTypes.BooleanType, Family.ONE, (e, k, s) -> e.noiseRatio()
            > PointEstimate.NOISE_WARN_RATIO, "noise_ratio > " + PointEstimate.NOISE_WARN_RATIO
            + ": the gradient fed to F is mostly noise"),
        new Column("warn_residual", DataTypes.BooleanType, Family.ONE, (e, k, s) -> residualWarned(e, s.horizon()),
            "(T − t)·residual_rms > " + PointEstimate.RESIDUAL_WARN_SHARE + "·max(\\|u_surrogate\\|, 1)"),
        one("dof", D, PointEstimate::dof, "Welch–Satterthwaite degrees of freedom of u (+∞ at t = T, NaN without an"
            + " error bar)"),
        one("status", DataTypes.StringType, e -> e.status().label(), "`ok`, or why the values are NaN: "
            + Arrays.stream(PointStatus.values()).filter(p -> p != PointStatus.OK).map(p -> "`" + p.label() + "`")
                .collect(Collectors.joining(", "))));

    /**
     * A column of adaptive and guarded runs (a target, or guarded SCaSML: the runs of the engine's adaptive driver),
     * after {@link #COLUMNS}: one of {@link AdaptiveEstimate#columns()}.
     */
    public record AdaptiveColumn(String name, DataType type, String description) implements java.io.Serializable {
    }

    /** The adaptive and guard columns, in {@link AdaptiveEstimate#COLUMN_NAMES} order. */
    public static final List<AdaptiveColumn> ADAPTIVE_COLUMNS = List.of(
        new AdaptiveColumn("rounds", DataTypes.IntegerType, "rounds (independent replicates of the method) that went"
            + " into u"),
        new AdaptiveColumn("evaluations", D, "evaluations spent on the point by the cost model, pilots and the guard's"
            + " companion included"),
        new AdaptiveColumn("target_met", DataTypes.BooleanType, "std_error <= max(target_se, target_rel_se·\\|u\\|);"
            + " false without a target or when a cap stopped the point first"),
        new AdaptiveColumn("between_se", D, "between-replicate SE sd(u_r)/√R (NaN below 2 rounds): a check on the"
            + " pooled std_error"),
        new AdaptiveColumn("guard_weight", D, "guarded SCaSML: the weight w of SCaSML, fixed by a pilot on independent"
            + " streams; u = w·u_scasml + (1 − w)·u_mlp (NaN when unguarded)"),
        new AdaptiveColumn("u_scasml", D, "guarded: the SCaSML estimate (combined replicates)"),
        new AdaptiveColumn("se_scasml", D, "guarded: its standard error"),
        new AdaptiveColumn("u_mlp", D, "guarded: the plain-MLP estimate on independent streams (NaN where w = 1:"
            + " not run; `u_scasml`, `se_scasml` likewise where w = 0)"),
        new AdaptiveColumn("se_mlp", D, "guarded: its standard error"),
        new AdaptiveColumn("guard_carried_by", DataTypes.StringType, "`scasml` (w ≥ ½), `mlp`, or `none` when"
            + " unguarded"));

    /** The schema of one run's output; {@code adaptive}: followed by {@link #ADAPTIVE_COLUMNS}. */
    public static StructType schema(Shape s, boolean adaptive) {
        StructType base = schema(s);
        if (!adaptive) {
            return base;
        }
        List<StructField> f = new ArrayList<>(Arrays.asList(base.fields()));
        for (AdaptiveColumn c : ADAPTIVE_COLUMNS) {
            f.add(DataTypes.createStructField(c.name(), c.type(), false));
        }
        return DataTypes.createStructType(f);
    }

    /** One output row of an adaptive or guarded run: {@link #row} of the reported estimate, then the adaptive columns. */
    public static Row row(AdaptiveEstimate a, Shape s) {
        Row r = row(a.estimate(), s);
        java.util.Map<String, Object> c = a.columns();
        Object[] v = new Object[r.length() + ADAPTIVE_COLUMNS.size()];
        for (int i = 0; i < r.length(); i++) {
            v[i] = r.get(i);
        }
        int i = r.length();
        for (AdaptiveColumn col : ADAPTIVE_COLUMNS) {
            Object x = c.get(col.name());
            v[i++] = col.name().equals("guard_carried_by") && "".equals(x) ? "none" : x;
        }
        return RowFactory.create(v);
    }

    private static boolean residualWarned(PointEstimate e, double horizon) {
        return e.residualRms() * (horizon - e.t()) > PointEstimate.RESIDUAL_WARN_SHARE
            * Math.max(Math.abs(e.uSurrogate()), 1.0);
    }

    /** The schema of one run's output. */
    public static StructType schema(Shape s) {
        List<StructField> f = new ArrayList<>();
        for (Column c : COLUMNS) {
            for (int k = 0, w = c.family().width(s); k < w; k++) {
                f.add(DataTypes.createStructField(c.family().name(c.name(), k), c.type(), false));
            }
        }
        return DataTypes.createStructType(f);
    }

    /** One output row, in the order of {@link #schema}. */
    public static Row row(PointEstimate e, Shape s) {
        List<Object> v = new ArrayList<>(COLUMNS.size() + s.dim() + TermPartial.COUNT_NAMES.length);
        for (Column c : COLUMNS) {
            for (int k = 0, w = c.family().width(s); k < w; k++) {
                v.add(c.reader().read(e, k, s));
            }
        }
        return RowFactory.create(v.toArray());
    }

    /** The column with this name (a single column, not a family). */
    public static String name(String n) {
        for (Column c : COLUMNS) {
            if (c.name().equals(n) && c.family() != Family.PER_DIM && c.family() != Family.COUNTS) {
                return n;
            }
        }
        throw new IllegalArgumentException("no output column '" + n + "'");
    }

    /** The README's column table (between {@code <!-- columns:begin -->} and {@code <!-- columns:end -->}). */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| column | type | meaning |\n|---|---|---|\n");
        for (Column c : COLUMNS) {
            String n = c.family() == Family.COUNTS
                ? Arrays.stream(TermPartial.COUNT_NAMES).map(x -> "`" + x + "`").collect(Collectors.joining(" "))
                : c.family() == Family.PER_DIM ? "`x0` … `x{d-1}`" : "`" + c.name() + "`";
            b.append("| ").append(n).append(" | ").append(c.type().simpleString()).append(" | ")
                .append(c.description()).append(" |\n");
        }
        for (AdaptiveColumn c : ADAPTIVE_COLUMNS) {
            b.append("| `").append(c.name()).append("` | ").append(c.type().simpleString())
                .append(" | adaptive / guarded runs: ").append(c.description()).append(" |\n");
        }
        return b.toString();
    }

    /** Prints {@link #markdownTable()}, or with a README path, rewrites its table between the markers in place. */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 0) {
            System.out.print(markdownTable());
            return;
        }
        java.nio.file.Path p = java.nio.file.Path.of(args[0]);
        String text = java.nio.file.Files.readString(p);
        java.nio.file.Files.writeString(p, withTable(text));
    }

    static final String BEGIN = "<!-- columns:begin -->";
    static final String END = "<!-- columns:end -->";

    /** {@code text} with the part between the markers replaced by the generated table. */
    static String withTable(String text) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no " + BEGIN + " … " + END + " markers");
        }
        return text.substring(0, b + BEGIN.length()) + "\n" + markdownTable() + text.substring(e);
    }
}
