"""The engine behind the product: indexing on publication (signal → task → stored vectors), search with
visibility, cross-lingual finds with the real model, idempotent reindex, alerts that fire once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cityexchange.matching import search, services, store
from cityexchange.matching.embedding import E5Encoder
from cityexchange.matching.models import AlertHit, IndexedDocument
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.model]


class CountingEncoder:
    """The real model, counting how many passages it embeds."""

    def __init__(self) -> None:
        self.inner = E5Encoder()
        self.dim = self.inner.dim
        self.passages = 0

    def query(self, texts: Any) -> Any:
        return self.inner.query(texts)

    def passage(self, texts: Any) -> Any:
        self.passages += len(texts)
        return self.inner.passage(texts)


@pytest.fixture
def encoder() -> Any:
    enc = CountingEncoder()
    store.set_encoder(enc)
    yield enc
    store.set_encoder(None)


@pytest.fixture
def publish(secretariat: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def do(practice: Practice) -> Practice:
        with django_capture_on_commit_callbacks(execute=True):
            practice_services.practice_publish(actor=secretariat, practice=practice)
        return practice

    return do


def _practice(city: Any, lang: str, title: str, summary: str, **kw: Any) -> Practice:
    return PracticeFactory(
        city=city,
        language_id=lang,
        title=title,
        summary=summary,
        problem=kw.pop("problem", summary),
        solution=kw.pop("solution", summary),
        status=Practice.Status.SUBMITTED,
        **kw,
    )


def test_published_practices_are_found_drafts_never(reference, encoder, publish, sao_paulo):
    brt = publish(
        _practice(
            sao_paulo,
            "pt",
            "Corredores exclusivos de ônibus (BRT)",
            "Faixas exclusivas reduziram o tempo de viagem dos ônibus em 30 %.",
        )
    )
    draft = PracticeFactory(
        city=sao_paulo,
        language_id="en",
        title="Secret bus lane plan",
        summary="Dedicated bus lanes draft",
        status=Practice.Status.DRAFT,
    )
    ids = [r.practice.pk for r in search.search(None, "bus lanes", k=10)]
    assert brt.pk in ids and draft.pk not in ids
    assert IndexedDocument.objects.filter(key=f"practice:{brt.pk}", active=True).exists()
    assert not IndexedDocument.objects.filter(key=f"practice:{draft.pk}").exists()


def test_archived_practice_leaves_the_index(
    reference, encoder, publish, sao_paulo, secretariat, django_capture_on_commit_callbacks
):
    p = publish(_practice(sao_paulo, "pt", "Tarifa zero nos ônibus", "Ônibus gratuitos aos domingos."))
    assert p.pk in [r.practice.pk for r in search.search(None, "ônibus gratuitos")]
    with django_capture_on_commit_callbacks(execute=True):
        practice_services.practice_archive(actor=secretariat, practice=p)
    store.reset()
    assert p.pk not in [r.practice.pk for r in search.search(None, "ônibus gratuitos")]
    assert IndexedDocument.objects.get(key=f"practice:{p.pk}").active is False


def test_cross_lingual_russian_finds_portuguese_and_hindi_finds_chinese(reference, encoder, publish, sao_paulo):
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=22_000_000, latitude=31.2)
    brt = publish(
        _practice(
            sao_paulo,
            "pt",
            "Corredores exclusivos de ônibus",
            "Faixas exclusivas para ônibus reduziram o tempo de deslocamento em 30 % na hora de pico.",
        )
    )
    waste = publish(
        _practice(
            shanghai,
            "zh",
            "生活垃圾分类与智能回收箱",
            "居民将垃圾分为四类，智能回收箱自动称重并奖励积分，填埋量下降了40%。",
        )
    )
    publish(_practice(shanghai, "zh", "社区老年人日间照料中心", "为老年人提供日间照料、餐食和康复服务。"))
    publish(_practice(sao_paulo, "pt", "Bibliotecas públicas digitais", "Empréstimo de livros eletrônicos para todos."))
    store.reset()
    ru = search.search(None, "автобусы стоят в пробках, общественный транспорт медленный", k=3)
    assert ru[0].practice.pk == brt.pk
    hi = search.search(None, "कचरा प्रबंधन और रीसाइक्लिंग", k=3)
    assert hi[0].practice.pk == waste.pk
    assert hi[0].passage  # the matched passage is shown as the explanation


def test_filters_apply(reference, encoder, publish, sao_paulo, kazan):
    a = publish(_practice(sao_paulo, "pt", "Ônibus elétricos", "Frota de ônibus elétricos.", maturity="scaled"))
    b = publish(_practice(kazan, "ru", "Электробусы", "Городской парк электробусов.", maturity="pilot"))
    got = [r.practice.pk for r in search.search(None, "electric buses", filters={"country": "RU"})]
    assert got == [b.pk]
    got = [r.practice.pk for r in search.search(None, "electric buses", filters={"maturity": "scaled"})]
    assert got == [a.pk]


def test_reindex_is_idempotent_and_does_not_reencode(reference, encoder, publish, sao_paulo):
    publish(_practice(sao_paulo, "pt", "Hortas urbanas", "Hortas comunitárias em terrenos vazios."))
    rows_before = list(IndexedDocument.objects.values_list("key", "fingerprint", "vectors"))
    embedded = encoder.passages
    assert store.reindex_all() == (1, 0)
    assert store.reindex_all() == (1, 0)
    assert encoder.passages == embedded
    assert [(k, f, bytes(v)) for k, f, v in IndexedDocument.objects.values_list("key", "fingerprint", "vectors")] == [
        (k, f, bytes(v)) for k, f, v in rows_before
    ]


def test_alert_fires_once(
    reference, encoder, publish, sao_paulo, kazan, kazan_officer, django_capture_on_commit_callbacks
):
    alert = services.alert_create(actor=kazan_officer, city=kazan, query="dedicated bus lanes")
    p = publish(_practice(sao_paulo, "pt", "Corredores exclusivos de ônibus", "Faixas exclusivas para ônibus."))
    assert list(AlertHit.objects.filter(alert=alert).values_list("practice_id", flat=True)) == [p.pk]
    assert any(kazan_officer.email in m.to for m in mail.outbox)
    sent = len(mail.outbox)
    # Re-indexing the same practice (an edit, a reindex) does not fire again.
    from cityexchange.matching.tasks import index_practice

    with django_capture_on_commit_callbacks(execute=True):
        index_practice.enqueue(practice_id=p.pk)
    assert AlertHit.objects.filter(alert=alert).count() == 1 and len(mail.outbox) == sent


def test_own_city_practices_do_not_alert(reference, encoder, publish, kazan, kazan_officer):
    services.alert_create(actor=kazan_officer, city=kazan, query="электробусы")
    publish(_practice(kazan, "ru", "Электробусы", "Городской парк электробусов."))
    assert not AlertHit.objects.exists()


def test_recommendations_exclude_own_city_and_explain_fit(reference, encoder, publish, sao_paulo, kazan, kazan_officer):
    from cityexchange.challenges.models import Challenge

    publish(_practice(kazan, "ru", "Выделенные полосы для автобусов", "Автобусы быстрее на 25 %."))
    theirs = publish(
        _practice(sao_paulo, "pt", "Corredores de ônibus", "Faixas exclusivas para ônibus.", min_population=500_000)
    )
    challenge = Challenge.objects.create(
        city=kazan,
        language_id="en",
        title="Buses stuck in traffic",
        description="Our buses are slow in traffic jams.",
        status="open",
        is_public=True,
    )
    results = search.recommend_for_challenge(kazan_officer, challenge)
    assert [r.practice.pk for r in results] == [theirs.pk]
    assert results[0].fit is not None and any(r.code == "size_in_range" for r in results[0].fit.reasons)


def test_cities_like_mine(reference, kazan):
    ufa = MemberCityFactory(name="Ufa", country_id="RU", population=1_100_000, latitude=54.7, longitude=55.9)
    far = MemberCityFactory(name="Tiny tropical", country_id="BR", population=20_000, latitude=-3.0, longitude=-60.0)
    ranked = [c.pk for c, _s in search.cities_like(kazan)]
    assert ranked.index(ufa.pk) < ranked.index(far.pk)


def test_alert_permissions(reference, kazan, sao_paulo, kazan_officer):
    from cityexchange.core.errors import InvalidInput, PermissionDenied

    with pytest.raises(PermissionDenied):
        services.alert_create(actor=kazan_officer, city=sao_paulo, query="x")
    with pytest.raises(InvalidInput) as err:
        services.alert_create(actor=kazan_officer, city=kazan, query=" ")
    assert err.value.field == "query"
    stranger = CityRoleFactory().user
    with pytest.raises(PermissionDenied):
        services.alert_create(actor=stranger, city=kazan, query="buses")
