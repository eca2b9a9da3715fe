"""Governance over the API: documents, bodies, votes (casting and closing included) and working groups.

The same services and selectors as the pages, so the same permissions and the same secrecy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cityexchange.accounts.models import User
from cityexchange.core.api_support import AUTH_OPTIONAL, AUTH_REQUIRED, ErrorOut, Page, PageParams, paginate
from cityexchange.core.errors import InvalidInput
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.registry.models import City

from . import selectors, services
from .models import Vote
from .schemas import (
    BallotIn,
    BallotOut,
    BodyDetailOut,
    BodyOut,
    CityRef,
    DelegateIn,
    DelegateOut,
    DocumentOut,
    GroupDetailOut,
    GroupMemberOut,
    GroupOut,
    StatutesSettingsOut,
    VoteIn,
    VoteOut,
)

router = Router(tags=["governance"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _city(city_id: int | None, field: str = "city_id") -> City:
    city = City.objects.filter(pk=city_id).first() if city_id else None
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": city_id}, field=field)
    return city


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def vote_out(vote: Vote) -> dict[str, Any]:
    view = selectors.vote_view(vote)
    result = view.result
    return {
        **{
            f: getattr(vote, f)
            for f in (
                "id",
                "body_id",
                "kind",
                "title",
                "motion",
                "subject_city_id",
                "ballot_type",
                "seats",
                "secret",
                "majority_rule",
                "quorum_percent",
                "opens_at",
                "closes_at",
            )
        },
        "body": vote.body.label,
        "phase": view.phase,
        "electorate": view.electorate,
        "voted": view.voted,
        "options": [{"id": o.pk, "kind": o.kind, "label": o.display} for o in vote.options.all()],
        "counts": None
        if view.counts is None
        else [{"option_id": c.option.pk, "votes": c.votes, "elected": c.elected} for c in view.counts],
        "result": None
        if result is None
        else {
            **{
                f: getattr(result, f)
                for f in (
                    "outcome",
                    "electorate",
                    "turnout",
                    "turnout_percent",
                    "quorum_reached",
                    "counted_at",
                    "closed_early",
                    "action",
                    "action_note",
                )
            }
        },
        "roll_call": [
            {"city_id": city.pk, "city": city.name, "option_id": opt.pk if opt else None}
            for city, opt in view.roll_call
        ],
    }


# --- Statutes and documents ------------------------------------------------------------------------------------


@router.get("/statutes-settings", response=StatutesSettingsOut, auth=AUTH_OPTIONAL, summary="Voting rules")
def statutes_settings(request: HttpRequest) -> Any:
    return selectors.statutes_settings()


@router.get("/documents", response=list[DocumentOut], auth=AUTH_OPTIONAL, summary="Statutes, rules, resolutions")
def documents(request: HttpRequest) -> Any:
    return selectors.documents_public()


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS}, auth=AUTH_OPTIONAL)
def document(request: HttpRequest, document_id: int) -> Any:
    return get_for(actor(request), selectors.documents_public(), document_id)


# --- Bodies ----------------------------------------------------------------------------------------------------


@router.get("/bodies", response=list[BodyOut], auth=AUTH_OPTIONAL)
def bodies(request: HttpRequest) -> Any:
    return selectors.bodies()


@router.get("/bodies/{body_id}", response={200: BodyDetailOut, **ERRORS}, auth=AUTH_OPTIONAL)
def body(request: HttpRequest, body_id: int, include_past: bool = False) -> Any:
    """A body and who sits on it now (or, with `include_past`, in every term)."""
    b = get_for(actor(request), selectors.bodies(), body_id)
    return {
        "id": b.pk,
        "kind": b.kind,
        "label": b.label,
        "description": b.description,
        "seats": list(selectors.body_seats(b, current=not include_past)),
    }


@router.put("/cities/{city_id}/delegate", response={200: DelegateOut, **ERRORS}, auth=AUTH_REQUIRED)
def delegate(request: HttpRequest, city_id: int, payload: DelegateIn) -> Any:
    """The coordinator names who else casts the city's votes (a member of the city's team)."""
    city = _city(city_id)
    user = User.objects.filter(email__iexact=payload.user_email.strip()).first()
    d = services.delegate_name(actor=actor(request), city=city, user=user)
    return {"city_id": d.city_id, "user_id": d.user_id, "user": str(d.user)}


# --- Votes -----------------------------------------------------------------------------------------------------


@router.get("/votes", response={200: Page[VoteOut], **ERRORS}, auth=AUTH_OPTIONAL)
def votes(
    request: HttpRequest,
    phase: Literal["scheduled", "open", "counted", ""] = "",
    body_id: int | None = None,
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    services.count_due_votes()
    now = timezone.now()
    qs = selectors.votes_public()
    if phase == "scheduled":
        qs = qs.filter(opens_at__gt=now)
    elif phase == "open":
        qs = qs.filter(opens_at__lte=now, closes_at__gt=now, result__isnull=True)
    elif phase == "counted":
        qs = qs.filter(result__isnull=False)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    data = paginate(qs, page)
    return {**data, "results": [vote_out(v) for v in data["results"]]}


@router.post("/votes", response={201: VoteOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Open a vote (secretariat)")
def vote_create(request: HttpRequest, payload: VoteIn) -> Any:
    b = selectors.bodies().filter(pk=payload.body_id).first()
    if b is None:
        raise InvalidInput(_("There is no such body."), field="body_id")
    subject = _city(payload.subject_city_id, "subject_city_id") if payload.subject_city_id else None
    closes_at = _aware(payload.closes_at) or payload.closes_at
    vote = services.vote_open(
        actor=actor(request),
        body=b,
        kind=payload.kind,
        title=payload.title,
        motion=payload.motion,
        closes_at=closes_at,
        opens_at=_aware(payload.opens_at),
        options=payload.options,
        seats=payload.seats,
        subject_city=subject,
        secret=payload.secret,
        majority_rule=payload.majority_rule,
        quorum_percent=payload.quorum_percent,
    )
    return Status(201, vote_out(selectors.get_vote_for(actor(request), vote.pk)))


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS}, auth=AUTH_OPTIONAL)
def vote(request: HttpRequest, vote_id: int) -> Any:
    """A vote; after its closing time the result (computed once) with the count and turnout."""
    return vote_out(selectors.get_vote_for(actor(request), vote_id))


@router.post("/votes/{vote_id}/ballots", response={200: BallotOut, **ERRORS}, auth=AUTH_REQUIRED)
def cast(request: HttpRequest, vote_id: int, payload: BallotIn) -> Any:
    """Cast the city's ballot, or change it until closing (a secret ballot changes with its code)."""
    v = selectors.get_vote_for(actor(request), vote_id)
    option = v.options.filter(pk=payload.option_id).first()
    if option is None:
        raise InvalidInput(_("This option does not belong to this vote."), field="option_id")
    receipt = services.vote_cast(
        actor=actor(request), vote=v, city=_city(payload.city_id), option=option, code=payload.code
    )
    return {
        "vote_id": v.pk,
        "city_id": receipt.ballot.city_id,
        "changed": receipt.changed,
        "option_id": None if v.secret else option.pk,
        "code": receipt.code,
    }


@router.post("/votes/{vote_id}/close", response={200: VoteOut, **ERRORS}, auth=AUTH_REQUIRED)
def close(request: HttpRequest, vote_id: int) -> Any:
    """Close and count (secretariat): before the set time this ends voting for everyone."""
    v = selectors.get_vote_for(actor(request), vote_id)
    services.vote_count(actor=actor(request), vote=v, close_now=True)
    return vote_out(selectors.get_vote_for(actor(request), vote_id))


@router.post("/votes/{vote_id}/carry-out", response={200: VoteOut, **ERRORS}, auth=AUTH_REQUIRED)
def carry_out(request: HttpRequest, vote_id: int) -> Any:
    v = selectors.get_vote_for(actor(request), vote_id)
    services.vote_carry_out(actor=actor(request), vote=v)
    return vote_out(selectors.get_vote_for(actor(request), vote_id))


# --- Working groups --------------------------------------------------------------------------------------------


@router.get("/groups", response={200: Page[GroupOut], **ERRORS}, auth=AUTH_OPTIONAL)
def groups(
    request: HttpRequest,
    sector: str = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    qs = selectors.groups_public()
    if sector:
        qs = qs.filter(Q(sectors__code=sector)).distinct()
    return paginate(qs, page)


@router.get("/groups/{group_id}", response={200: GroupDetailOut, **ERRORS}, auth=AUTH_OPTIONAL)
def group(request: HttpRequest, group_id: int) -> Any:
    return get_for(actor(request), selectors.groups_public(), group_id)


@router.post("/groups/{group_id}/join", response={200: GroupMemberOut, **ERRORS}, auth=AUTH_REQUIRED)
def group_join(request: HttpRequest, group_id: int, payload: CityRef) -> Any:
    g = get_for(actor(request), selectors.groups_public(), group_id)
    return services.group_join(actor=actor(request), group=g, city=_city(payload.city_id))


@router.post("/groups/{group_id}/leave", response={200: GroupMemberOut, **ERRORS}, auth=AUTH_REQUIRED)
def group_leave(request: HttpRequest, group_id: int, payload: CityRef) -> Any:
    g = get_for(actor(request), selectors.groups_public(), group_id)
    return services.group_leave(actor=actor(request), group=g, city=_city(payload.city_id))
