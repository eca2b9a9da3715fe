"""Requests of the matching engine stay bounded, and a distinctive term finds what names it.

- A 60,000-character public challenge: its recommendations (page and API) answer in under a second, because the
  challenge's query embedding is computed when it is indexed, never on a view. The first test runs in both passes
  with the small test encoder and checks that a view embeds nothing at all; the second measures the same with the
  real model (SQLite pass only, like every `model` test).
- A query naming a programme ("Bolsa Verde") or a code ("BRT-NX7") ranks the practices that contain it first, above
  practices that are only about the same subject. It needs the real model to mean anything, so it is a `model` test
  (SQLite pass only; the PostgreSQL back end fuses the same scores and is covered by the other back-end tests).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from cityexchange.challenges import services as challenge_services
from cityexchange.challenges.models import Challenge
from cityexchange.matching import store
from cityexchange.matching.embedding import DIM, E5Encoder, HashingEncoder
from cityexchange.matching.models import IndexedDocument
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import MemberCityFactory

pytestmark = pytest.mark.django_db

ANSWER_SECONDS = 1.0
CHALLENGE_CHARS = 60_000

SUBJECTS = [
    ("Corredores exclusivos de ônibus", "Faixas exclusivas reduziram o tempo de viagem dos ônibus em 30 %.", "pt"),
    ("Выделенные полосы для автобусов", "Автобусы стали ходить быстрее на 25 % в час пик.", "ru"),
    ("公交专用道网络", "公交专用道使高峰时段公交速度提高了百分之二十。", "zh"),
    ("Flood early warning by SMS", "River gauges send flood warnings to every phone in the district.", "en"),
    ("Hortas comunitárias", "Terrenos vazios viraram hortas cuidadas pelos vizinhos.", "pt"),
    ("Умное уличное освещение", "Светодиодные фонари с датчиками сократили расход энергии вдвое.", "ru"),
    ("智能垃圾分类回收箱", "居民将垃圾分为四类，回收箱自动称重并奖励积分。", "zh"),
    ("Solar rooftops on schools", "Panels on 120 school roofs cover their daytime electricity.", "en"),
]


class RecordingEncoder:
    """Wraps an encoder and records the texts it is asked to embed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.dim = inner.dim
        self.name = getattr(inner, "name", None)
        self.texts: list[str] = []

    def query(self, texts: Sequence[str]) -> Any:
        self.texts.extend(texts)
        return self.inner.query(texts)

    def passage(self, texts: Sequence[str]) -> Any:
        self.texts.extend(texts)
        return self.inner.passage(texts)


def _use(inner: Any) -> Iterator[RecordingEncoder]:
    enc = RecordingEncoder(inner)
    store.set_encoder(enc)
    yield enc
    store.set_encoder(None)


@pytest.fixture
def test_encoder() -> Iterator[RecordingEncoder]:
    yield from _use(HashingEncoder(dim=DIM))


@pytest.fixture
def model_encoder() -> Iterator[RecordingEncoder]:
    yield from _use(E5Encoder())


def _publish(city: Any, title: str, summary: str, lang: str, text: str = "") -> Practice:
    practice = PracticeFactory(
        city=city,
        language_id=lang,
        title=title,
        summary=summary,
        problem=text or summary,
        solution=text or summary,
        status=Practice.Status.PUBLISHED,
    )
    assert store.index_practice(practice.pk)
    return practice


def _long_challenge(city: Any, officer: Any, capture: Any) -> Challenge:
    """A public challenge of 60,000 characters, created through the service (which has it indexed)."""
    paragraph = (
        "Our buses are stuck in traffic jams for most of the morning peak, passengers wait twenty minutes at stops "
        "in the cold, and the depot cannot add vehicles without new drivers. "
    )
    block = (paragraph * (20_000 // len(paragraph) + 1))[:20_000]
    doc = {
        "language": "en",
        "title": "Slow buses in the city centre",
        "description": block,
        "desired_outcome": block,
        "sectors": ["transportation"],
        "constraints": {"budget": "Two million dollars", "timeframe": "Two years", "conditions": block},
        "is_public": True,
    }
    with capture(execute=True):
        challenge = challenge_services.challenge_create(actor=officer, city=city, data=doc)
    fields = ("title", "description", "desired_outcome", "budget", "timeframe", "conditions")
    assert sum(len(getattr(challenge, f)) for f in fields) >= CHALLENGE_CHARS
    return challenge


def _timed_get(client: Any, url: str) -> tuple[Any, float]:
    start = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - start


def _recommendations_answer_quickly(client: Any, challenge: Challenge, expected: set[int]) -> None:
    client.get("/en/")  # the process's first request (URL resolver, templates) is not what is measured
    page, page_took = _timed_get(client, f"/en/matching/challenges/{challenge.pk}/")
    api, api_took = _timed_get(client, f"/api/v1/matching/recommendations/{challenge.pk}")
    assert page.status_code == 200 and api.status_code == 200
    assert {h["practice_id"] for h in api.json()["practices"]} & expected
    assert page_took < ANSWER_SECONDS and api_took < ANSWER_SECONDS, (page_took, api_took)


def test_long_challenge_recommendations_embed_nothing_per_view(
    client, test_encoder, kazan, kazan_officer, sao_paulo, django_capture_on_commit_callbacks
):
    practices = {_publish(sao_paulo, title, summary, lang).pk for title, summary, lang in SUBJECTS}
    challenge = _long_challenge(kazan, kazan_officer, django_capture_on_commit_callbacks)
    assert IndexedDocument.objects.filter(key=store.challenge_key(challenge.pk)).exists()
    embedded = len(test_encoder.texts)
    _recommendations_answer_quickly(client, challenge, practices)
    assert len(test_encoder.texts) == embedded  # the stored query embedding was used: no model run on a view


def test_long_challenge_not_yet_indexed_embeds_a_capped_query(client, test_encoder, kazan, sao_paulo):
    """A challenge whose embedding is not stored yet (its task still queued) costs one bounded query embedding."""
    practices = {_publish(sao_paulo, title, summary, lang).pk for title, summary, lang in SUBJECTS}
    paragraph = "Buses are slow in the morning traffic and passengers wait too long at the stops. "
    challenge = Challenge.objects.create(  # written directly: no task, no stored embedding
        city=kazan,
        language_id="en",
        title="Slow buses",
        description=(paragraph * 300)[:20_000],
        desired_outcome=(paragraph * 300)[:20_000],
        conditions=(paragraph * 300)[:20_000],
        status="open",
        is_public=True,
    )
    assert not IndexedDocument.objects.filter(key=store.challenge_key(challenge.pk)).exists()
    client.get(f"/api/v1/matching/recommendations/{challenge.pk}")
    assert test_encoder.texts and max(len(t) for t in test_encoder.texts) <= store.MAX_QUERY_CHARS
    _recommendations_answer_quickly(client, challenge, practices)


@pytest.mark.model
def test_long_challenge_recommendations_answer_within_a_second_with_the_model(
    client, model_encoder, kazan, kazan_officer, sao_paulo, django_capture_on_commit_callbacks
):
    practices = {_publish(sao_paulo, title, summary, lang).pk for title, summary, lang in SUBJECTS}
    challenge = _long_challenge(kazan, kazan_officer, django_capture_on_commit_callbacks)
    embedded = len(model_encoder.texts)
    _recommendations_answer_quickly(client, challenge, practices)
    assert len(model_encoder.texts) == embedded


@pytest.mark.model
def test_distinctive_terms_rank_the_practices_that_contain_them_first(client, model_encoder, sao_paulo, reference):
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_100_000, latitude=18.5)
    for title, summary, lang in SUBJECTS:
        _publish(sao_paulo, title, summary, lang)
    # Same subjects as the practices that name the terms, without the terms.
    _publish(
        sao_paulo,
        "Bolsa Família urbana",
        "Transferência de renda para famílias pobres das periferias, paga por cartão.",
        "pt",
    )
    _publish(
        pune,
        "Green cash transfers for forest families",
        "Families living near forests receive a quarterly payment for keeping the tree cover intact.",
        "en",
    )
    _publish(pune, "BRT Rainbow corridors", "Pune's BRT lines run in median lanes with level boarding.", "en")
    _publish(sao_paulo, "Expresso Tiradentes BRT", "Um corredor BRT elevado liga o centro à zona leste.", "pt")
    bolsa_pt = _publish(
        sao_paulo,
        "Pagamento por serviços ambientais",
        "O programa Bolsa Verde paga às famílias extrativistas que conservam a floresta.",
        "pt",
    )
    bolsa_en = _publish(
        pune,
        "Paying farmers to keep wetlands",
        "Modelled on Brazil's Bolsa Verde, the scheme pays farmers who restore wetlands on their land.",
        "en",
    )
    nx7 = _publish(
        pune,
        "Night express line",
        "The BRT-NX7 night express links the railway station with the IT parks every ten minutes after midnight.",
        "en",
    )

    def top(query: str, n: int) -> set[int]:
        response = client.get("/api/v1/matching/search", {"q": query, "k": 10})
        assert response.status_code == 200
        return {h["practice_id"] for h in response.json()["results"][:n]}

    assert top("Bolsa Verde", 2) == {bolsa_pt.pk, bolsa_en.pk}
    assert top("how does the Bolsa Verde programme pay families?", 2) == {bolsa_pt.pk, bolsa_en.pk}
    assert top("BRT-NX7", 1) == {nx7.pk}
    assert top("BRT-NX7 timetable", 1) == {nx7.pk}
