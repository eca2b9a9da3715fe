"""Rate limits: a burst is refused with 429 and Retry-After, others are not affected, the count is shared through
the cache, a new window lets the user in again, and a cache outage lets requests through."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cityexchange.core import ratelimit
from cityexchange.core.api_support import ErrorOut
from cityexchange.core.ratelimit import Limiter, Rate, client_address, wait_message
from tests.core.ratelimit_support import FakeClock, switch_on
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limits(settings: Any, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Iterator[dict[str, Any]]:
    yield switch_on(settings, monkeypatch, clock)
    cache.clear()


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's answer is not under test here, only whether the request is let through."""
    from cityexchange.matching import search

    monkeypatch.setattr(search, "search", lambda *args, **kwargs: [])


def _search_page(client: Any, lang: str = "en", **extra: Any) -> Any:
    return client.get(f"/{lang}/matching/", {"q": "bus lanes"}, **extra)


def test_rates_are_read_from_their_written_form() -> None:
    assert Rate.parse("30/m") == Rate(30, 60)
    assert Rate.parse("5/10m") == Rate(5, 600)
    assert Rate.parse("10/h") == Rate(10, 3600)
    assert Rate.parse("100/30s") == Rate(100, 30)
    assert Rate.parse("off") is None and Rate.parse("") is None and Rate.parse("0/m") is None
    with pytest.raises(ImproperlyConfigured):
        Rate.parse("thirty a minute")


def test_wait_is_said_in_seconds_then_in_minutes() -> None:
    assert "55 seconds" in wait_message(55)
    assert "1 second." in wait_message(1)
    assert "50 minutes" in wait_message(2950)


def test_a_burst_of_searches_from_one_user_is_refused_and_another_user_is_not(client: Any, limits: Any) -> None:
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    assert [_search_page(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = _search_page(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "55"
    page = refused.content.decode()
    assert "Please try again in 55 seconds." in page and 'data-retry-after="55"' in page
    # The empty search form costs nothing and is not counted.
    assert client.get("/en/matching/").status_code == 200
    client.force_login(second)
    assert _search_page(client).status_code == 200


def test_the_refusal_page_speaks_the_users_language(client: Any, limits: Any) -> None:
    client.force_login(UserFactory())
    for _ in range(3):
        _search_page(client, "ru")
    refused = _search_page(client, "ru")
    assert refused.status_code == 429
    assert "Слишком много запросов" in refused.content.decode()


def test_the_api_answers_429_in_its_error_shape(client: Any, limits: Any) -> None:
    client.force_login(UserFactory())
    answers = [client.get("/api/v1/matching/search", {"q": "bus lanes"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    body = answers[-1].json()
    assert set(body) == {"detail", "field"} and body["field"] is None
    ErrorOut.model_validate(body)
    assert "55 seconds" in body["detail"]
    assert answers[-1]["Retry-After"] == "55"


def test_a_token_counts_as_its_user_from_any_address(client: Any, limits: Any) -> None:
    from cityexchange.accounts.services import api_token_create

    user = UserFactory()
    _token, plain = api_token_create(actor=user, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    statuses = [
        client.get("/api/v1/matching/search", {"q": "x"}, REMOTE_ADDR=f"198.51.100.{i}", **auth).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    client.force_login(user)  # the same account in the browser shares the allowance
    assert _search_page(client).status_code == 429


def test_anonymous_visitors_are_counted_per_address(client: Any, limits: Any) -> None:
    here = {"REMOTE_ADDR": "203.0.113.5"}
    assert [_search_page(client, **here).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/v1/matching/search", {"q": "x"}, **here).status_code == 429
    assert _search_page(client, REMOTE_ADDR="203.0.113.6").status_code == 200
    # A signed-in officer behind the same address (one city hall, one address) has a limit of their own.
    client.force_login(UserFactory())
    assert _search_page(client, **here).status_code == 200


def test_after_the_window_the_user_can_search_again(client: Any, limits: Any, clock: Any) -> None:
    client.force_login(UserFactory())
    for _ in range(3):
        _search_page(client)
    assert _search_page(client).status_code == 429
    clock.advance(54.5)
    refused = _search_page(client)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"
    clock.advance(0.5)
    assert _search_page(client).status_code == 200


def test_limits_hold_across_two_cache_clients(limits: Any, clock: Any) -> None:
    """Two app servers are two cache clients of one cache: the count is one."""
    one, two = caches.create_connection("default"), caches.create_connection("default")
    assert one is not two
    server_a, server_b = Limiter(cache=one, clock=clock), Limiter(cache=two, clock=clock)
    request = RequestFactory().get("/api/v1/matching/search", REMOTE_ADDR="198.51.100.7")
    request.user = UserFactory()
    assert [server_a.hit("search", request), server_b.hit("search", request), server_a.hit("search", request)] == [
        None,
        None,
        None,
    ]
    assert server_b.hit("search", request) == 55
    assert server_a.hit("search", request) == 55


class _DownCache:
    def add(self, *args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("Redis is restarting")

    def incr(self, *args: Any, **kwargs: Any) -> int:
        raise ConnectionError("Redis is restarting")


class _SilentDownCache:
    """django-redis with IGNORE_EXCEPTIONS: every call answers None instead of raising."""

    def add(self, *args: Any, **kwargs: Any) -> None:
        return None

    def incr(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.mark.parametrize("down", [_DownCache, _SilentDownCache])
def test_a_cache_outage_lets_requests_through_with_a_warning(
    limits: Any, clock: Any, caplog: Any, monkeypatch: pytest.MonkeyPatch, client: Any, down: Any
) -> None:
    monkeypatch.setattr(ratelimit, "limiter", Limiter(cache=down(), clock=clock))
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="cityexchange.core.ratelimit"):
        assert {_search_page(client).status_code for _ in range(5)} == {200}
    assert "Rate limit counter unavailable" in caplog.text


def test_nothing_is_counted_when_limits_are_off(settings: Any, limits: Any, client: Any) -> None:
    settings.RATE_LIMITS_ENABLED = False
    client.force_login(UserFactory())
    assert {_search_page(client).status_code for _ in range(5)} == {200}


def test_a_scope_with_no_limit_for_anonymous_visitors(settings: Any, limits: Any, client: Any) -> None:
    settings.RATE_LIMITS = {**limits, "search": ("3/m", "off")}
    assert {_search_page(client).status_code for _ in range(5)} == {200}


def test_forwarded_for_is_trusted_only_as_far_as_the_settings_say(settings: Any) -> None:
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.RATE_LIMIT_TRUSTED_PROXIES = 0
    assert client_address(spoofed) == "10.0.0.2"
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    assert client_address(spoofed) == "203.0.113.9"  # the address our proxy saw, not what the client wrote
    settings.RATE_LIMIT_TRUSTED_PROXIES = 2
    assert client_address(spoofed) == "1.2.3.4"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"  # no header: the direct peer
    settings.RATE_LIMIT_TRUSTED_PROXIES = 0
    v6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert client_address(v6) == "2001:db8:1:2::/64"
    assert client_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::7")) == client_address(v6)
    assert client_address(rf.get("/", REMOTE_ADDR="::ffff:198.51.100.1")) == "198.51.100.1"


def test_an_unknown_scope_is_a_configuration_error(limits: Any) -> None:
    request = RequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.limiter.hit("nonexistent", request)
