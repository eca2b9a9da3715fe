"""Reads of challenges with visibility applied: public ones for everyone, all of them for members."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput
from cityexchange.core.ids import MAX_ID
from cityexchange.registry.models import City
from cityexchange.registry.selectors import clean_content_filters

from .models import Challenge, ChallengeTranslation

SORTS = {
    "newest": ["-created_at", "-id"],
    "oldest": ["created_at", "id"],
    "title": ["title", "id"],
    "city": ["city__name", "title", "id"],
}


def challenges_visible_to(user: Any) -> QuerySet[Challenge]:
    """What `user` may see (challenges.permissions.ChallengePolicy), with what lists show of each challenge."""
    return Challenge.objects.restrict(user).select_related("city", "city__country", "language")


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
        # The translations approved on the desk count too, as the practice library's search counts practices'.
        translated = ChallengeTranslation.objects.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(description__icontains=f.q)
            | Q(city__name__icontains=f.q)
            | Q(pk__in=translated.values("challenge_id"))
        )
    return qs.order_by(*SORTS[f.sort])


def city_challenges(user: Any, city: City) -> QuerySet[Challenge]:
    return challenges_visible_to(user).filter(city=city).prefetch_related("sectors").order_by("-created_at")


@dataclass(frozen=True)
class SearchableText:
    """A challenge's text in its own language, and its translations approved on the desk (title and description)."""

    challenge_id: int
    language: str
    title: str
    text: str
    translations: dict[str, str] = field(default_factory=dict)


def challenge_searchable_text(challenge: Challenge) -> SearchableText:
    language, text = challenge.searchable_text()
    translations = {t.language_id: f"{t.title}\n\n{t.description}" for t in challenge.translations.all()}
    return SearchableText(challenge.pk, language, challenge.title, text, translations)
