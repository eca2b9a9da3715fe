"""Background work of the engine (Django Tasks API): index a practice when it changes, then fire the alerts
it matches and refresh the challenge matches it takes part in. All idempotent, so a retried task does no harm."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from . import alerts, challenge_matches, store


@task(priority=50)
def index_practice(practice_id: int) -> bool:
    searchable = store.index_practice(practice_id)
    if searchable:
        alerts.fire_alerts_for(practice_id)
    # Which open challenges it answers now (none once withdrawn): a task of its own, run once the index write is
    # committed and visible to the searches it makes.
    transaction.on_commit(lambda: match_practice.enqueue(practice_id=practice_id))
    return searchable


@task(priority=40)
def index_challenge(challenge_id: int) -> bool:
    """Store the challenge's query embedding: its recommendations then never run the model on a page view. Then
    store its strong matches, which the forum's suggested meetings read."""
    stored = store.index_challenge(challenge_id)
    transaction.on_commit(lambda: match_challenge.enqueue(challenge_id=challenge_id))
    return stored


@task(priority=30)
def match_practice(practice_id: int) -> int:
    """Store the open challenges a practice is a strong match for. Idempotent."""
    return challenge_matches.rematch_practice(practice_id)


@task(priority=30)
def match_challenge(challenge_id: int) -> int:
    """Store a challenge's strong matches. Idempotent."""
    return challenge_matches.rematch_challenge(challenge_id)


@task(priority=40)
def refit_centering() -> bool:
    """PostgreSQL index: fit the language means again after the corpus drifted; re-centre the stored embeddings
    when they moved. Idempotent (a second run finds nothing moved)."""
    from . import pg_index

    return pg_index.refit_centering(getattr(store.encoder(), "name", None))
