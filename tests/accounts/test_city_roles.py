"""Granting city roles and secretariat rights directly: only the secretariat, checked and audited."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.accounts import services
from cityexchange.accounts.models import CityRole
from cityexchange.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.core.models import AuditEntry
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_secretariat_grants_and_changes_a_role(secretariat: Any, kazan: Any) -> None:
    person = UserFactory()
    role = services.city_role_grant(actor=secretariat, city=kazan, user=person, role=CityRole.Role.OFFICER)
    services.city_role_grant(actor=secretariat, city=kazan, user=person, role=CityRole.Role.COORDINATOR)
    role.refresh_from_db()
    assert role.role == CityRole.Role.COORDINATOR
    assert AuditEntry.objects.filter(action="city_role.grant", target_id=str(role.pk), actor=secretariat).count() == 2


def test_coordinators_and_officers_cannot_grant_directly(
    kazan: Any, kazan_coordinator: Any, kazan_officer: Any
) -> None:
    person = UserFactory()
    for actor in (kazan_coordinator, kazan_officer):
        with pytest.raises(PermissionDenied):
            services.city_role_grant(actor=actor, city=kazan, user=person, role=CityRole.Role.OFFICER)
    assert not CityRole.objects.filter(user=person).exists()


def test_unknown_role_and_inactive_account_are_refused(secretariat: Any, kazan: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.city_role_grant(actor=secretariat, city=kazan, user=UserFactory(), role="mayor")
    assert exc.value.field == "role"
    with pytest.raises(InvalidInput) as exc:
        services.city_role_grant(actor=secretariat, city=kazan, user=UserFactory(is_active=False), role="officer")
    assert exc.value.field == "user"
    assert not AuditEntry.objects.filter(action="city_role.grant").exists()


def test_secretariat_rights_granted_and_withdrawn(secretariat: Any) -> None:
    person = UserFactory()
    services.user_set_secretariat(actor=secretariat, user=person, value=True)
    person.refresh_from_db()
    assert person.is_secretariat
    services.user_set_secretariat(actor=secretariat, user=person, value=False)
    person.refresh_from_db()
    assert not person.is_secretariat
    rows = AuditEntry.objects.filter(action="user.secretariat", target_id=str(person.pk)).order_by("id")
    assert [r.after for r in rows] == [{"is_secretariat": True}, {"is_secretariat": False}]


def test_only_the_secretariat_grants_its_rights(kazan_coordinator: Any) -> None:
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_set_secretariat(actor=kazan_coordinator, user=person, value=True)
    with pytest.raises(PermissionDenied):
        services.user_set_secretariat(actor=kazan_coordinator, user=kazan_coordinator, value=True)
    person.refresh_from_db()
    kazan_coordinator.refresh_from_db()
    assert not person.is_secretariat and not kazan_coordinator.is_secretariat


def test_nobody_withdraws_their_own_secretariat_rights(secretariat: Any) -> None:
    with pytest.raises(InvalidTransition):
        services.user_set_secretariat(actor=secretariat, user=secretariat, value=False)
    secretariat.refresh_from_db()
    assert secretariat.is_secretariat
