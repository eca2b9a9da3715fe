from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory, practice_doc

pytestmark = pytest.mark.django_db
API = "/api/v1/practices"


def send(client, method, url, data=None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def test_officer_creates_edits_and_submits_over_the_api(client, kazan, kazan_officer, secretariat):
    client.force_login(kazan_officer)
    r = send(client, "post", f"{API}/", {"city_id": kazan.pk, **practice_doc()})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and body["sdgs"] == [9, 11] and body["contact"]["name"] == "Ivan Petrov"
    assert body["indicators"][0]["achieved"] == 30.0
    pid = body["id"]
    r = send(client, "put", f"{API}/{pid}", practice_doc(title="Renamed"))
    assert r.status_code == 200 and r.json()["title"] == "Renamed"
    assert client.get(f"{API}/{pid}/versions").json()[0]["changes"]["title"][1] == "Renamed"
    r = send(client, "put", f"{API}/{pid}/translations/en", {"title": "One window", "summary": "All in one."})
    assert r.status_code == 200 and r.json()["human_translation"] is True
    assert client.post(f"{API}/{pid}/submit").json()["status"] == "submitted"
    assert client.post(f"{API}/{pid}/publish").status_code == 403
    client.force_login(secretariat)
    assert [p["id"] for p in client.get(f"{API}/review-queue").json()] == [pid]
    r = send(client, "post", f"{API}/{pid}/return", {"comment": ""})
    assert r.status_code == 422 and r.json()["field"] == "comment"
    assert client.post(f"{API}/{pid}/publish").json()["status"] == "published"
    assert client.post(f"{API}/{pid}/publish").status_code == 409
    client.logout()
    body = client.get(f"{API}/{pid}").json()
    assert body["translations"] == [
        {"language": "en", "title": "One window", "summary": "All in one.", "human_translation": True}
    ]
    assert body["contact"] is None  # contact details only for signed-in users


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"title": ""}, "title"),
        ({"sdgs": [42]}, "sdgs[0]"),
        ({"maturity": "eternal"}, "maturity"),
        ({"transfer_conditions": {"climates": ["lunar"]}}, "transfer_conditions.climates"),
        ({"indicators": [{"name": "x"}]}, "indicators[0].achieved"),
        ({"sdgs": "eleven"}, "sdgs"),
        ({"period_start": "soon"}, "period_start"),
    ],
)
def test_invalid_payloads_get_422_naming_the_field(client, kazan, kazan_officer, patch, field):
    client.force_login(kazan_officer)
    r = send(client, "post", f"{API}/", {"city_id": kazan.pk, **practice_doc(), **patch})
    assert r.status_code == 422 and r.json()["field"] == field, r.content
    assert not Practice.objects.exists()


def test_unknown_city_and_bad_json(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    r = send(client, "post", f"{API}/", {"city_id": 2**62, **practice_doc()})
    assert r.status_code == 422 and r.json()["field"] == "city_id"
    r = client.post(f"{API}/", data="{not json", content_type="application/json")
    assert r.status_code in (400, 422)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sector": "space"}, "sector"),
        ({"country": "XX"}, "country"),
        ({"sdg": 40}, "sdg"),
        ({"sdg": "x"}, "sdg"),
        ({"sort": "random"}, "sort"),
        ({"page_size": 0}, "page_size"),
        ({"maturity": "x"}, "maturity"),
        ({"language": "zz"}, "language"),
    ],
)
def test_bad_filters_get_422_naming_the_field(client, reference, params, field):
    r = client.get(f"{API}/", params)
    assert r.status_code == 422 and r.json()["field"] == field


@pytest.mark.parametrize("pid", ["0", "-3", "99999999999999999999999", "abc"])
def test_bad_ids_are_404_or_422_never_500(client, reference, pid):
    assert client.get(f"{API}/{pid}").status_code in (404, 422)


def test_list_filters_and_facets(client, kazan, sao_paulo, kazan_officer):
    a = PracticeFactory(city=kazan, status="published", sectors=["water"], sdgs=[6], language_id="ru")
    PracticeFactory(city=sao_paulo, status="published", sectors=["energy"], sdgs=[7], language_id="pt")
    draft = PracticeFactory(city=kazan, status="draft")
    body = client.get(f"{API}/", {"sector": "water"}).json()
    assert body["count"] == 1 and body["results"][0]["id"] == a.pk
    assert client.get(f"{API}/").json()["count"] == 2
    client.force_login(kazan_officer)
    assert draft.pk in [p["id"] for p in client.get(f"{API}/", {"status": "draft"}).json()["results"]]
    facets = client.get(f"{API}/facets").json()
    assert {f["value"] for f in facets["language"]} == {"ru", "pt", "en"}
    dash = client.get(f"{API}/my-city").json()
    assert dash["city_id"] == kazan.pk and dash["counts"]["draft"] == 1 and dash["counts"]["published"] == 1


def test_every_operation_refuses_anonymous_and_other_cities(
    client, kazan, kazan_officer, sao_paulo, sao_paulo_coordinator, media
):
    draft = PracticeFactory(city=kazan, status="draft")
    submitted = PracticeFactory(city=kazan, status="submitted")
    published = PracticeFactory(city=kazan, status="published")
    ops = [
        ("post", f"{API}/", {"city_id": kazan.pk, **practice_doc()}),
        ("put", f"{API}/{draft.pk}", practice_doc()),
        ("put", f"{API}/{published.pk}", practice_doc()),
        ("post", f"{API}/{draft.pk}/submit", None),
        ("post", f"{API}/{submitted.pk}/publish", None),
        ("post", f"{API}/{submitted.pk}/return", {"comment": "no"}),
        ("post", f"{API}/{published.pk}/archive", None),
        ("get", f"{API}/{draft.pk}", None),
        ("get", f"{API}/{draft.pk}/versions", None),
        ("get", f"{API}/{published.pk}/versions", None),
        ("put", f"{API}/{published.pk}/translations/en", {"title": "x", "summary": "y"}),
        ("delete", f"{API}/{published.pk}/translations/en", None),
        ("delete", f"{API}/{published.pk}/attachments/1", None),
        ("get", f"{API}/review-queue", None),
        ("get", f"{API}/my-city?city_id={kazan.pk}", None),
    ]
    for who in (None, sao_paulo_coordinator):
        if who:
            client.force_login(who)
        for method, url, data in ops:
            r = send(client, method, url, data) if data is not None else getattr(client, method)(url)
            assert r.status_code in (401, 403, 404), (who, method, url, r.status_code)
        r = client.post(f"{API}/{published.pk}/attachments", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
        assert r.status_code in (401, 403)
    assert Practice.objects.get(pk=draft.pk).status == "draft"
    assert Practice.objects.get(pk=submitted.pk).status == "submitted"
    assert Practice.objects.get(pk=published.pk).status == "published"
    assert Practice.objects.count() == 3
    assert not published.translations.exists() and not published.attachments.exists()


def test_attachment_upload_over_the_api(client, kazan_officer, published, media):
    client.force_login(kazan_officer)
    r = client.post(f"{API}/{published.pk}/attachments", {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n..")})
    assert r.status_code == 201 and r.json()["attachments"][0]["name"] == "plan.pdf"
    r = client.post(f"{API}/{published.pk}/attachments", {"file": SimpleUploadedFile("x.pdf", b"<script>")})
    assert r.status_code == 422 and r.json()["field"] == "file"
    url = r.json() and client.get(f"{API}/{published.pk}").json()["attachments"][0]["url"]
    client.logout()
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_export_json_and_csv(client, published):
    r = client.get(f"{API}/export", {"format": "json"})
    assert r.status_code == 200 and r.json()[0]["external_id"] == published.external_id
    assert r.json()[0]["status"] == "published"
    r = client.get(f"{API}/export", {"format": "csv"})
    assert r.status_code == 200 and r.content.decode().splitlines()[0].startswith("external_id,city_geonames_id")
    assert client.get(f"{API}/export", {"format": "xml"}).status_code == 422


def test_schema_is_published(client, reference):
    schema = client.get(f"{API}/schema").json()
    assert schema["type"] == "array" and "water" in schema["items"]["properties"]["sectors"]["items"]["enum"]
