"""Sections other apps add to a city's page (its practices, challenges, cooperations …).

An app contributes by shipping `city_page.py` with `section(request, city) -> dict | None`; the dict names the
`template` to include and carries its context. Apps are asked in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from .models import City


def city_sections(request: HttpRequest, city: City) -> list[dict[str, Any]]:
    sections = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cityexchange.") or config.label == "registry":
            continue
        try:
            module = importlib.import_module(f"{config.name}.city_page")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.city_page":
                raise
            continue
        section = module.section(request, city)
        if section:
            sections.append(section)
    return sections
