"""One search in the browser: words typed in the practice library's box give the same cards, in the same order,
as the search page — each with its strong/possible label, snippet, sectors and key result — on a desktop and on a
360 px phone, where nothing scrolls sideways. The small deterministic encoder stands in for the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def encoder() -> Iterator[None]:
    from cityexchange.matching import store
    from cityexchange.matching.embedding import HashingEncoder

    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture
def library(encoder: Any, secretariat: Any, sao_paulo: Any, kazan: Any) -> dict[str, Any]:
    from cityexchange.practices import services
    from cityexchange.practices.models import Indicator, Practice
    from tests.practices.factories import PracticeFactory

    def practice(city: Any, title: str, body: str, sectors: list[str]) -> Any:
        return PracticeFactory(
            city=city, language_id="en", title=title, summary=body, problem=body, solution=body,
            status=Practice.Status.SUBMITTED, sectors=sectors,
        )  # fmt: skip

    made = {
        "waste": practice(kazan, "Household waste sorting stations",
                          "Residents sort household waste at stations in every courtyard.", ["waste"]),
        "bus": practice(sao_paulo, "Dedicated bus lanes", "Buses pass traffic jams in their own lanes.",
                        ["transportation"]),
        "books": practice(sao_paulo, "Digital library loans", "Lending e-books to library readers.", ["culture"]),
    }  # fmt: skip
    Indicator.objects.create(practice=made["waste"], name="Waste sorted", baseline=3, achieved=24, unit="%", year=2024)
    for p in made.values():
        services.practice_publish(actor=secretariat, practice=p)  # commits: the index task runs
    return made


@pytest.fixture(params=list(SIZES))
def sized_page(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=SIZES[request.param])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _ids(page: Any) -> list[str]:
    return [li.get_attribute("data-practice") for li in page.locator("li.result").all()]


def test_the_library_box_and_the_search_page_show_the_same_cards(sized_page: Any, library: dict[str, Any]) -> None:
    page = sized_page
    page.goto("/en/practices/")
    assert page.locator("ul.practice-list > li").count() == 3  # no words: the library lists, newest first
    page.fill("#id_q", "household waste sorting")
    first = page.locator("ol.strong-matches > li.result").first
    first.wait_for()  # htmx replaced the list with the search's cards
    assert first.get_attribute("data-practice") == str(library["waste"].pk)
    card = first.inner_text()
    assert "Strong match" in card and "Kazan" in card and "English" in card
    assert "Residents sort household waste" in card and "Waste" in card  # snippet and sectors
    assert "Waste sorted" in card and "24" in card  # the key result with its numbers
    assert page.evaluate(OVERFLOW) <= 0, "the library scrolls sideways"
    if page.viewport_size["width"] < 600:  # on a phone the results come before the facets
        assert first.bounding_box()["y"] < page.locator("aside.facets").bounding_box()["y"]
    from_library = _ids(page)
    assert page.locator("details.possible-matches").count() == 1  # possible matches folded
    page.goto("/en/matching/?q=household+waste+sorting")
    page.locator("li.result").first.wait_for()
    assert _ids(page) == from_library
    assert page.evaluate(OVERFLOW) <= 0, "the search page scrolls sideways"
