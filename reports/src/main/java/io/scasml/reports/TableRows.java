package io.scasml.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The 20 rows of the published SCaSML table (issue 14): VB with a PINN surrogate at d = 20, 40, 60, 80; VB with a
 * Gaussian-process surrogate at d = 20, 40, 60, 80; LCD at d = 10, 20, 30, 60; LQG and DR at d = 100, 120, 140, 160.
 * Each row names its catalog PDE, its dimension and the surrogate directory it needs under {@code --surrogates}.
 */
public final class TableRows {
    private TableRows() {
    }

    /**
     * One row of the table.
     *
     * @param key       the row's name and surrogate directory, e.g. {@code vb40}, {@code vb-gp20}
     * @param equation  the equation group of the plots: {@code VB-PINN}, {@code VB-GP}, {@code LCD}, {@code LQG},
     *                  {@code DR}
     * @param pde       the catalog PDE
     * @param dim       its dimension
     */
    public record Row(String key, String equation, String pde, int dim) {
        /** The reference's 10-run means of this row. */
        public ReferenceFigures.Case reference() {
            return ReferenceFigures.MEAN10.get(key);
        }

        /** The reference's single-run figures (full history), where published; else null. */
        public ReferenceFigures.Case singleRun() {
            return ReferenceFigures.FIGURES.get(key + "/full-history");
        }
    }

    /** The equation groups in table order. */
    public static final List<String> EQUATIONS = List.of("VB-PINN", "VB-GP", "LCD", "LQG", "DR");

    /** All 20 rows, in the published order. */
    public static final List<Row> ALL;

    static {
        List<Row> r = new ArrayList<>();
        for (int d : new int[] {20, 40, 60, 80}) {
            r.add(new Row("vb" + d, "VB-PINN", "vb", d));
        }
        for (int d : new int[] {20, 40, 60, 80}) {
            r.add(new Row("vb-gp" + d, "VB-GP", "vb", d));
        }
        for (int d : new int[] {10, 20, 30, 60}) {
            r.add(new Row("lcd" + d, "LCD", "lcd", d));
        }
        for (int d : new int[] {100, 120, 140, 160}) {
            r.add(new Row("lqg" + d, "LQG", "lqg", d));
        }
        for (int d : new int[] {100, 120, 140, 160}) {
            r.add(new Row("dr" + d, "DR", "dr", d));
        }
        ALL = List.copyOf(r);
    }

    /**
     * The rows named by {@code names}: row keys ({@code vb20}, {@code vb-gp40}), equation groups ({@code VB-PINN},
     * {@code lqg}; case-insensitive) or {@code all}, in table order without repeats.
     *
     * @throws IllegalArgumentException for a name that is none of these
     */
    public static List<Row> select(List<String> names) {
        List<Row> out = new ArrayList<>();
        for (String raw : names) {
            String n = raw.trim();
            List<Row> hit = new ArrayList<>();
            for (Row r : ALL) {
                if (n.equalsIgnoreCase("all") || r.key().equals(n.toLowerCase(Locale.ROOT))
                    || r.equation().equalsIgnoreCase(n)) {
                    hit.add(r);
                }
            }
            if (hit.isEmpty()) {
                throw new IllegalArgumentException("--rows: '" + n + "' is not a row of the table (e.g. vb40, vb-gp20,"
                    + " lcd30, lqg120, dr160), an equation (" + String.join(", ", EQUATIONS) + ") or all");
            }
            for (Row r : hit) {
                if (!out.contains(r)) {
                    out.add(r);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(ALL.indexOf(a), ALL.indexOf(b)));
        return out;
    }

    /** A row by key (for the budget study), or null. */
    public static Row byKey(String key) {
        for (Row r : ALL) {
            if (r.key().equals(key)) {
                return r;
            }
        }
        return null;
    }
}
