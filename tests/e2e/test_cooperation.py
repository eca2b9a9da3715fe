"""Two cities go from a contact request to an evaluated adoption in the browser; the agreement then shows in the
public register and in its JSON-LD."""

from __future__ import annotations

import datetime as dt
import json

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _record(page, coop_id, stage, fields):
    page.goto(f"/en/cooperation/{coop_id}/")
    page.locator(f"a.move[data-to={stage}]").click()
    page.wait_for_url(f"**/cooperation/{coop_id}/move/{stage}/")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/cooperation/{coop_id}/")
    assert page.locator("dd[data-stage]").get_attribute("data-stage") == stage


def test_contact_request_to_evaluated_adoption(page, login, kazan, sao_paulo, kazan_officer):
    from cityexchange.cooperation.models import Cooperation
    from tests.cooperation.factories import officer_of, published_practice

    practice = published_practice(sao_paulo, title="Exclusive bus lanes")
    sao_paulo_officer = officer_of(sao_paulo)
    # Every stage on the day the contact was accepted: a stage may not be dated before the one it follows.
    today = dt.date.today().isoformat()

    # Kazan asks São Paulo for contact about its practice.
    login(kazan_officer.email)
    page.goto(f"/en/cooperation/contact/new/?practice={practice.pk}")
    page.fill("textarea[name=message]", "We would like to learn how you built the bus lanes.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/cooperation/contact/*/")
    assert page.locator("dd[data-status]").get_attribute("data-status") == "pending"

    # São Paulo accepts from its cooperation page.
    page.context.clear_cookies()
    login(sao_paulo_officer.email)
    page.goto("/en/cooperation/")
    page.locator("[data-list=incoming] a", has_text="Kazan").click()
    page.fill("textarea[name=answer]", "Gladly, come in March.")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url("**/cooperation/*/")
    coop = Cooperation.objects.get()
    assert coop.stage == "contact"

    _record(page, coop.pk, "study_visit", {"occurred_on": today, "note": "Kazan's team rode the lanes."})
    page.context.clear_cookies()
    login(kazan_officer.email)
    fields = {
        "occurred_on": today,
        "agreement_kind": "memorandum",
        "agreement_title": "Kazan–São Paulo memorandum on bus lanes",
        "signed_on": today,
        f"signatory_{kazan.pk}_name": "Mayor of Kazan",
        f"signatory_{sao_paulo.pk}_name": "Mayor of São Paulo",
    }
    page.goto(f"/en/cooperation/{coop.pk}/")
    page.locator("a.move[data-to=agreement]").click()
    page.select_option("[name=agreement_kind]", "memorandum")
    for name, value in fields.items():
        if name != "agreement_kind":
            page.fill(f"[name={name}]", value)
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/cooperation/{coop.pk}/")
    _record(page, coop.pk, "pilot", {"occurred_on": today, "note": "Pilot on one avenue."})
    _record(page, coop.pk, "adoption", {"occurred_on": today, "note": "Adopted city-wide."})
    speed = practice.indicators.get(name="Bus speed")
    _record(page, coop.pk, "evaluated", {"occurred_on": today, "note": "Measured.", f"result_{speed.pk}": "17.5"})
    assert "17.5" in page.locator("[data-result]").first.inner_text()

    # The agreement is public: in the register (signed out) and in its JSON-LD.
    page.context.clear_cookies()
    page.goto("/en/cooperation/register/?country=BR")
    row = page.locator("[data-list=register] tbody tr").first
    assert "Kazan–São Paulo memorandum on bus lanes" in row.inner_text()
    assert "Mayor of Kazan" in row.inner_text() and "Exclusive bus lanes" in row.inner_text()
    response = page.request.get("/en/cooperation/open-data/agreements.jsonld")
    doc = json.loads(response.text())
    works = [n for n in doc["@graph"] if n["@type"] == "CreativeWork"]
    assert works[0]["name"] == "Kazan–São Paulo memorandum on bus lanes"
    assert works[0]["creativeWorkStatus"] == "evaluated"
