"""Reads of challenges with visibility applied: public ones for everyone, all of them for members."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from cityexchange.registry.models import City

from .filters import ChallengeFilters
from .models import Challenge


def challenges_visible_to(user: Any) -> QuerySet[Challenge]:
    """What `user` may see (challenges.permissions.ChallengePolicy), with what lists show of each challenge."""
    return Challenge.objects.restrict(user).select_related("city", "city__country", "language")


def challenge_list(user: Any, filters: ChallengeFilters) -> QuerySet[Challenge]:
    """What `user` may see, filtered and sorted (challenges.filters). Raises InvalidInput naming a bad filter."""
    return filters.apply(challenges_visible_to(user))


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
