"""The search index in PostgreSQL: pgvector for meaning, full-text for words, one query path for every process.

Every passage of a published practice is a row of `matching_passage` (models.Passage) with
- its **centred** embedding (halfvec, HNSW, inner product): the engine's language centring
  (q - m_q)·(p - m_p) / |…| is folded into what is stored (p - m_p, normalised) and what is queried (q - m_q,
  normalised), so one indexed inner-product search ranks all languages fairly;
- its tokens from the engine's own tokeniser as a tsvector (GIN), so Chinese and Thai are segmented exactly as in
  the in-process engine, whatever PostgreSQL's text-search configurations know;
- the facets filters use (sectors, country, maturity, cost band, SDGs, language, city), so a filtered search is one HNSW
  scan with pgvector's iterative scans (≥ 0.8) instead of a post-filter that runs dry.

A search takes the best `DENSE_CANDIDATES` passages by meaning and the passages holding the query's rare words,
scores that union exactly as the engine does (centred cosine + lexical share × weight × same-language share,
BM25 with document frequencies kept in `SearchTerm`), and ranks documents by their best passage. Nothing is held
per process but the (small, versioned) centring state: an app server starts answering at once and sees every
write on commit.

Writes run inside the caller's transaction (store.py). Document frequencies and per-language counts are
upserted in sorted key order, so concurrent writers never deadlock. When a language's passage count has drifted
by `REFIT_DRIFT` since the means were fitted, `refit_centering` (a task) fits them again from the raw vectors
and — only when a mean actually moved — re-centres every stored embedding in one transaction: searches keep
reading the previous consistent index until it commits.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from pgvector import HalfVector

from .bias import LanguageCentering
from .engine import Doc, Hit, SearchConfig, unpack_vectors
from .fusion import lexical_share
from .models import EMBEDDING_DIM, CenteringState, IndexedDocument
from .passages import split_passages
from .priors import MODEL as PRIORS_MODEL
from .priors import load as load_priors
from .tokenize import detect_language, term_counts

Vector = npt.NDArray[np.float32]
log = logging.getLogger(__name__)

# Passages taken from the HNSW index per search: enough that every document the fused score could put in the
# top 10 is among them (measured: docs/benchmarks-retrieval.md), few enough to score in a millisecond or two.
DENSE_CANDIDATES = 200
# HNSW's search breadth; recall@10 against exact search is measured in the benchmark.
EF_SEARCH = 200
# Words found in more passages than this are too common to select candidates (they only rescore them).
LEXICAL_MAX_DF = 5000
# Passages taken for the query's words, rarest word first (`_selecting_words`).
LEXICAL_CANDIDATES = 1000
# A filter the planner expects to let at most this many passages through is searched exactly over them (the facet
# indexes find them):
# at 100,000 practices, 8,000 passages rank in ~45 ms against ~125 ms for a filtered HNSW walk; at 40,000 the
# walk wins (~50 ms against ~470 ms).
FILTERED_EXACT_MAX = 15_000
# Benchmarks set this to rank by exact search (no HNSW), the reference HNSW's recall is measured against.
EXACT = False
# A language's passage count may change by this share before its mean is fitted again.
REFIT_DRIFT = 0.1
# A re-fitted mean closer than this to the stored one is not worth re-centring every embedding for.
REFIT_MIN_SHIFT = 0.02
MAX_TERM_BYTES = 200  # longer tokens (a pasted URL) are not words anyone searches for

CONFIG = SearchConfig()


# --- the centring state ----------------------------------------------------------------------------------------


@dataclass
class Centering:
    """The language means stored embeddings are centred with; ``active`` is False while the index is not
    multilingual (centring a one-language pool only perturbs the model's ranking)."""

    centering: LanguageCentering = field(default_factory=LanguageCentering)
    active: bool = False
    passages: dict[str, int] = field(default_factory=dict)  # per language, when fitted

    def centre(self, vectors: Vector, lang: str) -> Vector:
        rows = np.asarray(vectors, dtype=np.float32)
        if self.active and not self.centering.empty:
            rows = rows - self.centering.mean_of(lang)
        norms = np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)
        return (rows / norms).astype(np.float32)

    def to_bytes(self) -> bytes:
        c = self.centering
        langs = list(c.offsets)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            means=c.means,
            global_mean=c.global_mean,
            offsets=np.stack([c.offsets[n] for n in langs]) if langs else np.zeros((0, 0), np.float32),
        )
        meta = {"langs": c.langs, "counts": c.counts, "offset_langs": langs, "active": self.active,
                "passages": self.passages}
        header = json.dumps(meta).encode()
        return len(header).to_bytes(4, "little") + header + buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Centering:
        if not blob:
            return cls()
        size = int.from_bytes(blob[:4], "little")
        meta = json.loads(blob[4 : 4 + size])
        with np.load(io.BytesIO(blob[4 + size :]), allow_pickle=False) as data:
            means, global_mean, offsets = data["means"], data["global_mean"], data["offsets"]
        centering = LanguageCentering(
            meta["langs"],
            means.astype(np.float32),
            global_mean.astype(np.float32),
            meta["counts"],
            {n: offsets[i].astype(np.float32) for i, n in enumerate(meta["offset_langs"])},
        )
        return cls(centering, meta["active"], meta["passages"])


_state_cache: dict[str, Any] = {"version": None, "state": Centering()}


def _state(version: int | None) -> Centering:
    """The centring state of ``version``, loaded once per process per version (a few kilobytes)."""
    if version is None:
        return Centering()
    if _state_cache["version"] != version:
        blob = CenteringState.objects.filter(pk=1).values_list("state", flat=True).first()
        _state_cache["state"] = Centering.from_bytes(bytes(blob) if blob else b"")
        _state_cache["version"] = version
    state: Centering = _state_cache["state"]
    return state


# --- literals for tsvector / tsquery ---------------------------------------------------------------------------


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _usable(term: str) -> bool:
    return 0 < len(term.encode()) <= MAX_TERM_BYTES


def tsvector_literal(counts: Mapping[str, int]) -> str:
    """A tsvector holding each token once with as many positions as it occurs (its term frequency)."""
    parts = []
    for term, tf in sorted(counts.items()):
        if _usable(term):
            parts.append(f"{_quote(term)}:{','.join(str(i) for i in range(1, min(tf, 255) + 1))}")
    return " ".join(parts)


# --- the back end ---------------------------------------------------------------------------------------------


def _register() -> None:
    """pgvector's adapters on this connection (once per connection), before any cursor copies the adapters."""
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "_cx_vector_registered", False):
        return
    from pgvector.psycopg import register_vector

    register_vector(raw)
    raw._cx_vector_registered = True  # type: ignore[union-attr]


def _facets(doc: Doc) -> dict[str, Any]:
    meta = doc.meta
    return {
        "city_id": meta.get("city_id"),
        "country": meta.get("country") or "",
        "maturity": meta.get("maturity") or "",
        "cost_band": meta.get("cost_band") or "",
        "language": meta.get("language") or "",
        "sectors": list(meta.get("sectors") or []),
        "sdgs": [int(g) for g in meta.get("sdgs") or []],
    }


def _practice_id(key: str) -> int:
    return int(key.split(":", 1)[1])


def _apply_stats(cursor: Any, terms: Counter[str], langs: dict[str, tuple[int, int, float]]) -> None:
    """Add term document frequencies and per-language counts (negative to remove), in sorted key order."""
    items = sorted((t, d) for t, d in terms.items() if d)
    if items:
        cursor.execute(
            "INSERT INTO matching_searchterm (term, df) SELECT * FROM unnest(%s::text[], %s::int[]) "
            "ON CONFLICT (term) DO UPDATE SET df = matching_searchterm.df + EXCLUDED.df",
            [[t for t, _ in items], [d for _, d in items]],
        )
    for lang in sorted(langs):
        documents, passages, length = langs[lang]
        cursor.execute(
            "INSERT INTO matching_searchlanguage (lang, documents, passages, total_length) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (lang) DO UPDATE SET documents = matching_searchlanguage.documents + EXCLUDED.documents, "
            "passages = matching_searchlanguage.passages + EXCLUDED.passages, "
            "total_length = matching_searchlanguage.total_length + EXCLUDED.total_length",
            [lang, documents, passages, length],
        )


def _current_version(cursor: Any, *, lock: bool) -> int | None:
    """The centring version writers centre with; ``lock`` (FOR SHARE) makes a re-centring wait for them and
    them wait for a re-centring, so no embedding is ever centred with means that are not the stored ones."""
    if lock:  # the row must exist to be locked (a flushed or new database has none)
        cursor.execute(
            "INSERT INTO matching_centeringstate (id, version, state) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING"
        )
    cursor.execute("SELECT version FROM matching_centeringstate WHERE id = 1 FOR SHARE" if lock else
                   "SELECT version FROM matching_centeringstate WHERE id = 1")
    row = cursor.fetchone()
    return int(row[0]) if row else None


# The columns of a passage row, in the order passage_rows() gives them (the facets last, as _facets() names them).
PASSAGE_COLUMNS = ("doc_key", "practice_id", "ordinal", "lang", "body", "embedding", "terms", "length", "city_id",
                   "country", "maturity", "cost_band", "language", "sectors", "sdgs")


def passage_rows(
    doc: Doc, vectors: Vector, state: Centering
) -> tuple[str, list[tuple[Any, ...]], Counter[str], float]:
    """The rows stored for ``doc`` (in PASSAGE_COLUMNS order: passages, vectors centred with ``state``, the
    engine's tokens as a tsvector literal, the facets), with its language, the words each passage adds to the
    document frequencies, and its total length."""
    lang = doc.lang or detect_language(f"{doc.title} {doc.text}")
    facets = _facets(doc)
    rows = []
    words: Counter[str] = Counter()
    total_length = 0.0
    centred = state.centre(vectors, lang)
    for ordinal, (passage, vector) in enumerate(zip(split_passages(doc.title, doc.text), centred, strict=True)):
        counts = term_counts(passage)
        length = float(sum(counts.values()))
        total_length += length
        words.update({t: 1 for t in counts if _usable(t)})
        rows.append((doc.id, _practice_id(doc.id), ordinal, lang, passage, HalfVector(vector),
                     tsvector_literal(counts), length, *(facets[c] for c in PASSAGE_COLUMNS[8:])))
    return lang, rows, words, total_length


class PgBackend:
    # --- writing (inside the caller's transaction) ------------------------------------------------------------

    def write(self, doc: Doc, vectors: Vector, *, text_changed: bool) -> None:
        _register()
        with connection.cursor() as raw_cursor:
            cursor: Any = raw_cursor
            if not text_changed:
                f = _facets(doc)
                cursor.execute(
                    "UPDATE matching_passage SET city_id=%s, country=%s, maturity=%s, cost_band=%s, language=%s, "
                    "sectors=%s, sdgs=%s WHERE doc_key = %s",
                    [f["city_id"], f["country"], f["maturity"], f["cost_band"], f["language"], f["sectors"],
                     f["sdgs"], doc.id],
                )
                cursor.execute("SELECT 1 FROM matching_passage WHERE doc_key = %s LIMIT 1", [doc.id])
                if cursor.fetchone() is not None:
                    return
                # Not there (an index built before this back end existed): write it in full.
            terms, langs = self._delete(cursor, doc.id)
            state = _state(_current_version(cursor, lock=True))
            lang, rows, words, total_length = passage_rows(doc, vectors, state)
            terms.update(words)
            cursor.executemany(
                "INSERT INTO matching_passage (doc_key, practice_id, ordinal, lang, body, embedding, terms, length, "
                "city_id, country, maturity, cost_band, language, sectors, sdgs) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s::tsvector, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
            d, p, length = langs.get(lang, (0, 0, 0.0))
            langs[lang] = (d + 1, p + len(rows), length + total_length)
            _apply_stats(cursor, terms, langs)
        self._maybe_refit(lang)

    def delete(self, key: str) -> None:
        with connection.cursor() as cursor:
            terms, langs = self._delete(cursor, key)
            _apply_stats(cursor, terms, langs)

    def _delete(self, cursor: Any, key: str) -> tuple[Counter[str], dict[str, tuple[int, int, float]]]:
        """Delete a document's passages; returns the statistics to subtract."""
        cursor.execute(
            "DELETE FROM matching_passage WHERE doc_key = %s "
            "RETURNING lang, length, ARRAY(SELECT lexeme FROM unnest(terms))",
            [key],
        )
        terms: Counter[str] = Counter()
        langs: dict[str, tuple[int, int, float]] = {}
        for lang, length, lexemes in cursor.fetchall():
            terms.update({t: -1 for t in lexemes})
            _d, p, total = langs.get(lang, (0, 0, 0.0))
            langs[lang] = (-1, p - 1, total - length)
        return terms, langs

    def _maybe_refit(self, lang: str) -> None:
        if _refit_due():
            transaction.on_commit(schedule_refit)

    def reset(self) -> None:
        _state_cache.update(version=None, state=Centering())

    def contains(self, key: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM matching_passage WHERE doc_key = %s LIMIT 1", [key])
            return cursor.fetchone() is not None

    # --- reading ----------------------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        vector: Vector,
        *,
        lang: str | None,
        filters: Mapping[str, Any] | None,
        exclude_city: int | None,
        k: int,
    ) -> list[Hit]:
        qlang = lang or detect_language(query)
        where, params = _where(filters, exclude_city)
        tokens = Counter({t: n for t, n in term_counts(query).items() if _usable(t)})
        _register()
        with transaction.atomic(), connection.cursor() as raw_cursor:
            cursor: Any = raw_cursor
            # One round trip for what the search needs to know first: the centring version, the per-language
            # counts, the query's word frequencies, and this transaction's settings.
            cursor.execute(
                "SELECT (SELECT version FROM matching_centeringstate WHERE id = 1), "
                "(SELECT json_agg(json_build_array(lang, documents, passages, total_length)) "
                "FROM matching_searchlanguage WHERE passages > 0), "
                "(SELECT json_agg(json_build_array(term, df)) FROM matching_searchterm WHERE term = ANY(%s)), "
                "set_config('hnsw.ef_search', %s, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                "set_config('enable_indexscan', %s, true), set_config('enable_seqscan', %s, true)",
                # ef_search at least the candidates asked for (pgvector's maximum is 1,000). No sequential scans:
                # with `LIMIT`, the planner expects a word's passages early in the table and reads all of it
                # when they are fewer than it thinks (p95 of the word lookup 350 ms → 15 ms at 100,000 practices).
                [list(tokens), str(min(1000, max(EF_SEARCH, DENSE_CANDIDATES, k * 8))), "off" if EXACT else "on",
                 "on" if EXACT else "off"],
            )
            version, stats_json, df_json, *_settings = cursor.fetchone()
            stats = {row[0]: (int(row[1]), int(row[2]), float(row[3])) for row in (stats_json or [])}
            if not stats:
                return []
            df = {str(t): int(n) for t, n in (df_json or []) if n > 0}
            state = _state(version)
            q = state.centre(vector[None, :], qlang)[0] if state.active else vector.astype(np.float32)
            qv = HalfVector(q).to_text()  # sent as text once per statement, cast by the server
            n_dense = max(DENSE_CANDIDATES, k * 8)
            # Passages expected to pass the filter: all of them without one, else the planner's estimate.
            expected = _estimated_rows(cursor, where, params) if where else sum(p for _d, p, _l in stats.values())
            # Few rows pass the filter: ranking them all is exact and faster than an HNSW walk that must step
            # over the many rows the filter rejects (measured: docs/benchmarks-pgvector.md).
            exact = bool(where) and not EXACT and expected <= FILTERED_EXACT_MAX
            words = _selecting_words(df)
            sql, sql_params = _candidates_sql(where, params, qv, n_dense, words, list(df), exact=exact)
            cursor.execute(sql, sql_params)
            fetched = cursor.fetchall()
            found = sum(1 for row in fetched if row[8])
            if not exact and not EXACT and found < min(n_dense, expected):
                # The HNSW walk came back short: the graph still holds many rows deleted or rewritten since the
                # last VACUUM (pgvector skips them, and may not reach the live ones behind them), or iterative
                # scans gave up on a filter rarer than estimated. Rank exactly instead: rare, and correct.
                log.info("HNSW scan returned %d of %d passages; ranking exactly", found, min(n_dense, expected))
                sql, sql_params = _candidates_sql(where, params, qv, n_dense, words, list(df), exact=True)
                cursor.execute(sql, sql_params)
                fetched = cursor.fetchall()
            ranked = _rank(fetched, tokens, df, stats, qlang, k)
            if not ranked:
                return []
            cursor.execute("SELECT id, body FROM matching_passage WHERE id = ANY(%s)", [[r[0] for r in ranked]])
            bodies = dict(cursor.fetchall())
        return [
            Hit(
                id=key,
                score=score,
                dense=dense,
                lexical=share,
                passage=bodies.get(pid, ""),
                passage_index=ordinal,
                lang=plang,
                meta={"city_id": city_id},
            )
            for pid, key, ordinal, plang, city_id, score, dense, share in ranked
        ]


# What a candidate row carries, in _rank's order: its meaning score (the centred cosine) and its frequencies of the
# query's words: the query's lexemes marked with a weight and only those kept (both in C) leave a handful, sent as
# tsvector text and counted in Python (_bm25). Unnesting a whole tsvector (~150 lexemes) per row cost ~0.3 ms, and
# unnesting the kept ones into arrays ~0.015 ms, the largest part of a search on 1,000 candidates. The last column
# tells the passages found by meaning (how far the HNSW walk went) from those found by words.
_CANDIDATE = ("{p}id, {p}doc_key, {p}ordinal, {p}lang, {p}city_id, -({p}embedding <#> %s::halfvec), {p}length, "
              "ts_filter(setweight({p}terms, 'A', %s::text[]), '{{a}}')::text, {dense}")


def _candidates_sql(
    where: str, params: list[Any], qv: str, n_dense: int, words: list[str], query_words: list[str], *, exact: bool
) -> tuple[str, list[Any]]:
    """The candidates, each read once with what scoring needs (_CANDIDATE): ``d`` the best ``n_dense`` passages
    by meaning (an HNSW walk with iterative scans, or with ``exact`` every passage passing the filter ranked),
    then the passages holding ``words`` that are not among them (at most LEXICAL_CANDIDATES)."""
    # `where` holds only fixed clauses with %s placeholders (_where); every value is a parameter.
    scored = [qv, query_words]
    if exact:
        dense = (f"f AS MATERIALIZED (SELECT id, embedding FROM matching_passage {where}), "  # noqa: S608
                 "top AS (SELECT id FROM f ORDER BY embedding <#> %s::halfvec LIMIT %s), "
                 f"d AS MATERIALIZED (SELECT {_CANDIDATE.format(p='p.', dense='true')} "
                 "FROM top JOIN matching_passage p ON p.id = top.id)")
        values: list[Any] = [*params, qv, n_dense, *scored]
    else:  # relaxed order (iterative scans) may return a few rows out of order: only the set is used
        dense = (f"d AS MATERIALIZED (SELECT {_CANDIDATE.format(p='', dense='true')} "  # noqa: S608
                 f"FROM matching_passage {where} ORDER BY embedding <#> %s::halfvec LIMIT %s)")
        values = [*scored, *params, qv, n_dense]
    if not words:
        return f"WITH {dense} SELECT * FROM d", values  # noqa: S608
    lexical = (f"SELECT {_CANDIDATE.format(p='', dense='false')} FROM matching_passage {where} "  # noqa: S608
               f"{'AND' if where else 'WHERE'} terms @@ %s::tsquery AND id NOT IN (SELECT id FROM d) LIMIT %s")
    values += [*scored, *params, " | ".join(_quote(t) for t in words), LEXICAL_CANDIDATES]
    return f"WITH {dense} SELECT * FROM d UNION ALL ({lexical})", values  # noqa: S608


def _estimated_rows(cursor: Any, where: str, params: list[Any]) -> float:
    """How many passages the planner expects to pass a filter, from the table's statistics (under a millisecond).
    Counting them (up to FILTERED_EXACT_MAX + 1) read tens of thousands of rows for a wide filter: half of a
    filtered search's time at 100,000 practices. A misestimate only picks the slower of two exact-enough paths."""
    # `where` holds only fixed clauses with %s placeholders (_where); every value is a parameter.
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM matching_passage {where}", params)  # noqa: S608
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


# One entry of a tsvector's text form: 'lexeme' (quotes doubled, backslashes escaped) and its positions, 1A,2A,…
_TSVECTOR_ENTRY = re.compile(r"'((?:[^'\\]|''|\\.)*)'(?::(\S+))?", re.S)
_TSVECTOR_ESCAPE = re.compile(r"''|\\(.)", re.S)


def _frequencies(tsvector: str) -> tuple[list[str], list[int]]:
    """The lexemes of a tsvector's text form and how often each occurs (its number of positions), whatever the
    words hold; `_bm25` reads the usual texts (no quote or backslash in any word) itself, in one pass."""
    lexemes: list[str] = []
    tfs: list[int] = []
    for match in _TSVECTOR_ENTRY.finditer(tsvector):
        lexemes.append(_TSVECTOR_ESCAPE.sub(lambda m: m.group(1) if m.group(1) is not None else "'", match[1]))
        tfs.append(match[2].count(",") + 1 if match[2] else 1)
    return lexemes, tfs


def _selecting_words(df: Mapping[str, int]) -> list[str]:
    """The query's words whose passages join the candidates: rarest first, as long as all their passages fit in
    LEXICAL_CANDIDATES (a word's document frequency counts its passages), so the most telling words bring every
    passage that holds them; a commoner word would only bring an arbitrary share of its own, and it still counts
    in the score of every candidate that holds it. The rarest word is always taken (its passages capped)."""
    words: list[str] = []
    total = 0
    for term in sorted((t for t in df if df[t] <= LEXICAL_MAX_DF), key=lambda t: (df[t], t))[:16]:
        if words and total + df[term] > LEXICAL_CANDIDATES:
            break
        words.append(term)
        total += df[term]
    return words


def _where(filters: Mapping[str, Any] | None, exclude_city: int | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def values(v: Any) -> list[Any]:
        return list(v) if isinstance(v, list | tuple | set | frozenset) else [v]

    for key, wanted in (filters or {}).items():
        if key == "sectors":
            clauses.append("sectors && %s::varchar[]")
            params.append([str(v) for v in values(wanted)])
        elif key == "sdgs":
            clauses.append("sdgs && %s::int[]")
            params.append([int(v) for v in values(wanted)])
        elif key in ("country", "maturity", "cost_band", "language"):
            clauses.append(f"{key} = ANY(%s)")
            params.append([str(v) for v in values(wanted)])
        elif key == "city_id":
            clauses.append("city_id = ANY(%s)")
            params.append([int(v) for v in values(wanted)])
        else:  # an unknown facet matches nothing, as in the in-process engine
            clauses.append("false")
    if exclude_city is not None:
        clauses.append("city_id IS DISTINCT FROM %s")
        params.append(exclude_city)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


# LexicalIndex's defaults.
BM25_K1 = 1.2
BM25_B = 0.75


def _bm25(
    filtered: list[str], lengths: list[float], term_weight: Mapping[str, float], avgdl: float
) -> npt.NDArray[np.float32]:
    """BM25 of each candidate from its tsvector text holding only the query's words (each word's positions are
    1..tf, so its frequency is its number of positions), read and scored in one pass."""
    k1, b = BM25_K1, BM25_B
    out = np.zeros(len(filtered), np.float32)
    for i, text in enumerate(filtered):
        if not text:
            continue
        norm = k1 * (1.0 - b + b * lengths[i] / avgdl)
        total = 0.0
        if "\\" in text or "''" in text:  # a word holding a quote or a backslash: the careful reader
            for term, tf in zip(*_frequencies(text), strict=True):
                total += term_weight.get(term, 0.0) * tf / (tf + norm)
        else:  # the usual case; the engine's tokens hold no spaces
            for entry in text.split(" "):
                quoted, colon, positions = entry.rpartition(":")
                if not colon or not quoted.endswith("'"):  # a word stored without positions
                    quoted, positions = entry, ""
                tf = positions.count(",") + 1
                total += term_weight.get(quoted[1:-1], 0.0) * tf / (tf + norm)
        out[i] = total * (k1 + 1.0)
    return out


def _rank(
    rows: list[tuple[Any, ...]],
    tokens: Counter[str],
    df: Mapping[str, int],
    stats: Mapping[str, tuple[int, int, float]],
    qlang: str,
    k: int,
) -> list[tuple[int, str, int, str, int | None, float, float, float]]:
    """The engine's fused score for each candidate passage (rows as _CANDIDATE reads them); each document by its
    best passage; the top ``k``."""
    n_passages = sum(p for _d, p, _l in stats.values()) or 1
    avgdl = (sum(length for _d, _p, length in stats.values()) / n_passages) or 1.0
    documents = sum(d for d, _p, _l in stats.values()) or 1
    same_language = stats.get(qlang, (0, 0, 0.0))[0] / documents
    k1 = BM25_K1

    def idf(n: int) -> float:
        return math.log(1.0 + (n_passages - n + 0.5) / (n + 0.5))

    saturation_at_one = (k1 + 1.0) / (1.0 + k1)
    reference = sum(qtf * idf(df.get(t, 0)) * saturation_at_one for t, qtf in tokens.items())
    weight = CONFIG.fusion.lexical_weight * same_language
    term_weight = {t: tokens[t] * idf(n) for t, n in df.items()}  # once per word, not once per passage
    bm25 = _bm25([row[7] or "" for row in rows], [float(row[6]) for row in rows], term_weight, avgdl)
    shares = lexical_share(bm25, reference, CONFIG.fusion.lexical_cap).tolist()
    best: dict[str, tuple[int, str, int, str, int | None, float, float, float]] = {}
    for (pid, key, ordinal, plang, city_id, dense, *_rest), share in zip(rows, shares, strict=True):
        score = float(dense) + weight * share
        current = best.get(key)
        if current is None or score > current[5]:
            best[key] = (pid, key, ordinal, plang, city_id, score, float(dense), share)
    return sorted(best.values(), key=lambda r: -r[5])[:k]


# --- centring: fit and re-centre ---------------------------------------------------------------------------------


def _multilingual(documents: Mapping[str, int]) -> bool:
    total = sum(documents.values())
    return sum(n >= max(2, CONFIG.min_language_share * total) for n in documents.values()) >= 2


def needs_refit(state: Centering, passages: Mapping[str, int], documents: Mapping[str, int]) -> bool:
    if _multilingual(documents) != state.active:
        return True
    if not state.active:
        return False
    for lang, n in passages.items():
        before = state.passages.get(lang, 0)
        if abs(n - before) > REFIT_DRIFT * max(before, 1):
            return True
    return False


def _refit_due() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lang, documents, passages FROM matching_searchlanguage WHERE passages > 0")
        rows = cursor.fetchall()
        version = _current_version(cursor, lock=False)
    return needs_refit(_state(version), {r[0]: r[2] for r in rows}, {r[0]: r[1] for r in rows})


def schedule_refit() -> bool:
    """Enqueue `refit_centering` (after commit) when it is still due and none waits in the queue: one fit however
    many practices a bulk load or a busy day writes. True when enqueued."""
    from django_tasks_db import DatabaseBackend

    from .tasks import refit_centering

    if not _refit_due():
        return False  # an earlier callback of the same burst already ran it (the immediate backend)
    backend = refit_centering.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=refit_centering.module_path, backend_name=backend.alias, status="READY"
        )
        if waiting.exists():
            return False
    refit_centering.enqueue()
    return True


def _stored_vectors(chunk: int = 500) -> Iterable[tuple[str, str, Vector]]:
    """(key, language, raw passage vectors) of every searchable practice, in chunks of stored rows."""
    last = 0
    while True:
        rows = list(
            IndexedDocument.objects.filter(pk__gt=last, key__startswith="practice:", active=True)
            .order_by("pk")
            .values_list("pk", "key", "lang", "vectors")[:chunk]
        )
        if not rows:
            return
        for _pk, key, lang, blob in rows:
            yield key, lang, unpack_vectors(bytes(blob))
        last = rows[-1][0]


def fit(encoder_name: str | None) -> Centering:
    """Fit the language means on the stored raw vectors of the indexed passages (one streaming pass)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lang, documents, passages FROM matching_searchlanguage WHERE passages > 0")
        rows = cursor.fetchall()
    documents = {r[0]: int(r[1]) for r in rows}
    indexed = {r[0]: int(r[2]) for r in rows}
    if not _multilingual(documents):
        return Centering(LanguageCentering(), False, indexed)
    sums: dict[str, Vector] = {}
    counts: Counter[str] = Counter()
    for _key, lang, vectors in _stored_vectors():
        sums[lang] = sums.get(lang, np.zeros(vectors.shape[1], np.float64)) + vectors.sum(axis=0)
        counts[lang] += len(vectors)
    if not sums:
        return Centering(LanguageCentering(), False, indexed)
    priors = load_priors() if CONFIG.use_priors and encoder_name == PRIORS_MODEL else None
    centering = LanguageCentering.from_sums(sums, counts, CONFIG.shrinkage, priors)
    return Centering(centering, True, indexed)


def _moved(old: Centering, new: Centering) -> bool:
    if old.active != new.active:
        return True
    if not new.active:
        return False
    if old.centering.langs != new.centering.langs:
        return True
    return bool(np.abs(old.centering.means - new.centering.means).max(initial=0.0) > REFIT_MIN_SHIFT)


def refit_centering(encoder_name: str | None) -> bool:
    """Fit the means again; re-centre every stored embedding when they moved. Idempotent. Returns True when the
    embeddings were rewritten."""
    new = fit(encoder_name)
    _register()
    with transaction.atomic(), connection.cursor() as raw_cursor:
        cursor: Any = raw_cursor
        cursor.execute(
            "INSERT INTO matching_centeringstate (id, version, state) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING"
        )
        cursor.execute("SELECT version FROM matching_centeringstate WHERE id = 1 FOR UPDATE")
        row = cursor.fetchone()
        old = _state(int(row[0])) if row else Centering()
        version = (int(row[0]) if row else 0) + 1
        rewrite = _moved(old, new)
        if not rewrite:
            new = Centering(old.centering, old.active, new.passages)  # keep the means; remember the counts
        else:
            for key, lang, vectors in _stored_vectors():
                centred = new.centre(vectors, lang)
                cursor.executemany(
                    "UPDATE matching_passage SET embedding = %s WHERE doc_key = %s AND ordinal = %s",
                    [(HalfVector(v), key, i) for i, v in enumerate(centred)],
                )
        CenteringState.objects.update_or_create(pk=1, defaults={"version": version, "state": new.to_bytes()})
    return rewrite


BACKEND = PgBackend()
assert EMBEDDING_DIM == 384
