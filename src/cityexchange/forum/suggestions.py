"""Meetings the platform suggests to a delegate, each with the reason in words.

Two reasons only, both of which a person can check:
1. A challenge ↔ practice match: an open challenge of one city that a published practice of the other city
   answers, as a *strong* match of the matching engine (either direction: their challenge, our practice counts
   too). The engine's judgements are stored by tasks (`matching.challenge_matches`), so a page view only reads
   rows: no request runs the model or grows with the size of the library.
2. A shared working group of the association (governance): both cities are active members.

Anything else — a shared sector, a similar size — is not a reason to cross a forum hall: it paired an energy-peak
challenge with a land-subsidence radar. A pair the engine cannot explain is not suggested.

One suggestion per other city, addressed to its first registered delegate (its delegation's head), best first.
Cities already met or asked (an open request with anyone of them) are left out. Challenges and practices are
read through their visibility rules (`challenges_visible_to`, `practices_visible_to`) for the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityexchange.challenges.selectors import challenges_visible_to
from cityexchange.governance.models import GroupMember
from cityexchange.matching.challenge_matches import OPEN
from cityexchange.matching.models import ChallengeMatch
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.city_names import name_in

from .models import MeetingRequest, Registration
from .permissions import party_ids

# A strong challenge ↔ practice match says more than sharing a working group: it names what to talk about.
MATCH_WEIGHT = 3.0
GROUP_WEIGHT = 1.0
REASONS_SHOWN = 3


@dataclass
class Reason:
    kind: str  # "challenge" (theirs or ours, matched by the engine) or "group"
    text: str  # plain words, for the API
    html: SafeString  # the same words, user content isolated with its language, for the page


@dataclass
class Suggestion:
    target: Registration
    score: float
    reasons: list[Reason] = field(default_factory=list)
    topic: str = ""


def _city(city: Any) -> tuple[str, str]:
    return name_in(city, get_language() or "en")


def _words(template: str, parts: dict[str, tuple[str, str]]) -> tuple[str, SafeString]:
    """The translated sentence as plain text and as HTML with each part isolated (`<bdi lang dir="auto">`)."""
    text = template % {k: v for k, (v, _lang) in parts.items()}
    html = conditional_escape(template) % {
        k: format_html('<bdi lang="{}" dir="auto">{}</bdi>', lang, v) for k, (v, lang) in parts.items()
    }
    return text, mark_safe(html)  # noqa: S308 — the template is escaped, every part is format_html


def _match_reason(match: ChallengeMatch) -> Reason:
    c, p = match.challenge, match.practice
    text, html = _words(
        _("%(challenge_city)s’s challenge «%(challenge)s» — %(practice_city)s’s practice «%(practice)s» is a "
          "strong match"),
        {
            "challenge_city": _city(c.city),
            "challenge": (c.title, c.language_id),
            "practice_city": _city(p.city),
            "practice": (p.title, p.language_id),
        },
    )
    return Reason("challenge", text, html)


def _group_reason(member: GroupMember) -> Reason:
    group = member.group
    text, html = _words(
        _("Both cities are in the working group “%(group)s”"),
        {"group": (group.label, get_language() or "en")},
    )
    return Reason("group", text, html)


def _matches(user: Any, me: int, others: set[int]) -> list[ChallengeMatch]:
    """Stored strong matches between my city and the others, in either direction, that the reader may see."""
    return list(
        ChallengeMatch.objects.filter(
            Q(challenge__city_id=me, practice__city_id__in=others)
            | Q(challenge__city_id__in=others, practice__city_id=me),
            challenge__status__in=OPEN,
            challenge__in=challenges_visible_to(user),
            practice__status=Practice.Status.PUBLISHED,
            practice__in=practices_visible_to(user),
        )
        .select_related("challenge__city", "practice__city")
        .order_by("-score", "pk")
    )


def _shared_groups(me: int, others: set[int]) -> list[GroupMember]:
    """Active memberships of the other cities in working groups my city is an active member of."""
    mine = GroupMember.objects.filter(city_id=me, left_on__isnull=True).values("group_id")
    return list(
        GroupMember.objects.filter(group_id__in=mine, city_id__in=others, left_on__isnull=True)
        .select_related("group")
        .order_by("group__name", "pk")
    )


def suggestions_for(registration: Registration, *, limit: int = 10, user: Any = None) -> list[Suggestion]:
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
    me = registration.city_id
    found: dict[int, Suggestion] = {}

    def suggestion(city_id: int) -> Suggestion:
        return found.setdefault(city_id, Suggestion(target=head[city_id], score=0.0))

    for match in _matches(user, me, set(head)):
        other = match.practice.city_id if match.challenge.city_id == me else match.challenge.city_id
        s = suggestion(other)
        s.score += MATCH_WEIGHT + match.score
        if len(s.reasons) < REASONS_SHOWN:
            s.reasons.append(_match_reason(match))
        s.topic = s.topic or (match.practice.title if match.challenge.city_id == me else match.challenge.title)
    for member in _shared_groups(me, set(head)):
        s = suggestion(member.city_id)
        s.score += GROUP_WEIGHT
        if len(s.reasons) < REASONS_SHOWN:
            s.reasons.append(_group_reason(member))
        s.topic = s.topic or member.group.label
    out = [s for s in found.values() if s.reasons]  # nothing unexplained is shown
    for s in out:
        s.score = round(s.score, 2)
        s.topic = s.topic[:300]
    out.sort(key=lambda s: (-s.score, s.target.city.name))
    return out[:limit]
