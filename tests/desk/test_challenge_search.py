"""A challenge's translations approved on the desk count wherever the challenge's text is matched, as a practice's
do: its recommendations search each translation as another query, and the challenge list finds it by their words.
Once a Chinese translation of a Hindi challenge is approved, a Chinese practice that answers it ranks first among
its recommendations (with the deterministic trigram encoder, Hindi does not reach Chinese by meaning: only the
translation can)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from cityexchange.challenges.models import Challenge
from cityexchange.desk import services
from cityexchange.matching import search, store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Practice
from tests.challenges.factories import ChallengeFactory
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory

pytestmark = pytest.mark.django_db

HINDI = {
    "title": "घरेलू कचरे का पृथक्करण",
    "description": "मिश्रित घरेलू कचरा सीधे लैंडफिल में जाता है; हमें कचरे को अलग करने और रीसाइक्लिंग की व्यवस्था चाहिए।",
    "desired_outcome": "लैंडफिल में जाने वाला कचरा आधा हो।",
}
CHINESE = {
    "title": "生活垃圾分类",
    "description": "混合生活垃圾直接进入填埋场；我们需要生活垃圾分类和智能回收箱。",
    "desired_outcome": "填埋量减少一半。",
}


@pytest.fixture
def encoder() -> Any:
    cache.clear()  # query embeddings are cached by encoder class and text
    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture
def world(reference: None, secretariat: Any, encoder: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    capture = django_capture_on_commit_callbacks
    bengaluru = MemberCityFactory(name="Bengaluru", country_id="IN", population=8_400_000, latitude=12.97)
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=22_000_000, latitude=31.2)
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_100_000, latitude=18.5)

    def published(city: Any, lang: str, title: str, summary: str) -> Practice:
        p = PracticeFactory(
            city=city,
            language_id=lang,
            title=title,
            summary=summary,
            problem=summary,
            solution=summary,
            status=Practice.Status.SUBMITTED,
        )
        with capture(execute=True):
            practice_services.practice_publish(actor=secretariat, practice=p)
        return p

    waste = published(
        shanghai,
        "zh",
        "生活垃圾分类与智能回收箱",
        "居民将生活垃圾分为四类，智能回收箱自动称重并奖励积分，填埋量下降了40%。",
    )
    # Hindi practices sharing some of the challenge's words, so the Chinese one does not lead before translation.
    published(pune, "hi", "नालों से कचरा हटाने का अभियान", "बरसात से पहले नालों से कचरा और गाद हटाई गई।")
    published(pune, "hi", "घरेलू पानी की बचत", "घरेलू पानी के मीटर लगाए गए और रिसाव की मरम्मत की गई।")
    with capture(execute=True):
        challenge = ChallengeFactory(
            city=bengaluru, language_id="hi", is_public=True, status=Challenge.Status.OPEN, **HINDI
        )
        store.index_challenge(challenge.pk)
    return {
        "challenge": challenge,
        "waste": waste,
        "translator": CityRoleFactory(city=shanghai, role="officer").user,
        "owner": CityRoleFactory(city=bengaluru, role="coordinator").user,
        "capture": capture,
    }


def _rank(challenge: Challenge, practice: Practice) -> int:
    store.reset()  # read the index back from the database, as a fresh process would
    fresh = Challenge.objects.get(pk=challenge.pk)
    ids = [r.practice.pk for r in search.recommend_for_challenge(None, fresh, k=10)]
    return ids.index(practice.pk) if practice.pk in ids else len(ids)


def _approve_chinese(world: dict[str, Any]) -> None:
    version = services.translation_submit(
        actor=world["translator"], item=world["challenge"], language="zh", data=CHINESE
    )
    with world["capture"](execute=True):  # approval re-indexes the challenge's queries after commit
        services.translation_approve(actor=world["owner"], version=version)


def test_a_chinese_practice_ranks_first_once_the_challenges_chinese_translation_is_approved(world):
    before = _rank(world["challenge"], world["waste"])
    assert before > 0
    _approve_chinese(world)
    assert _rank(world["challenge"], world["waste"]) == 0


def test_the_stored_queries_follow_the_approved_translations(world):
    from cityexchange.matching.models import IndexedDocument

    key = store.challenge_key(world["challenge"].pk)
    assert len(store.challenge_queries(world["challenge"])) == 1
    _approve_chinese(world)
    queries = store.challenge_queries(Challenge.objects.get(pk=world["challenge"].pk))
    assert [lang for lang, _text, _vector in queries] == ["hi", "zh"]
    # Stored by the indexing task: two rows, the pages never run the model.
    from cityexchange.matching.engine import unpack_vectors

    row = IndexedDocument.objects.get(key=key)
    assert len(unpack_vectors(bytes(row.vectors))) == 2


def test_the_challenge_list_finds_a_challenge_by_its_approved_translation(client, world):
    link = f"/challenges/{world['challenge'].pk}/"
    assert link not in client.get("/en/challenges/?q=智能回收箱").content.decode()
    _approve_chinese(world)
    assert link in client.get("/en/challenges/?q=智能回收箱").content.decode()
