"""Template filters for figures, money and dates in the reader's locale and for names of cities in the reader's
language (see core/locale_format.py and registry/city_names.py). Loaded in every template (settings' builtins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cityexchange.core import hooks, locale_format

register = template.Library()


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    """`{{ n|number }}`, `{{ x|number:2 }}`: grouped, in the locale's digits; empty for None, unchanged for text."""
    if value is None or value == "":
        return ""
    try:
        figure = value if isinstance(value, int | float) else float(value)
    except (TypeError, ValueError):
        return str(value)
    return locale_format.number(figure, None if decimals is None else int(decimals))


@register.filter
def percent(value: Any, decimals: Any = 0) -> str:
    """`{{ share|percent:1 }}` for a value in percent points."""
    if value is None or value == "":
        return ""
    return locale_format.percent(float(value), int(decimals))


@register.filter
def money(value: Any, currency: str = "") -> str:
    return "" if value is None else locale_format.money(value, currency or "")


@register.filter
def local_date(value: dt.date | dt.datetime | None, length: str = "medium") -> str:
    return locale_format.date(value, length)


@register.filter
def local_datetime(value: dt.datetime | None, zone: str = "") -> str:
    """`{{ when|local_datetime:event.timezone }}`: the time in that zone, the zone named."""
    return locale_format.datetime(value, zone)


@register.filter
def city_name(city: Any) -> SafeString | str:
    """A city's name in the reader's language where GeoNames or CLDR has one, else its GeoNames name; isolated
    (`<bdi>`) and marked with its language, so a Latin name in an Arabic page keeps its place."""
    if city is None:
        return ""
    name_in = hooks.provider("city.name_in")  # the registry holds the cities' names
    if name_in is None:
        return format_html("<bdi>{}</bdi>", city.name)
    name, lang = name_in(city, get_language() or "en")
    return format_html('<bdi lang="{}">{}</bdi>', lang, name)


@register.filter
def content(obj: Any, attribute: str = "language_id") -> SafeString:
    """The attributes of a block of user content: `<p {{ practice|content }}>` → `lang="pt" dir="auto"`."""
    code = getattr(obj, attribute, "") or ""
    return format_html('lang="{}" dir="auto"', code) if code else format_html('dir="auto"')


@register.filter
def local_time(value: dt.datetime | None) -> str:
    """`{{ when|local_time }}`: hours and minutes in the active zone (inside `{% timezone %}`, the event's)."""
    return locale_format.time(value)


@register.simple_tag
def reader_times(starts: dt.datetime | None, ends: dt.datetime | None = None) -> SafeString | str:
    """`{% reader_times s.starts_at s.ends_at %}` after times shown in an event's zone (inside `{% timezone %}`):
    the same times in the zone the reader chose in their account, when it reads another clock; nothing otherwise."""
    if starts is None:
        return ""
    shown = locale_format.times_in_reader_zone(starts, ends)
    if not shown:
        return ""
    return format_html(
        '<span class="reader-zone" data-reader-zone="{}">({})</span>', locale_format.reader_zone(), shown
    )


@register.filter
def isolate(value: Any, lang: str = "") -> SafeString | str:
    """A piece of user content inside interface text: `{{ vote.title|isolate }}`, `{{ p.title|isolate:p.language_id }}`
    → `<bdi lang="pt" dir="auto">…</bdi>`, so Russian in an Arabic page keeps its punctuation and numbers in place
    and a browser's page translation knows its language."""
    if value is None or value == "":
        return ""
    if lang:
        return format_html('<bdi lang="{}" dir="auto">{}</bdi>', lang, value)
    return format_html('<bdi dir="auto">{}</bdi>', value)


@register.filter
def zone_name(key: str) -> str:
    """A time zone by its name in the reader's language, its IANA key after it: "Москва (Europe/Moscow)"."""
    if not key:
        return ""
    from cityexchange.core.locale_names import time_zone_name

    name = time_zone_name(key)
    return key if name == key else f"{name} ({key})"
