"""Background work of the engine (Django Tasks API): index a practice when it changes, then fire the alerts
it matches. Both are idempotent, so a retried task does no harm."""

from __future__ import annotations

from django_tasks import task

from . import alerts, store


@task(priority=50)
def index_practice(practice_id: int) -> bool:
    searchable = store.index_practice(practice_id)
    if searchable:
        alerts.fire_alerts_for(practice_id)
    return searchable


@task(priority=40)
def index_challenge(challenge_id: int) -> bool:
    """Store the challenge's query embedding: its recommendations then never run the model on a page view."""
    return store.index_challenge(challenge_id)


@task(priority=40)
def refit_centering() -> bool:
    """PostgreSQL index: fit the language means again after the corpus drifted; re-centre the stored embeddings
    when they moved. Idempotent (a second run finds nothing moved)."""
    from . import pg_index

    return pg_index.refit_centering(getattr(store.encoder(), "name", None))
