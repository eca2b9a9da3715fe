"""Benchmark of the 1:1 meeting scheduler: greedy baseline vs CP-SAT + LNS, with the LP bound.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/scheduler.py [--variants a,b,c,d] [--time-limit N] [--seed S]
[--report-only]``. Each variant's figures are kept in ``benchmarks/results/scheduler.json`` (a variant run alone
replaces only its own), and ``docs/benchmarks-scheduler.md`` is written from that file. Without ``--time-limit``
each variant gets its target's budget (a: 30 s, b, c, d: 120 s).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_record
from cityexchange.forum.scheduling.bound import lp_bound
from cityexchange.forum.scheduling.cpsat import solve
from cityexchange.forum.scheduling.generator import VARIANTS, generate
from cityexchange.forum.scheduling.greedy import greedy
from cityexchange.forum.scheduling.instance import Prepared
from cityexchange.forum.scheduling.stats import compute_stats
from cityexchange.forum.scheduling.validator import validate

NAME = "scheduler"
PAGE = run_record.DOCS / "benchmarks-scheduler.md"
BUDGET = {"a": 30.0, "b": 120.0, "c": 120.0, "d": 120.0}
# Targets of issue 6 (seconds allow the half second a run takes to stop).
A_OPTIMAL_WITHIN_S = 30.5
B_GAP_PCT = 2.0
B_WITHIN_S = 120.5
D_WITHIN_S = 120.5


def finite(x: float) -> float | None:
    """JSON has no infinity: an unproven bound is stored as null."""
    return x if math.isfinite(x) else None


def run_variant(v: str, seed: int, time_limit: float | None) -> dict[str, Any]:
    inst = generate(seed, **VARIANTS[v])
    prep = Prepared(inst)
    t = time.monotonic()
    g = greedy(prep)
    g_time = time.monotonic() - t
    gs = compute_stats(prep, g)
    g_ok = not validate(prep, g)
    limit = time_limit or BUDGET[v]
    r = solve(prep, limit)
    # A separate, longer LP solve only for the report's "best proven bound" when the solver's was cut short.
    best_bound = r.bound
    if v != "d":
        lb = lp_bound(prep, time_limit=60)
        if lb is not None:
            best_bound = min(best_bound, float(int(lb + 1e-6)))
    proven = math.isfinite(best_bound) and best_bound > 0
    row = {
        "variant": v, "seed": seed, "requests": len(inst.requests), "delegates": len(inst.delegates),
        "parties": len(prep.parties), "tables": len(inst.tables), "limit": limit,
        "greedy": dataclasses.asdict(gs), "greedy_time": g_time, "greedy_valid": g_ok,
        "solver": dataclasses.asdict(r.stats), "solver_time": r.seconds, "solver_valid": not r.violations,
        "status": r.status, "bound": finite(best_bound),
        "gap": 100 * (best_bound - r.objective) / best_bound if proven else None,
        "greedy_gap": 100 * (best_bound - gs.total_priority) / best_bound if proven else None,
        "stages": [{**dataclasses.asdict(s), "bound": finite(s.bound)} for s in r.stages],
    }  # fmt: skip
    print(v, row, file=sys.stderr, flush=True)
    return row


def num(x: float | None, spec: str, none: str = "none") -> str:
    return none if x is None else format(x, spec)


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def targets(rows: dict[str, dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """(target, met — None when not proven either way, figure) of every target the stored variants answer."""
    out: list[tuple[str, bool | None, str]] = []
    for v, row in rows.items():
        g, s = row["greedy"], row["solver"]
        out.append((f"never below greedy ({v})", s["total_priority"] >= g["total_priority"],
                    f"solver {s['total_priority']} vs greedy {g['total_priority']}"))
        out.append((f"interpreters and delegations respected ({v})", row["greedy_valid"] and row["solver_valid"],
                    f"validator: greedy {'valid' if row['greedy_valid'] else 'INVALID'}, solver "
                    f"{'valid' if row['solver_valid'] else 'INVALID'}"))
        fairness = row["stages"][0]
        out.append((f"no delegate left out where avoidable ({v})",
                    True if fairness["status"] == "OPTIMAL" else None,
                    f"{s['unmet_delegates']} unmet (lower bound {num(fairness['bound'], 'g')})"))
    if "a" in rows:
        r = rows["a"]
        out.append((f"(a) proven optimal in <= {A_OPTIMAL_WITHIN_S:.0f} s",
                    r["status"] == "OPTIMAL" and r["solver_time"] <= A_OPTIMAL_WITHIN_S,
                    f"{r['solver']['total_priority']} vs bound {num(r['bound'], '.0f')} (gap {num(r['gap'], '.2f')} %) "
                    f"in {r['solver_time']:.1f} s"))
    if "b" in rows:
        r = rows["b"]
        out.append((f"(b) within {B_GAP_PCT:g} % of a proven bound in <= {B_WITHIN_S:.0f} s",
                    r["gap"] is not None and r["gap"] <= B_GAP_PCT and r["solver_time"] <= B_WITHIN_S,
                    f"gap {num(r['gap'], '.2f')} % in {r['solver_time']:.1f} s"))
    if "d" in rows:
        r = rows["d"]
        out.append((f"(d) at least greedy's total in <= {D_WITHIN_S:.0f} s",
                    r["solver"]["total_priority"] >= r["greedy"]["total_priority"] and r["solver_time"] <= D_WITHIN_S,
                    f"{r['solver']['total_priority']} vs {r['greedy']['total_priority']} in {r['solver_time']:.1f} s"))
    return out


def report(data: dict[str, Any]) -> str:
    parts = data["parts"]
    rows = {v: parts[v]["figures"] for v in sorted(parts)}
    lines = run_record.head("Scheduler benchmark", "scheduler.py", NAME,
                            [(f"variant {v}", parts[v]["run"]) for v in rows])
    lines += [
        "Instances from `cityexchange.forum.scheduling.generator` (200 delegates in parties —",
        "single delegates and city delegations of 2-3 that meet together — from 21 countries, 2 days x 10 slots,",
        "~85 % availability, priorities 1-3, 6 languages, 10 interpreters). *Bound*: LP relaxation of the",
        "aggregated model (PDLP, made rigorous from its duals, rounded down); it bounds every schedule ('none' when",
        "no bound was proven in the time given). *Unmet*: delegates with accepted requests but no meeting. *Gaps*:",
        "idle slots between two meetings of a delegate on one day.",
        "",
        "| variant | requests | parties | tables | method | total priority | meetings | unmet | idle gaps | "
        "time s | bound | gap % | valid |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for v, r in rows.items():
        for name, st, t, gap, ok in (
            ("greedy", r["greedy"], r["greedy_time"], r["greedy_gap"], r["greedy_valid"]),
            (f"solver ({r['status']})", r["solver"], r["solver_time"], r["gap"], r["solver_valid"]),
        ):
            lines.append(
                f"| {v} | {r['requests']} | {r['parties']} | {r['tables']} | {name} | {st['total_priority']} | "
                f"{st['meetings']} | {st['unmet_delegates']} | {st['idle_gaps']} | {t:.1f} | "
                f"{num(r['bound'], '.0f')} | {num(gap, '.2f', '—')} | {'yes' if ok else 'NO'} |"
            )
    lines += ["", "Solver stages (status, value, bound, seconds, LNS moves/improvements):", ""]
    for v, r in rows.items():
        for s in r["stages"]:
            spec = "g" if s["name"] == "fairness" else ".1f"
            lines.append(
                f"- {v} {s['name']}: {s['status']}, {s['value']}, bound {num(s['bound'], spec)}, "
                f"{s['seconds']:.1f} s, {s['moves']}/{s['improvements']}"
            )
    lines += ["", "## Targets", "", "| target | verdict | figure |", "| --- | --- | --- |"]
    lines += [f"| {t} | {'not proven' if ok is None else met(ok)} | {figure} |" for t, ok, figure in targets(rows)]
    lines += [
        "",
        "## Notes",
        "",
        "- Solver = greedy warm start, then the aggregated CP-SAT model (slots only; tables as per-slot counts per",
        "  seat threshold; interpreters as per-slot flows per class) solved by LNS over slot windows and groups of",
        "  parties, stopped as soon as the schedule reaches the LP bound (that is the optimality proof). The plain",
        "  full model with CP-SAT stalls at the root LP on these instances (and so does SCIP's simplex), while",
        "  PDLP solves the LP in about a second for (a)-(c).",
        "- The objective is lexicographic: fairness (unmet delegates + city shortfall), then total priority, then",
        "  idle gaps. 'Time' is the whole run including the idle-gap phase, which uses the time left after the",
        "  priority proof; the priority stage's own time is in the stage list.",
        "- The bound ignores fairness, so it bounds greedy too; for (d) the LP is solved inside the run with a",
        "  time limit and is not re-solved for the report.",
        "",
    ]
    history = data.get("history", [])
    if history:
        lines += ["## History (earlier runs, kept for comparison; not the current figures)", ""]
        for h in history:
            lines += [f"- {h['about']} {run_record.run_line(h['run'])}", ""]
            f = h["figures"]
            if "solver" in f:
                s, g = f["solver"], f["greedy"]
                lines += [
                    f"  Variant {f['variant']}: solver {s['total_priority']} ({s['meetings']} meetings, "
                    f"{s['unmet_delegates']} unmet, {s['idle_gaps']} idle gaps) vs greedy {g['total_priority']} in "
                    f"{f['solver_time']:.1f} s, {'valid' if f['solver_valid'] else 'INVALID'}; target (d) "
                    f"{met(s['total_priority'] >= g['total_priority'] and f['solver_time'] <= D_WITHIN_S)}.",
                    "",
                ]
            if "lp_bound" in f:
                current = rows.get(f["variant"])
                below = ""
                if current:
                    share = [100 * (f["lp_bound"] - current[k]["total_priority"]) / f["lp_bound"]
                             for k in ("greedy", "solver")]
                    below = f" (greedy {share[0]:.1f} % and the solver {share[1]:.1f} % below it in the current run)"
                lines += [f"  LP bound of variant {f['variant']}: {f['lp_bound']:.0f}{below}.", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", default="a,b,c,d")
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report-only", action="store_true", help="rewrite the page from the stored figures")
    args = ap.parse_args(argv)
    if not args.report_only:
        run = run_record.start("scheduler.py", argv)
        rows = {v: run_variant(v, args.seed, args.time_limit) for v in args.variants.split(",")}
        run = run_record.finish(run)
        for v, row in rows.items():
            run_record.store(NAME, v, run, row)
    text = report(run_record.read(NAME))
    run_record.write_page(PAGE, text)


if __name__ == "__main__":
    main(sys.argv[1:])
