"""Network metrics on a small known graph, suggestions by shared sectors, and the network read from the data."""

from __future__ import annotations

import datetime as dt

import pytest

from cityexchange.insights import cooperation_data, selectors
from cityexchange.insights.cooperation_data import Edge
from cityexchange.insights.network import (
    Node,
    build_graph,
    countries_never_cooperating,
    isolated_members,
    linked_pairs,
    most_connected,
    suggest_by_sectors,
)
from tests.insights.coop import cooperation
from tests.insights.factories import ChallengeFactory, PracticeFactory
from tests.registry.factories import MemberCityFactory

# A (RU) — B (BR) — C (CN), A — C twice, D (IN) alone, E (ZA) ended and alone, F (BR) alone.
NODES = [
    Node(1, "A", "RU", 1000),
    Node(2, "B", "BR", 2000),
    Node(3, "C", "CN", 3000),
    Node(4, "D", "IN", 4000),
    Node(5, "E", "ZA", 5000, status="ended"),
    Node(6, "F", "BR", 500, status="suspended"),
]
EDGES = [
    Edge(1, 2, "cooperation"),
    Edge(2, 3, "agreement"),
    Edge(1, 3, "cooperation"),
    Edge(1, 3, "agreement"),
    Edge(1, 1, "cooperation"),  # a self-loop is ignored
    Edge(1, 99, "cooperation"),  # a city that is not a node is ignored
]


def test_graph_and_most_connected():
    graph = build_graph(NODES, EDGES)
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 3
    assert graph[1][3]["weight"] == 2 and graph[1][3]["kinds"] == {"cooperation", "agreement"}
    top = most_connected(graph, k=2)
    assert [(c.name, c.partners, c.links) for c in top] == [("A", 2, 3), ("C", 2, 3)]
    assert top[0].centrality == pytest.approx(2 / 5)


def test_isolated_members_exclude_former_members():
    graph = build_graph(NODES, EDGES)
    assert isolated_members(graph) == [4, 6]  # D (larger) then F; E has left the association


def test_countries_never_cooperating():
    graph = build_graph(NODES, EDGES)
    # Member countries: BR, CN, IN, RU (ZA only has a former member). Linked: RU–BR, BR–CN, RU–CN.
    assert countries_never_cooperating(graph) == [("BR", "IN"), ("CN", "IN"), ("IN", "RU")]


def test_suggestions_by_shared_sectors():
    needs = {1: {"water", "waste"}, 4: {"water"}, 2: {"energy"}}
    offers = {2: {"water": 3, "waste": 1}, 3: {"water": 1}, 4: {"energy": 2}, 1: {"water": 5}}
    linked = {frozenset((1, 2))}
    got = suggest_by_sectors(needs, offers, linked, k=10)
    # 1–2 are linked already. 2 needs energy (4 has it) and 4 needs water (2 has it): one suggestion for the
    # pair, in its better direction. Ties on shared sectors go to the provider with more practices.
    assert [(s.a, s.b, s.sectors) for s in got] == [
        (4, 1, ("water",)),
        (4, 2, ("water",)),
        (1, 3, ("water",)),
        (4, 3, ("water",)),
    ]
    assert got[0].score >= got[-1].score
    assert all(frozenset((s.a, s.b)) not in linked for s in got)


def test_linked_pairs():
    assert linked_pairs(build_graph(NODES, EDGES)) == {frozenset((1, 2)), frozenset((2, 3)), frozenset((1, 3))}


@pytest.mark.django_db
def test_network_from_the_data(kazan, sao_paulo, secretariat):
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_000_000)
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=20_000_000)
    cooperation(kazan, sao_paulo, stage="agreement", signed_on=dt.date(2025, 11, 1))
    cooperation(kazan, pune, stage="contact")  # no agreement: not in the public register
    ChallengeFactory(city=pune, sectors=["water"])
    PracticeFactory(city=shanghai, sectors=["water"])
    PracticeFactory(city=kazan, sectors=["water"], status="draft")

    public = selectors.cooperation_network(None, selectors.PUBLIC, method="sectors")
    assert public.available
    assert public.edge_count == 1  # only the signed one is public
    assert set(public.isolated) == {pune.pk, shanghai.pk}
    assert [(s.a, s.b, s.sectors, s.method) for s in public.suggestions] == [
        (pune.pk, shanghai.pk, ("water",), "sectors")
    ]
    assert public.method == "sectors"
    assert ("CN", "IN") in public.country_gaps and ("BR", "RU") not in public.country_gaps

    everything = selectors.cooperation_network(secretariat, selectors.ALL, method="sectors")
    assert everything.edge_count == 2
    assert everything.isolated == [shanghai.pk]
    # The draft is not a published practice: even the secretariat's suggestions only offer published ones.
    assert {(s.a, s.b) for s in everything.suggestions} == {(pune.pk, shanghai.pk)}


@pytest.mark.django_db
def test_agreement_figures_and_funnel(kazan, sao_paulo, secretariat):
    pune = MemberCityFactory(name="Pune", country_id="IN")
    cooperation(kazan, sao_paulo, stage="pilot", signed_on=dt.date(2025, 11, 1))
    cooperation(kazan, pune, stage="agreement", signed_on=dt.date(2026, 1, 15))
    cooperation(sao_paulo, pune, stage="interest")
    cooperation(sao_paulo, kazan, stage="closed")
    figs = selectors.all_figures(None)
    agreements = figs["agreements-signed"]
    assert agreements.available and [(r.key, r.values[0]) for r in agreements.rows] == [("2025", 1), ("2026", 1)]
    funnel = figs["cooperation-funnel"]
    reached = {r.key: r.values[0] for r in funnel.rows}
    # Public: only the two with a signed agreement; both reached interest … agreement, one reached pilot.
    assert reached["interest"] == 2 and reached["agreement"] == 2 and reached["pilot"] == 1
    assert reached["adoption"] == 0
    full = selectors.all_figures(secretariat, selectors.ALL)["cooperation-funnel"]
    assert {r.key: r.values[0] for r in full.rows}["interest"] == 3
    assert full.extra["closed"] == 1
    assert cooperation_data.cooperation_available()
