"""One search: the practice library's box, the search page and the API run the same engine with the same filters,
and give the same practices in the same order. The small deterministic encoder stands in for the model where what
is tested is the plumbing; the cross-lingual find ("lixo" → a waste-sorting practice in English and in Russian)
needs the real model (marker `model`)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cityexchange.matching import store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Indicator, Practice, PracticeTranslation
from tests.practices.factories import PracticeFactory
from tests.registry.factories import MemberCityFactory

pytestmark = pytest.mark.django_db

RESULT_ID = re.compile(r'<li class="result [a-z]+" data-practice="(\d+)"')


@pytest.fixture
def publish(secretariat: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def do(practice: Practice) -> Practice:
        with django_capture_on_commit_callbacks(execute=True):
            practice_services.practice_publish(actor=secretariat, practice=practice)
        return practice

    return do


def _practice(city: Any, lang: str, title: str, body: str, **kw: Any) -> Practice:
    return PracticeFactory(
        city=city,
        language_id=lang,
        title=title,
        summary=body,
        problem=body,
        solution=body,
        status=Practice.Status.SUBMITTED,
        **kw,
    )


def _library_ids(client: Any, **params: Any) -> list[int]:
    r = client.get("/en/practices/", params)
    assert r.status_code == 200
    return [int(i) for i in RESULT_ID.findall(r.content.decode())]


def _page_ids(client: Any, **params: Any) -> list[int]:
    r = client.get("/en/matching/", params)
    assert r.status_code == 200
    return [int(i) for i in RESULT_ID.findall(r.content.decode())]


def _api_ids(client: Any, **params: Any) -> list[int]:
    r = client.get("/api/v1/matching/search", params)
    assert r.status_code == 200, r.content
    return [h["practice_id"] for h in r.json()["results"]]


@pytest.fixture
def hashing_encoder() -> Any:
    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture
def bus_corpus(hashing_encoder: Any, publish: Any, sao_paulo: Any, kazan: Any) -> dict[str, Practice]:
    text = "Dedicated bus lanes let buses pass traffic jams in the city centre."
    return {
        "sp_lanes": publish(
            _practice(sao_paulo, "en", "Bus lanes on avenues", text, sectors=["transportation"], cost_band="1m-10m")
        ),
        "sp_brt": publish(
            _practice(
                sao_paulo,
                "en",
                "Bus rapid transit",
                "Buses in their own lanes with stations.",
                sectors=["transportation"],
                cost_band="over-10m",
                maturity="scaled",
            )
        ),
        "kz_lanes": publish(
            _practice(
                kazan,
                "en",
                "Bus priority at lights",
                "Traffic lights give buses priority in jams.",
                sectors=["transportation", "digital-government"],
                cost_band="1m-10m",
            )
        ),
        "kz_library": publish(
            _practice(kazan, "en", "Digital library loans", "Lending e-books to readers.", sectors=["culture"])
        ),
    }


QUERIES: list[dict[str, Any]] = [
    {"q": "buses stuck in traffic jams"},
    {"q": "buses stuck in traffic jams", "cost_band": "1m-10m"},
    {"q": "buses stuck in traffic jams", "country": "RU"},
    {"q": "buses stuck in traffic jams", "sector": "digital-government"},
    {"q": "buses stuck in traffic jams", "maturity": "scaled"},
    {"q": "lending books", "language": "en"},
    {"q": "buses stuck in traffic jams", "city": "KAZAN"},
]


@pytest.mark.parametrize("params", QUERIES)
def test_library_search_page_and_api_give_the_same_ordered_ids(
    bus_corpus: dict[str, Practice], client: Any, params: dict[str, Any], kazan: Any
) -> None:
    if params.get("city") == "KAZAN":
        params = {**params, "city": kazan.pk}
    library = _library_ids(client, **params)
    assert library, "the library's box found nothing"
    assert library == _page_ids(client, **params) == _api_ids(client, **params)
    listed = client.get("/api/v1/practices/", {**params, "page_size": 100}).json()["results"]
    assert [p["id"] for p in listed] == library  # the practice list API's q is the same search


def test_filters_apply_identically(bus_corpus: dict[str, Practice], client: Any, kazan: Any) -> None:
    q = "buses stuck in traffic jams"
    everything = _library_ids(client, q=q)
    c = bus_corpus
    expected = {
        ("cost_band", "1m-10m"): {c["sp_lanes"].pk, c["kz_lanes"].pk},
        ("country", "RU"): {c["kz_lanes"].pk, c["kz_library"].pk},
        ("sector", "transportation"): {c["sp_lanes"].pk, c["sp_brt"].pk, c["kz_lanes"].pk},
        ("maturity", "scaled"): {c["sp_brt"].pk},
        ("city", kazan.pk): {c["kz_lanes"].pk, c["kz_library"].pk},
    }
    for (name, value), allowed in expected.items():
        for ids in (
            _library_ids(client, q=q, **{name: value}),
            _page_ids(client, q=q, **{name: value}),
            _api_ids(client, q=q, **{name: value}),
        ):
            assert ids and set(ids) <= allowed, (name, value, ids)
            # Filtering never reorders: the filtered list is the unfiltered one with the others left out.
            assert ids == [i for i in everything if i in set(ids)]


def test_facet_counts_of_the_api_are_those_of_what_the_search_finds(
    bus_corpus: dict[str, Practice], client: Any
) -> None:
    found = _api_ids(client, q="buses stuck in traffic jams", cost_band="1m-10m")
    facets = client.get("/api/v1/practices/facets", {"q": "buses stuck in traffic jams", "cost_band": "1m-10m"}).json()
    assert facets["cost_band"] == [{"value": "1m-10m", "label": "1 – 10 million", "count": len(found)}]
    assert sum(f["count"] for f in facets["country"]) == len(found)


def test_a_bad_filter_is_named_everywhere(bus_corpus: dict[str, Practice], client: Any) -> None:
    r = client.get("/api/v1/matching/search", {"q": "buses", "cost_band": "free"})
    assert r.status_code == 422 and r.json()["field"] == "cost_band"
    r = client.get("/en/practices/", {"q": "buses", "cost_band": "free"})
    assert r.status_code == 422 and 'data-field="cost_band"' in r.content.decode()
    r = client.get("/en/matching/", {"q": "buses", "cost_band": "free"})
    assert r.status_code == 422 and 'data-field="cost_band"' in r.content.decode()


def test_without_words_the_library_lists_newest_first_with_the_same_filters(
    bus_corpus: dict[str, Practice], client: Any
) -> None:
    html = client.get("/en/practices/", {"cost_band": "1m-10m"}).content.decode()
    listed = [int(i) for i in re.findall(r'<li data-practice="(\d+)"', html)]
    assert listed == [bus_corpus["kz_lanes"].pk, bus_corpus["sp_lanes"].pk]  # newest first
    assert "strong match" not in html.lower()  # a list, not a search


def test_result_cards_show_what_a_reader_needs(bus_corpus: dict[str, Practice], client: Any, secretariat: Any) -> None:
    p = bus_corpus["sp_lanes"]
    Indicator.objects.create(practice=p, name="Bus travel time", baseline=42, achieved=28, unit="min", year=2023)
    PracticeTranslation.objects.create(
        practice=p,
        language_id="ru",
        title="Выделенные полосы для автобусов",
        summary="Автобусы едут мимо пробок.",
        approved_at=p.updated_at,
    )
    for url in ("/ru/practices/", "/ru/matching/"):
        html = client.get(url, {"q": "buses stuck in traffic jams"}).content.decode()
        card = html.split(f'data-practice="{p.pk}"')[1].split("</li>")[0]
        assert "Выделенные полосы для автобусов" in card  # the title in the reader's language
        assert "Автобусы едут мимо пробок." in card  # a summary snippet
        assert "São Paulo" in card or "Сан-Паулу" in card
        assert "English" in card  # the original language, by its own name
        assert "Транспорт" in card  # sectors by name
        assert "Bus travel time" in card and "42" in card and "28" in card  # one key indicator with its numbers
        assert "strength-strong" in card or "strength-possible" in card
    html = client.get("/en/practices/", {"q": "buses stuck in traffic jams"}).content.decode()
    assert "Bus lanes on avenues" in html.split(f'data-practice="{p.pk}"')[1].split("</h3>")[0]


@pytest.mark.model
def test_lixo_finds_waste_sorting_written_in_english_and_russian(
    publish: Any, sao_paulo: Any, kazan: Any, client: Any
) -> None:
    store.set_encoder(None)  # the real model
    store.reset()
    delhi = MemberCityFactory(name="Delhi", country_id="IN", population=16_000_000, latitude=28.6)
    waste_en = publish(
        _practice(
            delhi,
            "en",
            "Household waste sorting with reward points",
            "Residents separate household waste into recyclables and organic waste at home; sorting "
            "stations reward them with points, and landfill volume fell by a third.",
            sectors=["waste"],
        )
    )
    waste_ru = publish(
        _practice(
            kazan,
            "ru",
            "Раздельный сбор мусора во дворах",
            "Жители сортируют бытовые отходы в контейнеры для пластика, стекла и бумаги; объём мусора на "
            "полигоне снизился на 20 %.",
            sectors=["waste"],
        )
    )
    publish(_practice(sao_paulo, "en", "Dedicated bus lanes", "Buses pass traffic jams in their own lanes."))
    publish(_practice(sao_paulo, "en", "Digital library loans", "Lending e-books to library readers."))
    store.reset()
    ids = _library_ids(client, q="lixo")
    assert set(ids[:2]) == {waste_en.pk, waste_ru.pk}
    assert ids == _api_ids(client, q="lixo")


def test_the_search_api_reads_no_rows_its_results_do_not_carry(
    bus_corpus: dict[str, Practice], client: Any, kazan_officer: Any
) -> None:
    # A result card's goals, key result and translations are read for the pages; the API's results carry none of
    # them (four queries per search). An officer's results compare cities, which takes the practices' sectors.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    card_tables = ("practices_practicegoal", "practices_indicator", "practices_practicetranslation")
    _api_ids(client, q="lending books")  # the in-process index (SQLite) loads what it holds on first use
    for signed_in, sectors_read in ((False, False), (True, True)):
        if signed_in:
            client.force_login(kazan_officer)
        with CaptureQueriesContext(connection) as queries:
            ids = _api_ids(client, q="buses stuck in traffic jams")
        assert ids
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert not [t for t in card_tables if f'"{t}"' in sql]
        assert ('"practices_practice_sectors"' in sql) == sectors_read
    with CaptureQueriesContext(connection) as queries:
        assert _page_ids(client, q="buses stuck in traffic jams") == ids
    assert all(f'"{t}"' in " ".join(q["sql"] for q in queries.captured_queries) for t in card_tables)
