"""A delegate's own times: the agenda page, the printable agenda, the calendar file and the e-mail all give a
meeting at 10:00 Moscow time as 10:00 in the event's zone, named (the calendar file in UTC, which calendar
clients convert), never as an unlabelled 07:00."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from icalendar import Calendar

from cityexchange.forum import services
from cityexchange.forum.models import Meeting
from tests.forum.factories import MeetingRequestFactory, at, grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(event, organiser, kazan_delegate, sao_paulo_delegate, django_capture_on_commit_callbacks):
    grid(event, days=1, per_day=1)  # one slot: 10:00–10:30 Moscow time on day 1
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, topic="Bus lanes")
    services.schedule_build(actor=organiser, event=event, time_limit=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=organiser, event=event)
    meeting = Meeting.objects.get()
    assert meeting.slot.starts_at == at(1, 10)
    return meeting


def test_agenda_pages_show_the_events_zone(client, event, kazan_officer, published):
    client.force_login(kazan_officer)
    for url in (f"/en/forum/{event.slug}/agenda/", f"/en/forum/{event.slug}/agenda/print/"):
        html = client.get(url).content.decode()
        assert "Times in Moscow Time (Europe/Moscow)." in html, url
        assert "10:00–10:30" in html and "07:00" not in html, url


def test_the_calendar_file_carries_the_same_instant(client, event, kazan_officer, published):
    client.force_login(kazan_officer)
    cal = Calendar.from_ical(client.get(f"/en/forum/{event.slug}/agenda.ics").content)
    (entry,) = list(cal.walk("VEVENT"))
    start = entry.decoded("dtstart")
    assert start == at(1, 10) and start.utcoffset() == dt.timedelta(0)  # 07:00Z is 10:00 in Moscow


def test_the_schedule_email_gives_times_in_the_events_zone(event, published):
    (message, *_rest) = [m for m in mail.outbox if "meeting schedule" in m.subject]
    assert "Europe/Moscow" in message.body and "10:00–10:30" in message.body and "07:00" not in message.body


def test_times_in_messages_name_the_zone(event, organiser):
    from cityexchange.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        services.slot_add(actor=organiser, event=event, starts_at=at(4, 10), ends_at=at(4, 11))
    assert "10:00 (Moscow Time)" in err.value.message and "07:00" not in err.value.message
