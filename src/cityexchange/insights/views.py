"""Public pages (dashboard, map, network), CSV and SVG downloads per chart, and the secretariat's annual report."""

from __future__ import annotations

import io

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.csv_export import SafeWriter
from cityexchange.core.errors import DomainError, InvalidInput, PermissionDenied
from cityexchange.core.ratelimit import rate_limit
from cityexchange.core.views import actor
from cityexchange.registry.models import City, Country, Sector

from . import charts, maps, report, selectors, tasks
from .selectors import Figure

MAP_TABLE_ROWS = 100


def _scope(request: HttpRequest) -> str:
    return selectors.resolve_scope(actor(request), request.GET.get("scope") or selectors.PUBLIC)


def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = selectors.all_figures(actor(request), scope)
    context = {
        "scope": scope,
        "figures": [f for f in figures.values() if f.kind != "number"],
        "population": figures["population"],
        "is_secretariat": is_secretariat(actor(request)),
        "report_year": report.default_year(),
        "report_years": range(report.default_year(), report.default_year() - 6, -1),
    }
    return render(request, "insights/dashboard.html", context)


def _layers(request: HttpRequest) -> tuple[str, ...]:
    asked = [layer for layer in request.GET.getlist("layer") if layer in maps.LAYERS]
    return tuple(asked) if "layers" in request.GET or asked else maps.LAYERS


def _country(request: HttpRequest) -> str:
    code = (request.GET.get("country") or "").strip().upper()
    # Checked as two ASCII letters before the query: PostgreSQL refuses a NUL byte with an error, not a miss.
    if code and not (
        len(code) == 2 and code.isascii() and code.isalpha() and Country.objects.filter(iso2=code).exists()
    ):
        code = "".join(ch for ch in code[:10] if ch.isprintable())
        raise InvalidInput(_("Unknown country code: %(v)s.") % {"v": code}, field="country")
    return code


def map_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    error = None
    try:
        country = _country(request)
    except DomainError as exc:
        error, country = exc, ""
    layers = _layers(request)
    cities = maps.map_cities(actor(request), scope)
    edges: list[tuple[int, int, str]] = []
    available = None
    if "cooperations" in layers:
        edges, available = selectors.network_edges(actor(request), scope)
    shown = [c for c in cities if c.country == country] if country else cities
    page = Paginator(shown, MAP_TABLE_ROWS).get_page(request.GET.get("page"))
    countries = maps.country_table(cities, scope)
    context = {
        "svg": maps.render_map(
            actor(request), scope, country=country, layers=layers, edges=edges, describedby="map-table-caption"
        ),
        "scope": scope,
        "country": country,
        "country_label": maps.country_names().get(country, country),
        "layers": layers,
        "all_layers": [
            ("cities", _("Member cities")),
            ("practices", _("Practices")),
            ("cooperations", _("Cooperations")),
        ],
        "legend": maps.legend(),
        "countries": countries,
        "page": page,
        "total": len(shown),
        "error": error,
        "status_labels": dict(maps.Membership.Status.choices),
        "country_names": maps.country_names(),
        "cooperation_available": available,
        "linked_points": maps.points_are_links(shown),
    }
    return render(request, "insights/map.html", context, status=422 if error else 200)


def network_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    network = selectors.cooperation_network(actor(request), scope)
    if not network.extra.get("current") and not tasks.runs_inline():
        # The stored suggestions are missing or older than the data: a worker computes new ones. (With the
        # immediate backend enqueueing would run the engine here, in the request: the change signals do it.)
        tasks.schedule_refresh()
    edges = [
        (a, b, "agreement" if "agreement" in d["kinds"] else "cooperation")
        for a, b, d in network.graph.edges(data=True)
    ]
    context = {
        "scope": scope,
        "network": network,
        "svg": maps.render_map(
            actor(request), scope, layers=("cities", "cooperations"), edges=edges, title=_("The cooperation network")
        ),
        "network_cities": selectors.network_cities(network),
        "isolated": City.objects.filter(pk__in=network.isolated[:60]).order_by("-population", "pk"),
        "country_names": maps.country_names(),
        "sector_names": {s.code: s.label for s in Sector.objects.all()},
        "links": True,
        "is_secretariat": is_secretariat(actor(request)),
    }
    return render(request, "insights/network.html", context)


def _figure(request: HttpRequest, slug: str) -> Figure:
    year = selectors.parse_year(request.GET.get("year"))
    return selectors.get_figure(actor(request), slug, _scope(request), year=year)


@rate_limit("export")
def figure_csv(request: HttpRequest, slug: str) -> HttpResponse:
    fig = _figure(request, slug)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["key", *fig.columns])
    for row in fig.rows:
        writer.writerow([row.key, row.label, *row.values])
    # A BOM so spreadsheet programs read the UTF-8 names (Казань, 上海, اصفهان) correctly.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


@rate_limit("export")
def figure_svg(request: HttpRequest, slug: str) -> HttpResponse:
    fig = _figure(request, slug)
    svg = charts.render(fig)
    response = HttpResponse('<?xml version="1.0" encoding="utf-8"?>\n' + svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{slug}.svg"'
    return response


@login_required
@rate_limit("report")
@csp_update({"style-src": ["'unsafe-inline'"]})  # the report carries its print styles inside (WeasyPrint reads them)
def report_download(request: HttpRequest) -> HttpResponse:
    if not is_secretariat(actor(request)):
        raise PermissionDenied(_("Only the secretariat builds the annual report."))
    built = report.build_report(request.GET.get("year") or report.default_year(), request.GET.get("format") or "pdf")
    response = HttpResponse(built.content, content_type=built.content_type)
    disposition = "attachment" if built.format == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{built.filename}"'
    return response
