"""The cooperation pipeline over HTTP: contact requests, cooperations and their moves, the secretariat's overview,
the public register of agreements and the open-data documents. Same permissions as the pages (the services and
selectors apply them)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from cityexchange.challenges.models import Challenge
from cityexchange.core.api_support import (
    AUTH_OPTIONAL,
    AUTH_REQUIRED,
    RATE_LIMITED,
    ErrorOut,
    Page,
    PageParams,
    paginate,
)
from cityexchange.core.errors import InvalidInput, NotFound
from cityexchange.core.filtering import query_schema
from cityexchange.core.ids import safe_id
from cityexchange.core.openapi import file_download
from cityexchange.core.ratelimit import api_rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City

from . import opendata, permissions, selectors, services
from .filters import CooperationFilters, RegisterFilters
from .schemas import (
    AnswerIn,
    ContactRequestIn,
    ContactRequestOut,
    CooperationDetailOut,
    CooperationOut,
    DocumentOut,
    EventOut,
    MoveIn,
    NoteIn,
    OpenIn,
    OverviewOut,
    RegisterEntryOut,
    StageRuleOut,
)
from .stages import MOVES, PATH, REQUIRES, Evidence, Result, Signatory, Stage, label

router = Router(tags=["cooperation"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _city(city_id: int | None, field: str) -> City | None:
    if city_id is None:
        return None
    city = City.objects.filter(pk=safe_id(city_id)).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": city_id}, field=field)
    return city


def _subject(request: HttpRequest, practice_id: int | None, challenge_id: int | None) -> tuple[Any, Any]:
    practice = challenge = None
    try:
        if practice_id is not None:
            practice = get_for(actor(request), Practice, practice_id)
        if challenge_id is not None:
            challenge = get_for(actor(request), Challenge, challenge_id)
    except NotFound as exc:
        raise InvalidInput(exc.message, field="practice_id" if practice_id is not None else "challenge_id") from exc
    return practice, challenge


# --- The stage machine, for clients.


@router.get(
    "/stages", response=list[StageRuleOut], auth=AUTH_OPTIONAL, summary="The stages, allowed moves and evidence"
)
def stages(request: HttpRequest) -> Any:
    return [
        {"stage": s.value, "label": label(s), "moves_to": [t.value for t in (*PATH, Stage.CLOSED) if t in MOVES[s]],
         "requires": list(REQUIRES[s])}
        for s in (*PATH, Stage.CLOSED)
    ]  # fmt: skip


# --- Contact requests.


@router.get("/contact-requests", response={200: Page[ContactRequestOut], **ERRORS}, auth=AUTH_REQUIRED)
def contact_requests(
    request: HttpRequest,
    status: Literal["pending", "accepted", "declined", "expired", "withdrawn", ""] = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    qs = selectors.contact_requests_visible_to(actor(request))
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, page)


@router.post("/contact-requests", response={201: ContactRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def contact_request_create(request: HttpRequest, payload: ContactRequestIn) -> Any:
    practice, challenge = _subject(request, payload.practice_id, payload.challenge_id)
    req = services.contact_request_create(
        actor=actor(request),
        practice=practice,
        challenge=challenge,
        message=payload.message,
        from_city=_city(payload.from_city_id, "from_city_id"),
        language=payload.language,
    )
    return Status(201, req)


@router.get("/contact-requests/{request_id}", response={200: ContactRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def contact_request(request: HttpRequest, request_id: int) -> Any:
    return get_for(actor(request), selectors.contact_requests(), request_id)


@router.post("/contact-requests/{request_id}/accept", response={200: CooperationOut, **ERRORS}, auth=AUTH_REQUIRED)
def contact_request_accept(request: HttpRequest, request_id: int, payload: AnswerIn) -> Any:
    req = get_for(actor(request), selectors.contact_requests(), request_id, action="answer")
    coop = services.contact_request_accept(actor=actor(request), request=req, answer=payload.answer)
    return get_for(actor(request), selectors.cooperations(), coop.pk)


@router.post("/contact-requests/{request_id}/decline", response={200: ContactRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def contact_request_decline(request: HttpRequest, request_id: int, payload: AnswerIn) -> Any:
    req = get_for(actor(request), selectors.contact_requests(), request_id, action="answer")
    return services.contact_request_decline(actor=actor(request), request=req, answer=payload.answer)


@router.post("/contact-requests/{request_id}/withdraw", response={200: ContactRequestOut, **ERRORS}, auth=AUTH_REQUIRED)
def contact_request_withdraw(request: HttpRequest, request_id: int) -> Any:
    req = get_for(actor(request), selectors.contact_requests(), request_id, action="withdraw")
    return services.contact_request_withdraw(actor=actor(request), request=req)


# --- Cooperations.


CooperationQuery = query_schema(CooperationFilters, "CooperationQuery")
RegisterQuery = query_schema(RegisterFilters, "RegisterQuery")


@router.get("/cooperations", response={200: Page[CooperationOut], **ERRORS}, auth=AUTH_OPTIONAL)
def cooperations(
    request: HttpRequest,
    params: Query[CooperationQuery],  # type: ignore[valid-type]
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    """Cooperations you may see: all of them for officers of member cities, those with an agreement for others."""
    return paginate(selectors.cooperation_list(actor(request), CooperationFilters(params)), page)


@router.post("/cooperations", response={201: CooperationOut, **ERRORS}, auth=AUTH_REQUIRED)
def cooperation_open(request: HttpRequest, payload: OpenIn) -> Any:
    practice, challenge = _subject(request, payload.practice_id, payload.challenge_id)
    cities = [c for c in (_city(i, "city_ids") for i in payload.city_ids) if c is not None]
    coop = services.cooperation_open(
        actor=actor(request),
        cities=cities,
        practice=practice,
        challenge=challenge,
        title=payload.title,
        note=payload.note,
    )
    return Status(201, get_for(actor(request), selectors.cooperations(), coop.pk))


def _detail(request: HttpRequest, cooperation_id: int) -> Any:
    coop = get_for(actor(request), selectors.cooperations(), cooperation_id)
    private = permissions.can_see_private(actor(request), coop)
    timeline = [
        {
            **{f: getattr(e.event, f) for f in ("id", "from_stage", "to_stage", "occurred_on", "note", "city_id")},
            "private_note": e.private_note if private else None,
            "documents": e.documents,
            "results": e.results,
            "agreement": e.agreement,
        }
        for e in selectors.timeline(actor(request), coop)
    ]
    coop.timeline = timeline  # type: ignore[attr-defined]
    return coop


@router.get("/cooperations/{cooperation_id}", response={200: CooperationDetailOut, **ERRORS}, auth=AUTH_OPTIONAL)
def cooperation(request: HttpRequest, cooperation_id: int) -> Any:
    """A cooperation with its timeline; private notes and documents only for the cities taking part and the
    secretariat (`private_note` is null for everyone else)."""
    return _detail(request, cooperation_id)


@router.post("/cooperations/{cooperation_id}/moves", response={201: EventOut, **ERRORS}, auth=AUTH_REQUIRED)
def cooperation_move(request: HttpRequest, cooperation_id: int, payload: MoveIn) -> Any:
    """Move to another stage with its evidence (GET /stages lists what each stage needs)."""
    coop = get_for(actor(request), selectors.cooperations(), cooperation_id, action="move")
    evidence = Evidence(
        occurred_on=payload.occurred_on,
        note=payload.note,
        private_note=payload.private_note,
        agreement_kind=payload.agreement_kind,
        agreement_title=payload.agreement_title,
        signed_on=payload.signed_on,
        signatories=[Signatory(s.city_id, s.name, s.role) for s in payload.signatories],
        results=[Result(r.value, r.indicator_id, r.name, r.unit, r.note) for r in payload.results],
        reason=payload.reason,
    )
    event = services.cooperation_move(
        actor=actor(request),
        cooperation=coop,
        to_stage=payload.to_stage,
        evidence=evidence,
        city=_city(payload.city_id, "city_id"),
    )
    entry = next(e for e in _detail(request, cooperation_id).timeline if e["id"] == event.pk)
    return Status(201, entry)


@router.post("/cooperations/{cooperation_id}/notes", response={201: EventOut, **ERRORS}, auth=AUTH_REQUIRED)
def cooperation_note(request: HttpRequest, cooperation_id: int, payload: NoteIn) -> Any:
    coop = get_for(actor(request), selectors.cooperations(), cooperation_id, action="move")
    event = services.cooperation_add_note(
        actor=actor(request),
        cooperation=coop,
        note=payload.note,
        private_note=payload.private_note,
        occurred_on=payload.occurred_on,
        city=_city(payload.city_id, "city_id"),
    )
    entry = next(e for e in _detail(request, cooperation_id).timeline if e["id"] == event.pk)
    return Status(201, entry)


@router.post(
    "/cooperations/{cooperation_id}/documents", response={201: list[DocumentOut], **ERRORS}, auth=AUTH_REQUIRED
)
def cooperation_documents(
    request: HttpRequest, cooperation_id: int, files: File[list[UploadedFile]], note: str = ""
) -> Any:
    """Attach documents (PDF or images) as a new timeline entry; seen by the participating cities and the
    secretariat."""
    coop = get_for(actor(request), selectors.cooperations(), cooperation_id, action="move")
    event = services.cooperation_add_note(actor=actor(request), cooperation=coop, note=note, documents=files)
    return Status(201, list(event.documents.all()))


@router.get(
    "/overview", response={200: OverviewOut, **ERRORS}, auth=AUTH_REQUIRED, summary="The secretariat's overview"
)
def overview(request: HttpRequest) -> Any:
    return selectors.overview(actor(request))


# --- The public register and open data.


@router.get("/register", response={200: Page[RegisterEntryOut], **ERRORS}, auth=AUTH_OPTIONAL)
def register(
    request: HttpRequest,
    params: Query[RegisterQuery],  # type: ignore[valid-type]
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    """The public register of agreements: who signed what with whom, when, about which practice."""
    qs = selectors.agreements_public(RegisterFilters(params))
    result = paginate(qs, page)
    result["results"] = [opendata.agreement_record(a) for a in result["results"]]
    return result


@router.get(
    "/open-data/feed.atom",
    auth=AUTH_OPTIONAL,
    summary="Atom feed of new practices and agreements",
    openapi_extra=file_download("application/atom+xml"),
)
def open_data_feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(opendata.atom_feed(), content_type="application/atom+xml; charset=utf-8")


@router.get(
    "/open-data/{dataset}.{fmt}",
    auth=AUTH_OPTIONAL,
    response={200: Any, 404: ErrorOut, 422: ErrorOut, **RATE_LIMITED},
    summary="Open data: agreements or practices as csv, json or jsonld",
    openapi_extra=file_download("text/csv", "application/ld+json"),
)
@api_rate_limit("export")
def open_data_file(
    request: HttpRequest,
    dataset: Literal["agreements", "practices"],
    fmt: Literal["csv", "json", "jsonld"],
    params: Query[RegisterQuery],  # type: ignore[valid-type]
) -> HttpResponse:
    agreements = None
    if dataset == "agreements":
        agreements = selectors.agreements_public(RegisterFilters(params))
    body = opendata.render(dataset, fmt, opendata.items_for(dataset, agreements))
    response = HttpResponse(body, content_type=opendata.FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response
