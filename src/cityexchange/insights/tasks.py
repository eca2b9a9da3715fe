"""Background work of insights (Django Tasks API): suggested partnerships from the matching engine.

`refresh_suggestions` is enqueued (after commit) when data the suggestions read changes — practices, challenges,
memberships, cooperations (`receivers.py`) — and by the network page when its stored result is older than the data
(only with a queueing backend: with `TASKS_BACKEND=immediate` a task runs inline, and a page must not). It is
idempotent and cheap when nothing changed: a scope whose stored version is current is skipped, so a burst of
signals (an import of 100 practices) computes once.
"""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

QUEUED_KEY = "insights:suggestions-queued"
QUEUED_TTL = 60  # bounds how long a lost flag (a worker that died, a per-process cache) can hold back a refresh


@task()
def refresh_suggestions() -> dict[str, str]:
    """Recompute the stored suggestions of every scope whose version is out of date; returns scope → method."""
    from . import selectors

    cache.delete(QUEUED_KEY)  # a change from now on enqueues again: it may come after our version was read
    return {scope: selectors.refresh_suggestions(scope) for scope in selectors.SCOPES}


def schedule_refresh() -> bool:
    """Enqueue `refresh_suggestions` unless one is already queued; True when enqueued."""
    if not cache.add(QUEUED_KEY, 1, QUEUED_TTL):
        return False
    refresh_suggestions.enqueue()
    return True


def runs_inline() -> bool:
    """True when enqueueing runs the task in the caller (the immediate backend)."""
    return isinstance(refresh_suggestions.get_backend(), ImmediateBackend)
