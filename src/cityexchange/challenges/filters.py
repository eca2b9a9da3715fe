"""The challenge list's filters, declared once (core.filtering): the page and the API read the same parameters
with the same checks."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cityexchange.core.filtering import Sort, Value, is_id, one_of
from cityexchange.registry.filters import ContentFilters

from .models import Challenge, ChallengeTranslation

SORTS = {
    "newest": ["-created_at", "-id"],
    "oldest": ["created_at", "id"],
    "title": ["title", "id"],
    "city": ["city__name", "title", "id"],
}


class ChallengeFilters(ContentFilters):
    status = Value(
        field_name="status",
        label=_("Status"),
        known=one_of(Challenge.Status.values),
        message=_("Unknown status: %(v)s."),
        shown=20,
        choices=Challenge.Status.choices,
    )
    city = Value(field_name="city_id", known=is_id, message=_("Unknown city: %(v)s."), shown=20, api=int)
    sort = Sort(
        SORTS,
        [("newest", _("Newest")), ("oldest", _("Oldest")), ("title", _("Title")), ("city", _("City"))],
        default="newest",
        message=_("Unknown sort order: %(v)s; use one of %(allowed)s."),
    )

    class Meta:
        model = Challenge
        fields: list[str] = []

    def search(self, qs: QuerySet[Challenge], name: str, value: str) -> QuerySet[Challenge]:
        # The translations approved on the desk count too, as the practice library's search counts practices'.
        translated = ChallengeTranslation.objects.filter(Q(title__icontains=value) | Q(description__icontains=value))
        return qs.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(city__name__icontains=value)
            | Q(pk__in=translated.values("challenge_id"))
        )
