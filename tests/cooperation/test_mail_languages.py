"""A city's team hears of a contact request each in their own language, through accounts.mail.mail_each."""

from __future__ import annotations

import pytest
from django.core import mail

from cityexchange.cooperation.tasks import notify_city
from tests.accounts.mail_support import assert_each_in_own_language, languages_chosen

pytestmark = pytest.mark.django_db


def test_team_reads_the_notice_in_each_members_language(contact_request, sao_paulo_officer, sao_paulo_coordinator):
    team = [sao_paulo_officer, sao_paulo_coordinator]
    for user, language in zip(team, ["ru", "es"], strict=True):
        user.preferred_language = language
        user.save()
    with languages_chosen() as chosen:
        result = notify_city.enqueue(
            city_id=contact_request.to_city_id, kind="contact_request", object_id=contact_request.pk
        )
    assert result.return_value == 2
    assert_each_in_own_language(chosen, team, "%(p0)s asks %(city)s for contact", p0="Kazan", city="São Paulo")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert f"/ru/cooperation/contact/{contact_request.pk}/" in bodies[sao_paulo_officer.email]
    assert f"/es/cooperation/contact/{contact_request.pk}/" in bodies[sao_paulo_coordinator.email]
