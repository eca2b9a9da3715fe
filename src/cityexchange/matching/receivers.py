"""Keeps the index current: a practice's publication, edit or archive enqueues its (re)indexing."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cityexchange.practices.signals import practice_changed

from .tasks import index_practice


@receiver(practice_changed)
def on_practice_changed(sender: Any, practice_id: int, **kwargs: Any) -> None:
    index_practice.enqueue(practice_id=practice_id)
