"""The map shows the member cities and a click opens one; text in every script of the content renders as glyphs
(not as the boxes of a missing font), Arabic/Persian letters join, on the map page and in the report."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUA = "\ue000"  # a private-use code point no font draws: it always renders as the missing-glyph box

MEASURE = """([selector, text]) => {
  const host = document.querySelector(selector);
  const span = (t) => { const s = document.createElement('span'); s.textContent = t; s.style.whiteSpace = 'pre';
                        host.appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w; };
  const glyphs = [...text].filter((g) => g.trim());
  return {
    box: span(PUA),
    glyphs: glyphs.map(span),
    text: span(text),
    isolated: span(glyphs.join('\\u200c')),   // zero-width non-joiners: each letter in its isolated form
  };
}""".replace("PUA", repr(PUA))


@pytest.fixture
def cities(kazan, sao_paulo, page):
    from cityexchange.insights import atlas
    from tests.registry.factories import MemberCityFactory

    atlas.shapes()  # decoded once per process; done before the first page so a busy machine does not time out
    page.set_default_timeout(60_000)

    return {
        "ru": MemberCityFactory(name="Нижний Новгород", country_id="RU", population=1_200_000, latitude=56.3),
        "zh": MemberCityFactory(name="上海", country_id="CN", population=24_000_000, latitude=31.2, longitude=121.5),
        "fa": MemberCityFactory(name="اصفهان", country_id="IR", population=2_000_000, latitude=32.6, longitude=51.7),
        "hi": MemberCityFactory(name="पुणे", country_id="IN", population=3_100_000, latitude=18.5, longitude=73.9),
        "kazan": kazan,
        "sao_paulo": sao_paulo,
    }


def test_map_shows_members_and_a_click_opens_the_city(page, cities):
    page.goto("/en/insights/map/")
    for city in cities.values():
        assert page.locator(f'svg.world-map circle[data-city-id="{city.pk}"]').count() == 1
        assert page.locator(f'#map-table tr[data-city-row="{city.pk}"]').count() == 1
    sao_paulo = cities["sao_paulo"]
    page.locator(f'svg.world-map a.city:has(circle[data-city-id="{sao_paulo.pk}"])').click()
    page.wait_for_url(f"**/en/cities/{sao_paulo.pk}/")
    # Zoom to Brazil: the same point, larger on screen because the map frames one country.
    page.goto("/en/insights/map/")
    world = page.locator("svg.world-map").bounding_box()
    page.select_option("#map-country", "BR")
    page.wait_for_url("**country=BR**")
    assert page.locator("h1").inner_text() == "Member cities in Brazil"
    assert page.locator("svg.world-map").bounding_box()["width"] == pytest.approx(world["width"], rel=0.05)
    assert page.get_attribute("svg.world-map", "viewBox") != "0.0 0.0 1000.0 437.7"


def test_map_is_usable_on_a_phone(browser, live_server, cities):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto("/en/insights/map/")
    svg, table = page.locator("svg.world-map").bounding_box(), page.locator("#map-table").bounding_box()
    assert svg["width"] <= 390 and table["y"] > svg["y"] + svg["height"] - 1  # the table goes under the map
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling
    context.close()


def _check_glyphs(page, selector: str, text: str, *, joins: bool = False) -> None:
    widths = page.evaluate(MEASURE, [selector, text])
    # A missing glyph draws the font's box, the same width for every character: real glyphs differ from it
    # (all boxes fails; an occasional glyph as wide as the box does not).
    assert any(abs(w - widths["box"]) > 0.5 for w in widths["glyphs"]), (text, widths)
    if joins:  # joined Arabic letters are narrower than the same letters drawn apart
        assert widths["text"] < widths["isolated"] - 1.0, (text, widths)


def test_every_script_renders_glyphs_on_the_map_page(page, cities, tmp_path):
    page.goto("/en/insights/map/")
    page.evaluate("document.fonts.ready")
    for key, joins in (("ru", False), ("zh", False), ("hi", False), ("fa", True)):
        name = cities[key].name
        row = page.locator(f'#map-table tr[data-city-row="{cities[key].pk}"] a')
        assert row.inner_text() == name
        _check_glyphs(page, f'#map-table tr[data-city-row="{cities[key].pk}"] td', name, joins=joins)
    # The page in Arabic is laid out right to left, and the Persian name still joins.
    page.goto("/ar/insights/map/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _check_glyphs(page, f'#map-table tr[data-city-row="{cities["fa"].pk}"] td', cities["fa"].name, joins=True)
    page.screenshot(path=str(tmp_path / "map-ar.png"), full_page=True)


def test_every_script_renders_in_the_report(page, login, cities, secretariat):
    from tests.insights.coop import cooperation
    from tests.insights.factories import PracticeFactory

    for key, lang in (("ru", "ru"), ("zh", "zh"), ("fa", "fa"), ("hi", "hi")):
        PracticeFactory(city=cities[key], language_id=lang, sectors=["water"])
    cooperation(cities["kazan"], cities["zh"], stage="agreement", signed_on=dt.date.today())
    login(secretariat.email)
    page.goto("/en/insights/")
    page.locator(".report-form button", has_text="Open as a web page").click()
    page.wait_for_url("**/insights/report/**")
    page.evaluate("document.fonts.ready")
    _check_glyphs(page, "table", "Нижний Новгород")
    _check_glyphs(page, "table", "上海")
    _check_glyphs(page, "table", "पुणे")
    _check_glyphs(page, "table", "اصفهان", joins=True)
    # The languages chart's SVG text uses the same fonts.
    svg_text = page.locator('svg[data-chart="practices-by-language"] text', has_text="中文").first
    assert svg_text.bounding_box()["width"] > 0
