"""The annual report: the figures, the map and the network in one document, as HTML or PDF (WeasyPrint).

The report is a public document: it is built from public data only, whoever asks for it. WeasyPrint embeds (a
subset of) every font it draws with, so the PDF renders the same anywhere; a script whose font is missing is named
in a warning at the top of the report rather than printed as boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput
from cityexchange.registry.models import City, Sector
from cityexchange.registry.selectors import current_association

from . import charts, fonts, maps, selectors

FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Report:
    year: int
    format: str
    content: bytes

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.format == "pdf" else "text/html; charset=utf-8"

    @property
    def filename(self) -> str:
        return f"cityexchange-report-{self.year}.{self.format}"


def report_context(year: int) -> dict[str, Any]:
    rtl = translation.get_language_bidi()
    figures = selectors.all_figures(None, selectors.PUBLIC, year=year)
    network = selectors.cooperation_network(None, selectors.PUBLIC)
    cities = maps.map_cities(None)
    edges = [
        (a, b, "agreement" if "agreement" in d["kinds"] else "cooperation")
        for a, b, d in network.graph.edges(data=True)
    ]
    isolated = City.objects.filter(pk__in=network.isolated[:30]).select_related("country")
    return {
        "year": year,
        "generated": timezone.now(),
        "association": current_association(),
        "figures": [(fig, charts.render(fig, rtl=rtl)) for fig in figures.values()],
        "population": figures["population"],
        # One map for members, practices and the network: WeasyPrint draws SVG paths slowly, so it draws one.
        "map_svg": maps.render_map(
            None, title=_("Member cities and their cooperations"), edges=edges, interactive=False
        ),
        "legend": maps.legend(),
        "countries": maps.country_table(cities),
        "network": network,
        "network_cities": selectors.network_cities(network),
        "isolated": isolated,
        "country_names": maps.country_names(),
        "missing_fonts": fonts.missing_fonts(),
        "scripts": fonts.font_checks(),
        "font_families": fonts.FONT_FAMILIES,
        "sector_names": {s.code: s.label for s in Sector.objects.all()},
        "links": False,
    }


def build_html(year: int) -> str:
    return render_to_string("insights/report.html", report_context(year))


def build_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Static files are read from disk (no server round trip); the report itself links nothing else.
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def build_report(year: Any, fmt: str = "pdf") -> Report:
    """The report for `year` in the active language. Raises InvalidInput naming a bad year or format."""
    parsed = selectors.parse_year(year)
    if parsed is None:
        raise InvalidInput(_("Give the year of the report."), field="year")
    if fmt not in FORMATS:
        raise InvalidInput(_("Unknown format: %(v)s; use pdf or html.") % {"v": str(fmt)[:10]}, field="format")
    html = build_html(parsed)
    content = build_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    return Report(parsed, fmt, content)


def default_year() -> int:
    """This year: the report of the year so far (a past year's report is asked for by its number)."""
    return timezone.localdate().year
