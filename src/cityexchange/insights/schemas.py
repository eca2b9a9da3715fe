from __future__ import annotations

from ninja import Schema


class RowOut(Schema):
    key: str
    label: str
    values: list[float | int]


class FigureOut(Schema):
    slug: str
    title: str
    description: str
    kind: str
    columns: list[str]
    rows: list[RowOut]
    available: bool
    note: str


class FigureRefOut(Schema):
    slug: str
    title: str
    kind: str
    url: str
    csv: str


class ConnectedOut(Schema):
    city: int
    name: str
    country: str
    partners: int
    links: int
    centrality: float


class SuggestionOut(Schema):
    a: int
    b: int
    score: float
    sectors: list[str]
    method: str
    challenge_id: int | None = None
    practice_ids: list[int]


class NetworkOut(Schema):
    available: bool
    cities: int
    links: int
    density: float
    components: int
    most_connected: list[ConnectedOut]
    isolated: list[int]
    country_gaps: list[list[str]]
    suggestions: list[SuggestionOut]
    suggestion_method: str


class MapCityOut(Schema):
    id: int
    name: str
    country: str
    population: int
    status: str
    practices: int
    x: float
    y: float
