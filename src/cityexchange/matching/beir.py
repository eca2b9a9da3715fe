"""Run a BEIR-format retrieval benchmark through the real engine.

Files: ``corpus.jsonl`` (``{"_id", "title", "text", "lang"?}``), ``queries.jsonl`` (``{"_id", "text",
"lang"?}``), ``qrels.tsv`` (``query-id<TAB>corpus-id<TAB>score`` with a header line).

Ranks are computed over the whole pool from the engine's document scores (``SearchIndex.doc_scores``), so mAP
is exact rather than truncated at some depth. Per-pair figures rank each query's relevant documents of one
language among the pool's documents of that language.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .embedding import Encoder
from .engine import Doc, Mode, SearchConfig, SearchIndex
from .tokenize import detect_language


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    lang: str | None = None


def load_corpus(path: Path | str) -> list[Doc]:
    docs = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                docs.append(Doc(str(row["_id"]), row.get("title") or "", row.get("text") or "", row.get("lang")))
    return docs


def load_queries(path: Path | str) -> list[Query]:
    out = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out.append(Query(str(row["_id"]), row["text"], row.get("lang")))
    return out


def load_qrels(path: Path | str) -> dict[str, dict[str, float]]:
    qrels: dict[str, dict[str, float]] = defaultdict(dict)
    with Path(path).open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or (i == 0 and not parts[2].replace(".", "").lstrip("-").isdigit()):
                continue  # the header, or a blank line
            qrels[parts[0]][parts[1]] = float(parts[2])
    return dict(qrels)


def _ranks(scores: npt.NDArray[np.float32], positive: Mapping[int, float]) -> dict[int, int]:
    """Rank of each relevant candidate, counting ties with irrelevant candidates against it: an engine that
    scores everything 0 must not get R@1 = 1 (pessimistic tie-breaking, as a reviewer would want)."""
    rel = np.fromiter(positive, dtype=np.int64, count=len(positive))
    rel_scores = scores[rel]
    out = {}
    for s, value in zip(rel.tolist(), rel_scores.tolist(), strict=True):
        at_least = int((scores >= value).sum())  # itself, every candidate above it, and every tie
        rel_ties = int((rel_scores == value).sum())  # relevant ties (itself included) do not push it down
        out[s] = at_least - rel_ties + 1
    return out


def _query_figures(scores: npt.NDArray[np.float32], relevant: Mapping[int, float]) -> dict[str, float]:
    """R@1, R@10, MRR@10, nDCG@10 and exact average precision from a score per candidate."""
    positive = {s: g for s, g in relevant.items() if g > 0}
    rank_of = _ranks(scores, positive)
    ranks = sorted(rank_of.values())
    ap = sum((i + 1) / r for i, r in enumerate(ranks)) / len(ranks)
    grades = sorted(positive.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))
    dcg = sum((2 ** positive[s] - 1) / math.log2(r + 1) for s, r in rank_of.items() if r <= 10)
    return {
        "R@1": sum(r <= 1 for r in ranks) / len(ranks),
        "R@10": sum(r <= 10 for r in ranks) / len(ranks),
        "MRR@10": 1.0 / ranks[0] if ranks[0] <= 10 else 0.0,
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "mAP": ap,
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]} | {"queries": len(rows)}


def build(
    docs: list[Doc], encoder: Encoder | None = None, config: SearchConfig | None = None
) -> tuple[SearchIndex, float]:
    index = SearchIndex(encoder, config)
    started = time.perf_counter()
    for start in range(0, len(docs), 512):
        index.add(docs[start : start + 512])
    index.refit()
    return index, time.perf_counter() - started


def evaluate_index(
    index: SearchIndex,
    queries: list[Query],
    qrels: Mapping[str, Mapping[str, float]],
    mode: Mode | None = None,
    on_query: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Overall and per (query language -> document language) figures of ``index`` on ``queries``."""
    _scores, _starts, slot_ids = index.doc_scores("x", mode="lexical")
    slot_of = {doc_id: s for s, doc_id in enumerate(slot_ids) if doc_id is not None}
    slot_lang = np.array([index._entries[d].lang if d else "" for d in slot_ids])
    lang_slots = {lang: np.flatnonzero(slot_lang == lang) for lang in sorted(set(slot_lang.tolist())) if lang}
    overall: list[dict[str, float]] = []
    pairs: dict[str, list[dict[str, float]]] = defaultdict(list)
    latencies = []
    for n, query in enumerate(queries):
        relevant = {slot_of[d]: g for d, g in qrels.get(query.id, {}).items() if d in slot_of}
        if not any(g > 0 for g in relevant.values()):
            continue
        t0 = time.perf_counter()
        scores, _starts, _ids = index.doc_scores(query.text, lang=query.lang, mode=mode)
        latencies.append(time.perf_counter() - t0)
        overall.append(_query_figures(scores, relevant))
        qlang = query.lang or detect_language(query.text)
        by_lang: dict[str, dict[int, float]] = defaultdict(dict)
        for s, g in relevant.items():
            by_lang[str(slot_lang[s])][s] = g
        for dlang, rel in by_lang.items():
            if len(lang_slots) == 1:
                pairs[f"{qlang}->{dlang}"].append(overall[-1])
                continue
            members = lang_slots[dlang]
            local = {int(np.searchsorted(members, s)): g for s, g in rel.items()}
            pairs[f"{qlang}->{dlang}"].append(_query_figures(scores[members], local))
        if on_query is not None:
            on_query(n)
    lat = np.array(latencies) * 1000 if latencies else np.zeros(1)
    return {
        "all": _mean(overall) if overall else {},
        "pairs": {p: _mean(rows) for p, rows in sorted(pairs.items())},
        "latency_ms": {"p50": float(np.percentile(lat, 50)), "p95": float(np.percentile(lat, 95))},
    }


def run_benchmark(
    corpus: list[Doc] | Path | str,
    queries: list[Query] | Path | str,
    qrels: Mapping[str, Mapping[str, float]] | Path | str,
    *,
    encoder: Encoder | None = None,
    config: SearchConfig | None = None,
    modes: tuple[Mode, ...] = ("hybrid",),
) -> dict[str, Any]:
    """Index ``corpus`` with the real engine and score ``queries``; paths or loaded data are accepted.

    Returns ``{"docs", "queries", "index_seconds", "docs_per_second", "modes": {mode: {"all", "pairs",
    "latency_ms"}}}``; ``all``/``pairs`` hold R@1, R@10, MRR@10, nDCG@10 and mAP.
    """
    docs = corpus if isinstance(corpus, list) else load_corpus(corpus)
    qs = queries if isinstance(queries, list) else load_queries(queries)
    judgements = qrels if isinstance(qrels, Mapping) else load_qrels(qrels)
    index, seconds = build(docs, encoder, config)
    result: dict[str, Any] = {
        "docs": len(docs),
        "queries": len(qs),
        "index_seconds": seconds,
        "docs_per_second": len(docs) / seconds if seconds else 0.0,
        "modes": {},
    }
    for mode in modes:
        result["modes"][mode] = evaluate_index(index, qs, judgements, mode=mode)
    return result
