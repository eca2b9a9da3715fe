"""The in-process index of the embedded default (SQLite): each process holds the engine in memory and follows
the commit-ordered change log.

Writers append an `IndexChange` row in the same transaction as the `IndexedDocument` row they change. A process
remembers the highest change id it has applied; before answering (at most every `SYNC_INTERVAL` seconds, or at
once after a change of its own) it applies the changes above that id. Ids follow commit order on SQLite (one
writer at a time, AUTOINCREMENT never reuses an id), so no committed change can be skipped, whatever the clocks
of the writers say.

At first use the index is built from the stored vectors in chunks of `LOAD_CHUNK` rows (each chunk one range
query on the primary key and one `pk__in` of at most `LOAD_CHUNK` practices: linear in the number of
documents, no model run, no query that grows with the corpus).

Threads (a threaded server shares one index between its threads):
- A full build (the first one, or after more than `REBUILD_AFTER` changes) goes into a fresh object while
  searches keep using the old one; the new one replaces it by one reference assignment. A search holds the
  object it started with, so it never sees a half-built index.
- A small catch-up mutates the live index in place, because copying a matrix of hundreds of megabytes for a
  handful of changed practices would cost more than the change. Mutation reallocates numpy arrays (growth,
  compaction) that a search reads several times, so it happens under the write side of a readers-writer lock
  whose read side every search holds: searches run together (numpy releases the GIL in the matmul), a catch-up
  waits for the running ones and holds back new ones only for the milliseconds of applying it. The database
  reads of a catch-up happen before it takes the lock.
- One thread at a time syncs (`_sync_lock`); the others answer from the index they have, unless it is stale
  for them too, in which case they wait for the sync rather than answer without their own write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Max

from cityexchange.practices.models import Practice

from .documents import practice_doc, practice_key
from .engine import Doc, Hit, SearchConfig, SearchIndex, Storage, Vectors, unpack_vectors
from .models import IndexChange, IndexedDocument
from .store import Vector, encoder

SYNC_INTERVAL = 2.0
LOAD_CHUNK = 2000
# More pending changes than this (or than a quarter of the index) and a fresh build is cheaper than patching.
REBUILD_AFTER = 5000
# How vectors are held in memory: int16 with a scale per row halves float32's memory at the same speed and
# ranks identically; int8 (a quarter) cost 0.5 point of R@1 on one language pair. Figures in docs/matching.md
# ("The in-process index (SQLite)").
STORAGE: Storage = "int16"


def _docs(ids: list[int]) -> dict[str, Doc]:
    practices = (
        Practice.objects.filter(pk__in=ids, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
    )
    return {practice_key(p.pk): practice_doc(p) for p in practices}


def _searchable(rows: list[tuple[str, bytes | memoryview]]) -> tuple[list[Doc], dict[str, Vectors]]:
    """The documents (published practices) and raw vectors of the given active (key, vectors) rows."""
    docs = _docs([int(key.split(":", 1)[1]) for key, _blob in rows])
    vectors = {key: unpack_vectors(bytes(blob)) for key, blob in rows if key in docs}
    return [docs[key] for key, _blob in rows if key in docs], vectors


class _ReadWriteLock:
    """Many readers at once or one writer alone; a waiting writer holds back new readers, so a steady stream of
    searches cannot starve a sync. Not reentrant: a holder must not take it again."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class MemoryBackend:
    def __init__(self, *, sync_interval: float | None = None, storage: Storage | None = None) -> None:
        """``sync_interval`` (seconds between looks at the change log; the module's `SYNC_INTERVAL` by default)
        and ``storage`` (`STORAGE` by default) are here so tests and benchmarks can choose them."""
        self.sync_interval = sync_interval
        self.storage = storage
        self._rw = _ReadWriteLock()
        self._sync_lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._seen = 0  # the highest IndexChange id applied
        self._checked = 0.0  # monotonic time the last sync started
        # mark_stale bumps _wanted; a sync that started at generation g makes the index current up to g. A
        # generation rather than a flag: a sync that began before this process's write must not clear it.
        self._wanted = 0
        self._synced = 0

    # --- writing (inside the caller's transaction) ------------------------------------------------------------

    def write(self, doc: Doc, vectors: Vector, *, text_changed: bool) -> None:
        IndexChange.objects.create(key=doc.id)
        transaction.on_commit(self.mark_stale)

    def delete(self, key: str) -> None:
        IndexChange.objects.create(key=key)
        transaction.on_commit(self.mark_stale)

    def mark_stale(self) -> None:
        """This process changed the index: look at the change log before the next answer."""
        self._wanted += 1

    def reset(self) -> None:
        with self._sync_lock:
            self._index, self._seen, self._checked = None, 0, 0.0

    # --- keeping current --------------------------------------------------------------------------------------

    def _interval(self) -> float:
        return SYNC_INTERVAL if self.sync_interval is None else self.sync_interval

    def _fresh(self) -> bool:
        return (
            self._index is not None
            and self._synced >= self._wanted
            and time.monotonic() - self._checked < self._interval()
        )

    def _new_index(self) -> SearchIndex:
        return SearchIndex(encoder(), SearchConfig(storage=self.storage or STORAGE))

    def _build(self) -> tuple[SearchIndex, int]:
        """A complete index from the stored vectors, in chunks; the model does not run."""
        seen = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0  # read first: later changes are applied later
        index = self._new_index()
        last = 0
        while True:
            chunk = list(
                IndexedDocument.objects.filter(pk__gt=last, key__startswith="practice:", active=True)
                .order_by("pk")
                .values_list("pk", "key", "vectors")[:LOAD_CHUNK]
            )
            if not chunk:
                break
            docs, vectors = _searchable([(key, blob) for _pk, key, blob in chunk])
            index.add(docs, vectors, refit=False)  # one refit at the end, not one per chunk
            last = chunk[-1][0]
        index.refit()
        return index, seen

    def sync(self) -> SearchIndex:
        """Catch up with the change log now (or build the index if this process has none) and return it."""
        with self._sync_lock:
            return self._sync()

    def _sync(self) -> SearchIndex:
        wanted, started = self._wanted, time.monotonic()
        index = self._index
        if index is None:
            index, self._seen = self._build()
            self._index = index
            self._checked, self._synced = started, wanted
            return index
        limit = max(REBUILD_AFTER, 1)
        changes = list(
            IndexChange.objects.filter(id__gt=self._seen).order_by("id").values_list("id", "key")[: limit + 1]
        )
        if len(changes) > limit:
            index, self._seen = self._build()
            self._index = index  # searches still holding the old object finish on it
        elif changes:
            self._apply(index, sorted({key for _id, key in changes}))
            self._seen = changes[-1][0]
        self._checked, self._synced = started, wanted
        return index

    def _apply(self, index: SearchIndex, keys: list[str]) -> None:
        for start in range(0, len(keys), LOAD_CHUNK):
            part = keys[start : start + LOAD_CHUNK]
            rows = list(
                IndexedDocument.objects.filter(key__in=part, key__startswith="practice:", active=True).values_list(
                    "key", "vectors"
                )
            )
            docs, vectors = _searchable(rows)  # the database work, before the lock
            kept = {d.id for d in docs}
            with self._rw.write():
                index.remove([key for key in part if key not in kept])
                index.add(docs, vectors)  # replaces changed documents, updates the facets of the others

    def current(self) -> SearchIndex:
        """The index to answer from, synced first when due."""
        index = self._index
        if index is not None and self._fresh():
            return index
        if index is not None and self._synced >= self._wanted:
            # Only the interval has passed: if another thread is syncing, answer from what we have.
            if not self._sync_lock.acquire(blocking=False):
                return index
        else:
            self._sync_lock.acquire()  # nothing to answer from, or this process's own write is not in yet
        try:
            index = self._index
            return index if index is not None and self._fresh() else self._sync()
        finally:
            self._sync_lock.release()

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
        index = self.current()
        exclude = {"city_id": exclude_city} if exclude_city is not None else None
        with self._rw.read():
            return index.search(query, lang=lang, filters=filters or None, exclude=exclude, k=k, vector=vector)

    def contains(self, key: str) -> bool:
        index = self.current()
        with self._rw.read():
            return key in index


BACKEND = MemoryBackend()
