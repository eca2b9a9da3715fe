"""Background work of the engine (Django Tasks API): index a practice when it changes, then fire the alerts
it matches. Both are idempotent, so a retried task does no harm."""

from __future__ import annotations

from django_tasks import task

from . import alerts, store


@task()
def index_practice(practice_id: int) -> bool:
    searchable = store.index_practice(practice_id)
    if searchable:
        alerts.fire_alerts_for(practice_id)
    return searchable
