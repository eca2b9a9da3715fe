"""Contact details of practices and delegates' travel data are shown only to the people who need them, on pages, in
the API and in exports (the review's findings: a city-less account collected contact e-mails; every delegate saw
the others' arrival, departure and check-in)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import UserFactory

EMAIL = "transit-team@kazan.example"
pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(kazan: Any) -> Practice:
    return PracticeFactory(
        city=kazan, status=Practice.Status.PUBLISHED, published_at=timezone.now(),
        contact_name="Aigul Safina", contact_email=EMAIL, contact_role="Head of transit",
    )  # fmt: skip


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sees_contact(client: Client, practice: Practice) -> dict[str, bool]:
    api = client.get(f"/api/v1/practices/{practice.pk}").json()
    return {
        "page": EMAIL in client.get(f"/en/practices/{practice.pk}/").content.decode(),
        "api": (api.get("contact") or {}).get("email") == EMAIL,
        "api export": EMAIL in client.get("/api/v1/practices/export?format=csv").content.decode(),
        "page export": EMAIL in client.get("/en/practices/export/?format=json").content.decode(),
    }


def test_visitors_and_accounts_without_a_city_see_no_contact(practice: Practice) -> None:
    lone = UserFactory(email_verified=True)
    for user in (None, lone):
        assert not any(_sees_contact(_client(user), practice).values())


def test_officers_of_member_cities_and_the_secretariat_see_contacts(
    practice: Practice, sao_paulo_coordinator: Any, secretariat: Any
) -> None:
    for user in (sao_paulo_coordinator, secretariat):
        assert all(_sees_contact(_client(user), practice).values())


def test_officer_of_a_suspended_city_sees_no_contact(
    practice: Practice, sao_paulo: Any, sao_paulo_coordinator: Any
) -> None:
    sao_paulo.membership.status = "suspended"
    sao_paulo.membership.save(update_fields=["status"])
    assert not any(_sees_contact(_client(sao_paulo_coordinator), practice).values())


@pytest.fixture
def forum(kazan: Any, sao_paulo: Any, kazan_officer: Any, sao_paulo_coordinator: Any) -> dict[str, Any]:
    from tests.forum.factories import EventFactory, RegistrationFactory

    event = EventFactory()
    kazan_delegate = RegistrationFactory(event=event, city=kazan, user=kazan_officer)
    kazan_delegate.checked_in_at = timezone.now()
    kazan_delegate.save(update_fields=["checked_in_at"])
    RegistrationFactory(event=event, city=sao_paulo, user=sao_paulo_coordinator)
    return {"event": event, "kazan": kazan_delegate}


def _travel(client: Client, event: Any) -> dict[str, tuple[Any, Any, Any]]:
    rows = client.get(f"/api/v1/forum/events/{event.pk}/registrations").json()["results"]
    return {r["city_name"]: (r["arrival"], r["departure"], r["checked_in_at"]) for r in rows}


def test_delegates_do_not_see_other_cities_travel(forum: dict[str, Any], sao_paulo_coordinator: Any) -> None:
    travel = _travel(_client(sao_paulo_coordinator), forum["event"])
    assert travel["Kazan"] == (None, None, None)  # listed (to choose whom to meet), but no travel data
    assert None not in travel["São Paulo"][:2]  # the delegate's own


def test_the_delegates_city_and_organisers_see_travel(
    forum: dict[str, Any], kazan_coordinator: Any, secretariat: Any
) -> None:
    for user in (kazan_coordinator, secretariat):
        arrival, departure, checked_in = _travel(_client(user), forum["event"])["Kazan"]
        assert arrival and departure and checked_in
