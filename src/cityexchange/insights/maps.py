"""The members map as server-drawn SVG: countries shaded by bloc status, member cities as points sized by
population and coloured by membership status, and layers for practices and cooperations.

Zooming to a country is a change of the SVG's viewBox (a link per country, no JavaScript). Points keep their size
on screen at every zoom level because their radius is divided by the zoom factor.

Up to `MAX_LINKED_POINTS` cities are drawn one by one: a `<circle>` with a `<title>` inside a link to the city's
page (left out of the tab order: the table beside the map carries the same links for keyboard and screen-reader
users). Beyond that (10,000 members at world zoom) one element per city costs megabytes and seconds, so the points
are drawn as one `<path>` per colour and size class (and the practice rings likewise), without per-point links or
tooltips: the city table (paginated) opens a city, and zooming to a country — which draws that country's cities
one by one again when there are at most `MAX_LINKED_POINTS` of them — makes the points clickable.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cityexchange.core import locale_format
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.city_names import pick_name
from cityexchange.registry.models import BlocStatus, City, Country, Membership

from . import atlas, selectors
from .charts import FONT_STACK

LAYERS = ("cities", "practices", "cooperations")
STATUS_COLOURS: dict[str, str] = {
    Membership.Status.ACTIVE.value: "#1e7b45",
    Membership.Status.SUSPENDED.value: "#d9822b",
    Membership.Status.ENDED.value: "#7f8c8d",
}
PRACTICE_COLOUR = "#8e44ad"
EDGE_COLOURS = {"agreement": "#c0392b", "cooperation": "#d9822b"}
SEA, NO_DATA = "#eaf3f7", "#f4f4f4"


def published_practices(n: int) -> str:
    """ "1 published practice", "5 published practices": the plural the reader's language uses for n."""
    return ngettext("%(n)s published practice", "%(n)s published practices", n) % {"n": locale_format.number(n)}


@dataclass(frozen=True)
class MapCity:
    id: int
    name: str
    country: str
    population: int
    status: str
    x: float
    y: float
    practices: int
    # The city's names by language, as pairs (the cached value stays hashable and old cache entries still load).
    local_names: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The name in the reader's language where the city has one."""
        return pick_name(self.name, dict(self.local_names), get_language() or "en")[0]


def map_cities(user: Any, scope: str = selectors.PUBLIC) -> list[MapCity]:
    """Cities with a membership of any status, projected, with their practice counts (visible to `scope`)."""
    viewer = selectors._viewer(user, scope)

    def compute() -> list[MapCity]:
        published = practices_visible_to(viewer).filter(status=Practice.Status.PUBLISHED).order_by()
        counts = dict(published.values_list("city_id").annotate(n=Count("pk")))
        rows = (
            City.objects.filter(membership__isnull=False)
            .order_by("-population", "pk")
            .values_list(
                "pk", "name", "country_id", "population", "membership__status", "latitude", "longitude", "local_names"
            )
        )
        out = []
        for pk, name, country, population, status, lat, lon, names in rows:
            x, y = atlas.project(lon, lat)
            local = tuple(sorted((names or {}).items()))
            out.append(MapCity(pk, name, country, population or 0, status, x, y, counts.get(pk, 0), local))
        return out

    return list(selectors.cached(f"map-cities:{scope}", compute))


def country_fills() -> dict[str, tuple[str, str]]:
    """ISO code → (colour, bloc status label) for every country."""

    def compute() -> dict[str, tuple[str, str]]:
        statuses = {b.pk: (b.colour, b.label) for b in BlocStatus.objects.all()}
        return {iso2: statuses[status] for iso2, status in Country.objects.values_list("iso2", "bloc_status_id")}

    return dict(selectors.cached("country-fills", compute))


def country_names() -> dict[str, str]:
    return dict(
        selectors.cached(
            "country-names",
            lambda: {
                iso2: Country(iso2=iso2, name=name).label for iso2, name in Country.objects.values_list("iso2", "name")
            },
        )
    )


MAX_LINKED_POINTS = 1000  # above this many cities in view, points are drawn as paths per class, without links
RADIUS_STEP = 1.12  # size classes of the drawn paths: each radius is rounded to a power of this


def points_are_links(cities: list[MapCity]) -> bool:
    """Whether the map draws these cities (the ones of the current view) as links, one element each."""
    return len(cities) <= MAX_LINKED_POINTS


def _circle(x: float, y: float, r: float) -> str:
    """One circle as path data (two arcs), for a path holding many."""
    return f"M{x - r:.1f} {y:.1f}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0"


def _classed(r: float) -> float:
    """The radius rounded to a size class: steps of `RADIUS_STEP` (12 %), too small to see at a glance."""
    if r <= 0:
        return 0.0
    return round(math.exp(round(math.log(r) / math.log(RADIUS_STEP)) * math.log(RADIUS_STEP)), 3)


def radius(population: int, zoom: float = 1.0) -> float:
    """Area grows with population (a square-root scale), from 1.2 units for a small town to 9 for 20 million."""
    return round((1.2 + 7.8 * math.sqrt(min(population, 25_000_000) / 25_000_000)) / zoom, 2)


def city_url_template() -> tuple[str, str]:
    """The city page's URL around its id, reversed once (not 10,000 times)."""
    url = reverse("registry:city", args=[987654321])
    head, tail = url.split("987654321")
    return head, tail


def _countries_svg() -> str:
    fills = country_fills()
    names = country_names()

    def compute() -> str:
        parts = ['<g class="countries" stroke="#ffffff" stroke-width="0.4">']
        for shape in atlas.shapes():
            colour, status = fills.get(shape.iso2, (NO_DATA, ""))
            label = names.get(shape.iso2, shape.name)
            title = f"{label} · {status}" if status else label
            parts.append(
                f'<path d="{shape.path}" fill="{colour}" data-iso2="{shape.iso2}" vector-effect="non-scaling-stroke">'
                f"<title>{escape(title)}</title></path>"
            )
        parts.append("</g>")
        return "".join(parts)

    return str(selectors.cached("countries-svg", compute))


def _zoom_box(country: str, cities: list[MapCity]) -> atlas.Box:
    box = atlas.country_box(country)
    if box is None:  # a country without a shape at this scale (a small island state): frame its cities
        points = [(c.x, c.y) for c in cities if c.country == country]
        if not points:
            return atlas.WORLD
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = atlas.Box(min(xs), min(ys), max(xs), max(ys))
    return box.padded()


def render_map(
    user: Any,
    scope: str = selectors.PUBLIC,
    *,
    country: str = "",
    layers: tuple[str, ...] = LAYERS,
    edges: list[tuple[int, int, str]] | None = None,
    title: str = "",
    describedby: str = "",
    interactive: bool = True,
) -> SafeString:
    """The whole map as one SVG element. `edges` (city a, city b, kind) draw the cooperation layer.

    The drawn SVG is cached too (by data version, language, scope, zoom and layers): at 10,000 cities drawing it
    is the bulk of the page's time."""
    details = f"{scope}:{country}:{','.join(layers)}:{len(edges or [])}:{title}:{describedby}:{interactive}"
    key = "map-svg:" + hashlib.sha1(details.encode(), usedforsecurity=False).hexdigest()[:16]  # a title has spaces
    return mark_safe(  # noqa: S308 - built by _draw_map, which escapes every name
        selectors.cached(
            key,
            lambda: str(
                _draw_map(
                    user,
                    scope,
                    country=country,
                    layers=layers,
                    edges=edges,
                    title=title,
                    describedby=describedby,
                    interactive=interactive,
                )
            ),
        )
    )


def _draw_map(
    user: Any,
    scope: str,
    *,
    country: str,
    layers: tuple[str, ...],
    edges: list[tuple[int, int, str]] | None,
    title: str,
    describedby: str,
    interactive: bool,
) -> SafeString:
    cities = map_cities(user, scope)
    box = _zoom_box(country, cities) if country else atlas.WORLD
    zoom = max(1.0, atlas.WIDTH / (box.x1 - box.x0))
    head, tail = city_url_template()
    title = title or _("Map of the member cities")
    title_id = "map-title-" + "-".join(layers)  # unique when a document holds several maps
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" viewBox="{box.viewbox()}" '
        f'preserveAspectRatio="xMidYMid meet" role="group" aria-labelledby="{title_id}"'
        f"{f' aria-describedby={chr(34)}{describedby}{chr(34)}' if describedby else ''} "
        f'font-family="{FONT_STACK}" data-zoom="{zoom:.2f}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<rect x="-1000" y="-1000" width="3000" height="3000" fill="{SEA}"/>',
        _countries_svg(),
    ]
    by_id = {c.id: c for c in cities}
    if "cooperations" in layers and edges:
        out.append(f'<g class="layer layer-cooperations" stroke-width="{1.2 / zoom:.3f}" fill="none" opacity="0.8">')
        for a, b, kind in edges:
            ca, cb = by_id.get(a), by_id.get(b)
            if ca is None or cb is None:
                continue
            out.append(
                f'<line x1="{ca.x:.1f}" y1="{ca.y:.1f}" x2="{cb.x:.1f}" y2="{cb.y:.1f}" '
                f'stroke="{EDGE_COLOURS.get(kind, "#555")}" data-kind="{kind}"><title>'
                f"{escape(ca.label)} – {escape(cb.label)}</title></line>"
            )
        out.append("</g>")
    if country:  # other countries' points are drawn only when they fall in the frame
        x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
        cities = [c for c in cities if c.country == country or (x0 <= c.x <= x1 and y0 <= c.y <= y1)]
    in_view = [c for c in cities if c.country == country] if country else cities
    linked = {c.id for c in in_view} if points_are_links(in_view) else set()
    if "practices" in layers:
        out.append(f'<g class="layer layer-practices" fill="none" stroke="{PRACTICE_COLOUR}">')
        rings: dict[float, list[str]] = {}
        for c in cities:
            if c.practices:
                r = radius(c.population, zoom) + (1.5 + 1.2 * math.log2(1 + c.practices)) / zoom
                if c.id in linked:
                    out.append(
                        f'<circle cx="{c.x:.1f}" cy="{c.y:.1f}" r="{r:.2f}" stroke-width="{0.9 / zoom:.3f}">'
                        f"<title>{escape(c.label)}: {escape(published_practices(c.practices))}</title></circle>"
                    )
                else:
                    rings.setdefault(_classed(r), []).append(_circle(c.x, c.y, _classed(r)))
        for r, parts in sorted(rings.items()):
            out.append(f'<path class="rings" data-r="{r}" stroke-width="{0.9 / zoom:.3f}" d="{"".join(parts)}"/>')
        out.append("</g>")
    if "cities" in layers:
        labels = dict(Membership.Status.choices)
        names = country_names()
        out.append(f'<g class="layer layer-cities" stroke="#ffffff" stroke-width="{0.4 / zoom:.3f}">')
        # Grouped points first (larger classes first), linked points on top so they stay clickable.
        dots: dict[tuple[str, float], list[str]] = {}
        for c in cities:
            if c.id not in linked:
                r = _classed(radius(c.population, zoom))
                dots.setdefault((c.status, r), []).append(_circle(c.x, c.y, r))
        for (status, r), parts in sorted(dots.items(), key=lambda item: (-item[0][1], item[0][0])):
            out.append(
                f'<path class="points" data-status="{status}" data-r="{r}" data-count="{len(parts)}" '
                f'fill="{STATUS_COLOURS.get(status, "#555")}" d="{"".join(parts)}"/>'
            )
        for c in cities:
            if c.id not in linked:
                continue
            point = (
                f'<circle cx="{c.x:.1f}" cy="{c.y:.1f}" r="{radius(c.population, zoom)}" '
                f'fill="{STATUS_COLOURS.get(c.status, "#555")}" data-city-id="{c.id}" data-status="{c.status}">'
                f"<title>{escape(c.label)} · {escape(names.get(c.country, c.country))} · "
                f"{locale_format.number(c.population)} · "
                f"{escape(str(labels.get(c.status, c.status)))}</title></circle>"
            )
            if interactive:
                point = f'<a href="{head}{c.id}{tail}" tabindex="-1" class="city">{point}</a>'
            out.append(point)
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - names are escaped; the rest are numbers and our own codes


def legend() -> dict[str, list[tuple[str, str]]]:
    """Colours and labels for the legend under the map."""
    labels = dict(Membership.Status.choices)
    return {
        "bloc": [(b.colour, b.label) for b in BlocStatus.objects.all()],
        "membership": [(colour, str(labels[status])) for status, colour in STATUS_COLOURS.items()],
    }


@dataclass(frozen=True)
class CountryRow:
    iso2: str
    name: str
    bloc: str
    members: int
    population: int


def country_table(cities: list[MapCity], scope: str | None = None) -> list[CountryRow]:
    """Member countries with their active or suspended member cities and the population of those cities (cached
    by data version when `scope` is given: `cities` is then that scope's `map_cities`)."""
    if scope is not None:
        return list(selectors.cached(f"country-table:{scope}", lambda: country_table(cities)))
    fills, names = country_fills(), country_names()
    totals: dict[str, list[int]] = {}
    for c in cities:
        if c.status == Membership.Status.ENDED:
            continue
        row = totals.setdefault(c.country, [0, 0])
        row[0] += 1
        row[1] += c.population
    rows = [
        CountryRow(iso2, names.get(iso2, iso2), fills.get(iso2, ("", ""))[1], n, pop)
        for iso2, (n, pop) in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r.members, r.name))
