from __future__ import annotations

import pytest

from cityexchange.accounts.permissions import can_manage_team, is_coordinator, is_officer, is_secretariat

pytestmark = pytest.mark.django_db


def test_roles(kazan, sao_paulo, kazan_coordinator, kazan_officer, secretariat):
    assert is_coordinator(kazan_coordinator, kazan.pk) and is_officer(kazan_coordinator, kazan.pk)
    assert is_officer(kazan_officer, kazan.pk) and not is_coordinator(kazan_officer, kazan.pk)
    assert not is_officer(kazan_officer, sao_paulo.pk)
    assert can_manage_team(secretariat, kazan.pk) and is_secretariat(secretariat)
    assert not can_manage_team(kazan_officer, kazan.pk)


def test_anonymous_has_no_role(kazan):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not is_officer(anon, kazan.pk) and not is_secretariat(anon) and not can_manage_team(anon, kazan.pk)
