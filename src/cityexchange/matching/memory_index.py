"""The in-process index of the embedded default (SQLite): each process holds the engine in memory and follows
the commit-ordered change log.

Writers append an `IndexChange` row in the same transaction as the `IndexedDocument` row they change. A process
remembers the highest change id it has applied; before answering (at most every `SYNC_INTERVAL` seconds, or at
once after a change of its own) it applies the changes above that id. Ids follow commit order on SQLite (one
writer at a time, AUTOINCREMENT never reuses an id), so no committed change can be skipped, whatever the clocks
of the writers say.

At first use the index is built from the stored vectors in chunks of `LOAD_CHUNK` rows (linear in the number of
documents, no model run), into a fresh object that replaces the old one only when complete.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from cityexchange.practices.models import Practice

from .documents import practice_doc, practice_key
from .engine import Doc, Hit, SearchIndex, unpack_vectors
from .models import IndexChange, IndexedDocument
from .store import Vector, encoder

SYNC_INTERVAL = 2.0
LOAD_CHUNK = 2000


def _docs(ids: list[int]) -> dict[str, Doc]:
    practices = (
        Practice.objects.filter(pk__in=ids, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
    )
    return {practice_key(p.pk): practice_doc(p) for p in practices}


def _load(index: SearchIndex, rows: Iterable[IndexedDocument]) -> None:
    """Add the given stored rows (active ones whose practice is published) to ``index``."""
    rows = [r for r in rows if r.active]
    docs = _docs([int(r.key.split(":", 1)[1]) for r in rows])
    vectors = {r.key: unpack_vectors(bytes(r.vectors)) for r in rows if r.key in docs}
    index.add([docs[r.key] for r in rows if r.key in docs], vectors)


class MemoryBackend:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._seen = 0  # the highest IndexChange id applied
        self._checked = 0.0

    # --- writing (inside the caller's transaction) ------------------------------------------------------------

    def write(self, doc: Doc, vectors: Vector, *, text_changed: bool) -> None:
        IndexChange.objects.create(key=doc.id)
        transaction.on_commit(self.mark_stale)

    def delete(self, key: str) -> None:
        IndexChange.objects.create(key=key)
        transaction.on_commit(self.mark_stale)

    def mark_stale(self) -> None:
        """This process changed the index: look at the change log before the next answer."""
        with self._lock:
            self._checked = 0.0

    def reset(self) -> None:
        with self._lock:
            self._index, self._seen, self._checked = None, 0, 0.0

    # --- reading ----------------------------------------------------------------------------------------------

    def _build(self) -> tuple[SearchIndex, int]:
        seen = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0  # read first: later changes are applied later
        index = SearchIndex(encoder())
        last = 0
        while True:
            chunk = list(
                IndexedDocument.objects.filter(pk__gt=last, key__startswith="practice:", active=True).order_by("pk")[
                    :LOAD_CHUNK
                ]
            )
            if not chunk:
                break
            _load(index, chunk)
            last = chunk[-1].pk
        index.refit()
        return index, seen

    def current(self) -> SearchIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is None:
                self._index, self._seen = self._build()
                self._checked = now
                return self._index
            if now - self._checked < SYNC_INTERVAL:
                return self._index
            self._checked = now
            changes = list(IndexChange.objects.filter(id__gt=self._seen).order_by("id").values_list("id", "key"))
            if not changes:
                return self._index
            keys = sorted({k for _id, k in changes})
            rows = {r.key: r for r in IndexedDocument.objects.filter(key__in=keys)}
            self._index.remove(keys)
            _load(self._index, rows.values())
            self._seen = changes[-1][0]
            return self._index

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
        wanted = k * 4 if exclude_city is not None else k
        hits = index.search(query, lang=lang, filters=filters or None, k=wanted)
        if exclude_city is not None:
            hits = [h for h in hits if h.meta.get("city_id") != exclude_city][:k]
        return hits

    def contains(self, key: str) -> bool:
        return key in self.current()


BACKEND = MemoryBackend()
