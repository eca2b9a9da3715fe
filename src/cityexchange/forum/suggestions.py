"""Meetings the platform suggests to a delegate, from the year-round data.

1. A city's open challenges against other registered cities' published practices: a practice answers a challenge
   when they share a sector, or — with `engine=True` — when the matching engine (`matching.search
   .recommend_for_challenge`, multilingual embeddings + BM25) ranks it among the challenge's answers. The reverse
   direction (their challenges, our practices) counts too: both sides gain from the meeting.
2. Where a city has no challenges or practices yet, the priority sectors of its membership application.

One suggestion per other city, addressed to its first registered delegate (its delegation's head), best first.
Cities already met or asked (an open request with anyone of them) are left out.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from cityexchange.registry.models import MembershipApplication, Sector

from .models import MeetingRequest, Registration
from .permissions import party_ids

logger = logging.getLogger(__name__)


@dataclass
class Suggestion:
    target: Registration
    score: float
    reasons: list[str] = field(default_factory=list)
    topic: str = ""


def _sector_labels(codes: set[str]) -> str:
    return ", ".join(s.label for s in Sector.objects.filter(code__in=codes))


Items = dict[int, list[tuple[str, set[str]]]]


def _needs_and_offers(city_ids: set[int]) -> tuple[Items, Items]:
    """(challenges, practices) per city as (title, sector codes); empty when those apps are not there."""
    needs: Items = defaultdict(list)
    offers: Items = defaultdict(list)
    try:
        from cityexchange.challenges.models import Challenge
        from cityexchange.practices.models import Practice
    except ImportError:  # the apps are optional for the forum
        return needs, offers
    for model, out, status in (
        (Challenge, needs, ("open", "in_progress")),
        (Practice, offers, ("published",)),
    ):
        items: dict[int, tuple[int, str, set[str]]] = {}
        rows = model.objects.filter(city_id__in=city_ids, status__in=status).values_list(  # type: ignore[attr-defined]
            "pk", "city_id", "title", "sectors__code"
        )
        for pk, city_id, title, code in rows:
            entry = items.setdefault(pk, (city_id, title, set()))
            if code:
                entry[2].add(code)
        for city_id, title, codes in items.values():
            out[city_id].append((title, codes))
    return needs, offers


def _priority_sectors(city_ids: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    rows = MembershipApplication.objects.filter(city_id__in=city_ids, status="approved").values_list(
        "city_id", "priority_sectors__code"
    )
    for city_id, code in rows:
        if code:
            out[city_id].add(code)
    return out


def _engine_pairs(user: Any, city_id: int, registered: set[int]) -> dict[int, list[tuple[str, str]]]:
    """(challenge title, practice title) pairs per other city, from the matching engine; {} when unavailable."""
    try:
        from cityexchange.challenges.models import Challenge
        from cityexchange.matching.search import recommend_for_challenge
    except ImportError:
        return {}
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    try:
        for challenge in Challenge.objects.filter(city_id=city_id, status__in=("open", "in_progress"))[:5]:
            for result in recommend_for_challenge(user, challenge, k=10):
                if result.practice.city_id in registered:
                    out[result.practice.city_id].append((challenge.title, result.practice.title))
    except Exception:  # the engine is an extra: a failure there must not break the page
        logger.exception("matching engine unavailable for forum suggestions")
        return {}
    return out


def suggestions_for(
    registration: Registration, *, limit: int = 10, engine: bool = False, user: Any = None
) -> list[Suggestion]:
    event = registration.event
    party = party_ids(registration)
    others = list(
        Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
        .exclude(city_id=registration.city_id)
        .exclude(pk__in=party)
        .select_related("user", "city")
        .order_by("delegation_id", "created_at", "pk")
    )
    asked = MeetingRequest.objects.filter(
        Q(requester_id__in=party) | Q(target_id__in=party), status__in=MeetingRequest.OPEN
    ).values_list("requester__city_id", "target__city_id")
    asked_cities = {c for pair in asked for c in pair} - {registration.city_id}
    head: dict[int, Registration] = {}
    for r in others:
        if r.city_id not in asked_cities:
            head.setdefault(r.city_id, r)
    if not head:
        return []
    cities = set(head) | {registration.city_id}
    needs, offers = _needs_and_offers(cities)
    sectors = _priority_sectors(cities)
    engine_pairs = _engine_pairs(user, registration.city_id, set(head)) if engine else {}
    me = registration.city_id
    out = []
    for city_id, target in head.items():
        score = 0.0
        reasons: list[str] = []
        topic = ""
        for need, offer in engine_pairs.get(city_id, [])[:2]:
            score += 3
            reasons.append(_("Your challenge “%(c)s” — their practice “%(p)s”") % {"c": need, "p": offer})
            topic = topic or offer
        for a, b, template in (
            (me, city_id, _("Your challenge “%(c)s” — their practice “%(p)s” (%(s)s)")),
            (city_id, me, _("Their challenge “%(c)s” — your practice “%(p)s” (%(s)s)")),
        ):
            for c_title, c_codes in needs.get(a, []):
                for p_title, p_codes in offers.get(b, []):
                    shared = c_codes & p_codes
                    if shared:
                        score += 1 + 0.1 * len(shared)
                        if len(reasons) < 3:
                            reasons.append(template % {"c": c_title, "p": p_title, "s": _sector_labels(shared)})
                        topic = topic or p_title
        shared = sectors.get(me, set()) & sectors.get(city_id, set())
        if shared:
            score += 0.3 * len(shared)
            reasons.append(_("Both cities work on: %(sectors)s") % {"sectors": _sector_labels(shared)})
            topic = topic or _sector_labels(shared)
        if score > 0:
            out.append(Suggestion(target=target, score=round(score, 2), reasons=reasons, topic=topic[:300]))
    out.sort(key=lambda s: (-s.score, s.target.city.name))
    return out[:limit]
