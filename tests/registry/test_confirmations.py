"""Approving a city and ending or suspending a membership cannot be undone in one click: without the confirmation
field the page only says what will happen; with it, the action is done. The API acts at once."""

from __future__ import annotations

import json

import pytest

from cityexchange.core.models import AuditEntry
from cityexchange.registry.models import Membership, MembershipApplication
from tests.registry.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(reference):
    return MembershipApplication.objects.create(
        city=CityFactory(name="Yekaterinburg", country_id="RU"),
        applicant=UserFactory(display_name="Mayor's office"),
        letter="We apply.",
        contact_name="A",
        contact_email="a@example.org",
    )


def test_approving_asks_for_confirmation_then_admits(client, secretariat, application):
    url = f"/en/secretariat/applications/{application.pk}/"
    client.force_login(secretariat)
    r = client.post(url, {"action": "approve"})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-confirm="required"' in html
    assert "becomes an active member" in html and "Mayor&#x27;s office becomes the coordinator" in html
    assert f'href="{url}"' in html and 'name="confirm" value="yes"' in html
    assert MembershipApplication.objects.get(pk=application.pk).status == "submitted"
    assert not Membership.objects.exists() and not AuditEntry.objects.exists()
    r = client.post(url, {"action": "approve", "confirm": "yes"})
    assert r.status_code == 302
    assert MembershipApplication.objects.get(pk=application.pk).status == "approved"
    assert Membership.objects.get(city=application.city).status == "active"


def test_another_citys_coordinator_cannot_approve(client, kazan_coordinator, application):
    client.force_login(kazan_coordinator)
    for data in ({"action": "approve"}, {"action": "approve", "confirm": "yes"}):
        r = client.post(f"/en/secretariat/applications/{application.pk}/", data)
        assert r.status_code == 404  # another city's application is not even visible
    # Its own applicant may see it, but not approve it, confirmed or not.
    client.force_login(application.applicant)
    for data in ({"action": "approve"}, {"action": "approve", "confirm": "yes"}):
        r = client.post(f"/en/secretariat/applications/{application.pk}/", data)
        assert r.status_code == 403 and 'data-confirm="required"' not in r.content.decode()
    assert MembershipApplication.objects.get(pk=application.pk).status == "submitted"
    assert not Membership.objects.filter(city=application.city).exists()


@pytest.mark.parametrize(
    ("action", "status", "says"),
    [("end", "ended", "stops being a member"), ("suspend", "suspended", "is suspended today")],
)
def test_ending_and_suspending_ask_for_confirmation(client, secretariat, kazan, action, status, says):
    url = f"/en/cities/{kazan.pk}/membership/"
    client.force_login(secretariat)
    r = client.post(url, {"action": action, "reason": "Fees unpaid for three years"})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-confirm="required"' in html and says in html
    assert "Fees unpaid for three years" in html  # the reason is shown and carried to the confirming form
    assert 'name="reason" value="Fees unpaid for three years"' in html
    assert Membership.objects.get(city=kazan).status == "active"
    r = client.post(url, {"action": action, "reason": "Fees unpaid for three years", "confirm": "yes"})
    assert r.status_code == 302
    membership = Membership.objects.get(city=kazan)
    assert membership.status == status and membership.status_reason == "Fees unpaid for three years"


def test_a_coordinator_cannot_end_a_membership_even_confirmed(client, kazan, sao_paulo_coordinator):
    client.force_login(sao_paulo_coordinator)
    data = {"action": "end", "reason": "x", "confirm": "yes"}
    assert client.post(f"/en/cities/{kazan.pk}/membership/", data).status_code == 403
    assert Membership.objects.get(city=kazan).status == "active"


def test_reinstating_needs_no_confirmation(client, secretariat, kazan):
    Membership.objects.filter(city=kazan).update(status="suspended")
    client.force_login(secretariat)
    assert client.post(f"/en/cities/{kazan.pk}/membership/", {"action": "reinstate"}).status_code == 302
    assert Membership.objects.get(city=kazan).status == "active"


def test_the_api_acts_at_once(client, secretariat, kazan, application):
    client.force_login(secretariat)
    assert client.post(f"/api/v1/applications/{application.pk}/approve").status_code == 200
    assert Membership.objects.get(city=application.city).status == "active"
    body = json.dumps({"reason": "Fees"})
    assert (
        client.post(f"/api/v1/memberships/{kazan.pk}/end", data=body, content_type="application/json").status_code
        == 200
    )
    assert Membership.objects.get(city=kazan).status == "ended"


def test_the_confirmation_speaks_the_readers_language(client, secretariat, application):
    client.force_login(secretariat)
    html = client.post(f"/ru/secretariat/applications/{application.pk}/", {"action": "approve"}).content.decode()
    assert "Подтвердите, пожалуйста" in html and "Одобрить заявку города Yekaterinburg" in html
    html = client.post(f"/ar/secretariat/applications/{application.pk}/", {"action": "approve"}).content.decode()
    assert "يُرجى التأكيد" in html
