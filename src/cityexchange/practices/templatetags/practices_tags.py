from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from cityexchange.practices.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3's allow-list


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def climate_names(codes: list[str] | None) -> str:
    """A practice's climates by name in the reader's language ("Континентальный, Умеренный"), not by code."""
    from cityexchange.practices.models import CLIMATES

    labels = dict(CLIMATES)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])
