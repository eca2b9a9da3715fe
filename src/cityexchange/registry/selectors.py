"""Reads of the registry, with what each user may see applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core import hooks
from cityexchange.core.errors import InvalidInput, NotFound
from cityexchange.core.search import prefix_q
from cityexchange.core.text import fold

from .models import (
    Association,
    BlocStatus,
    City,
    CityName,
    Country,
    Language,
    Membership,
    MembershipApplication,
    Sector,
)

MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED)

# (code, label, lower bound inclusive, upper bound exclusive)
POPULATION_BANDS: list[tuple[str, Any, int, int | None]] = [
    ("lt100k", gettext_lazy("under 100,000"), 0, 100_000),
    ("100k-500k", gettext_lazy("100,000 – 500,000"), 100_000, 500_000),
    ("500k-1m", gettext_lazy("500,000 – 1 million"), 500_000, 1_000_000),
    ("1m-5m", gettext_lazy("1 – 5 million"), 1_000_000, 5_000_000),
    ("gt5m", gettext_lazy("over 5 million"), 5_000_000, None),
]
MEMBERSHIP_FILTERS = ("members", "active", "suspended", "ended", "all")


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


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    bloc_status: str = ""
    membership: str = "members"
    population: str = ""


def validate_directory_filters(filters: DirectoryFilters) -> DirectoryFilters:
    """Unknown filter values are an error that names the filter, not an empty or silently widened result."""
    if filters.country and not Country.objects.filter(iso2=filters.country.upper()).exists():
        raise InvalidInput(_("Unknown country code: %(v)s.") % {"v": filters.country}, field="country")
    filters.country = filters.country.upper()
    if filters.bloc_status and not BlocStatus.objects.filter(code=filters.bloc_status).exists():
        raise InvalidInput(_("Unknown bloc status: %(v)s.") % {"v": filters.bloc_status}, field="bloc_status")
    if filters.membership not in MEMBERSHIP_FILTERS:
        raise InvalidInput(_("Unknown membership status: %(v)s.") % {"v": filters.membership}, field="membership")
    if filters.population and filters.population not in {b[0] for b in POPULATION_BANDS}:
        raise InvalidInput(_("Unknown population band: %(v)s.") % {"v": filters.population}, field="population")
    if len(filters.q) > 100:
        raise InvalidInput(_("The search text is too long (100 characters at most)."), field="q")
    return filters


def directory(filters: DirectoryFilters) -> QuerySet[City]:
    """Cities for the member directory and the API, filtered. Raises InvalidInput on unknown values."""
    f = validate_directory_filters(filters)
    qs = City.objects.select_related("country", "country__bloc_status", "membership")
    if f.membership == "members":
        qs = qs.filter(membership__status__in=MEMBER_STATUSES)
    elif f.membership != "all":
        qs = qs.filter(membership__status=f.membership)
    if f.country:
        qs = qs.filter(country_id=f.country)
    if f.bloc_status:
        qs = qs.filter(country__bloc_status__code=f.bloc_status)
    if f.population:
        _code, _label, low, high = next(b for b in POPULATION_BANDS if b[0] == f.population)
        qs = qs.filter(population__gte=low)
        if high is not None:
            qs = qs.filter(population__lt=high)
    if f.q:
        qs = qs.filter(pk__in=CityName.objects.filter(prefix_q("key", fold(f.q))).values("city_id"))
    return qs.order_by("-population", "name")


def active_member_cities() -> QuerySet[City]:
    """Cities whose membership is active, by name (the city roles page offers them)."""
    return City.objects.filter(membership__status=Membership.Status.ACTIVE).order_by("name")


def get_city(city_id: int) -> City:
    city = City.objects.select_related("country", "country__bloc_status", "membership").filter(pk=city_id).first()
    if city is None:
        raise NotFound(_("There is no such city."))
    return city


def country_choices() -> list[tuple[str, str]]:
    key = "registry:country-choices"
    codes = cache.get(key)
    if codes is None:
        codes = list(Country.objects.filter(cities__isnull=False).distinct().values_list("iso2", "name"))
        cache.set(key, codes, 300)
    return sorted(((iso2, Country(iso2=iso2, name=name).label) for iso2, name in codes), key=lambda c: c[1])


def applications_visible_to(user: Any) -> QuerySet[MembershipApplication]:
    qs = MembershipApplication.objects.select_related("city", "city__country", "applicant")
    if is_secretariat(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(applicant=user) | Q(city_id__in=user_city_ids(user, active_only=False)))


def get_application_for(user: Any, application_id: int) -> MembershipApplication:
    app = applications_visible_to(user).filter(pk=application_id).first()
    if app is None:
        raise NotFound(_("There is no such application, or you may not see it."))
    return app


def admission_vote_under_way(city: City) -> Any:
    """The governance vote on admitting this city that is not counted yet, if any: while it runs, the vote
    decides, not the secretariat by hand. (Governance builds on the registry: it provides the lookup as the
    `registry.admission_vote` hook.)"""
    under_way = hooks.provider("registry.admission_vote")
    return under_way(city.pk) if under_way is not None else None


def memberships_public() -> QuerySet[Membership]:
    return Membership.objects.select_related("city", "city__country").order_by("city__name")


def clean_content_filters(f: Any) -> None:
    """The filters practice and challenge lists share (`q`, `sector`, `country`, `language`): trimmed and
    upper-cased in place; an unknown value is an InvalidInput naming the filter."""
    f.q = (f.q or "").strip()
    if len(f.q) > 100:
        raise InvalidInput(_("The search text is too long (100 characters at most)."), field="q")
    if f.sector and not Sector.objects.filter(code=f.sector).exists():
        raise InvalidInput(_("Unknown sector: %(v)s.") % {"v": f.sector[:40]}, field="sector")
    if f.country:
        f.country = f.country.upper()
        if not Country.objects.filter(iso2=f.country).exists():
            raise InvalidInput(_("Unknown country code: %(v)s.") % {"v": f.country[:10]}, field="country")
    if f.language and not Language.objects.filter(code=f.language).exists():
        raise InvalidInput(_("Unknown language code: %(v)s.") % {"v": f.language[:20]}, field="language")
