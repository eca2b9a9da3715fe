"""One endpoint per figure, the network and the map's cities; the secretariat's scope refused to others."""

from __future__ import annotations

import datetime as dt

import pytest

from cityexchange.insights import selectors
from tests.insights.coop import cooperation
from tests.insights.factories import ChallengeFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(kazan, sao_paulo):
    PracticeFactory(city=kazan, sectors=["water"])
    PracticeFactory(city=kazan, sectors=["water"], status="draft")
    ChallengeFactory(city=sao_paulo, sectors=["water"])
    cooperation(kazan, sao_paulo, stage="agreement", signed_on=dt.date(2025, 5, 1))


@pytest.mark.parametrize("slug", list(selectors.FIGURES))
def test_every_figure_has_an_endpoint(client, data, slug):
    r = client.get(f"/api/v1/insights/figures/{slug}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["slug"] == slug and body["columns"] and isinstance(body["rows"], list)


def test_figure_values(client, data, secretariat, kazan_coordinator):
    rows = {r["key"]: r["values"] for r in client.get("/api/v1/insights/figures/practices-by-sector").json()["rows"]}
    assert rows["water"] == [1]
    assert client.get("/api/v1/insights/figures/population").json()["rows"][2]["values"] == [11_264_795]
    agreements = client.get("/api/v1/insights/figures/agreements-signed").json()["rows"]
    assert agreements == [{"key": "2025", "label": "2025", "values": [1]}]
    assert client.get("/api/v1/insights/figures/practices-by-sector?scope=all").status_code == 403
    client.force_login(kazan_coordinator)
    assert client.get("/api/v1/insights/figures/practices-by-sector?scope=all").status_code == 403
    client.force_login(secretariat)
    rows = client.get("/api/v1/insights/figures/practices-by-sector?scope=all").json()["rows"]
    assert {r["key"]: r["values"] for r in rows}["water"] == [2]


def test_list_network_and_map(client, data, kazan, sao_paulo):
    listing = client.get("/api/v1/insights/figures").json()
    assert {f["slug"] for f in listing} == set(selectors.FIGURES)
    assert listing[0]["csv"].endswith(".csv")
    net = client.get("/api/v1/insights/network").json()
    assert net["available"] and net["links"] == 1 and net["cities"] == 2
    assert net["most_connected"][0]["partners"] == 1
    cities = client.get("/api/v1/insights/map/cities?page_size=1").json()
    assert cities["count"] == 2 and cities["results"][0]["name"] == "São Paulo"


def test_bad_input_is_a_clear_error(client, data):
    assert client.get("/api/v1/insights/figures/population?year=1700").status_code == 422
    assert client.get("/api/v1/insights/figures/population?year=abc").status_code == 422
    assert client.get("/api/v1/insights/figures/population?scope=everything").status_code == 422
    assert client.get("/api/v1/insights/figures/nope").status_code == 404
    assert client.get("/api/v1/insights/map/cities?page=0").status_code == 422
