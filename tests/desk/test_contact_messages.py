"""Contact messages on the translation desk. A Kazan officer writes to São Paulo in Russian; a São Paulo reader asks
for it in Portuguese; a São Paulo officer translates it; Kazan (the city that wrote it) approves; the São Paulo
reader then reads it in Portuguese, marked as a translation, the original one click away.

The message is private: only the two cities' officers and the secretariat may read it, so an officer of any other
city can neither reach it, ask for it, translate it, see it on the desk (page or API) nor hear of it by e-mail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail

from cityexchange.cooperation import services as cooperation_services
from cityexchange.cooperation.models import ContactRequest, ContactRequestTranslation
from cityexchange.core.errors import InvalidTransition, PermissionDenied
from cityexchange.desk import selectors, services
from cityexchange.desk.models import LanguageSkill, TranslationRequest, TranslationVersion
from tests.registry.factories import CityRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

RU = "Здравствуйте! Мы хотим узнать, как вы выделили полосы для автобусов и сколько это стоило городу."
PT = {"message": "Olá! Queremos saber como vocês criaram as faixas de ônibus e quanto isso custou à cidade."}


@pytest.fixture
def message(practice: Any, kazan_officer: Any) -> ContactRequest:
    return cooperation_services.contact_request_create(
        actor=kazan_officer, practice=practice, message=RU, language="ru"
    )


@pytest.fixture
def sao_paulo_officer(sao_paulo: Any) -> Any:
    return CityRoleFactory(city=sao_paulo, role="officer").user


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _submitted(message: ContactRequest, translator: Any) -> TranslationVersion:
    return services.translation_submit(actor=translator, item=message, language="pt", data=PT)


def test_the_message_keeps_its_language(practice, kazan_officer, client):
    client.force_login(kazan_officer)
    page = client.get(f"/pt-br/cooperation/contact/new/?practice={practice.pk}").content.decode()
    assert 'name="language"' in page and '<option value="pt" selected>' in page  # the interface's language
    response = client.post("/en/cooperation/contact/new/", {"practice": practice.pk, "message": RU, "language": "ru"})
    assert response.status_code == 302
    assert ContactRequest.objects.get().language_id == "ru"


def test_the_whole_workflow(client, message, sao_paulo_coordinator, sao_paulo_officer, kazan_coordinator):
    client.force_login(sao_paulo_coordinator)
    page = client.get(f"/pt-br/cooperation/contact/{message.pk}/").content.decode()
    assert 'lang="ru"' in page.split("data-message")[0].rsplit("<blockquote", 1)[1]  # the original, marked
    assert f"/desk/ask/message/{message.pk}/" in page  # the offer to ask, in the reader's language
    assert client.post(f"/pt-br/desk/ask/message/{message.pk}/", {"language": "pt"}).status_code == 302
    assert TranslationRequest.objects.filter(contact_request=message, language_id="pt").count() == 1

    client.force_login(sao_paulo_officer)
    form = client.get(f"/en/desk/translate/message/{message.pk}/pt/")
    assert form.status_code == 200 and RU in form.content.decode()
    response = client.post(f"/en/desk/translate/message/{message.pk}/pt/", PT)
    assert response.status_code == 302
    version = TranslationVersion.objects.get(contact_request=message)
    assert version.city.name == "São Paulo" and version.status == "submitted"

    # The city that received it cannot approve its own reading of Kazan's words; Kazan can.
    with pytest.raises(PermissionDenied):
        services.translation_approve(actor=sao_paulo_coordinator, version=version)
    client.force_login(kazan_coordinator)
    desk = client.get("/en/desk/").content.decode()
    assert f"/desk/translations/{version.pk}/" in desk.split("Waiting for your approval")[1]
    assert client.post(f"/en/desk/translations/{version.pk}/", {"action": "approve"}).status_code == 302
    translation = ContactRequestTranslation.objects.get(contact_request=message, language_id="pt")
    assert translation.message == PT["message"] and translation.translated_for.name == "São Paulo"
    assert not TranslationRequest.objects.filter(contact_request=message, fulfilled_at__isnull=True).exists()

    client.force_login(sao_paulo_coordinator)
    page = client.get(f"/pt-br/cooperation/contact/{message.pk}/").content.decode()
    assert PT["message"] in page and 'data-translation-shown="pt"' in page and "?original=1" in page
    assert RU not in page
    original = client.get(f"/pt-br/cooperation/contact/{message.pk}/?original=1").content.decode()
    assert RU in original and PT["message"] not in original


def test_the_recipient_city_asks_and_the_sender_city_approves_on_the_desk_list(
    client, message, sao_paulo_coordinator, kazan_coordinator, secretariat
):
    services.translation_request(actor=sao_paulo_coordinator, item=message, language="pt")
    for reader in (sao_paulo_coordinator, kazan_coordinator, secretariat):
        client.force_login(reader)
        page = client.get("/en/desk/?language=pt").content.decode()
        assert f'data-contact_request="{message.pk}"' in page, reader
        [item] = client.get("/api/v1/desk/wanted", {"language": "pt"}).json()
        assert item["kind"] == "contact_request" and item["contact_request_id"] == message.pk


def test_an_officer_of_another_city_never_meets_the_message(
    client, message, sao_paulo_coordinator, sao_paulo_officer, shanghai_officer
):
    services.translation_request(actor=sao_paulo_coordinator, item=message, language="pt")
    version = _submitted(message, sao_paulo_officer)
    client.force_login(shanghai_officer)
    assert client.get(f"/en/cooperation/contact/{message.pk}/").status_code == 404
    assert client.post(f"/en/desk/ask/message/{message.pk}/", {"language": "zh"}).status_code == 404
    assert client.get(f"/en/desk/translate/message/{message.pk}/pt/").status_code == 404
    assert client.post(f"/en/desk/translate/message/{message.pk}/pt/", PT).status_code == 404
    assert client.get(f"/en/desk/translations/{version.pk}/").status_code == 404
    page = client.get("/en/desk/?language=all").content.decode()
    assert "contact_request" not in page and message.title not in page
    assert client.get("/api/v1/desk/wanted", {"language": "all"}).json() == []
    ask = {"contact_request_id": message.pk, "language": "zh"}
    assert _post(client, "/api/v1/desk/requests", ask).status_code == 404
    translation = {"contact_request_id": message.pk, "language": "pt", **PT}
    assert _post(client, "/api/v1/desk/translations", translation).status_code == 404
    assert client.get(f"/api/v1/desk/translations/{version.pk}").status_code == 404
    # The services refuse too, whoever hands them the message.
    with pytest.raises(PermissionDenied):
        services.translation_request(actor=shanghai_officer, item=message, language="zh")
    with pytest.raises(PermissionDenied):
        services.translation_submit(actor=shanghai_officer, item=message, language="pt", data=PT)
    assert [c.language.code for c in selectors.wanted(["pt"], shanghai_officer)] == ["pt"]
    assert selectors.wanted(["pt"], shanghai_officer)[0].items == []
    assert selectors.wanted(["pt"], sao_paulo_officer)[0].items[0].item == message


def test_the_secretariat_reads_and_approves_but_does_not_translate(message, secretariat, sao_paulo_officer):
    services.translation_request(actor=secretariat, item=message, language="pt")
    with pytest.raises(PermissionDenied):  # the secretariat works for no member city
        services.translation_submit(actor=secretariat, item=message, language="pt", data=PT)
    version = _submitted(message, sao_paulo_officer)
    services.translation_approve(actor=secretariat, version=version)
    assert ContactRequestTranslation.objects.filter(contact_request=message, language_id="pt").exists()


def test_only_the_two_cities_officers_hear_of_a_request(
    message, sao_paulo_coordinator, kazan_officer, shanghai_officer, django_capture_on_commit_callbacks
):
    kazan_colleague = CityRoleFactory(city=message.from_city, role="officer").user
    for user in (kazan_colleague, shanghai_officer):
        LanguageSkill.objects.create(user=user, language_id="pt")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_request(actor=sao_paulo_coordinator, item=message, language="pt")
    assert [m.to for m in mail.outbox] == [[kazan_colleague.email]]
    assert f"/desk/translate/message/{message.pk}/pt/" in mail.outbox[0].body


def test_the_sender_city_is_asked_to_review(
    message, sao_paulo_officer, kazan_officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(message, sao_paulo_officer)
    assert [m.to for m in mail.outbox] == [[kazan_officer.email]]


def test_bad_input(message, sao_paulo_coordinator, sao_paulo_officer, kazan_officer):
    from cityexchange.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:  # into its own language
        services.translation_request(actor=sao_paulo_coordinator, item=message, language="ru")
    assert err.value.field == "language"
    with pytest.raises(InvalidInput) as err:
        services.translation_submit(actor=sao_paulo_officer, item=message, language="pt", data={"message": " "})
    assert err.value.field == "message"
    with pytest.raises(InvalidInput) as err:
        cooperation_services.contact_request_create(
            actor=kazan_officer, practice=message.practice, message="x", language="klingon"
        )
    assert err.value.field == "language"


def test_a_message_of_unknown_language_is_not_offered(client, message, sao_paulo_coordinator):
    ContactRequest.objects.filter(pk=message.pk).update(language=None)  # sent before the language was kept
    message.refresh_from_db()
    assert selectors.ask_state(sao_paulo_coordinator, message, "pt", None) is None
    with pytest.raises(InvalidTransition):
        services.translation_request(actor=sao_paulo_coordinator, item=message, language="pt")
    client.force_login(sao_paulo_coordinator)
    page = client.get(f"/pt-br/cooperation/contact/{message.pk}/").content.decode()
    assert RU in page and "/desk/ask/message/" not in page


def test_a_translator_who_leaves_the_city_no_longer_sees_the_message(message, sao_paulo_officer):
    version = _submitted(message, sao_paulo_officer)
    assert selectors.versions_visible_to(sao_paulo_officer).filter(pk=version.pk).exists()
    sao_paulo_officer.city_roles.all().delete()
    assert not selectors.versions_visible_to(sao_paulo_officer).filter(pk=version.pk).exists()
    assert list(selectors.my_versions(sao_paulo_officer)) == []


def test_the_api_workflow(client, message, sao_paulo_coordinator, sao_paulo_officer, kazan_coordinator):
    client.force_login(sao_paulo_coordinator)
    r = _post(client, "/api/v1/desk/requests", {"contact_request_id": message.pk, "language": "pt"})
    assert r.status_code == 201 and r.json() == {
        "practice_id": None,
        "challenge_id": None,
        "contact_request_id": message.pk,
        "language": "pt",
        "readers": 1,
    }
    r = _post(client, "/api/v1/desk/requests", {"contact_request_id": message.pk, "practice_id": 1, "language": "pt"})
    assert r.status_code == 422
    client.force_login(sao_paulo_officer)
    r = _post(client, "/api/v1/desk/translations", {"contact_request_id": message.pk, "language": "pt", **PT})
    assert r.status_code == 201 and r.json()["message"] == PT["message"] and r.json()["city"] == "São Paulo"
    version_id = r.json()["id"]
    client.force_login(sao_paulo_coordinator)
    assert client.post(f"/api/v1/desk/translations/{version_id}/approve").status_code in (403, 404)
    client.force_login(kazan_coordinator)
    r = client.post(f"/api/v1/desk/translations/{version_id}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    client.force_login(UserFactory())  # of no city: the message does not exist for them
    ask = {"contact_request_id": message.pk, "language": "zh"}
    assert _post(client, "/api/v1/desk/requests", ask).status_code == 404
