from __future__ import annotations

import pytest

from cityexchange.accounts.services import email_verification_token
from cityexchange.registry.models import Membership, MembershipApplication
from tests.registry.factories import PASSWORD, CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_shows_figures_from_data(client, kazan, sao_paulo):
    html = client.get("/en/").content.decode()
    assert 'data-figure="member-cities">2<' in html
    assert "11,264,795" in html  # 1,243,500 + 10,021,295


def test_home_in_arabic_is_right_to_left(client, reference):
    html = client.get("/ar/").content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_directory_search_shows_country(client, kazan):
    html = client.get("/en/cities/", {"q": "喀山"}).content.decode()
    assert "Kazan" in html and "Russia" in html
    html = client.get("/ru/cities/", {"q": "Kazan"}).content.decode()
    assert "Россия" in html


def test_directory_unknown_filter_is_422_with_message(client, reference):
    r = client.get("/en/cities/", {"country": "XX"})
    assert r.status_code == 422 and "Unknown country code" in r.content.decode()


def test_city_page(client, kazan):
    html = client.get(f"/en/cities/{kazan.pk}/").content.decode()
    assert "Europe/Moscow" in html and 'data-membership="active"' in html
    assert client.get("/en/cities/999999/").status_code == 404


def test_apply_page_requires_login_and_submits(client, reference):
    assert client.get("/en/apply/").status_code == 302
    city = CityFactory()
    client.force_login(UserFactory())
    r = client.post(
        "/en/apply/", {"city": city.pk, "letter": "Please", "contact_name": "A", "contact_email": "a@b.org"}
    )
    assert r.status_code == 302
    assert MembershipApplication.objects.get(city=city).status == "submitted"
    r = client.post("/en/apply/", {"city": city.pk, "letter": "Again", "contact_name": "A", "contact_email": "a@b.org"})
    assert r.status_code == 200 and "already has an application" in r.content.decode()
    r = client.post("/en/apply/", {"city": 99999999, "letter": "x", "contact_name": "A", "contact_email": "a@b.org"})
    assert "Choose your city from the list" in r.content.decode()


def test_secretariat_queue_and_review(client, secretariat, kazan_coordinator):
    city = CityFactory()
    app = MembershipApplication.objects.create(
        city=city, applicant=UserFactory(), letter="x", contact_name="A", contact_email="a@b.org"
    )
    client.force_login(kazan_coordinator)
    assert client.get("/en/secretariat/applications/").status_code == 403
    assert client.post(f"/en/secretariat/applications/{app.pk}/", {"action": "approve"}).status_code == 404
    client.force_login(secretariat)
    assert city.name in client.get("/en/secretariat/applications/").content.decode()
    r = client.post(f"/en/secretariat/applications/{app.pk}/", {"action": "reject", "reason": ""})
    assert r.status_code == 200 and MembershipApplication.objects.get(pk=app.pk).status == "submitted"
    client.post(f"/en/secretariat/applications/{app.pk}/", {"action": "approve", "confirm": "yes"})
    assert Membership.objects.get(city=city).status == "active"


def test_membership_page_secretariat_only(client, secretariat, kazan, kazan_coordinator):
    client.force_login(kazan_coordinator)
    assert client.post(f"/en/cities/{kazan.pk}/membership/", {"action": "suspend", "reason": "x"}).status_code == 403
    client.force_login(secretariat)
    r = client.post(f"/en/cities/{kazan.pk}/membership/", {"action": "suspend", "reason": ""})
    assert r.status_code == 200 and Membership.objects.get(city=kazan).status == "active"
    client.post(f"/en/cities/{kazan.pk}/membership/", {"action": "suspend", "reason": "Fees", "confirm": "yes"})
    assert Membership.objects.get(city=kazan).status == "suspended"


def test_team_page_permissions(client, kazan, kazan_coordinator, kazan_officer, sao_paulo_coordinator):
    url = f"/en/cities/{kazan.pk}/team/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for stranger in (kazan_officer, sao_paulo_coordinator):
        client.force_login(stranger)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "invite", "email": "x@y.org", "role": "officer"}).status_code == 403
    client.force_login(kazan_coordinator)
    assert client.post(url, {"action": "invite", "email": "x@y.org", "role": "officer"}).status_code == 302
    r = client.post(url, {"action": "invite", "email": "x@y.org", "role": "officer"})
    assert r.status_code == 422 and "already been invited" in r.content.decode()


def test_city_edit_permissions(client, kazan, kazan_coordinator, sao_paulo_coordinator):
    client.force_login(sao_paulo_coordinator)
    assert client.post(f"/en/cities/{kazan.pk}/edit/", {"website": "https://evil.org"}).status_code == 403
    client.force_login(kazan_coordinator)
    assert client.post(f"/en/cities/{kazan.pk}/edit/", {"website": "https://kzn.ru", "about": "Hi"}).status_code == 302


def test_login_with_email(client, kazan_coordinator):
    r = client.post("/en/accounts/login/", {"username": kazan_coordinator.email.upper(), "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/en/accounts/me/").status_code == 200


def test_signup_and_tokens_page(client, db):
    r = client.post(
        "/en/accounts/signup/", {"display_name": "Ana", "email": "ana@example.org", "password": "a long password 1"}
    )
    assert r.status_code == 302
    assert client.login(username="ana@example.org", password="a long password 1")  # sign-up does not sign in
    assert client.post("/en/accounts/tokens/", {"name": "my script"}).status_code == 403  # address not confirmed
    user = UserFactory._meta.model.objects.get(email="ana@example.org")
    assert client.get(f"/en/accounts/verify/{email_verification_token(user)}/").status_code == 302
    r = client.post("/en/accounts/tokens/", {"name": "my script"})
    assert "data-token" in r.content.decode()
