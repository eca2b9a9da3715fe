"""Suggested meetings come from what the engine can explain — a strong challenge ↔ practice match, stored by the
indexing tasks — and from shared working groups; each is shown with its reason in words. A shared sector alone
is no reason. The small deterministic encoder stands in for the model (what is tested is the plumbing, not the
model's judgement)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from cityexchange.challenges import services as challenge_services
from cityexchange.forum.suggestions import suggestions_for
from cityexchange.governance.models import GroupMember, WorkingGroup
from cityexchange.matching import store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.models import ChallengeMatch
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Practice
from cityexchange.registry.models import MembershipApplication, Sector
from tests.challenges.factories import challenge_doc
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory
from tests.practices.factories import PracticeFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

PEAK = "Electricity demand peaks on winter evenings overload the district substations."
RADAR = "Satellite radar measures land subsidence of a few millimetres a year under the old town."
FLOODS = "Heavy summer rain floods the streets of the city centre every year."
DRAINS = "Green drainage and rain gardens keep the streets of the city centre dry after heavy summer rain."


@pytest.fixture
def encoder() -> Any:
    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture
def world(encoder: Any, secretariat: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Publishing and stating go through the services, so the indexing tasks store the matches."""

    def publish(city: Any, title: str, body: str, sectors: list[str]) -> Practice:
        p = PracticeFactory(
            city=city, language_id="en", title=title, summary=body, problem=body, solution=body,
            status=Practice.Status.SUBMITTED, sectors=sectors,
        )  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            practice_services.practice_publish(actor=secretariat, practice=p)
        return p

    def state(actor: Any, city: Any, title: str, body: str, sectors: list[str]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return challenge_services.challenge_create(
                actor=actor, city=city,
                data=challenge_doc(language="en", title=title, description=body, desired_outcome="",
                                   sectors=sectors, is_public=True),
            )  # fmt: skip

    return publish, state


def _sectors(city: Any, *codes: str) -> None:
    app = MembershipApplication.objects.create(
        city=city, applicant=UserFactory(), letter="x", contact_name="x", contact_email="x@example.org",
        status="approved",
    )  # fmt: skip
    app.priority_sectors.set(Sector.objects.filter(code__in=codes))


def test_an_unrelated_pair_is_not_suggested_even_with_shared_sectors(
    world: Any, kazan: Any, sao_paulo: Any, kazan_delegate: Any, sao_paulo_delegate: Any, kazan_officer: Any
) -> None:
    publish, state = world
    state(kazan_officer, kazan, "Evening electricity peaks", PEAK, ["energy", "urban-management"])
    publish(sao_paulo, "Land subsidence radar", RADAR, ["urban-management", "energy"])
    _sectors(kazan, "energy", "urban-management")
    _sectors(sao_paulo, "energy", "urban-management")
    assert not ChallengeMatch.objects.exists()
    assert suggestions_for(kazan_delegate, user=kazan_officer) == []
    assert suggestions_for(sao_paulo_delegate, user=sao_paulo_delegate.user) == []


def test_a_matched_pair_is_suggested_with_its_reason_in_words(
    world: Any,
    client: Any,
    event: Any,
    kazan: Any,
    sao_paulo: Any,
    kazan_delegate: Any,
    sao_paulo_delegate: Any,
    kazan_officer: Any,
) -> None:
    publish, state = world
    challenge = state(kazan_officer, kazan, "Flooded streets in the centre", FLOODS, ["water"])
    practice = publish(sao_paulo, "Rain gardens against street floods", DRAINS, ["urban-management"])
    publish(sao_paulo, "Land subsidence radar", RADAR, ["water"])
    assert list(ChallengeMatch.objects.values_list("challenge_id", "practice_id")) == [(challenge.pk, practice.pk)]
    # The page reads stored matches: a request never runs the model.
    store.set_encoder(None)
    store._encoder = _Refusing()  # type: ignore[assignment]
    found = suggestions_for(kazan_delegate, user=kazan_officer)
    assert [s.target for s in found] == [sao_paulo_delegate]
    (reason,) = found[0].reasons
    assert reason.kind == "challenge" and "«Flooded streets in the centre»" in reason.text
    assert "«Rain gardens against street floods» is a strong match" in reason.text
    assert reason.text.startswith("Kazan") and "São Paulo" in reason.text
    assert found[0].topic == practice.title
    # The other side sees it too: their practice answers our challenge.
    (theirs,) = suggestions_for(sao_paulo_delegate, user=sao_paulo_delegate.user)
    assert theirs.target == kazan_delegate and "Flooded streets" in theirs.reasons[0].text
    client.force_login(kazan_officer)
    html = client.get(f"/en/forum/{event.slug}/delegates/").content.decode()
    assert f'data-suggestion="{sao_paulo_delegate.pk}"' in html and 'data-reason="challenge"' in html
    assert '<bdi lang="en" dir="auto">Flooded streets in the centre</bdi>' in html
    body = client.get(f"/api/v1/forum/events/{event.pk}/suggestions").json()
    assert [s["target_id"] for s in body] == [sao_paulo_delegate.pk]
    assert body[0]["reasons"] == [reason.text]
    # Asked already: no longer suggested.
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, status="pending")
    assert suggestions_for(kazan_delegate, user=kazan_officer) == []


def test_a_closed_challenge_or_withdrawn_practice_leaves_no_match(
    world: Any, kazan: Any, sao_paulo: Any, kazan_officer: Any, secretariat: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    publish, state = world
    state(kazan_officer, kazan, "Flooded streets in the centre", FLOODS, ["water"])
    practice = publish(sao_paulo, "Rain gardens against street floods", DRAINS, ["water"])
    assert ChallengeMatch.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        practice_services.practice_archive(actor=secretariat, practice=practice)
    assert not ChallengeMatch.objects.exists()


def test_after_a_bulk_load_reindex_stores_the_matches(
    encoder: Any, kazan: Any, sao_paulo: Any, kazan_delegate: Any, sao_paulo_delegate: Any, kazan_officer: Any,
    secretariat: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    from django.core.management import call_command

    from cityexchange.matching.models import IndexedDocument
    from cityexchange.matching.receivers import indexing_deferred
    from tests.challenges.factories import ChallengeFactory

    with indexing_deferred(), django_capture_on_commit_callbacks(execute=True):
        challenge = ChallengeFactory(city=kazan, title="Flooded streets in the centre", description=FLOODS,
                                     is_public=True)  # fmt: skip
        p = PracticeFactory(
            city=sao_paulo, language_id="en", title="Rain gardens", summary=DRAINS, problem=DRAINS, solution=DRAINS,
            status=Practice.Status.SUBMITTED,
        )  # fmt: skip
        practice_services.practice_publish(actor=secretariat, practice=p)
    assert not ChallengeMatch.objects.exists()
    assert suggestions_for(kazan_delegate, user=kazan_officer) == []
    call_command("reindex", stdout=io.StringIO())
    assert list(ChallengeMatch.objects.values_list("challenge_id", "practice_id")) == [(challenge.pk, p.pk)]
    assert IndexedDocument.objects.filter(key=f"challenge:{challenge.pk}").exists()  # its query vector is stored
    assert [s.target for s in suggestions_for(kazan_delegate, user=kazan_officer)] == [sao_paulo_delegate]


def test_working_group_pairs_are_suggested_with_theirs(
    encoder: Any, kazan: Any, sao_paulo: Any, kazan_delegate: Any, sao_paulo_delegate: Any, kazan_officer: Any,
    event: Any,
) -> None:  # fmt: skip
    other = RegistrationFactory(event=event)
    group = WorkingGroup.objects.create(slug="urban-ecology", name="Urban management and ecology")
    lonely = WorkingGroup.objects.create(slug="tourism", name="Tourism")
    joined = dt.date(2025, 1, 1)
    GroupMember.objects.create(group=group, city=kazan, joined_on=joined)
    GroupMember.objects.create(group=group, city=sao_paulo, joined_on=joined)
    GroupMember.objects.create(group=lonely, city=other.city, joined_on=joined)
    GroupMember.objects.create(group=group, city=other.city, joined_on=joined, left_on=dt.date(2025, 6, 1))
    found = suggestions_for(kazan_delegate, user=kazan_officer)
    assert [s.target for s in found] == [sao_paulo_delegate]
    assert [(r.kind, r.text) for r in found[0].reasons] == [
        ("group", "Both cities are in the working group “Urban management and ecology”")
    ]


class _Refusing:
    name = "refusing"
    dim = 384

    def query(self, texts: Any) -> Any:
        raise AssertionError("a page view ran the model")

    def passage(self, texts: Any) -> Any:
        raise AssertionError("a page view ran the model")
