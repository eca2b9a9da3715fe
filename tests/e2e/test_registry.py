"""A newcomer opens the home page, switches to Arabic, finds Kazan by typing «Казань», opens it, signs in."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_newcomer_finds_kazan_in_arabic_and_signs_in(page, login, kazan, kazan_coordinator, sao_paulo):
    page.goto("/en/")
    assert page.locator("[data-figure=member-cities]").inner_text() == "2"
    page.select_option("#language", "ar")
    page.wait_for_url("**/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.goto("/ar/cities/")
    page.fill("#id_q", "Казань")
    page.locator("#results a", has_text="Kazan").first.wait_for()
    # Typing filters in place (htmx) and the result names the country.
    assert "روسيا" in page.locator("#results").inner_text()
    page.locator("#results a", has_text="Kazan").first.click()
    page.wait_for_url(f"**/ar/cities/{kazan.pk}/")
    assert "Europe/Moscow" in page.content()
    login(kazan_coordinator.email)
    page.goto(f"/en/cities/{kazan.pk}/")
    page.get_by_role("link", name="Team").click()
    page.wait_for_url(f"**/cities/{kazan.pk}/team/")
    assert kazan_coordinator.email in page.content()


def test_applicant_picks_city_by_name_and_applies(page, login, reference, db):
    from cityexchange.registry.models import MembershipApplication
    from tests.registry.factories import CityFactory, UserFactory

    city = CityFactory(name="Yekaterinburg", alternate_names=["Екатеринбург"], population=1_500_000)
    user = UserFactory()
    login(user.email)
    page.goto("/en/apply/")
    page.fill("#city-search", "Екатер")
    page.locator("#city-options li", has_text="Yekaterinburg").click()
    page.fill("textarea[name=letter]", "We would like to join.")
    page.fill("input[name=contact_name]", "Irina")
    page.fill("input[name=contact_email]", "irina@ekb.example.org")
    page.locator("form button", has_text="Send the application").click()
    page.wait_for_url("**/my/applications/")
    assert MembershipApplication.objects.get(city=city).status == "submitted"
