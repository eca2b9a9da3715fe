"""Template helpers for the insights pages and the report: charts, figure values and lookups."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi

from .. import charts
from ..selectors import Figure

register = template.Library()


@register.simple_tag
def chart(fig: Figure) -> SafeString:
    return charts.render(fig, rtl=get_language_bidi())


@register.filter
def figure_value(fig: Figure, key: str) -> Any:
    return fig.value(key)


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def number(value: Any) -> str:
    return charts.fmt(value) if isinstance(value, int | float) else str(value)
