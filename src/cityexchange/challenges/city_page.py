"""The city page's section listing the challenges the visitor may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityexchange.registry.models import City

from .permissions import can_create_for
from .selectors import city_challenges


def section(request: HttpRequest, city: City) -> dict[str, Any] | None:
    return {
        "template": "challenges/_city_section.html",
        "city": city,
        "challenges": list(city_challenges(request.user, city)[:20]),
        "can_create": can_create_for(request.user, city.pk),
    }
