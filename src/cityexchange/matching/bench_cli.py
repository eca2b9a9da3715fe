"""``cityexchange bench retrieval --corpus C --queries Q --qrels R [--json] [--modes ...]``.

The Django management command only forwards its arguments to :func:`main`; keeping the logic here lets the
benchmark run without a configured Django (``python -m cityexchange.matching.bench_cli``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .beir import run_benchmark

METRICS = ("R@1", "R@10", "MRR@10", "nDCG@10", "mAP")


def _table(result: dict[str, Any], out: TextIO) -> None:
    out.write(
        f"{result['docs']} documents indexed in {result['index_seconds']:.1f} s "
        f"({result['docs_per_second']:.0f} docs/s), {result['queries']} queries\n"
    )
    for mode, figures in result["modes"].items():
        lat = figures["latency_ms"]
        out.write(f"\n[{mode}]  latency p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms\n")
        out.write(f"{'pair':<12}{'queries':>8}" + "".join(f"{m:>9}" for m in METRICS) + "\n")
        rows = [("all", figures["all"]), *figures["pairs"].items()]
        for name, row in rows:
            if not row:
                continue
            out.write(f"{name:<12}{int(row['queries']):>8}" + "".join(f"{row[m]:>9.3f}" for m in METRICS) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cityexchange bench retrieval", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True, help="BEIR corpus.jsonl")
    parser.add_argument("--queries", type=Path, required=True, help="BEIR queries.jsonl")
    parser.add_argument("--qrels", type=Path, required=True, help="BEIR qrels.tsv (with a header line)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--modes",
        default="hybrid",
        help="comma-separated: hybrid (the engine), dense, lexical; default hybrid",
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    out = out or sys.stdout
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    for mode in modes:
        if mode not in ("hybrid", "dense", "lexical"):
            out.write(f"unknown mode {mode!r}\n")
            return 2
    for path in (args.corpus, args.queries, args.qrels):
        if not path.exists():
            out.write(f"file not found: {path}\n")
            return 2
    result = run_benchmark(args.corpus, args.queries, args.qrels, modes=modes)  # type: ignore[arg-type]
    if args.json:
        out.write(json.dumps(result) + "\n")
    else:
        _table(result, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
