from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cityexchange.accounts import services
from cityexchange.accounts.models import CityRole, Invitation
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_invite_and_accept(kazan, kazan_coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(actor=kazan_coordinator, city=kazan, email="Olga@Kzn.ru")
    assert invitation.email == "olga@kzn.ru" and token not in invitation.token_hash
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    olga = UserFactory(email="olga@kzn.ru")
    role = services.invitation_accept(actor=olga, token=token)
    assert role.role == CityRole.Role.OFFICER and role.city == kazan
    with pytest.raises(InvalidTransition):
        services.invitation_accept(actor=olga, token=token)


def test_invited_twice_and_already_on_team(kazan, kazan_coordinator, kazan_officer):
    services.invitation_create(actor=kazan_coordinator, city=kazan, email="a@kzn.ru")
    with pytest.raises(Conflict):
        services.invitation_create(actor=kazan_coordinator, city=kazan, email="A@kzn.ru")
    with pytest.raises(Conflict):
        services.invitation_create(actor=kazan_coordinator, city=kazan, email=kazan_officer.email)
    assert Invitation.objects.count() == 1


def test_officer_and_other_coordinators_cannot_invite(kazan, kazan_officer, sao_paulo_coordinator):
    for actor in (kazan_officer, sao_paulo_coordinator):
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=actor, city=kazan, email="x@y.org")
    assert not Invitation.objects.exists()


def test_invitation_for_someone_else_or_expired(kazan, kazan_coordinator):
    _inv, token = services.invitation_create(actor=kazan_coordinator, city=kazan, email="a@kzn.ru")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(actor=UserFactory(email="b@kzn.ru"), token=token)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(InvalidTransition):
        services.invitation_accept(actor=UserFactory(email="a@kzn.ru"), token=token)
    with pytest.raises(NotFound):
        services.invitation_accept(actor=kazan_coordinator, token="malformed token")


def test_register_validates(db):
    with pytest.raises(InvalidInput) as err:
        services.user_register(email="nope", password="long enough password")
    assert err.value.field == "email"
    with pytest.raises(InvalidInput) as err:
        services.user_register(email="a@b.org", password="123")
    assert err.value.field == "password"
    services.user_register(email="a@b.org", password="a good long password")
    with pytest.raises(Conflict):
        services.user_register(email="A@b.org", password="a good long password")


def test_token_name_required(kazan_officer):
    with pytest.raises(InvalidInput) as err:
        services.api_token_create(actor=kazan_officer, name=" ")
    assert err.value.field == "name"
