"""Bodies, seats and votes for the governance tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityexchange.governance import services
from cityexchange.governance.models import Body, Seat, Vote


def assembly_with(*cities: Any) -> Body:
    """The general assembly, with a seat (from a year ago) for each city given."""
    body, _created = Body.objects.get_or_create(kind=Body.Kind.ASSEMBLY, defaults={"name": "General Assembly"})
    for city in cities:
        Seat.objects.create(body=body, city=city, start_on=timezone.localdate() - dt.timedelta(days=365))
    return body


def open_vote(secretariat: Any, body: Body, **kwargs: Any) -> Vote:
    data: dict[str, Any] = {"kind": Vote.Kind.RESOLUTION, "title": "Adopt the annual report"}
    data["closes_at"] = timezone.now() + dt.timedelta(hours=2)
    data.update(kwargs)
    return services.vote_open(actor=secretariat, body=body, **data)


def expire(vote: Vote) -> Vote:
    """Move a vote's times into the past, as if its closing time had come."""
    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(opens_at=now - dt.timedelta(hours=3), closes_at=now - dt.timedelta(hours=1))
    vote.refresh_from_db()
    return vote


def option(vote: Vote, kind: str) -> Any:
    return vote.options.get(kind=kind)
