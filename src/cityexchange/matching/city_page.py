"""On a city's page: a link to the member cities most like it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityexchange.registry.models import City


def section(request: HttpRequest, city: City) -> dict[str, Any] | None:
    return {"template": "matching/_city_section.html", "city": city}
