"""The city page's section listing the practices the visitor may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityexchange.registry.models import City

from .filters import SORTS
from .permissions import can_create_for
from .selectors import practices_visible_to

LIMIT = 20


def section(request: HttpRequest, city: City) -> dict[str, Any] | None:
    items = list(practices_visible_to(request.user).filter(city=city).order_by(*SORTS["newest"])[: LIMIT + 1])
    return {
        "template": "practices/_city_section.html",
        "city": city,
        "practices": items[:LIMIT],
        "more": len(items) > LIMIT,
        "can_create": can_create_for(request.user, city.pk),
    }
