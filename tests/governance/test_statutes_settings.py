"""What the statutes say about voting is recorded by the secretariat only, checked and audited."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.governance.models import MajorityRule

pytestmark = pytest.mark.django_db


def test_secretariat_records_the_voting_rules(secretariat: Any) -> None:
    settings = services.statutes_settings_set(
        actor=secretariat,
        allowed_majority_rules=[MajorityRule.TWO_THIRDS, MajorityRule.ABSOLUTE],
        default_majority_rule=MajorityRule.ABSOLUTE,
        default_quorum_percent=60,
    )
    settings.refresh_from_db()
    assert settings.default_majority_rule == MajorityRule.ABSOLUTE and settings.default_quorum_percent == 60
    entry = AuditEntry.objects.get(action="statutes.settings")
    assert entry.actor == secretariat and entry.after["default_quorum_percent"] == 60


def test_a_coordinator_cannot_change_the_voting_rules(kazan_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.statutes_settings_set(
            actor=kazan_coordinator,
            allowed_majority_rules=[MajorityRule.SIMPLE],
            default_majority_rule=MajorityRule.SIMPLE,
            default_quorum_percent=5,
        )
    assert services.statutes_settings().default_quorum_percent == 50


@pytest.mark.parametrize(
    ("rules", "default", "quorum", "field"),
    [
        ([], MajorityRule.SIMPLE, 50, "allowed_majority_rules"),
        (["unanimity"], MajorityRule.SIMPLE, 50, "allowed_majority_rules"),
        ([MajorityRule.SIMPLE], MajorityRule.TWO_THIRDS, 50, "default_majority_rule"),
        ([MajorityRule.SIMPLE], MajorityRule.SIMPLE, 0, "default_quorum_percent"),
        ([MajorityRule.SIMPLE], MajorityRule.SIMPLE, 101, "default_quorum_percent"),
    ],
)
def test_bad_rules_are_refused(secretariat: Any, rules: list[str], default: str, quorum: int, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.statutes_settings_set(
            actor=secretariat,
            allowed_majority_rules=rules,
            default_majority_rule=default,
            default_quorum_percent=quorum,
        )
    assert exc.value.field == field
    assert not AuditEntry.objects.filter(action="statutes.settings").exists()
