"""docs/benchmarks.md: every issue's targets with the figure that answers it, computed from the results files.

    PYTHONPATH=src .venv/bin/python benchmarks/summary.py        # or `make benchmarks-report`

It measures nothing. Each target's figure is read from ``benchmarks/results/<name>.json`` (what the benchmark
scripts store) and its verdict computed from that figure and the target value the script declares; each row
names the run the figure comes from, whose command, date and load average are in the table at the top. The prose
around the tables is ``benchmarks/summary_notes.md``: a line ``{{name}}`` there is replaced by a generated block.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibration
import insights
import load
import memory_index
import pg_index
import registry
import retrieval
import run_record
import scheduler

PAGE = run_record.DOCS / "benchmarks.md"
NOTES = Path(__file__).resolve().parent / "summary_notes.md"
# Every benchmark script, in the order of the runs table; tests/test_benchmark_docs.py checks its page.
SCRIPTS = (registry, retrieval, calibration, scheduler, insights, pg_index, memory_index, load)
PART_LABELS = {
    ("registry", "sqlite"): "SQLite",
    ("registry", "postgresql"): "PostgreSQL",
    ("pg_index", "scale"): "indexing and sizes",
    ("pg_index", "latency"): "latencies",
    ("pg_index", "throughput"): "indexing throughput",
    ("pg_index", "million"): "1,000,000 passages",
    ("pg_index", "recall_real"): "recall on real embeddings",
}
Row = tuple[str, str, str, str]  # target, figure, verdict, run


def label(name: str, part: str) -> str:
    if name == "scheduler":
        return f"scheduler.py variant{'s' if ',' in part else ''} {part}"
    if part.startswith("users-"):
        return f"{name}.py {part.removeprefix('users-')} users"
    text = PART_LABELS.get((name, part), part)
    return f"{name}.py" if text == "run" else f"{name}.py {text}"


def load_short(run: run_record.Run) -> str:
    m = run.get("machine", {})
    start, end = m.get("load_average_start"), m.get("load_average_end")
    if start is None and end is None:
        return "load not recorded"
    text = f"load {run_record.fmt_load(start)}"
    if end is not None:
        text += f"→{run_record.fmt_load(end)}"
    cores = m.get("cores") or 2
    loaded = max(x for x in (start, end) if x is not None) > cores
    return text + (", *loaded*" if loaded else "")


def run_cell(name: str, part: str, run: run_record.Run) -> str:
    return f"{label(name, part)} ({str(run['date'])[:10]}; {load_short(run)})"


def verdict(ok: bool | None, reported: bool = False) -> str:
    if reported:
        return "reported"
    return "not established" if ok is None else run_record.verdict(ok)


def table(rows: list[Row]) -> list[str]:
    return ["| target | figure | verdict | run (load average) |", "| --- | --- | --- | --- |",
            *[f"| {t} | {f} | {v} | {r} |" for t, f, v, r in rows]]


# --- the issues ------------------------------------------------------------------------------------------------


def issue_2(results: dict[str, Any]) -> list[Row]:
    parts = results["registry"]["parts"]
    rows = []
    for part in ("sqlite", "postgresql"):
        if part in parts:
            f, run = parts[part]["figures"], parts[part]["run"]
            p95 = f["search"]["p95_ms"]
            rows.append((
                f"city name search p95 ≤ {registry.SEARCH_P95_TARGET_MS:g} ms, all loaded cities ({f['database']})",
                f"{p95:.1f} ms over {f['cities']:,} cities (median {f['search']['median_ms']:.1f} ms; baseline "
                f"`icontains` median {f['baseline']['median_ms']:.1f} ms)",
                verdict(p95 <= registry.SEARCH_P95_TARGET_MS), run_cell("registry", part, run),
            ))  # fmt: skip
    return rows


def issue_4(results: dict[str, Any]) -> list[Row]:
    parts = results["retrieval"]["parts"]
    q, q_run = parts["quality"]["figures"], parts["quality"]["run"]
    pooled = q["pooled"]
    m = pooled["engine"]["all"]["mAP"]
    rows: list[Row] = [(
        f"LAReQA pooled mAP ≥ {retrieval.POOLED_MAP_TARGET:.2f}",
        f"{m:.3f} (raw model {pooled['raw model']['all']['mAP']:.3f}, BM25 {pooled['BM25']['all']['mAP']:.3f}, "
        "same run)",
        verdict(m >= retrieval.POOLED_MAP_TARGET), run_cell("retrieval", "quality", q_run),
    )]  # fmt: skip
    pairs = retrieval.pair_targets(q)
    below = [t for t in pairs if t["got"] < t["want"]]
    rows.append((
        "per pair R@1 ≥ the better of the README's BM25 / dense, every pair",
        f"{len(pairs) - len(below)} of {len(pairs)} pairs met"
        + ("; below: " + ", ".join(f"{t['pair']} {t['got']:.1f} vs {t['want']:.1f}" for t in below) if below else ""),
        verdict(not below), run_cell("retrieval", "quality", q_run),
    ))  # fmt: skip
    if "scale" in parts:
        s, s_run = parts["scale"]["figures"], parts["scale"]["run"]
        lat = s["latency_ms"]
        total = lat["hybrid_total"]["p95"]
        rows.append((
            f"search p95 ≤ {retrieval.SEARCH_P95_TARGET_MS:g} ms at {s['docs']:,} practices",
            f"whole search p95 {total:.1f} ms (query embedding p95 {lat['embed']['p95']:.1f} ms; engine alone p95 "
            f"{lat['hybrid_engine']['p95']:.1f} ms; BM25 alone p95 {lat['lexical']['p95']:.1f} ms); with a sector + "
            f"country filter p95 {lat['filtered_total']['p95']:.1f} ms",
            verdict(total <= retrieval.SEARCH_P95_TARGET_MS), run_cell("retrieval", "scale", s_run),
        ))  # fmt: skip
        x = s["extrapolation_1m"]
        rows.append((
            "indexing throughput and 1,000,000 documents",
            f"{s['engine_docs_per_s']:.0f} docs/s engine from stored vectors; the model embeds "
            f"{s['model_docs_per_s']:.1f} practice-length docs/s (1M: {x['model_hours']:.0f} h once, vectors stored); "
            f"{x['vectors_gb_float32']:.2f} GB float32 / {x['vectors_gb_int8']:.2f} GB int8 vectors, "
            f"~{x['index_rss_gb']:.1f} GB RSS brute force",
            verdict(None, reported=True), run_cell("retrieval", "scale", s_run),
        ))  # fmt: skip
    return rows


def issue_6(results: dict[str, Any]) -> list[Row]:
    data = results["scheduler"]
    parts = data["parts"]
    rows_by_variant = {v: parts[v]["figures"] for v in sorted(parts)}
    runs = {v: parts[v]["run"] for v in rows_by_variant}

    def cell(variants: list[str]) -> str:
        groups: list[tuple[list[str], run_record.Run]] = []
        for v in variants:
            if groups and groups[-1][1] == runs[v]:
                groups[-1][0].append(v)
            else:
                groups.append(([v], runs[v]))
        return "; ".join(run_cell("scheduler", ",".join(vs), run) for vs, run in groups)

    found = scheduler.targets(rows_by_variant)
    rows: list[Row] = []
    for start, text in (("never below greedy", "never below greedy"),
                        ("interpreters and delegations respected", "interpreters and delegations respected")):
        mine = [(t, ok, fig) for t, ok, fig in found if t.startswith(start)]
        failed = [t for t, ok, _fig in mine if not ok]
        rows.append((f"{text}, every variant",
                     "all variants" if not failed else "fails: " + ", ".join(failed),
                     verdict(not failed), cell(list(rows_by_variant))))
    for t, ok, fig in found:
        if t.startswith("(") or t.startswith("no delegate"):
            variant = t[1] if t.startswith("(") else t[-2]
            figure = fig
            if t.startswith("(d)"):
                for h in data.get("history", []):
                    f = h["figures"]
                    if f.get("variant") == "d" and "solver" in f:
                        figure += (f"; the rerun of d alone ({h['run']['date']}, history): "
                                   f"{f['solver']['total_priority']} vs {f['greedy']['total_priority']} in "
                                   f"{f['solver_time']:.1f} s")
            rows.append((t.replace("<=", "≤"), figure, verdict(ok), cell([variant])))
    return rows


def issue_7(results: dict[str, Any]) -> list[Row]:
    part = results["insights"]["parts"]["run"]
    run = run_cell("insights", "run", part["run"])
    return [(t, figure, verdict(ok), run) for t, figure, ok in insights.targets(part["figures"])]


def recall_row(parts: dict[str, Any], synthetic: float, synthetic_run: str) -> Row:
    """HNSW recall@10: decided on real embeddings when measured, the blended synthetic vectors as context."""
    target = f"HNSW recall@10 ≥ {pg_index.RECALL_AT_10:g} against exact search"
    context = f"{synthetic:.4f} on blended synthetic vectors at 100,000 practices (many near-ties at 10th place)"
    if "recall_real" not in parts:
        return target, context, verdict(synthetic >= pg_index.RECALL_AT_10), synthetic_run
    r, run = parts["recall_real"]["figures"], parts["recall_real"]["run"]
    product = str(r["product_ef_search"])
    others = ", ".join(f"{row['recall_at_10']:.4f} at {ef} (p95 {row['p95_ms']:.0f} ms)"
                       for ef, row in r["ef_search"].items() if ef != product)
    return (
        target,
        f"**{r['recall_at_10']:.4f}** on real embeddings ({r['queries']:,} XQuAD-R questions over "
        f"{r['passages']:,} passages, the product's path with ef_search {product}, p95 "
        f"{r['ef_search'][product]['p95_ms']:.0f} ms" + (f"; {others}" if others else "") + f"); {context}, "
        f"{synthetic_run}",
        verdict(r["recall_at_10"] >= pg_index.RECALL_AT_10), run_cell("pg_index", "recall_real", run),
    )


def issue_11(results: dict[str, Any]) -> list[Row]:
    parts = results["pg_index"]["parts"]
    rows: list[Row] = []
    if "quality" in parts:
        q, run = parts["quality"]["figures"], run_cell("pg_index", "quality", parts["quality"]["run"])
        pooled = q["pooled"]
        d = pooled["postgresql"]["mAP"] - pooled["engine"]["mAP"]
        rows.append((
            f"pooled LAReQA mAP within {pg_index.QUALITY_MAP_DELTA:g} of the in-process engine",
            f"top-100 mAP {pooled['postgresql']['mAP']:.4f} vs {pooled['engine']['mAP']:.4f} (Δ {d:+.4f})",
            verdict(pg_index.quality_ok("pooled", pooled)), run,
        ))  # fmt: skip
        pairs = {k: v for k, v in q.items() if k != "pooled"}
        worst = max(pairs, key=lambda k: abs(pairs[k]["postgresql"]["R@1"] - pairs[k]["engine"]["R@1"]))
        gap = 100 * abs(pairs[worst]["postgresql"]["R@1"] - pairs[worst]["engine"]["R@1"])
        rows.append((
            f"every per-pair R@1 within {pg_index.QUALITY_R1_POINTS:g} points",
            f"{len(pairs)} pairs; the largest difference {gap:.1f} point ({worst})",
            verdict(all(pg_index.quality_ok(k, v) for k, v in pairs.items())), run,
        ))  # fmt: skip
    if "latency" in parts:
        f, run = parts["latency"]["figures"], run_cell("pg_index", "latency", parts["latency"]["run"])
        lat, srv = f["latency"], f["server"]
        e = lat["engine_with_embedding"]
        practices = parts.get("scale", {}).get("figures", {}).get("index", {}).get("practices")
        at = f", {practices:,} practices" if practices else ""
        flt = lat.get("filter")
        rows += [
            (f"engine search p95 ≤ {pg_index.ENGINE_P95_MS:g} ms with the query embedded{at}",
             f"p50 {e['p50']:.0f} / p95 {e['p95']:.0f} ms (index search p95 {lat['engine']['p95']:.0f} ms, query "
             f"embedding p95 {lat['embed']['p95']:.0f} ms)", verdict(e["p95"] <= pg_index.ENGINE_P95_MS), run),
            (f"end to end p95 ≤ {pg_index.API_CACHED_P95_MS:g} ms, query embedding cached",
             f"{lat['api_cached']['p95']:.1f} ms", verdict(lat["api_cached"]["p95"] <= pg_index.API_CACHED_P95_MS),
             run),
            (f"end to end p95 ≤ {pg_index.API_UNCACHED_P95_MS:g} ms, uncached",
             f"{lat['api_uncached']['p95']:.1f} ms",
             verdict(lat["api_uncached"]["p95"] <= pg_index.API_UNCACHED_P95_MS), run),
            (f"filtered (sectors + countries) p95 ≤ {pg_index.FILTERED_P95_MS:g} ms",
             f"{lat['filtered']['p95']:.1f} ms" + (f" ({flt['passages']:,} passages pass the filter)" if flt else ""),
             verdict(lat["filtered"]["p95"] <= pg_index.FILTERED_P95_MS), run),
            recall_row(parts, lat["recall_at_10"], run),
            (f"a freshly started app server answers its first search ≤ {pg_index.FIRST_ANSWER_S:g} s",
             f"{srv['first_answer_seconds']:.2f} s from process start",
             verdict(srv["first_answer_seconds"] <= pg_index.FIRST_ANSWER_S), run),
            (f"RSS per app server ≤ {pg_index.WORKER_RSS_MB:g} MB", f"{srv['worker_rss_mb']:.0f} MB per gunicorn "
             "worker after 50 searches", verdict(srv["worker_rss_mb"] <= pg_index.WORKER_RSS_MB), run),
        ]  # fmt: skip
    if "throughput" in parts:
        per = parts["throughput"]["figures"]["indexing_per_second"]
        rows.append(("indexing throughput with 1, 2, 4 workers",
                     " / ".join(f"{v:.2f}" for v in per.values()) + " practices/s with the real model",
                     verdict(None, reported=True), run_cell("pg_index", "throughput", parts["throughput"]["run"])))
    if "million" in parts:
        m = parts["million"]["figures"]
        rows.append((
            "1M passages: build time, size, p95",
            f"HNSW build {m['build_seconds'] / 60:.1f} min, {m['total_mb']:,.0f} MB on disk of which the index "
            f"{m['index_mb']:,.0f} MB, top-10 p50 {m['p50_ms']:.0f} / p95 {m['p95_ms']:.0f} ms (random unit vectors)",
            verdict(None, reported=True), run_cell("pg_index", "million", parts["million"]["run"]),
        ))  # fmt: skip
    if "scale" in parts:
        s = parts["scale"]["figures"]
        ix, sz = s["index"], s["sizes"]
        rows.append((f"{ix['practices']:,} practices on disk",
                     f"{sz['total_mb']:.0f} MB (HNSW {sz['hnsw_mb']:.0f} MB, GIN {sz['gin_mb']:.0f} MB, table "
                     f"{sz['heap_mb']:.0f} MB); HNSW built once in {ix['hnsw_build_seconds']:.0f} s; write path "
                     f"{ix['write_path_practices'] / ix['write_seconds']:.0f} practices/s from stored vectors",
                     verdict(None, reported=True), run_cell("pg_index", "scale", parts["scale"]["run"])))
    lparts = results["load"]["parts"]
    for part in sorted(lparts, key=lambda p: int(p.split("-")[1])):
        f, run = lparts[part]["figures"], run_cell("load", part, lparts[part]["run"])
        for t, figure, ok in load.targets(f):
            rows.append((f"{f['users']} users: {t}", figure, "not recorded" if ok is None else verdict(ok), run))
        rows.append((f"{f['users']} users: throughput", f"{f['classes']['all']['per_second']:.1f} requests/s",
                     verdict(None, reported=True), run))
    mem = results["memory_index"]["parts"].get("run")
    if mem:
        by = {r["kind"]: r for r in mem["figures"]["storage"]}
        rows.append((
            "in-process index memory (SQLite default)",
            f"int16 with a scale per row: {by['int16']['matrix_mb']:.0f} MB vs {by['float32']['matrix_mb']:.0f} MB "
            f"float32 at {mem['figures']['rows']:,} passages, recall@10 {by['int16']['recall10']:.3f}",
            verdict(None, reported=True), run_cell("memory_index", "run", mem["run"]),
        ))  # fmt: skip
    return rows


def issue_13(results: dict[str, Any]) -> list[Row]:
    part = results["calibration"]["parts"]["run"]
    run = run_cell("calibration", "run", part["run"])
    rows: list[Row] = []
    for where in calibration.BANDS:
        band = part["figures"]["bands"][where]
        if band["choice"] is None:
            continue
        chosen, used = band["choice"]["threshold"], band["floor_in_code"]
        f = band["all_deciding"]
        rows.append((
            f"strong-match floor of the “{where}” band = the calibrated choice",
            f"{used:.3f} in the code, {chosen:.3f} chosen (mean F1 {band['choice']['mean_f1']:.3f}); strong set of "
            f"the deciding groups: precision {100 * f['precision']:.1f} %, recall {100 * f['recall']:.1f} %",
            verdict(abs(chosen - used) < calibration.SAME_FLOOR), run,
        ))  # fmt: skip
    return rows


ISSUES: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "issue 2": issue_2, "issue 4": issue_4, "issue 6": issue_6, "issue 7": issue_7, "issue 11": issue_11,
    "issue 13": issue_13,
}  # fmt: skip


def runs_table(results: dict[str, Any]) -> list[str]:
    lines = ["| benchmark | page | command | date, commit | load average |", "| --- | --- | --- | --- | --- |"]
    for script in SCRIPTS:
        data = results[script.NAME]
        page = script.PAGE.name
        for part, entry in data["parts"].items():
            run = entry["run"]
            command = f"`{run['command']}`" if run.get("command") else f"not recorded ({run.get('command_note', '')})"
            when = f"{run['date']}, {run['commit']}" if run.get("commit") else str(run["date"])
            transcribed = " (transcribed)" if run.get("source") else ""
            lines.append(f"| {label(script.NAME, part)} | [{page}]({page}) | {command} | {when}{transcribed} | "
                         f"{run_record.load_text(run)} |")
    return lines


def report(results: dict[str, Any], notes: str) -> str:
    blocks = {
        "head": "\n".join([
            "Written by `benchmarks/summary.py` from `benchmarks/results/*.json` and `benchmarks/summary_notes.md` — "
            "do not edit by hand; `make benchmarks-report` rewrites it and every benchmark page from the stored "
            "figures.",
            "",
            "Command: `PYTHONPATH=src .venv/bin/python benchmarks/summary.py` — it measures nothing: every figure "
            "below comes from one of these runs, with its command, date, commit and the machine's load average "
            "(\"transcribed\": figures copied from the page an older run wrote, not from a file it stored):",
            "",
            *runs_table(results),
        ]),
        "pages": "\n".join(f"- [{s.PAGE.name}]({s.PAGE.name}) — `benchmarks/{s.NAME}.py`" for s in SCRIPTS),
    }
    for name, rows_of in ISSUES.items():
        blocks[name] = "\n".join(table(rows_of(results)))

    def fill(match: re.Match[str]) -> str:
        return blocks[match[1]]

    return re.sub(r"^\{\{(.+?)\}\}$", fill, notes, flags=re.M).rstrip("\n") + "\n"


def read_all() -> dict[str, Any]:
    return {script.NAME: run_record.read(script.NAME) for script in SCRIPTS}


def main() -> int:
    run_record.write_page(PAGE, report(read_all(), NOTES.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
