from __future__ import annotations

import json

import pytest

from cityexchange.accounts.services import api_token_create, api_token_revoke
from cityexchange.registry.models import Membership, MembershipApplication
from tests.registry.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_cities_search_and_pagination(client, kazan, sao_paulo):
    r = client.get("/api/v1/cities", {"q": "Казань"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1 and body["results"][0]["name"] == "Kazan"
    assert body["results"][0]["country"] == "RU" and body["results"][0]["membership"]["status"] == "active"
    r = client.get("/api/v1/cities", {"membership": "members", "page_size": 1, "page": 2})
    assert r.json()["count"] == 2 and len(r.json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 1000}, "page_size"),
        ({"page": -1}, "page"),
        ({"membership": "gold"}, "membership"),
        ({"country": "XX"}, "country"),
        ({"population": "x"}, "population"),
    ],
)
def test_bad_query_values_get_422_naming_the_field(client, reference, params, field):
    r = client.get("/api/v1/cities", params)
    assert r.status_code == 422
    assert r.json()["field"] == field


def test_city_detail_and_404(client, kazan):
    assert client.get(f"/api/v1/cities/{kazan.pk}").json()["alternate_names"][0] == "Казань"
    assert client.get("/api/v1/cities/999999").status_code == 404


def test_figures_endpoint(client, kazan, sao_paulo):
    body = client.get("/api/v1/figures").json()
    assert body["member_cities"] == 2 and body["population_governed"] == 1_243_500 + 10_021_295


def test_apply_requires_auth_and_validates(client, reference):
    city = CityFactory()
    assert post(client, "/api/v1/applications", {"city_id": city.pk}).status_code == 401
    user = UserFactory()
    client.force_login(user)
    r = post(
        client,
        "/api/v1/applications",
        {"city_id": 987654, "letter": "x", "contact_name": "A", "contact_email": "a@b.org"},
    )
    assert r.status_code == 422 and r.json()["field"] == "city_id"
    r = post(
        client,
        "/api/v1/applications",
        {
            "city_id": city.pk,
            "letter": "Hello",
            "contact_name": "A",
            "contact_email": "a@b.org",
            "priority_sectors": ["water", "bogus"],
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "priority_sectors"
    ok = {
        "city_id": city.pk,
        "letter": "Hello",
        "contact_name": "A",
        "contact_email": "a@b.org",
        "priority_sectors": ["water"],
    }
    r = post(client, "/api/v1/applications", ok)
    assert r.status_code == 201 and r.json()["priority_sectors"] == ["water"]
    r = post(client, "/api/v1/applications", ok)
    assert r.status_code == 409 and r.json()["field"] == "city"
    assert MembershipApplication.objects.count() == 1


def test_secretariat_approves_over_api_others_cannot(client, secretariat, kazan_coordinator):
    city, applicant = CityFactory(), UserFactory()
    client.force_login(applicant)
    app_id = post(
        client,
        "/api/v1/applications",
        {"city_id": city.pk, "letter": "Hi", "contact_name": "A", "contact_email": "a@b.org"},
    ).json()["id"]
    # The applicant sees it but cannot approve it.
    assert client.get(f"/api/v1/applications/{app_id}").status_code == 200
    assert client.post(f"/api/v1/applications/{app_id}/approve").status_code == 403
    # Another city's coordinator does not even see it.
    client.force_login(kazan_coordinator)
    assert client.get(f"/api/v1/applications/{app_id}").status_code == 404
    assert client.post(f"/api/v1/applications/{app_id}/approve").status_code == 404
    client.force_login(secretariat)
    r = client.post(f"/api/v1/applications/{app_id}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert Membership.objects.get(city=city).status == "active"
    assert client.post(f"/api/v1/applications/{app_id}/approve").status_code == 409


def test_token_auth_and_revocation(client, kazan_coordinator):
    token, plain = api_token_create(actor=kazan_coordinator, name="script")
    assert token.token_hash != plain and plain not in token.token_hash
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    assert client.get("/api/v1/accounts/me", **auth).json()["email"] == kazan_coordinator.email
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer garbage!!").status_code == 401
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer").status_code == 401
    api_token_revoke(actor=kazan_coordinator, token=token)
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401


def test_membership_changes_only_by_secretariat(client, secretariat, kazan, kazan_coordinator):
    client.force_login(kazan_coordinator)
    assert post(client, f"/api/v1/memberships/{kazan.pk}/suspend", {"reason": "x"}).status_code == 403
    client.force_login(secretariat)
    r = post(client, f"/api/v1/memberships/{kazan.pk}/suspend", {"reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert post(client, f"/api/v1/memberships/{kazan.pk}/suspend", {"reason": "Fees"}).json()["status"] == "suspended"


def test_coordinator_patches_own_city_not_others(client, kazan, kazan_coordinator, sao_paulo):
    client.force_login(kazan_coordinator)
    r = client.patch(
        f"/api/v1/cities/{kazan.pk}", data=json.dumps({"website": "https://kzn.ru"}), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["website"] == "https://kzn.ru"
    r = client.patch(
        f"/api/v1/cities/{sao_paulo.pk}", data=json.dumps({"website": "https://x.org"}), content_type="application/json"
    )
    assert r.status_code == 403
    assert client.patch(
        f"/api/v1/cities/{kazan.pk}", data="{not json", content_type="application/json"
    ).status_code in (400, 422)


def test_invitations_over_api(client, kazan, kazan_coordinator, sao_paulo):
    client.force_login(kazan_coordinator)
    r = post(client, "/api/v1/accounts/invitations", {"city_id": kazan.pk, "email": "new@kzn.ru"})
    assert r.status_code == 201
    r = post(client, "/api/v1/accounts/invitations", {"city_id": kazan.pk, "email": "new@kzn.ru"})
    assert r.status_code == 409 and r.json()["field"] == "email"
    assert (
        post(client, "/api/v1/accounts/invitations", {"city_id": sao_paulo.pk, "email": "x@y.org"}).status_code == 403
    )


def test_openapi_document(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cities" in spec["paths"] and "/api/v1/applications" in spec["paths"]
