from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityexchange.practices import services
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "language": "ru",
        "title": "Умные светофоры",
        "summary": "Адаптивные светофоры.",
        "problem": "Пробки на **главных** улицах.",
        "solution": "Датчики и <script>alert(1)</script> адаптивное управление.",
        "results_text": "",
        "cost_band": "1m-10m",
        "currency": "RUB",
        "maturity": "scaled",
        "sectors": ["transportation"],
        "sdgs": ["11", "9"],
        "climates": ["continental"],
        "partners": "KAI\nTatneft",
        "links": "https://example.org/a",
        "ind-TOTAL_FORMS": "2",
        "ind-INITIAL_FORMS": "0",
        "ind-0-name": "Travel time",
        "ind-0-baseline": "42",
        "ind-0-achieved": "31",
        "ind-0-unit": "min",
        "ind-0-year": "2022",
    }
    data.update(overrides)
    return data


def test_list_page_with_facets_and_sort(client, kazan, sao_paulo):
    PracticeFactory(city=kazan, status="published", title="Kazan water", sectors=["water"], language_id="ru")
    PracticeFactory(city=sao_paulo, status="published", title="SP energy", sectors=["energy"], language_id="pt")
    PracticeFactory(city=kazan, status="draft", title="Secret draft")
    html = client.get("/en/practices/").content.decode()
    assert "Kazan water" in html and "SP energy" in html and "Secret draft" not in html
    assert "sector=water" in html and "Русский" in html
    html = client.get("/en/practices/", {"sector": "water", "sort": "title"}).content.decode()
    assert "Kazan water" in html and "SP energy" not in html
    r = client.get("/en/practices/", {"sdg": "99"})
    assert r.status_code == 422 and "SDG" in r.content.decode()
    r = client.get("/en/practices/", {"sort": "<script>"})
    assert r.status_code == 422 and "<script>" not in r.content.decode()
    assert client.get("/ar/practices/").status_code == 200


def test_officer_creates_through_the_form_and_markdown_is_sanitised(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    assert client.get("/en/practices/new/").status_code == 200
    r = client.post("/en/practices/new/", form_data(city=kazan.pk))
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Practice.objects.get()
    assert p.indicators.get().achieved == 31.0 and p.partners == ["KAI", "Tatneft"] and p.sdg_list == [9, 11]
    html = client.get(f"/en/practices/{p.pk}/").content.decode()
    assert "<strong>главных</strong>" in html and "<script>alert" not in html
    assert 'lang="ru"' in html and "Submit for review" in html


def test_form_errors_are_shown_next_to_fields(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    r = client.post("/en/practices/new/", form_data(city=kazan.pk, currency="ZZZ", **{"ind-1-name": "Half row"}))
    assert r.status_code == 422
    html = r.content.decode()
    assert "Unknown currency code" in html and 'data-field="ind-1-achieved"' in html
    assert not Practice.objects.exists()
    r = client.post("/en/practices/new/", form_data(city=kazan.pk, period_start="2020", period_end="2010"))
    assert r.status_code == 422 and "before the start year" in r.content.decode()


def test_edit_submit_return_publish_through_pages(client, draft, kazan_officer, secretariat):
    client.force_login(kazan_officer)
    assert client.get(f"/en/practices/{draft.pk}/edit/").status_code == 200
    r = client.post(f"/en/practices/{draft.pk}/edit/", form_data(title="Новое"))
    assert r.status_code == 302 and Practice.objects.get(pk=draft.pk).title == "Новое"
    client.post(f"/en/practices/{draft.pk}/workflow/", {"action": "submit"})
    assert Practice.objects.get(pk=draft.pk).status == "submitted"
    client.post(f"/en/practices/{draft.pk}/workflow/", {"action": "publish"})  # not theirs to do
    assert Practice.objects.get(pk=draft.pk).status == "submitted"
    client.force_login(secretariat)
    assert "Новое" in client.get("/en/practices/review/").content.decode()
    client.post(f"/en/practices/{draft.pk}/workflow/", {"action": "return", "comment": "Add costs"})
    assert Practice.objects.get(pk=draft.pk).status == "returned"
    client.force_login(kazan_officer)
    html = client.get(f"/en/practices/{draft.pk}/").content.decode()
    assert "Add costs" in html
    client.post(f"/en/practices/{draft.pk}/workflow/", {"action": "submit"})
    client.force_login(secretariat)
    client.post(f"/en/practices/{draft.pk}/workflow/", {"action": "publish"})
    assert Practice.objects.get(pk=draft.pk).status == "published"
    html = client.get(f"/en/practices/{draft.pk}/versions/").content.decode()
    assert 'data-version="6"' in html and "publish" in html


def test_translation_and_attachment_pages(client, draft, kazan_officer, media):
    client.force_login(kazan_officer)
    client.post(f"/en/practices/{draft.pk}/translations/", {"language": "en", "title": "One", "summary": "Sum"})
    html = client.get(f"/en/practices/{draft.pk}/").content.decode()
    assert 'data-translation="en"' in html and "not the original" in html
    client.post(f"/en/practices/{draft.pk}/attachments/", {"file": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")})
    a = draft.attachments.get()
    r = client.get(f"/en/practices/{draft.pk}/attachments/{a.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    r = client.post(f"/en/practices/{draft.pk}/attachments/", {"file": SimpleUploadedFile("r.exe", b"MZ")}, follow=True)
    assert "Only PDF documents and images" in r.content.decode()
    client.post(f"/en/practices/{draft.pk}/attachments/{a.pk}/delete/")
    assert not draft.attachments.exists()


def test_dashboard_shows_the_city_work(client, draft, published, kazan_officer, sao_paulo_coordinator):
    client.force_login(kazan_officer)
    html = client.get("/en/practices/my-city/").content.decode()
    assert draft.title in html and "Published one" in html and 'data-group="challenges"' in html
    client.force_login(sao_paulo_coordinator)
    html = client.get("/en/practices/my-city/").content.decode()
    assert draft.title not in html
    assert client.get(f"/en/practices/my-city/?city={draft.city_id}").status_code == 404


def test_city_page_lists_visible_practices(client, draft, published, kazan):
    html = client.get(f"/en/cities/{kazan.pk}/").content.decode()
    assert "Published one" in html and draft.title not in html


def test_export_from_the_ui(client, published, draft):
    r = client.get("/en/practices/export/", {"format": "csv"})
    assert r.status_code == 200 and "Published one" in r.content.decode() and draft.title not in r.content.decode()
    assert client.get("/en/practices/export/", {"format": "pdf"}).status_code == 422


def test_every_page_refuses_anonymous_and_other_cities(
    client, kazan, draft, published, sao_paulo_coordinator, kazan_officer, media
):
    services.practice_set_translation(actor=kazan_officer, practice=published, language="en", title="T", summary="S")
    attachment = services.practice_add_attachment(
        actor=kazan_officer, practice=draft, upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4")
    )
    pages = [
        ("get", f"/en/practices/{draft.pk}/", {}),
        ("get", f"/en/practices/{draft.pk}/edit/", {}),
        ("post", f"/en/practices/{draft.pk}/edit/", form_data(title="Hijack")),
        ("get", f"/en/practices/{published.pk}/edit/", {}),
        ("post", f"/en/practices/{published.pk}/edit/", form_data(title="Hijack")),
        ("post", f"/en/practices/{draft.pk}/workflow/", {"action": "submit"}),
        ("post", f"/en/practices/{published.pk}/workflow/", {"action": "archive"}),
        ("get", f"/en/practices/{published.pk}/versions/", {}),
        ("post", f"/en/practices/{published.pk}/translations/", {"action": "delete", "language": "en"}),
        ("post", f"/en/practices/{published.pk}/attachments/", {}),
        ("get", f"/en/practices/{draft.pk}/attachments/{attachment.pk}/", {}),
        ("post", f"/en/practices/{draft.pk}/attachments/{attachment.pk}/delete/", {}),
        ("get", "/en/practices/review/", {}),
        ("get", "/en/practices/new/", {}),
        ("post", "/en/practices/new/", form_data(city=kazan.pk)),
        ("get", "/en/practices/my-city/", {}),
    ]
    for who in ("anonymous", "stranger"):
        if who == "stranger":
            client.force_login(sao_paulo_coordinator)
        for method, url, data in pages:
            r = getattr(client, method)(url, data)
            allowed = {302, 404} if who == "anonymous" else {403, 404}
            if who == "anonymous" and url.endswith(f"{draft.pk}/"):
                allowed = {404}
            if who == "stranger" and url.endswith(("/new/", "/my-city/")):
                # A coordinator of São Paulo may use these pages, for São Paulo only: Kazan is no choice.
                allowed = {200} if method == "get" else {422}
            assert r.status_code in allowed, (who, method, url, r.status_code)
            if r.status_code == 302:
                assert "/accounts/login/" in r["Location"] or who == "stranger"
    assert Practice.objects.filter(title="Hijack").count() == 0
    assert Practice.objects.get(pk=draft.pk).status == "draft"
    assert Practice.objects.get(pk=published.pk).status == "published"
    assert published.translations.count() == 1 and draft.attachments.count() == 1
    assert Practice.objects.count() == 2


@pytest.mark.parametrize("url", ["/en/practices/99999999999999999999/", "/en/practices/0/edit/"])
def test_bad_ids_are_404(client, reference, url):
    assert client.get(url).status_code in (302, 404)


def test_stranger_cannot_create_for_another_city(client, kazan, sao_paulo_coordinator):
    client.force_login(sao_paulo_coordinator)
    r = client.post("/en/practices/new/", form_data(city=kazan.pk, title="Hijack"))
    assert r.status_code == 422 and not Practice.objects.exists()


def test_published_practice_hides_contact_from_anonymous(client, published):
    html = client.get(f"/en/practices/{published.pk}/").content.decode()
    assert "ivan@kzn.example" not in html and "Published one" in html
