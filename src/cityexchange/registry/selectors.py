"""Reads of the registry, with what each user may see applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When

from cityexchange.core import hooks
from cityexchange.core.restrict import get_for, restrict
from cityexchange.core.search import prefix_q
from cityexchange.core.text import fold

from .filters import DirectoryFilters
from .models import (
    Association,
    City,
    CityName,
    Country,
    Membership,
    MembershipApplication,
)


def current_association() -> Association | None:
    return Association.objects.order_by("pk").first()


@dataclass(frozen=True)
class AssociationFigures:
    member_cities: int
    member_countries: int
    population_governed: int
    world_population: int

    @property
    def world_share_percent(self) -> float:
        return 100.0 * self.population_governed / self.world_population if self.world_population else 0.0


def association_figures() -> AssociationFigures:
    """Computed from the registry: active members, their population, and the world's (sum of all countries)."""
    members = City.objects.filter(membership__status=Membership.Status.ACTIVE)
    agg = members.aggregate(n=Count("pk"), pop=Sum("population"), countries=Count("country", distinct=True))
    world = Country.objects.aggregate(pop=Sum("population"))["pop"] or 0
    return AssociationFigures(
        member_cities=agg["n"] or 0,
        member_countries=agg["countries"] or 0,
        population_governed=agg["pop"] or 0,
        world_population=world,
    )


def search_city_ids(query: str, *, limit: int = 50, country: str | None = None) -> list[int]:
    """Ids of cities whose name or any alternate name starts with the query, in any script.

    Exact name matches come first, then larger cities. Prefix search on the folded key uses the index on
    both SQLite (case-sensitive LIKE, see core.apps) and PostgreSQL (Django's varchar_pattern_ops index).
    """
    key = fold(query)
    if not key:
        return []
    names = CityName.objects.filter(prefix_q("key", key))
    if country:
        names = names.filter(city__country_id=country)
    rows = (
        names.annotate(exact=Case(When(key=key, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .values_list("city_id", "exact", "city__population")
        .order_by("-exact", "-city__population")[: limit * 8]
    )
    seen: dict[int, None] = {}
    for city_id, _exact, _pop in rows:
        seen.setdefault(city_id, None)
        if len(seen) >= limit:
            break
    return list(seen)


def cities_by_ids_in_order(ids: list[int]) -> list[City]:
    by_id = City.objects.select_related("country", "membership").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def directory(filters: DirectoryFilters) -> QuerySet[City]:
    """Cities for the member directory and the API, filtered (registry.filters), largest first. Raises InvalidInput
    naming an unknown value."""
    qs = City.objects.select_related("country", "country__bloc_status", "membership")
    return filters.apply(qs).order_by("-population", "name")


def active_member_cities() -> QuerySet[City]:
    """Cities whose membership is active, by name (the city roles page offers them)."""
    return City.objects.filter(membership__status=Membership.Status.ACTIVE).order_by("name")


def cities() -> QuerySet[City]:
    """Cities with what their pages show (for `get_for`)."""
    return City.objects.select_related("country", "country__bloc_status", "membership")


def get_city(city_id: Any) -> City:
    """A city (public reference data), or NotFound: the `accounts.city` hook."""
    return get_for(None, cities(), city_id)


def applications() -> QuerySet[MembershipApplication]:
    """Applications with what their pages show (for `get_for`)."""
    return MembershipApplication.objects.select_related("city", "city__country", "applicant")


def applications_visible_to(user: Any) -> QuerySet[MembershipApplication]:
    """What `user` may see (registry.permissions.MembershipApplicationPolicy)."""
    return restrict(applications(), user)


def admission_vote_under_way(city: City) -> Any:
    """The governance vote on admitting this city that is not counted yet, if any: while it runs, the vote
    decides, not the secretariat by hand. (Governance builds on the registry: it provides the lookup as the
    `registry.admission_vote` hook.)"""
    under_way = hooks.provider("registry.admission_vote")
    return under_way(city.pk) if under_way is not None else None


def memberships_public() -> QuerySet[Membership]:
    return Membership.objects.select_related("city", "city__country").order_by("city__name")
