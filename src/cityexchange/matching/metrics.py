"""Retrieval metrics over plain data: a ranking is a list of doc ids, relevance a {doc id: grade} mapping.

Every function scores one query; :func:`evaluate` averages them overall and per (query language -> document
language) pair. Conventions follow BEIR / trec_eval: a query with no relevant document is skipped, average
precision divides by the number of relevant documents (the ones not retrieved count as zero precision).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

Ranking = Sequence[str]
Relevance = Mapping[str, float]


def recall_at(ranking: Ranking, relevant: Relevance, k: int) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:k])) / len(wanted)


def success_at(ranking: Ranking, relevant: Relevance, k: int) -> float:
    """1 if any relevant document is in the top k. With one relevant document this is R@k."""
    return 1.0 if any(relevant.get(d, 0) > 0 for d in ranking[:k]) else 0.0


def mrr_at(ranking: Ranking, relevant: Relevance, k: int = 10) -> float:
    for rank, doc in enumerate(ranking[:k], start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranking: Ranking, relevant: Relevance, k: int = 10) -> float:
    dcg = sum((2 ** relevant.get(doc, 0) - 1) / math.log2(rank + 1) for rank, doc in enumerate(ranking[:k], start=1))
    ideal_grades = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal_grades, start=1))
    return dcg / idcg if idcg else 0.0


def average_precision(ranking: Ranking, relevant: Relevance) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    hits = 0
    total = 0.0
    for rank, doc in enumerate(ranking, start=1):
        if doc in wanted:
            hits += 1
            total += hits / rank
    return total / len(wanted)


def query_metrics(ranking: Ranking, relevant: Relevance) -> dict[str, float]:
    return {
        "R@1": recall_at(ranking, relevant, 1),
        "R@10": recall_at(ranking, relevant, 10),
        "MRR@10": mrr_at(ranking, relevant, 10),
        "nDCG@10": ndcg_at(ranking, relevant, 10),
        "mAP": average_precision(ranking, relevant),
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]} | {"queries": float(len(rows))}


def evaluate(
    rankings: Mapping[str, Ranking],
    qrels: Mapping[str, Relevance],
    query_lang: Mapping[str, str] | None = None,
    doc_lang: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean metrics ``{"all": {...}, "ru->en": {...}, ...}``.

    Per-pair figures restrict the relevance judgements to documents of that language, and the ranking to
    documents of that language too, so "ru->en" on a pooled corpus means "how well are the English answers of
    Russian questions ranked among English sentences". On a single-language pool that is the plain figure.
    """
    overall: list[dict[str, float]] = []
    pairs: dict[str, list[dict[str, float]]] = defaultdict(list)
    for qid, relevant in qrels.items():
        if not any(g > 0 for g in relevant.values()):
            continue
        ranking = rankings.get(qid, [])
        overall.append(query_metrics(ranking, relevant))
        if query_lang is None or doc_lang is None:
            continue
        qlang = query_lang.get(qid, "?")
        for dlang in sorted({doc_lang.get(d, "?") for d in relevant}):
            sub_rel = {d: g for d, g in relevant.items() if doc_lang.get(d, "?") == dlang}
            sub_rank = [d for d in ranking if doc_lang.get(d, "?") == dlang]
            pairs[f"{qlang}->{dlang}"].append(query_metrics(sub_rank, sub_rel))
    result = {"all": _mean(overall)}
    for pair in sorted(pairs):
        result[pair] = _mean(pairs[pair])
    return result
