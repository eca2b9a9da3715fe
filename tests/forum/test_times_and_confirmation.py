"""Forum pages show every time in the event's zone with the zone named, working languages by name, and
publishing a schedule asks for confirmation first."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cityexchange.forum import services
from cityexchange.forum.models import Event, Registration, ScheduleRun
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory, at, grid

pytestmark = pytest.mark.django_db


def test_working_languages_are_shown_by_name(client, event):
    event.working_languages.set(["ru", "zh"])
    html = client.get(f"/en/forum/{event.slug}/").content.decode()
    shown = re.search(r"<dd data-working-languages>(.*?)</dd>", html, re.S)
    assert shown is not None
    assert shown.group(1).strip() == "Русский · 中文"


def test_the_desk_shows_stays_in_the_events_zone_named(client, event, organiser):
    """A delegate arriving at 08:00 Moscow time: 08:00 on the desk, not 05:00 (UTC) and not unlabelled."""
    pending = RegistrationFactory(event=event, status="pending", arrival=at(1, 8), departure=at(2, 18, 30))
    client.force_login(organiser)
    html = client.get(f"/en/forum/{event.slug}/manage/").content.decode()
    stay = re.search(rf'data-stay="{pending.pk}">(.*?)</small>', html, re.S)
    assert stay is not None
    assert "08:00 (Moscow Time)" in stay.group(1) and "18:30 (Moscow Time)" in stay.group(1)
    assert "05:00" not in stay.group(1) and "a.m." not in stay.group(1)
    # In Russian, the zone is named in Russian.
    html = client.get(f"/ru/forum/{event.slug}/manage/").content.decode()
    assert "08:00 (Москва)" in html


def test_an_event_elsewhere_uses_its_own_zone(client, organiser, sao_paulo):
    Event.objects.filter(pk__in=organiser.organised_events.values("pk")).update(timezone="America/Sao_Paulo")
    event = organiser.organised_events.get()
    pending = RegistrationFactory(event=event, status="pending", arrival=at(1, 8))  # 08:00 Moscow = 02:00 São Paulo
    client.force_login(organiser)
    html = client.get(f"/en/forum/{event.slug}/manage/").content.decode()
    stay = re.search(rf'data-stay="{pending.pk}">(.*?)</small>', html, re.S)
    assert stay is not None and "02:00 (Brasilia Time)" in stay.group(1)


def test_programme_schedule_and_check_in_name_the_zone(client, event, organiser, kazan_delegate, sao_paulo_delegate):
    services.session_add(
        actor=organiser, event=event, title="Opening plenary", kind="plenary", starts_at=at(1, 8), ends_at=at(1, 9)
    )
    html = client.get(f"/en/forum/{event.slug}/").content.decode()
    assert "Times in Moscow Time (Europe/Moscow)." in html and "08:00–09:00" in html and "05:00" not in html
    grid(event, days=1, per_day=1)
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate)
    services.schedule_build(actor=organiser, event=event, time_limit=3)
    client.force_login(organiser)
    html = client.get(f"/en/forum/{event.slug}/manage/schedule/").content.decode()
    assert "Times in Moscow Time (Europe/Moscow)." in html and '<th class="time">10:00</th>' in html
    services.registration_check_in(actor=organiser, registration=kazan_delegate)
    html = client.get(f"/en/forum/{event.slug}/manage/check-in/").content.decode()
    assert "(Moscow Time)" in html


@pytest.fixture
def draft(event, organiser, kazan_delegate, sao_paulo_delegate):
    grid(event, days=1, per_day=2)
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, topic="Bus lanes")
    run = services.schedule_build(actor=organiser, event=event, time_limit=3)
    assert run.status == ScheduleRun.Status.DONE
    return run


def test_publishing_asks_for_confirmation_then_publishes(
    client, event, organiser, draft, django_capture_on_commit_callbacks
):
    url = f"/en/forum/{event.slug}/manage/schedule/"
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"action": "publish"})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-confirm="required"' in html
    assert "All 2 approved delegates see it in their agendas and get it by e-mail." in html
    assert 'name="action" value="publish"' in html and 'name="confirm" value="yes"' in html
    assert f'href="/en/forum/{event.slug}/manage/schedule/"' in html  # Cancel
    event.refresh_from_db()
    assert event.published_run_id is None and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"action": "publish", "confirm": "yes"})
    event.refresh_from_db()
    assert r.status_code == 302 and event.published_run_id == draft.pk
    assert len(mail.outbox) == 2


def test_a_delegate_cannot_publish_even_confirmed(client, event, kazan_officer, draft):
    client.force_login(kazan_officer)  # an approved delegate, not an organiser
    for data in ({"action": "publish"}, {"action": "publish", "confirm": "yes"}):
        r = client.post(f"/en/forum/{event.slug}/manage/schedule/", data)
        assert r.status_code == 403 and 'data-confirm="required"' not in r.content.decode()
    event.refresh_from_db()
    assert event.published_run_id is None


def test_the_api_publishes_without_a_confirmation_step(client, event, organiser, draft):
    client.force_login(organiser)
    r = client.post(f"/api/v1/forum/events/{event.pk}/schedule/publish")
    event.refresh_from_db()
    assert r.status_code == 200 and event.published_run_id == draft.pk
    assert Registration.objects.filter(event=event).count() == 2
