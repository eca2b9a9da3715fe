"""The translation desk over HTTP: the same selectors and services as the pages, so the same rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from cityexchange.challenges.models import Challenge
from cityexchange.core.api_support import AUTH_REQUIRED, ErrorOut
from cityexchange.core.errors import InvalidInput
from cityexchange.core.ids import safe_id
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City

from . import selectors, services
from .models import TranslationRequest, TranslationVersion
from .schemas import LanguagesIn, LanguagesOut, RequestIn, RequestOut, ReturnIn, TranslationIn, VersionOut, WantedOut
from .subjects import VERSION_TEXTS, kinds, message_model, subject_of

router = Router(tags=["translation desk"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _item(user: Any, practice_id: int | None, challenge_id: int | None, contact_request_id: int | None) -> Any:
    """The practice, challenge or contact message named (exactly one), if `user` may see it: a message only for the
    two cities' officers and the secretariat (404 for anyone else)."""
    named = [i for i in (practice_id, challenge_id, contact_request_id) if i is not None]
    if len(named) != 1:
        raise InvalidInput(_("Give one of practice_id, challenge_id and contact_request_id."), field="practice_id")
    if practice_id is not None:
        return get_for(user, Practice, practice_id)
    if challenge_id is not None:
        return get_for(user, Challenge, challenge_id)
    return get_for(user, message_model(), contact_request_id)


def _ids(row: Any) -> dict[str, int | None]:
    """The item a request, version or wanted entry is of, by the fields the API names it with."""
    return {f"{kind.kind}_id": getattr(row, f"{kind.kind}_id", None) for kind in kinds()}


def version_out(v: TranslationVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        **_ids(v),
        "language": v.language_id,
        "number": v.number,
        "status": v.status,
        "city": v.city.name,
        **{k: getattr(v, k) for k in (*VERSION_TEXTS, "indicator_names")},
        "note": v.note,
        "created_at": v.created_at,
        "reviewed_at": v.reviewed_at,
    }


@router.get("/languages", response={200: LanguagesOut, **ERRORS}, auth=AUTH_REQUIRED, summary="My languages")
def languages_get(request: HttpRequest) -> Any:
    return {"languages": selectors.declared_languages(actor(request))}


@router.put("/languages", response={200: LanguagesOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Declare my languages")
def languages_put(request: HttpRequest, payload: LanguagesIn) -> Any:
    return {"languages": services.languages_set(actor=actor(request), languages=payload.languages)}


@router.get("/wanted", response={200: list[WantedOut], **ERRORS}, auth=AUTH_REQUIRED, summary="Wanted translations")
def wanted(request: HttpRequest, language: str = "") -> Any:
    """Open requests, most-wanted first: of one language, `all`, or by default the languages you declared."""
    codes, _chosen = selectors.desk_languages(actor(request), language)
    return [
        {
            "kind": item.kind,
            **{f"{kind.kind}_id": item.item.pk if item.kind == kind.kind else None for kind in kinds()},
            "title": item.item.title,
            "city": item.item.city.name,
            "original_language": item.item.language_id,
            "language": item.language,
            "readers": item.readers,
            "waiting_version_id": item.waiting.pk if item.waiting else None,
            "out_of_date": item.out_of_date,
        }
        for column in selectors.wanted(codes, actor(request))
        for item in column.items
    ]


@router.post("/requests", response={201: RequestOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Ask for a translation")
def ask(request: HttpRequest, payload: RequestIn) -> Any:
    item = _item(actor(request), payload.practice_id, payload.challenge_id, payload.contact_request_id)
    made = services.translation_request(actor=actor(request), item=item, language=payload.language)
    readers = TranslationRequest.objects.filter(
        **subject_of(item).key, language_id=made.language_id, fulfilled_at__isnull=True
    ).count()
    return Status(
        201,
        {
            **_ids(made),
            "language": made.language_id,
            "readers": readers,
        },
    )


@router.post("/translations", response={201: VersionOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Submit a translation")
def submit(request: HttpRequest, payload: TranslationIn) -> Any:
    """A new version of the translation into `language`; it waits for the approval of the item's city."""
    user = actor(request)
    item = _item(user, payload.practice_id, payload.challenge_id, payload.contact_request_id)
    city = None
    if payload.city_id is not None:
        city = City.objects.filter(pk=safe_id(payload.city_id)).first()
        if city is None:
            raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    data = payload.dict(exclude={"practice_id", "challenge_id", "contact_request_id", "language", "city_id"})
    version = services.translation_submit(actor=user, item=item, language=payload.language, data=data, city=city)
    return Status(201, version_out(version))


@router.get("/translations/{version_id}", response={200: VersionOut, **ERRORS}, auth=AUTH_REQUIRED)
def version_get(request: HttpRequest, version_id: int) -> Any:
    """A version, for its translator, the practice's city and the secretariat."""
    return version_out(get_for(actor(request), selectors.versions(), version_id))


@router.post("/translations/{version_id}/approve", response={200: VersionOut, **ERRORS}, auth=AUTH_REQUIRED)
def approve(request: HttpRequest, version_id: int) -> Any:
    """The practice's city (or the secretariat) approves: readers of that language see it from now on."""
    version = get_for(actor(request), selectors.versions(), version_id)
    services.translation_approve(actor=actor(request), version=version)
    return version_out(get_for(actor(request), selectors.versions(), version_id))


@router.post("/translations/{version_id}/return", response={200: VersionOut, **ERRORS}, auth=AUTH_REQUIRED)
def send_back(request: HttpRequest, version_id: int, payload: ReturnIn) -> Any:
    """Send a waiting version back to its translator with a note."""
    version = get_for(actor(request), selectors.versions(), version_id)
    services.translation_return(actor=actor(request), version=version, note=payload.note)
    return version_out(get_for(actor(request), selectors.versions(), version_id))
