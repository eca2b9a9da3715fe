"""Challenges over HTTP: the same selectors and services, so the same rules as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cityexchange.core.api_support import (
    AUTH_OPTIONAL,
    AUTH_REQUIRED,
    RATE_LIMITED,
    ErrorOut,
    Page,
    PageParams,
    paginate,
)
from cityexchange.core.errors import InvalidInput
from cityexchange.core.filtering import query_schema
from cityexchange.core.ids import safe_id
from cityexchange.core.openapi import file_download
from cityexchange.core.ratelimit import api_rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.registry.models import City, Sector

from . import selectors, services
from .document import challenge_document, json_schema
from .filters import ChallengeFilters
from .importer import export_challenges
from .models import Challenge
from .schemas import ChallengeCreateIn, ChallengeIn, ChallengeOut, StatusIn

router = Router(tags=["challenges"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def out(c: Challenge) -> dict[str, Any]:
    c = Challenge.objects.select_related("city").prefetch_related("sectors").get(pk=c.pk)
    doc = challenge_document(c)
    return {
        **{k: doc[k] for k in ("external_id", "language", "title", "description", "desired_outcome", "sectors")},
        **{k: doc[k] for k in ("constraints", "status", "is_public")},
        "id": c.pk,
        "city_id": c.city_id,
        "city": c.city.name,
        "country": c.city.country_id,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


ChallengeQuery = query_schema(ChallengeFilters, "ChallengeQuery")


@router.get("", response={200: Page[ChallengeOut], **ERRORS}, auth=AUTH_OPTIONAL, summary="List challenges")
def challenge_list(
    request: HttpRequest,
    params: Query[ChallengeQuery],  # type: ignore[valid-type]
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    """Public challenges for everyone; members-only ones too for people working for a member city."""
    filters = ChallengeFilters(params)
    result = paginate(selectors.challenge_list(actor(request), filters), page)
    result["results"] = [out(c) for c in result["results"]]
    return result


@router.get(
    "/export",
    auth=AUTH_OPTIONAL,
    response={200: Any, **ERRORS, **RATE_LIMITED},
    summary="Export challenges",
    openapi_extra=file_download("text/csv"),
)
@api_rate_limit("export")
def export(request: HttpRequest, format: Literal["json", "csv"] = "json") -> HttpResponse:
    """The challenges you may see, in the import format."""
    body = export_challenges(selectors.challenges_visible_to(actor(request)), format)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8" if format == "csv" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="challenges.{format}"'
    return response


@router.get("/schema", auth=AUTH_OPTIONAL, response=dict[str, Any], summary="JSON Schema of the import format")
def schema(request: HttpRequest) -> Any:
    return json_schema(list(Sector.objects.values_list("code", flat=True)))


@router.post("", response={201: ChallengeOut, **ERRORS}, auth=AUTH_REQUIRED)
def create(request: HttpRequest, payload: ChallengeCreateIn) -> Any:
    city = City.objects.filter(pk=safe_id(payload.city_id)).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    challenge = services.challenge_create(actor=actor(request), city=city, data=payload.dict(exclude={"city_id"}))
    return Status(201, out(challenge))


@router.get("/{challenge_id}", response={200: ChallengeOut, **ERRORS}, auth=AUTH_OPTIONAL)
def detail(request: HttpRequest, challenge_id: int) -> Any:
    return out(get_for(actor(request), Challenge, challenge_id))


@router.put("/{challenge_id}", response={200: ChallengeOut, **ERRORS}, auth=AUTH_REQUIRED)
def update(request: HttpRequest, challenge_id: int, payload: ChallengeIn) -> Any:
    challenge = get_for(actor(request), Challenge, challenge_id, action="edit")
    return out(services.challenge_update(actor=actor(request), challenge=challenge, data=payload.dict()))


@router.post("/{challenge_id}/status", response={200: ChallengeOut, **ERRORS}, auth=AUTH_REQUIRED)
def set_status(request: HttpRequest, challenge_id: int, payload: StatusIn) -> Any:
    challenge = get_for(actor(request), Challenge, challenge_id, action="edit")
    return out(services.challenge_set_status(actor=actor(request), challenge=challenge, status=payload.status))
