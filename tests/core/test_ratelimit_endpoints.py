"""Every costly page and API operation is limited in its scope, and the API documents its 429."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from ninja import Router

from cityexchange.core import ratelimit
from cityexchange.core.api_support import ErrorOut
from tests.core.ratelimit_support import FakeClock, switch_on
from tests.forum.factories import EventFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limits(settings: Any, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Iterator[dict[str, Any]]:
    yield switch_on(settings, monkeypatch, clock)
    cache.clear()


ADDRESS = "192.0.2.10"

# (method, address, scope, who): "anon" requests come from ADDRESS, "user" ones from a signed-in user.
PAGES = [
    ("get", "/en/matching/?q=bus+lanes", "search", "anon"),
    ("get", "/en/matching/challenges/1/", "recommend", "anon"),
    ("get", "/en/matching/cities/1/", "recommend", "anon"),
    ("get", "/en/practices/export/?format=csv", "export", "anon"),
    ("get", "/en/cooperation/open-data/practices.csv", "export", "anon"),
    ("get", "/en/insights/figures/population.csv", "export", "anon"),
    ("get", "/en/insights/figures/population.svg", "export", "user"),
    ("get", "/en/insights/report/?format=pdf", "report", "user"),
    ("post", "/en/forum/{slug}/manage/schedule/", "schedule", "organiser"),
]
API = [
    ("get", "/api/v1/matching/search?q=bus+lanes", "search", "anon"),
    ("get", "/api/v1/matching/recommendations/1", "recommend", "user"),
    ("get", "/api/v1/matching/cities/1/similar", "recommend", "anon"),
    ("get", "/api/v1/practices/export?format=csv", "export", "anon"),
    ("get", "/api/v1/challenges/export", "export", "user"),
    ("get", "/api/v1/cooperation/open-data/agreements.json", "export", "anon"),
    ("post", "/api/v1/forum/events/{event_id}/schedule/build", "schedule", "organiser"),
]


@pytest.fixture
def event(reference: None) -> Any:
    return EventFactory()


def _exhaust(scope: str, user: Any) -> None:
    """Use up the scope's allowance the way three earlier requests would have."""
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    request.user = user or AnonymousUser()
    for _ in range(3):
        assert ratelimit.limiter.hit(scope, request) is None


def _call(client: Any, method: str, path: str, event: Any, who: str) -> tuple[Any, Any]:
    """Sign in as `who` and return the user with a function that sends the request."""
    user = None
    if who in ("user", "organiser"):
        user = UserFactory()
        client.force_login(user)
    if who == "organiser":
        event.organisers.add(user)
    path = path.format(slug=event.slug, event_id=event.pk)

    def send() -> Any:
        if method == "post" and path.startswith("/api/"):
            body = json.dumps({"time_limit": 3})
            return client.post(path, body, content_type="application/json", REMOTE_ADDR=ADDRESS)
        if method == "post":
            return client.post(path, {"action": "build", "time_limit": 3}, REMOTE_ADDR=ADDRESS)
        return client.get(path, REMOTE_ADDR=ADDRESS)

    return user, send


@pytest.mark.parametrize(("method", "path", "scope", "who"), PAGES)
def test_each_costly_page_is_limited(
    client: Any, limits: Any, event: Any, method: str, path: str, scope: str, who: str
) -> None:
    user, send = _call(client, method, path, event, who)
    _exhaust(scope, user)
    response = send()
    assert response.status_code == 429
    assert response["Retry-After"] == "55"
    assert "Please try again in 55 seconds." in response.content.decode()


@pytest.mark.parametrize(("method", "path", "scope", "who"), API)
def test_each_costly_api_operation_is_limited(
    client: Any, limits: Any, event: Any, method: str, path: str, scope: str, who: str
) -> None:
    user, send = _call(client, method, path, event, who)
    _exhaust(scope, user)
    response = send()
    assert response.status_code == 429
    assert response["Retry-After"] == "55"
    body = response.json()
    assert set(body) == {"detail", "field"}
    ErrorOut.model_validate(body)


def test_scopes_are_counted_apart(client: Any, limits: Any) -> None:
    _exhaust("export", None)
    assert client.get("/en/matching/cities/1/", REMOTE_ADDR=ADDRESS).status_code == 404  # recommend: not used up
    assert client.get("/en/cooperation/open-data/practices.csv", REMOTE_ADDR=ADDRESS).status_code == 429


def test_schedule_page_limits_builds_only(client: Any, limits: Any, event: Any) -> None:
    """Pinning and viewing the schedule stay free while builds are used up."""
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    _exhaust("schedule", organiser)
    assert client.get(f"/en/forum/{event.slug}/manage/schedule/").status_code == 200
    assert client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "pin", "meeting": 0}).status_code == 302


def test_the_openapi_document_lists_429_exactly_for_the_limited_operations(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    expected = {
        ("GET", "/api/v1/matching/search"),
        ("GET", "/api/v1/matching/recommendations/{challenge_id}"),
        ("GET", "/api/v1/matching/cities/{city_id}/similar"),
        ("GET", "/api/v1/practices/export"),
        ("GET", "/api/v1/challenges/export"),
        ("GET", "/api/v1/cooperation/open-data/{dataset}.{fmt}"),
        ("POST", "/api/v1/forum/events/{event_id}/schedule/build"),
        ("POST", "/api/v1/accounts/tokens"),
    }
    documented = set()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if "429" in operation["responses"]:
                documented.add((method.upper(), path))
                schema = operation["responses"]["429"]["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/ErrorOut")
    assert documented == expected


def test_an_operation_that_does_not_document_429_cannot_be_limited() -> None:
    def undocumented(request: Any) -> Any:
        return None

    with pytest.raises(ImproperlyConfigured):
        Router().get("/undocumented", response={200: None})(ratelimit.api_rate_limit("search")(undocumented))
