from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cityexchange.core.api_support import AUTH_OPTIONAL, AUTH_REQUIRED, ErrorOut, Page, PageParams, paginate
from cityexchange.core.errors import InvalidInput
from cityexchange.core.filtering import query_schema
from cityexchange.core.ids import safe_id
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor

from . import selectors, services
from .filters import DirectoryFilters
from .models import BlocStatus, City, Country, Membership, Sector
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    BlocStatusOut,
    CityDetailOut,
    CityOut,
    CityProfileIn,
    CountryOut,
    FiguresOut,
    MembershipChangeIn,
    MembershipOut,
    RejectIn,
    SectorOut,
)

router = Router(tags=["registry"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/figures", response=FiguresOut, auth=AUTH_OPTIONAL, summary="The association in figures")
def figures(request: HttpRequest) -> Any:
    f = selectors.association_figures()
    return {**f.__dict__, "world_share_percent": f.world_share_percent}


@router.get("/bloc-statuses", response=list[BlocStatusOut], auth=AUTH_OPTIONAL)
def bloc_statuses(request: HttpRequest) -> Any:
    return BlocStatus.objects.all()


@router.get("/sectors", response=list[SectorOut], auth=AUTH_OPTIONAL)
def sectors(request: HttpRequest) -> Any:
    return Sector.objects.all()


@router.get("/countries", response={200: Page[CountryOut], **ERRORS}, auth=AUTH_OPTIONAL)
def countries(request: HttpRequest, bloc_status: str = "", page: Query[PageParams] = None) -> Any:  # type: ignore[assignment]
    qs = Country.objects.select_related("bloc_status").order_by("name")
    if bloc_status:
        if not BlocStatus.objects.filter(code=bloc_status).exists():
            raise InvalidInput(_("Unknown bloc status: %(v)s.") % {"v": bloc_status}, field="bloc_status")
        qs = qs.filter(bloc_status__code=bloc_status)
    return paginate(qs, page)


CitiesQuery = query_schema(DirectoryFilters, "CitiesQuery", membership="all")


@router.get("/cities", response={200: Page[CityOut], **ERRORS}, auth=AUTH_OPTIONAL)
def cities(
    request: HttpRequest,
    params: Query[CitiesQuery],  # type: ignore[valid-type]
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    """Cities of the registry. `q` searches names in any script ('Казань', '喀山', 'Kazan')."""
    filters = DirectoryFilters(params).check()
    if filters.q and not filters.is_set("country", "bloc_status", "population") and filters.membership == "all":
        # Name search ranks exact names first, then by population.
        ids = selectors.search_city_ids(filters.q, limit=page.page * page.page_size)
        return paginate(selectors.cities_by_ids_in_order(ids), page) | {"count": len(ids)}
    return paginate(selectors.directory(filters), page)


@router.get("/cities/{city_id}", response={200: CityDetailOut, **ERRORS}, auth=AUTH_OPTIONAL)
def city(request: HttpRequest, city_id: int) -> Any:
    return get_for(actor(request), selectors.cities(), city_id)


@router.patch("/cities/{city_id}", response={200: CityDetailOut, **ERRORS}, auth=AUTH_REQUIRED)
def city_update(request: HttpRequest, city_id: int, payload: CityProfileIn) -> Any:
    city = get_for(actor(request), selectors.cities(), city_id)
    return services.city_update_profile(actor=actor(request), city=city, **payload.dict())


@router.get("/memberships", response={200: Page[MembershipOut], **ERRORS}, auth=AUTH_OPTIONAL)
def memberships(
    request: HttpRequest,
    status: Literal["active", "suspended", "ended", ""] = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    qs = selectors.memberships_public()
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, page)


def _membership(city_id: int) -> Membership:
    """The city's membership (public; the services check who may change it)."""
    return get_for(None, Membership.objects.select_related("city"), city_id=safe_id(city_id))


@router.post("/memberships/{city_id}/suspend", response={200: MembershipOut, **ERRORS}, auth=AUTH_REQUIRED)
def membership_suspend(request: HttpRequest, city_id: int, payload: MembershipChangeIn) -> Any:
    return services.membership_suspend(actor=actor(request), membership=_membership(city_id), reason=payload.reason)


@router.post("/memberships/{city_id}/reinstate", response={200: MembershipOut, **ERRORS}, auth=AUTH_REQUIRED)
def membership_reinstate(request: HttpRequest, city_id: int) -> Any:
    return services.membership_reinstate(actor=actor(request), membership=_membership(city_id))


@router.post("/memberships/{city_id}/end", response={200: MembershipOut, **ERRORS}, auth=AUTH_REQUIRED)
def membership_end(request: HttpRequest, city_id: int, payload: MembershipChangeIn) -> Any:
    return services.membership_end(actor=actor(request), membership=_membership(city_id), reason=payload.reason)


@router.get("/applications", response={200: Page[ApplicationOut], **ERRORS}, auth=AUTH_REQUIRED)
def applications(
    request: HttpRequest,
    status: Literal["submitted", "approved", "rejected", ""] = "",
    page: Query[PageParams] = None,  # type: ignore[assignment]
) -> Any:
    qs = selectors.applications_visible_to(actor(request)).prefetch_related("priority_sectors")
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, page)


@router.post("/applications", response={201: ApplicationOut, **ERRORS}, auth=AUTH_REQUIRED)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    city = City.objects.filter(pk=payload.city_id).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    sectors = list(Sector.objects.filter(code__in=payload.priority_sectors))
    unknown = set(payload.priority_sectors) - {s.code for s in sectors}
    if unknown:
        raise InvalidInput(_("Unknown sector: %(v)s.") % {"v": ", ".join(sorted(unknown))}, field="priority_sectors")
    app = services.application_submit(
        actor=actor(request),
        city=city,
        letter=payload.letter,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
        contact_phone=payload.contact_phone,
        priority_sectors=sectors,
    )
    return Status(201, app)


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS}, auth=AUTH_REQUIRED)
def application(request: HttpRequest, application_id: int) -> Any:
    return get_for(actor(request), selectors.applications(), application_id)


@router.post("/applications/{application_id}/approve", response={200: ApplicationOut, **ERRORS}, auth=AUTH_REQUIRED)
def application_approve(request: HttpRequest, application_id: int) -> Any:
    app = get_for(actor(request), selectors.applications(), application_id)
    services.application_approve(actor=actor(request), application=app)
    return get_for(actor(request), selectors.applications(), application_id)


@router.post("/applications/{application_id}/reject", response={200: ApplicationOut, **ERRORS}, auth=AUTH_REQUIRED)
def application_reject(request: HttpRequest, application_id: int, payload: RejectIn) -> Any:
    app = get_for(actor(request), selectors.applications(), application_id)
    return services.application_reject(actor=actor(request), application=app, reason=payload.reason)
