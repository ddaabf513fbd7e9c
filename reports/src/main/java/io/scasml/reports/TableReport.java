package io.scasml.reports;

import io.scasml.kernels.picard.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of one {@code bench table} run, written into its output directory: {@code results.json} (every seed's
 * metrics, the summaries, the paired comparisons, the budget study, the total time), {@code table.md} (the tables),
 * {@code report.md} and {@code report.html} (tables, findings and plots, in sections) and the PNG plots.
 */
final class TableReport {
    private TableReport() {
    }

    /** A part of a report section. */
    sealed interface Part permits Para, Table, Bullets, Img {
    }

    /** A paragraph (plain text, Markdown inline code allowed). */
    record Para(String text) implements Part {
    }

    /** A Markdown pipe table. */
    record Table(String md) implements Part {
    }

    /** A bullet list. */
    record Bullets(List<String> items) implements Part {
    }

    /** A PNG in the same directory. */
    record Img(String file) implements Part {
    }

    /** A titled section. */
    record Section(String heading, List<Part> parts) {
    }

    private static final Method[] METHODS = {Method.SURROGATE, Method.MLP, Method.SCASML};

    private static ReferenceFigures.Row ref(ReferenceFigures.Case c, Method m) {
        if (c == null) {
            return null;
        }
        return m == Method.SURROGATE ? c.surrogate() : m == Method.MLP ? c.mlp() : c.scasml();
    }

    /** The goal of one row (issue 14), from the seed means and the paired comparisons. */
    record Goal(double scasml, double refScasml, boolean belowRef, boolean belowSurrogate, boolean belowMlp,
                PairedStats.Paired vsSurrogate, PairedStats.Paired vsMlp) {
        boolean significant() {
            return vsSurrogate.significantlyBelow(TableBenchCommand.ALPHA)
                && vsMlp.significantlyBelow(TableBenchCommand.ALPHA);
        }

        boolean met() {
            return belowRef && belowSurrogate && belowMlp && significant();
        }

        static Goal of(TableBenchCommand.RowResult r) {
            double sca = r.summary(Method.SCASML, Metrics::relL2).mean();
            double refSca = r.row().reference().scasml().relL2();
            return new Goal(sca, refSca, sca < refSca, sca < r.summary(Method.SURROGATE, Metrics::relL2).mean(),
                sca < r.summary(Method.MLP, Metrics::relL2).mean(), r.paired(Method.SURROGATE), r.paired(Method.MLP));
        }
    }

    static void write(TableBenchCommand cmd, Path dir, List<TableRows.Row> selected,
                      Map<String, TableBenchCommand.RowResult> done, List<String> skipped,
                      List<TableBenchCommand.BudgetPoint> budget, List<String> budgetNotes, double totalSeconds)
        throws IOException {
        int k = cmd.seeds();
        List<Section> sections = new ArrayList<>();
        List<Part> protocol = new ArrayList<>();
        if (k < 10) {
            protocol.add(new Para(String.format(Locale.ROOT, "**K = %d seed%s, not the 10 of the reference's means**:"
                + " %s", k, k == 1 ? "" : "s", k == 1 ? "every figure below is a single run, with no standard deviation"
                + " and no paired test (they need at least 2 seeds)." : "the standard deviations and the paired tests"
                + " have " + (k - 1) + " degree" + (k == 2 ? "" : "s") + " of freedom.")));
        }
        protocol.add(new Para(String.format(Locale.ROOT,
            "%d test points per seed (1/6 on the boundary), n = %d, M = %d, %s, no clipping; K = %d seeds: seed k draws"
                + " its points with seed S + k, plain MLP's streams from child(mix64(S + k), 1) and SCaSML's from"
                + " child(mix64(S + k), 2). Figures are mean ± standard deviation over the seeds. Reference: the"
                + " authors' 10-run means (rel L2 only) and, where published, their single-run SimpleUniform figures"
                + " (their GPU).", cmd.points(), cmd.levels(), cmd.base(), cmd.scheme(), k)));
        if (cmd.antithetic()) {
            protocol.add(new Para("Antithetic pairs (`--antithetic`): every Monte Carlo term of MLP and SCaSML uses"
                + " ⌈N/2⌉ pairs of Brownian increments (W, −W) in place of N independent paths (the inner-sample rule raises inner terms to 16 pairs: +58% evaluations at n = 2, M = 10; see the evaluations in results.json)."));
        }
        if (cmd.levelZeroFactor() > 1) {
            protocol.add(new Para(String.format(Locale.ROOT, "Level-zero factor (`--level-zero-factor %d`): the"
                + " top-level terminal and level-0 terms of MLP and SCaSML have %d·M^n samples (docs/algorithm.md §25);"
                + " the evaluations per point in results.json count them.", cmd.levelZeroFactor(),
                cmd.levelZeroFactor())));
        }
        sections.add(new Section("Protocol", List.copyOf(protocol)));

        // main table
        StringBuilder t = new StringBuilder("| row | surrogate training | method | rel L2 | L∞ | L1 | time (s) |"
            + " reference rel L2 (10-run mean) | reference single run rel L2 / L∞ / L1 / time (s) |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");
        for (TableRows.Row row : selected) {
            TableBenchCommand.RowResult r = done.get(row.key());
            if (r == null) {
                t.append(String.format(Locale.ROOT, "| %s (%s d=%d) | — | %s | | | | | %s | |%n",
                    row.key(), row.equation(), row.dim(), failed(skipped, row.key()) ? "FAILED (see below)"
                        : "skipped: surrogate absent", "SR " + g(row.reference().surrogate().relL2()) + " / MLP "
                        + g(row.reference().mlp().relL2()) + " / SCaSML " + g(row.reference().scasml().relL2())));
                continue;
            }
            for (Method m : METHODS) {
                ReferenceFigures.Row one = ref(row.singleRun(), m);
                String refOne = one == null ? "—" : String.format(Locale.ROOT, "%.3g / %.3g / %.3g / %.1f",
                    one.relL2(), one.linf(), one.l1(), one.seconds());
                String label = m == Method.SCASML ? String.format(Locale.ROOT, "scasml guarded (mean w %.2f)",
                    r.meanGuardWeight()) : m.label();
                t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.key(), r.provenance(), label, TableBenchCommand.pm(r.summary(m, Metrics::relL2)),
                    TableBenchCommand.pm(r.summary(m, Metrics::linf)), TableBenchCommand.pm(r.summary(m, Metrics::l1)),
                    TableBenchCommand.pm(r.summary(m, Metrics::seconds)), g(ref(row.reference(), m).relL2()),
                    m == Method.SCASML ? "—" : refOne));
                if (m == Method.SCASML) {
                    t.append(String.format(Locale.ROOT, "| %s | %s | scasml unguarded | %s | %s | %s | %s | %s | %s |%n",
                        row.key(), r.provenance(), TableBenchCommand.pm(r.unguardedSummary(Metrics::relL2)),
                        TableBenchCommand.pm(r.unguardedSummary(Metrics::linf)),
                        TableBenchCommand.pm(r.unguardedSummary(Metrics::l1)),
                        TableBenchCommand.pm(r.unguardedSummary(Metrics::seconds)), g(ref(row.reference(), m).relL2()),
                        refOne));
                }
            }
        }
        List<Part> main = new ArrayList<>();
        main.add(new Table(t.toString()));
        if (!skipped.isEmpty()) {
            main.add(new Bullets(skipped));
        }
        main.add(new Para("scasml guarded: the `solve` default (docs/algorithm.md §23.3) — SCaSML combined with an"
            + " independent plain-MLP estimate by a weight w fixed per point from a half-base pilot (w = 1: SCaSML"
            + " alone, w = 0: plain MLP alone), at the cost of both plus the pilots; scasml unguarded: the SCaSML"
            + " estimator alone (what the reference runs; its streams are those of the tables before the guard was"
            + " reported). The goal and the paired comparisons use the guarded figures; the unguarded ones are"
            + " paired too."));
        sections.add(new Section("Table (mean ± SD over " + k + " seeds)", main));

        // paired comparisons
        StringBuilder p = new StringBuilder("| row | comparison (rel L2) | mean difference | 95% CI (Student t, K−1"
            + " dof) | paired t test p | sign test: seeds below / above, exact p |\n|---|---|---|---|---|---|\n");
        StringBuilder goal = new StringBuilder("| row | SCaSML guarded rel L2 | reference SCaSML | below reference? |"
            + " below our surrogate? | below our MLP? | paired significant at 5% (vs surrogate, vs MLP)? |"
            + " goal met? |\n|---|---|---|---|---|---|---|---|\n");
        int met = 0;
        for (TableBenchCommand.RowResult r : done.values()) {
            for (boolean guarded : new boolean[] {true, false}) {
                for (Method other : new Method[] {Method.SURROGATE, Method.MLP}) {
                    PairedStats.Paired pr = guarded ? r.paired(other) : r.pairedUnguarded(other);
                    p.append(String.format(Locale.ROOT, "| %s | SCaSML%s − %s | %.3g | %s | %s | %d / %d, %s |%n",
                        r.row().key(), guarded ? "" : " unguarded", other.label(), pr.meanDiff(),
                        Double.isNaN(pr.ciLow()) ? "—"
                            : String.format(Locale.ROOT, "[%.3g, %.3g]", pr.ciLow(), pr.ciHigh()),
                        TableBenchCommand.pval(pr.tPValue()), pr.below(), pr.above(),
                        TableBenchCommand.pval(pr.signPValue())));
                }
            }
            Goal gl = Goal.of(r);
            if (gl.met()) {
                met++;
            }
            goal.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s, %s | **%s** |%n",
                r.row().key(), g(gl.scasml()), g(gl.refScasml()), yes(gl.belowRef()), yes(gl.belowSurrogate()),
                yes(gl.belowMlp()), yes(gl.vsSurrogate().significantlyBelow(TableBenchCommand.ALPHA)),
                yes(gl.vsMlp().significantlyBelow(TableBenchCommand.ALPHA)), gl.met() ? "yes" : "NO"));
        }
        sections.add(new Section("Paired comparisons over the seeds", List.of(new Para("SCaSML's (guarded unless"
            + " marked unguarded) rel L2 minus the"
            + " other method's, seed by seed (same points); negative = SCaSML better. Significant: mean difference"
            + " below 0 with two-sided paired t test p < 0.05 (the 95% interval entirely below 0)."),
            new Table(p.toString()))));
        sections.add(new Section("Goal", List.of(new Para(String.format(Locale.ROOT, "In every row: SCaSML's mean rel"
            + " L2 below the reference's SCaSML (10-run mean), below our surrogate's and our plain MLP's, and the"
            + " paired comparisons significant at 5%%. Met in %d of %d rows run (%d of the 20 rows skipped or not"
            + " selected).", met, done.size(), 20 - done.size())), new Table(goal.toString()))));

        // wall time
        StringBuilder w = new StringBuilder("| row | reference values (s, all seeds) | surrogate (s/seed) |"
            + " MLP (s/seed) | SCaSML guarded (s/seed) | SCaSML unguarded (s/seed) | row total (s) |"
            + " reference GPU single run SR / MLP / SCaSML (s) |\n"
            + "|---|---|---|---|---|---|---|---|\n");
        double oursKnown = 0;
        double refKnown = 0;
        for (TableBenchCommand.RowResult r : done.values()) {
            ReferenceFigures.Case one = r.row().singleRun();
            if (one != null) {
                refKnown += k * (one.surrogate().seconds() + one.mlp().seconds() + one.scasml().seconds());
                for (Method m : METHODS) {
                    oursKnown += r.summary(m, Metrics::seconds).mean() * k;
                }
                oursKnown += r.unguardedSummary(Metrics::seconds).mean() * k;
            }
            w.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %.1f | %s |%n", r.row().key(),
                r.exactSeconds(), TableBenchCommand.pm(r.summary(Method.SURROGATE, Metrics::seconds)),
                TableBenchCommand.pm(r.summary(Method.MLP, Metrics::seconds)),
                TableBenchCommand.pm(r.summary(Method.SCASML, Metrics::seconds)),
                TableBenchCommand.pm(r.unguardedSummary(Metrics::seconds)), r.seconds(),
                one == null ? "— (not published)" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f",
                    one.surrogate().seconds(), one.mlp().seconds(), one.scasml().seconds())));
        }
        String machine = Machine.oneLine() + ", " + cmd.commandThreads() + " threads";
        sections.add(new Section("Wall time", List.of(new Table(w.toString()), new Para(String.format(Locale.ROOT,
            "Total wall time of this run (%d rows × %d seeds, reference values, warm-up%s): **%.1f s (%.2f h)** on %s."
                + " The reference's published GPU times are single runs of vb20, lcd10, lqg100 and dr100 only: %s",
            done.size(), k, budget.isEmpty() ? "" : ", budget study", totalSeconds, totalSeconds / 3600, machine,
            refKnown > 0 ? String.format(Locale.ROOT, "%d runs of the rows run here that have them take %.0f s on"
                + " their GPU, ours %.0f s (methods only) on this machine.", k, refKnown, oursKnown)
                : "none of the rows run here has one.")))));

        // plots per equation
        List<Part> plots = new ArrayList<>();
        List<String> pngs = new ArrayList<>();
        for (String eq : TableRows.EQUATIONS) {
            List<TableRows.Row> group = new ArrayList<>();
            for (TableRows.Row r : selected) {
                if (r.equation().equals(eq)) {
                    group.add(r);
                }
            }
            if (group.isEmpty()) {
                continue;
            }
            List<Charts.Line> lines = new ArrayList<>();
            int color = 0;
            for (Method m : METHODS) {
                List<double[]> ours = new ArrayList<>();
                for (TableRows.Row r : group) {
                    TableBenchCommand.RowResult rr = done.get(r.key());
                    if (rr != null) {
                        PairedStats.Summary s = rr.summary(m, Metrics::relL2);
                        ours.add(new double[] {r.dim(), s.mean(), Double.isNaN(s.sd()) ? 0 : s.sd()});
                    }
                }
                lines.add(new Charts.Line((m == Method.SCASML ? "scasml guarded" : m.label()) + " (ours, ± SD)", col(ours, 0), col(ours, 1), col(ours, 2), false,
                    color));
                List<double[]> theirs = new ArrayList<>();
                for (TableRows.Row r : TableRows.ALL) {
                    if (r.equation().equals(eq)) {
                        theirs.add(new double[] {r.dim(), ref(r.reference(), m).relL2()});
                    }
                }
                lines.add(new Charts.Line(m.label() + " (reference)", col(theirs, 0), col(theirs, 1), null, true,
                    color));
                color++;
            }
            String png = "table-" + eq.toLowerCase(Locale.ROOT) + ".png";
            Charts.errorBarLines(eq + ": relative L2 against dimension (" + k + " seeds)", "dimension d",
                "relative L2", true, lines, dir.resolve(png));
            plots.add(new Img(png));
            pngs.add(png);
        }
        sections.add(new Section("Relative L2 against dimension", plots));

        // budget study
        Map<String, Object> budgetJson = new LinkedHashMap<>();
        if (!budget.isEmpty() || !budgetNotes.isEmpty()) {
            List<Part> bp = new ArrayList<>();
            bp.add(new Para("At budget f: unguarded SCaSML with the row's own (1×) surrogate and f times the simulation — the base"
                + " M raised (n fixed) until its measured evaluations per point are f times those at --base,"
                + " calibrated on 8 points — over the same seeds; beside it the PINN <row>-b<f> trained with f times"
                + " the compute, where present (the row's own surrogate at 1×)."));
            StringBuilder b = new StringBuilder("| row | budget | M | SCaSML evals/pt | SCaSML rel L2 | SCaSML time"
                + " (s/seed) | surrogate | surrogate rel L2 | reference PINN | reference SCaSML |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, List<TableBenchCommand.BudgetPoint>> byRow = new LinkedHashMap<>();
            for (TableBenchCommand.BudgetPoint q : budget) {
                byRow.computeIfAbsent(q.row().key(), x -> new ArrayList<>()).add(q);
                ReferenceFigures.Budget rb = ReferenceFigures.BUDGET.get(q.row().key());
                int idx = -1;
                if (rb != null) {
                    for (int i = 0; i < rb.budgets().length; i++) {
                        if (rb.budgets()[i] == q.factor()) {
                            idx = i;
                        }
                    }
                }
                b.append(String.format(Locale.ROOT, "| %s | %d× | %d | %.0f | %s | %s | %s | %s | %s | %s |%n",
                    q.row().key(), q.factor(), q.mBase(), q.evalsPerPoint(), TableBenchCommand.pm(q.scasml()),
                    TableBenchCommand.pm(q.scasmlSec()), q.surrogate() == null ? "absent" : q.surrogate(),
                    q.surrogateRelL2() == null ? "—" : TableBenchCommand.pm(q.surrogateRelL2()),
                    idx < 0 ? "—" : g(rb.pinn()[idx]), idx < 0 ? "—" : g(rb.scasml()[idx])));
            }
            bp.add(new Table(b.toString()));
            if (!budgetNotes.isEmpty()) {
                bp.add(new Bullets(budgetNotes));
            }
            for (Map.Entry<String, List<TableBenchCommand.BudgetPoint>> e : byRow.entrySet()) {
                List<double[]> sca = new ArrayList<>();
                List<double[]> sur = new ArrayList<>();
                List<Map<String, Object>> js = new ArrayList<>();
                for (TableBenchCommand.BudgetPoint q : e.getValue()) {
                    sca.add(new double[] {q.factor(), q.scasml().mean(), nz(q.scasml().sd())});
                    if (q.surrogateRelL2() != null) {
                        sur.add(new double[] {q.factor(), q.surrogateRelL2().mean(), nz(q.surrogateRelL2().sd())});
                    }
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("budget", q.factor());
                    j.put("base_m", q.mBase());
                    j.put("scasml_evaluations_per_point", q.evalsPerPoint());
                    j.put("scasml_rel_l2", q.scasml().toMap());
                    j.put("scasml_seconds", q.scasmlSec().toMap());
                    j.put("surrogate", q.surrogate());
                    j.put("surrogate_rel_l2", q.surrogateRelL2() == null ? null : q.surrogateRelL2().toMap());
                    js.add(j);
                }
                budgetJson.put(e.getKey(), js);
                List<Charts.Line> lines = new ArrayList<>();
                lines.add(new Charts.Line("SCaSML, f × simulation (ours, ± SD)", col(sca, 0), col(sca, 1), col(sca, 2),
                    false, 2));
                lines.add(new Charts.Line("PINN trained with f × compute (ours, ± SD)", col(sur, 0), col(sur, 1),
                    col(sur, 2), false, 0));
                ReferenceFigures.Budget rb = ReferenceFigures.BUDGET.get(e.getKey());
                if (rb != null) {
                    double[] x = new double[rb.budgets().length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rb.budgets()[i];
                    }
                    lines.add(new Charts.Line("SCaSML (reference)", x, rb.scasml(), null, true, 2));
                    lines.add(new Charts.Line("PINN (reference)", x, rb.pinn(), null, true, 0));
                }
                String png = "budget-" + e.getKey() + ".png";
                Charts.errorBarLines(e.getKey() + ": relative L2 against compute budget", "budget factor f",
                    "relative L2", true, lines, dir.resolve(png));
                bp.add(new Img(png));
                pngs.add(png);
            }
            sections.add(new Section("Compute-budget study", bp));
        }

        // results.json
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", cmd.commandLine());
        json.put("machine", Machine.describe());
        json.put("threads", cmd.commandThreads());
        json.put("seeds", k);
        json.put("total_seconds", totalSeconds);
        Map<String, Object> rowsJson = new LinkedHashMap<>();
        for (TableBenchCommand.RowResult r : done.values()) {
            Map<String, Object> rj = new LinkedHashMap<>();
            rj.put("equation", r.row().equation());
            rj.put("pde", r.row().pde());
            rj.put("dim", r.row().dim());
            rj.put("surrogate_dir", cmd.surrogateDir(r.row().key()).toString());
            rj.put("surrogate_training", r.provenance());
            rj.put("reference_values_seconds", r.exactSeconds());
            rj.put("seconds", r.seconds());
            for (Method m : METHODS) {
                Map<String, Object> mj = new LinkedHashMap<>();
                mj.put("rel_l2", r.summary(m, Metrics::relL2).toMap());
                mj.put("linf", r.summary(m, Metrics::linf).toMap());
                mj.put("l1", r.summary(m, Metrics::l1).toMap());
                mj.put("seconds", r.summary(m, Metrics::seconds).toMap());
                List<Object> per = new ArrayList<>();
                r.byMethod().get(m).forEach(x -> per.add(x.toMap()));
                mj.put("per_seed", per);
                ReferenceFigures.Row rr = ref(r.row().reference(), m);
                mj.put("reference_mean10_rel_l2", rr.relL2());
                rj.put(m.label(), mj);
            }
            Map<String, Object> uj = new LinkedHashMap<>();
            uj.put("rel_l2", r.unguardedSummary(Metrics::relL2).toMap());
            uj.put("linf", r.unguardedSummary(Metrics::linf).toMap());
            uj.put("l1", r.unguardedSummary(Metrics::l1).toMap());
            uj.put("seconds", r.unguardedSummary(Metrics::seconds).toMap());
            List<Object> perU = new ArrayList<>();
            r.unguarded().forEach(x -> perU.add(x.toMap()));
            uj.put("per_seed", perU);
            uj.put("reference_mean10_rel_l2", ref(r.row().reference(), Method.SCASML).relL2());
            rj.put("scasml_unguarded", uj);
            rj.put("scasml_guarded", true);
            rj.put("guard_weight_per_seed", r.guardWeights());
            rj.put("paired_scasml_vs_surrogate", r.paired(Method.SURROGATE).toMap());
            rj.put("paired_scasml_vs_mlp", r.paired(Method.MLP).toMap());
            rj.put("paired_scasml_unguarded_vs_surrogate", r.pairedUnguarded(Method.SURROGATE).toMap());
            rj.put("paired_scasml_unguarded_vs_mlp", r.pairedUnguarded(Method.MLP).toMap());
            Goal gl = Goal.of(r);
            rj.put("goal_met", gl.met());
            rowsJson.put(r.row().key(), rj);
        }
        json.put("rows", rowsJson);
        json.put("skipped", skipped);
        json.put("budget", budgetJson);
        json.put("budget_notes", budgetNotes);
        TableBenchCommand.json().writeValue(dir.resolve("results.json").toFile(), json);

        StringBuilder tables = new StringBuilder();
        for (Section s : sections) {
            for (Part part : s.parts()) {
                if (part instanceof Table tb) {
                    tables.append("### ").append(s.heading()).append("\n\n").append(tb.md()).append("\n");
                }
            }
        }
        Files.writeString(dir.resolve("table.md"), tables.toString());
        render(dir, "SCaSML published table, repeated over " + k + " seeds", cmd.commandLine(), machine, sections);
    }

    private static boolean failed(List<String> notes, String key) {
        return notes.stream().anyMatch(n -> n.startsWith("FAILED " + key + " "));
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String g(double v) {
        return TableBenchCommand.g3(v);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static double[] col(List<double[]> rows, int c) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[c];
        }
        return v;
    }

    /** Writes report.md and report.html from the sections. */
    static void render(Path dir, String title, String command, String machine, List<Section> sections)
        throws IOException {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("Command: `").append(command).append("`  \nMachine: ").append(machine).append("  \nDate: ")
            .append(Instant.now()).append("\n\n");
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
            .append(Report.esc(title)).append("</title><style>body{font-family:sans-serif;max-width:1200px;margin:auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}"
                + "img{max-width:100%}</style></head><body><h1>").append(Report.esc(title))
            .append("</h1><p>Command: <code>").append(Report.esc(command)).append("</code><br>Machine: ")
            .append(Report.esc(machine)).append("</p>");
        for (Section s : sections) {
            md.append("## ").append(s.heading()).append("\n\n");
            h.append("<h2>").append(Report.esc(s.heading())).append("</h2>");
            for (Part p : s.parts()) {
                if (p instanceof Para para) {
                    md.append(para.text()).append("\n\n");
                    h.append("<p>").append(Report.esc(para.text()).replace("**", "")).append("</p>");
                } else if (p instanceof Table tb) {
                    md.append(tb.md()).append("\n");
                    h.append(Report.tableHtml(tb.md().replace("**", "")));
                } else if (p instanceof Bullets bl) {
                    h.append("<ul>");
                    for (String b : bl.items()) {
                        md.append("- ").append(b).append("\n");
                        h.append("<li>").append(Report.esc(b)).append("</li>");
                    }
                    md.append("\n");
                    h.append("</ul>");
                } else if (p instanceof Img im) {
                    md.append("![").append(im.file()).append("](").append(im.file()).append(")\n\n");
                    h.append("<p><img src=\"").append(Report.esc(im.file())).append("\" alt=\"")
                        .append(Report.esc(im.file())).append("\"></p>");
                }
            }
        }
        h.append("</body></html>\n");
        Files.writeString(dir.resolve("report.md"), md.toString());
        Files.writeString(dir.resolve("report.html"), h.toString());
    }
}
