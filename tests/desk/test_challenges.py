"""Challenges on the desk: a Kazan challenge in Russian asked for in Portuguese, translated by São Paulo, approved
by Kazan (not by São Paulo), read by a Portuguese reader with the mark and the original one click away; refusals;
out of date after an edit."""

from __future__ import annotations

import json

import pytest

from cityexchange.challenges.models import Challenge, ChallengeTranslation
from cityexchange.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.desk import selectors, services
from cityexchange.desk.models import TranslationRequest, TranslationVersion
from tests.challenges.factories import ChallengeFactory
from tests.registry.factories import CityRoleFactory

pytestmark = pytest.mark.django_db

RU = {
    "title": "Снижение потерь воды в сетях",
    "description": "Потери в водопроводной сети достигают **30 %**.",
    "desired_outcome": "Потери ниже 15 % за три года.",
}
PT = {
    "title": "Redução de perdas de água na rede",
    "description": "As perdas na rede de abastecimento chegam a **30 %**.",
    "desired_outcome": "Perdas abaixo de 15 % em três anos.",
}


@pytest.fixture
def challenge(kazan):
    return ChallengeFactory(city=kazan, language_id="ru", is_public=True, **RU)


@pytest.fixture
def sao_paulo_officer(sao_paulo):
    return CityRoleFactory(city=sao_paulo, role="officer").user


def test_workflow_for_a_challenge(challenge, sao_paulo_officer, sao_paulo_coordinator, kazan_coordinator):
    services.translation_request(actor=sao_paulo_coordinator, item=challenge, language="pt")
    [pt] = selectors.wanted(["pt"])
    assert [(i.kind, i.item.pk, i.readers) for i in pt.items] == [("challenge", challenge.pk, 1)]
    version = services.translation_submit(actor=sao_paulo_officer, item=challenge, language="pt", data=PT)
    assert (version.challenge_id, version.practice_id, version.description) == (challenge.pk, None, PT["description"])
    with pytest.raises(PermissionDenied):
        services.translation_approve(actor=sao_paulo_coordinator, version=version)
    services.translation_approve(actor=kazan_coordinator, version=version)
    t = ChallengeTranslation.objects.get(challenge=challenge, language_id="pt")
    assert (t.title, t.translated_for.name, t.is_out_of_date) == (PT["title"], "São Paulo", False)
    assert not TranslationRequest.objects.filter(fulfilled_at__isnull=True).exists()
    with pytest.raises(InvalidTransition):
        services.translation_approve(actor=kazan_coordinator, version=version)
    Challenge.objects.filter(pk=challenge.pk).update(description="Потери достигают 35 %.")
    assert ChallengeTranslation.objects.get(pk=t.pk).is_out_of_date


@pytest.mark.parametrize(
    ("changes", "language", "field"),
    [
        ({}, "ru", "language"),
        ({}, "de", "language"),
        ({"description": ""}, "pt", "description"),
        ({"desired_outcome": ""}, "pt", "desired_outcome"),
    ],
)
def test_bad_challenge_translations_name_the_field(challenge, sao_paulo_officer, changes, language, field):
    with pytest.raises(InvalidInput) as exc:
        services.translation_submit(actor=sao_paulo_officer, item=challenge, language=language, data={**PT, **changes})
    assert exc.value.field == field
    assert not TranslationVersion.objects.exists()


def test_withdrawn_challenges_leave_the_desk(challenge, sao_paulo_officer):
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.WITHDRAWN)
    challenge.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.translation_request(actor=sao_paulo_officer, item=challenge, language="pt")


def test_challenge_pages(client, challenge, sao_paulo_officer, kazan_coordinator):
    url = f"/pt-br/challenges/{challenge.pk}/"
    client.force_login(sao_paulo_officer)
    html = client.get(url).content.decode()
    assert f'action="/pt-br/desk/ask/challenge/{challenge.pk}/"' in html
    client.post(f"/pt-br/desk/ask/challenge/{challenge.pk}/", {"language": "pt"})
    assert 'data-asked="pt"' in client.get(url).content.decode()
    translate = f"/pt-br/desk/translate/challenge/{challenge.pk}/pt/"
    page = client.get(translate)
    assert page.status_code == 200 and RU["description"] in page.content.decode()
    r = client.post(translate, {**PT, "description": ""})
    assert r.status_code == 422 and 'data-field="description"' in r.content.decode()
    r = client.post(translate, PT)
    version = TranslationVersion.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/pt-br/desk/translations/{version.pk}/"
    assert client.post(r["Location"], {"action": "approve"}).status_code == 403  # the translating city
    client.force_login(kazan_coordinator)
    assert client.post(r["Location"], {"action": "approve"}).status_code == 302
    client.logout()
    html = client.get(url).content.decode()
    assert f'<h1 lang="pt" dir="auto">{PT["title"]}</h1>' in html and 'data-translation-shown="pt"' in html
    original = client.get(url, {"original": "1"}).content.decode()
    assert f'<h1 lang="ru" dir="auto">{RU["title"]}</h1>' in original


def test_challenge_api(client, challenge, sao_paulo_officer, kazan_coordinator):
    client.force_login(sao_paulo_officer)
    body = {"challenge_id": challenge.pk, "language": "pt", **PT}
    r = client.post("/api/v1/desk/translations", json.dumps(body), content_type="application/json")
    assert r.status_code == 201 and r.json()["challenge_id"] == challenge.pk and r.json()["practice_id"] is None
    both = {**body, "practice_id": 1}
    r = client.post("/api/v1/desk/translations", json.dumps(both), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "practice_id"
    version_id = TranslationVersion.objects.get().pk
    client.force_login(kazan_coordinator)
    r = client.post(f"/api/v1/desk/translations/{version_id}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
