"""Strong and possible matches, and explanations a person understands, on the search page, the
recommendations page and the API. The small deterministic encoder stands in for the model: what is tested is
the labelling, the wording and the rendering, not the model's judgement."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cityexchange.challenges.models import Challenge
from cityexchange.matching import relevance, search, store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.snippet import highlight, plain_text
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Indicator, Practice
from cityexchange.registry.models import Sector
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db

BUS_TEXT = "Dedicated bus lanes let buses pass traffic jams in the city centre."


@pytest.fixture
def encoder() -> Any:
    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture
def publish(secretariat: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def do(practice: Practice) -> Practice:
        with django_capture_on_commit_callbacks(execute=True):
            practice_services.practice_publish(actor=secretariat, practice=practice)
        return practice

    return do


def _practice(city: Any, title: str, body: str, **kw: Any) -> Practice:
    return PracticeFactory(
        city=city,
        language_id=kw.pop("language_id", "en"),
        title=title,
        summary=body,
        problem=kw.pop("problem", body),
        solution=kw.pop("solution", body),
        status=Practice.Status.SUBMITTED,
        **kw,
    )


@pytest.fixture
def corpus(encoder: Any, publish: Any, sao_paulo: Any) -> dict[str, Practice]:
    bus = publish(
        _practice(
            sao_paulo,
            "Dedicated bus lanes",
            f"**{BUS_TEXT}** Travel time fell by a third. <b>bold</b> & more",
            sectors=["transportation"],
            sdgs=[11],
            min_population=500_000,
            prerequisites="A **traffic code** that allows bus-only lanes.",
        )
    )
    Indicator.objects.create(practice=bus, name="Bus travel time", baseline=42, achieved=28, unit="min", year=2023)
    library = publish(
        _practice(sao_paulo, "Digital library loans", "Lending e-books to library readers.", sectors=["culture"])
    )
    return {"bus": bus, "library": library}


def test_strength_follows_the_calibrated_threshold() -> None:
    floor = relevance.floor(None)
    assert relevance.strength(floor) == "strong" and relevance.strength(floor + 0.2) == "strong"
    assert relevance.strength(floor - 0.001) == "possible" and relevance.strength(-0.1) == "possible"


@pytest.mark.parametrize(
    ("query", "band"),
    [
        ("bus lanes", "short"),
        ("alerta de enchentes", "short"),
        ("智慧停车", "short"),
        ("ระบบเตือนภัยน้ำท่วม", "short"),
        ("Снижение пробок в центре города", "sentence"),
        (BUS_TEXT, "sentence"),
        ("如何在市中心减少交通拥堵并让公交车优先通行以缩短乘客的出行时间", "sentence"),
        (" ".join([BUS_TEXT] * 4), "long"),
        ("公交车优先通行" * 12, "long"),
    ],
)
def test_the_floor_is_read_from_the_query_length_in_any_script(query: str, band: str) -> None:
    assert relevance.band(query) == band
    score = relevance.STRONG_MATCH_SCORES[band]  # type: ignore[index]
    assert relevance.strength(score, query) == "strong"
    assert relevance.strength(score - 0.001, query) == "possible"


def test_a_short_query_has_its_own_floor() -> None:
    short, sentence = relevance.STRONG_MATCH_SCORES["short"], relevance.STRONG_MATCH_SCORES["sentence"]
    assert short != sentence  # otherwise the bands would not be worth having
    between = (short + sentence) / 2
    assert relevance.strength(between, "bus lanes") != relevance.strength(between, BUS_TEXT)


def test_relevant_hit_is_strong_unrelated_one_possible(corpus: dict[str, Practice], kazan_officer: Any) -> None:
    results = {r.practice.pk: r for r in search.search(kazan_officer, BUS_TEXT)}
    bus, library = results[corpus["bus"].pk], results[corpus["library"].pk]
    assert bus.score >= relevance.floor(BUS_TEXT) and bus.strength == "strong"
    assert library.score < relevance.floor(BUS_TEXT) and library.strength == "possible"


def test_labels_move_with_the_threshold(
    corpus: dict[str, Practice], kazan_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(relevance.STRONG_MATCH_SCORES, "sentence", 5.0)  # nothing can reach it: a count, not a top-k
    assert {r.strength for r in search.search(kazan_officer, BUS_TEXT)} == {"possible"}
    monkeypatch.setitem(relevance.STRONG_MATCH_SCORES, "sentence", -5.0)
    assert {r.strength for r in search.search(kazan_officer, BUS_TEXT)} == {"strong"}


def test_search_page_counts_folds_and_explains(corpus: dict[str, Practice], client: Any) -> None:
    html = client.get("/en/matching/", {"q": BUS_TEXT}).content.decode()
    assert "1 strong match" in html and "1 possible match" in html and "strong matches" not in html
    strong_part, _sep, possible_part = html.partition('<details class="possible-matches">')
    assert f'data-practice="{corpus["bus"].pk}"' in strong_part
    assert f'data-practice="{corpus["library"].pk}"' in possible_part.split("</details>")[0]  # folded
    why = html.split('<details class="why">')[1].split("</details>")[0]
    assert "**" not in why and "<b>" not in why  # Markdown rendered to plain text, raw HTML escaped or gone
    assert "<mark>bus</mark>" in why and "<mark>lanes</mark>" in why
    assert not re.search(r"\d\s*%", html.split("<main")[-1])  # no percentage of any internal score
    assert "Transportation" in why and "SDG 11: Sustainable cities and communities" in why
    assert "Bus travel time" in html and "42" in html and "28" in html  # one key result with its numbers
    assert 'lang="en" dir="auto"' in why


def test_plural_counts_and_no_strong_match_suggestions(
    corpus: dict[str, Practice], client: Any, publish: Any, sao_paulo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(_practice(sao_paulo, "Bus lanes on avenues", BUS_TEXT))
    html = client.get("/en/matching/", {"q": BUS_TEXT}).content.decode()
    assert "2 strong matches" in html
    monkeypatch.setitem(relevance.STRONG_MATCH_SCORES, "sentence", 5.0)
    html = client.get("/en/matching/", {"q": BUS_TEXT, "sector": "transportation"}).content.decode()
    assert "No strong match" in html and "3 possible matches" not in html and "2 possible matches" in html
    assert 'class="notice no-strong"' in html
    assert "Clear the filters" in html and f'href="?q={BUS_TEXT.replace(" ", "+")}"' in html
    assert 'href="/en/challenges/new/"' in html and 'href="/en/governance/groups/"' in html


def test_sector_and_goal_names_in_the_readers_language(corpus: dict[str, Practice], client: Any) -> None:
    html = client.get("/ru/matching/", {"q": BUS_TEXT}).content.decode()
    why = html.split('<details class="why">')[1].split("</details>")[0]
    assert "Транспорт" in why and "Transportation" not in why
    assert "ЦУР 11: Устойчивые города и населённые пункты" in why
    assert '<option value="11">ЦУР 11: Устойчивые города' in html  # the SDG filter names the goals too
    assert "сильное совпадение" in html.lower()


def test_transfer_fit_and_city_similarity_in_words(
    corpus: dict[str, Practice], client: Any, kazan: Any, kazan_officer: Any
) -> None:
    client.force_login(kazan_officer)
    html = client.get("/en/matching/", {"q": BUS_TEXT}).content.decode()
    why = html.split('<details class="why">')[1].split("</details>")[0]
    assert "your city&#x27;s size (1.2 million people) is within the sizes it worked for" in why
    assert "it worked for cities of at least 500,000 people" in why
    assert "traffic code" in why and "**" not in why  # prerequisites, plain
    assert "How similar the city is to yours" in why


def test_api_labels_and_counts(corpus: dict[str, Practice], client: Any) -> None:
    body = client.get("/api/v1/matching/search", {"q": BUS_TEXT}).json()
    assert body["strong"] == 1 and body["possible"] == 1
    assert [(h["practice_id"], h["strength"]) for h in body["results"]] == [
        (corpus["bus"].pk, "strong"),
        (corpus["library"].pk, "possible"),
    ]
    assert "**" not in body["results"][0]["passage"]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["HitOut"]["properties"]["strength"]["enum"] == ["strong", "possible"]
    assert {"strong", "possible", "results"} <= set(schema["SearchOut"]["properties"])


def test_recommendations_are_labelled_on_the_page_and_api(corpus: dict[str, Practice], client: Any, kazan: Any) -> None:
    challenge = Challenge.objects.create(
        city=kazan,
        language_id="en",
        title="Buses stuck in traffic",
        description=BUS_TEXT,
        status="open",
        is_public=True,
    )
    challenge.sectors.set(Sector.objects.filter(code="transportation"))
    body = client.get(f"/api/v1/matching/recommendations/{challenge.pk}").json()
    assert body["strong"] == 1 and body["practices"][0]["strength"] == "strong"
    assert body["practices"][0]["practice_id"] == corpus["bus"].pk
    html = client.get(f"/en/matching/challenges/{challenge.pk}/").content.decode()
    assert "1 strong match" in html and '<details class="possible-matches">' in html
    assert "Shared sectors: Transportation" in html
    assert not re.search(r"\d\s*%", html.split("<main")[-1])


def test_highlight_escapes_and_marks() -> None:
    out = highlight("Tom & <i>Jerry</i> <script>x()</script> ride **buses** <3", "buses jerry")
    assert "<mark>buses</mark>" in out and "<mark>Jerry</mark>" in out
    assert "&amp;" in out and "&lt;3" in out and "<script>" not in out and "<i>" not in out
    assert "**" not in out
    # Words of one or two letters are not marked; the title the page shows above is not repeated.
    out = highlight("Bus lanes. Bus lanes на улицах и в центре: buses", "автобусы на улицах и buses", title="Bus lanes")
    assert out == "на <mark>улицах</mark> и в центре: <mark>buses</mark>"
    # The query's own markup is text, never HTML.
    assert "<b>" not in highlight("a <b> c", "<b>")


def test_highlight_marks_shared_bigrams_in_chinese_and_thai() -> None:
    marked = highlight("城市交通拥堵问题通过公交专用道解决", "交通拥堵怎么办")
    assert marked == "城市<mark>交通拥堵</mark>问题通过公交专用道解决"  # the shared bigrams, not the whole run
    assert "<mark>" in highlight("การจัดการขยะในเมือง", "จัดการขยะ")


def test_plain_text_drops_markdown_syntax() -> None:
    text = plain_text("## Results\n\n**Bus lanes** cut *travel* time.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 |")
    assert not set("*#|") & set(text) and "Bus lanes cut travel time." in text
    assert plain_text("cut in half **bold") == "cut in half bold"
