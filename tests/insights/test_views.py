"""Pages for the public and the secretariat: figures from the data, nothing private, no error page on bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.insights.coop import cooperation
from tests.insights.factories import ChallengeFactory, PracticeFactory
from tests.registry.factories import MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(kazan, sao_paulo):
    PracticeFactory(city=kazan, sectors=["water"], title="Published water practice", language_id="ru")
    PracticeFactory(city=kazan, sectors=["water"], status="draft", title="Secret draft title", language_id="zh")
    ChallengeFactory(city=sao_paulo, sectors=["water"], is_public=False, title="Members-only need")
    return {"kazan": kazan, "sao_paulo": sao_paulo}


def test_dashboard_public(client, data):
    r = client.get("/en/insights/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="member-cities">2<' in html
    assert "11,264,795" in html
    assert 'data-chart="practices-by-sector"' in html and "<title" in html
    # The draft's language (Chinese) is not counted in public; the members-only challenge is not either.
    assert "Secret draft title" not in html
    languages = html.split('data-figure-table="practices-by-language"')[1].split("</table>")[0]
    assert "Русский" in languages and "Chinese" not in languages
    table = html.split('data-figure-table="challenges-by-status"')[1].split("</table>")[0]
    assert ">0<" in table and ">1<" not in table
    assert "Annual report" not in html  # the button is the secretariat's


def test_dashboard_secretariat_scope(client, data, secretariat, kazan_coordinator):
    client.force_login(kazan_coordinator)
    assert client.get("/en/insights/?scope=all").status_code == 403
    assert client.get("/en/insights/?scope=bogus").status_code == 422
    client.force_login(secretariat)
    html = client.get("/en/insights/?scope=all").content.decode()
    languages = html.split('data-figure-table="practices-by-language"')[1].split("</table>")[0]
    assert "Chinese" in languages and "Annual report" in html


def test_csv_download(client, data):
    r = client.get("/en/insights/figures/practices-by-sector.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["key", "Sector", "Practices"]
    assert ["water", "Water", "1"] in rows
    assert client.get("/en/insights/figures/nope.csv").status_code == 404
    assert client.get("/en/insights/figures/population.csv?year=abc").status_code == 422
    assert client.get("/en/insights/figures/population.csv?scope=all").status_code == 403


def test_svg_download(client, data):
    r = client.get("/ru/insights/figures/practices-by-language.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    body = r.content.decode()
    assert body.startswith("<?xml") and 'role="img"' in body and "Русский" in body


def test_map_shows_every_member_city(client, data):
    minsk = MemberCityFactory(name="Minsk", country_id="BY", membership="ended")
    html = client.get("/en/insights/map/").content.decode()
    for city in (data["kazan"], data["sao_paulo"], minsk):
        assert f'data-city-id="{city.pk}"' in html
        assert f'href="/en/cities/{city.pk}/"' in html
    assert 'data-status="ended"' in html
    assert 'data-iso2="RU"' in html and 'fill="#1f6f8b"' in html  # Russia shaded as a BRICS member


def test_map_zoom_layers_and_bad_input(client, data):
    world = client.get("/en/insights/map/").content.decode()
    zoomed = client.get("/en/insights/map/?country=br").content.decode()
    assert 'viewBox="0.0 0.0 1000.0' in world
    assert 'viewBox="0.0 0.0 1000.0' not in zoomed and "Member cities in Brazil" in zoomed
    only_cities = client.get("/en/insights/map/?layers=1&layer=cities").content.decode()
    assert "layer-practices" not in only_cities and "layer-cities" in only_cities
    for bad in ("?country=XX", "?country=%00%ff", "?page=-1", "?layer=<script>", "?scope=x"):
        r = client.get("/en/insights/map/" + bad)
        assert r.status_code in (200, 422), bad
        assert b"<script>" not in r.content.split(b"</header>")[1].replace(b"<script src", b"")


def test_network_page(client, data):
    pune = MemberCityFactory(name="Pune", country_id="IN")
    ChallengeFactory(city=pune, sectors=["water"], is_public=True)
    cooperation(data["kazan"], data["sao_paulo"], stage="agreement", signed_on=dt.date(2025, 11, 1))
    from cityexchange.insights import selectors

    original = selectors.recommender
    selectors.recommender = lambda: None  # type: ignore[assignment]  # no engine: suggestions by shared sectors
    try:
        html = client.get("/en/insights/network/").content.decode()
    finally:
        selectors.recommender = original  # type: ignore[assignment]
    assert 'data-figure="edges">1<' in html
    assert 'data-method="sectors"' in html and "By shared sectors" in html
    suggestions = html.split('data-table="suggestions"')[1].split("</table>")[0]
    assert "Pune" in suggestions and "Kazan" in suggestions
    assert "secret" not in html  # the private note of the agreement step


def test_report_button_is_for_the_secretariat(client, data, kazan_coordinator, secretariat):
    assert client.get("/en/insights/report/?year=2026&format=html").status_code == 302  # sign in first
    client.force_login(kazan_coordinator)
    assert client.get("/en/insights/report/?year=2026&format=html").status_code == 403
    client.force_login(secretariat)
    r = client.get(f"/en/insights/report/?year={dt.date.today().year}&format=html")
    assert r.status_code == 200 and "Published water practice" not in r.content.decode()
    assert "Kazan" in r.content.decode()
    assert client.get("/en/insights/report/?year=1200&format=html").status_code == 422
    assert client.get("/en/insights/report/?year=2025&format=doc").status_code == 422


@pytest.mark.parametrize("lang", ["ar", "fa", "zh-hans", "hi", "ru", "pt-br", "id"])
def test_pages_in_every_language(client, data, lang):
    for url in ("", "map/", "network/"):
        r = client.get(f"/{lang}/insights/{url}")
        assert r.status_code == 200, (lang, url)
