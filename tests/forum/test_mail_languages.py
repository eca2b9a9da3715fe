"""Delegates get their agenda each in their own language, through accounts.mail.mail_each."""

from __future__ import annotations

import pytest

from cityexchange.forum.tasks import send_schedule_notices
from tests.accounts.mail_support import assert_each_in_own_language, languages_chosen

pytestmark = pytest.mark.django_db


def test_agenda_notice_in_each_delegates_language(event, kazan_delegate, sao_paulo_delegate):
    delegates = [kazan_delegate, sao_paulo_delegate]
    for reg, language in zip(delegates, ["ru", "es"], strict=True):
        reg.user.preferred_language = language
        reg.user.save()
    with languages_chosen() as chosen:
        sent = send_schedule_notices.enqueue(
            event_id=event.pk, registration_ids=[r.pk for r in delegates], first=True
        ).return_value
    assert sent == 2
    users = [r.user for r in delegates]
    assert_each_in_own_language(chosen, users, "Your meeting schedule for %(event)s is published", event=event.name)
