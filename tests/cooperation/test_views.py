from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityexchange.cooperation.models import ContactRequest, Cooperation
from tests.cooperation.factories import YESTERDAY, walk

pytestmark = pytest.mark.django_db


def test_contact_request_page_flow(client, kazan_officer, sao_paulo_officer, practice, stranger):
    url = f"/en/cooperation/contact/new/?practice={practice.pk}"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(kazan_officer)
    assert "Exclusive bus lanes" in client.get(url).content.decode()
    r = client.post("/en/cooperation/contact/new/", {"practice": practice.pk, "message": ""})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    r = client.post("/en/cooperation/contact/new/", {"practice": practice.pk, "message": "Let us talk"})
    req = ContactRequest.objects.get()
    assert r.status_code == 302 and r.url == f"/en/cooperation/contact/{req.pk}/"
    r = client.post("/en/cooperation/contact/new/", {"practice": practice.pk, "message": "Again"})
    assert "already has an open request" in r.content.decode()
    client.force_login(stranger)
    assert client.get(f"/en/cooperation/contact/{req.pk}/").status_code == 404
    client.force_login(kazan_officer)
    r = client.post(f"/en/cooperation/contact/{req.pk}/", {"action": "accept"})
    assert r.status_code == 403 or "Only officers" in r.content.decode()
    client.force_login(sao_paulo_officer)
    html = client.get("/en/cooperation/").content.decode()
    assert f"/en/cooperation/contact/{req.pk}/" in html
    r = client.post(f"/en/cooperation/contact/{req.pk}/", {"action": "decline", "answer": ""})
    assert r.status_code == 422 and ContactRequest.objects.get().status == "pending"
    r = client.post(f"/en/cooperation/contact/{req.pk}/", {"action": "accept", "answer": "Welcome"})
    coop = Cooperation.objects.get()
    assert r.status_code == 302 and r.url == f"/en/cooperation/{coop.pk}/"


def test_contact_new_without_subject_is_a_clear_error(client, kazan_officer):
    client.force_login(kazan_officer)
    assert client.get("/en/cooperation/contact/new/").status_code == 422
    assert client.get("/en/cooperation/contact/new/?practice=abc").status_code == 404


def test_timeline_and_moves_through_pages(
    client, cooperation, kazan_officer, stranger, kazan, sao_paulo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(kazan_officer)
    html = client.get(f"/en/cooperation/{cooperation.pk}/").content.decode()
    assert 'data-to="study_visit"' in html and 'data-to="pilot"' not in html
    url = f"/en/cooperation/{cooperation.pk}/move/agreement/"
    data = {
        "occurred_on": YESTERDAY.isoformat(),
        "agreement_kind": "memorandum",
        "signed_on": YESTERDAY.isoformat(),
        f"signatory_{kazan.pk}_name": "Mayor of Kazan",
        "private_note": "Budget 1M",
        "documents": SimpleUploadedFile("mou.pdf", b"%PDF-1.4 mou", content_type="application/pdf"),
    }
    r = client.post(url, data)
    assert r.status_code == 422 and "signatory for each" in r.content.decode()
    data[f"signatory_{sao_paulo.pk}_name"] = "Mayor of São Paulo"
    data["documents"] = SimpleUploadedFile("mou.pdf", b"%PDF-1.4 mou", content_type="application/pdf")
    r = client.post(url, data)
    assert r.status_code == 302
    html = client.get(f"/en/cooperation/{cooperation.pk}/").content.decode()
    assert "Mayor of São Paulo" in html and "Budget 1M" in html and "mou.pdf" in html
    assert client.get(f"/en/cooperation/{cooperation.pk}/move/pilot/").status_code == 200
    r = client.post(
        f"/en/cooperation/{cooperation.pk}/move/evaluated/", {"occurred_on": YESTERDAY.isoformat(), "note": "x"}
    )
    assert r.status_code == 422 and Cooperation.objects.get().stage == "agreement"
    assert client.get(f"/en/cooperation/{cooperation.pk}/move/bogus/").status_code == 404
    client.force_login(stranger)
    html = client.get(f"/en/cooperation/{cooperation.pk}/").content.decode()
    assert "Mayor of São Paulo" in html and "Budget 1M" not in html and "mou.pdf" not in html
    assert client.get(f"/en/cooperation/{cooperation.pk}/move/pilot/").status_code == 403
    assert client.post(f"/en/cooperation/{cooperation.pk}/", {"note": "hi"}).status_code == 403
    doc_id = cooperation.events.last().documents.get().pk
    assert client.get(f"/en/cooperation/documents/{doc_id}/").status_code == 404
    client.force_login(kazan_officer)
    assert client.get(f"/en/cooperation/documents/{doc_id}/").status_code == 200


def test_evaluation_form_uses_the_practice_indicators(client, cooperation, kazan_officer, practice):
    walk(cooperation, kazan_officer, "agreement", "adoption")
    client.force_login(kazan_officer)
    ind = practice.indicators.first()
    url = f"/en/cooperation/{cooperation.pk}/move/evaluated/"
    assert "Bus speed" in client.get(url).content.decode()
    r = client.post(url, {"occurred_on": YESTERDAY.isoformat(), "note": "Done", f"result_{ind.pk}": "18"})
    assert r.status_code == 302 and Cooperation.objects.get().stage == "evaluated"


def test_close_needs_a_reason_on_the_page(client, cooperation, kazan_officer):
    client.force_login(kazan_officer)
    url = f"/en/cooperation/{cooperation.pk}/move/closed/"
    assert client.post(url, {"occurred_on": YESTERDAY.isoformat()}).status_code == 422
    assert client.post(url, {"occurred_on": YESTERDAY.isoformat(), "reason": "No budget"}).status_code == 302


def test_anonymous_sees_agreed_cooperations_only(client, cooperation, kazan_officer):
    assert client.get(f"/en/cooperation/{cooperation.pk}/").status_code == 404
    walk(cooperation, kazan_officer, "agreement")
    html = client.get(f"/en/cooperation/{cooperation.pk}/").content.decode()
    assert "secret agreement" not in html and "agreement done" in html


def test_city_page_section_and_city_list(client, cooperation, kazan, kazan_officer):
    assert "Cooperations" not in client.get(f"/en/cities/{kazan.pk}/").content.decode()  # nothing public yet
    client.force_login(kazan_officer)
    html = client.get(f"/en/cities/{kazan.pk}/").content.decode()
    assert f'data-cooperation="{cooperation.pk}"' in html
    assert f'data-cooperation="{cooperation.pk}"' in client.get(f"/en/cooperation/cities/{kazan.pk}/").content.decode()
    assert client.get("/en/cooperation/cities/999999/").status_code == 404


def test_overview_page(client, cooperation, secretariat, kazan_officer):
    client.force_login(kazan_officer)
    assert client.get("/en/cooperation/overview/").status_code == 403
    client.force_login(secretariat)
    html = client.get("/en/cooperation/overview/").content.decode()
    assert 'data-count="contact">1<' in html


def test_register_page_filters(client, cooperation, kazan_officer):
    walk(cooperation, kazan_officer, "agreement")
    html = client.get("/en/cooperation/register/").content.decode()
    assert "Mayor" in html and "Exclusive bus lanes" in html
    assert "data-agreement=" not in client.get("/en/cooperation/register/", {"kind": "contract"}).content.decode()
    r = client.get("/en/cooperation/register/", {"year": "nineteen"})
    assert r.status_code == 422 and "A year is a number" in r.content.decode()
    assert client.get("/ar/cooperation/register/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/en/cooperation/", "/en/cooperation/overview/", "/en/cooperation/contact/1/", "/en/cooperation/1/move/pilot/"],
)
def test_pages_need_sign_in(client, reference, path):
    r = client.get(path)
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_pages_are_translated(client, reference):
    assert "Реестр соглашений" in client.get("/ru/cooperation/register/").content.decode()
    html = client.get("/ar/cooperation/open-data/").content.decode()
    assert "البيانات المفتوحة" in html and 'dir="rtl"' in html
