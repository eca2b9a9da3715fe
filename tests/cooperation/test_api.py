from __future__ import annotations

import json

import pytest

from cityexchange.cooperation.models import ContactRequest, Cooperation
from tests.cooperation.factories import YESTERDAY, walk

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cooperation"


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_stages_table_is_public(client, reference):
    body = client.get(f"{BASE}/stages").json()
    by = {r["stage"]: r for r in body}
    assert by["agreement"]["moves_to"] == ["pilot", "adoption", "closed"]
    assert "signatories" in by["agreement"]["requires"]


def test_contact_request_flow(client, kazan_officer, sao_paulo_officer, practice, stranger):
    assert post(client, f"{BASE}/contact-requests", {"practice_id": practice.pk, "message": "Hi"}).status_code == 401
    client.force_login(kazan_officer)
    r = post(client, f"{BASE}/contact-requests", {"practice_id": practice.pk, "message": "Hi"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    req_id = r.json()["id"]
    r = post(client, f"{BASE}/contact-requests", {"practice_id": practice.pk, "message": "Hi again"})
    assert r.status_code == 409 and r.json()["field"] == "practice"
    r = post(client, f"{BASE}/contact-requests", {"practice_id": 999999, "message": "Hi"})
    assert r.status_code == 422 and r.json()["field"] == "practice_id"
    assert post(client, f"{BASE}/contact-requests/{req_id}/accept").status_code == 403
    client.force_login(stranger)
    assert client.get(f"{BASE}/contact-requests/{req_id}").status_code == 404
    assert post(client, f"{BASE}/contact-requests/{req_id}/accept").status_code == 404
    client.force_login(sao_paulo_officer)
    assert client.get(f"{BASE}/contact-requests").json()["count"] == 1
    r = post(client, f"{BASE}/contact-requests/{req_id}/accept", {"answer": "Yes"})
    assert r.status_code == 200 and r.json()["stage"] == "contact"
    assert r.json()["allowed_moves"] == ["study_visit", "agreement", "closed"]
    assert post(client, f"{BASE}/contact-requests/{req_id}/decline", {"answer": "No"}).status_code == 409


def test_moves_over_the_api_and_errors(client, cooperation, kazan_officer, stranger, kazan, sao_paulo, practice):
    url = f"{BASE}/cooperations/{cooperation.pk}/moves"
    client.force_login(stranger)
    assert post(client, url, {"to_stage": "study_visit", "occurred_on": str(YESTERDAY), "note": "x"}).status_code == 403
    client.force_login(kazan_officer)
    r = post(client, url, {"to_stage": "pilot", "occurred_on": str(YESTERDAY), "note": "x"})
    assert r.status_code == 409 and r.json()["field"] == "to_stage"
    r = post(client, url, {"to_stage": "bogus"})
    assert r.status_code == 409
    r = post(
        client,
        url,
        {
            "to_stage": "agreement",
            "occurred_on": str(YESTERDAY),
            "agreement_kind": "twinning",
            "signed_on": "2999-01-01",
            "signatories": [{"city_id": kazan.pk, "name": "A"}, {"city_id": sao_paulo.pk, "name": "B"}],
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "signed_on"
    assert Cooperation.objects.get(pk=cooperation.pk).stage == "contact"
    r = post(
        client,
        url,
        {
            "to_stage": "agreement",
            "occurred_on": str(YESTERDAY),
            "agreement_kind": "twinning",
            "signed_on": str(YESTERDAY),
            "private_note": "between us",
            "signatories": [{"city_id": kazan.pk, "name": "A"}, {"city_id": sao_paulo.pk, "name": "B"}],
        },
    )
    assert r.status_code == 201 and r.json()["agreement"]["kind"] == "twinning"
    assert r.json()["private_note"] == "between us"
    for stage in ("adoption",):
        assert post(client, url, {"to_stage": stage, "occurred_on": str(YESTERDAY), "note": "ok"}).status_code == 201
    ind = practice.indicators.first()
    r = post(client, url, {"to_stage": "evaluated", "occurred_on": str(YESTERDAY), "note": "ok", "results": []})
    assert r.status_code == 422 and r.json()["field"] == "results"
    r = post(
        client,
        url,
        {
            "to_stage": "evaluated",
            "occurred_on": str(YESTERDAY),
            "note": "ok",
            "results": [{"indicator_id": ind.pk, "value": 15}],
        },
    )
    assert r.status_code == 201 and r.json()["results"][0]["name"] == "Bus speed"


def test_private_notes_hidden_from_others_in_the_api(client, cooperation, kazan_officer, stranger, secretariat):
    walk(cooperation, kazan_officer, "study_visit")
    url = f"{BASE}/cooperations/{cooperation.pk}"
    for user, visible in ((kazan_officer, True), (secretariat, True), (stranger, False)):
        client.force_login(user)
        notes = [e["private_note"] for e in client.get(url).json()["timeline"]]
        assert ("secret study_visit" in notes) is visible
    client.logout()
    assert client.get(url).status_code == 404  # no agreement yet: not public


def test_open_and_note(client, kazan, sao_paulo, kazan_officer, stranger):
    client.force_login(kazan_officer)
    r = post(client, f"{BASE}/cooperations", {"city_ids": [kazan.pk, kazan.pk]})
    assert r.status_code == 422 and r.json()["field"] == "cities"
    r = post(client, f"{BASE}/cooperations", {"city_ids": [kazan.pk, 99999999]})
    assert r.status_code == 422 and r.json()["field"] == "city_ids"
    r = post(client, f"{BASE}/cooperations", {"city_ids": [kazan.pk, sao_paulo.pk], "title": "Snow"})
    assert r.status_code == 201 and r.json()["stage"] == "interest"
    coop_id = r.json()["id"]
    r = post(client, f"{BASE}/cooperations/{coop_id}/notes", {"private_note": "call"})
    assert r.status_code == 201 and r.json()["from_stage"] == r.json()["to_stage"] == "interest"
    client.force_login(stranger)
    assert post(client, f"{BASE}/cooperations/{coop_id}/notes", {"note": "x"}).status_code == 403
    assert client.get(f"{BASE}/cooperations", {"stage": "interest"}).json()["count"] == 1
    assert client.get(f"{BASE}/cooperations", {"stage": "nope"}).status_code == 422


def test_documents_upload(client, cooperation, kazan_officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(kazan_officer)
    url = f"{BASE}/cooperations/{cooperation.pk}/documents"
    r = client.post(url, {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")]})
    assert r.status_code == 201 and r.json()[0]["name"] == "a.pdf"
    r = client.post(url, {"files": [SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")]})
    assert r.status_code == 422 and r.json()["field"] == "documents"


def test_overview_only_for_secretariat(client, cooperation, secretariat, kazan_officer):
    client.force_login(kazan_officer)
    assert client.get(f"{BASE}/overview").status_code == 403
    client.force_login(secretariat)
    body = client.get(f"{BASE}/overview").json()
    assert {c["stage"]: c["count"] for c in body["counts"]}["contact"] == 1


def test_register_filters_and_errors(client, cooperation, kazan_officer, kazan):
    walk(cooperation, kazan_officer, "agreement")
    body = client.get(f"{BASE}/register").json()
    assert body["count"] == 1 and {c["name"] for c in body["results"][0]["cities"]} == {"Kazan", "São Paulo"}
    assert client.get(f"{BASE}/register", {"country": "BR", "kind": "memorandum"}).json()["count"] == 1
    assert client.get(f"{BASE}/register", {"kind": "twinning"}).json()["count"] == 0
    for params, field in (({"kind": "x"}, "kind"), ({"country": "XX"}, "country"), ({"year": "abc"}, "year")):
        r = client.get(f"{BASE}/register", params)
        assert r.status_code == 422 and r.json()["field"] == field


def test_expired_request_cannot_be_accepted_over_the_api(client, contact_request, sao_paulo_officer):
    from django.utils import timezone

    ContactRequest.objects.filter(pk=contact_request.pk).update(expires_at=timezone.now())
    client.force_login(sao_paulo_officer)
    assert post(client, f"{BASE}/contact-requests/{contact_request.pk}/accept").status_code == 409
