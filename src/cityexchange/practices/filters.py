"""The practice library's filters, declared once (core.filtering): the list page, its API, the export and the
search (matching.filters builds on them) read the same parameters with the same checks."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.forms import HiddenInput
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cityexchange.core.filtering import Sort, Value, is_id, number_in, one_of
from cityexchange.core.sdgs import sdg_label
from cityexchange.registry.filters import ContentFilters

from .models import Practice, PracticeGoal, PracticeTranslation

# NULLs (never published) last on every database: PostgreSQL would otherwise put them first when descending.
SORTS: dict[str, list[Any]] = {
    "newest": [F("published_at").desc(nulls_last=True), "-updated_at", "-id"],
    "oldest": [F("published_at").asc(nulls_last=True), "updated_at", "id"],
    "title": ["title", "id"],
    "city": ["city__name", "title", "id"],
    "updated": ["-updated_at", "-id"],
}
NONE = ("", "—")
# The filters a list page offers as facets (with counts), in their order.
FACETS = ("sector", "country", "maturity", "language", "sdg", "cost_band")


class PracticeFilters(ContentFilters):
    maturity = Value(
        field_name="maturity",
        label=_("Maturity"),
        known=one_of(Practice.Maturity.values),
        message=_("Unknown maturity: %(v)s."),
        choices=[NONE, *Practice.Maturity.choices],
    )
    sdg = Value(
        method="with_goal",
        label=_("SDG"),
        known=number_in(1, 17),
        message=_("An SDG is a number from 1 to 17."),
        api=int,
        choices=[NONE, *((i, lazy(sdg_label, str)(i)) for i in range(1, 18))],
    )
    cost_band = Value(
        field_name="cost_band",
        label=_("Cost band"),
        known=one_of(Practice.CostBand.values),
        message=_("Unknown cost band: %(v)s."),
        choices=[NONE, *Practice.CostBand.choices],
    )
    # Practices of one city (a city page's link); kept across searches as a hidden field.
    city = Value(
        field_name="city_id", known=is_id, message=_("Unknown city: %(v)s."), shown=20, api=int, widget=HiddenInput
    )
    status = Value(
        field_name="status", known=one_of(Practice.Status.values), message=_("Unknown status: %(v)s."), shown=20
    )
    sort = Sort(
        SORTS,
        [
            ("newest", _("Newest")),
            ("oldest", _("Oldest")),
            ("title", _("Title")),
            ("city", _("City")),
            ("updated", _("Recently updated")),
        ],
        default="newest",
        label=_("Sort by"),
        message=_("Unknown sort order: %(v)s; use one of %(allowed)s."),
    )

    class Meta:
        model = Practice
        fields: list[str] = []

    def search(self, qs: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return qs.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(city__name__icontains=value)
            | Q(pk__in=PracticeTranslation.objects.filter(title__icontains=value).values("practice_id"))
        )

    def with_goal(self, qs: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return qs.filter(pk__in=PracticeGoal.objects.filter(goal=int(value)).values("practice_id"))
