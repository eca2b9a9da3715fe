"""In-process BM25 inverted index.

Why not SQLite FTS5 / PostgreSQL full-text search, which the stack table first named: the two databases
tokenise differently (FTS5's unicode61 has no CJK or Thai segmentation, PostgreSQL's configurations are
per-language and miss Hindi, Amharic, Thai, ...), so the same query would rank differently on the embedded and
the scaled deployment, and neither sees our fused score. Doing BM25 here keeps one tokeniser (``tokenize.py``)
everywhere, and the index is rebuilt from the database at start exactly like the vectors are. At 100,000
passages a query costs a few milliseconds (numpy gathers over posting arrays); see
``docs/benchmarks-retrieval.md``.

Rows are passages, numbered by the caller (the engine keeps the dense matrix on the same numbering). Removal
marks a row dead; :meth:`compact` drops dead rows when the engine decides to.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float32]


class LexicalIndex:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._vocab: dict[str, int] = {}
        self._rows: list[array[int]] = []  # term id -> rows containing it (ascending)
        self._tfs: list[array[float]] = []  # term id -> term frequency in each of those rows
        # Numpy copies of posting lists, rebuilt lazily when a list has grown since it was cached.
        self._cache: dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]] = {}
        self._lengths = array("f")
        self._alive = bytearray()
        self._n_alive = 0
        self._total_length = 0.0

    # --- writing -------------------------------------------------------------------------------------------

    @property
    def n_rows(self) -> int:
        return len(self._lengths)

    def add(self, row: int, counts: Counter[str]) -> None:
        """Index a passage's term counts as ``row``, which must be the next row number."""
        if row != self.n_rows:
            raise ValueError(f"rows are appended in order: expected {self.n_rows}, got {row}")
        for term, tf in counts.items():
            tid = self._vocab.get(term)
            if tid is None:
                tid = self._vocab[term] = len(self._rows)
                self._rows.append(array("q"))
                self._tfs.append(array("f"))
            self._rows[tid].append(row)
            self._tfs[tid].append(float(tf))
        length = float(sum(counts.values()))
        self._lengths.append(length)
        self._alive.append(1)
        self._n_alive += 1
        self._total_length += length

    def add_many(self, start: int, rows: Sequence[Counter[str]]) -> None:
        """Index consecutive passages as rows ``start``, ``start + 1``, ...: what :meth:`add` does row by row,
        with one array extension per term instead of two appends per term occurrence (building an index of
        100,000 documents spends most of its time here)."""
        if start != self.n_rows:
            raise ValueError(f"rows are appended in order: expected {self.n_rows}, got {start}")
        if not rows:
            return
        vocab = self._vocab
        tids: list[int] = []
        tfs: list[int] = []
        sizes: list[int] = []
        for counts in rows:
            tids.extend([vocab.setdefault(term, len(vocab)) for term in counts])
            tfs.extend(counts.values())
            sizes.append(len(counts))
        for _ in range(len(self._rows), len(vocab)):
            self._rows.append(array("q"))
            self._tfs.append(array("f"))
        tid = np.asarray(tids, dtype=np.int64)
        row = np.repeat(np.arange(start, start + len(rows), dtype=np.int64), sizes)
        tf = np.asarray(tfs, dtype=np.float32)
        order = np.argsort(tid, kind="stable")  # stable: each term's rows stay ascending
        tid, row, tf = tid[order], row[order], tf[order]
        cuts = np.flatnonzero(np.diff(tid)) + 1
        for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(tid)], strict=True):
            if a == b:
                continue
            t = int(tid[a])
            self._rows[t].frombytes(row[a:b].tobytes())
            self._tfs[t].frombytes(tf[a:b].tobytes())
        lengths = [float(sum(counts.values())) for counts in rows]
        self._lengths.extend(lengths)
        self._total_length += sum(lengths)
        self._alive.extend(b"\x01" * len(rows))
        self._n_alive += len(rows)

    def remove(self, row: int) -> None:
        if self._alive[row]:
            self._alive[row] = 0
            self._n_alive -= 1
            self._total_length -= self._lengths[row]

    def compact(self, keep: npt.NDArray[np.bool_]) -> None:
        """Drop every row where ``keep`` is False and renumber the rest in order (the engine does the same to
        its vectors so both sides stay aligned)."""
        remap = np.cumsum(keep) - 1
        for tid in range(len(self._rows)):
            rows = np.frombuffer(self._rows[tid], dtype=np.int64)
            tfs = np.frombuffer(self._tfs[tid], dtype=np.float32)
            mask = keep[rows]
            self._rows[tid] = array("q", remap[rows[mask]].tolist())
            self._tfs[tid] = array("f", tfs[mask].tolist())
        lengths = np.frombuffer(self._lengths, dtype=np.float32)[keep]
        self._lengths = array("f", lengths.tolist())
        self._alive = bytearray(np.frombuffer(self._alive, dtype=np.uint8)[keep].tobytes())
        self._cache.clear()

    # --- reading -------------------------------------------------------------------------------------------

    def _postings(self, tid: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        cached = self._cache.get(tid)
        if cached is None or len(cached[0]) != len(self._rows[tid]):
            cached = (
                np.array(self._rows[tid], dtype=np.int64),
                np.array(self._tfs[tid], dtype=np.float32),
            )
            self._cache[tid] = cached
        return cached

    def idf(self, df: int) -> float:
        # The "+1" form of BM25's idf never goes negative, so a term in most rows adds little instead of
        # subtracting; an unknown term gets the largest idf, which matters for :meth:`query_weight`.
        n = max(self._n_alive, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, tokens: Iterable[str]) -> tuple[Scores, float]:
        """BM25 score of every row (dead rows score 0) and the query's reference weight.

        The reference weight is what a passage of average length containing every query term once would
        score. ``scores / weight`` is then "how much of the query, weighted by rarity, this passage contains",
        comparable across queries and corpora, which is what fusion needs (``fusion.py``).
        """
        n_rows = self.n_rows
        out = np.zeros(n_rows, dtype=np.float32)
        query = Counter(tokens)
        if not query or n_rows == 0:
            return out, 0.0
        alive = np.frombuffer(self._alive, dtype=np.uint8)
        avgdl = self._total_length / max(self._n_alive, 1) or 1.0
        lengths = np.frombuffer(self._lengths, dtype=np.float32)
        norm: npt.NDArray[np.float32] | None = None
        k1 = self.k1
        reference = 0.0
        saturation_at_one = (k1 + 1.0) / (1.0 + k1)
        for term, qtf in query.items():
            tid = self._vocab.get(term)
            if tid is None:
                reference += qtf * self.idf(0) * saturation_at_one
                continue
            rows, tfs = self._postings(tid)
            if self._n_alive == n_rows:  # nothing removed since the last compaction: skip the liveness mask
                live = None
                df = len(rows)
            else:
                live = alive[rows].astype(bool)
                df = int(live.sum())
            idf = self.idf(df)
            reference += qtf * idf * saturation_at_one
            if df == 0:
                continue
            if norm is None:
                norm = (k1 * (1.0 - self.b + self.b * lengths / avgdl)).astype(np.float32)
            if live is not None:
                rows, tfs = rows[live], tfs[live]
            # Rows are unique within one posting list, so a fancy-indexed += is safe (no np.add.at needed).
            out[rows] += (qtf * idf) * tfs * (k1 + 1.0) / (tfs + norm[rows])
        return out, reference

    def __len__(self) -> int:
        return self._n_alive
