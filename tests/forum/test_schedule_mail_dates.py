"""The agenda e-mail writes each meeting's weekday, day and month in the delegate's language (it read "Thu 05 Mar"
in every language), names the event's zone in it, and adds the delegate's own time when they chose another zone."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cityexchange.forum import services
from cityexchange.forum.tasks import send_schedule_notices
from tests.forum.factories import DAY1, at

pytestmark = pytest.mark.django_db

ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _agenda(event: Any, organiser: Any, delegate: Any, *, language: str, zone: str = "") -> str:
    delegate.user.preferred_language = language
    delegate.user.time_zone = zone
    delegate.user.save()
    services.session_add(
        actor=organiser, event=event, title="Panel", starts_at=at(1, 9), ends_at=at(1, 10), speakers=[delegate]
    )
    mail.outbox.clear()
    send_schedule_notices.enqueue(event_id=event.pk, registration_ids=[delegate.pk], first=True)
    (message,) = mail.outbox
    return str(message.body)


def _line(body: str) -> str:
    return next(line for line in body.splitlines() if "Panel" in line)


@pytest.mark.parametrize("language", ["ru", "zh-hans", "ar", "am", "hi"])
def test_the_weekday_and_month_are_in_the_delegates_language(event, organiser, kazan_delegate, language):
    from babel.dates import format_skeleton

    from cityexchange.core.locale_format import reader_locale

    line = _line(_agenda(event, organiser, kazan_delegate, language=language))
    assert not any(word in line.split() for word in (*ENGLISH_DAYS, *ENGLISH_MONTHS)), line
    assert format_skeleton("MMMEd", DAY1, locale=reader_locale(language)).split()[0].strip(",،") in line
    assert "09:00" in line or "०९:००" in line


def test_russian_agenda_names_the_zone_in_russian_and_the_day_in_russian(event, organiser, kazan_delegate):
    body = _agenda(event, organiser, kazan_delegate, language="ru")
    assert "Москва (Europe/Moscow)" in body
    line = _line(body)
    assert "09:00–10:00" in line and str(DAY1.day) in line


def test_a_delegate_with_their_own_zone_gets_their_time_too(event, organiser, kazan_delegate):
    line = _line(_agenda(event, organiser, kazan_delegate, language="en", zone="Asia/Kolkata"))
    assert "09:00–10:00" in line  # the event's zone first
    assert "11:30–12:30" in line and "India Standard Time" in line
    assert "India" not in _line(_agenda(event, organiser, kazan_delegate, language="en"))  # none chosen
