"""Filters declared once (core.filtering): the member directory's, and the ones every content list shares (words,
sector, country, language), which the practice and challenge lists build on."""

from __future__ import annotations

from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cityexchange.core.filtering import ListFilters, Search, Value, one_of
from cityexchange.core.search import prefix_q
from cityexchange.core.text import fold

from .models import BlocStatus, City, CityName, Country, Language, Membership, Sector

MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED)

# (code, label, lower bound inclusive, upper bound exclusive)
POPULATION_BANDS: list[tuple[str, Any, int, int | None]] = [
    ("lt100k", _("under 100,000"), 0, 100_000),
    ("100k-500k", _("100,000 – 500,000"), 100_000, 500_000),
    ("500k-1m", _("500,000 – 1 million"), 500_000, 1_000_000),
    ("1m-5m", _("1 – 5 million"), 1_000_000, 5_000_000),
    ("gt5m", _("over 5 million"), 5_000_000, None),
]
MEMBERSHIP_FILTERS = ("members", "active", "suspended", "ended", "all")
EMPTY = ("", "---------")  # the empty choice of a select, as Django's model choice fields show it
SEARCH_TOO_LONG = _("The search text is too long (100 characters at most).")


def country_choices() -> list[tuple[str, str]]:
    """Countries that have cities, named in the reader's language, by name."""
    key = "registry:country-choices"
    codes = cache.get(key)
    if codes is None:
        codes = list(Country.objects.filter(cities__isnull=False).distinct().values_list("iso2", "name"))
        cache.set(key, codes, 300)
    return sorted(((iso2, Country(iso2=iso2, name=name).label) for iso2, name in codes), key=lambda c: c[1])


def _exists(model: Any, field: str) -> Any:
    return lambda value: model.objects.filter(**{field: value}).exists()


def country_filter(field_name: str, **display: Any) -> Value:
    """A country by its ISO code (any case), on the lookup `field_name`; `display` is the page's label, choices…"""
    return Value(
        field_name=field_name,
        known=_exists(Country, "iso2"),
        normalise=str.upper,
        message=_("Unknown country code: %(v)s."),
        shown=10,
        **display,
    )


def sector_filter(**how: Any) -> Value:
    """A sector by its code; `how` is the lookup (or method) and what the page shows."""
    return Value(known=_exists(Sector, "code"), message=_("Unknown sector: %(v)s."), **how)


class ContentFilters(ListFilters):
    """What practice and challenge lists share. Each list declares its own `search` (which texts the words are
    looked for in) and its model in Meta."""

    q = Search(method="search", label=_("Search"), longest=100, message=SEARCH_TOO_LONG)
    sector = sector_filter(
        method="in_sector",
        label=_("Sector"),
        choices=lambda: [EMPTY, *((s.code, str(s)) for s in Sector.objects.all())],
    )
    country = country_filter(
        "city__country_id",
        label=_("Country"),
        # Offered: countries of member cities (content comes from members), none of the dissolved countries
        # GeoNames still carries, which CLDR no longer names in any language.
        choices=lambda: [
            EMPTY,
            *((c.pk, str(c)) for c in Country.objects.filter(cities__membership__isnull=False).distinct()),
        ],
    )
    language = Value(
        field_name="language_id",
        label=_("Language"),
        known=_exists(Language, "code"),
        message=_("Unknown language code: %(v)s."),
        shown=20,
        choices=lambda: [EMPTY, *((lang.code, str(lang)) for lang in Language.objects.all())],
    )

    def in_sector(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # A subquery rather than a join over the many-to-many rows, so no item appears twice.
        return qs.filter(pk__in=qs.model.objects.filter(sectors__code=value).values("pk"))

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        raise NotImplementedError  # each list says where its words are looked for


class DirectoryFilters(ListFilters):
    """The member directory (page and API). Membership defaults to members (active and suspended)."""

    q = Search(method="search", label=_("Name"), longest=100, message=SEARCH_TOO_LONG)
    country = country_filter(
        "country_id", label=_("Country"), choices=lambda: [("", _("All countries")), *country_choices()]
    )
    bloc_status = Value(
        field_name="country__bloc_status__code",
        label=_("Bloc status"),
        known=_exists(BlocStatus, "code"),
        message=_("Unknown bloc status: %(v)s."),
    )
    membership = Value(
        method="with_membership",
        label=_("Membership"),
        known=one_of(MEMBERSHIP_FILTERS),
        message=_("Unknown membership status: %(v)s."),
        default="members",
        api=Literal[MEMBERSHIP_FILTERS],
        choices=[
            ("members", _("Members")),
            ("active", _("Active")),
            ("suspended", _("Suspended")),
            ("ended", _("Ended")),
            ("all", _("All cities")),
        ],
    )
    population = Value(
        method="in_band",
        label=_("Population"),
        known=one_of([b[0] for b in POPULATION_BANDS]),
        message=_("Unknown population band: %(v)s."),
        choices=[("", _("Any size")), *[(c, label) for c, label, _l, _h in POPULATION_BANDS]],
    )

    class Meta:
        model = City
        fields: list[str] = []

    def search(self, qs: QuerySet[City], name: str, value: str) -> QuerySet[City]:
        # Names in every script and language (CityName), by prefix of their folded form.
        return qs.filter(pk__in=CityName.objects.filter(prefix_q("key", fold(value))).values("city_id"))

    def with_membership(self, qs: QuerySet[City], name: str, value: str) -> QuerySet[City]:
        if value == "members":
            return qs.filter(membership__status__in=MEMBER_STATUSES)
        return qs if value == "all" else qs.filter(membership__status=value)

    def in_band(self, qs: QuerySet[City], name: str, value: str) -> QuerySet[City]:
        _code, _label, low, high = next(b for b in POPULATION_BANDS if b[0] == value)
        return qs.filter(Q(population__gte=low), Q() if high is None else Q(population__lt=high))
