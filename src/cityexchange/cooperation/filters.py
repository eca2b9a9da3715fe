"""Filters of the cooperation lists, declared once (core.filtering): the cooperations the API lists, and the public
register of agreements (its page, its API and its open-data files read the same parameters with the same checks)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.forms import HiddenInput, TextInput
from django.utils.translation import gettext_lazy as _

from cityexchange.core.filtering import Flag, ListFilters, Search, Value, is_id, number_in, one_of
from cityexchange.registry.filters import country_filter, sector_filter
from cityexchange.registry.models import Sector

from .models import Agreement, Cooperation
from .stages import AGREEMENT_KIND_CHOICES, Stage


class CooperationFilters(ListFilters):
    city = Value(field_name="participants__city_id", known=is_id, message=_("Unknown city: %(v)s."), shown=20)
    stage = Value(
        field_name="stage", known=one_of([s.value for s in Stage]), message=_("Unknown stage: %(v)s."), shown=30
    )
    stalled = Flag(method="only_stalled")

    class Meta:
        model = Cooperation
        fields: list[str] = []

    def only_stalled(self, qs: QuerySet[Cooperation], name: str, value: bool) -> QuerySet[Cooperation]:
        from .selectors import stalled_cooperations  # the selectors build on these filters

        return qs.filter(pk__in=stalled_cooperations().values("pk")) if value else qs


class RegisterFilters(ListFilters):
    q = Search(
        method="search",
        label=_("Search"),
        longest=100,
        message=_("The search text is too long (100 characters at most)."),
    )
    country = country_filter(
        "cooperation__participants__city__country_id", label=_("Country code"), widget=TextInput(attrs={"maxlength": 2})
    )
    city = Value(
        field_name="cooperation__participants__city_id",
        known=is_id,
        message=_("Unknown city: %(v)s."),
        shown=20,
        widget=HiddenInput,
    )
    kind = Value(
        field_name="kind",
        label=_("Kind"),
        known=one_of([k for k, _label in AGREEMENT_KIND_CHOICES]),
        message=_("Unknown kind of agreement: %(v)s."),
        shown=30,
        choices=[("", _("Any kind")), *AGREEMENT_KIND_CHOICES],
    )
    sector = sector_filter(
        field_name="cooperation__practice__sectors__code",
        label=_("Sector"),
        choices=lambda: [("", _("All sectors")), *((s.code, s.label) for s in Sector.objects.all())],
    )
    year = Value(
        field_name="signed_on__year",
        label=_("Year signed"),
        known=number_in(1900, 2200),
        message=_("A year is a number such as 2026."),
        widget=TextInput(attrs={"maxlength": 4}),
    )
    practice = Value(
        field_name="cooperation__practice_id",
        known=is_id,
        message=_("Unknown practice: %(v)s."),
        shown=20,
        widget=HiddenInput,
    )

    class Meta:
        model = Agreement
        fields: list[str] = []

    def search(self, qs: QuerySet[Agreement], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(
            Q(title__icontains=value)
            | Q(cooperation__title__icontains=value)
            | Q(cooperation__participants__city__name__icontains=value)
        )
