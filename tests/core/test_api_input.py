"""No input reaches a 500: ids beyond the database's range, invalid Unicode, oversized bodies and bad tokens are
each answered with a clear JSON error (the findings of the security review, reproduced)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cityexchange.accounts.models import ApiToken
from cityexchange.accounts.services import api_token_create, api_token_revoke

HUGE = 289333198238517886976  # > 2^64
pytestmark = pytest.mark.django_db


@pytest.fixture
def token(secretariat: Any) -> str:
    return api_token_create(actor=secretariat, name="review")[1]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post_json(client: Client, url: str, data: Any, **headers: Any) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **headers)


def test_id_beyond_range_in_path_is_422_naming_it(client: Client, token: str) -> None:
    response = client.post(f"/api/v1/memberships/{HUGE}/reinstate", **bearer(token))
    assert response.status_code == 422
    assert response.json()["field"] == "city_id"


@pytest.mark.parametrize("value", [str(2**64), str(2**63)])
def test_id_beyond_range_in_query_is_422_naming_it(client: Client, value: str) -> None:
    response = client.get(f"/api/v1/governance/votes?body_id={value}")
    assert response.status_code == 422
    assert response.json()["field"] == "body_id"


def test_largest_id_is_a_plain_404(client: Client) -> None:
    response = client.get(f"/api/v1/practices/{2**63 - 1}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_id_beyond_range_in_a_body_list_is_422(client: Client, token: str) -> None:
    from tests.forum.factories import EventFactory

    event = EventFactory()
    payload = {
        "title": "Opening",
        "starts_at": "2026-09-01T09:00:00Z",
        "ends_at": "2026-09-01T10:00:00Z",
        "speaker_ids": [1, 2**64],
    }
    response = post_json(client, f"/api/v1/forum/events/{event.pk}/sessions", payload, **bearer(token))
    assert response.status_code == 422
    assert response.json()["field"].startswith("speaker_ids")


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/accounts/tokens", '{"name": "x\\ud800y"}', "name"),
        ("/api/v1/practices/", '{"title": "ok", "contact": {"name": "\\udfff"}}', "contact.name"),
        ("/api/v1/challenges/", '{"title": "a\\ud83d"}', "title"),
        ("/api/v1/matching/alerts", '{"query": "\\ud800", "city_id": 1}', "query"),
        ("/api/v1/applications", '{"letter": "fine", "priority_sectors": ["\\ud800"]}', "priority_sectors.0"),
    ],
)
def test_lone_surrogate_is_422_naming_the_field(client: Client, token: str, url: str, payload: str, field: str) -> None:
    response = post_json(client, url, payload, **bearer(token))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not ApiToken.objects.filter(name__startswith="x").exists()


def test_valid_astral_characters_still_pass(client: Client, token: str) -> None:
    """A correctly paired surrogate (an emoji written as \\ud83d\\ude00) is valid text."""
    response = post_json(client, "/api/v1/accounts/tokens", '{"name": "bus \\ud83d\\ude8c"}', **bearer(token))
    assert response.status_code == 201
    assert ApiToken.objects.filter(name="bus 🚌").exists()


def test_oversized_json_body_is_413_json(client: Client, token: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    payload = {"name": "x" * 200_000}
    response = post_json(client, "/api/v1/accounts/tokens", payload, **bearer(token))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_no_credentials_is_401_json_on_every_method(client: Client, reference: None, method: str) -> None:
    response = getattr(client, method)("/api/v1/accounts/tokens", content_type="application/json")
    assert response.status_code in (401, 405)
    if method in ("get", "post"):
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Authentication required")


@pytest.mark.parametrize("header", ["Bearer cx_not-a-real-token-at-all-1234", "Bearer", "Basic dXNlcjpwYXNz", "cx_"])
def test_malformed_or_unknown_token_is_401_even_on_post(client: Client, reference: None, header: str) -> None:
    response = post_json(client, "/api/v1/accounts/tokens", {"name": "n"}, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "CSRF" not in response.json()["detail"]


def test_revoked_token_is_401_on_post_and_on_public_reads(client: Client, secretariat: Any) -> None:
    token, plain = api_token_create(actor=secretariat, name="old")
    api_token_revoke(actor=secretariat, token=token)
    assert post_json(client, "/api/v1/accounts/tokens", {"name": "n"}, **bearer(plain)).status_code == 401
    # A public operation still tells the client its token is wrong instead of quietly answering as anonymous.
    assert client.get("/api/v1/practices/", **bearer(plain)).status_code == 401
    assert client.get("/api/v1/practices/").status_code == 200


def test_signed_in_session_still_needs_csrf(secretariat: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat)
    response = post_json(browser, "/api/v1/accounts/tokens", {"name": "n"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    browser.get("/en/")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    assert post_json(browser, "/api/v1/accounts/tokens", {"name": "n"}, HTTP_X_CSRFTOKEN=csrf).status_code == 201


@pytest.mark.parametrize("body", ["[null, null]", "42", '"text"', "null"])
def test_a_body_that_is_not_an_object_is_422(client: Client, token: str, body: str) -> None:
    """An array where a schema is expected was read as that schema with every field at its default."""
    response = client.put("/api/v1/desk/languages", body, content_type="application/json", **bearer(token))
    assert response.status_code == 422
    assert response.json()["field"] == "body"
