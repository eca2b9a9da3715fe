"""Sign-in throttling per account and per address, neutral sign-up and reset answers, limits on sign-up and API
tokens (issue 14, finding 2). The throttle's clock is moved by hand: no test waits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from cityexchange.accounts import throttle as throttling
from cityexchange.accounts.models import User
from tests.core.ratelimit_support import FakeClock, switch_on
from tests.registry.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/en/accounts/login/"


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    settings.LOGIN_THROTTLE_ENABLED = True
    settings.LOGIN_FAILURES_PER_ACCOUNT = "10/15m"
    settings.LOGIN_FAILURES_PER_ADDRESS = "40/15m"
    clock = FakeClock()
    monkeypatch.setattr(throttling.throttle, "clock", clock)
    cache.clear()
    yield clock
    cache.clear()


def _sign_in(client: Client, email: str, password: str, address: str = "198.51.100.7") -> Any:
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_even_for_the_right_one(client, clock):
    user = UserFactory()
    answers = [_sign_in(client, user.email, f"wrong {i}").status_code for i in range(30)]
    assert answers[:10] == [200] * 10  # "wrong e-mail or password", the form again
    assert answers[10:] == [429] * 20
    locked = _sign_in(client, user.email, PASSWORD)
    assert locked.status_code == 429 and not _signed_in(client)
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # The backend refuses too, so no other way in (admin sign-in, test client) gets past the lock.
    assert not Client().login(username=user.email, password=PASSWORD)

    clock.advance(15 * 60 + 1)  # the window has passed
    assert _sign_in(client, user.email, PASSWORD).status_code == 302 and _signed_in(client)


def test_the_lock_message_comes_from_the_readers_catalogue(client, clock):
    user = UserFactory()
    for i in range(10):
        _sign_in(client, user.email, f"wrong {i}")
    page = client.post("/ru/accounts/login/", {"username": user.email, "password": PASSWORD}).content.decode()
    with translation.override("ru"):
        expected = throttling.lockout_message(15 * 60)
    assert expected in page and "Электронная почта" in page


def test_a_right_password_before_the_limit_clears_the_accounts_failures(client, clock):
    user = UserFactory()
    for i in range(9):
        _sign_in(client, user.email, f"wrong {i}")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for i in range(9):
        assert _sign_in(client, user.email, f"wrong again {i}").status_code == 200
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_and_others_are_not(client, clock):
    users = [UserFactory() for _i in range(5)]
    for i in range(40):  # eight tries on each of five accounts: no account reaches its own limit
        _sign_in(client, users[i % 5].email, f"wrong {i}")
    victim = UserFactory()
    assert _sign_in(client, victim.email, PASSWORD).status_code == 429
    # The same account from another address signs in: the lock was the address's.
    assert _sign_in(Client(), victim.email, PASSWORD, address="203.0.113.9").status_code == 302


def _page(response: Any, *swap: str) -> str:
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    for address in swap:
        text = text.replace(address, "ADDRESS")
    return text


def test_sign_up_with_a_known_address_looks_like_a_new_one(db, reference, django_capture_on_commit_callbacks):
    owner = UserFactory(email="taken@example.org")
    before = User.objects.count()
    answers = []
    for email in ("taken@example.org", "fresh@example.org"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post("/en/accounts/signup/", {"display_name": "Ana", "email": email, "password": "long pass 12"})
        answers.append((r.status_code, r["Location"], _signed_in(client), _page(client.get(r["Location"]), email)))
    assert answers[0] == answers[1]
    assert answers[0][:3] == (302, LOGIN, False)
    assert "We sent a message to ADDRESS" in answers[0][3]
    assert User.objects.count() == before + 1 and not User.objects.filter(email="taken@example.org").exclude(
        pk=owner.pk
    )
    # The owner of the known address is told by e-mail; the new address gets its confirmation link.
    to = {m.to[0]: m.subject for m in mail.outbox}
    assert to["taken@example.org"] == "Someone tried to create an account with your address"
    assert to["fresh@example.org"] == "Confirm your e-mail address"


def test_a_weak_password_is_refused_alike_for_known_and_new_addresses(client, db):
    UserFactory(email="taken@example.org")
    pages = [
        _page(client.post("/en/accounts/signup/", {"display_name": "Ana", "email": e, "password": "12345678"}), e)
        for e in ("taken@example.org", "fresh@example.org")
    ]
    assert pages[0] == pages[1] and "This password is too common" in pages[0]


def test_password_reset_answers_alike_for_known_and_unknown_addresses(db, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    answers = []
    for email in ("taken@example.org", "nobody@example.org"):
        client = Client()
        r = client.post("/en/accounts/password/reset/", {"email": email})
        answers.append((r.status_code, r["Location"], _page(client.get(r["Location"]), email)))
    assert answers[0] == answers[1] and answers[0][0] == 302


@pytest.fixture
def limits(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    clock = FakeClock()
    switch_on(settings, monkeypatch, clock)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": ("off", "3/h"), "token": ("2/h", "2/h")}
    settings.RATE_LIMITS["password_reset"] = ("off", "3/h")
    yield clock
    cache.clear()


def test_sign_up_and_reset_requests_are_limited_per_address(client, db, limits):
    for i in range(3):
        data = {"display_name": "A", "email": f"a{i}@example.org", "password": "long pass 12"}
        assert client.post("/en/accounts/signup/", data).status_code == 302
    r = client.post(
        "/en/accounts/signup/", {"display_name": "A", "email": "a9@example.org", "password": "long pass 12"}
    )
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert not User.objects.filter(email="a9@example.org").exists()
    for _i in range(3):
        assert client.post("/en/accounts/password/reset/", {"email": "x@example.org"}).status_code == 302
    assert client.post("/en/accounts/password/reset/", {"email": "x@example.org"}).status_code == 429


def test_api_token_creation_is_limited_with_retry_after(client, kazan_coordinator, limits):
    client.force_login(kazan_coordinator)
    url = "/api/v1/accounts/tokens"
    for i in range(2):
        assert client.post(url, {"name": f"t{i}"}, content_type="application/json").status_code == 201
    r = client.post(url, {"name": "t3"}, content_type="application/json")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and r.json()["detail"].startswith("Too many")
    limits.advance(3600)
    assert client.post(url, {"name": "t4"}, content_type="application/json").status_code == 201
