"""A personal agenda as an iCalendar file (RFC 5545) that calendar clients import: times in UTC, stable UIDs
per meeting so a changed schedule updates the entries instead of duplicating them."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Registration
from .selectors import AgendaItem


def agenda_ics(registration: Registration, items: list[AgendaItem], *, host: str) -> bytes:
    event = registration.event
    cal = Calendar()
    cal.add("prodid", "-//cityexchange//forum agenda//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.name} · {registration.user}")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sequence = event.published_run.number if event.published_run_id and event.published_run else 0
    place = ", ".join(p for p in (event.venue, event.city.name) if p)
    for item in items:
        ve = VEvent()
        ve.add("uid", f"{item.uid}.{event.slug}@{host}")
        ve.add("dtstamp", stamp)
        ve.add("dtstart", item.starts_at.astimezone(dt.UTC))
        ve.add("dtend", item.ends_at.astimezone(dt.UTC))
        ve.add("summary", item.title)
        ve.add("location", " · ".join(p for p in (item.where, place) if p))
        description = [p for p in (item.topic, item.with_whom) if p]
        if item.interpreter:
            description.append(f"Interpreter: {item.interpreter}")
        if description:
            ve.add("description", "\n".join(description))
        ve.add("sequence", sequence)
        cal.add_component(ve)
    return cal.to_ical()
