"""The cooperations section of a city's page: its cooperations the viewer may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityexchange.core.views import actor
from cityexchange.registry.models import City

from .selectors import city_cooperations


def section(request: HttpRequest, city: City) -> dict[str, Any] | None:
    cooperations = list(city_cooperations(actor(request), city)[:20])
    if not cooperations:
        return None
    return {"template": "cooperation/_city_section.html", "city": city, "cooperations": cooperations}
