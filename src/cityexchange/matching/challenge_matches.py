"""Stored challenge ↔ practice matches: which published practices of other cities are a *strong* match for each
open challenge, kept current by tasks (a challenge or a practice changed) so that pages pairing cities read rows
instead of running the engine per request.

Only strong matches are kept: the calibrated floor (`relevance.py`) is what lets the platform say "this practice
answers that challenge" to a person; a possible match is not a reason to propose a meeting.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from cityexchange.challenges.models import Challenge
from cityexchange.practices.models import Practice

from . import store
from .documents import practice_key
from .models import ChallengeMatch
from .relevance import strength
from .search import recommend_for_challenge

OPEN = (Challenge.Status.OPEN, Challenge.Status.IN_PROGRESS)
# The engine's best answers looked at per challenge; strong matches beyond them are rare and weaker.
MATCHES_PER_CHALLENGE = 20
# A city's practices looked at when one of them changed (the challenge's search limited to that city).
PER_CITY = 20


def rematch_challenge(challenge_id: int) -> int:
    """Store the strong matches of one challenge (none when it is closed or gone). Idempotent; returns how many
    are stored."""
    challenge = Challenge.objects.filter(pk=challenge_id, status__in=OPEN).select_related("city").first()
    if challenge is None:
        ChallengeMatch.objects.filter(challenge_id=challenge_id).delete()
        return 0
    # Anonymous reader: published practices only, whoever asked for the work.
    results = recommend_for_challenge(None, challenge, k=MATCHES_PER_CHALLENGE)
    strong = {
        r.practice.pk: float(r.relevance if r.relevance is not None else r.score)
        for r in results
        if r.strength == "strong"
    }
    with transaction.atomic():
        ChallengeMatch.objects.filter(challenge_id=challenge_id).exclude(practice_id__in=strong).delete()
        for practice_id, score in strong.items():
            ChallengeMatch.objects.update_or_create(
                challenge_id=challenge_id, practice_id=practice_id, defaults={"score": score}
            )
    return len(strong)


def rematch_practice(practice_id: int) -> int:
    """After a practice was (re)indexed or left publication: for each open challenge of another city, is it a
    strong match now? Runs each challenge's stored query limited to the practice's city. Returns how many
    challenges it matches."""
    practice = Practice.objects.filter(pk=practice_id, status=Practice.Status.PUBLISHED).first()
    if practice is None:
        ChallengeMatch.objects.filter(practice_id=practice_id).delete()
        return 0
    key = practice_key(practice_id)
    matched: dict[int, float] = {}
    open_challenges = Challenge.objects.filter(status__in=OPEN).exclude(city_id=practice.city_id)
    for challenge in open_challenges.prefetch_related("translations"):
        found = store.challenge_hits(challenge, filters={"city_id": practice.city_id}, k=PER_CITY)
        hit, text = next(((h, t) for h, t in found if h.id == key), (None, ""))
        if hit is not None and strength(hit.score, text) == "strong":
            matched[challenge.pk] = float(hit.score)
    with transaction.atomic():
        ChallengeMatch.objects.filter(practice_id=practice_id).exclude(challenge_id__in=matched).delete()
        for challenge_id, score in matched.items():
            ChallengeMatch.objects.update_or_create(
                challenge_id=challenge_id, practice_id=practice_id, defaults={"score": score}
            )
    return len(matched)


def rematch_all(progress: Callable[[int], None] | None = None) -> int:
    """Every open challenge again (after a bulk load or a rebuilt index); closed ones lose their rows."""
    ChallengeMatch.objects.exclude(challenge__status__in=OPEN).delete()
    total = 0
    for challenge_id in Challenge.objects.filter(status__in=OPEN).values_list("pk", flat=True):
        store.index_challenge(challenge_id)  # a bulk load skipped it: store the query vector the pages read
        total += rematch_challenge(challenge_id)
        if progress:
            progress(1)
    return total
