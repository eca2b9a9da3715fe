"""The secretariat's city roles page: grants and removals through the services, audited, refused to others."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.accounts.models import CityRole
from cityexchange.core.models import AuditEntry
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/accounts/roles/"


def test_anonymous_is_sent_to_sign_in(client: Any, kazan: Any) -> None:
    person = UserFactory()
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.post(URL, {"action": "grant", "email": person.email, "city": kazan.pk, "role": "officer"})
    assert not CityRole.objects.filter(user=person).exists()


def test_city_coordinators_are_refused(client: Any, kazan: Any, kazan_officer: Any, sao_paulo_coordinator: Any) -> None:
    client.force_login(sao_paulo_coordinator)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"action": "grant", "email": sao_paulo_coordinator.email, "city": kazan.pk, "role": "coordinator"}
    )
    assert response.status_code == 403
    role = CityRole.objects.get(user=kazan_officer)
    assert client.post(URL, {"action": "remove", "role": role.pk}).status_code == 403
    assert CityRole.objects.filter(pk=role.pk).exists()
    assert not CityRole.objects.filter(user=sao_paulo_coordinator, city=kazan).exists()


def test_secretariat_grants_changes_and_removes_a_role(client: Any, kazan: Any, secretariat: Any) -> None:
    person = UserFactory(email="olga@kzn.example")
    client.force_login(secretariat)
    response = client.post(URL, {"action": "grant", "email": "Olga@kzn.example", "city": kazan.pk, "role": "officer"})
    assert response.status_code == 302, response.content.decode()[:1500]
    role = CityRole.objects.get(user=person, city=kazan)
    response = client.post(URL, {"action": "grant", "email": person.email, "city": kazan.pk, "role": "coordinator"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.role == CityRole.Role.COORDINATOR
    grants = AuditEntry.objects.filter(action="city_role.grant", target_id=str(role.pk), actor=secretariat)
    assert [g.after["role"] for g in grants.order_by("id")] == ["officer", "coordinator"]
    html = client.get(f"{URL}?city={kazan.pk}").content.decode()
    assert "olga@kzn.example" in html
    response = client.post(URL, {"action": "remove", "role": role.pk})
    assert response.status_code == 302
    assert not CityRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="city_role.remove", target_id=str(role.pk), actor=secretariat).exists()


def test_an_unknown_account_is_named_on_the_form(client: Any, kazan: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    response = client.post(URL, {"action": "grant", "email": "nobody@example.org", "city": kazan.pk, "role": "officer"})
    assert response.status_code == 422 and "no account with this e-mail" in response.content.decode()
    assert not AuditEntry.objects.filter(action="city_role.grant").exists()


def test_the_secretariat_finds_the_page(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    html = client.get("/en/secretariat/applications/").content.decode()
    assert URL in html
