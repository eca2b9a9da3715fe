"""The cooperation network: member cities as nodes, cooperations and signed agreements as edges (networkx).

The metrics and the sector-based suggestions are pure functions over plain data (tested on small known graphs);
`network_for(...)` at the bottom is the one place that reads the database, through the other apps' selectors.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .cooperation_data import Edge

PROVIDERS_PER_SECTOR = 25  # bounds the candidate pairs at 10,000 cities: the busiest providers of each sector


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    country: str
    population: int = 0
    status: str = "active"  # membership status ("" for a participating city that is not a member)


def build_graph(nodes: Iterable[Node], edges: Iterable[Edge]) -> nx.Graph:
    """One node per city; one edge per linked pair, weighted by how many cooperations/agreements link them."""
    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node.id, name=node.name, country=node.country, population=node.population, status=node.status)
    for edge in edges:
        if edge.a == edge.b or edge.a not in graph or edge.b not in graph:
            continue
        if graph.has_edge(edge.a, edge.b):
            data = graph[edge.a][edge.b]
            data["weight"] += 1
            data["kinds"] = data["kinds"] | {edge.kind}
        else:
            graph.add_edge(edge.a, edge.b, weight=1, kinds=frozenset({edge.kind}))
    return graph


@dataclass(frozen=True)
class Connected:
    city: int
    name: str
    country: str
    partners: int  # distinct partner cities
    links: int  # cooperations and agreements, counted with multiplicity
    centrality: float  # degree centrality: partners / (members - 1)


def most_connected(graph: nx.Graph, k: int = 10) -> list[Connected]:
    """The cities with the most distinct partners (ties: more links, then name)."""
    n = graph.number_of_nodes()
    ranked = sorted(
        (node for node in graph.nodes if graph.degree(node) > 0),
        key=lambda c: (-graph.degree(c), -graph.degree(c, weight="weight"), graph.nodes[c]["name"], c),
    )
    return [
        Connected(
            city=c,
            name=graph.nodes[c]["name"],
            country=graph.nodes[c]["country"],
            partners=graph.degree(c),
            links=int(graph.degree(c, weight="weight")),
            centrality=graph.degree(c) / (n - 1) if n > 1 else 0.0,
        )
        for c in ranked[:k]
    ]


def isolated_members(graph: nx.Graph) -> list[int]:
    """Member cities (active or suspended) without any cooperation or agreement, largest first."""
    nodes = [c for c in graph.nodes if graph.degree(c) == 0 and graph.nodes[c]["status"] in ("active", "suspended")]
    return sorted(nodes, key=lambda c: (-graph.nodes[c]["population"], graph.nodes[c]["name"], c))


def country_links(graph: nx.Graph) -> set[frozenset[str]]:
    """Pairs of countries linked by at least one cooperation between their cities ({X} for one inside X)."""
    return {frozenset((graph.nodes[a]["country"], graph.nodes[b]["country"])) for a, b in graph.edges}


def countries_never_cooperating(graph: nx.Graph) -> list[tuple[str, str]]:
    """Pairs of member countries (with an active or suspended member city) whose cities never cooperated."""
    countries = sorted(
        {data["country"] for _c, data in graph.nodes(data=True) if data["status"] in ("active", "suspended")}
    )
    linked = country_links(graph)
    return [(a, b) for a, b in itertools.combinations(countries, 2) if frozenset((a, b)) not in linked]


@dataclass(frozen=True)
class Suggestion:
    a: int  # the city with the need (an open challenge)
    b: int  # the city with a practice that answers it
    score: float
    sectors: tuple[str, ...] = ()  # shared sectors (codes)
    method: str = "sectors"  # "engine" (matching engine) or "sectors" (shared sectors)
    challenge_id: int | None = None
    practice_ids: tuple[int, ...] = field(default=())


def linked_pairs(graph: nx.Graph) -> set[frozenset[int]]:
    return {frozenset((a, b)) for a, b in graph.edges}


def suggest_by_sectors(
    needs: Mapping[int, set[str]],
    offers: Mapping[int, Mapping[str, int]],
    linked: set[frozenset[int]],
    *,
    k: int = 20,
) -> list[Suggestion]:
    """Pairs (city with open challenges, city with published practices) sharing sectors, with no link yet.

    Score: the number of shared sectors, then (to break ties) the practices the provider has in them. Only the
    `PROVIDERS_PER_SECTOR` busiest providers of each sector are candidates, so the work stays linear in the number
    of cities with needs. A pair where each side answers the other keeps its better direction.
    """
    top: dict[str, list[int]] = defaultdict(list)
    by_sector: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for city, sectors in offers.items():
        for sector, n in sectors.items():
            if n > 0:
                by_sector[sector].append((n, city))
    for sector, rows in by_sector.items():
        rows.sort(key=lambda r: (-r[0], r[1]))
        top[sector] = [city for _n, city in rows[:PROVIDERS_PER_SECTOR]]
    best: dict[frozenset[int], Suggestion] = {}
    for seeker, wanted in needs.items():
        candidates = {c for s in wanted for c in top.get(s, ())}
        for provider in candidates:
            pair = frozenset((seeker, provider))
            if provider == seeker or pair in linked:
                continue
            shared = tuple(sorted(s for s in wanted if offers[provider].get(s, 0) > 0))
            if not shared:
                continue
            volume = sum(offers[provider][s] for s in shared)
            score = len(shared) + volume / (volume + 10)  # the fraction only breaks ties
            current = best.get(pair)
            if current is None or (score, -seeker) > (current.score, -current.a):
                best[pair] = Suggestion(seeker, provider, round(score, 4), shared)
    return sorted(best.values(), key=lambda s: (-s.score, s.a, s.b))[:k]


@dataclass
class Network:
    graph: nx.Graph
    most_connected: list[Connected]
    isolated: list[int]
    country_gaps: list[tuple[str, str]]
    suggestions: list[Suggestion]
    method: str  # how the suggestions were made: "engine", "sectors" or "" (none possible)
    available: bool  # False while the cooperation app does not expose its data
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def edge_count(self) -> int:
        return int(self.graph.number_of_edges())

    @property
    def density(self) -> float:
        return float(nx.density(self.graph)) if self.graph.number_of_nodes() > 1 else 0.0

    @property
    def components(self) -> int:
        """Groups of cities linked together (a city with no link is a group of one)."""
        return int(nx.number_connected_components(self.graph)) if self.graph.number_of_nodes() else 0
