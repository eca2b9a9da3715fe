from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from cityexchange.core import hooks

# The main navigation: an entry shows once its app provides the page.
NAV: list[tuple[str, Any]] = [
    ("practices:list", _("Practices")),
    ("challenges:list", _("Challenges")),
    ("matching:search", _("Search")),
    ("cooperation:register", _("Agreements")),
    ("forum:events", _("Forum")),
    ("insights:dashboard", _("Insights")),
    ("governance:home", _("Association")),
]


def site(request: HttpRequest) -> dict[str, Any]:
    association = hooks.provider("site.association")  # the registry holds the association
    items = []
    for name, label in NAV:
        try:
            items.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return {
        "association": association() if association is not None else None,
        "is_rtl": get_language_bidi(),
        "nav_items": items,
    }
