#!/usr/bin/env python3
"""Index of several `scasml bench table` runs (one per equation group, e.g. docs/report/table/<group>/):
one Markdown summary table of every row they ran — rel L2 mean per method, the reference's 10-run means, K, the
paired p-values and "goal met?" — with links to each run's report and plot.
Usage: scripts/table-index.py DIR [DIR ...] > docs/report/table/README.md"""
import json
import os
import sys

ORDER = ["vb20", "vb40", "vb60", "vb80", "vb-gp20", "vb-gp40", "vb-gp60", "vb-gp80", "lcd10", "lcd20", "lcd30",
         "lcd60", "lqg100", "lqg120", "lqg140", "lqg160", "dr100", "dr120", "dr140", "dr160"]


def g(v):
    return "—" if v is None else f"{v:.3g}"


def p(v):
    return "—" if v is None else (f"{v:.1e}" if v < 1e-4 else f"{v:.4f}")


def line(name, d, r, row):
    ref = [row[m]["reference_mean10_rel_l2"] for m in ("surrogate", "mlp", "scasml")]
    pv = [row[c].get("t_test_p") for c in ("paired_scasml_vs_surrogate", "paired_scasml_vs_mlp")]
    goal = row.get("goal_met")
    if "scasml_unguarded" in row:  # guarded SCaSML in "scasml", the unguarded estimator beside it
        guarded, unguarded = g(row["scasml"]["rel_l2"]["mean"]), g(row["scasml_unguarded"]["rel_l2"]["mean"])
        guarded = f"**{guarded}**"
    else:  # runs before the table reported the guard: "scasml" is the unguarded estimator
        guarded, unguarded = "not run", f"**{g(row['scasml']['rel_l2']['mean'])}**"
    return (f"| [{name}]({os.path.basename(d)}/report.md) | {r['seeds']} | {row['surrogate_training']} | "
            f"{g(row['surrogate']['rel_l2']['mean'])} | {g(row['mlp']['rel_l2']['mean'])} | "
            f"{guarded} | {unguarded} | {' / '.join(g(x) for x in ref)} | "
            f"{p(pv[0])} / {p(pv[1])} | {'yes' if goal else 'NO' if goal is not None else '—'} |")


def main(dirs):
    rows, runs = {}, []
    for d in dirs:
        r = json.load(open(os.path.join(d, "results.json")))
        runs.append((d, r))
        cmd = r["command"].split()
        tags = (["antithetic"] if "--antithetic" in cmd else []) + (
            [f"level-zero factor {cmd[cmd.index('--level-zero-factor') + 1]}"] if "--level-zero-factor" in cmd else [])
        anti = ", ".join(tags)
        for k, row in r["rows"].items():
            rows.setdefault(k, []).append((d, r, row, anti))
    out = ["# The published table, row by row (issue 14)", "",
           "One `scasml bench table` run per equation group (its own report, plot and exact command linked below);",
           "K is the number of seeds of that run (**fewer than the reference's 10** where K < 10: a 2-core machine",
           "shared with five other jobs, load average 15–30). Rel L2 means over the seeds; reference: the authors'",
           "10-run means. p: two-sided paired t test of SCaSML (guarded where run, else unguarded) against the surrogate / plain MLP (— for K = 1, where",
           "\"goal met?\" is NO by definition: a single seed cannot be significant). \"(antithetic)\": the run with",
           "`--antithetic` (antithetic Brownian pairs in every method's Monte Carlo terms; +58% evaluations at n = 2, M = 10,",
           "the inner-sample rule raising inner terms to 16 pairs); \"level-zero factor F\": `--level-zero-factor F`, F times the",
           "samples of the top-level terminal and level-0 terms (docs/algorithm.md §25). SCaSML: guarded (the `solve` default) where the run",
           "reports it (runs since the table reports the guard), with the unguarded estimator beside it; older runs: unguarded.", "",
           "| row | K | surrogate training | surrogate | MLP | SCaSML guarded | SCaSML unguarded | reference SR / MLP / SCaSML | p vs SR / vs MLP | goal met? |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for k in ORDER:
        if k not in rows:
            out.append(f"| {k} | 0 | not run | | | | | | | |")
            continue
        for d, r, row, anti in rows[k]:
            out.append(line(k + (f" ({anti})" if anti else ""), d, r, row))
    out += ["", "Runs:", ""]
    total = 0
    for d, r in runs:
        total += r["total_seconds"]
        out.append(f"- [{os.path.basename(d)}]({os.path.basename(d)}/report.md): `{r['command']}` — "
                   f"{r['total_seconds']:.0f} s, {r['threads']} threads, {r['machine'].get('cpu', '?')} × "
                   f"{r['machine'].get('cores', '?')} cores")
    out += ["", f"Total wall time of these runs: {total:.0f} s (the reference's per-row GPU times are in each report).",
            ""]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
