from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cityexchange.cooperation import selectors, services
from cityexchange.cooperation.models import Agreement, ContactRequest, Cooperation, EvaluationResult, StageEvent
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.core.restrict import get_for
from cityexchange.practices.models import Practice
from tests.cooperation.factories import YESTERDAY, challenge, evidence_for, officer_of, published_practice, walk
from tests.registry.factories import MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%minimal\n"


def state(coop):
    coop = Cooperation.objects.get(pk=coop.pk)
    return coop.stage, coop.events.count(), Agreement.objects.filter(cooperation=coop).count()


# --- Contact requests.


def test_request_is_pending_expires_and_tells_the_asked_city(
    kazan, kazan_officer, practice, sao_paulo_officer, settings, django_capture_on_commit_callbacks
):
    settings.COOPERATION_REQUEST_EXPIRY_DAYS = 10
    with django_capture_on_commit_callbacks(execute=True):
        req = services.contact_request_create(actor=kazan_officer, practice=practice, message="Can we talk?")
    assert req.status == "pending" and req.from_city == kazan and req.to_city == practice.city
    assert dt.timedelta(days=9) < req.expires_at - timezone.now() <= dt.timedelta(days=10)
    assert AuditEntry.objects.filter(action="contact_request.create", target_id=str(req.pk)).exists()
    assert [m.to for m in mail.outbox] == [[sao_paulo_officer.email]]
    assert "Kazan" in mail.outbox[0].subject


def test_duplicate_open_request_is_a_conflict(contact_request, kazan_officer, practice):
    with pytest.raises(Conflict):
        services.contact_request_create(actor=kazan_officer, practice=practice, message="Again?")
    assert ContactRequest.objects.count() == 1


def test_a_new_request_is_allowed_once_the_first_is_answered(
    contact_request, kazan_officer, practice, sao_paulo_officer
):
    services.contact_request_decline(actor=sao_paulo_officer, request=contact_request, answer="Not now.")
    again = services.contact_request_create(actor=kazan_officer, practice=practice, message="And now?")
    assert again.status == "pending" and ContactRequest.objects.count() == 2


def test_a_city_cannot_ask_itself(sao_paulo_officer, practice):
    with pytest.raises(InvalidInput) as err:
        services.contact_request_create(actor=sao_paulo_officer, practice=practice, message="Hello me")
    assert err.value.field == "practice" and not ContactRequest.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "no_city"])
def test_only_officers_of_member_cities_ask(practice, who):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else UserFactory()
    with pytest.raises(PermissionDenied):
        services.contact_request_create(actor=actor, practice=practice, message="Hi")
    assert not ContactRequest.objects.exists()


def test_unpublished_practice_and_bad_input_are_refused(kazan_officer, practice, sao_paulo):
    draft = published_practice(sao_paulo)
    Practice.objects.filter(pk=draft.pk).update(status="draft")
    draft.refresh_from_db()
    with pytest.raises(InvalidInput) as err:
        services.contact_request_create(actor=kazan_officer, practice=draft, message="Hi")
    assert err.value.field == "practice"
    with pytest.raises(InvalidInput) as err:
        services.contact_request_create(actor=kazan_officer, practice=practice, message="  ")
    assert err.value.field == "message"
    with pytest.raises(InvalidInput):
        services.contact_request_create(actor=kazan_officer, message="Hi")
    assert not ContactRequest.objects.exists()


def test_accept_opens_a_cooperation_at_contact(contact_request, sao_paulo_officer, kazan, sao_paulo, practice):
    coop = services.contact_request_accept(actor=sao_paulo_officer, request=contact_request, answer="Gladly.")
    assert coop.stage == "contact" and coop.practice == practice and coop.origin == "contact"
    roles = dict(coop.participants.values_list("city_id", "role"))
    assert roles == {kazan.pk: "adopter", sao_paulo.pk: "provider"}
    assert [(e.from_stage, e.to_stage) for e in coop.events.all()] == [("", "interest"), ("interest", "contact")]
    contact_request.refresh_from_db()
    assert contact_request.status == "accepted" and contact_request.cooperation == coop
    assert contact_request.answer == "Gladly."


@pytest.mark.parametrize("who", ["asker", "stranger", "secretariat"])
def test_only_the_asked_city_answers(contact_request, kazan_officer, stranger, secretariat, who):
    actor = {"asker": kazan_officer, "stranger": stranger, "secretariat": secretariat}[who]
    for answer in (services.contact_request_accept, services.contact_request_decline):
        with pytest.raises(PermissionDenied):
            answer(actor=actor, request=contact_request, answer="x")
    contact_request.refresh_from_db()
    assert contact_request.status == "pending" and not Cooperation.objects.exists()


def test_decline_needs_a_message_and_is_final(contact_request, sao_paulo_officer):
    with pytest.raises(InvalidInput) as err:
        services.contact_request_decline(actor=sao_paulo_officer, request=contact_request, answer=" ")
    assert err.value.field == "answer"
    services.contact_request_decline(actor=sao_paulo_officer, request=contact_request, answer="We are busy.")
    with pytest.raises(InvalidTransition):
        services.contact_request_accept(actor=sao_paulo_officer, request=contact_request)
    assert ContactRequest.objects.get().status == "declined" and not Cooperation.objects.exists()


def test_withdraw_only_by_the_asking_city(contact_request, kazan_officer, sao_paulo_officer):
    with pytest.raises(PermissionDenied):
        services.contact_request_withdraw(actor=sao_paulo_officer, request=contact_request)
    services.contact_request_withdraw(actor=kazan_officer, request=contact_request)
    assert ContactRequest.objects.get().status == "withdrawn"


def test_a_request_past_its_time_cannot_be_accepted(contact_request, sao_paulo_officer):
    ContactRequest.objects.filter(pk=contact_request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(InvalidTransition):
        services.contact_request_accept(actor=sao_paulo_officer, request=contact_request)
    assert not Cooperation.objects.exists()


def test_request_about_a_challenge(kazan_officer, sao_paulo, sao_paulo_officer, kazan):
    need = challenge(sao_paulo)
    req = services.contact_request_create(actor=kazan_officer, challenge=need, message="We solved this.")
    assert req.to_city == sao_paulo
    coop = services.contact_request_accept(actor=sao_paulo_officer, request=req)
    assert dict(coop.participants.values_list("city_id", "role")) == {kazan.pk: "provider", sao_paulo.pk: "adopter"}
    assert coop.challenge == need and coop.practice is None


def test_officer_of_two_cities_must_choose(kazan, kazan_officer, practice, reference):
    other = MemberCityFactory()
    officer_of_two = officer_of(kazan)
    from tests.registry.factories import CityRoleFactory

    CityRoleFactory(user=officer_of_two, city=other)
    with pytest.raises(InvalidInput) as err:
        services.contact_request_create(actor=officer_of_two, practice=practice, message="Hi")
    assert err.value.field == "from_city"
    req = services.contact_request_create(actor=officer_of_two, practice=practice, message="Hi", from_city=other)
    assert req.from_city == other
    with pytest.raises(PermissionDenied):
        services.contact_request_create(actor=kazan_officer, practice=practice, message="Hi", from_city=other)


# --- Opening.


def test_a_city_cannot_cooperate_with_itself(kazan, kazan_officer):
    with pytest.raises(InvalidInput) as err:
        services.cooperation_open(actor=kazan_officer, cities=[kazan, kazan])
    assert err.value.field == "cities" and not Cooperation.objects.exists()


def test_open_directly_needs_own_city_and_members(kazan, sao_paulo, kazan_officer, stranger, reference):
    with pytest.raises(PermissionDenied):
        services.cooperation_open(actor=stranger, cities=[kazan, sao_paulo])
    ended = MemberCityFactory(membership="ended")
    with pytest.raises(InvalidInput):
        services.cooperation_open(actor=kazan_officer, cities=[kazan, ended])
    coop = services.cooperation_open(actor=kazan_officer, cities=[kazan, sao_paulo], title="Smart buses")
    assert coop.stage == "interest" and coop.title == "Smart buses" and coop.origin == "direct"


def test_practice_owner_must_take_part(kazan, kazan_officer, reference):
    other = MemberCityFactory()
    foreign = published_practice(MemberCityFactory())
    with pytest.raises(InvalidInput) as err:
        services.cooperation_open(actor=kazan_officer, cities=[kazan, other], practice=foreign)
    assert err.value.field == "practice"


def test_open_from_meeting_hook(kazan, sao_paulo, kazan_officer, stranger, practice):
    coop = services.cooperation_open_from_meeting(
        actor=kazan_officer, cities=[kazan, sao_paulo], practice=practice, note="Met in Kazan", next_steps="Visit"
    )
    assert coop.stage == "contact" and coop.origin == "meeting"
    assert list(coop.events.values_list("note", flat=True)) == ["Met in Kazan", "Visit"]
    with pytest.raises(PermissionDenied):
        services.cooperation_open_from_meeting(actor=stranger, cities=[kazan, sao_paulo])


# --- Moves.


def test_the_whole_path_with_evidence(cooperation, kazan_officer, sao_paulo_officer, kazan, sao_paulo, practice):
    walk(cooperation, kazan_officer, "study_visit", "agreement")
    agreement = Agreement.objects.get(cooperation=cooperation)
    assert agreement.kind == "memorandum" and agreement.signed_on == YESTERDAY
    assert {s["city"] for s in agreement.signatories} == {"Kazan", "São Paulo"}
    walk(cooperation, sao_paulo_officer, "pilot", "adoption", "evaluated")
    assert cooperation.stage == "evaluated"
    result = EvaluationResult.objects.get()
    assert (result.name, result.unit, result.baseline, result.target, result.value) == (
        "Bus speed",
        "km/h",
        12.0,
        19.0,
        17.5,
    )
    moves = [(e.from_stage, e.to_stage) for e in cooperation.events.all()]
    assert moves[-1] == ("adoption", "evaluated") and len(moves) == 7
    assert AuditEntry.objects.filter(action="cooperation.move").count() == 5


def test_skipping_the_agreement_is_refused_and_nothing_changes(cooperation, kazan_officer):
    before = state(cooperation)
    with pytest.raises(InvalidTransition) as err:
        services.cooperation_move(
            actor=kazan_officer, cooperation=cooperation, to_stage="pilot", evidence=evidence_for("pilot", cooperation)
        )
    assert err.value.field == "to_stage" and "Agreement" in err.value.message
    assert state(cooperation) == before


@pytest.mark.parametrize("who", ["stranger", "secretariat", "anonymous"])
def test_only_participating_cities_move(cooperation, stranger, secretariat, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {"stranger": stranger, "secretariat": secretariat, "anonymous": AnonymousUser()}[who]
    before = state(cooperation)
    with pytest.raises(PermissionDenied):
        services.cooperation_move(
            actor=actor,
            cooperation=cooperation,
            to_stage="study_visit",
            evidence=evidence_for("study_visit", cooperation),
        )
    with pytest.raises(PermissionDenied):
        services.cooperation_add_note(actor=actor, cooperation=cooperation, note="hi")
    assert state(cooperation) == before


def test_signed_agreement_cannot_be_dated_in_the_future(cooperation, kazan_officer):
    before = state(cooperation)
    ev = evidence_for("agreement", cooperation, signed_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(InvalidInput) as err:
        services.cooperation_move(actor=kazan_officer, cooperation=cooperation, to_stage="agreement", evidence=ev)
    assert err.value.field == "signed_on"
    assert state(cooperation) == before


def test_missing_evidence_names_the_field(cooperation, kazan_officer):
    before = state(cooperation)
    with pytest.raises(InvalidInput) as err:
        services.cooperation_move(
            actor=kazan_officer,
            cooperation=cooperation,
            to_stage="agreement",
            evidence=evidence_for("agreement", cooperation, signatories=[]),
        )
    assert err.value.field == "signatories"
    assert state(cooperation) == before


def test_close_without_adoption_and_nothing_after(cooperation, kazan_officer):
    with pytest.raises(InvalidInput) as err:
        services.cooperation_move(
            actor=kazan_officer,
            cooperation=cooperation,
            to_stage="closed",
            evidence=evidence_for("closed", cooperation, reason=""),
        )
    assert err.value.field == "reason"
    walk(cooperation, kazan_officer, "closed")
    assert cooperation.closed_reason == "The budget was cut."
    with pytest.raises(InvalidTransition):
        walk(cooperation, kazan_officer, "study_visit")
    with pytest.raises(InvalidTransition):
        services.cooperation_add_note(actor=kazan_officer, cooperation=cooperation, note="late")


def test_documents_are_checked_and_kept(cooperation, kazan_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = state(cooperation)
    bad = SimpleUploadedFile("minutes.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(InvalidInput) as err:
        services.cooperation_move(
            actor=kazan_officer,
            cooperation=cooperation,
            to_stage="study_visit",
            evidence=evidence_for("study_visit", cooperation),
            documents=[bad],
        )
    assert err.value.field == "documents" and state(cooperation) == before
    good = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    event = services.cooperation_move(
        actor=kazan_officer,
        cooperation=cooperation,
        to_stage="study_visit",
        evidence=evidence_for("study_visit", cooperation),
        documents=[good],
    )
    doc = event.documents.get()
    assert doc.original_name == "minutes.pdf" and doc.size == len(PDF)
    assert io.BytesIO(doc.file.read()).read() == PDF


def test_a_note_is_activity(cooperation, kazan_officer):
    Cooperation.objects.filter(pk=cooperation.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=90))
    assert selectors.stalled_cooperations().filter(pk=cooperation.pk).exists()
    event = services.cooperation_add_note(actor=kazan_officer, cooperation=cooperation, private_note="Call on Monday")
    assert event.from_stage == event.to_stage == "contact"
    assert not selectors.stalled_cooperations().filter(pk=cooperation.pk).exists()
    with pytest.raises(InvalidInput):
        services.cooperation_add_note(actor=kazan_officer, cooperation=cooperation)


# --- What each viewer sees.


def test_private_notes_only_for_participants_and_secretariat(cooperation, kazan_officer, stranger, secretariat):
    walk(cooperation, kazan_officer, "study_visit")
    for viewer, sees in ((kazan_officer, True), (secretariat, True), (stranger, False)):
        coop = get_for(viewer, selectors.cooperations(), cooperation.pk)
        private = [e.private_note for e in selectors.timeline(viewer, coop)]
        assert ("secret study_visit" in private) is sees


def test_anonymous_sees_a_cooperation_only_once_agreed(cooperation, kazan_officer):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        get_for(AnonymousUser(), selectors.cooperations(), cooperation.pk)
    walk(cooperation, kazan_officer, "agreement")
    coop = get_for(AnonymousUser(), selectors.cooperations(), cooperation.pk)
    assert all(e.private_note == "" and e.documents == [] for e in selectors.timeline(AnonymousUser(), coop))


def test_contact_requests_seen_by_the_two_cities_only(
    contact_request, kazan_officer, sao_paulo_officer, stranger, secretariat
):
    for viewer in (kazan_officer, sao_paulo_officer, secretariat):
        assert get_for(viewer, selectors.contact_requests(), contact_request.pk) == contact_request
    with pytest.raises(NotFound):
        get_for(stranger, selectors.contact_requests(), contact_request.pk)
    with pytest.raises(PermissionDenied):
        get_for(kazan_officer, selectors.contact_requests(), contact_request.pk, action="answer")


def test_overview_is_for_the_secretariat(cooperation, secretariat, kazan_officer):
    Cooperation.objects.filter(pk=cooperation.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=400))
    data = selectors.overview(secretariat)
    assert {c.stage: c.count for c in data.counts}["contact"] == 1 and data.total == 1
    assert [c.pk for c in data.stalled] == [cooperation.pk]
    with pytest.raises(PermissionDenied):
        selectors.overview(kazan_officer)


def test_events_are_not_created_on_refusal(cooperation, kazan_officer):
    count = StageEvent.objects.count()
    with pytest.raises(InvalidTransition):
        walk(cooperation, kazan_officer, "contact")
    assert StageEvent.objects.count() == count
