"""The search index as the rest of the platform sees it: write a practice, search, and nothing else to know.

Two back ends behind one face, chosen by the database in use:
- PostgreSQL (`pg_index.py`): passages, their centred vectors (pgvector HNSW) and their tokens (full-text) live
  in the database; every app server and worker queries it. Nothing is held per process, nothing is loaded at
  start, a change is visible on commit.
- SQLite, the embedded default (`memory_index.py`): each process holds the index in memory and follows the
  commit-ordered change log (`IndexChange`).

Both are built from `IndexedDocument`, the durable record of each document's raw passage vectors, so moving or
rebuilding an index never runs the model again. The model runs outside any transaction (seconds for a long
practice must not hold SQLite's single write lock); the write that follows is short and atomic.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from django.core.cache import cache
from django.db import connection, transaction

from cityexchange.challenges.models import Challenge
from cityexchange.practices.models import Practice

from .documents import practice_doc, practice_key
from .embedding import E5Encoder, Encoder
from .engine import Doc, Hit, pack_vectors, unpack_vectors
from .models import IndexedDocument
from .passages import split_passages

Vector = npt.NDArray[np.float32]
log = logging.getLogger(__name__)

# The model reads 512 tokens; a longer query costs more and changes nothing. About 4 characters per token.
MAX_QUERY_CHARS = 2000
QUERY_CACHE_SECONDS = 24 * 3600

_encoder: Encoder | None = None  # tests may inject a small deterministic encoder


class Backend(Protocol):
    def write(self, doc: Doc, vectors: Vector, *, text_changed: bool) -> None:
        """Make ``doc`` searchable with its raw passage vectors (inside the caller's transaction)."""

    def delete(self, key: str) -> None:
        """Take a document out of the index (inside the caller's transaction); unknown keys are ignored."""

    def search(
        self,
        query: str,
        vector: Vector,
        *,
        lang: str | None,
        filters: Mapping[str, Any] | None,
        exclude_city: int | None,
        k: int,
    ) -> list[Hit]: ...

    def contains(self, key: str) -> bool: ...

    def reset(self) -> None:
        """Forget what this process holds (tests, after a bulk rebuild)."""


def encoder() -> Encoder:
    global _encoder
    if _encoder is None:
        _encoder = E5Encoder()
    return _encoder


def set_encoder(enc: Encoder | None) -> None:
    """Use another encoder (tests); drops what the processes hold so it is rebuilt with it."""
    global _encoder
    _encoder = enc
    reset()


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from . import pg_index

        return pg_index.BACKEND
    from . import memory_index

    return memory_index.BACKEND


def reset() -> None:
    from . import memory_index

    memory_index.BACKEND.reset()
    if connection.vendor == "postgresql":
        backend().reset()


def cap_query(text: str) -> str:
    return text.strip()[:MAX_QUERY_CHARS]


def query_vector(text: str) -> Vector:
    """The query's embedding, from the shared cache when any app server embedded the same text before. A cache
    that is down costs the model run, never an error."""
    text = cap_query(text)
    name = getattr(encoder(), "name", type(encoder()).__name__)
    key = "qvec:" + hashlib.sha1(f"{name}\0{text}".encode(), usedforsecurity=False).hexdigest()
    try:
        cached = cache.get(key)
    except Exception:  # the cache is an optimisation
        log.warning("query-embedding cache unreachable", exc_info=True)
        cached = None
    if cached is not None:
        return np.frombuffer(cached, dtype=np.float32).copy()
    vector = encoder().query([text])[0].astype(np.float32)
    try:
        cache.set(key, vector.tobytes(), QUERY_CACHE_SECONDS)
    except Exception:
        log.warning("query-embedding cache unreachable", exc_info=True)
    return vector


def search_hits(
    query: str,
    *,
    lang: str | None = None,
    vector: Vector | None = None,
    filters: Mapping[str, Any] | None = None,
    exclude_city: int | None = None,
    k: int = 10,
) -> list[Hit]:
    """The top ``k`` published practices for ``query`` (any language). ``vector`` is the query's embedding when
    it is already known (a challenge's, computed when it was indexed)."""
    query = cap_query(query)
    if not query:
        return []
    if vector is None:
        vector = query_vector(query)
    return backend().search(query, vector, lang=lang, filters=filters, exclude_city=exclude_city, k=k)


def is_indexed(practice_id: int) -> bool:
    return backend().contains(practice_key(practice_id))


# --- writing -------------------------------------------------------------------------------------------------


def _published(practice_id: int) -> Practice | None:
    return (
        Practice.objects.filter(pk=practice_id, status=Practice.Status.PUBLISHED)
        .select_related("city")
        .prefetch_related("sectors", "goals", "translations")
        .first()
    )


def encode_passages(doc: Doc) -> Vector:
    return encoder().passage(split_passages(doc.title, doc.text))


def save_document(doc: Doc, vectors: Vector) -> None:
    """Store a document's raw passage vectors and make it searchable (inside the caller's transaction)."""
    IndexedDocument.objects.update_or_create(
        key=doc.id,
        defaults={"fingerprint": doc.fingerprint(), "lang": doc.lang or "", "vectors": pack_vectors(vectors),
                  "active": True},
    )
    backend().write(doc, vectors, text_changed=True)


def index_practice(practice_id: int) -> bool:
    """Index a published practice (running the model only when its text changed) or take it out. Idempotent.
    Returns True when the practice is searchable afterwards."""
    key = practice_key(practice_id)
    practice = _published(practice_id)
    vectors: Vector | None = None
    if practice is not None:
        doc = practice_doc(practice)
        stored = IndexedDocument.objects.filter(key=key, active=True).values_list("fingerprint", flat=True).first()
        if stored != doc.fingerprint():
            vectors = encode_passages(doc)  # outside the transaction: the model takes seconds
    with transaction.atomic():
        row = IndexedDocument.objects.select_for_update().filter(key=key).first()
        practice = _published(practice_id)  # again, under the lock: it may have changed meanwhile
        if practice is None:
            if row is not None and row.active:
                row.active = False
                row.save(update_fields=["active", "updated_at"])
            backend().delete(key)
            return False
        doc = practice_doc(practice)
        fingerprint = doc.fingerprint()
        if row is not None and row.active and row.fingerprint == fingerprint:
            # Facets (sectors, SDGs, country) may have changed without the text.
            backend().write(doc, unpack_vectors(bytes(row.vectors)), text_changed=False)
            row.save(update_fields=["updated_at"])
            return True
        if vectors is None or len(vectors) != len(split_passages(doc.title, doc.text)):
            vectors = encode_passages(doc)  # the text changed between the first read and the lock: rare
        save_document(doc, vectors)
    return True


def challenge_key(challenge_id: int) -> str:
    return f"challenge:{challenge_id}"


def _challenge_query(challenge: Challenge) -> tuple[str, str]:
    lang, text = challenge.searchable_text()
    return lang, cap_query(f"{challenge.title}\n{text}")


def _challenge_queries(challenge: Challenge) -> list[tuple[str, str]]:
    """(language, capped text) of the challenge as queries: the original first, then each translation approved on
    the translation desk, shaped as the original (title, then all its texts). As a practice's translations are
    extra passages of the practice, a challenge's are extra queries: a practice written in a translation's language
    is then found by its words too, not only across languages by meaning."""
    queries = [_challenge_query(challenge)]
    for t in sorted(challenge.translations.all(), key=lambda t: t.language_id):
        texts = "\n\n".join(part for part in (t.title, t.description, t.desired_outcome) if part)
        queries.append((t.language_id, cap_query(f"{t.title}\n{texts}")))
    return queries


def _queries_fingerprint(queries: list[tuple[str, str]]) -> str:
    joined = "\0\0".join(f"{lang}\0{text}" for lang, text in queries)
    return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()


def index_challenge(challenge_id: int) -> bool:
    """Store a challenge's query embeddings (the original's and each approved translation's, one row each), so its
    recommendations never run the model on a page view. Idempotent; returns True when vectors are stored."""
    challenge = Challenge.objects.filter(pk=challenge_id).prefetch_related("translations").first()
    key = challenge_key(challenge_id)
    if challenge is None:
        IndexedDocument.objects.filter(key=key).delete()
        return False
    queries = _challenge_queries(challenge)
    fingerprint = _queries_fingerprint(queries)
    if IndexedDocument.objects.filter(key=key, fingerprint=fingerprint).exists():
        return True
    vectors = np.stack([query_vector(text) for _lang, text in queries])
    IndexedDocument.objects.update_or_create(
        key=key,
        defaults={"fingerprint": fingerprint, "lang": queries[0][0], "vectors": pack_vectors(vectors), "active": True},
    )
    return True


def challenge_queries(challenge: Challenge) -> list[tuple[str, str, Vector]]:
    """(language, capped text, embedding) of each of the challenge's queries, the original first: the stored
    embeddings when they are current; otherwise (not yet indexed, or a translation approved since) each text is
    embedded (the query cache keeps repeats cheap) until the indexing task stores them."""
    queries = _challenge_queries(challenge)
    blob = (
        IndexedDocument.objects.filter(key=challenge_key(challenge.pk), fingerprint=_queries_fingerprint(queries))
        .values_list("vectors", flat=True)
        .first()
    )
    stored = unpack_vectors(bytes(blob)) if blob is not None else None
    if stored is not None and len(stored) == len(queries):
        return [(lang, text, stored[n]) for n, (lang, text) in enumerate(queries)]
    return [(lang, text, query_vector(text)) for lang, text in queries]


def challenge_query(challenge: Challenge) -> tuple[str, str, Vector]:
    """(language, capped text, embedding) of the challenge's original text as a query."""
    return challenge_queries(challenge)[0]


def challenge_hits(
    challenge: Challenge,
    *,
    filters: Mapping[str, Any] | None = None,
    exclude_city: int | None = None,
    k: int = 10,
) -> list[tuple[Hit, str]]:
    """The top ``k`` published practices for a challenge, each with the query text that found it: each of the
    challenge's queries (the original and its approved translations) is searched, and a practice keeps its best hit
    among them, as a document scores by its best passage."""
    best: dict[str, tuple[Hit, str]] = {}
    for lang, text, vector in challenge_queries(challenge):
        for hit in search_hits(text, lang=lang, vector=vector, filters=filters, exclude_city=exclude_city, k=k):
            if hit.id not in best or hit.score > best[hit.id][0].score:
                best[hit.id] = (hit, text)
    return sorted(best.values(), key=lambda found: -found[0].score)[:k]


def reindex_all(progress: Callable[[int], None] | None = None, batch: int = 32) -> tuple[int, int]:
    """Bring every practice's index entry in line with its publication state, running the model in batches only
    for practices whose text changed. Idempotent: a second run encodes nothing. Returns (searchable, removed)."""
    published = list(Practice.objects.filter(status=Practice.Status.PUBLISHED).values_list("pk", flat=True))
    fingerprints = dict(
        IndexedDocument.objects.filter(key__startswith="practice:", active=True).values_list("key", "fingerprint")
    )
    for start in range(0, len(published), batch):
        chunk = published[start : start + batch]
        practices = (
            Practice.objects.filter(pk__in=chunk, status=Practice.Status.PUBLISHED)
            .select_related("city")
            .prefetch_related("sectors", "goals", "translations")
        )
        docs = [practice_doc(p) for p in practices]
        stale = [d for d in docs if fingerprints.get(d.id) != d.fingerprint()]
        if stale:
            passages = [split_passages(d.title, d.text) for d in stale]
            flat = encoder().passage([p for ps in passages for p in ps])  # one batched pass through the model
            cursor = 0
            with transaction.atomic():
                for doc, ps in zip(stale, passages, strict=True):
                    vectors = flat[cursor : cursor + len(ps)]
                    cursor += len(ps)
                    save_document(doc, vectors)
        if progress:
            progress(len(chunk))
    keep = {practice_key(pk) for pk in published}
    gone = [k for k in fingerprints if k not in keep]
    for start in range(0, len(gone), 500):
        with transaction.atomic():
            part = gone[start : start + 500]
            IndexedDocument.objects.filter(key__in=part).update(active=False)
            for key in part:
                backend().delete(key)
    if connection.vendor == "postgresql":  # a bulk load: fit the language means once, now, not per batch
        from . import pg_index

        pg_index.refit_centering(getattr(encoder(), "name", None))
    return len(keep), len(gone)
