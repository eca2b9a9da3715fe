"""The desk's demo: translations in several directions (none into English), requests, idempotent reruns."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest

from cityexchange.accounts.models import CityRole
from cityexchange.challenges.models import ChallengeTranslation
from cityexchange.desk import demo
from cityexchange.desk.models import TranslationRequest, TranslationVersion
from cityexchange.practices.models import Indicator, Practice, PracticeTranslation
from tests.challenges.factories import ChallengeFactory
from tests.practices.factories import PracticeFactory
from tests.registry.factories import MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db
PRACTICES = Path(demo.__file__).parent.parent / "practices" / "data" / "demo_practices.json"
CHALLENGES = Path(demo.__file__).parent.parent / "challenges" / "data" / "demo_challenges.json"
CHALLENGE_OWNERS = {"demo-c-018": "bengaluru", "demo-c-010": "saopaulo"}
OWNERS = {
    "demo-p-027": "saopaulo",
    "demo-p-039": "shanghai",
    "demo-p-004": "kazan",
    "demo-p-003": "kazan",
    "demo-p-001": "kazan",
}
SCRIPT = {"ru": "CYRILLIC", "hi": "DEVANAGARI", "ar": "ARABIC", "pt": "LATIN", "zh": "CJK"}


@pytest.fixture
def demo_world(reference):
    data = json.loads(demo.DATA.read_text(encoding="utf-8"))
    emails = set(data["languages"])
    for item in data["translations"] + data["requests"]:
        emails.update(item["asked_by"])
        emails.update(e for e in (item.get("translator"), item.get("reviewer")) if e)
    cities = {}
    for email in sorted(emails):
        role, slug = email.split("@")[0].split(".")
        city = cities.setdefault(slug, MemberCityFactory(name=slug.title()))
        CityRole.objects.create(user=UserFactory(email=email), city=city, role=role)
    rows = {r["external_id"]: r for r in json.loads(PRACTICES.read_text(encoding="utf-8"))}
    for external_id, slug in OWNERS.items():
        row = rows[external_id]
        p = PracticeFactory(
            external_id=external_id,
            city=cities[slug],
            language_id=row["language"],
            status=Practice.Status.PUBLISHED,
            **{k: row[k] for k in ("title", "summary", "problem", "solution", "results_text")},
        )
        for i, ind in enumerate(row["indicators"]):
            Indicator.objects.create(practice=p, position=i, name=ind["name"], achieved=ind["achieved"])
    rows = {r["external_id"]: r for r in json.loads(CHALLENGES.read_text(encoding="utf-8"))}
    for external_id, slug in CHALLENGE_OWNERS.items():
        row = rows[external_id]
        ChallengeFactory(
            external_id=external_id,
            city=cities.setdefault(slug, MemberCityFactory(name=slug.title())),
            language_id=row["language"],
            is_public=True,
            **{k: row[k] for k in ("title", "description", "desired_outcome")},
        )
    return data


def _share(text: str, script: str) -> float:
    """The share of letters in `script` (names such as SPTrans or BRT stay in Latin letters)."""
    letters = [unicodedata.name(c).split()[0] for c in text if c.isalpha()]
    return letters.count(script) / len(letters)


def test_demo_translates_in_several_directions_and_reruns_change_nothing(demo_world):
    demo.load(io.StringIO())
    approved = {
        (t.practice.external_id, t.language_id): t
        for t in PracticeTranslation.objects.filter(approved_at__isnull=False).select_related("practice")
    }
    assert set(approved) == {("demo-p-027", "ru"), ("demo-p-039", "hi"), ("demo-p-004", "ar")}
    for (external_id, lang), t in approved.items():
        assert _share(t.title + t.summary + t.solution, SCRIPT[lang]) > 0.9, (external_id, lang)
        assert len(t.indicator_names) == t.practice.indicators.count()
        assert t.translated_for is not None and t.translated_for != t.practice.city  # a peer city translated
    [challenge] = ChallengeTranslation.objects.select_related("challenge")
    assert (challenge.challenge.external_id, challenge.language_id) == ("demo-c-018", "zh")
    assert _share(challenge.title + challenge.description, "CJK") > 0.9
    assert challenge.translated_for is not None and challenge.translated_for != challenge.challenge.city
    waiting = TranslationVersion.objects.get(status=TranslationVersion.Status.SUBMITTED)
    assert (waiting.practice.external_id, waiting.language_id) == ("demo-p-003", "pt")
    assert TranslationRequest.objects.filter(fulfilled_at__isnull=True).values("language_id").distinct().count() >= 5
    counts = (
        TranslationRequest.objects.count(),
        TranslationVersion.objects.count(),
        PracticeTranslation.objects.count(),
        ChallengeTranslation.objects.count(),
    )
    out = io.StringIO()
    demo.load(out)
    assert (
        TranslationRequest.objects.count(),
        TranslationVersion.objects.count(),
        PracticeTranslation.objects.count(),
        ChallengeTranslation.objects.count(),
    ) == counts
    assert "0 new requests" in out.getvalue()
