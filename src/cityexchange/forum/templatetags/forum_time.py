"""Times on the forum pages: always in the event's time zone, always with the zone named, so that 08:00 in Kazan
never shows as an unlabelled 05:00 UTC on the organisers' desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import get_language

from cityexchange.core import locale_format
from cityexchange.core.locale_names import time_zone_name

register = template.Library()


@register.filter
def event_zone(event: Any) -> str:
    """The event's zone for a heading: its name in the reader's language and the IANA name, e.g.
    'Moscow Time (Europe/Moscow)'."""
    key = event.timezone or "UTC"
    name = time_zone_name(key)
    return key if name == key else f"{name} ({key})"


@register.filter
def event_time(value: dt.datetime | None, event: Any) -> str:
    """A date and time in the event's zone, 24-hour, with the zone named: '02/01/2027 08:00 (Moscow Time)'; then,
    for a reader who chose another zone in their account, the time in theirs."""
    if value is None:
        return ""
    local = value.astimezone(event.tz)
    # Babel's short date and the locale's digits: Django has no date formats for some UI languages (Amharic).
    day = locale_format.date(local.date(), "short")
    clock = locale_format.native_digits(f"{local:%H:%M}", locale_format.reader_locale(get_language() or "en"))
    shown = f"{day} {clock} ({time_zone_name(event.timezone or 'UTC')})"
    mine = locale_format.times_in_reader_zone(value, shown=event.timezone or "UTC")
    return f"{shown} ({mine})" if mine else shown
