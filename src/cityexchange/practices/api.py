"""Practices over HTTP: the same selectors and services, so the same rules as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from cityexchange.core import hooks
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
from cityexchange.core.filtering import query_schema
from cityexchange.core.ids import safe_id
from cityexchange.core.openapi import file_download
from cityexchange.core.ratelimit import api_rate_limit, enforce
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.registry.models import City, Language, Sector

from . import selectors, services
from .document import json_schema, practice_document
from .filters import FACETS, PracticeFilters
from .importer import export_practices
from .models import Practice
from .permissions import can_edit, can_moderate, can_see_contacts
from .schemas import (
    DashboardOut,
    FacetsOut,
    PracticeBrief,
    PracticeCreateIn,
    PracticeIn,
    PracticeOut,
    ReturnIn,
    TranslationIn,
    TranslationOut,
    VersionOut,
)

router = Router(tags=["practices"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def brief(p: Practice) -> dict[str, Any]:
    return {
        "id": p.pk,
        "external_id": p.external_id,
        "title": p.title,
        "summary": p.summary,
        "language": p.language_id,
        "city_id": p.city_id,
        "city": p.city.name,
        "country": p.city.country_id,
        "status": p.status,
        "maturity": p.maturity,
        "sectors": sorted(s.code for s in p.sectors.all()),
        "sdgs": sorted(g.goal for g in p.goals.all()),
        "published_at": p.published_at,
        "updated_at": p.updated_at,
    }


def full(p: Practice, request: HttpRequest) -> dict[str, Any]:
    p = selectors.with_details(Practice.objects.filter(pk=p.pk)).select_related("city")[0]
    doc = practice_document(p)
    return {
        **brief(p),
        **{k: doc[k] for k in ("problem", "solution", "results_text", "indicators", "cost_band", "currency")},
        **{k: doc[k] for k in ("cost_amount", "period_start", "period_end", "transfer_conditions", "partners")},
        "links": doc["links"],
        "contact": doc["contact"] if can_see_contacts(actor(request)) else None,
        "translations": [
            {"language": code, "title": t["title"], "summary": t["summary"]} for code, t in doc["translations"].items()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "kind": a.kind,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("practices:attachment", kwargs={"practice_id": p.pk, "attachment_id": a.pk}),
            }
            for a in p.attachments.all()
        ],
        "review_comment": p.review_comment,
        "submitted_at": p.submitted_at,
        "created_at": p.created_at,
    }


PracticeQuery = query_schema(PracticeFilters, "PracticeQuery")
FacetsQuery = query_schema(PracticeFilters, "PracticeFacetsQuery", only=(*FACETS, "q"))
ExportQuery = query_schema(
    PracticeFilters, "PracticeExportQuery", only=("sector", "country", "maturity", "language", "sdg")
)


@router.get("", response={200: Page[PracticeBrief], **ERRORS}, auth=AUTH_OPTIONAL, summary="List practices")
def practice_list(
    request: HttpRequest,
    params: Query[PracticeQuery],  # type: ignore[valid-type]
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    """Practices you may see: published ones, and all of your own city's. Filters are facets of the list page.
    With `q`, the one search of the library's box and of `/matching/search` (any language, by meaning and words):
    published practices ranked best first (strong matches, then possible ones; at most 100), `sort` ignored."""
    filters = PracticeFilters(params)
    if filters.data["q"].strip():
        result = paginate(_searched(request, filters), page)
    else:
        result = paginate(selectors.practice_list(actor(request), filters).prefetch_related("sectors", "goals"), page)
    result["results"] = [brief(p) for p in result["results"]]
    return result


SEARCH_LIMIT = 100


def _searched(request: HttpRequest, filters: PracticeFilters) -> list[Practice]:
    """The practices `matching.search.find` ranks for the query and filters (the same engine and filter set as the
    library's box and the search page)."""
    engine = hooks.required("practices.search")()  # the matching engine (matching.library)
    shared = engine.filters(filters.data)
    enforce(request, "search")
    return [r.practice for r in engine.find(actor(request), shared, k=SEARCH_LIMIT)]


@router.get("/facets", response={200: FacetsOut, **ERRORS}, auth=AUTH_OPTIONAL, summary="Facet counts")
def facets(request: HttpRequest, params: Query[FacetsQuery]) -> Any:  # type: ignore[valid-type]
    """Counts per facet value: over the filtered library, or with `q` over what the search finds."""
    filters = PracticeFilters(params)
    if filters.data["q"].strip():
        ids = [p.pk for p in _searched(request, filters)]
        return selectors.practice_facets(Practice.objects.restrict(actor(request)).filter(pk__in=ids))
    return selectors.practice_facets(selectors.practice_list(actor(request), filters))


@router.get(
    "/export",
    auth=AUTH_OPTIONAL,
    response={200: Any, **ERRORS, **RATE_LIMITED},
    summary="Export published practices",
    openapi_extra=file_download("text/csv"),
)
@api_rate_limit("export")
def export(
    request: HttpRequest,
    params: Query[ExportQuery],  # type: ignore[valid-type]
    format: Literal["json", "csv"] = "json",
) -> HttpResponse:
    """Published practices in the import format (CSV or JSON); importing the file reproduces them."""
    filters = PracticeFilters(params, status=Practice.Status.PUBLISHED)
    user = actor(request)
    body = export_practices(selectors.practice_list(user, filters), format, with_contacts=can_see_contacts(user))
    content_type = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="practices.{format}"'
    return response


@router.get("/schema", auth=AUTH_OPTIONAL, response=dict[str, Any], summary="JSON Schema of the import format")
def schema(request: HttpRequest) -> Any:
    return json_schema(Sector.objects.values_list("code", flat=True), Language.objects.values_list("code", flat=True))


@router.get("/review-queue", response={200: list[PracticeBrief], **ERRORS}, auth=AUTH_REQUIRED)
def review_queue(request: HttpRequest) -> Any:
    """Submitted practices waiting for the secretariat, oldest first (secretariat only)."""
    return [brief(p) for p in selectors.moderation_queue(actor(request)).prefetch_related("sectors", "goals")]


@router.get("/my-city", response={200: DashboardOut, **ERRORS}, auth=AUTH_REQUIRED)
def my_city(request: HttpRequest, city_id: int | None = None) -> Any:
    """The dashboard of a city you work for: its practices in every status, with counts, and its challenges."""
    user = actor(request)
    cities = list(selectors.officer_cities(user))
    city = next((c for c in cities if city_id is None or c.pk == city_id), None)
    if city is None:
        raise NotFound(_("You do not work for this city."))
    grouped = selectors.city_practices(user, city)
    practices = [p for items in grouped.values() for p in items]
    return {
        "city_id": city.pk,
        "city": city.name,
        "counts": {status: len(items) for status, items in grouped.items()},
        "practices": [brief(p) for p in practices],
        "challenges": [
            {"id": c.pk, "title": c.title, "status": c.status, "is_public": c.is_public}
            for c in selectors.city_challenges(user, city)
        ],
    }


@router.post("", response={201: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Create a draft")
def create(request: HttpRequest, payload: PracticeCreateIn) -> Any:
    city = City.objects.filter(pk=safe_id(payload.city_id)).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    data = payload.dict(exclude={"city_id"})
    practice = services.practice_create(actor=actor(request), city=city, data=data)
    return Status(201, full(practice, request))


@router.get("/{practice_id}", response={200: PracticeOut, **ERRORS}, auth=AUTH_OPTIONAL)
def detail(request: HttpRequest, practice_id: int) -> Any:
    return full(get_for(actor(request), Practice, practice_id), request)


@router.put("/{practice_id}", response={200: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED, summary="Replace content")
def update(request: HttpRequest, practice_id: int, payload: PracticeIn) -> Any:
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    return full(services.practice_update(actor=actor(request), practice=practice, data=payload.dict()), request)


@router.post("/{practice_id}/submit", response={200: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED)
def submit(request: HttpRequest, practice_id: int) -> Any:
    practice = get_for(actor(request), Practice, practice_id)
    return full(services.practice_submit(actor=actor(request), practice=practice), request)


@router.post("/{practice_id}/publish", response={200: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED)
def publish(request: HttpRequest, practice_id: int) -> Any:
    practice = get_for(actor(request), Practice, practice_id)
    return full(services.practice_publish(actor=actor(request), practice=practice), request)


@router.post("/{practice_id}/return", response={200: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED)
def return_to_city(request: HttpRequest, practice_id: int, payload: ReturnIn) -> Any:
    practice = get_for(actor(request), Practice, practice_id)
    return full(services.practice_return(actor=actor(request), practice=practice, comment=payload.comment), request)


@router.post("/{practice_id}/archive", response={200: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED)
def archive(request: HttpRequest, practice_id: int) -> Any:
    practice = get_for(actor(request), Practice, practice_id)
    return full(services.practice_archive(actor=actor(request), practice=practice), request)


@router.get("/{practice_id}/versions", response={200: list[VersionOut], **ERRORS}, auth=AUTH_REQUIRED)
def versions(request: HttpRequest, practice_id: int) -> Any:
    """Every change: who, when, which fields changed from what to what (the city's officers and the secretariat)."""
    practice = get_for(actor(request), Practice, practice_id)
    if not (can_edit(actor(request), practice) or can_moderate(actor(request))):
        raise PermissionDenied(_("Only the city's officers and the secretariat see a practice's history."))
    return [
        {
            "number": v.number,
            "at": v.at,
            "actor": str(v.actor) if v.actor else None,
            "action": v.action,
            "changes": v.changes,
        }
        for v in practice.versions.select_related("actor").order_by("-number")
    ]


@router.put("/{practice_id}/translations/{language}", response={200: TranslationOut, **ERRORS}, auth=AUTH_REQUIRED)
def translation_set(request: HttpRequest, practice_id: int, language: str, payload: TranslationIn) -> Any:
    """Add or replace a human translation of the title and summary (kept apart from the original)."""
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    t = services.practice_set_translation(
        actor=actor(request), practice=practice, language=language, title=payload.title, summary=payload.summary
    )
    return {"language": t.language_id, "title": t.title, "summary": t.summary}


@router.delete("/{practice_id}/translations/{language}", response={204: None, **ERRORS}, auth=AUTH_REQUIRED)
def translation_delete(request: HttpRequest, practice_id: int, language: str) -> Any:
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    services.practice_delete_translation(actor=actor(request), practice=practice, language=language)
    return Status(204, None)


@router.post("/{practice_id}/attachments", response={201: PracticeOut, **ERRORS}, auth=AUTH_REQUIRED)
def attachment_add(request: HttpRequest, practice_id: int, file: File[UploadedFile]) -> Any:
    """Attach a PDF or an image (PNG, JPEG, GIF, WebP; 10 MB at most), checked by its content."""
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    services.practice_add_attachment(actor=actor(request), practice=practice, upload=file)
    return Status(201, full(practice, request))


@router.delete("/{practice_id}/attachments/{attachment_id}", response={204: None, **ERRORS}, auth=AUTH_REQUIRED)
def attachment_delete(request: HttpRequest, practice_id: int, attachment_id: int) -> Any:
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    attachment = practice.attachments.filter(pk=safe_id(attachment_id)).first()
    if attachment is None:
        raise NotFound(_("There is no such attachment."))
    services.practice_delete_attachment(actor=actor(request), attachment=attachment)
    return Status(204, None)
