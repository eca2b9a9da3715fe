"""The one write path of the forum: events and their programme, registrations, check-in, meeting requests, and
the schedule (build, pin, publish, meetings held).

Bad input raises `InvalidInput` naming the field, before anything is written; each function is atomic.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.cooperation.services import cooperation_open_from_meeting
from cityexchange.core.audit import audit, snapshot
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, require
from cityexchange.core.locale_names import time_zone_name
from cityexchange.core.validation import clean_text
from cityexchange.registry.models import City, Language, Membership, Sector

from .models import (
    Delegation,
    Event,
    Interpreter,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Registration,
    Room,
    ScheduleRun,
    Session,
    Slot,
)
from .permissions import can_act_for, can_register_for, is_organiser, party_ids

MAX_TIME_LIMIT = 600.0


# --- helpers --------------------------------------------------------------------------------------------------


def _aware(value: Any, event: Event, field: str) -> dt.datetime:
    """A datetime; a naive one is read in the event's time zone."""
    if not isinstance(value, dt.datetime):
        raise InvalidInput(_("Enter a date and time."), field=field)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=event.tz)
    return value


def _local(value: dt.datetime, event: Event) -> str:
    """A time in a message: in the event's zone, and saying so (a form error is read far from the page's "Times in
    …" line)."""
    return f"{value.astimezone(event.tz):%Y-%m-%d %H:%M} ({time_zone_name(event.timezone or 'UTC')})"


def _within_event(event: Event, start: dt.datetime, end: dt.datetime, field: str) -> None:
    if end <= start:
        raise InvalidInput(_("The end must be after the start."), field=field)
    if start < event.starts_at or end > event.ends_at:
        raise InvalidInput(
            _("%(start)s – %(end)s is outside the event (%(first)s to %(last)s).")
            % {
                "start": _local(start, event),
                "end": _local(end, event),
                "first": event.starts_on,
                "last": event.ends_on,
            },
            field=field,
        )


def _require_organiser(actor: Any, event: Event) -> None:
    require(is_organiser(actor, event), _("Only the organisers of %(event)s can do this.") % {"event": event})


# --- events and programme ------------------------------------------------------------------------------------
@transaction.atomic
def event_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    city: City,
    timezone_name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    venue: str = "",
    description: str = "",
    working_languages: Iterable[Language] = (),
    is_published: bool = False,
    organisers: Iterable[Any] = (),
) -> Event:
    require(is_secretariat(actor), _("Only the secretariat can create forum events."))
    name = clean_text(name, "name", _("The name"), 200)
    slug = clean_text(slug, "slug", _("The short name"), 80).lower()
    if not all(c.isalnum() or c == "-" for c in slug) or not slug.isascii():
        raise InvalidInput(_("Use only Latin letters, digits and hyphens in the short name."), field="slug")
    if Event.objects.filter(slug=slug).exists():
        raise Conflict(_("An event with the short name %(slug)s already exists.") % {"slug": slug}, field="slug")
    try:
        zoneinfo.ZoneInfo(timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(_("Unknown time zone: %(tz)s.") % {"tz": timezone_name}, field="timezone") from exc
    if ends_on < starts_on:
        raise InvalidInput(_("The last day must not be before the first day."), field="ends_on")
    event = Event.objects.create(
        name=name,
        slug=slug,
        city=city,
        timezone=timezone_name,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=clean_text(venue, "venue", _("The venue"), 300, required=False),
        description=clean_text(description, "description", _("The description"), 20_000, required=False),
        is_published=is_published,
    )
    event.working_languages.set(list(working_languages))
    event.organisers.set(list(organisers))
    audit(actor, "forum.event.create", event, after=snapshot(event, ["name", "slug", "starts_on", "ends_on"]))
    return event


@transaction.atomic
def event_set_organisers(*, actor: Any, event: Event, organisers: Iterable[Any]) -> Event:
    require(is_secretariat(actor), _("Only the secretariat names the organisers."))
    users = list(organisers)
    event.organisers.set(users)
    audit(actor, "forum.event.organisers", event, after={"organisers": [u.pk for u in users]})
    return event


EVENT_SETTINGS = [
    "name",
    "venue",
    "description",
    "is_published",
    "registration_open",
    "min_meetings_per_city",
    "request_valid_days",
    "solver_time_limit",
]


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    name: str,
    venue: str = "",
    description: str = "",
    is_published: bool = False,
    registration_open: bool = True,
    min_meetings_per_city: int = 1,
    request_valid_days: int = 7,
    solver_time_limit: int = 20,
) -> Event:
    """The event's wording, visibility and scheduling settings. Its dates, place and time zone stay as created:
    slots, sessions and stays are checked against them."""
    _require_organiser(actor, event)
    if not 0 <= min_meetings_per_city <= 50:
        raise InvalidInput(_("The minimum number of meetings is between 0 and 50."), field="min_meetings_per_city")
    if not 1 <= request_valid_days <= 90:
        raise InvalidInput(_("Requests stay open between 1 and 90 days."), field="request_valid_days")
    if not 1 <= solver_time_limit <= MAX_TIME_LIMIT:
        raise InvalidInput(
            _("The solver's time limit is between 1 and %(max)d seconds.") % {"max": MAX_TIME_LIMIT},
            field="solver_time_limit",
        )
    before = snapshot(event, EVENT_SETTINGS)
    event.name = clean_text(name, "name", _("The name"), 200)
    event.venue = clean_text(venue, "venue", _("The venue"), 300, required=False)
    event.description = clean_text(description, "description", _("The description"), 20_000, required=False)
    event.is_published, event.registration_open = bool(is_published), bool(registration_open)
    event.min_meetings_per_city, event.request_valid_days = min_meetings_per_city, request_valid_days
    event.solver_time_limit = solver_time_limit
    event.save(update_fields=[*EVENT_SETTINGS, "updated_at"])
    audit(actor, "forum.event.update", event, before=before, after=snapshot(event, EVENT_SETTINGS))
    return event


@transaction.atomic
def room_add(*, actor: Any, event: Event, name: str, capacity: int = 0) -> Room:
    _require_organiser(actor, event)
    name = clean_text(name, "name", _("The room's name"), 100)
    if event.rooms.filter(name=name).exists():
        raise Conflict(_("There is already a room called %(name)s.") % {"name": name}, field="name")
    if capacity < 0:
        raise InvalidInput(_("The number of seats must not be negative."), field="capacity")
    room = Room.objects.create(event=event, name=name, capacity=capacity)
    audit(actor, "forum.room.add", room, after={"event": event.pk, "name": name})
    return room


@transaction.atomic
def session_add(
    *,
    actor: Any,
    event: Event,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = Session.Kind.TRACK,
    sector: Sector | None = None,
    room: Room | None = None,
    speakers: Iterable[Registration] = (),
    description: str = "",
) -> Session:
    _require_organiser(actor, event)
    title = clean_text(title, "title", _("The title"), 300)
    if kind not in Session.Kind.values:
        raise InvalidInput(_("Unknown kind of session: %(v)s.") % {"v": kind}, field="kind")
    starts_at, ends_at = _aware(starts_at, event, "starts_at"), _aware(ends_at, event, "ends_at")
    _within_event(event, starts_at, ends_at, "starts_at")
    if room is not None:
        if room.event_id != event.pk:
            raise InvalidInput(_("This room belongs to another event."), field="room")
        clash = event.sessions.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
        if clash:
            raise Conflict(
                _("%(room)s is taken by “%(other)s” at that time.") % {"room": room.name, "other": clash.title},
                field="room",
            )
    speakers = list(speakers)
    for s in speakers:
        if s.event_id != event.pk or s.status != Registration.Status.APPROVED:
            raise InvalidInput(_("%(who)s is not an approved delegate of this event.") % {"who": s}, field="speakers")
    session = Session.objects.create(
        event=event,
        title=title,
        description=clean_text(description, "description", _("The description"), 10_000, required=False),
        kind=kind,
        sector=sector,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.speakers.set(speakers)
    audit(actor, "forum.session.add", session, after=snapshot(session, ["title", "starts_at", "ends_at", "room"]))
    return session


@transaction.atomic
def slot_add(*, actor: Any, event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> Slot:
    """Add one meeting slot. It must lie inside the event and overlap no other slot."""
    _require_organiser(actor, event)
    starts_at, ends_at = _aware(starts_at, event, "starts_at"), _aware(ends_at, event, "ends_at")
    _within_event(event, starts_at, ends_at, "starts_at")
    clash = event.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash:
        raise InvalidInput(
            _("This slot overlaps the slot %(other)s – %(end)s.")
            % {"other": _local(clash.starts_at, event), "end": f"{clash.ends_at.astimezone(event.tz):%H:%M}"},
            field="starts_at",
        )
    slot = Slot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    audit(actor, "forum.slot.add", slot, after={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return slot


@transaction.atomic
def slots_create_grid(
    *, actor: Any, event: Event, day: dt.date, first_start: dt.time, count: int, minutes: int = 30, pause: int = 0
) -> list[Slot]:
    """`count` slots of `minutes` on `day`, `pause` minutes apart. All or nothing."""
    if not 1 <= count <= 96:
        raise InvalidInput(_("The number of slots must be between 1 and 96."), field="count")
    if not 5 <= minutes <= 240:
        raise InvalidInput(_("A slot lasts between 5 and 240 minutes."), field="minutes")
    if not 0 <= pause <= 240:
        raise InvalidInput(_("The pause must be between 0 and 240 minutes."), field="pause")
    start = dt.datetime.combine(day, first_start, tzinfo=event.tz)
    out = []
    for k in range(count):
        s = start + dt.timedelta(minutes=k * (minutes + pause))
        out.append(slot_add(actor=actor, event=event, starts_at=s, ends_at=s + dt.timedelta(minutes=minutes)))
    return out


@transaction.atomic
def tables_create(*, actor: Any, event: Event, count: int, seats: int = 4, prefix: str = "") -> list[MeetingTable]:
    _require_organiser(actor, event)
    if not 1 <= count <= 1000:
        raise InvalidInput(_("The number of tables must be between 1 and 1000."), field="count")
    if not 2 <= seats <= 50:
        raise InvalidInput(_("A table seats between 2 and 50 people."), field="seats")
    prefix = clean_text(prefix, "prefix", _("The prefix"), 20, required=False)
    start = event.tables.count() + 1
    names = [f"{prefix}{k}" for k in range(start, start + count)]
    if event.tables.filter(name__in=names).exists():
        raise Conflict(_("Some of these table names are already taken; choose another prefix."), field="prefix")
    tables = [MeetingTable.objects.create(event=event, name=n, seats=seats) for n in names]
    audit(actor, "forum.tables.create", event, after={"tables": names, "seats": seats})
    return tables


def _language_pairs(pairs: Iterable[str]) -> list[str]:
    known = set(Language.objects.values_list("code", flat=True))
    out = []
    for raw in pairs:
        parts = [p.strip().lower() for p in str(raw).replace("/", "-").split("-")]
        if len(parts) != 2 or parts[0] == parts[1] or not set(parts) <= known:
            raise InvalidInput(
                _("“%(pair)s” is not a pair of two different known language codes, like en-ru.") % {"pair": raw},
                field="language_pairs",
            )
        out.append("-".join(sorted(parts)))
    if not out:
        raise InvalidInput(_("Give at least one language pair."), field="language_pairs")
    return sorted(set(out))


@transaction.atomic
def interpreter_add(
    *, actor: Any, event: Event, name: str, language_pairs: Iterable[str], available_slots: Iterable[Slot] = ()
) -> Interpreter:
    _require_organiser(actor, event)
    name = clean_text(name, "name", _("The name"), 150)
    pairs = _language_pairs(language_pairs)
    slots = list(available_slots)
    if any(s.event_id != event.pk for s in slots):
        raise InvalidInput(_("A slot of another event was chosen."), field="available_slots")
    interpreter = Interpreter.objects.create(event=event, name=name, language_pairs=pairs)
    interpreter.available_slots.set(slots)
    audit(actor, "forum.interpreter.add", interpreter, after={"pairs": pairs, "slots": [s.pk for s in slots]})
    return interpreter


# Set-up rows are removed only while nothing refers to them: a scheduled meeting (of any run, drafts included)
# keeps its slot, table and interpreter, and a session keeps its room, so no schedule changes behind anyone's back.


@transaction.atomic
def room_remove(*, actor: Any, room: Room) -> None:
    _require_organiser(actor, room.event)
    session = room.event.sessions.filter(room=room).first()
    if session is not None:
        raise Conflict(_("“%(session)s” takes place in this room.") % {"session": session.title})
    audit(actor, "forum.room.remove", room, before={"event": room.event_id, "name": room.name})
    room.delete()


@transaction.atomic
def slot_remove(*, actor: Any, slot: Slot) -> None:
    _require_organiser(actor, slot.event)
    if Meeting.objects.filter(slot=slot).exists():
        raise Conflict(_("Meetings are scheduled in this slot; build the schedule without it first."))
    audit(actor, "forum.slot.remove", slot, before={"starts_at": slot.starts_at.isoformat()})
    slot.delete()


@transaction.atomic
def table_remove(*, actor: Any, table: MeetingTable) -> None:
    _require_organiser(actor, table.event)
    if Meeting.objects.filter(table=table).exists():
        raise Conflict(_("Meetings are scheduled at this table; build the schedule without it first."))
    audit(actor, "forum.table.remove", table, before={"event": table.event_id, "name": table.name})
    table.delete()


@transaction.atomic
def interpreter_remove(*, actor: Any, interpreter: Interpreter) -> None:
    _require_organiser(actor, interpreter.event)
    if Meeting.objects.filter(interpreter=interpreter).exists():
        raise Conflict(_("This interpreter is assigned to scheduled meetings; build the schedule without them first."))
    before = {"event": interpreter.event_id, "name": interpreter.name}
    audit(actor, "forum.interpreter.remove", interpreter, before=before)
    interpreter.delete()


# --- registration --------------------------------------------------------------------------------------------
def _check_stay(event: Event, arrival: Any, departure: Any) -> tuple[dt.datetime, dt.datetime]:
    arrival, departure = _aware(arrival, event, "arrival"), _aware(departure, event, "departure")
    if departure <= arrival:
        raise InvalidInput(_("The departure must be after the arrival."), field="departure")
    if arrival >= event.ends_at:
        raise InvalidInput(
            _("The arrival (%(when)s) is after the event ends (%(last)s).")
            % {"when": _local(arrival, event), "last": event.ends_on},
            field="arrival",
        )
    if departure <= event.starts_at:
        raise InvalidInput(
            _("The departure (%(when)s) is before the event starts (%(first)s).")
            % {"when": _local(departure, event), "first": event.starts_on},
            field="departure",
        )
    return arrival, departure


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    event: Event,
    user: Any,
    city: City,
    role: str,
    languages: Iterable[Language],
    arrival: dt.datetime,
    departure: dt.datetime,
    needs_interpreter: bool = False,
    interpreter_note: str = "",
    join_delegation: bool = False,
) -> Registration:
    """Register `user` for `city`. A delegate registers themself for a city they work for (waits for approval);
    an organiser may register anyone, and that registration is approved at once."""
    require(getattr(actor, "is_authenticated", False), _("Sign in to register."))
    organiser = is_organiser(actor, event)
    if not organiser:
        require(user.pk == actor.pk, _("You can register only yourself."))
        require(
            can_register_for(actor, event, city.pk),
            _("You can register only for a member city you work for (%(city)s is not one).") % {"city": city.name},
        )
        if not event.registration_open:
            raise InvalidTransition(_("Registration for %(event)s is closed.") % {"event": event})
    if not Membership.objects.filter(city=city, status=Membership.Status.ACTIVE).exists() and not organiser:
        raise InvalidInput(_("%(city)s is not an active member city.") % {"city": city.name}, field="city")
    role = clean_text(role, "role", _("The position"), 150)
    langs = list(languages)
    if not langs:
        raise InvalidInput(_("Choose at least one language you speak."), field="languages")
    arrival, departure = _check_stay(event, arrival, departure)
    if Registration.objects.filter(event=event, user=user).exists():
        raise Conflict(_("%(who)s is already registered for this event.") % {"who": user}, field="user")
    try:
        with transaction.atomic():
            reg = Registration.objects.create(
                event=event,
                user=user,
                city=city,
                role=role,
                needs_interpreter=needs_interpreter,
                interpreter_note=clean_text(interpreter_note, "interpreter_note", _("The note"), 300, required=False),
                arrival=arrival,
                departure=departure,
                registered_by=actor,
                status=Registration.Status.APPROVED if organiser else Registration.Status.PENDING,
                decided_by=actor if organiser else None,
                decided_at=timezone.now() if organiser else None,
            )
    except IntegrityError as exc:
        raise Conflict(_("%(who)s is already registered for this event.") % {"who": user}, field="user") from exc
    reg.languages.set(langs)
    if join_delegation:
        reg.delegation = city_delegation(event, city)
        reg.save(update_fields=["delegation"])
    audit(actor, "forum.registration.create", reg, after=snapshot(reg, ["event", "city", "status", "delegation"]))
    return reg


def city_delegation(event: Event, city: City) -> Delegation:
    """The city's delegation at the event (one per city), made on first use."""
    delegation = Delegation.objects.filter(event=event, city=city).order_by("pk").first()
    if delegation is None:
        delegation = Delegation.objects.create(
            event=event, city=city, name=_("Delegation of %(city)s") % {"city": city.name}
        )
    return delegation


@transaction.atomic
def registration_update(
    *,
    actor: Any,
    registration: Registration,
    role: str | None = None,
    languages: Iterable[Language] | None = None,
    arrival: dt.datetime | None = None,
    departure: dt.datetime | None = None,
    needs_interpreter: bool | None = None,
) -> Registration:
    require(can_act_for(actor, registration), _("You may not change this registration."))
    event = registration.event
    fields = ["role", "arrival", "departure", "needs_interpreter"]
    before = snapshot(registration, fields)
    if role is not None:
        registration.role = clean_text(role, "role", _("The position"), 150)
    if arrival is not None or departure is not None:
        registration.arrival, registration.departure = _check_stay(
            event, arrival or registration.arrival, departure or registration.departure
        )
    if needs_interpreter is not None:
        registration.needs_interpreter = needs_interpreter
    if languages is not None:
        langs = list(languages)
        if not langs:
            raise InvalidInput(_("Choose at least one language you speak."), field="languages")
        registration.languages.set(langs)
    registration.save()
    audit(actor, "forum.registration.update", registration, before=before, after=snapshot(registration, fields))
    return registration


def _decide_registration(actor: Any, reg: Registration, to: str, action: str) -> Registration:
    _require_organiser(actor, reg.event)
    if reg.status != Registration.Status.PENDING:
        raise InvalidTransition(_("This registration has already been decided."))
    before = snapshot(reg, ["status"])
    reg.status = to
    reg.decided_by = actor
    reg.decided_at = timezone.now()
    reg.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit(actor, action, reg, before=before, after=snapshot(reg, ["status"]))
    return reg


@transaction.atomic
def registration_approve(*, actor: Any, registration: Registration) -> Registration:
    return _decide_registration(actor, registration, Registration.Status.APPROVED, "forum.registration.approve")


@transaction.atomic
def registration_reject(*, actor: Any, registration: Registration) -> Registration:
    return _decide_registration(actor, registration, Registration.Status.REJECTED, "forum.registration.reject")


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> Registration:
    """Withdraw a registration; the person's open meeting requests are cancelled with it."""
    require(can_act_for(actor, registration), _("You may not cancel this registration."))
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.REJECTED):
        raise InvalidTransition(_("This registration is no longer active."))
    before = snapshot(registration, ["status"])
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    MeetingRequest.objects.filter(
        Q(requester=registration) | Q(target=registration), status__in=MeetingRequest.OPEN
    ).update(status=MeetingRequest.Status.CANCELLED, updated_at=timezone.now())
    audit(actor, "forum.registration.cancel", registration, before=before, after={"status": "cancelled"})
    return registration


@transaction.atomic
def registration_set_delegation(
    *, actor: Any, registration: Registration, delegation: Delegation | None
) -> Registration:
    require(can_act_for(actor, registration), _("You may not change this registration."))
    if delegation is not None:
        if delegation.event_id != registration.event_id or delegation.city_id != registration.city_id:
            raise InvalidInput(_("A delegate can join only a delegation of their own city."), field="delegation")
        members = set(delegation.members.values_list("pk", flat=True))
        clash = MeetingRequest.objects.filter(
            Q(requester=registration, target_id__in=members) | Q(target=registration, requester_id__in=members),
            status__in=MeetingRequest.OPEN,
        ).exists()
        if clash:
            raise Conflict(
                _(
                    "There is an open meeting request between this delegate and a member of the delegation; "
                    "cancel it first."
                ),
                field="delegation",
            )
    before = snapshot(registration, ["delegation"])
    registration.delegation = delegation
    registration.save(update_fields=["delegation", "updated_at"])
    audit(
        actor,
        "forum.registration.delegation",
        registration,
        before=before,
        after=snapshot(registration, ["delegation"]),
    )
    return registration


@transaction.atomic
def registration_check_in(*, actor: Any, registration: Registration) -> Registration:
    _require_organiser(actor, registration.event)
    if registration.status != Registration.Status.APPROVED:
        raise InvalidTransition(_("Only approved delegates can be checked in."))
    if registration.checked_in_at is not None:
        raise InvalidTransition(
            _("%(who)s was already checked in at %(when)s.")
            % {"who": registration.user, "when": _local(registration.checked_in_at, registration.event)}
        )
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    audit(actor, "forum.registration.check_in", registration, after=snapshot(registration, ["checked_in_at"]))
    return registration


# --- meeting requests ----------------------------------------------------------------------------------------
@transaction.atomic
def meeting_request_create(
    *,
    actor: Any,
    requester: Registration,
    target: Registration | None = None,
    target_city: City | None = None,
    priority: int = MeetingRequest.Priority.USEFUL,
    topic: str,
    suggested: bool = False,
) -> MeetingRequest:
    """Ask for a 1:1 meeting with a delegate, or with a city (its delegation's first registered delegate)."""
    event = requester.event
    require(can_act_for(actor, requester), _("You may not request meetings for %(who)s.") % {"who": requester})
    if requester.status != Registration.Status.APPROVED:
        raise InvalidInput(_("Your registration is not approved yet."), field="requester")
    if target is None and target_city is not None:
        if target_city.pk == requester.city_id:
            raise InvalidInput(_("You cannot request a meeting with your own city."), field="target_city")
        target = (
            Registration.objects.filter(event=event, city=target_city, status=Registration.Status.APPROVED)
            .order_by("delegation_id", "created_at", "pk")
            .first()
        )
        if target is None:
            raise InvalidInput(
                _("No delegate of %(city)s is registered for this event.") % {"city": target_city.name},
                field="target_city",
            )
    if target is None:
        raise InvalidInput(_("Choose whom to meet."), field="target")
    if target.pk == requester.pk:
        raise InvalidInput(_("You cannot request a meeting with yourself."), field="target")
    if target.event_id != event.pk or target.status != Registration.Status.APPROVED:
        raise InvalidInput(
            _("%(who)s is not a registered delegate of this event.") % {"who": target.user}, field="target"
        )
    if requester.delegation_id is not None and target.delegation_id == requester.delegation_id:
        raise InvalidInput(_("%(who)s is in your own delegation.") % {"who": target.user}, field="target")
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = 0
    if priority not in MeetingRequest.Priority.values:
        raise InvalidInput(_("The priority must be 1, 2 or 3."), field="priority")
    topic = clean_text(topic, "topic", _("The topic"), 300)
    mine, theirs = party_ids(requester), party_ids(target)
    duplicate = MeetingRequest.objects.filter(
        Q(requester_id__in=mine, target_id__in=theirs) | Q(requester_id__in=theirs, target_id__in=mine),
        status__in=MeetingRequest.OPEN,
    ).exists()
    if duplicate:
        raise Conflict(
            _("There is already an open meeting request between you and %(who)s.") % {"who": target.user},
            field="target",
        )
    expires = timezone.now() + dt.timedelta(days=event.request_valid_days)
    req = MeetingRequest.objects.create(
        event=event,
        requester=requester,
        target=target,
        priority=priority,
        topic=topic,
        expires_at=min(expires, event.ends_at),
        created_by=actor,
        suggested=suggested,
    )
    audit(actor, "forum.request.create", req, after=snapshot(req, ["requester", "target", "priority", "status"]))
    return req


def _answer(actor: Any, req: MeetingRequest, to: str, action: str) -> MeetingRequest:
    require(
        can_act_for(actor, req.target),
        _("Only %(who)s (or their delegation) can answer this request.") % {"who": req.target.user},
    )
    if req.status != MeetingRequest.Status.PENDING:
        raise InvalidTransition(
            _("This request is %(status)s and cannot be answered.") % {"status": req.get_status_display().lower()}
        )
    if req.expires_at <= timezone.now():
        raise InvalidTransition(_("This request expired on %(when)s.") % {"when": _local(req.expires_at, req.event)})
    before = snapshot(req, ["status"])
    req.status = to
    req.answered_at = timezone.now()
    req.answered_by = actor
    req.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    audit(actor, action, req, before=before, after=snapshot(req, ["status"]))
    return req


@transaction.atomic
def meeting_request_accept(*, actor: Any, request: MeetingRequest) -> MeetingRequest:
    return _answer(actor, request, MeetingRequest.Status.ACCEPTED, "forum.request.accept")


@transaction.atomic
def meeting_request_decline(*, actor: Any, request: MeetingRequest) -> MeetingRequest:
    return _answer(actor, request, MeetingRequest.Status.DECLINED, "forum.request.decline")


@transaction.atomic
def meeting_request_cancel(*, actor: Any, request: MeetingRequest) -> MeetingRequest:
    require(
        can_act_for(actor, request.requester) or can_act_for(actor, request.target),
        _("Only the two sides can cancel this request."),
    )
    if request.status not in MeetingRequest.OPEN:
        raise InvalidTransition(_("Only a waiting or accepted request can be cancelled."))
    before = snapshot(request, ["status"])
    request.status = MeetingRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    audit(actor, "forum.request.cancel", request, before=before, after={"status": "cancelled"})
    return request


@transaction.atomic
def meeting_requests_expire(*, event: Event | None = None, now: dt.datetime | None = None) -> int:
    """Mark unanswered requests past their answer-by time as expired (a system action). Returns how many."""
    qs = MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires_at__lte=now or timezone.now())
    if event is not None:
        qs = qs.filter(event=event)
    expired = list(qs.select_for_update())
    for req in expired:
        req.status = MeetingRequest.Status.EXPIRED
        req.save(update_fields=["status", "updated_at"])
        audit(None, "forum.request.expire", req, before={"status": "pending"}, after={"status": "expired"})
    return len(expired)


# --- schedule ------------------------------------------------------------------------------------------------
def schedule_build(*, actor: Any, event: Event, time_limit: float | None = None) -> ScheduleRun:
    """Queue a build of the meeting schedule for all accepted requests (pinned meetings of the draft kept).

    The run is created in its own short transaction and the solve runs as a task outside it (minutes of solving
    must not hold a database write lock). With the immediate task backend the run is finished on return."""
    from .tasks import build_schedule

    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _require_organiser(actor, event)
        limit = float(time_limit if time_limit is not None else event.solver_time_limit)
        if not 1 <= limit <= MAX_TIME_LIMIT:
            raise InvalidInput(
                _("The time limit must be between 1 and %(n)d seconds.") % {"n": MAX_TIME_LIMIT}, field="time_limit"
            )
        if not event.slots.exists():
            raise InvalidInput(_("Add meeting slots before building the schedule."), field="slots")
        if not event.tables.exists():
            raise InvalidInput(_("Add meeting tables before building the schedule."), field="tables")
        if event.runs.filter(status__in=(ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING)).exists():
            raise Conflict(_("A schedule is already being built; wait for it to finish."), field="run")
        meeting_requests_expire(event=event)
        if not event.requests.filter(status=MeetingRequest.Status.ACCEPTED).exists():
            raise InvalidInput(_("There are no accepted meeting requests to schedule."), field="requests")
        number = (event.runs.aggregate(n=Max("number"))["n"] or 0) + 1
        run = ScheduleRun.objects.create(event=event, number=number, started_by=actor, time_limit=limit)
        audit(actor, "forum.schedule.build", run, after={"number": number, "time_limit": limit})
    build_schedule.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


@transaction.atomic
def meeting_pin(*, actor: Any, meeting: Meeting, pinned: bool = True) -> Meeting:
    """Pin (or unpin) a meeting of the draft: the next build keeps it where it is."""
    event = meeting.run.event
    _require_organiser(actor, event)
    draft = event.runs.filter(status=ScheduleRun.Status.DONE).order_by("-number").first()
    if draft is None or draft.pk != meeting.run_id:
        raise InvalidTransition(_("Only meetings of the latest schedule can be pinned."))
    meeting.pinned = pinned
    meeting.save(update_fields=["pinned"])
    audit(actor, "forum.meeting.pin" if pinned else "forum.meeting.unpin", meeting, after={"pinned": pinned})
    return meeting


@transaction.atomic
def schedule_publish(*, actor: Any, event: Event, run: ScheduleRun | None = None) -> ScheduleRun:
    """Publish the draft: delegates see it in their agendas and are told by e-mail; after a first publication,
    only the delegates whose meetings changed are told."""
    from .tasks import send_schedule_notices

    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_organiser(actor, event)
    draft = event.runs.filter(status=ScheduleRun.Status.DONE).order_by("-number").first()
    run = run or draft
    if run is None:
        raise InvalidTransition(_("Build the schedule before publishing it."))
    if draft is None or run.pk != draft.pk:
        raise InvalidTransition(_("Only the latest schedule can be published."))
    if not run.is_valid:
        raise InvalidTransition(_("This schedule did not pass validation and cannot be published."))
    if event.published_run_id == run.pk:
        raise InvalidTransition(_("This schedule is already published."))
    previous = event.published_run
    affected = changed_registrations(previous, run)
    before = {"published_run": event.published_run_id}
    event.published_run = run
    event.schedule_published_at = timezone.now()
    event.save(update_fields=["published_run", "schedule_published_at", "updated_at"])
    audit(actor, "forum.schedule.publish", event, before=before, after={"published_run": run.pk})
    ids = sorted(affected)
    first = previous is None
    transaction.on_commit(lambda: send_schedule_notices.enqueue(event_id=event.pk, registration_ids=ids, first=first))
    return run


def changed_registrations(old: ScheduleRun | None, new: ScheduleRun) -> set[int]:
    """Registrations (delegation members included) whose meetings differ between two runs; with no old run,
    every approved delegate of the event."""
    if old is None:
        return set(new.event.registrations.filter(status=Registration.Status.APPROVED).values_list("pk", flat=True))

    def placed(run: ScheduleRun) -> dict[int, tuple[int, int, int | None]]:
        return {
            r: (s, t, i)
            for r, s, t, i in run.meetings.values_list("request_id", "slot_id", "table_id", "interpreter_id")
        }

    a, b = placed(old), placed(new)
    changed = {r for r in a.keys() | b.keys() if a.get(r) != b.get(r)}
    regs: set[int] = set()
    for requester, target in MeetingRequest.objects.filter(pk__in=changed).values_list("requester", "target"):
        regs |= {requester, target}
    delegations = set(
        Registration.objects.filter(pk__in=regs, delegation__isnull=False).values_list("delegation_id", flat=True)
    )
    regs |= set(Registration.objects.filter(delegation_id__in=delegations).values_list("pk", flat=True))
    return regs


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting, outcome: str = "", open_cooperation: bool = False) -> Meeting:
    """Record that a published meeting took place, with its outcome and next steps; optionally turn it into a
    cooperation at once (`meeting_to_cooperation`)."""
    event = Event.objects.get(pk=meeting.run.event_id)
    require(
        is_organiser(actor, event)
        or can_act_for(actor, meeting.request.requester)
        or can_act_for(actor, meeting.request.target),
        _("Only the two sides and the organisers can record this meeting."),
    )
    if event.published_run_id != meeting.run_id:
        raise InvalidTransition(_("Only a meeting of the published schedule can be marked as held."))
    if meeting.slot.starts_at > timezone.now():
        raise InvalidTransition(_("This meeting has not started yet."))
    meeting.outcome = clean_text(outcome, "outcome", _("The outcome"), 10_000, required=False)
    meeting.held_at = meeting.held_at or timezone.now()
    meeting.save(update_fields=["held_at", "outcome"])
    audit(actor, "forum.meeting.held", meeting, after=snapshot(meeting, ["held_at", "outcome"]))
    if open_cooperation:
        meeting_to_cooperation(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_to_cooperation(*, actor: Any, meeting: Meeting) -> Any:
    """Turn a held meeting into a cooperation between the two cities (its topic as subject, its outcome as the
    first next steps), through the cooperation app's `cooperation_open_from_meeting`."""
    if meeting.held_at is None:
        raise InvalidTransition(_("Mark the meeting as held first."))
    if meeting.cooperation_id is not None:
        raise InvalidTransition(_("This meeting has already become a cooperation."))
    # The cooperation service checks its own permissions (organisers, the secretariat, officers of the two cities)
    # and records the contact stage.
    cooperation = cooperation_open_from_meeting(actor=actor, meeting=meeting)
    meeting.cooperation_id = cooperation.pk
    meeting.save(update_fields=["cooperation_id"])
    audit(actor, "forum.meeting.cooperation", meeting, after={"cooperation": cooperation.pk})
    return cooperation
