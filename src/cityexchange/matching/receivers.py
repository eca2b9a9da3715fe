"""Keeps the index current: a practice's publication, edit or archive enqueues its (re)indexing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import receiver

from cityexchange.challenges.signals import challenge_changed
from cityexchange.practices.signals import practice_changed

from .tasks import index_challenge, index_practice

_deferred: ContextVar[bool] = ContextVar("indexing_deferred", default=False)


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Bulk loads (the demo, large imports) skip per-practice indexing; run `reindex` (batched) afterwards."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


@receiver(practice_changed)
def on_practice_changed(sender: Any, practice_id: int, **kwargs: Any) -> None:
    if not _deferred.get():
        index_practice.enqueue(practice_id=practice_id)


@receiver(challenge_changed)
def on_challenge_changed(sender: Any, challenge_id: int, **kwargs: Any) -> None:
    if not _deferred.get():
        index_challenge.enqueue(challenge_id=challenge_id)
