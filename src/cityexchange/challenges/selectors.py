"""Reads of challenges with visibility applied: public ones for everyone, all of them for members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.errors import InvalidInput, NotFound, PermissionDenied
from cityexchange.core.ids import MAX_ID
from cityexchange.registry.models import City
from cityexchange.registry.selectors import clean_content_filters

from .models import Challenge
from .permissions import can_edit, is_member

SORTS = {
    "newest": ["-created_at", "-id"],
    "oldest": ["created_at", "id"],
    "title": ["title", "id"],
    "city": ["city__name", "title", "id"],
}


def challenges_visible_to(user: Any) -> QuerySet[Challenge]:
    qs = Challenge.objects.select_related("city", "city__country", "language")
    if is_secretariat(user) or is_member(user):
        return qs
    if getattr(user, "is_authenticated", False):
        # Signed in without a member city: public ones, and any of a city they once worked for.
        return qs.filter(Q(is_public=True) | Q(city_id__in=user_city_ids(user, active_only=False)))
    return qs.filter(is_public=True)


def get_challenge_for(user: Any, challenge_id: Any, action: str = "view") -> Challenge:
    """The challenge if `user` may see it (else NotFound) and may do `action` to it (else PermissionDenied)."""
    if action not in ("view", "edit"):
        raise ValueError(action)
    try:
        pk = int(challenge_id)
    except (TypeError, ValueError):
        pk = 0
    challenge = challenges_visible_to(user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if challenge is None:
        raise NotFound(_("There is no such challenge, or you may not see it."))
    if action == "edit" and not can_edit(user, challenge):
        raise PermissionDenied(_("Only officers of %(city)s can change this challenge.") % {"city": challenge.city})
    return challenge


@dataclass
class ChallengeFilters:
    q: str = ""
    sector: str = ""
    country: str = ""
    language: str = ""
    status: str = ""
    city: str = ""
    sort: str = "newest"


def validate_filters(f: ChallengeFilters) -> ChallengeFilters:
    clean_content_filters(f)
    if f.status and f.status not in Challenge.Status.values:
        raise InvalidInput(_("Unknown status: %(v)s.") % {"v": f.status[:20]}, field="status")
    if f.city and (not str(f.city).isdigit() or int(f.city) > MAX_ID):
        raise InvalidInput(_("Unknown city: %(v)s.") % {"v": str(f.city)[:20]}, field="city")
    if f.sort not in SORTS:
        raise InvalidInput(
            _("Unknown sort order: %(v)s; use one of %(allowed)s.") % {"v": f.sort[:20], "allowed": ", ".join(SORTS)},
            field="sort",
        )
    return f


def challenge_list(user: Any, filters: ChallengeFilters) -> QuerySet[Challenge]:
    f = validate_filters(filters)
    qs = challenges_visible_to(user)
    if f.sector:
        qs = qs.filter(pk__in=Challenge.sectors.through.objects.filter(sector__code=f.sector).values("challenge_id"))
    if f.country:
        qs = qs.filter(city__country_id=f.country)
    if f.language:
        qs = qs.filter(language_id=f.language)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.city:
        qs = qs.filter(city_id=int(f.city))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q) | Q(city__name__icontains=f.q))
    return qs.order_by(*SORTS[f.sort])


def city_challenges(user: Any, city: City) -> QuerySet[Challenge]:
    return challenges_visible_to(user).filter(city=city).prefetch_related("sectors").order_by("-created_at")


@dataclass(frozen=True)
class SearchableText:
    challenge_id: int
    language: str
    title: str
    text: str


def challenge_searchable_text(challenge: Challenge) -> SearchableText:
    language, text = challenge.searchable_text()
    return SearchableText(challenge.pk, language, challenge.title, text)
