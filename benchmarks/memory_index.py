"""Memory, speed and agreement of the in-process index's vector storage: float32, float16, int16 and int8 (the
integers with a scale per row).

    cd /work/main && PYTHONPATH=src .venv/bin/python benchmarks/memory_index.py [--docs 100000] [--passages 3]
        [--queries 30] [--quality ru-en en-en zh-en] [--report-only]

The figures are kept in benchmarks/results/memory_index.json and docs/benchmarks-memory-index.md is written from
them (``--report-only`` rewrites the page without measuring).

Each storage form runs in its own process (so one form's memory does not count against another) and fills the
engine's own `VectorStore` with the same synthetic unit vectors, block by block: `--docs` x `--passages` rows of
384 dimensions, drawn around 2,000 topic centres (cosine ~0.7 to their centre, like passages on a shared topic).
No model is needed: the vectors only have to be realistic in shape and in the gaps between the best scores.

Per form it measures the bytes of the matrix, the process's resident memory added by filling it (VmRSS, not the
peak), the time to fill it, the dense-scoring time of a query over every row (`VectorStore.dot`, what a search
costs on top of the lexical side and the top-k, which do not depend on the form; p50 / p95 of `--queries`
queries, each a topic centre plus noise) and how far it agrees with exact float32 scoring: recall@10 (the share
of float32's top 10 it also ranks in its top 10) and the largest score difference.

``--quality PAIR ...`` also runs the real engine (real model vectors, from the disk cache the retrieval
benchmark shares, filled by the model on the first run) on XQuAD-R pair tasks (benchmarks/xquad_to_beir.py)
with each storage form, and reports R@1 / MRR@10: whether the compact forms change what users get.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import run_record
from cityexchange.matching.beir import build, evaluate_index, load_corpus, load_qrels, load_queries
from cityexchange.matching.embedding import CachedEncoder, E5Encoder
from cityexchange.matching.engine import SearchConfig, VectorStore
from xquad_to_beir import DEFAULT_OUT, DEFAULT_SRC, convert

NAME = "memory_index"
PAGE = run_record.DOCS / "benchmarks-memory-index.md"

DIM = 384
TOPICS = 2000
BLOCK = 20_000
KINDS = ("float32", "float16", "int16", "int8")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def centres() -> np.ndarray:
    rng = np.random.default_rng(12345)
    c = rng.standard_normal((TOPICS, DIM)).astype(np.float32)
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def block(c: np.ndarray, index: int, size: int) -> np.ndarray:
    """Rows of block ``index``: the same in every process (seeded by the block number)."""
    rng = np.random.default_rng(1000 + index)
    rows = c[rng.integers(TOPICS, size=size)] + rng.normal(0, 0.05, size=(size, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def queries(c: np.ndarray, n: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    q = c[rng.integers(TOPICS, size=n)] + rng.normal(0, 0.05, size=(n, DIM)).astype(np.float32)
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


def measure(kind: str, rows: int, n_queries: int) -> dict[str, Any]:
    c = centres()
    qs = queries(c, n_queries)
    before = rss_mb()
    store = VectorStore(DIM, kind, capacity=rows)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    for i, start in enumerate(range(0, rows, BLOCK)):
        store.put(start, block(c, i, min(BLOCK, rows - start)))
    fill = time.perf_counter() - t0
    after = rss_mb()
    store.dot(qs[0], rows)  # warm-up
    times, tops, scores = [], [], []
    for q in qs:
        t0 = time.perf_counter()
        s = store.dot(q, rows)
        times.append(time.perf_counter() - t0)
        top = np.argpartition(-s, 10)[:10]
        tops.append(set(top.tolist()))
        scores.append(s)
    # Exact float32 scores, block by block, so the reference never holds a float32 matrix in this process.
    exact = np.empty((n_queries, rows), dtype=np.float32)
    for i, start in enumerate(range(0, rows, BLOCK)):
        b = block(c, i, min(BLOCK, rows - start))
        exact[:, start : start + len(b)] = qs @ b.T
    recall = [len(t & set(np.argpartition(-e, 10)[:10].tolist())) / 10 for t, e in zip(tops, exact, strict=True)]
    error = max(float(np.abs(s - e).max()) for s, e in zip(scores, exact, strict=True))
    return {
        "kind": kind,
        "rows": rows,
        "matrix_mb": store.nbytes / 1e6,
        "rss_mb": after - before,
        "fill_s": fill,
        "p50_ms": float(np.percentile(times, 50) * 1000),
        "p95_ms": float(np.percentile(times, 95) * 1000),
        "recall10": float(np.mean(recall)),
        "max_error": error,
    }


def quality(pairs: list[str]) -> list[dict[str, Any]]:
    convert(DEFAULT_SRC, DEFAULT_OUT, [tuple(p.split("-")) for p in pairs], pooled=False)  # type: ignore[misc]
    encoder = CachedEncoder(E5Encoder(), DEFAULT_OUT / "embeddings-cache.npz")
    out = []
    for pair in pairs:
        task = DEFAULT_OUT / f"xquad-r-{pair}"
        docs, queries = load_corpus(task / "corpus.jsonl"), load_queries(task / "queries.jsonl")
        qrels = load_qrels(task / "qrels.tsv")
        encoder.passage([d.text for d in docs])  # fill the cache in batches (search embeds one query at a time)
        encoder.query([q.text for q in queries])
        encoder.save()
        row: dict[str, Any] = {"pair": pair}
        for kind in KINDS:
            index, _seconds = build(docs, encoder, SearchConfig(storage=kind))  # type: ignore[arg-type]
            row[kind] = evaluate_index(index, queries, qrels)["all"]
        out.append(row)
    return out


def report(data: dict[str, Any]) -> str:
    part = data["parts"]["run"]
    f = part["figures"]
    by = {r["kind"]: r for r in f["storage"]}
    lines = run_record.head("Memory of the in-process index: float32, float16, int16, int8", "memory_index.py", NAME,
                            [("run", part["run"])])
    lines += [
        "How the in-process index (SQLite, the embedded default: `matching/memory_index.py`) holds its passage "
        "vectors: float32, float16, or integers with one float32 scale per row (the row's largest magnitude / the "
        "integer's largest value). Each form runs in its own process, so one form's memory does not count against "
        "another. The timings depend on the load of the machine (see the command line above): compare the rows "
        "with each other rather than with other pages.",
        "",
        f"{f['docs']:,} documents × {f['passages']} passages = {f['rows']:,} rows of {DIM} dimensions (synthetic unit "
        f"vectors around {TOPICS:,} topic centres); {f['queries']} queries. RSS added: the process's resident "
        "memory added by filling the matrix (VmRSS, not the peak). Dense scoring: `VectorStore.dot` of one query "
        "over every row. Recall@10: the share of float32's top 10 this form also ranks in its top 10.",
        "",
        "| storage | matrix MB | RSS added MB | fill s | dense scoring p50 ms | p95 ms | recall@10 vs float32 "
        "| max score error |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in f["storage"]:
        lines.append(
            f"| {r['kind']} | {r['matrix_mb']:.0f} | {r['rss_mb']:.0f} | {r['fill_s']:.1f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['recall10']:.3f} | {r['max_error']:.1e} |"
        )
    judged = f.get("quality", [])
    if judged:
        lines += [
            "",
            "The real engine (hybrid, real model vectors from the benchmarks' embedding cache) on XQuAD-R pairs, "
            "R@1 / MRR@10 in %:",
            "",
            "| pair | " + " | ".join(KINDS) + " |",
            "| --- |" + " --- |" * len(KINDS),
        ]
        for row in judged:
            cells = [f"{100 * row[k]['R@1']:.1f} / {100 * row[k]['MRR@10']:.1f}" for k in KINDS]
            lines.append(f"| {row['pair']} | " + " | ".join(cells) + " |")
    if {"float32", "float16", "int16", "int8"} <= set(by):
        f32, f16, i16, i8 = by["float32"], by["float16"], by["int16"], by["int8"]
        worst = min(judged, key=lambda row: row["int8"]["R@1"] - row["float32"]["R@1"]) if judged else None
        lines += [
            "",
            "Reading: numpy has no BLAS kernel for float16 or integers, so the compact forms are widened to float32 "
            "in blocks of 1,024 rows (small enough to stay in the CPU cache) and multiplied there. Here float16 "
            f"scores in {f16['p50_ms'] / f32['p50_ms']:.1f} times float32's time; int16 in "
            f"{i16['p50_ms'] / f32['p50_ms']:.2f} times, with {i16['matrix_mb'] / f32['matrix_mb']:.0%} of its "
            f"memory and recall@10 {i16['recall10']:.3f}. int8 saves another {i16['rss_mb'] - i8['rss_mb']:.0f} MB "
            f"per process at this size but its scores move by up to {i8['max_error']:.1e}: "
            f"{100 * (1 - i8['recall10']):.1f} % of the top 10 change on the synthetic vectors"
            + (
                f", and {worst['pair']} R@1 goes from {100 * worst['float32']['R@1']:.1f} to "
                f"{100 * worst['int8']['R@1']:.1f}."
                if worst
                else "."
            ),
        ]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--passages", type=int, default=3)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--kind", choices=KINDS, help="measure one form in this process (used by the main run)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--quality", nargs="*", default=[], metavar="PAIR", help="XQuAD-R pairs, e.g. ru-en en-en")
    parser.add_argument("--report-only", action="store_true", help="rewrite the page from the stored figures")
    args = parser.parse_args(argv)
    rows = args.docs * args.passages
    if args.kind:
        print(json.dumps(measure(args.kind, rows, args.queries)))
        return 0
    if not args.report_only:
        run = run_record.start("memory_index.py", argv)
        results = []
        for kind in KINDS:
            cmd = [sys.executable, __file__, "--kind", kind, "--docs", str(args.docs), "--passages", str(args.passages)]
            out = subprocess.run([*cmd, "--queries", str(args.queries)], check=True, capture_output=True, text=True)
            results.append(json.loads(out.stdout))
        judged = quality(args.quality) if args.quality else []
        figures = {"docs": args.docs, "passages": args.passages, "rows": rows, "queries": args.queries,
                   "storage": results, "quality": judged}
        run_record.store(NAME, "run", run_record.finish(run), figures)
        if args.json:
            print(json.dumps(figures, indent=1))
    run_record.write_page(PAGE, report(run_record.read(NAME)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
