"""Forms that never lose work: limits shown and enforced with the input kept, the 413 page, Markdown preview, line
breaks kept, and the cost band checked against the cost (service, page, API and import apply one rule)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from cityexchange.practices import services
from cityexchange.practices.cost import band_fits, band_for
from cityexchange.practices.importer import parse_file, practices_import
from cityexchange.practices.models import Practice
from cityexchange.practices.reading import InvalidDocument
from cityexchange.practices.rendering import render_markdown
from cityexchange.practices.tabular import ImportFailed
from tests.practices.factories import import_row, practice_doc
from tests.practices.test_views import form_data

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def post_form(client, url, data):
    """As a browser sends a form without files: URL-encoded (multipart would count differently)."""
    return client.post(url, urlencode(data, doseq=True), content_type=FORM)


# --- cost band and cost ---------------------------------------------------------------------------------------
def test_bands_and_their_bounds():
    assert band_for(640_000_000) == "over-10m"
    assert band_for(99_999) == "under-100k" and band_for(1_000_000) == "100k-1m" and band_for(1_000_001) == "1m-10m"
    assert band_fits("1m-10m", 1_000_000) and band_fits("100k-1m", 1_000_000)  # a bound belongs to both
    assert not band_fits("1m-10m", 640_000_000) and not band_fits("over-10m", 5)


def test_service_refuses_a_band_that_contradicts_the_cost(kazan, kazan_officer):
    with pytest.raises(InvalidDocument) as err:
        services.practice_create(
            actor=kazan_officer, city=kazan, data=practice_doc(cost_band="1m-10m", cost_amount=640_000_000)
        )
    assert err.value.field == "cost_band"
    assert "640,000,000 RUB" in err.value.message and "over 10 million" in err.value.message
    assert not Practice.objects.exists()


def test_service_derives_the_band_when_only_the_cost_is_given(kazan, kazan_officer):
    practice = services.practice_create(
        actor=kazan_officer, city=kazan, data=practice_doc(cost_band="", cost_amount=640_000_000)
    )
    assert practice.cost_band == "over-10m"
    with pytest.raises(InvalidDocument) as err:  # neither: the band is still required
        services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(cost_band="", cost_amount=None))
    assert err.value.field == "cost_band"


def test_page_refuses_the_contradiction_on_the_field_and_keeps_the_input(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    r = post_form(client, "/en/practices/new/", form_data(city=kazan.pk, cost_band="1m-10m", cost_amount="640000000"))
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-field="cost_band"' in html and "over 10 million" in html
    assert 'value="640000000"' in html and "Умные светофоры" in html
    assert not Practice.objects.exists()
    r = post_form(client, "/en/practices/new/", form_data(city=kazan.pk, cost_band="", cost_amount="640000000"))
    assert r.status_code == 302
    assert Practice.objects.get().cost_band == "over-10m"


def test_api_refuses_the_contradiction_naming_the_field(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    payload = {"city_id": kazan.pk, **practice_doc(cost_band="1m-10m", cost_amount=640_000_000)}
    r = client.post("/api/v1/practices/", data=json.dumps(payload), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "cost_band"
    payload["cost_band"] = ""
    r = client.post("/api/v1/practices/", data=json.dumps(payload), content_type="application/json")
    assert r.status_code == 201 and r.json()["cost_band"] == "over-10m"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_import_reports_the_contradiction_with_row_and_column(secretariat, kazan, fmt):
    rows = [import_row("ok-1", kazan), import_row("bad-2", kazan, cost_band="under-100k", cost_amount=640_000_000)]
    if fmt == "csv":
        from cityexchange.practices.importer import export_practices

        practices_import(actor=secretariat, rows=parse_file(json.dumps(rows[:1]), "json"), fmt="json")
        text = export_practices(Practice.objects.all(), "csv")
        header, line = text.splitlines()[:2]
        bad = line.replace("ok-1", "bad-2", 1).replace(",over-10m,", ",under-100k,", 1)
        text = "\n".join([header, line, bad]) + "\n"
        expected_row = 3  # the spreadsheet's row, the header being row 1
    else:
        text = json.dumps(rows)
        expected_row = 2
    with pytest.raises(ImportFailed) as err:
        practices_import(actor=secretariat, rows=parse_file(text, fmt), fmt=fmt)
    assert [(e.row, e.column) for e in err.value.errors] == [(expected_row, "cost_band")]


def test_demo_practices_keep_band_and_cost_together():
    from pathlib import Path

    import cityexchange.practices as app

    demo = json.loads((Path(app.__file__).parent / "data" / "demo_practices.json").read_text())
    wrong = [p["external_id"] for p in demo if p.get("cost_amount") is not None
             and not band_fits(p["cost_band"], p["cost_amount"])]  # fmt: skip
    assert wrong == []


# --- lengths --------------------------------------------------------------------------------------------------
def test_form_shows_each_limit_and_text_areas_are_not_cut_by_the_browser(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    html = client.get("/en/practices/new/").content.decode()
    assert "20,000 characters at most" in html and "2,000 characters at most" in html
    assert 'data-max-chars="20000"' in html
    # A pasted text longer than `maxlength` would be cut silently by the browser; the counter says it instead.
    solution = html[html.index('name="solution"') - 200 : html.index('name="solution"') + 200]
    assert "maxlength" not in solution
    assert 'maxlength="200"' in html  # one-line fields keep it
    assert "js/forms.js" in html and "<script>" not in html.split("</header>", 1)[1]


def test_five_megabytes_of_text_come_back_with_a_message_naming_the_field(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    text = "START " + "Подробное описание решения. " * 100_000 + " END"  # 5.2 MB in UTF-8, 15.7 MB sent
    assert len(text.encode()) > 5_000_000
    r = post_form(client, "/en/practices/new/", form_data(city=kazan.pk, solution=text, title="Keep me"))
    assert r.status_code == 422
    html = r.content.decode()
    assert "“The solution” is too long: 20,000 characters at most, and this text has" in html
    assert html.count(text) == 1 and 'value="Keep me"' in html  # everything typed comes back
    assert not Practice.objects.exists()


def test_line_breaks_sent_by_browsers_count_as_one_character(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    summary = "a\r\n" * 999 + "b"  # 1,999 characters once CRLF is read as one line break, 2,998 bytes sent
    r = post_form(client, "/en/practices/new/", form_data(city=kazan.pk, summary=summary))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Practice.objects.get().summary == summary.replace("\r\n", "\n")


def test_challenge_form_limits_keep_the_input(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    assert "20,000 characters at most" in client.get("/en/challenges/new/").content.decode()
    data = {"city": kazan.pk, "language": "ru", "title": "Пробки", "description": "x" * 20_001}
    data["sectors"] = "transportation"
    r = post_form(client, "/en/challenges/new/", data)
    assert r.status_code in (200, 422)
    html = r.content.decode()
    assert "“What the city needs” is too long" in html and "x" * 20_001 in html


def test_an_oversized_request_gets_a_translated_page_with_a_way_back(client, kazan, kazan_officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client.force_login(kazan_officer)
    r = client.post(
        "/ru/practices/new/",
        urlencode(form_data(city=kazan.pk, solution="x" * 200_000)),
        content_type=FORM,
        HTTP_REFERER="http://testserver/ru/practices/new/",
    )
    assert r.status_code == 413
    html = r.content.decode()
    assert 'data-error="too-large"' in html and 'href="http://testserver/ru/practices/new/"' in html
    assert '<html lang="ru"' in html


# --- preview and line breaks ----------------------------------------------------------------------------------
def test_preview_renders_with_the_pages_renderer(client, kazan_officer):
    assert client.post("/en/practices/preview/", {"text": "**x**"}).status_code == 302  # signed-in users only
    client.force_login(kazan_officer)
    r = client.post("/en/practices/preview/", {"text": "Measures:\r\n- buses\r\n- **lanes**\r\n<script>x()</script>"})
    html = r.content.decode()
    assert r.status_code == 200 and html == render_markdown("Measures:\n- buses\n- **lanes**\n<script>x()</script>")
    assert "<li><strong>lanes</strong></li>" in html and "<script>" not in html
    assert client.get("/en/practices/preview/").status_code == 405
    too_long = client.post("/en/practices/preview/", {"text": "x" * 20_001}).content.decode()
    assert "Too long to preview" in too_long


def test_lines_typed_one_under_the_other_stay_apart():
    html = render_markdown("Measures:\n- buses\n- lanes\n\n1. first\n2. second\n\nKazan\nKremlin street 1")
    assert "<p>Measures:</p>" in html and "<ul>\n<li>buses</li>\n<li>lanes</li>\n</ul>" in html
    assert "<ol>" in html and "Kazan<br" in html
    assert render_markdown("**bold** text\n*emphasis* too").count("<li>") == 0  # emphasis is not a list


def test_published_page_keeps_the_lines(client, kazan, kazan_officer):
    practice = services.practice_create(
        actor=kazan_officer, city=kazan, data=practice_doc(solution="Steps:\n- sensors\n- adaptive lights")
    )
    client.force_login(kazan_officer)
    html = client.get(f"/en/practices/{practice.pk}/").content.decode()
    assert "<li>sensors</li>" in html and "<li>adaptive lights</li>" in html


def test_city_profile_form_shows_its_limit_and_names_the_field(client, kazan, kazan_coordinator):
    client.force_login(kazan_coordinator)
    url = f"/en/cities/{kazan.pk}/edit/"
    assert "10,000 characters at most" in client.get(url).content.decode()
    about = "Kazan on the Volga. " * 501  # 10,020 characters
    html = post_form(client, url, {"website": "https://kazan.ru", "about": about}).content.decode()
    assert "“About the city” is too long: 10,000 characters at most, and this text has 10,019." in html
    assert about.strip() in html
    kazan.refresh_from_db()
    assert kazan.about != about.strip()


def test_api_and_import_refuse_a_too_long_text_naming_the_field(client, kazan, kazan_officer, secretariat):
    client.force_login(kazan_officer)
    payload = {"city_id": kazan.pk, **practice_doc(solution="x" * 20_001)}
    r = client.post("/api/v1/practices/", data=json.dumps(payload), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "solution" and "20000" in r.json()["detail"]
    rows = [import_row("ok-1", kazan), import_row("long-2", kazan, problem="y" * 20_001)]
    with pytest.raises(ImportFailed) as err:
        practices_import(actor=secretariat, rows=parse_file(json.dumps(rows), "json"), fmt="json")
    assert [(e.row, e.column) for e in err.value.errors] == [(2, "problem")]
    assert not Practice.objects.exists()


def test_no_limit_hint_on_an_email_field(client, kazan, kazan_officer):
    client.force_login(kazan_officer)
    html = client.get("/en/practices/new/").content.decode()
    assert "320 characters at most" not in html and "200 characters at most" in html  # the title's is shown
