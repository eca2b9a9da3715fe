"""The desk's pages and the practice page's reading of a translation: each refusal (anonymous, another city, a
third city), bad input named on the page, the "translated by" mark and the way back to the original."""

from __future__ import annotations

import pytest

from cityexchange.desk import services
from cityexchange.desk.models import TranslationRequest, TranslationVersion
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import UserFactory

from .conftest import RU, ru_text

pytestmark = pytest.mark.django_db
V = TranslationVersion.Status


def _form(**changes: str) -> dict[str, str]:
    text = ru_text(**changes)
    data = {k: text[k] for k in ("title", "summary", "problem", "solution", "results_text")}
    data.update({f"indicator_{i}": name for i, name in enumerate(text["indicator_names"])})
    return data


def test_desk_page_needs_sign_in_and_lists_wanted_translations(client, practice, kazan_officer, shanghai_officer):
    assert client.get("/ru/desk/").status_code == 302
    services.translation_request(actor=shanghai_officer, item=practice, language="ru")
    client.force_login(kazan_officer)
    page = client.get("/ru/desk/", {"language": "ru"})
    html = page.content.decode()
    assert page.status_code == 200 and RU["title"] not in html and practice.title in html
    assert f'href="/ru/desk/translate/{practice.pk}/ru/"' in html
    assert client.get("/ru/desk/", {"language": "klingon"}).status_code == 422
    # Declared languages are the default filter.
    client.post("/ru/desk/languages/", {"languages": ["hi"]})
    assert practice.title not in client.get("/ru/desk/").content.decode()
    assert practice.title in client.get("/ru/desk/", {"language": "all"}).content.decode()


def test_reader_asks_with_one_click_once(client, practice, kazan_officer):
    url = f"/ru/practices/{practice.pk}/"
    assert "desk/ask" not in client.get(url).content.decode()  # anonymous readers are asked to sign in
    r = client.post(f"/ru/desk/ask/{practice.pk}/", {"language": "ru"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(kazan_officer)
    assert f'action="/ru/desk/ask/{practice.pk}/"' in client.get(url).content.decode()
    client.post(f"/ru/desk/ask/{practice.pk}/", {"language": "ru"})
    client.post(f"/ru/desk/ask/{practice.pk}/", {"language": "ru"})
    assert TranslationRequest.objects.filter(requested_by=kazan_officer).count() == 1
    assert 'data-asked="ru"' in client.get(url).content.decode()
    # Into the original's language: refused, nothing stored.
    client.post(f"/ru/desk/ask/{practice.pk}/", {"language": "pt"})
    assert TranslationRequest.objects.count() == 1


def test_translate_page_refusals_and_errors_named(client, practice, kazan_officer):
    url = f"/ru/desk/translate/{practice.pk}/ru/"
    assert client.get(url).status_code == 302  # anonymous → sign in
    assert client.post(url, _form()).status_code == 302
    client.force_login(UserFactory())  # signed in, but works for no member city
    assert client.get(url).status_code == 403
    assert client.post(url, _form()).status_code == 403
    client.force_login(kazan_officer)
    assert client.get(f"/ru/desk/translate/{practice.pk}/pt/").status_code == 422  # the original's language
    assert client.get(f"/ru/desk/translate/{practice.pk}/de/").status_code == 422  # not enabled
    draft = PracticeFactory(city=kazan_officer.city_roles.get().city, language_id="pt")  # its own city's draft
    assert client.get(f"/ru/desk/translate/{draft.pk}/ru/").status_code == 409
    page = client.get(url)
    assert page.status_code == 200 and practice.problem in page.content.decode()  # the original beside the form
    assert '<textarea name="solution" cols="40" rows="8" lang="ru" dir="auto"' in page.content.decode()
    r = client.post(url, _form(indicator_names=["Время поездки", ""]))
    assert r.status_code == 422 and 'data-field="indicator_1"' in r.content.decode()
    r = client.post(url, _form(title=""))
    assert r.status_code == 422 and 'data-field="title"' in r.content.decode()
    assert not TranslationVersion.objects.exists()
    r = client.post(url, _form())
    version = TranslationVersion.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/ru/desk/translations/{version.pk}/"


def test_review_page_translator_cannot_approve_owner_can(
    client, practice, kazan_officer, shanghai_officer, sao_paulo_coordinator
):
    version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    url = f"/ru/desk/translations/{version.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(shanghai_officer)  # neither the translator nor the owning city
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404
    client.force_login(kazan_officer)
    page = client.get(url)
    assert page.status_code == 200 and 'value="approve"' not in page.content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert TranslationVersion.objects.get().status == V.SUBMITTED
    client.force_login(sao_paulo_coordinator)
    r = client.post(url, {"action": "return", "note": ""})
    assert r.status_code == 422 and 'data-field="note"' in r.content.decode()
    assert 'value="approve"' in client.get(url).content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert TranslationVersion.objects.get().status == V.APPROVED
    r = client.post(url, {"action": "approve"})  # twice: a clear refusal, nothing changes
    assert r.status_code == 422 and TranslationVersion.objects.get().status == V.APPROVED


def test_reader_sees_the_translation_marked_and_can_open_the_original(
    client, practice, kazan_officer, sao_paulo_coordinator
):
    version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    services.translation_approve(actor=sao_paulo_coordinator, version=version)
    html = client.get(f"/ru/practices/{practice.pk}/").content.decode()
    assert f'<h1 lang="ru" dir="auto">{RU["title"]}</h1>' in html
    assert RU["solution"] in html and "Пассажиров в день" in html and "Kazan" in html
    assert 'href="?original=1"' in html and 'data-translation-shown="ru"' in html
    assert 'data-translation="ru"' not in html  # not repeated among the other translations
    original = client.get(f"/ru/practices/{practice.pk}/", {"original": "1"}).content.decode()
    assert f'<h1 lang="pt" dir="auto">{practice.title}</h1>' in original and RU["solution"] not in original
    # A reader of another interface language sees the original.
    assert (
        f'<h1 lang="pt" dir="auto">{practice.title}</h1>'
        in client.get(f"/en/practices/{practice.pk}/").content.decode()
    )


def test_out_of_date_translation_is_shown_as_such(client, practice, kazan_officer, sao_paulo_coordinator):
    version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    services.translation_approve(actor=sao_paulo_coordinator, version=version)
    assert "out-of-date" not in client.get(f"/ru/practices/{practice.pk}/").content.decode()
    Practice.objects.filter(pk=practice.pk).update(solution="Uma solução nova.")
    html = client.get(f"/ru/practices/{practice.pk}/").content.decode()
    assert 'class="translation-notice out-of-date"' in html
    # The desk lists it for volunteers to bring up to date, without anyone asking again.
    client.force_login(kazan_officer)
    desk = client.get("/ru/desk/", {"language": "ru"}).content.decode()
    assert f'<li data-practice="{practice.pk}" data-language="ru">' in desk
    assert f'href="/ru/desk/translate/{practice.pk}/ru/">' in desk


def test_profile_shows_the_declared_languages(client, kazan_officer):
    client.force_login(kazan_officer)
    assert "my-languages" in client.get("/en/accounts/me/").content.decode()
    client.post("/en/desk/languages/", {"languages": ["hi", "ar"]})
    html = client.get("/en/accounts/me/").content.decode()
    assert '<span lang="ar">العربية</span>, <span lang="hi">हिन्दी</span>' in html
