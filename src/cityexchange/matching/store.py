"""The process-wide search index and its synchronisation with the database.

Each app server holds the index in memory (numpy; a few milliseconds per query at 100,000 documents) and
rebuilds it from the stored vectors at first use. Indexing writes `IndexedDocument` rows; every process
catches up with rows changed since its last look before it answers, so all servers converge on the database
without a message bus. The look is one indexed query, done at most every `SYNC_INTERVAL` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cityexchange.practices.models import Practice

from .documents import practice_doc, practice_key
from .embedding import Encoder
from .engine import Doc, SearchIndex, pack_vectors, unpack_vectors
from .models import IndexedDocument

SYNC_INTERVAL = 2.0

_lock = threading.RLock()
_index: SearchIndex | None = None
_synced_at = None  # the newest IndexedDocument.updated_at seen
_checked = 0.0
_encoder: Encoder | None = None  # tests may inject a small deterministic encoder


def set_encoder(encoder: Encoder | None) -> None:
    """Use another encoder (tests); drops the in-memory index so it is rebuilt with it."""
    global _encoder
    with _lock:
        _encoder = encoder
        reset()


def mark_stale() -> None:
    """This process changed the index rows: look again before the next answer."""
    global _checked
    with _lock:
        _checked = 0.0


def reset() -> None:
    global _index, _synced_at, _checked
    with _lock:
        _index, _synced_at, _checked = None, None, 0.0


def _docs_for(keys: Iterable[str]) -> dict[str, Doc]:
    ids = [int(k.split(":", 1)[1]) for k in keys if k.startswith("practice:")]
    practices = (
        Practice.objects.filter(pk__in=ids, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
    )
    return {practice_key(p.pk): practice_doc(p) for p in practices}


def get_index() -> SearchIndex:
    """The current index, caught up with the database."""
    global _index, _synced_at, _checked
    with _lock:
        now = time.monotonic()
        if _index is not None and now - _checked < SYNC_INTERVAL:
            return _index
        _checked = now
        if _index is None:
            _index = SearchIndex(_encoder)
            _synced_at = None
        rows = (
            IndexedDocument.objects.all()
            if _synced_at is None
            else IndexedDocument.objects.filter(updated_at__gte=_synced_at)
        )
        changed = list(rows.only("key", "active", "vectors", "updated_at", "fingerprint"))
        if not changed:
            return _index
        live = [r for r in changed if r.active]
        docs = _docs_for(r.key for r in live)
        gone = [r.key for r in changed if not r.active or r.key not in docs]
        _index.remove(k for k in gone if k in _index)
        vectors = {r.key: unpack_vectors(bytes(r.vectors)) for r in live if r.key in docs}
        to_add = [docs[r.key] for r in live if r.key in docs]
        # Only docs whose stored vectors match their text are taken as they are; `add` re-encodes the others.
        fresh = {k: v for k, v in vectors.items() if docs[k].fingerprint() == _fingerprint(changed, k)}
        _index.add(to_add, fresh)
        if _synced_at is None:
            _index.refit()
        _synced_at = max(r.updated_at for r in changed)
        return _index


def _fingerprint(rows: list[IndexedDocument], key: str) -> str:
    for r in rows:
        if r.key == key:
            return r.fingerprint
    return ""


@transaction.atomic
def index_practice(practice_id: int) -> bool:
    """Index a published practice (encoding only when its text changed) or deactivate it. Idempotent.
    Returns True when the practice is searchable afterwards."""
    key = practice_key(practice_id)
    practice = (
        Practice.objects.filter(pk=practice_id, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
        .first()
    )
    row = IndexedDocument.objects.select_for_update().filter(key=key).first()
    transaction.on_commit(mark_stale)
    if practice is None:
        if row is not None and row.active:
            row.active = False
            row.save(update_fields=["active", "updated_at"])
        return False
    doc = practice_doc(practice)
    fingerprint = doc.fingerprint()
    if row is not None and row.active and row.fingerprint == fingerprint:
        # Facets (sectors, SDGs) may have changed without the text: touch the row so servers reload the record.
        IndexedDocument.objects.filter(pk=row.pk).update(lang=doc.lang or "")
        row.save(update_fields=["updated_at"])
        return True
    vectors = _encode(doc)
    IndexedDocument.objects.update_or_create(
        key=key,
        defaults={"fingerprint": fingerprint, "lang": doc.lang or "", "vectors": pack_vectors(vectors), "active": True},
    )
    return True


def _encode(doc: Doc):  # type: ignore[no-untyped-def]
    scratch = SearchIndex(_encoder)
    scratch.add([doc])
    return scratch.passage_vectors(doc.id)


def _published_docs(ids: list[int]) -> dict[str, Doc]:
    practices = (
        Practice.objects.filter(pk__in=ids, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
    )
    return {practice_key(p.pk): practice_doc(p) for p in practices}


def reindex_all(progress: Callable[[int], None] | None = None, batch: int = 32) -> tuple[int, int]:
    """Bring every practice's row in line with its publication state, encoding in batches only the practices
    whose text changed. Idempotent: a second run encodes nothing. Returns (searchable, deactivated)."""
    published = list(Practice.objects.filter(status=Practice.Status.PUBLISHED).values_list("pk", flat=True))
    rows = {r.key: r for r in IndexedDocument.objects.only("key", "fingerprint", "active")}
    for start in range(0, len(published), batch):
        docs = _published_docs(published[start : start + batch])
        stale = [
            d for k, d in docs.items() if not (k in rows and rows[k].active and rows[k].fingerprint == d.fingerprint())
        ]
        if stale:
            scratch = SearchIndex(_encoder)
            scratch.add(stale)  # one batched pass through the model
            with transaction.atomic():
                for doc in stale:
                    IndexedDocument.objects.update_or_create(
                        key=doc.id,
                        defaults={
                            "fingerprint": doc.fingerprint(),
                            "lang": doc.lang or "",
                            "vectors": pack_vectors(scratch.passage_vectors(doc.id)),
                            "active": True,
                        },
                    )
        if progress:
            progress(len(docs))
    keep = {practice_key(pk) for pk in published}
    gone = [k for k, r in rows.items() if r.active and k not in keep]
    IndexedDocument.objects.filter(key__in=gone).update(active=False, updated_at=timezone.now())
    mark_stale()
    return len(keep), len(gone)


def stored_vectors(key: str):  # type: ignore[no-untyped-def]
    row = IndexedDocument.objects.filter(key=key, active=True).first()
    return unpack_vectors(bytes(row.vectors)) if row else None


def latest_change():  # type: ignore[no-untyped-def]
    return IndexedDocument.objects.aggregate(m=Max("updated_at"))["m"]
