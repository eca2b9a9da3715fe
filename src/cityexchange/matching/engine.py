"""The search index: plain records in, ranked hits with explanations out.

The Django side builds a :class:`SearchIndex` from the database at start (``rebuild``), keeps it current with
``add``/``remove`` on change events, and stores each document's passage vectors in the database
(:func:`pack_vectors` / :func:`unpack_vectors`) so a restart does not re-run the model.

Layout: rows are passages, held in one matrix (:class:`VectorStore`: float32, or int16 / int8 / float16 to
save memory; brute-force matmul is tens of milliseconds at 300,000 rows), and in the BM25 index under the same row
numbers. A document's passages are contiguous rows, so a document's score (its best passage) is one
``np.maximum.reduceat``. Removing a document marks its rows dead; dead rows are compacted away once they are a
quarter of the matrix.

Adding is linear in the number of passages: no per-document scan of a list, no refit per batch when the
caller builds in bulk (``add(..., refit=False)`` then one :meth:`SearchIndex.refit`). The index is not
thread-safe by itself: a caller that mutates it while others search must serialise them (``memory_index.py``
does, with a readers-writer lock).
"""

from __future__ import annotations

import hashlib
import struct
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .bias import LanguageCentering
from .embedding import E5Encoder, Encoder
from .fusion import FusionConfig, fuse, lexical_share
from .lexical import LexicalIndex
from .passages import split_passages
from .priors import MODEL as PRIORS_MODEL
from .priors import load as load_priors
from .tokenize import detect_language, term_counts

Mode = Literal["hybrid", "dense", "lexical"]
Storage = Literal["float32", "float16", "int16", "int8"]
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Doc:
    """A searchable record. ``meta`` holds the filterable facets (sectors, country, maturity, sdgs, city_id,
    ...): a scalar or a collection of scalars per key."""

    id: str
    title: str
    text: str
    lang: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        raw = "\0".join((self.title, self.text, self.lang or ""))
        return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    dense: float  # centred cosine of the best passage
    lexical: float  # share of the query's (rarity-weighted) terms found in that passage, 0..1
    passage: str  # the best passage: what the UI shows under "why it matched"
    passage_index: int
    lang: str
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class SearchConfig:
    mode: Mode = "hybrid"
    # Language-specific mean centring (bias.py) when the index is multilingual; off gives the raw cosine.
    center: bool = True
    # A language counts towards "multilingual" with at least this share of the documents. In a one-language
    # pool there is no language bias to remove, and centring only perturbs the model's ranking (measured:
    # es->en R@1 71.9 raw vs 68.9 centred), so it is skipped.
    min_language_share: float = 0.02
    fusion: FusionConfig = field(default_factory=FusionConfig)
    # Borrow each language's direction from the shipped prior means while the corpus has few of its passages.
    use_priors: bool = True
    shrinkage: float = 20.0
    # Refit the language means when a language's passage count has changed by this fraction.
    refit_drift: float = 0.1
    # How passage vectors are held in memory (VectorStore); docs/matching.md has the measured trade-off.
    storage: Storage = "float32"


@dataclass
class _DocEntry:
    # Only what search answers with: the text lives on as passages, holding it twice would double the memory.
    meta: Mapping[str, Any]
    slot: int
    fingerprint: str
    lang: str


Filters = Mapping[str, Any]


class VectorStore:
    """The passage matrix, in float32 or in a smaller form widened to float32 block by block when scored.

    The integer forms keep one float32 scale per row (the row's largest magnitude / the type's largest value):
    int16 holds a row in half of float32's memory with scores within ~1e-5, int8 in a quarter within ~2e-3.

    numpy multiplies only float32/float64 with BLAS; a float16 or integer matrix multiplied directly runs a plain
    loop (measured 10-20 times slower), so the compact forms are widened to float32 one block of ``BLOCK`` rows at
    a time (``matmul(..., dtype=float32)``) and multiplied there. A block of 1,024 rows (1.5 MB as float32) stays
    in the CPU cache between widening and multiplying: the integer forms then score as fast as float32, which is
    bound by memory bandwidth and reads two or four times the bytes (measured; 8,192-row blocks were several
    times slower). Widening float16 is slow in numpy whatever the block.
    The measured speed, memory and agreement of each form are in docs/benchmarks-memory-index.md
    (``benchmarks/memory_index.py``).
    """

    BLOCK = 1024
    _DTYPES: dict[str, type[np.generic]] = {
        "float32": np.float32,
        "float16": np.float16,
        "int16": np.int16,
        "int8": np.int8,
    }
    _LARGEST = {"int16": 32767.0, "int8": 127.0}  # the integer forms, scaled per row

    def __init__(self, dim: int, kind: Storage = "float32", capacity: int = 0) -> None:
        self.dim = dim
        self.kind: Storage = kind
        self.data: npt.NDArray[Any] = np.zeros((capacity, dim), dtype=self._DTYPES[kind])
        self.scale = np.ones(capacity if kind in self._LARGEST else 0, dtype=np.float32)

    @property
    def capacity(self) -> int:
        return len(self.data)

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes + self.scale.nbytes)

    def grow(self, capacity: int) -> None:
        """Reallocate to ``capacity`` rows (a new array: a reader must not hold the old one meanwhile)."""
        data = np.zeros((capacity, self.dim), dtype=self.data.dtype)
        data[: len(self.data)] = self.data
        self.data = data
        if self.kind in self._LARGEST:
            scale = np.ones(capacity, dtype=np.float32)
            scale[: len(self.scale)] = self.scale
            self.scale = scale

    def put(self, start: int, rows: Vectors) -> None:
        rows = np.asarray(rows, dtype=np.float32)
        end = start + len(rows)
        if self.kind in self._LARGEST:
            scale = np.maximum(np.abs(rows).max(axis=1, initial=0.0), 1e-12) / self._LARGEST[self.kind]
            self.data[start:end] = np.round(rows / scale[:, None])
            self.scale[start:end] = scale
        else:
            self.data[start:end] = rows

    def rows(self, start: int, end: int) -> Vectors:
        """Rows ``start:end`` as float32 (a copy)."""
        if self.kind in self._LARGEST:
            return (self.data[start:end].astype(np.float32) * self.scale[start:end, None]).astype(np.float32)
        return self.data[start:end].astype(np.float32)

    def blocks(self, n: int) -> Iterator[tuple[int, int, Vectors]]:
        """The first ``n`` rows as float32 (scaled back for the integer forms), one block at a time."""
        if self.kind == "float32":
            for a in range(0, n, self.BLOCK):
                yield a, min(a + self.BLOCK, n), self.data[a : min(a + self.BLOCK, n)]
            return
        buffer = np.empty((min(self.BLOCK, n), self.dim), dtype=np.float32)
        for a in range(0, n, self.BLOCK):
            b = min(a + self.BLOCK, n)
            block = buffer[: b - a]
            block[...] = self.data[a:b]  # the widening copy, into the reused buffer
            if self.kind in self._LARGEST:
                block *= self.scale[a:b, None]
            yield a, b, block

    def dot(self, q: Vectors, n: int) -> Vectors:
        """``rows[:n] @ q`` in float32."""
        q = np.asarray(q, dtype=np.float32)
        if self.kind == "float32":
            return np.asarray(self.data[:n] @ q, dtype=np.float32)
        out = np.empty(n, dtype=np.float32)
        for a in range(0, n, self.BLOCK):
            b = min(a + self.BLOCK, n)
            np.matmul(self.data[a:b], q, out=out[a:b], dtype=np.float32, casting="unsafe")
        if self.kind in self._LARGEST:
            out *= self.scale[:n]
        return out

    def take(self, keep: npt.NDArray[np.bool_]) -> VectorStore:
        """A new store with the rows where ``keep`` is True (``keep`` covers the used rows)."""
        out = VectorStore(self.dim, self.kind)
        n = len(keep)
        out.data = np.ascontiguousarray(self.data[:n][keep])
        if self.kind in self._LARGEST:
            out.scale = self.scale[:n][keep]
        return out


class SearchIndex:
    def __init__(self, encoder: Encoder | None = None, config: SearchConfig | None = None) -> None:
        self.encoder: Encoder = encoder if encoder is not None else E5Encoder()
        self.config = config or SearchConfig()
        self._lexical = LexicalIndex()
        self._entries: dict[str, _DocEntry] = {}
        # Per slot (documents in insertion order; slot order == row order).
        self._slot_ids: list[str | None] = []
        self._slot_start: list[int] = []
        # Per row (passages).
        self._vectors = VectorStore(self.encoder.dim, self.config.storage)
        self._n_rows = 0
        self._row_slot = np.zeros(0, dtype=np.int64)
        self._row_lang = np.zeros(0, dtype=np.int64)  # index into self._centering.langs (-1 = global)
        self._row_norm = np.ones(0, dtype=np.float32)
        self._row_alive = np.zeros(0, dtype=bool)
        self._row_code = np.zeros(0, dtype=np.int64)  # index into self._lang_names
        self._lang_names: list[str] = []
        self._lang_index: dict[str, int] = {}
        self._lang_count: Counter[str] = Counter()  # live documents per language
        self._passages: list[str] = []
        self._centering = LanguageCentering()
        self._centering_row: dict[str, int] = {}  # language -> row of the centring means (-1: the global one)
        self._fitted_counts: dict[str, int] = {}
        self._facets: dict[str, dict[Any, set[int]]] = {}
        self._starts_cache: npt.NDArray[np.int64] | None = None

    # --- writing -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def add(self, docs: Iterable[Doc], vectors: Mapping[str, Vectors] | None = None, *, refit: bool = True) -> None:
        """Add or replace documents, idempotently by id.

        A document already indexed with the same title, text and language only has its facets updated;
        otherwise it is re-split and re-embedded. ``vectors`` may give a document's passage vectors (from
        :meth:`passage_vectors`, stored in the database) to skip the model. ``refit=False`` leaves the language
        means alone (a bulk build calls :meth:`refit` once at the end instead of every time a language grew).
        """
        vectors = vectors or {}
        fresh: dict[str, tuple[Doc, str, list[str]]] = {}
        for doc in docs:
            entry = self._entries.get(doc.id)
            fingerprint = doc.fingerprint()
            if entry is not None and entry.fingerprint == fingerprint:
                self._unindex_facets(entry.slot, entry.meta)
                entry.meta = doc.meta
                self._index_facets(entry.slot, doc.meta)
                continue
            if entry is not None:
                self._remove_one(doc.id)
            fresh.pop(doc.id, None)  # the last version of a repeated id wins
            fresh[doc.id] = (doc, fingerprint, split_passages(doc.title, doc.text))
        if not fresh:
            return
        to_embed = [p for doc, _fp, passages in fresh.values() if doc.id not in vectors for p in passages]
        embedded = self.encoder.passage(to_embed) if to_embed else np.zeros((0, self.encoder.dim), np.float32)
        self._grow(self._n_rows + sum(len(passages) for _doc, _fp, passages in fresh.values()))
        cursor = 0
        first_row = self._n_rows
        for doc, fingerprint, passages in fresh.values():
            given = vectors.get(doc.id)
            if given is not None and len(given) == len(passages):
                rows = np.asarray(given, dtype=np.float32)
            else:
                if given is not None:  # stale stored vectors (the splitter changed): embed afresh
                    rows = self.encoder.passage(passages)
                else:
                    rows = embedded[cursor : cursor + len(passages)]
                    cursor += len(passages)
            self._append(doc, fingerprint, passages, rows)
        # The BM25 side in one call for the whole batch: per-row calls cost most of a bulk load's time.
        self._lexical.add_many(first_row, [term_counts(p) for p in self._passages[first_row : self._n_rows]])
        if refit:
            self._maybe_refit()

    def _append(self, doc: Doc, fingerprint: str, passages: list[str], rows: Vectors) -> None:
        lang = doc.lang or detect_language(f"{doc.title} {doc.text}")
        slot = len(self._slot_ids)
        self._slot_ids.append(doc.id)
        self._slot_start.append(self._n_rows)
        self._entries[doc.id] = _DocEntry(doc.meta, slot, fingerprint, lang)
        self._index_facets(slot, doc.meta)
        start, n = self._n_rows, len(passages)
        self._grow(start + n)
        self._vectors.put(start, rows)
        self._row_slot[start : start + n] = slot
        self._row_lang[start : start + n] = self._centering_row.get(lang, -1)
        self._row_alive[start : start + n] = True
        mean = self._centering.mean_of(lang) if not self._centering.empty else None
        self._row_norm[start : start + n] = self._centred_norms(self._vectors.rows(start, start + n), mean)
        if lang not in self._lang_index:
            self._lang_index[lang] = len(self._lang_names)
            self._lang_names.append(lang)
        self._row_code[start : start + n] = self._lang_index[lang]
        self._lang_count[lang] += 1
        self._passages.extend(passages)
        self._n_rows += n

    def _grow(self, needed: int) -> None:
        capacity = self._vectors.capacity
        if needed <= capacity:
            return
        new = max(needed, int(capacity * 1.5) + 64)

        def grown(arr: npt.NDArray[Any], fill: Any) -> npt.NDArray[Any]:
            out = np.full((new, *arr.shape[1:]), fill, dtype=arr.dtype)
            out[: len(arr)] = arr
            return out

        self._vectors.grow(new)
        self._row_slot = grown(self._row_slot, -1)
        self._row_lang = grown(self._row_lang, -1)
        self._row_code = grown(self._row_code, 0)
        self._row_norm = grown(self._row_norm, 1.0)
        self._row_alive = grown(self._row_alive, False)

    def remove(self, ids: Iterable[str]) -> None:
        """Remove documents by id; unknown ids are ignored (idempotent)."""
        for doc_id in ids:
            self._remove_one(doc_id)
        dead = self._n_rows - int(self._row_alive[: self._n_rows].sum())
        if dead > max(1000, self._n_rows // 4):
            self._compact()

    def _remove_one(self, doc_id: str) -> None:
        entry = self._entries.pop(doc_id, None)
        if entry is None:
            return
        self._unindex_facets(entry.slot, entry.meta)
        self._lang_count[entry.lang] -= 1
        self._slot_ids[entry.slot] = None
        rows = self._slot_rows(entry.slot)
        self._row_alive[rows.start : rows.stop] = False
        for row in rows:
            self._lexical.remove(row)

    def rebuild(self, docs: Iterable[Doc], vectors: Mapping[str, Vectors] | None = None) -> None:
        """Replace the whole content (what the app does at start, from the database)."""
        docs = list(docs)
        self.__init__(self.encoder, self.config)  # type: ignore[misc]
        self.add(docs, vectors)
        self.refit()

    def _starts_array(self) -> npt.NDArray[np.int64]:
        # Converting a 100,000-element list costs milliseconds per query: keep the array until it changes.
        cached = self._starts_cache
        if cached is None or len(cached) != len(self._slot_start):
            cached = np.array(self._slot_start, dtype=np.int64)
            self._starts_cache = cached
        return cached

    def _slot_rows(self, slot: int) -> range:
        end = self._slot_start[slot + 1] if slot + 1 < len(self._slot_start) else self._n_rows
        return range(self._slot_start[slot], end)

    def _compact(self) -> None:
        keep = self._row_alive[: self._n_rows].copy()
        self._lexical.compact(keep)
        n = int(keep.sum())
        live = np.array([doc_id is not None for doc_id in self._slot_ids], dtype=bool)
        live_slots = np.flatnonzero(live)
        slot_map = np.cumsum(live) - 1  # old slot -> new slot (for live slots)
        self._vectors = self._vectors.take(keep)
        self._row_lang = self._row_lang[: self._n_rows][keep]
        self._row_norm = self._row_norm[: self._n_rows][keep]
        self._row_slot = slot_map[self._row_slot[: self._n_rows][keep]].astype(np.int64)
        self._row_alive = np.ones(n, dtype=bool)
        self._row_code = self._row_code[: self._n_rows][keep]
        self._passages = [x for x, k in zip(self._passages, keep, strict=True) if k]
        self._n_rows = n
        self._slot_ids = [self._slot_ids[s] for s in live_slots.tolist()]
        starts = np.searchsorted(self._row_slot, np.arange(len(live_slots)))
        self._slot_start = starts.tolist()
        self._starts_cache = None
        for entry in self._entries.values():
            entry.slot = int(slot_map[entry.slot])
        self._facets = {}
        for entry in self._entries.values():
            self._index_facets(entry.slot, entry.meta)

    # --- facets --------------------------------------------------------------------------------------------

    @staticmethod
    def _values(value: Any) -> Iterable[Any]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            return (value,)
        return value

    def _index_facets(self, slot: int, meta: Mapping[str, Any]) -> None:
        for key, value in meta.items():
            for v in self._values(value):
                self._facets.setdefault(key, {}).setdefault(v, set()).add(slot)

    def _unindex_facets(self, slot: int, meta: Mapping[str, Any]) -> None:
        for key, value in meta.items():
            for v in self._values(value):
                self._facets.get(key, {}).get(v, set()).discard(slot)

    def _slots_with(self, key: str, wanted: Any) -> list[int]:
        index = self._facets.get(key, {})
        allowed: set[int] = set()
        for v in self._values(wanted):
            allowed |= index.get(v, set())
        return list(allowed)

    def _filter_mask(
        self, filters: Filters | None, ids: Collection[str] | None, exclude: Filters | None = None
    ) -> npt.NDArray[np.bool_] | None:
        """Allowed slots: every filter key must match (AND); a collection of values matches any (OR), and a
        document with several values (sectors) matches when one of them is allowed. ``exclude`` takes out every
        document having any of the given values (``{"city_id": 5}``: not the asking city's own)."""
        if not filters and ids is None and not exclude:
            return None
        mask = np.ones(len(self._slot_ids), dtype=bool)
        for key, wanted in (filters or {}).items():
            key_mask = np.zeros(len(self._slot_ids), dtype=bool)
            key_mask[self._slots_with(key, wanted)] = True
            mask &= key_mask
        for key, unwanted in (exclude or {}).items():
            mask[self._slots_with(key, unwanted)] = False
        if ids is not None:
            id_mask = np.zeros(len(self._slot_ids), dtype=bool)
            id_mask[[self._entries[i].slot for i in ids if i in self._entries]] = True
            mask &= id_mask
        return mask

    # --- language statistics -------------------------------------------------------------------------------

    def _lang_counts(self) -> dict[str, int]:
        return {lang: n for lang, n in self._lang_count.items() if n > 0}

    def _maybe_refit(self) -> None:
        counts = self._lang_counts()
        for lang, n in counts.items():
            before = self._fitted_counts.get(lang, 0)
            if abs(n - before) > self.config.refit_drift * max(before, 1):
                self.refit()
                return

    def refit(self) -> None:
        """Re-estimate the per-language means from the live passages (unsupervised) and the row norms."""
        n = self._n_rows
        # Sums per language, block by block: never a float32 copy of the whole matrix.
        n_codes = max(len(self._lang_names), 1)
        sums = np.zeros((n_codes, self.encoder.dim), dtype=np.float64)
        counts = np.zeros(n_codes, dtype=np.int64)
        for a, b, block in self._vectors.blocks(n):
            alive = self._row_alive[a:b]
            codes = self._row_code[a:b][alive]
            counts += np.bincount(codes, minlength=n_codes)
            self._add_by_code(sums, codes, block[alive])
        names = self._lang_names or [""]
        self._centering = LanguageCentering.from_sums(
            {name: sums[i] for i, name in enumerate(names)},
            {name: int(counts[i]) for i, name in enumerate(names)},
            self.config.shrinkage,
            load_priors() if self.config.use_priors and getattr(self.encoder, "name", None) == PRIORS_MODEL else None,
        )
        self._fitted_counts = self._lang_counts()
        index = {lang: i for i, lang in enumerate(self._centering.langs)}
        self._centering_row = index
        code_to_row = np.array([index.get(name, -1) for name in self._lang_names] or [-1], dtype=np.int64)
        self._row_lang[:n] = code_to_row[self._row_code[:n]]
        self._row_norm[:n] = self._centred_norms_rows(0, n)

    @staticmethod
    def _add_by_code(sums: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], rows: Vectors) -> None:
        # One matmul with a one-hot matrix: np.add.at over thousands of rows is a slow unbuffered loop.
        onehot = np.zeros((len(sums), len(codes)), dtype=np.float32)
        onehot[codes, np.arange(len(codes))] = 1.0
        sums += onehot @ rows

    def _centred_norms(self, rows: Vectors, mean: Vectors | None) -> Vectors:
        if mean is None:
            return np.ones(len(rows), dtype=np.float32)
        return np.maximum(np.linalg.norm(rows - mean, axis=1), 1e-6).astype(np.float32)

    def _centred_norms_rows(self, start: int, end: int, chunk: int = 8192) -> Vectors:
        out = np.ones(end - start, dtype=np.float32)
        if self._centering.empty:
            return out
        table = np.vstack([self._centering.means, self._centering.global_mean[None, :]])
        for a in range(start, end, chunk):
            b = min(a + chunk, end)
            means = table[self._row_lang[a:b]]  # -1 picks the global mean, the table's last row
            out[a - start : b - start] = np.maximum(np.linalg.norm(self._vectors.rows(a, b) - means, axis=1), 1e-6)
        return out

    # --- reading -------------------------------------------------------------------------------------------

    @property
    def multilingual(self) -> bool:
        counts = self._lang_counts()
        total = sum(counts.values())
        return sum(n >= max(2, self.config.min_language_share * total) for n in counts.values()) >= 2

    def language_share(self, query: str, lang: str | None = None) -> float:
        """Share of the indexed documents written in the query's language."""
        counts = self._lang_counts()
        total = sum(counts.values())
        return counts.get(self.query_language(query, lang), 0) / total if total else 0.0

    def query_language(self, query: str, lang: str | None = None) -> str:
        return lang or detect_language(query)

    def row_scores(
        self, query: str, *, lang: str | None = None, mode: Mode | None = None, vector: Vectors | None = None
    ) -> tuple[Vectors, Vectors, Vectors]:
        """(fused, dense, lexical share) per passage row, before document grouping and filters. ``vector`` is
        the query's raw embedding when the caller has it already (cached, or stored with a challenge); without
        it the encoder embeds ``query``."""
        mode = mode or self.config.mode
        n = self._n_rows
        dense = np.zeros(n, dtype=np.float32)
        share = np.zeros(n, dtype=np.float32)
        if mode in ("hybrid", "dense") and n:
            q = np.asarray(vector, dtype=np.float32) if vector is not None else self.encoder.query([query])[0]
            centre = self.config.center and not self._centering.empty and self.multilingual
            if centre:
                # Centre the query too, with its language's passage mean: removes the query's own language
                # direction, which otherwise favours passages that kept some of it (+0.05 pooled mAP).
                q = q - self._centering.mean_of(self.query_language(query, lang))
                q = (q / max(float(np.linalg.norm(q)), 1e-6)).astype(np.float32)
            dense = self._vectors.dot(q, n)
            if centre:
                table = np.concatenate([self._centering.means @ q, [self._centering.global_mean @ q]])
                dense = (dense - table[self._row_lang[:n]].astype(np.float32)) / self._row_norm[:n]
        if mode in ("hybrid", "lexical") and n:
            bm25, reference = self._lexical.scores(term_counts(query).elements())
            share = lexical_share(bm25, reference, self.config.fusion.lexical_cap)
            if mode == "lexical":
                return share, dense, share
            fused = fuse(dense, bm25, reference, self.config.fusion, self.language_share(query, lang))
            return fused, dense, share
        return dense, dense, share

    def doc_scores(
        self,
        query: str,
        *,
        lang: str | None = None,
        filters: Filters | None = None,
        ids: Collection[str] | None = None,
        mode: Mode | None = None,
        vector: Vectors | None = None,
        exclude: Filters | None = None,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64], list[str | None]]:
        """Score of every document slot (best passage; -inf for removed or filtered-out ones), the best row of
        each slot, and the slot ids. Benchmarks use it to rank a whole pool; :meth:`search` to take the top."""
        fused, _dense, _share = self.row_scores(query, lang=lang, mode=mode, vector=vector)
        n_slots = len(self._slot_ids)
        if n_slots == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64), []
        fused = np.where(self._row_alive[: self._n_rows], fused, -np.inf).astype(np.float32)
        starts = self._starts_array()
        # reduceat needs non-empty segments; every document has at least one passage, so they are.
        best = np.maximum.reduceat(fused, starts)
        mask = self._filter_mask(filters, ids, exclude)
        if mask is not None:
            best = np.where(mask, best, -np.inf).astype(np.float32)
        # The best row of each slot, to show its passage; only needed for the slots we return.
        return best, starts, self._slot_ids

    def search(
        self,
        query: str,
        *,
        lang: str | None = None,
        filters: Filters | None = None,
        ids: Collection[str] | None = None,
        k: int = 10,
        mode: Mode | None = None,
        vector: Vectors | None = None,
        exclude: Filters | None = None,
    ) -> list[Hit]:
        """Top ``k`` documents for ``query`` in any language.

        ``filters`` maps a facet of ``Doc.meta`` to an allowed value or collection of values; ``exclude`` maps
        a facet to values whose documents are left out (``{"city_id": 5}``); ``ids`` limits the search to
        documents the caller may see (the database applies visibility, the index ranks). ``vector`` is the
        query's raw embedding when already known (the encoder is then not called).
        """
        if not query.strip() or not self._entries:
            return []
        fused, dense, share = self.row_scores(query, lang=lang, mode=mode, vector=vector)
        fused = np.where(self._row_alive[: self._n_rows], fused, -np.inf).astype(np.float32)
        starts = self._starts_array()
        best = np.maximum.reduceat(fused, starts)
        mask = self._filter_mask(filters, ids, exclude)
        if mask is not None:
            best = np.where(mask, best, -np.inf).astype(np.float32)
        k = min(k, len(best))
        top = np.argpartition(-best, k - 1)[:k] if k < len(best) else np.arange(len(best))
        top = top[np.argsort(-best[top], kind="stable")]
        hits = []
        for slot in top:
            if not np.isfinite(best[slot]):
                break
            rows = self._slot_rows(int(slot))
            row = rows.start + int(np.argmax(fused[rows.start : rows.stop]))
            doc_id = self._slot_ids[slot]
            assert doc_id is not None
            entry = self._entries[doc_id]
            hits.append(
                Hit(
                    id=doc_id,
                    score=float(best[slot]),
                    dense=float(dense[row]),
                    lexical=float(share[row]),
                    passage=self._passages[row],
                    passage_index=row - rows.start,
                    lang=entry.lang,
                    meta=entry.meta,
                )
            )
        return hits

    def passage_vectors(self, doc_id: str) -> Vectors:
        """The raw (uncentred) passage vectors of a document, to store in the database."""
        entry = self._entries[doc_id]
        rows = self._slot_rows(entry.slot)
        return self._vectors.rows(rows.start, rows.stop)

    def memory_bytes(self) -> int:
        """Bytes of the per-row arrays (vectors and their bookkeeping), at their allocated capacity."""
        per_row = (self._row_slot, self._row_lang, self._row_norm, self._row_alive, self._row_code)
        return int(self._vectors.nbytes + sum(a.nbytes for a in per_row))


# --- persistence ---------------------------------------------------------------------------------------------

_HEADER = struct.Struct("<4sBII")  # magic, dtype (0 float32, 1 int8), rows, dim


def pack_vectors(rows: Vectors, int8: bool = False) -> bytes:
    """Bytes for a database column. ``int8`` stores one float32 scale per row and int8 values: 4x smaller,
    cosine changes by ~1e-3, below what reorders results in practice."""
    rows = np.asarray(rows, dtype=np.float32)
    n, dim = rows.shape
    if not int8:
        return _HEADER.pack(b"CXV1", 0, n, dim) + rows.astype("<f4").tobytes()
    scale = np.maximum(np.abs(rows).max(axis=1), 1e-12) / 127.0
    quant = np.round(rows / scale[:, None]).astype(np.int8)
    return _HEADER.pack(b"CXV1", 1, n, dim) + scale.astype("<f4").tobytes() + quant.tobytes()


def unpack_vectors(blob: bytes) -> Vectors:
    magic, kind, n, dim = _HEADER.unpack_from(blob)
    if magic != b"CXV1":
        raise ValueError("not a packed vector blob")
    body = memoryview(blob)[_HEADER.size :]
    if kind == 0:
        return np.frombuffer(body, dtype="<f4", count=n * dim).reshape(n, dim).astype(np.float32)
    scale = np.frombuffer(body, dtype="<f4", count=n)
    quant = np.frombuffer(body[4 * n :], dtype=np.int8, count=n * dim).reshape(n, dim)
    return (quant.astype(np.float32) * scale[:, None]).astype(np.float32)


def build_index(
    docs: Sequence[Doc],
    *,
    encoder: Encoder | None = None,
    config: SearchConfig | None = None,
    stored_vectors: Mapping[str, bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 256,
) -> SearchIndex:
    """Build an index from records, reusing stored vectors (``pack_vectors`` blobs) where given."""
    index = SearchIndex(encoder, config)
    vectors = {k: unpack_vectors(v) for k, v in (stored_vectors or {}).items()}
    for start in range(0, len(docs), batch):
        index.add(docs[start : start + batch], vectors, refit=False)
        if progress is not None:
            progress(min(start + batch, len(docs)), len(docs))
    index.refit()
    return index
