"""Reads of practices with visibility applied: published for everyone, everything of one's own city, and
everything for the secretariat."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.core import hooks
from cityexchange.core.errors import PermissionDenied
from cityexchange.registry.models import City, Country, Language, Sector

from .filters import PracticeFilters
from .models import Practice
from .permissions import can_moderate

S = Practice.Status


def practices_visible_to(user: Any) -> QuerySet[Practice]:
    """What `user` may see (practices.permissions.PracticePolicy), with what lists show of each practice."""
    return Practice.objects.restrict(user).select_related("city", "city__country", "language")


def practice_list(user: Any, filters: PracticeFilters) -> QuerySet[Practice]:
    """What `user` may see, filtered and sorted (practices.filters). Raises InvalidInput naming a bad filter."""
    return filters.apply(practices_visible_to(user))


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


def _counts(base: QuerySet[Practice], key: str) -> list[tuple[Any, int]]:
    rows = base.values_list(key).annotate(n=Count("pk", distinct=True)).order_by("-n", key)
    return [(value, n) for value, n in rows if value is not None]


def practice_facets(qs: QuerySet[Practice]) -> dict[str, list[Facet]]:
    """Counts per value of each facet over the current result (sector, country, maturity, language, SDG, cost
    band)."""
    base = Practice.objects.filter(pk__in=qs.order_by().values("pk"))
    sectors = {s.code: s.label for s in Sector.objects.all()}
    countries = {c.iso2: c.label for c in Country.objects.filter(cities__practices__in=base).distinct()}
    maturities = dict(Practice.Maturity.choices)
    languages = dict(Language.objects.values_list("code", "native_name"))

    def facet(key: str, labels: dict[Any, Any]) -> list[Facet]:
        return [Facet(str(v), str(labels[v]), n) for v, n in _counts(base, key) if v in labels]

    goals = {g: _("SDG %(n)s") % {"n": g} for g in range(1, 18)}
    return {
        "sector": facet("sectors__code", sectors),
        "country": facet("city__country_id", countries),
        "maturity": facet("maturity", maturities),
        "language": facet("language_id", languages),
        "sdg": sorted(facet("goals__goal", goals), key=lambda f: int(f.value)),
        "cost_band": facet("cost_band", dict(Practice.CostBand.choices)),
    }


def with_details(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.prefetch_related("sectors", "goals", "indicators", "translations", "attachments")


def moderation_queue(user: Any) -> QuerySet[Practice]:
    if not can_moderate(user):
        raise PermissionDenied(_("Only the secretariat reviews practices."))
    return practices_visible_to(user).filter(status=S.SUBMITTED).order_by("submitted_at", "id")


def officer_cities(user: Any) -> QuerySet[City]:
    """The member cities `user` works for (where they may create practices and challenges)."""
    return City.objects.filter(pk__in=user_city_ids(user)).select_related("country").order_by("name")


def city_challenges(user: Any, city: City) -> Iterable[Any]:
    """The city's challenges `user` may see, for the dashboard. Challenges build on practices, so the challenges
    app provides them as the `practices.city_challenges` hook."""
    provider = hooks.provider("practices.city_challenges")
    return provider(user, city) if provider is not None else []


def city_practices(user: Any, city: City) -> dict[str, list[Practice]]:
    """The city's practices `user` may see, grouped by status (for the dashboard)."""
    grouped: dict[str, list[Practice]] = {s: [] for s in S.values}
    for p in practices_visible_to(user).filter(city=city).order_by("-updated_at"):
        grouped[p.status].append(p)
    return grouped


@dataclass(frozen=True)
class SearchableText:
    """A practice's text in its own language, and the human translations of its title and summary."""

    practice_id: int
    language: str
    title: str
    text: str
    translations: dict[str, str]


def practice_searchable_text(practice: Practice) -> SearchableText:
    language, text = practice.searchable_text()
    return SearchableText(
        practice_id=practice.pk,
        language=language,
        title=practice.title,
        text=text,
        translations={t.language_id: f"{t.title}\n\n{t.summary}" for t in practice.translations.all()},
    )


def published_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(status=S.PUBLISHED).select_related("city", "language")
