"""`practice_changed(sender=Practice, practice_id=...)` is sent after the transaction commits, when a practice is
published, a published practice is edited (content, translations) and when it is archived or leaves publication.
The matching engine listens to it to keep its index current."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

practice_changed = Signal()


def send_practice_changed(practice_id: int) -> None:
    from .models import Practice

    transaction.on_commit(lambda: practice_changed.send(sender=Practice, practice_id=practice_id))
