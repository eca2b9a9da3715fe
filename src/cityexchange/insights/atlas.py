"""Country shapes from the vendored Natural Earth TopoJSON (npm `world-atlas`, 1:110m), as SVG paths.

TopoJSON stores each border once as a quantised, delta-encoded *arc*; a polygon ring lists the arcs it follows
(a negative index `~i` means arc `i` reversed). Decoding is a cumulative sum and a scale/translate, so we do it
here rather than add a dependency. The shapes never change, so the projected paths are computed once per process.

Projection: Natural Earth I (Šavrič, Jenny, Patterson, Hurni 2011), a compromise projection with a polynomial
formula; points (cities) go through the same function so they sit on the shapes. Antarctica is left out (no
members; it would take a fifth of the height).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

ATLAS_PATH = Path(__file__).resolve().parent.parent / "static" / "vendor" / "world-atlas" / "countries-110m.json"
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -58.0  # the latitudes the map shows
SKIP = {"010"}  # Antarctica

_X_MAX = 0.8707 * math.pi  # x of (180°, 0°) on the unit Natural Earth map
_SCALE = WIDTH / (2 * _X_MAX)


def _natural_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


_TOP = _natural_earth(0, NORTH)[1]
HEIGHT = round((_TOP - _natural_earth(0, SOUTH)[1]) * _SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude in degrees → SVG user units (0..WIDTH across, 0..HEIGHT down)."""
    lat = max(-89.9, min(89.9, lat))
    lon = max(-180.0, min(180.0, lon))
    x, y = _natural_earth(lon, lat)
    return WIDTH / 2 + x * _SCALE, (_TOP - y) * _SCALE


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)

    def padded(self, fraction: float = 0.12, minimum: float = 40.0) -> Box:
        """Wider by `fraction` on each side, at least `minimum` units across, kept at the map's aspect ratio."""
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        w = max((self.x1 - self.x0) * (1 + 2 * fraction), minimum)
        h = max((self.y1 - self.y0) * (1 + 2 * fraction), minimum * HEIGHT / WIDTH)
        if w / h > WIDTH / HEIGHT:
            h = w * HEIGHT / WIDTH
        else:
            w = h * WIDTH / HEIGHT
        return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)

    def viewbox(self) -> str:
        return f"{self.x0:.1f} {self.y0:.1f} {self.x1 - self.x0:.1f} {self.y1 - self.y0:.1f}"


WORLD = Box(0.0, 0.0, WIDTH, HEIGHT)


@dataclass(frozen=True)
class Shape:
    iso2: str  # "" when the shape has no ISO code (disputed areas)
    name: str  # Natural Earth's English name
    path: str  # SVG path data, projected
    box: Box  # bounding box of the largest ring (so Russia's box is not the whole world)


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def _split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Rings that run along ±180° jump from one edge of the map to the other: cut them into one ring per side,
    closed along the edge (with points every 2° so the edge follows the projection's curve)."""
    segments: list[list[tuple[float, float]]] = [[ring[0]]]
    for prev, point in itertools.pairwise(ring):
        if abs(point[0] - prev[0]) > 180:
            segments.append([])
        segments[-1].append(point)
    if len(segments) == 1:
        return [ring]
    if len(segments) % 2 == 1:  # the ring starts and ends on the same side: its first and last pieces are one
        segments[0] = segments.pop() + segments[0]
    out = []
    for segment in segments:
        (lon0, lat0), (lon1, lat1) = segment[-1], segment[0]
        if abs(abs(lon0) - 180) < 1e-6 and abs(abs(lon1) - 180) < 1e-6:
            steps = max(1, int(abs(lat1 - lat0) / 2))
            segment = segment + [(lon0, lat0 + (lat1 - lat0) * k / steps) for k in range(1, steps)]
        out.append(segment)
    return out


def _iso2(numeric: str) -> str:
    country = pycountry.countries.get(numeric=numeric.zfill(3)) if numeric.isdigit() else None
    return country.alpha_2 if country else ""


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    """Every country's projected outline, computed once (the shapes are static)."""
    topology = json.loads(ATLAS_PATH.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = str(geometry.get("id", ""))
        if numeric in SKIP or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts: list[str] = []
        best: Box | None = None
        for polygon in polygons:
            for ring_arcs in polygon:
                for piece in _split_at_antimeridian(_ring(ring_arcs, arcs)):
                    ring = [project(lon, lat) for lon, lat in piece]
                    if len(ring) < 3:
                        continue
                    parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z")
                    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                    box = Box(min(xs), min(ys), max(xs), max(ys))
                    if best is None or box.area > best.area:
                        best = box
        if best is None:
            continue
        name = str(geometry.get("properties", {}).get("name", ""))
        out.append(Shape(_iso2(numeric), name, "".join(parts), best))
    return tuple(out)


def country_box(iso2: str) -> Box | None:
    for shape in shapes():
        if shape.iso2 == iso2:
            return shape.box
    return None
