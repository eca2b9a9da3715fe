"""The cooperation network's tables (on the page and in the annual report) name each city in the reader's
language, as the rest of the site does, not by its GeoNames name in Latin letters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from cityexchange.insights import report, selectors
from tests.insights.coop import cooperation
from tests.insights.factories import ChallengeFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(kazan: Any, sao_paulo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    kazan.local_names = {"ru": "Казань", "zh": "喀山"}
    kazan.save(update_fields=["local_names"])
    sao_paulo.local_names = {"ru": "Сан-Паулу", "zh": "圣保罗"}
    sao_paulo.save(update_fields=["local_names"])
    cooperation(kazan, sao_paulo, stage="agreement", signed_on=dt.date(2025, 11, 1))
    # A suggestion by shared sectors needs a need and an offer between two cities that do not cooperate yet.
    from tests.registry.factories import MemberCityFactory

    pune = MemberCityFactory(name="Pune", country_id="IN", local_names={"ru": "Пуна", "zh": "浦那"})
    ChallengeFactory(city=pune, sectors=["water"], is_public=True)
    PracticeFactory(city=kazan, sectors=["water"], language_id="ru")
    monkeypatch.setattr(selectors, "recommender", lambda: None)  # no engine: suggestions by shared sectors


def _table(html: str, name: str) -> str:
    return html.split(f'data-table="{name}"')[1].split("</table>")[0]


@pytest.mark.parametrize(("lang", "kazan_name", "pune_name"), [("ru", "Казань", "Пуна"), ("zh-hans", "喀山", "浦那")])
def test_network_page_names_cities_in_the_readers_language(client, network, lang, kazan_name, pune_name):
    html = client.get(f"/{lang}/insights/network/").content.decode()
    connected = _table(html, "most-connected")
    assert kazan_name in connected and "Kazan" not in connected
    assert "São Paulo" not in connected
    suggestions = _table(html, "suggestions")
    assert pune_name in suggestions and "Pune" not in suggestions
    assert kazan_name in suggestions


def test_annual_report_names_network_cities_in_the_readers_language(network):
    with translation.override("ru"):
        html = report.build_html(2026)
    connected = _table(html, "most-connected")
    assert "Казань" in connected and "Kazan" not in connected
    assert "Пуна" in _table(html, "suggestions")


def test_english_readers_keep_the_geonames_name(client, network):
    connected = _table(client.get("/en/insights/network/").content.decode(), "most-connected")
    assert "Kazan" in connected and "São Paulo" in connected
