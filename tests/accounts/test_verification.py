"""E-mail confirmation at sign-up: an unconfirmed account may look around but not act; invitations prove the address."""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from cityexchange.accounts import services
from cityexchange.accounts.models import ApiToken, CityRole, User
from cityexchange.core.errors import InvalidTransition, NotFound

pytestmark = pytest.mark.django_db

SIGNUP = {"display_name": "Ana", "email": "ana@example.org", "password": "a long password 1"}


def confirmation_path(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return urlparse(found.group(0)).path


def sign_up(client, captured, url: str = "/en/accounts/signup/", data: dict | None = None):
    with captured(execute=True):
        return client.post(url, data or SIGNUP)


def test_unverified_sign_up_cannot_act_until_confirmed(client, reference, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, "/ru/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/ru/accounts/login/"
    user = User.objects.get(email="ana@example.org")
    assert not user.email_verified
    # Sign-up does not sign in (a known address must get the same answer); the new account signs in itself.
    assert client.login(username="ana@example.org", password=SIGNUP["password"])

    # It may look around, and is told why it cannot act.
    page = client.get("/ru/")
    assert page.status_code == 200 and "data-verify-banner" in page.content.decode()

    # It may not act: a page form, the API with its session, an API token it could not create anyway.
    refused = client.post("/en/accounts/tokens/", {"name": "my script"})
    assert refused.status_code == 403 and "data-token" not in refused.content.decode()
    api = client.post("/api/v1/accounts/tokens", {"name": "script"}, content_type="application/json")
    assert api.status_code == 403 and "detail" in api.json()
    refused = client.post("/en/apply/", {"city": "1"})
    assert refused.status_code == 403
    _token, plain = services.api_token_create(actor=user, name="made behind its back")
    assert Client().get("/api/v1/accounts/me", headers={"authorization": f"Bearer {plain}"}).status_code == 401
    assert ApiToken.objects.filter(user=user).count() == 1

    # The confirmation e-mail went out in the language the account signed up in.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    with translation.override("ru"):
        subject_ru = gettext("Confirm your e-mail address")
    assert subject_ru != "Confirm your e-mail address" and mail.outbox[0].subject == subject_ru
    path = confirmation_path(mail.outbox[0])
    assert path.startswith("/ru/accounts/verify/")

    response = client.get(path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    response = client.post("/en/accounts/tokens/", {"name": "my script"})
    assert response.status_code == 200 and "data-token" in response.content.decode()
    assert "data-verify-banner" not in client.get("/en/").content.decode()


def test_confirmation_link_works_signed_out(client, db, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(confirmation_path(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/"
    assert User.objects.get(email="ana@example.org").email_verified


def test_tampered_link_is_refused(client, db):
    user = services.user_register(email="ana@example.org", password="a long password 1")
    token = services.email_verification_token(user)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(f"/en/accounts/verify/{tampered}/")
    assert response.status_code == 404
    forged = signing.dumps({"user": user.pk, "email": user.email}, salt="another-purpose")
    assert client.get(f"/en/accounts/verify/{forged}/").status_code == 404
    user.refresh_from_db()
    assert not user.email_verified


def test_expired_link_is_refused(client, db, monkeypatch, settings):
    settings.EMAIL_VERIFICATION_VALID_DAYS = 3
    user = services.user_register(email="ana@example.org", password="a long password 1")
    four_days_ago = int(time.time()) - 4 * 86400
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(four_days_ago))
    old_token = services.email_verification_token(user)
    monkeypatch.undo()
    with pytest.raises(InvalidTransition):
        services.email_verify(token=old_token)
    response = client.get(f"/en/accounts/verify/{old_token}/")
    assert response.status_code == 409
    user.refresh_from_db()
    assert not user.email_verified
    services.email_verify(token=services.email_verification_token(user))  # a fresh one works
    user.refresh_from_db()
    assert user.email_verified


def test_link_for_a_changed_address_is_refused(db):
    user = services.user_register(email="ana@example.org", password="a long password 1")
    token = services.email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="other@example.org")
    with pytest.raises(NotFound):
        services.email_verify(token=token)


def test_resend_is_allowed_before_confirmation_and_limited(client, db, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    assert client.login(username="ana@example.org", password=SIGNUP["password"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/accounts/verify/").status_code == 302
        client.post("/en/accounts/verify/")
    assert len(mail.outbox) == 2  # the sign-up's and one more; the second request within the minute sent nothing


def test_invited_user_signing_up_from_the_invitation_is_confirmed(
    client, kazan, kazan_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _inv, token = services.invitation_create(actor=kazan_coordinator, city=kazan, email="olga@kzn.ru")
    mail.outbox.clear()
    invitation_path = f"/en/accounts/invitation/{token}/"
    response = sign_up(
        client,
        django_capture_on_commit_callbacks,
        f"/en/accounts/signup/?email=olga%40kzn.ru&next={invitation_path}",
        {**SIGNUP, "email": "olga@kzn.ru"},
    )
    assert response["Location"] == invitation_path
    assert User.objects.get(email="olga@kzn.ru").email_verified
    assert mail.outbox == []  # no confirmation needed
    assert client.post(invitation_path).status_code == 302
    assert CityRole.objects.filter(user__email="olga@kzn.ru", city=kazan).exists()


def test_sign_up_with_someone_elses_invitation_stays_unconfirmed(
    client, kazan, kazan_coordinator, django_capture_on_commit_callbacks
):
    _inv, token = services.invitation_create(actor=kazan_coordinator, city=kazan, email="olga@kzn.ru")
    sign_up(client, django_capture_on_commit_callbacks, f"/en/accounts/signup/?next=/en/accounts/invitation/{token}/")
    assert not User.objects.get(email="ana@example.org").email_verified


def test_accepting_an_invitation_confirms_the_address(client, kazan, kazan_coordinator):
    user = services.user_register(email="olga@kzn.ru", password="a long password 1")
    _inv, token = services.invitation_create(actor=kazan_coordinator, city=kazan, email="olga@kzn.ru")
    client.force_login(user)
    assert client.post(f"/en/accounts/invitation/{token}/").status_code == 302
    user.refresh_from_db()
    assert user.email_verified and CityRole.objects.filter(user=user, city=kazan).exists()


def test_accounts_not_from_sign_up_are_trusted(kazan_officer):
    assert kazan_officer.email_verified
