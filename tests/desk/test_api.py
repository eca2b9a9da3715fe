"""The desk's API: the workflow and each refusal (anonymous, not an officer, the translating city approving, a third
city, bad languages, approving twice)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cityexchange.desk.models import TranslationVersion
from cityexchange.practices.models import PracticeTranslation
from tests.registry.factories import UserFactory

from .conftest import ru_text

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_languages_and_requests(client, practice, kazan_officer):
    assert client.get("/api/v1/desk/languages").status_code == 401
    assert _post(client, "/api/v1/desk/requests", {"practice_id": practice.pk, "language": "ru"}).status_code == 401
    client.force_login(kazan_officer)
    r = client.put("/api/v1/desk/languages", json.dumps({"languages": ["ru", "en"]}), content_type="application/json")
    assert r.status_code == 200 and r.json() == {"languages": ["en", "ru"]}
    r = client.put("/api/v1/desk/languages", json.dumps({"languages": ["xx"]}), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "languages"
    r = _post(client, "/api/v1/desk/requests", {"practice_id": practice.pk, "language": "ru"})
    assert r.status_code == 201 and r.json() == {
        "practice_id": practice.pk,
        "challenge_id": None,
        "contact_request_id": None,
        "language": "ru",
        "readers": 1,
    }
    assert _post(client, "/api/v1/desk/requests", {"practice_id": practice.pk, "language": "ru"}).status_code == 409
    for bad in ("pt", "de"):
        r = _post(client, "/api/v1/desk/requests", {"practice_id": practice.pk, "language": bad})
        assert r.status_code == 422 and r.json()["field"] == "language"
    [item] = client.get("/api/v1/desk/wanted").json()  # declared languages by default
    assert (item["practice_id"], item["language"], item["readers"]) == (practice.pk, "ru", 1)
    r = client.get("/api/v1/desk/wanted", {"language": "klingon"})
    assert r.status_code == 422 and r.json()["field"] == "language"


def test_translate_and_review(client, practice, kazan_officer, shanghai_officer, sao_paulo_coordinator):
    body = {"practice_id": practice.pk, "language": "ru", **ru_text()}
    assert _post(client, "/api/v1/desk/translations", body).status_code == 401
    client.force_login(UserFactory())
    assert _post(client, "/api/v1/desk/translations", body).status_code == 403
    client.force_login(kazan_officer)
    r = _post(client, "/api/v1/desk/translations", {**body, "language": "pt"})
    assert r.status_code == 422 and r.json()["field"] == "language"
    r = _post(client, "/api/v1/desk/translations", {**body, "indicator_names": ["Время поездки", ""]})
    assert r.status_code == 422 and r.json()["field"] == "indicator_names[1]"
    r = _post(client, "/api/v1/desk/translations", body)
    assert r.status_code == 201 and r.json()["status"] == "submitted" and r.json()["city"] == "Kazan"
    version_id = r.json()["id"]
    assert client.post(f"/api/v1/desk/translations/{version_id}/approve").status_code == 403
    client.force_login(shanghai_officer)
    assert client.get(f"/api/v1/desk/translations/{version_id}").status_code == 404
    assert client.post(f"/api/v1/desk/translations/{version_id}/approve").status_code == 404
    client.force_login(sao_paulo_coordinator)
    r = _post(client, f"/api/v1/desk/translations/{version_id}/return", {"note": ""})
    assert r.status_code == 422 and r.json()["field"] == "note"
    r = client.post(f"/api/v1/desk/translations/{version_id}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert client.post(f"/api/v1/desk/translations/{version_id}/approve").status_code == 409
    assert PracticeTranslation.objects.get(practice=practice).title == ru_text()["title"]
    assert TranslationVersion.objects.count() == 1
