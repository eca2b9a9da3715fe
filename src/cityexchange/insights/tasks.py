"""Background work of insights (Django Tasks API): suggested partnerships from the matching engine.

`refresh_suggestions` is enqueued (after commit) when data the suggestions read changes — published practices,
challenges, memberships, cooperations (`receivers.py`; drafts and other unpublished practices do not count) — and
by the network page when its stored result is older than the data (only with a queueing backend: with
`TASKS_BACKEND=immediate` a task runs inline, and a page must not).

Refreshes are coalesced in the database queue itself, so they hold across app servers and while the cache is
down: while a refresh waits in the queue no other is enqueued, and a new one is scheduled no sooner than
`SUGGESTIONS_REFRESH_INTERVAL` seconds after the previous one started. A burst of changes (an import of 100
practices, editors saving all day) therefore computes at most once per interval. The task runs below the default
priority, so indexing (50), e-mails and schedule builds go first.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

REFRESH_PRIORITY = -10


@task(priority=REFRESH_PRIORITY)
def refresh_suggestions() -> dict[str, str]:
    """Recompute the stored suggestions of every scope whose version is out of date; returns scope → method.

    Idempotent: a scope whose stored version is current is skipped, and a run that computes does the same as any
    other run at that data version (update_or_create of the scope's one row), so running it again after a worker
    died, or twice after racing enqueues, does no harm."""
    from . import selectors

    return {scope: selectors.refresh_suggestions(scope) for scope in selectors.SCOPES}


def schedule_refresh() -> bool:
    """Enqueue `refresh_suggestions` unless one already waits in the queue; True when enqueued."""
    backend = refresh_suggestions.get_backend()
    if not isinstance(backend, DatabaseBackend):
        refresh_suggestions.enqueue()  # nothing queues: the immediate backend runs it now (tests)
        return True
    from django_tasks_db.models import DBTaskResult

    ours = DBTaskResult.objects.filter(task_path=refresh_suggestions.module_path, backend_name=backend.alias)
    if ours.filter(status="READY").exists():
        return False  # the waiting one will read this change too: it reads the data when it runs
    last_start = ours.aggregate(last=Max("started_at"))["last"]
    now = timezone.now()
    run_after = now
    if last_start is not None:
        run_after = max(now, last_start + timedelta(seconds=settings.SUGGESTIONS_REFRESH_INTERVAL))
    refresh_suggestions.using(run_after=run_after).enqueue()
    return True


def runs_inline() -> bool:
    """True when enqueueing runs the task in the caller (the immediate backend)."""
    return isinstance(refresh_suggestions.get_backend(), ImmediateBackend)
