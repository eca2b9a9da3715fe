from __future__ import annotations

import pytest

from cityexchange.forum.suggestions import suggestions_for
from cityexchange.registry.models import MembershipApplication, Sector
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sectors(city, *codes):
    app = MembershipApplication.objects.create(
        city=city, applicant=UserFactory(), letter="x", contact_name="x", contact_email="x@example.org",
        status="approved",
    )  # fmt: skip
    app.priority_sectors.set(Sector.objects.filter(code__in=codes))


def test_suggests_cities_sharing_sectors_and_leaves_out_those_already_asked(
    client, event, kazan, sao_paulo, kazan_delegate, sao_paulo_delegate, kazan_officer
):
    other = RegistrationFactory(event=event)
    _sectors(kazan, "transportation", "water")
    _sectors(sao_paulo, "transportation", "housing")
    _sectors(other.city, "culture")
    found = suggestions_for(kazan_delegate)
    assert [s.target for s in found] == [sao_paulo_delegate]
    assert "Transportation" in found[0].reasons[0] and found[0].topic
    client.force_login(kazan_officer)
    body = client.get(f"/api/v1/forum/events/{event.pk}/suggestions").json()
    assert [s["target_id"] for s in body] == [sao_paulo_delegate.pk]
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, status="pending")
    assert suggestions_for(kazan_delegate) == []
