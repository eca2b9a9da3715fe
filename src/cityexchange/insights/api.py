"""The figures, the network and the map's cities as JSON: one endpoint per figure (the same data the charts draw and
the CSV downloads hold). `scope=all` (the secretariat only) counts unpublished data too."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router

from cityexchange.core.api_support import AUTH_OPTIONAL, ErrorOut, Page, PageParams, paginate
from cityexchange.core.views import actor

from . import maps, selectors
from .schemas import FigureOut, FigureRefOut, MapCityOut, NetworkOut

router = Router(tags=["insights"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Scope = Literal["public", "all"]


def _figure(request: HttpRequest, slug: str, scope: str, year: int | None) -> Any:
    resolved = selectors.resolve_scope(actor(request), scope)
    return selectors.get_figure(actor(request), slug, resolved, year=selectors.parse_year(year)).as_dict()


@router.get("/figures", response={200: list[FigureRefOut], **ERRORS}, auth=AUTH_OPTIONAL, summary="Every figure")
def figures(request: HttpRequest, scope: Scope = "public") -> Any:
    found = selectors.all_figures(actor(request), selectors.resolve_scope(actor(request), scope))
    return [
        {
            "slug": f.slug,
            "title": f.title,
            "kind": f.kind,
            "url": f"/api/v1/insights/figures/{f.slug}",
            "csv": reverse("insights:figure_csv", args=[f.slug]),
        }
        for f in found.values()
    ]


def _register(slug: str, summary: str) -> None:
    def endpoint(request: HttpRequest, scope: Scope = "public", year: int | None = None) -> Any:
        return _figure(request, slug, scope, year)

    endpoint.__name__ = "figure_" + slug.replace("-", "_")
    router.get(
        f"/figures/{slug}",
        response={200: FigureOut, **ERRORS},
        auth=AUTH_OPTIONAL,
        summary=summary,
        operation_id=f"insights_figure_{slug.replace('-', '_')}",
    )(endpoint)


# One endpoint per figure, so each is documented (and tested) on its own.
for _slug, _summary in [
    ("members-over-time", "Member cities and countries over time"),
    ("population", "Population governed and its share of the world's"),
    ("practices-by-sector", "Practices by sector"),
    ("practices-by-country", "Practices by country"),
    ("practices-by-maturity", "Practices by maturity"),
    ("practices-by-language", "Languages practices are written in"),
    ("challenges-by-status", "Challenges open and solved"),
    ("cooperation-funnel", "Cooperations per stage (funnel)"),
    ("agreements-signed", "Agreements signed per year"),
]:
    _register(_slug, _summary)


@router.get("/network", response={200: NetworkOut, **ERRORS}, auth=AUTH_OPTIONAL, summary="The cooperation network")
def network(request: HttpRequest, scope: Scope = "public") -> Any:
    net = selectors.cooperation_network(actor(request), selectors.resolve_scope(actor(request), scope))
    return {
        "available": net.available,
        "cities": net.graph.number_of_nodes(),
        "links": net.edge_count,
        "density": net.density,
        "components": net.components,
        "most_connected": net.most_connected,
        "isolated": net.isolated,
        "country_gaps": [list(p) for p in net.country_gaps],
        "suggestions": [
            {**s.__dict__, "sectors": list(s.sectors), "practice_ids": list(s.practice_ids)} for s in net.suggestions
        ],
        "suggestion_method": net.method,
    }


@router.get("/map/cities", response={200: Page[MapCityOut], **ERRORS}, auth=AUTH_OPTIONAL, summary="The map's cities")
def map_cities(request: HttpRequest, scope: Scope = "public", page: Query[PageParams] = None) -> Any:  # type: ignore[assignment]
    """Cities with a membership (any status), largest first, with their published practices and map position
    (x, y in the map's SVG units, Natural Earth projection)."""
    cities = maps.map_cities(actor(request), selectors.resolve_scope(actor(request), scope))
    return paginate([c.__dict__ for c in cities], page)
