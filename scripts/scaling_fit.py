#!/usr/bin/env python3
"""scaling_fit.py OUT — fits the scaling model of docs/scaling.md to the runs scripts/bench-scaling left in OUT.

    wall = start + tasks * overhead + work_units * cost / min(executors, cores)

overhead (s per task): slope of wall against the task count of the tiny runs (same work, more tasks, one executor);
cost (s per work unit on one core): slope of (wall - tasks * overhead) against the work units of the one-executor
SCaSML runs; start: that fit's intercept. The 2- and 3-executor runs test the model. Task counts and task times come
from each run's Spark event log, work units from its summary.json, the driver's live heap from its GC log.
Writes OUT/model.json and OUT/report.md; standard library only.
"""
import glob
import json
import math
import os
import re
import sys


def ols(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    icpt = my - slope * mx
    res = [y - (icpt + slope * x) for x, y in zip(xs, ys)]
    # standard error of the slope (n - 2 degrees of freedom; n = 3 gives a rough one)
    se = math.sqrt(sum(r * r for r in res) / (n - 2) / sxx) if n > 2 else float("nan")
    return slope, icpt, se


def events(path):
    # one application per directory: a plain event log, or Spark 4's rolling eventlog_v2_*/events_N_* files
    files = [f for f in glob.glob(os.path.join(path, "**"), recursive=True) if os.path.isfile(f)
             and not os.path.basename(f).startswith("appstatus") and not f.endswith(".inprogress.crc")]
    apps = {os.path.dirname(f) if "eventlog_v2_" in f else f for f in files}
    if len(apps) != 1:
        raise SystemExit(f"scaling_fit: expected one event log in {path}, found {sorted(apps)}")
    files.sort(key=lambda f: int(re.match(r"events_(\d+)_", os.path.basename(f)).group(1))
               if re.match(r"events_(\d+)_", os.path.basename(f)) else 0)
    tasks, run_ms, span_ms, deser_ms, cpu_ns, deser_cpu_ns = 0, 0, 0, 0, 0, 0
    stages = []
    lines = (line for fn in files for line in open(fn, encoding="utf-8"))
    if True:
        for line in lines:
            e = json.loads(line)
            ev = e.get("Event")
            if ev == "SparkListenerTaskEnd":
                tasks += 1
                info, m = e["Task Info"], e.get("Task Metrics") or {}
                span_ms += info["Finish Time"] - info["Launch Time"]
                run_ms += m.get("Executor Run Time", 0)
                deser_ms += m.get("Executor Deserialize Time", 0)
                cpu_ns += m.get("Executor CPU Time", 0)
                deser_cpu_ns += m.get("Executor Deserialize CPU Time", 0)
            elif ev == "SparkListenerStageCompleted":
                stages.append(e["Stage Info"]["Number of Tasks"])
    return {"tasks": tasks, "task_run_s": run_ms / 1e3, "task_span_s": span_ms / 1e3,
            "task_deserialize_s": deser_ms / 1e3, "task_cpu_s": cpu_ns / 1e9,
            "task_deserialize_cpu_s": deser_cpu_ns / 1e9, "stages": stages}


def live_heap_mb(path):
    """Largest heap after a requested full GC ("Pause Full (Diagnostic Command) 80M->41M(256M)", from jcmd
    GC.run): the driver's live set at that moment; the largest over the run."""
    best = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.search(r"Pause Full \((?:Diagnostic Command|System\.gc\(\))\) (\d+)M->(\d+)M", line)
            if m:
                best = max(best or 0, int(m.group(2)))
    return best


def main(out):
    cores = os.cpu_count()
    runs = []
    with open(os.path.join(out, "runs.tsv"), encoding="utf-8") as f:
        for line in f:
            name, e, wall = line.rstrip("\n").split("\t")
            if name == "warmup":
                continue
            s = json.load(open(os.path.join(out, "runs", name, "summary.json"), encoding="utf-8"))
            r = {"name": name, "executors": int(e), "wall_s": float(wall), "points": s["points"],
                 "work_units": s["work_units"], "units_per_group": s["units_per_group"],
                 "timings": s["timings"]}
            r.update(events(os.path.join(out, "events", name)))
            gc = os.path.join(out, "gc", name + ".log")
            if os.path.exists(gc):
                r["driver_live_heap_mb"] = live_heap_mb(gc)
            runs.append(r)
    by = lambda p: [r for r in runs if r["name"].startswith(p)]
    tiny1, work1 = by("tiny-e1-"), by("work-e1-")
    overhead, tiny_icpt, overhead_se = ols([r["tasks"] for r in tiny1], [r["wall_s"] for r in tiny1])
    cost, start, cost_se = ols([r["work_units"] for r in work1],
                               [r["wall_s"] - overhead * r["tasks"] for r in work1])
    # task-time view from the event logs: what a task costs on the executor beyond its own run time
    exec_side = sum(r["task_span_s"] - r["task_run_s"] for r in tiny1) / sum(r["tasks"] for r in tiny1)
    # the same two slopes in executor CPU seconds (task threads' CPU time from the event logs): what a task and a
    # unit cost on a core of their own, whatever else the machine runs
    cpu_overhead, _, cpu_overhead_se = ols([r["tasks"] for r in tiny1],
                                           [r["task_cpu_s"] + r["task_deserialize_cpu_s"] for r in tiny1])
    cpu_cost, _, cpu_cost_se = ols([r["work_units"] for r in work1],
                                   [r["task_cpu_s"] + r["task_deserialize_cpu_s"] for r in work1])
    load_factor = cost / cpu_cost
    # the same work on 1, 2, 3 executors: the task CPU it takes (work is not duplicated; what an executor adds —
    # its JIT warm-up, broadcast and surrogate load — is the slope)
    big = sorted([r for r in runs if r["name"].startswith("work-") and r["points"] == max(x["points"] for x in work1)],
                 key=lambda r: r["executors"])
    per_exec_cpu = ols([r["executors"] for r in big], [r["task_cpu_s"] + r["task_deserialize_cpu_s"] for r in big])[0] \
        if len(big) >= 2 else None
    # tasks against plan partitions (tiny runs: every stage has P tasks when the groups >= P)
    parts = [int(re.search(r"-p(\d+)$", r["name"]).group(1)) for r in tiny1]
    per_part, fixed_tasks, _ = ols(parts, [r["tasks"] for r in tiny1])

    def predict(r):
        if r["name"].startswith("tiny-"):
            # tiny units are not README-case units: their (negligible) work is in the tiny fit's intercept
            return tiny_icpt + overhead * r["tasks"]
        return start + overhead * r["tasks"] + cost * r["work_units"] / min(r["executors"], cores)

    for r in runs:
        r["predicted_s"] = predict(r) if not r["name"].startswith("heap") else None

    # projection: 10^6 points on 100 cores, the README case (64 points per unit, default 4 partitions per slot)
    upg = work1[0]["units_per_group"]
    n, c = 10 ** 6, 100
    units = math.ceil(n / 64) * upg
    p_default = 4 * c
    tasks = per_part * p_default + fixed_tasks + max(c, n // 65536)
    compute = cost * units / c
    wall_serial = start + overhead * tasks + compute
    wall_parallel = start + overhead * tasks / c + compute
    cpu_compute = cpu_cost * units / c
    wall_dedicated = start + cpu_overhead * tasks + cpu_compute
    unit_per_task_min = math.ceil(1.0 / cost)
    max_parts = int(units * cost)  # partitions at which a task holds 1 s of work
    cpu_unit_per_task_min = math.ceil(1.0 / cpu_cost)
    cpu_max_parts = int(units * cpu_cost)
    heap = sorted([r for r in runs if "driver_live_heap_mb" in r], key=lambda r: r["points"])
    heap_per_point = None
    if len(heap) >= 2 and heap[0]["driver_live_heap_mb"] is not None and heap[-1]["driver_live_heap_mb"] is not None:
        heap_per_point = ((heap[-1]["driver_live_heap_mb"] - heap[0]["driver_live_heap_mb"]) * 2 ** 20
                          / (heap[-1]["points"] - heap[0]["points"]))
        heap_resolution = 2 ** 20 / (heap[-1]["points"] - heap[0]["points"])
    model = {
        "cores": cores, "start_s": start, "tiny_intercept_s": tiny_icpt, "overhead_s_per_task": overhead, "overhead_se": overhead_se,
        "cost_s_per_unit": cost, "cost_se": cost_se, "rate_units_per_s_per_core": 1 / cost,
        "executor_side_s_per_task": exec_side, "cpu_overhead_s_per_task": cpu_overhead,
        "cpu_overhead_se": cpu_overhead_se, "cpu_cost_s_per_unit": cpu_cost, "cpu_cost_se": cpu_cost_se,
        "load_factor_wall_over_cpu": load_factor, "task_cpu_s_per_extra_executor": per_exec_cpu, "tasks_per_partition": per_part, "tasks_fixed": fixed_tasks,
        "units_per_group": upg,
        "projection_1e6_points_100_cores": {
            "work_units": units, "partitions": p_default, "tasks": tasks, "compute_s": compute,
            "wall_s_overhead_serial": wall_serial, "wall_s_overhead_parallel": wall_parallel,
            "cpu_compute_s": cpu_compute, "wall_s_dedicated_cores": wall_dedicated,
            "task_s_at_default_partitions_dedicated": units * cpu_cost / p_default,
            "task_s_at_default_partitions": units * cost / p_default},
        "min_units_per_task_for_1s": unit_per_task_min, "max_partitions_for_1s_tasks": max_parts,
        "min_units_per_task_for_1s_dedicated": cpu_unit_per_task_min,
        "max_partitions_for_1s_tasks_dedicated": cpu_max_parts,
        "driver_heap_bytes_per_point": heap_per_point,
        "runs": runs,
    }
    json.dump(model, open(os.path.join(out, "model.json"), "w", encoding="utf-8"), indent=2)
    machine = open(os.path.join(out, "machine.txt"), encoding="utf-8").read().strip() \
        if os.path.exists(os.path.join(out, "machine.txt")) else ""
    L = ["# Scaling model (scripts/bench-scaling)", "", machine, "",
         "| run | executors | points | work units | tasks | wall s | model s | task run s (sum) | task CPU s (sum) |",
         "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        pr = "" if r["predicted_s"] is None else f"{r['predicted_s']:.1f}"
        L.append(f"| {r['name']} | {r['executors']} | {r['points']} | {r['work_units']} | {r['tasks']} | "
                 f"{r['wall_s']:.1f} | {pr} | {r['task_run_s']:.1f} | "
                 f"{r['task_cpu_s'] + r['task_deserialize_cpu_s']:.1f} |")
    pj = model["projection_1e6_points_100_cores"]
    L += ["",
          f"- start {start:.2f} s; overhead {overhead * 1e3:.1f} ± {overhead_se * 1e3:.1f} ms per task "
          f"(executor side {exec_side * 1e3:.1f} ms); cost {cost * 1e3:.2f} ± {cost_se * 1e3:.2f} ms per work unit "
          f"on one core ({1 / cost:.0f} units/s); {upg} units per group of 64 points",
          f"- in executor CPU time: {cpu_overhead * 1e3:.1f} ± {cpu_overhead_se * 1e3:.1f} ms per task, "
          f"{cpu_cost * 1e3:.1f} ± {cpu_cost_se * 1e3:.1f} ms per work unit; wall/CPU per unit = {load_factor:.1f} "
          f"(the machine's load)",
          f"- tasks = {per_part:.2f} x partitions + {fixed_tasks:.1f}",
          f"- same work on " + ", ".join(str(r["executors"]) for r in big) + " executors: task CPU "
          + ", ".join(f"{r['task_cpu_s'] + r['task_deserialize_cpu_s']:.1f}" for r in big) + " s, wall "
          + ", ".join(f"{r['wall_s']:.0f}" for r in big) + " s"
          + (f"; {per_exec_cpu:.2f} CPU s per extra executor" if per_exec_cpu is not None else ""),
          f"- 10^6 points on 100 cores: {units} units, {pj['tasks']:.0f} tasks at {p_default} partitions, compute "
          f"{compute:.0f} s, wall {wall_serial:.0f} s (overhead serial on the driver) / {wall_parallel:.0f} s "
          f"(overhead spread over executors); a task then holds {pj['task_s_at_default_partitions']:.1f} s; "
          f"on dedicated cores (CPU-time slopes, same start): compute {cpu_compute:.0f} s, wall "
          f"{wall_dedicated:.0f} s, a task {pj['task_s_at_default_partitions_dedicated']:.2f} s",
          f"- tasks >= 1 s: >= {unit_per_task_min} work units per task, i.e. at most {max_parts} partitions for "
          f"10^6 points (dedicated cores: >= {cpu_unit_per_task_min} units per task, at most {cpu_max_parts} "
          f"partitions)"]
    if heap_per_point is not None:
        L.append(f"- driver live heap: {heap[0]['driver_live_heap_mb']} MB at {heap[0]['points']} points, "
                 f"{heap[-1]['driver_live_heap_mb']} MB at {heap[-1]['points']} points: "
                 f"{heap_per_point:.1f} bytes per point (resolution {heap_resolution:.1f})")
    open(os.path.join(out, "report.md"), "w", encoding="utf-8").write("\n".join(L) + "\n")
    print("\n".join(L))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: scaling_fit.py OUT")
    main(sys.argv[1])
