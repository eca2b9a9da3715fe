"""Approved translations are searched as extra passages of their practice: once a Hindi translation of a Chinese
practice is approved, a Hindi query ranks that practice higher than before.

Run with the deterministic trigram encoder (fast, no model) and with the real multilingual model (marker `model`),
where Hindi already reaches Chinese across languages, so "higher" is measured against Hindi practices that share
the query's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from cityexchange.desk import services
from cityexchange.matching import search, store
from cityexchange.matching.embedding import E5Encoder, HashingEncoder
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Indicator, Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory

pytestmark = pytest.mark.django_db

QUERY = "स्मार्ट डिब्बों से घरेलू कचरे का पृथक्करण और रीसाइक्लिंग"
HINDI = {
    "title": "घरेलू कचरे का पृथक्करण और स्मार्ट रीसाइक्लिंग डिब्बे",
    "summary": (
        "निवासी घरेलू कचरे को चार श्रेणियों में अलग करते हैं; स्मार्ट रीसाइक्लिंग डिब्बे कचरे को अपने-आप तौलते हैं "
        "और अंक देते हैं। लैंडफिल में जाने वाला कचरा 40% घट गया।"
    ),
    "problem": "मिश्रित कचरा सीधे लैंडफिल में जाता था और लैंडफिल तेज़ी से भर रहे थे।",
    "solution": (
        "हर आवासीय परिसर में चार रंगों के डिब्बे और स्मार्ट रीसाइक्लिंग डिब्बे लगाए गए, जो कचरे को तौलकर "
        "निवासियों को अंक देते हैं; अंक दुकानों में भुनाए जा सकते हैं।"
    ),
    "results_text": "दो वर्षों में लैंडफिल में जाने वाला कचरा 40% कम हुआ।",
    "indicator_names": ["लैंडफिल में जाने वाला कचरा"],
}


@pytest.fixture(params=["trigram", pytest.param("model", marks=pytest.mark.model)])
def encoder(request: Any) -> Any:
    cache.clear()  # query embeddings are cached by encoder class and text; another encoder's must not answer
    store.set_encoder(HashingEncoder(dim=384) if request.param == "trigram" else E5Encoder())
    yield request.param
    store.set_encoder(None)


def _published(city: Any, lang: str, title: str, summary: str, secretariat: Any, capture: Any) -> Practice:
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


def _rank(practice: Practice) -> int:
    store.reset()  # read the index back from the database, as a fresh process would
    ids = [r.practice.pk for r in search.search(None, QUERY, k=20)]
    return ids.index(practice.pk) if practice.pk in ids else len(ids)


def test_hindi_query_ranks_a_chinese_practice_higher_once_its_hindi_translation_is_approved(
    encoder, reference, secretariat, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=22_000_000, latitude=31.2)
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_100_000, latitude=18.5)
    waste = _published(
        shanghai,
        "zh",
        "生活垃圾分类与智能回收箱",
        "居民将生活垃圾分为四类，智能回收箱自动称重并奖励积分，填埋量下降了40%。",
        secretariat,
        capture,
    )
    Indicator.objects.create(practice=waste, name="填埋量", achieved=60)
    # Hindi practices that share some of the query's words, so the Chinese one does not lead before translation.
    _published(
        pune, "hi", "नालों से कचरा हटाने का अभियान", "बरसात से पहले नालों से कचरा और गाद हटाई गई।", secretariat, capture
    )
    _published(
        pune, "hi", "स्मार्ट सार्वजनिक शौचालय", "स्मार्ट सेंसर से सार्वजनिक शौचालयों की सफ़ाई की निगरानी।", secretariat, capture
    )
    before = _rank(waste)
    assert before > 0

    translator = CityRoleFactory(city=pune, role="officer").user
    owner = CityRoleFactory(city=shanghai, role="coordinator").user
    version = services.translation_submit(actor=translator, item=waste, language="hi", data=HINDI)
    with capture(execute=True):  # approval re-indexes the practice after commit
        services.translation_approve(actor=owner, version=version)

    after = _rank(waste)
    assert after < before
    assert after == 0
