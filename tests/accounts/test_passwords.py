"""Password reset by e-mail and password change, through Django's auth views as the site serves them."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from cityexchange.accounts.models import User
from cityexchange.core.models import AuditEntry
from tests.registry.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river-lantern-41-orchard"


def link_in(body: str) -> str:
    found = re.search(r"https?://\S+", body)
    assert found, body
    return urlparse(found.group(0)).path


def sign_in(client, email: str, password: str) -> bool:
    response = client.post("/en/accounts/login/", {"username": email, "password": password})
    return response.status_code == 302


def test_reset_end_to_end_in_the_users_language(client):
    user = UserFactory(email="olga@kzn.ru", preferred_language="ru")
    response = client.post("/en/accounts/password/reset/", {"email": "Olga@KZN.ru"})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/password/reset/sent/"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olga@kzn.ru"]
    with translation.override("ru"):
        subject_ru = gettext("Reset your password")
    assert subject_ru != "Reset your password" and message.subject == subject_ru
    path = link_in(message.body)
    assert path.startswith("/ru/accounts/password/reset/")

    response = client.get(path)  # Django swaps the token for a session value, then shows the form
    assert response.status_code == 302
    form_url = response["Location"]
    assert 'name="new_password1"' in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/ru/accounts/password/reset/done/"

    assert not sign_in(client, user.email, PASSWORD)
    assert sign_in(client, user.email, NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="user.password_reset", target_id=str(user.pk)).exists()

    client.logout()  # the link works once
    response = client.get(path, follow=True)
    assert response.status_code == 200 and 'name="new_password1"' not in response.content.decode()


def test_unknown_address_gets_the_same_answer(client):
    UserFactory(email="known@example.org")
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert len(mail.outbox) == 1  # nothing sent
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)


def without_csrf(html: bytes) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html.decode())


def test_reset_link_with_a_forged_token_is_refused(client):
    user = UserFactory()
    client.post("/en/accounts/password/reset/", {"email": user.email})
    path = link_in(mail.outbox[0].body)
    forged = path.rstrip("/")[:-3] + "xyz/"
    response = client.get(forged, follow=True)
    assert 'name="new_password1"' not in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_link_confirms_an_unverified_address(client):
    user = UserFactory(email_verified=False)
    client.post("/en/accounts/password/reset/", {"email": user.email})
    response = client.get(link_in(mail.outbox[0].body))
    client.post(response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.email_verified and user.check_password(NEW_PASSWORD)


def test_change_password_requires_the_old_one(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/en/accounts/password/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200 and 'data-field="old_password"' in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)

    response = client.post(
        "/en/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert client.get("/en/accounts/me/").status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="user.password_change", target_id=str(user.pk)).exists()


def test_change_password_needs_a_signed_in_user(client):
    response = client.get("/en/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")


def test_links_from_the_login_and_account_pages(client):
    assert 'href="/en/accounts/password/reset/"' in client.get("/en/accounts/login/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/en/accounts/password/"' in client.get("/en/accounts/me/").content.decode()


@pytest.mark.parametrize("language", ["ru", "pt-br", "zh-hans", "hi", "ar", "fa", "id"])
def test_reset_pages_are_translated(client, language):
    html = client.get(f"/{language}/accounts/password/reset/").content.decode()
    with translation.override(language):
        heading = gettext("Reset your password")
        button = gettext("Send the link")
    assert heading != "Reset your password" and heading in html
    assert button != "Send the link" and button in html
