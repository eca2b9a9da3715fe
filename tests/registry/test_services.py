from __future__ import annotations

import pytest

from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.registry import services
from cityexchange.registry.models import BlocStatus, Membership, MembershipApplication, Sector
from tests.registry.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _apply(actor, city, **overrides):
    data = {"letter": "We would like to join.", "contact_name": "Anna", "contact_email": "anna@example.org"}
    data.update(overrides)
    return services.application_submit(actor=actor, city=city, **data)


def test_apply_then_approve_makes_member_and_coordinator(secretariat):
    city, applicant = CityFactory(), UserFactory()
    application = _apply(applicant, city, priority_sectors=Sector.objects.filter(code="water"))
    assert application.status == "submitted"
    assert list(application.priority_sectors.values_list("code", flat=True)) == ["water"]
    membership = services.application_approve(actor=secretariat, application=application)
    assert membership.status == Membership.Status.ACTIVE
    assert applicant.city_roles.get(city=city).role == "coordinator"
    entry = AuditEntry.objects.get(action="application.approve")
    assert entry.actor == secretariat
    assert entry.before == {"status": "submitted"} and entry.after == {"status": "approved"}
    assert AuditEntry.objects.filter(action="membership.admit", target_id=str(membership.pk)).exists()


def test_second_open_application_for_same_city_is_refused(reference):
    city = CityFactory()
    _apply(UserFactory(), city)
    with pytest.raises(Conflict) as err:
        _apply(UserFactory(), city)
    assert err.value.field == "city"
    assert MembershipApplication.objects.filter(city=city).count() == 1


def test_member_city_cannot_apply_again(kazan):
    with pytest.raises(Conflict):
        _apply(UserFactory(), kazan)


@pytest.mark.parametrize(
    ("field", "value"), [("letter", "  "), ("contact_name", ""), ("contact_email", "not-an-email")]
)
def test_application_validation_names_the_field(reference, field, value):
    with pytest.raises(InvalidInput) as err:
        _apply(UserFactory(), CityFactory(), **{field: value})
    assert err.value.field == field
    assert not MembershipApplication.objects.exists()


def test_reject_needs_reason_and_records_it(secretariat):
    application = _apply(UserFactory(), CityFactory())
    with pytest.raises(InvalidInput):
        services.application_reject(actor=secretariat, application=application, reason=" ")
    services.application_reject(actor=secretariat, application=application, reason="Not a municipality.")
    application.refresh_from_db()
    assert application.status == "rejected" and application.decision_reason == "Not a municipality."
    with pytest.raises(InvalidTransition):
        services.application_approve(actor=secretariat, application=application)


def test_only_secretariat_decides(reference, kazan_coordinator):
    application = _apply(UserFactory(), CityFactory())
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=kazan_coordinator, application=application)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_suspend_reinstate_end(secretariat, kazan):
    m = kazan.membership
    services.membership_suspend(actor=secretariat, membership=m, reason="Fees unpaid")
    assert Membership.objects.get(pk=m.pk).status == "suspended"
    services.membership_reinstate(actor=secretariat, membership=m)
    services.membership_end(actor=secretariat, membership=m, reason="Left")
    m.refresh_from_db()
    assert m.status == "ended" and m.ended_on is not None
    with pytest.raises(InvalidTransition):
        services.membership_suspend(actor=secretariat, membership=m, reason="x")
    actions = list(AuditEntry.objects.filter(target_type="registry.membership").values_list("action", flat=True))
    assert {"membership.suspend", "membership.reinstate", "membership.end"} <= set(actions)


def test_suspended_city_officers_lose_their_powers(secretariat, kazan, kazan_coordinator):
    from cityexchange.accounts.permissions import is_officer

    assert is_officer(kazan_coordinator, kazan.pk)
    services.membership_suspend(actor=secretariat, membership=kazan.membership, reason="Review")
    assert not is_officer(kazan_coordinator, kazan.pk)


def test_country_status_change_is_audited(secretariat):
    from cityexchange.registry.models import Country

    kz = Country.objects.get(iso2="KZ")
    assert kz.bloc_status.code == "partner"
    services.country_set_bloc_status(actor=secretariat, country=kz, status=BlocStatus.objects.get(code="member"))
    assert Country.objects.get(iso2="KZ").bloc_status.code == "member"
    entry = AuditEntry.objects.get(action="country.set_bloc_status")
    assert entry.before["bloc_status"] == "partner"


def test_coordinator_edits_own_city_only(kazan, kazan_coordinator, sao_paulo):
    services.city_update_profile(
        actor=kazan_coordinator, city=kazan, website="https://kzn.ru", about="Capital of Tatarstan"
    )
    kazan.refresh_from_db()
    assert kazan.website == "https://kzn.ru"
    with pytest.raises(PermissionDenied):
        services.city_update_profile(actor=kazan_coordinator, city=sao_paulo, website="https://x.org")
    with pytest.raises(InvalidInput) as err:
        services.city_update_profile(actor=kazan_coordinator, city=kazan, website="javascript:alert(1)")
    assert err.value.field == "website"
