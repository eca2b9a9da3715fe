"""`challenge_changed(sender=Challenge, challenge_id=...)` is sent after the transaction commits whenever a
challenge is created, edited, changes status or is imported with changes. The matching engine listens to it."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

challenge_changed = Signal()


def send_challenge_changed(challenge_id: int) -> None:
    from .models import Challenge

    transaction.on_commit(lambda: challenge_changed.send(sender=Challenge, challenge_id=challenge_id))
