"""An alert's notice comes in its owner's language, through accounts.mail.mail_each (no search model needed: the
notice is sent for a hit already found)."""

from __future__ import annotations

import pytest
from django.core import mail

from cityexchange.matching.alerts import send_alert_notice
from cityexchange.matching.models import Alert
from tests.accounts.mail_support import assert_each_in_own_language, languages_chosen
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory

pytestmark = pytest.mark.django_db


def test_each_owner_reads_the_alert_in_their_language(kazan, sao_paulo, django_capture_on_commit_callbacks):
    practice = PracticeFactory(city=sao_paulo, status="published", title="Exclusive bus lanes")
    owners = [CityRoleFactory(city=kazan, user__preferred_language=lang).user for lang in ("ru", "es")]
    alerts = [Alert.objects.create(user=u, city=kazan, query="bus lanes") for u in owners]
    with languages_chosen() as chosen, django_capture_on_commit_callbacks(execute=True):
        for alert in alerts:
            send_alert_notice(alert, practice)
    assert_each_in_own_language(chosen, owners, "New practice for your alert: %(title)s", title=practice.title)
    assert all(
        f"/{u.preferred_language}/practices/{practice.pk}/" in m.body for u, m in zip(owners, mail.outbox, strict=True)
    )
