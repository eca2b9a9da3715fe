from __future__ import annotations

import json

import pytest

from cityexchange.matching.models import Alert, Feedback
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(sao_paulo):
    return PracticeFactory(city=sao_paulo, language_id="pt", status=Practice.Status.PUBLISHED)


def test_search_page_and_api_validate_input(client, reference):
    assert client.get("/en/matching/").status_code == 200
    r = client.get("/en/matching/", {"q": "x", "sdg": "99"})
    assert r.status_code == 422 and 'data-field="sdg"' in r.content.decode()
    r = client.get("/api/v1/matching/search")
    assert r.status_code == 422 and r.json()["field"] == "q"
    r = client.get("/api/v1/matching/search", {"q": "buses", "maturity": "legendary"})
    assert r.status_code == 422 and r.json()["field"] == "maturity"
    r = client.get("/api/v1/matching/search", {"q": "buses", "k": 1000})
    assert r.status_code == 422 and r.json()["field"] == "k"


def test_alerts_need_login_and_belong_to_their_user(client, kazan, kazan_officer, sao_paulo_coordinator):
    assert client.get("/en/matching/alerts/").status_code == 302
    assert client.get("/api/v1/matching/alerts").status_code == 401
    client.force_login(kazan_officer)
    r = client.post(
        "/api/v1/matching/alerts",
        json.dumps({"city_id": kazan.pk, "query": "bus lanes"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    alert_id = r.json()["id"]
    r = client.post(
        "/api/v1/matching/alerts", json.dumps({"city_id": kazan.pk, "query": ""}), content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["field"] == "query"
    client.force_login(sao_paulo_coordinator)
    assert client.get("/api/v1/matching/alerts").json() == []
    assert client.delete(f"/api/v1/matching/alerts/{alert_id}").status_code == 404
    assert client.post(f"/en/matching/alerts/{alert_id}/delete/").status_code == 404
    r = client.post(
        "/api/v1/matching/alerts", json.dumps({"city_id": kazan.pk, "query": "x"}), content_type="application/json"
    )
    assert r.status_code == 403
    assert Alert.objects.count() == 1


def test_feedback_is_stored_and_changed(client, kazan_officer, published):
    client.force_login(kazan_officer)
    body = {"practice_id": published.pk, "useful": True, "query": "buses", "rank": 1}
    assert (
        client.post("/api/v1/matching/feedback", json.dumps(body), content_type="application/json").status_code == 200
    )
    body["useful"] = False
    assert (
        client.post("/api/v1/matching/feedback", json.dumps(body), content_type="application/json").status_code == 200
    )
    fb = Feedback.objects.get()
    assert fb.useful is False and fb.source == "search" and fb.rank == 1
    r = client.post(
        "/en/matching/feedback/",
        {"practice": published.pk, "useful": "1", "q": "buses", "next": "https://evil.example/"},
    )
    assert r.status_code == 302 and r["Location"] == "/en/matching/"
    assert Feedback.objects.get().useful is True


def test_feedback_on_a_draft_is_refused(client, kazan_officer, sao_paulo):
    draft = PracticeFactory(city=sao_paulo, status=Practice.Status.DRAFT)
    client.force_login(kazan_officer)
    r = client.post(
        "/api/v1/matching/feedback",
        json.dumps({"practice_id": draft.pk, "useful": True}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "practice_id"
    assert client.post("/en/matching/feedback/", {"practice": draft.pk, "useful": "1"}).status_code == 404
    assert client.post("/en/matching/feedback/", {"practice": "abc", "useful": "1"}).status_code == 404


def test_similar_cities_api_and_page(client, kazan, sao_paulo):
    r = client.get(f"/api/v1/matching/cities/{kazan.pk}/similar")
    assert r.status_code == 200 and [c["city"] for c in r.json()] == ["São Paulo"]
    assert client.get("/api/v1/matching/cities/999999/similar").status_code == 404
    assert "São Paulo" in client.get(f"/en/matching/cities/{kazan.pk}/").content.decode()


def test_feedback_report_counts_votes(reference, kazan_officer, sao_paulo_coordinator, published):
    from cityexchange.matching import services
    from cityexchange.matching.feedback_report import feedback_report

    services.feedback_record(actor=kazan_officer, practice=published, useful=True, source="search", query="a", rank=1)
    services.feedback_record(
        actor=sao_paulo_coordinator, practice=published, useful=False, source="search", query="a", rank=5
    )
    report = feedback_report()
    assert report["all"] == {"votes": 2, "useful_share": 0.5}
    assert report["by_rank"]["1"] == {"votes": 1, "useful_share": 1.0}
    assert report["by_rank"]["4-10"] == {"votes": 1, "useful_share": 0.0}
    assert report["by_source"]["challenge"] == {"votes": 0, "useful_share": None}
