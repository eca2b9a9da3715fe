from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityexchange.challenges import selectors, services
from cityexchange.challenges.models import Challenge
from cityexchange.challenges.signals import challenge_changed
from cityexchange.core.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.core.restrict import get_for
from tests.challenges.factories import ChallengeFactory, challenge_doc
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_officer_states_a_challenge_and_signal_is_sent(
    sao_paulo, sao_paulo_coordinator, django_capture_on_commit_callbacks
):
    seen = []

    def receiver(sender, challenge_id, **kwargs):
        seen.append(challenge_id)

    challenge_changed.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            c = services.challenge_create(actor=sao_paulo_coordinator, city=sao_paulo, data=challenge_doc())
    finally:
        challenge_changed.disconnect(receiver)
    assert c.status == "open" and c.language_id == "pt" and not c.is_public
    assert sorted(c.sectors.values_list("code", flat=True)) == ["urban-management", "water"]
    assert c.budget == "Até 2 milhões de reais" and c.external_id.startswith("cx-")
    assert seen == [c.pk]
    assert AuditEntry.objects.filter(action="challenge.create").exists()
    lang, text = c.searchable_text()
    assert lang == "pt" and "alagam" in text and selectors.challenge_searchable_text(c).title == c.title


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"sectors": ["moon"]}, "sectors"), ({"language": "xx"}, "language")],
)
def test_validation_names_the_field(sao_paulo, sao_paulo_coordinator, overrides, field):
    with pytest.raises(InvalidInput) as err:
        services.challenge_create(actor=sao_paulo_coordinator, city=sao_paulo, data=challenge_doc(**overrides))
    assert err.value.field == field and not Challenge.objects.exists()


def test_other_cities_cannot_create_edit_or_change_status(sao_paulo, kazan_officer):
    with pytest.raises(PermissionDenied):
        services.challenge_create(actor=kazan_officer, city=sao_paulo, data=challenge_doc())
    c = ChallengeFactory(city=sao_paulo)
    with pytest.raises(PermissionDenied):
        services.challenge_update(actor=kazan_officer, challenge=c, data=challenge_doc(title="x"))
    with pytest.raises(PermissionDenied):
        services.challenge_set_status(actor=kazan_officer, challenge=c, status="solved")
    with pytest.raises(PermissionDenied):
        services.challenge_set_status(actor=AnonymousUser(), challenge=c, status="solved")
    assert Challenge.objects.get(pk=c.pk).status == "open"


def test_status_transitions(sao_paulo, sao_paulo_coordinator):
    c = ChallengeFactory(city=sao_paulo)
    services.challenge_set_status(actor=sao_paulo_coordinator, challenge=c, status="in_progress")
    services.challenge_set_status(actor=sao_paulo_coordinator, challenge=c, status="solved")
    with pytest.raises(InvalidTransition):
        services.challenge_set_status(actor=sao_paulo_coordinator, challenge=c, status="withdrawn")
    with pytest.raises(InvalidInput) as err:
        services.challenge_set_status(actor=sao_paulo_coordinator, challenge=c, status="lost")
    assert err.value.field == "status"
    assert Challenge.objects.get(pk=c.pk).status == "solved"


def test_update_records_changes(sao_paulo, sao_paulo_coordinator):
    c = services.challenge_create(actor=sao_paulo_coordinator, city=sao_paulo, data=challenge_doc())
    services.challenge_update(actor=sao_paulo_coordinator, challenge=c, data=challenge_doc(is_public=True))
    entry = AuditEntry.objects.get(action="challenge.update")
    assert entry.before == {"is_public": False} and entry.after == {"is_public": True}


def test_visibility(kazan, sao_paulo, kazan_officer, secretariat):
    public = ChallengeFactory(city=sao_paulo, is_public=True)
    members_only = ChallengeFactory(city=sao_paulo, is_public=False)
    assert set(selectors.challenges_visible_to(AnonymousUser())) == {public}
    assert set(selectors.challenges_visible_to(UserFactory())) == {public}  # signed in, no member city
    assert set(selectors.challenges_visible_to(kazan_officer)) == {public, members_only}
    assert set(selectors.challenges_visible_to(secretariat)) == {public, members_only}
    with pytest.raises(NotFound):
        get_for(AnonymousUser(), Challenge, members_only.pk)
    with pytest.raises(PermissionDenied):
        get_for(kazan_officer, Challenge, members_only.pk, action="edit")
    for bad in (0, -1, 2**80, "x"):
        with pytest.raises(NotFound):
            get_for(secretariat, Challenge, bad)


def test_filters_name_the_field(reference):
    for field, value in [("sector", "x"), ("country", "QQ"), ("status", "x"), ("sort", "x"), ("language", "x")]:
        with pytest.raises(InvalidInput) as err:
            selectors.challenge_list(AnonymousUser(), selectors.ChallengeFilters(**{field: value}))
        assert err.value.field == field
