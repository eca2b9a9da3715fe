"""Reads of the forum, with what each user may see applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.core.restrict import restrict

from .models import Event, Meeting, MeetingRequest, Registration, ScheduleRun, Session
from .permissions import is_organiser, party_ids


def events() -> QuerySet[Event]:
    """Events with what their pages show (for `get_for`)."""
    return Event.objects.select_related("city", "city__country")


def events_visible_to(user: Any) -> QuerySet[Event]:
    """What `user` may see (forum.permissions.EventPolicy)."""
    return restrict(events(), user)


def sessions_of(event: Event) -> QuerySet[Session]:
    return event.sessions.select_related("sector", "room").prefetch_related("speakers__user", "speakers__city")


def registration_of(user: Any, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.select_related("city", "delegation", "event")
        .filter(event=event, user=user)
        .exclude(status__in=(Registration.Status.CANCELLED,))
        .first()
    )


def registrations() -> QuerySet[Registration]:
    """Registrations with what their pages show (for `get_for`)."""
    return Registration.objects.select_related("event", "city", "user", "delegation")


def registrations_visible_to(user: Any, event: Event) -> QuerySet[Registration]:
    """The event's registrations `user` may see (forum.permissions.RegistrationPolicy).

    Travel data (arrival, departure, check-in time) is another matter: each row carries `shows_travel`, true only
    for organisers and for the delegate's own city (its officers, and the delegate), and the API and pages leave
    those fields empty where it is false."""
    qs = restrict(Registration.objects.filter(event=event), user).select_related(
        "user", "city", "city__country", "delegation"
    )
    if is_organiser(user, event):
        return qs.annotate(shows_travel=Value(True, output_field=BooleanField()))
    own_travel = Q(city_id__in=user_city_ids(user)) | Q(user_id=user.pk)
    return qs.annotate(
        shows_travel=Case(When(own_travel, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def acting_registrations(user: Any, event: Event) -> list[Registration]:
    """The approved registrations this user may act for at the event (their own first)."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = Registration.objects.filter(event=event, status=Registration.Status.APPROVED).select_related(
        "city", "user", "delegation"
    )
    own = list(qs.filter(user=user))
    coordinated = list(qs.exclude(user=user).filter(city_id__in=user_city_ids(user, roles=("coordinator",))))
    return own + coordinated


def meeting_requests() -> QuerySet[MeetingRequest]:
    """Meeting requests with what their pages show (for `get_for`)."""
    return MeetingRequest.objects.select_related("event")


def requests_visible_to(user: Any, event: Event) -> QuerySet[MeetingRequest]:
    """The event's meeting requests `user` may see (forum.permissions.MeetingRequestPolicy)."""
    qs = MeetingRequest.objects.filter(event=event).select_related(
        "requester__user", "requester__city", "target__user", "target__city"
    )
    return restrict(qs, user)


def latest_run(event: Event) -> ScheduleRun | None:
    return event.runs.order_by("-number").first()


def draft_run(event: Event) -> ScheduleRun | None:
    """The latest finished run: the schedule the organiser reviews, pins and publishes."""
    return event.runs.filter(status=ScheduleRun.Status.DONE).order_by("-number").first()


def meetings_of(run: ScheduleRun) -> QuerySet[Meeting]:
    return run.meetings.select_related(
        "slot",
        "table",
        "interpreter",
        "request__requester__user",
        "request__requester__city",
        "request__target__user",
        "request__target__city",
        "request__requester__delegation",
        "request__target__delegation",
    )


def meetings() -> QuerySet[Meeting]:
    """Meetings with what their pages show (for `get_for`)."""
    return Meeting.objects.select_related("run__event", "request", "slot", "table")


@dataclass
class AgendaItem:
    kind: str  # "meeting" or "session"
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    where: str = ""
    with_whom: str = ""
    topic: str = ""
    interpreter: str = ""
    uid: str = ""
    meeting_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def agenda_for(registration: Registration) -> list[AgendaItem]:
    """The person's published meetings (those of the whole delegation) and the sessions they speak at."""
    event = registration.event
    party = party_ids(registration)
    items: list[AgendaItem] = []
    if event.published_run_id:
        meetings = meetings_of(event.published_run).filter(  # type: ignore[arg-type]
            Q(request__requester_id__in=party) | Q(request__target_id__in=party)
        )
        for m in meetings:
            other = m.request.target if m.request.requester_id in party else m.request.requester
            items.append(
                AgendaItem(
                    kind="meeting",
                    starts_at=m.slot.starts_at,
                    ends_at=m.slot.ends_at,
                    title=_("Meeting with %(who)s") % {"who": f"{other.user} ({other.city.name})"},
                    where=_("Table %(table)s") % {"table": m.table.name},
                    with_whom=f"{other.user}, {other.role}, {other.city.name}",
                    topic=m.request.topic,
                    interpreter=m.interpreter.name if m.interpreter else "",
                    uid=f"meeting-{m.request_id}",
                    meeting_id=m.pk,
                )
            )
    for s in sessions_of(event).filter(speakers__in=party).distinct():
        items.append(
            AgendaItem(
                kind="session",
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                title=s.title,
                where=s.room.name if s.room else "",
                topic=s.sector.label if s.sector else "",
                uid=f"session-{s.pk}",
            )
        )
    return sorted(items, key=lambda i: (i.starts_at, i.kind))


def by_day(items: list[AgendaItem], tz: dt.tzinfo) -> list[tuple[dt.date, list[AgendaItem]]]:
    """Agenda items grouped by their local day, in order."""
    days: dict[dt.date, list[AgendaItem]] = {}
    for item in items:
        days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return list(days.items())


def event_figures(event: Event) -> dict[str, int]:
    regs = event.registrations
    return {
        "registered": regs.exclude(status=Registration.Status.CANCELLED).count(),
        "approved": regs.filter(status=Registration.Status.APPROVED).count(),
        "pending": regs.filter(status=Registration.Status.PENDING).count(),
        "checked_in": regs.filter(checked_in_at__isnull=False).count(),
        "cities": regs.filter(status=Registration.Status.APPROVED).values("city").distinct().count(),
        "requests": event.requests.count(),
        "accepted": event.requests.filter(status=MeetingRequest.Status.ACCEPTED).count(),
        "slots": event.slots.count(),
        "tables": event.tables.count(),
    }
