"""The in-process index of the embedded default (SQLite): every process follows the commit-ordered change log,
starts from stored vectors without the model, and answers searches while it catches up.

A second process is simulated by a second `MemoryBackend()`: it shares nothing with the first but the
database."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from cityexchange.matching import memory_index, store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.memory_index import MemoryBackend
from cityexchange.matching.models import IndexedDocument
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory

pytestmark = [
    pytest.mark.django_db,
    # The in-process index is the SQLite default's; on PostgreSQL the store writes the database index instead.
    pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite default's in-process index"),
]

DIM = 384


class CountingEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__(dim=DIM)
        self.passages = 0
        self.queries = 0

    def query(self, texts: Any) -> Any:
        self.queries += len(texts)
        return super().query(texts)

    def passage(self, texts: Any) -> Any:
        self.passages += len(texts)
        return super().passage(texts)


@pytest.fixture
def hashing() -> Any:
    store.set_encoder(HashingEncoder(dim=DIM))
    yield
    store.set_encoder(None)


def published(city: Any, title: str, summary: str = "") -> Practice:
    return PracticeFactory(
        city=city,
        title=title,
        summary=summary or title,
        problem=summary or title,
        solution=summary or title,
        status=Practice.Status.PUBLISHED,
    )


def key(practice: Practice) -> str:
    return f"practice:{practice.pk}"


def hits(backend: MemoryBackend, query: str, *, exclude_city: int | None = None, k: int = 10) -> list[Any]:
    vector = HashingEncoder(dim=DIM).query([query])[0]
    return backend.search(query, vector, lang=None, filters=None, exclude_city=exclude_city, k=k)


def top(backend: MemoryBackend, query: str, **kw: Any) -> str | None:
    found = hits(backend, query, **kw)
    return found[0].id if found else None


def test_changes_committed_out_of_timestamp_order_are_all_found(reference, kazan, hashing):
    now = timezone.now()
    first = published(kazan, "Solar panels on school roofs")
    assert store.index_practice(first.pk)
    # The first writer's clock runs ahead: its row claims a time after the second commit.
    IndexedDocument.objects.filter(key=key(first)).update(updated_at=now + timedelta(hours=1))
    other = MemoryBackend(sync_interval=0)
    assert top(other, "solar panels") == key(first)  # this process has synced past the first commit

    second = published(kazan, "Rainwater harvesting tanks in parks")
    assert store.index_practice(second.pk)
    IndexedDocument.objects.filter(key=key(second)).update(updated_at=now - timedelta(hours=1))

    assert other.contains(key(second))
    assert top(other, "rainwater harvesting tanks") == key(second)
    assert top(other, "solar panels") == key(first)


def test_publish_edit_unpublish_reach_another_process(reference, kazan, hashing):
    other = MemoryBackend(sync_interval=3600)
    assert hits(other, "bicycle lanes") == []  # built (empty) before anything was published

    practice = published(kazan, "Protected bicycle lanes", "Protected bicycle lanes along the river")
    store.index_practice(practice.pk)
    assert hits(other, "bicycle lanes") == []  # within its interval it answers from what it holds
    other.sync()
    assert top(other, "bicycle lanes") == key(practice)

    Practice.objects.filter(pk=practice.pk).update(summary="Night buses", problem="Night buses", solution="")
    store.index_practice(practice.pk)
    other.sync()
    [hit] = hits(other, "night buses")
    assert hit.id == key(practice) and "Night buses" in hit.passage
    assert "river" not in hits(other, "river")[0].passage

    Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.ARCHIVED)
    assert not store.index_practice(practice.pk)
    assert other.contains(key(practice))  # not yet looked at the log
    other.sync()
    assert not other.contains(key(practice))
    assert hits(other, "bicycle lanes") == []


def test_the_interval_waits_but_a_change_of_its_own_is_seen_at_once(reference, kazan, hashing):
    backend = MemoryBackend(sync_interval=3600)
    assert hits(backend, "tram depot") == []
    practice = published(kazan, "Tram depot heat pumps")
    store.index_practice(practice.pk)
    assert hits(backend, "tram depot") == []
    backend.mark_stale()  # what the commit of this process's own write triggers
    assert top(backend, "tram depot") == key(practice)


def test_start_up_loads_stored_vectors_in_chunks_without_the_model(reference, kazan, sao_paulo, hashing, monkeypatch):
    practices = [published(kazan if i % 2 else sao_paulo, f"Practice {i} about topic{i} waste") for i in range(8)]
    for p in practices:
        store.index_practice(p.pk)
    gone = published(kazan, "Archived district heating")
    store.index_practice(gone.pk)
    Practice.objects.filter(pk=gone.pk).update(status=Practice.Status.ARCHIVED)
    store.index_practice(gone.pk)

    counting = CountingEncoder()
    store.set_encoder(counting)
    monkeypatch.setattr(memory_index, "LOAD_CHUNK", 3)  # 8 practices: three chunks and an empty one
    backend = MemoryBackend()
    index = backend.current()
    assert len(index) == 8
    for i, p in enumerate(practices):
        assert top(backend, f"topic{i}") == key(p)
    assert not backend.contains(key(gone))
    assert counting.passages == 0 and counting.queries == 0  # stored vectors, and the query's vector given


def test_a_search_during_a_sync_never_fails(reference, kazan, hashing, monkeypatch):
    # Some syncs patch the live index (arrays grow and are reallocated), larger ones build and swap a new one.
    monkeypatch.setattr(memory_index, "REBUILD_AFTER", 6)
    pool = [published(kazan, f"Practice {i} on street lighting number {i}") for i in range(16)]
    for p in pool[:8]:
        store.index_practice(p.pk)
    backend = MemoryBackend(sync_interval=3600)  # searches never sync themselves: the main thread does
    backend.sync()
    keys = {key(p) for p in pool}
    vector = HashingEncoder(dim=DIM).query(["street lighting"])[0]
    stop = threading.Event()
    errors: list[BaseException] = []
    searches = [0]

    def search() -> None:
        try:
            for _ in range(20_000):  # bounded, whatever happens to the main thread
                if stop.is_set():
                    return
                found = backend.search("street lighting", vector, lang=None, filters=None, exclude_city=None, k=5)
                assert found and {h.id for h in found} <= keys
                assert all(np.isfinite(h.score) for h in found)
                searches[0] += 1
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        published_now = {p.pk for p in pool[:8]}
        for round_ in range(16):
            for p in pool[round_ % 16 : round_ % 16 + 1 + round_ % 8]:
                status = Practice.Status.ARCHIVED if p.pk in published_now else Practice.Status.PUBLISHED
                if status == Practice.Status.ARCHIVED and len(published_now) == 1:
                    continue  # keep one published, so every search has a hit to check
                Practice.objects.filter(pk=p.pk).update(status=status)
                store.index_practice(p.pk)
                published_now ^= {p.pk}
            backend.sync()
            assert {k for k in keys if backend.contains(k)} == {f"practice:{pk}" for pk in published_now}
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors[0]
    assert searches[0] > 0


def test_exclude_city_leaves_out_its_practices_without_over_fetching(reference, kazan, sao_paulo, hashing):
    own = [published(kazan, f"Flood barriers on the river {i}") for i in range(5)]
    theirs = published(sao_paulo, "Flood barriers on the river banks")
    for p in [*own, theirs]:
        store.index_practice(p.pk)
    backend = MemoryBackend()
    assert {h.id for h in hits(backend, "flood barriers", k=6)} == {key(p) for p in [*own, theirs]}
    assert [h.id for h in hits(backend, "flood barriers", exclude_city=kazan.pk, k=1)] == [key(theirs)]
    assert hits(backend, "flood barriers", exclude_city=sao_paulo.pk, k=10)[0].meta["city_id"] == kazan.pk
    assert len(hits(backend, "flood barriers", exclude_city=sao_paulo.pk, k=10)) == 5
