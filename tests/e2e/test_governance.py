"""The secretariat runs a general assembly vote admitting an applicant city, in the browser: it opens the vote,
two member cities vote, it closes and counts; the result and turnout are published and the city is a member.
Then a working group shows its members, plan and documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_assembly_admits_a_city_by_vote(
    page, login, secretariat, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator
):
    from cityexchange.governance.models import Vote
    from cityexchange.registry.models import Membership, MembershipApplication
    from tests.governance.factories import assembly_with
    from tests.registry.factories import CityFactory, UserFactory

    assembly = assembly_with(kazan, sao_paulo)
    city = CityFactory(name="Yekaterinburg", population=1_349_772)
    MembershipApplication.objects.create(
        city=city, applicant=UserFactory(), letter="We apply.", contact_name="Irina", contact_email="i@ekb.example.org"
    )

    login(secretariat.email)
    page.goto("/en/governance/")
    page.locator("[data-action=open-vote]").first.click()
    page.wait_for_url("**/governance/votes/new/")
    page.select_option("#id_body", str(assembly.pk))
    page.select_option("#id_kind", "admission")
    page.fill("#id_title", "Admission of Yekaterinburg")
    page.select_option("#id_subject_city", str(city.pk))
    closes = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_closes_at", closes)
    page.locator("#vote-form button.primary").click()
    page.wait_for_url("**/governance/votes/*/")
    vote = Vote.objects.get()
    assert page.locator("[data-phase]").get_attribute("data-phase") == "open"

    for user, member in ((kazan_coordinator, kazan), (sao_paulo_coordinator, sao_paulo)):
        page.context.clear_cookies()
        login(user.email)
        page.goto(f"/en/governance/votes/{vote.pk}/")
        form = page.locator(f"form.cast[data-city='{member.pk}']")
        form.get_by_label("Yes").check()
        form.locator("button.primary").click()
        page.wait_for_url(f"**/governance/votes/{vote.pk}/")
        assert "is recorded" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    login(secretariat.email)
    page.goto(f"/en/governance/votes/{vote.pk}/")
    page.locator("[data-action=close]").click()
    page.locator("[data-confirm=required]").wait_for()  # closing early ends voting for everyone: it asks first
    page.locator("[data-action=confirm]").click()
    page.locator("h2 [data-outcome]").wait_for()
    assert page.locator("h2 [data-outcome]").get_attribute("data-outcome") == "passed"
    assert page.locator("[data-turnout]").get_attribute("data-turnout") == "2"
    assert "2 of 2" in page.locator("[data-turnout]").inner_text()
    assert page.locator("[data-action-status]").get_attribute("data-action-status") == "done"
    assert Membership.objects.get(city=city).status == "active"

    # The published result is public, and the city's page shows the new member.
    page.context.clear_cookies()
    page.goto(f"/en/governance/votes/{vote.pk}/")
    assert page.locator("h2 [data-outcome]").inner_text() == "Passed"
    page.goto(f"/en/cities/{city.pk}/")
    assert page.locator("[data-membership]").get_attribute("data-membership") == "active"


def test_working_group_shows_members_plan_and_documents(page, secretariat, kazan, sao_paulo, kazan_coordinator):
    from cityexchange.governance import services
    from cityexchange.registry.models import Sector

    group = services.group_create(
        actor=secretariat,
        slug="urban-ecology",
        name="Urban management and ecology",
        sectors=Sector.objects.filter(code__in=["urban-management", "ecology"]),
    )
    for member in (kazan, sao_paulo):
        services.group_join(actor=secretariat, group=group, city=member)
    services.group_set_chair(actor=secretariat, group=group, city=kazan)
    services.plan_item_add(actor=kazan_coordinator, group=group, title="Map the heat islands", lead_city=kazan)
    meeting = services.meeting_add(
        actor=kazan_coordinator, group=group, title="Kick-off", starts_at=timezone.now() - dt.timedelta(days=3)
    )
    services.meeting_record_minutes(actor=kazan_coordinator, meeting=meeting, minutes="The plan was adopted.")
    services.group_document_add(
        actor=kazan_coordinator, group=group, title="Terms of reference", language="en", body="We work together."
    )

    page.goto("/en/governance/groups/")
    page.get_by_role("link", name="Urban management and ecology").click()
    page.wait_for_url(f"**/governance/groups/{group.pk}/")
    assert page.locator("[data-members]").get_attribute("data-members") == "2"
    assert page.locator("[data-chair]").inner_text() == "Kazan"
    assert "Map the heat islands" in page.locator("#plan-h + table").inner_text()
    assert "The plan was adopted." in page.locator(f"[data-minutes='{meeting.pk}']").inner_text()
    assert "Terms of reference" in page.locator("[data-group-document]").inner_text()
