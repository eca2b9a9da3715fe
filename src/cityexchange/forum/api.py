"""The forum's API: events and programme, registrations, meeting requests, the schedule, personal agendas."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cityexchange.accounts.models import User
from cityexchange.core.api_support import (
    AUTH_OPTIONAL,
    AUTH_REQUIRED,
    RATE_LIMITED,
    ErrorOut,
    Page,
    PageParams,
    paginate,
)
from cityexchange.core.errors import InvalidInput, NotFound, PermissionDenied
from cityexchange.core.openapi import file_download
from cityexchange.core.ratelimit import api_rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.registry.models import City, Language, Sector

from . import selectors, services
from .ical import agenda_ics
from .models import Event, MeetingRequest, Registration, Room
from .permissions import is_organiser
from .schemas import (
    AgendaItemOut,
    BuildIn,
    EventOut,
    HeldIn,
    MeetingOut,
    MeetingRequestIn,
    MeetingRequestOut,
    RegistrationIn,
    RegistrationOut,
    RunOut,
    ScheduleOut,
    SessionIn,
    SessionOut,
    SlotIn,
    SlotOut,
    SuggestionOut,
)
from .suggestions import suggestions_for

router = Router(tags=["forum"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _event(request: HttpRequest, event_id: int, action: str = "view") -> Event:
    return get_for(actor(request), selectors.events(), event_id, action=action)


def _my_registration(request: HttpRequest, event: Event, registration_id: int | None) -> Registration:
    if registration_id is not None:
        reg = get_for(actor(request), selectors.registrations(), registration_id, action="act")
        if reg.event_id != event.pk:
            raise InvalidInput(_("This registration is for another event."), field="registration_id")
        return reg
    own = selectors.registration_of(actor(request), event)
    if own is None:
        raise NotFound(_("You are not registered for %(event)s.") % {"event": event})
    return own


# --- events and programme ----------------------------------------------------------------------------------------
@router.get("/events", response=list[EventOut], auth=AUTH_OPTIONAL)
def events(request: HttpRequest) -> Any:
    return selectors.events_visible_to(actor(request)).prefetch_related("working_languages")


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS}, auth=AUTH_OPTIONAL)
def event(request: HttpRequest, event_id: int) -> Any:
    return _event(request, event_id)


@router.get("/events/{event_id}/sessions", response={200: list[SessionOut], **ERRORS}, auth=AUTH_OPTIONAL)
def sessions(request: HttpRequest, event_id: int) -> Any:
    return list(selectors.sessions_of(_event(request, event_id)))


@router.post("/events/{event_id}/sessions", response={201: SessionOut, **ERRORS}, auth=AUTH_REQUIRED)
def session_create(request: HttpRequest, event_id: int, payload: SessionIn) -> Any:
    ev = _event(request, event_id, action="manage")
    sector = None
    if payload.sector:
        sector = Sector.objects.filter(code=payload.sector).first()
        if sector is None:
            raise InvalidInput(_("Unknown sector: %(v)s.") % {"v": payload.sector}, field="sector")
    room = None
    if payload.room:
        room = Room.objects.filter(event=ev, name=payload.room).first() or services.room_add(
            actor=actor(request), event=ev, name=payload.room
        )
    speakers = list(Registration.objects.filter(event=ev, pk__in=payload.speaker_ids))
    if len(speakers) != len(set(payload.speaker_ids)):
        raise InvalidInput(_("Some speakers are not registered for this event."), field="speaker_ids")
    session = services.session_add(
        actor=actor(request),
        event=ev,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        kind=payload.kind,
        sector=sector,
        room=room,
        speakers=speakers,
        description=payload.description,
    )
    return Status(201, session)


@router.get("/events/{event_id}/slots", response={200: list[SlotOut], **ERRORS}, auth=AUTH_OPTIONAL)
def slots(request: HttpRequest, event_id: int) -> Any:
    return list(_event(request, event_id).slots.all())


@router.post("/events/{event_id}/slots", response={201: SlotOut, **ERRORS}, auth=AUTH_REQUIRED)
def slot_create(request: HttpRequest, event_id: int, payload: SlotIn) -> Any:
    ev = _event(request, event_id, action="manage")
    return Status(201, services.slot_add(actor=actor(request), event=ev, **payload.dict()))


# --- registrations -----------------------------------------------------------------------------------------------
@router.get("/events/{event_id}/registrations", response={200: Page[RegistrationOut], **ERRORS}, auth=AUTH_REQUIRED)
def registrations(
    request: HttpRequest,
    event_id: int,
    status: str = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    ev = _event(request, event_id)
    qs = selectors.registrations_visible_to(actor(request), ev).prefetch_related("languages")
    if status:
        if status not in Registration.Status.values:
            raise InvalidInput(_("Unknown status: %(v)s.") % {"v": status}, field="status")
        qs = qs.filter(status=status)
    return paginate(qs, page)


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut, **ERRORS}, auth=AUTH_REQUIRED)
def registration_create(request: HttpRequest, event_id: int, payload: RegistrationIn) -> Any:
    ev = _event(request, event_id)
    city = City.objects.filter(pk=payload.city_id).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    langs = list(Language.objects.filter(code__in=payload.languages))
    unknown = set(payload.languages) - {lang.code for lang in langs}
    if unknown:
        raise InvalidInput(_("Unknown language: %(v)s.") % {"v": ", ".join(sorted(unknown))}, field="languages")
    person = actor(request)
    if payload.user_email:
        if not is_organiser(actor(request), ev):
            raise PermissionDenied(_("Only organisers register guests."))
        person = User.objects.filter(email__iexact=payload.user_email).first()
        if person is None:
            raise InvalidInput(_("There is no account with this e-mail address."), field="user_email")
    reg = services.registration_create(
        actor=actor(request),
        event=ev,
        user=person,
        city=city,
        role=payload.role,
        languages=langs,
        arrival=payload.arrival,
        departure=payload.departure,
        needs_interpreter=payload.needs_interpreter,
        interpreter_note=payload.interpreter_note,
        join_delegation=payload.join_delegation,
    )
    return Status(201, reg)


def _registration(request: HttpRequest, registration_id: int, action: str) -> Registration:
    return get_for(actor(request), selectors.registrations(), registration_id, action=action)


@router.post("/registrations/{registration_id}/approve", response={200: RegistrationOut, **ERRORS}, auth=AUTH_REQUIRED)
def registration_approve(request: HttpRequest, registration_id: int) -> Any:
    reg = _registration(request, registration_id, "manage")
    return services.registration_approve(actor=actor(request), registration=reg)


@router.post("/registrations/{registration_id}/reject", response={200: RegistrationOut, **ERRORS}, auth=AUTH_REQUIRED)
def registration_reject(request: HttpRequest, registration_id: int) -> Any:
    reg = _registration(request, registration_id, "manage")
    return services.registration_reject(actor=actor(request), registration=reg)


@router.post("/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS}, auth=AUTH_REQUIRED)
def registration_cancel(request: HttpRequest, registration_id: int) -> Any:
    reg = _registration(request, registration_id, "act")
    return services.registration_cancel(actor=actor(request), registration=reg)


@router.post("/registrations/{registration_id}/check-in", response={200: RegistrationOut, **ERRORS}, auth=AUTH_REQUIRED)
def registration_check_in(request: HttpRequest, registration_id: int) -> Any:
    reg = _registration(request, registration_id, "manage")
    return services.registration_check_in(actor=actor(request), registration=reg)


# --- meeting requests --------------------------------------------------------------------------------------------
@router.get("/events/{event_id}/requests", response={200: Page[MeetingRequestOut], **ERRORS}, auth=AUTH_REQUIRED)
def meeting_requests(
    request: HttpRequest,
    event_id: int,
    status: str = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    ev = _event(request, event_id)
    qs = selectors.requests_visible_to(actor(request), ev)
    if status:
        if status not in MeetingRequest.Status.values:
            raise InvalidInput(_("Unknown status: %(v)s.") % {"v": status}, field="status")
        qs = qs.filter(status=status)
    return paginate(qs, page)


@router.post("/events/{event_id}/requests", response={201: MeetingRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_request_create(request: HttpRequest, event_id: int, payload: MeetingRequestIn) -> Any:
    ev = _event(request, event_id)
    requester = _my_registration(request, ev, payload.requester_id)
    target = target_city = None
    if payload.target_id is not None:
        target = Registration.objects.select_related("user", "event").filter(pk=payload.target_id).first()
        if target is None or target.event_id != ev.pk:
            raise InvalidInput(_("There is no such delegate at this event."), field="target_id")
    elif payload.target_city_id is not None:
        target_city = City.objects.filter(pk=payload.target_city_id).first()
        if target_city is None:
            raise InvalidInput(
                _("There is no city with id %(id)s.") % {"id": payload.target_city_id}, field="target_city_id"
            )
    req = services.meeting_request_create(
        actor=actor(request),
        requester=requester,
        target=target,
        target_city=target_city,
        priority=payload.priority,
        topic=payload.topic,
    )
    return Status(201, req)


def _request(request: HttpRequest, request_id: int) -> MeetingRequest:
    return get_for(actor(request), selectors.meeting_requests(), request_id)


@router.post("/requests/{request_id}/accept", response={200: MeetingRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_request_accept(request: HttpRequest, request_id: int) -> Any:
    return services.meeting_request_accept(actor=actor(request), request=_request(request, request_id))


@router.post("/requests/{request_id}/decline", response={200: MeetingRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_request_decline(request: HttpRequest, request_id: int) -> Any:
    return services.meeting_request_decline(actor=actor(request), request=_request(request, request_id))


@router.post("/requests/{request_id}/cancel", response={200: MeetingRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_request_cancel(request: HttpRequest, request_id: int) -> Any:
    return services.meeting_request_cancel(actor=actor(request), request=_request(request, request_id))


@router.get("/events/{event_id}/suggestions", response={200: list[SuggestionOut], **ERRORS}, auth=AUTH_REQUIRED)
def suggestions(request: HttpRequest, event_id: int, registration_id: int | None = None) -> Any:
    ev = _event(request, event_id)
    reg = _my_registration(request, ev, registration_id)
    if reg.status != Registration.Status.APPROVED:
        return []
    return [
        {
            "target_id": s.target.pk,
            "target": str(s.target.user),
            "city": s.target.city.name,
            "score": s.score,
            "reasons": [r.text for r in s.reasons],
            "topic": s.topic,
        }
        for s in suggestions_for(reg, user=actor(request))
    ]


# --- schedule ----------------------------------------------------------------------------------------------------
@router.post("/events/{event_id}/schedule/build", response={200: RunOut, **ERRORS, **RATE_LIMITED}, auth=AUTH_REQUIRED)
@api_rate_limit("schedule")
def schedule_build(request: HttpRequest, event_id: int, payload: BuildIn) -> Any:
    ev = _event(request, event_id, action="manage")
    return services.schedule_build(actor=actor(request), event=ev, time_limit=payload.time_limit)


@router.get("/events/{event_id}/schedule", response={200: ScheduleOut, **ERRORS}, auth=AUTH_REQUIRED)
def schedule(request: HttpRequest, event_id: int) -> Any:
    """The draft (latest finished run) with its meetings, for the organisers."""
    ev = _event(request, event_id, action="manage")
    run = selectors.draft_run(ev)
    return {"run": run, "meetings": list(selectors.meetings_of(run)) if run else []}


@router.post("/events/{event_id}/schedule/publish", response={200: RunOut, **ERRORS}, auth=AUTH_REQUIRED)
def schedule_publish(request: HttpRequest, event_id: int) -> Any:
    ev = _event(request, event_id, action="manage")
    run = services.schedule_publish(actor=actor(request), event=ev)
    run.event.refresh_from_db()
    return run


@router.post("/meetings/{meeting_id}/pin", response={200: MeetingOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_pin(request: HttpRequest, meeting_id: int) -> Any:
    meeting = get_for(actor(request), selectors.meetings(), meeting_id, action="manage")
    return services.meeting_pin(actor=actor(request), meeting=meeting, pinned=True)


@router.post("/meetings/{meeting_id}/unpin", response={200: MeetingOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_unpin(request: HttpRequest, meeting_id: int) -> Any:
    meeting = get_for(actor(request), selectors.meetings(), meeting_id, action="manage")
    return services.meeting_pin(actor=actor(request), meeting=meeting, pinned=False)


@router.post("/meetings/{meeting_id}/held", response={200: MeetingOut, **ERRORS}, auth=AUTH_REQUIRED)
def meeting_held(request: HttpRequest, meeting_id: int, payload: HeldIn) -> Any:
    meeting = get_for(actor(request), selectors.meetings(), meeting_id)
    return services.meeting_mark_held(
        actor=actor(request), meeting=meeting, outcome=payload.outcome, open_cooperation=payload.open_cooperation
    )


# --- personal agenda ---------------------------------------------------------------------------------------------
@router.get("/events/{event_id}/agenda", response={200: list[AgendaItemOut], **ERRORS}, auth=AUTH_REQUIRED)
def agenda(request: HttpRequest, event_id: int, registration_id: int | None = None) -> Any:
    ev = _event(request, event_id)
    reg = _my_registration(request, ev, registration_id)
    return selectors.agenda_for(reg) if reg.status == Registration.Status.APPROVED else []


@router.get(
    "/events/{event_id}/agenda.ics",
    response={200: None, **ERRORS},
    auth=AUTH_REQUIRED,
    openapi_extra=file_download("text/calendar"),
)
def agenda_ical(request: HttpRequest, event_id: int, registration_id: int | None = None) -> Any:
    """The personal agenda as an iCalendar file (UTC times)."""
    ev = _event(request, event_id)
    reg = _my_registration(request, ev, registration_id)
    items = selectors.agenda_for(reg) if reg.status == Registration.Status.APPROVED else []
    body = agenda_ics(reg, items, host=request.get_host().split(":")[0] or "cityexchange")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ev.slug}-agenda.ics"'
    return response
