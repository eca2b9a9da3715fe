"""Pages and API of the forum, walked the way people use them; iCalendar export parses and has the right times."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from cityexchange.forum import services
from cityexchange.forum.models import MeetingRequest, Registration, ScheduleRun
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory, at, grid

pytestmark = pytest.mark.django_db


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_public_pages(client, event, organiser, kazan_delegate):
    services.session_add(
        actor=organiser, event=event, title="Opening plenary", kind="plenary", starts_at=at(1, 9), ends_at=at(1, 10)
    )
    assert event.name in client.get("/en/forum/").content.decode()
    html = client.get(f"/en/forum/{event.slug}/").content.decode()
    assert "Opening plenary" in html and "09:00" in html and "Europe/Moscow" in html
    assert client.get("/en/forum/no-such-event/").status_code == 404
    assert client.get(f"/ar/forum/{event.slug}/").status_code == 200
    assert "Программа" in client.get(f"/ru/forum/{event.slug}/").content.decode()
    body = client.get(f"/api/v1/forum/events/{event.pk}/sessions").json()
    assert body[0]["title"] == "Opening plenary"


def test_register_page(client, event, kazan, kazan_officer):
    client.force_login(kazan_officer)
    assert client.get(f"/en/forum/{event.slug}/register/").status_code == 200
    data = {
        "city": kazan.pk,
        "role": "Deputy mayor",
        "languages": ["ru"],
        "arrival": "2000-01-01T10:00",
        "departure": "2000-01-02T10:00",
    }
    r = client.post(f"/en/forum/{event.slug}/register/", data)
    assert r.status_code == 200 and "before the event starts" in r.content.decode()
    assert not Registration.objects.exists()
    data["arrival"] = f"{at(1, 8):%Y-%m-%dT%H:%M}"
    data["departure"] = f"{at(2, 18):%Y-%m-%dT%H:%M}"
    r = client.post(f"/en/forum/{event.slug}/register/", data)
    assert r.status_code == 302
    reg = Registration.objects.get(user=kazan_officer)
    assert reg.status == "pending" and reg.arrival == at(1, 8)  # read in the event's time zone


def test_request_accept_and_agenda_pages(
    client, event, kazan_delegate, sao_paulo_delegate, kazan_officer, sao_paulo_coordinator
):
    client.force_login(kazan_officer)
    assert "São Paulo" in client.get(f"/en/forum/{event.slug}/delegates/").content.decode()
    r = client.post(
        f"/en/forum/{event.slug}/requests/new/", {"target": sao_paulo_delegate.pk, "priority": 3, "topic": "Metro"}
    )
    assert r.status_code == 302
    req = MeetingRequest.objects.get()
    r = client.post(f"/en/forum/{event.slug}/requests/new/", {"target": kazan_delegate.pk, "topic": "Me"})
    assert r.status_code == 200 and "valid choice" in r.content.decode()  # oneself is not on the list
    assert MeetingRequest.objects.count() == 1
    client.force_login(sao_paulo_coordinator)
    html = client.get(f"/en/forum/{event.slug}/requests/").content.decode()
    assert "Metro" in html
    client.post(f"/en/forum/{event.slug}/requests/", {"request": req.pk, "action": "accept"})
    assert MeetingRequest.objects.get(pk=req.pk).status == "accepted"
    r = client.post(f"/en/forum/{event.slug}/requests/", {"request": req.pk, "action": "accept"})
    assert r.status_code == 302  # an error message, not a 500
    html = client.get(f"/en/forum/{event.slug}/agenda/").content.decode()
    assert "not published yet" in html
    assert client.get(f"/en/forum/{event.slug}/badge/").status_code == 200


def test_organiser_builds_pins_publishes_in_pages(client, event, organiser, kazan_delegate, sao_paulo_delegate):
    grid(event, days=1, per_day=3)
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, topic="Bus lanes")
    pending = RegistrationFactory(event=event, status="pending")
    client.force_login(organiser)
    html = client.get(f"/en/forum/{event.slug}/manage/").content.decode()
    assert str(pending.user) in html
    client.post(f"/en/forum/{event.slug}/manage/", {"registration": pending.pk, "action": "approve"})
    assert Registration.objects.get(pk=pending.pk).status == "approved"
    r = client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "build", "time_limit": "abc"})
    assert r.status_code == 200 and not ScheduleRun.objects.exists()
    r = client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "build", "time_limit": 3})
    assert r.status_code == 302
    run = ScheduleRun.objects.get()
    html = client.get(f"/en/forum/{event.slug}/manage/schedule/").content.decode()
    assert 'data-figure="bound"' in html and 'data-figure="gap"' in html and "Bus lanes" in html
    m = run.meetings.get()
    client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "pin", "meeting": m.pk})
    assert run.meetings.get().pinned
    client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "pin", "meeting": "x"})  # no 500
    client.post(f"/en/forum/{event.slug}/manage/schedule/", {"action": "publish", "confirm": "yes"})
    event.refresh_from_db()
    assert event.published_run == run
    html = client.get(f"/en/forum/{event.slug}/agenda/?registration={kazan_delegate.pk}").content.decode()
    assert "Bus lanes" in html and "São Paulo" in html
    # Check-in by the badge's QR link.
    client.post(f"/en/forum/{event.slug}/check-in/{kazan_delegate.badge_token}/")
    assert Registration.objects.get(pk=kazan_delegate.pk).checked_in_at is not None
    assert client.get(f"/en/forum/{event.slug}/check-in/not-a-token/").status_code == 404


def test_ical_export_parses_with_right_times(
    client, event, organiser, kazan_delegate, sao_paulo_delegate, kazan_officer
):
    grid(event, days=1, per_day=2)
    MeetingRequestFactory(requester=kazan_delegate, target=sao_paulo_delegate, topic="Bus lanes")
    services.session_add(
        actor=organiser, event=event, title="Panel", starts_at=at(1, 12), ends_at=at(1, 13), speakers=[kazan_delegate]
    )
    run = services.schedule_build(actor=organiser, event=event, time_limit=3)
    services.schedule_publish(actor=organiser, event=event)
    m = run.meetings.select_related("slot").get()
    client.force_login(kazan_officer)
    for url in (f"/en/forum/{event.slug}/agenda.ics", f"/api/v1/forum/events/{event.pk}/agenda.ics"):
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(r.content)
        assert cal["VERSION"] == "2.0" and cal["PRODID"]
        events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        meeting = next(e for s, e in events.items() if "Meeting with" in s)
        assert meeting.decoded("DTSTART") == m.slot.starts_at
        assert meeting.decoded("DTSTART").utcoffset() == dt.timedelta(0)
        assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == dt.timedelta(minutes=30)
        assert "Bus lanes" in str(meeting["DESCRIPTION"]) and str(meeting["UID"]).startswith(f"meeting-{m.request_id}")
        assert events["Panel"].decoded("DTSTART") == at(1, 12)
    html = client.get(f"/en/forum/{event.slug}/agenda/print/").content.decode()
    assert "@media print" in client.get("/static/forum/forum.css").getvalue().decode() or "Panel" in html


def test_api_flow(client, event, organiser, kazan, kazan_officer, sao_paulo_delegate, sao_paulo_coordinator):
    client.force_login(kazan_officer)
    r = post_json(
        client,
        f"/api/v1/forum/events/{event.pk}/registrations",
        {
            "city_id": kazan.pk,
            "role": "Mayor",
            "languages": ["ru", "xx"],
            "arrival": f"{at(1, 8):%Y-%m-%dT%H:%M}",
            "departure": f"{at(2, 18):%Y-%m-%dT%H:%M}",
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "languages"
    r = post_json(
        client,
        f"/api/v1/forum/events/{event.pk}/registrations",
        {
            "city_id": kazan.pk,
            "role": "Mayor",
            "languages": ["ru", "en"],
            "arrival": f"{at(1, 8):%Y-%m-%dT%H:%M}",
            "departure": f"{at(2, 18):%Y-%m-%dT%H:%M}",
        },
    )
    assert r.status_code == 201, r.content
    reg_id = r.json()["id"]
    r = post_json(
        client, f"/api/v1/forum/events/{event.pk}/requests", {"target_id": sao_paulo_delegate.pk, "topic": "x"}
    )
    assert r.status_code == 422 and r.json()["field"] == "requester"  # not approved yet
    client.force_login(organiser)
    assert post_json(client, f"/api/v1/forum/registrations/{reg_id}/approve", {}).status_code == 200
    client.force_login(kazan_officer)
    r = post_json(client, f"/api/v1/forum/events/{event.pk}/requests", {"target_id": reg_id, "topic": "x"})
    assert r.status_code == 422 and r.json()["field"] == "target"
    r = post_json(client, f"/api/v1/forum/events/{event.pk}/requests", {"target_id": 999999, "topic": "x"})
    assert r.status_code == 422 and r.json()["field"] == "target_id"
    r = post_json(
        client,
        f"/api/v1/forum/events/{event.pk}/requests",
        {"target_id": sao_paulo_delegate.pk, "topic": "Metro", "priority": 3},
    )
    assert r.status_code == 201
    req_id = r.json()["id"]
    client.force_login(sao_paulo_coordinator)
    assert post_json(client, f"/api/v1/forum/requests/{req_id}/accept", {}).json()["status"] == "accepted"
    client.force_login(organiser)
    r = post_json(client, f"/api/v1/forum/events/{event.pk}/schedule/build", {})
    assert r.status_code == 422 and r.json()["field"] == "slots"
    grid(event, days=1, per_day=2)
    r = post_json(client, f"/api/v1/forum/events/{event.pk}/schedule/build", {"time_limit": 3})
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["bound"] is not None
    body = client.get(f"/api/v1/forum/events/{event.pk}/schedule").json()
    meeting_id = body["meetings"][0]["id"]
    assert post_json(client, f"/api/v1/forum/meetings/{meeting_id}/pin", {}).json()["pinned"] is True
    assert post_json(client, f"/api/v1/forum/events/{event.pk}/schedule/publish", {}).json()["published"] is True
    client.force_login(kazan_officer)
    agenda = client.get(f"/api/v1/forum/events/{event.pk}/agenda").json()
    assert [i["topic"] for i in agenda] == ["Metro"]


def test_api_bad_ids_and_values_never_500(client, event, organiser):
    client.force_login(organiser)
    assert client.get("/api/v1/forum/events/999999").status_code == 404
    assert client.get(f"/api/v1/forum/events/{event.pk}/registrations?status=zzz").status_code == 422
    assert post_json(client, "/api/v1/forum/meetings/999999/pin", {}).status_code == 404
    assert post_json(client, "/api/v1/forum/requests/999999/accept", {}).status_code == 404
    r = post_json(client, f"/api/v1/forum/events/{event.pk}/slots", {"starts_at": "nonsense", "ends_at": 5})
    assert r.status_code == 422
    r = post_json(
        client,
        f"/api/v1/forum/events/{event.pk}/slots",
        {"starts_at": f"{at(1, 11):%Y-%m-%dT%H:%M}", "ends_at": f"{at(1, 10):%Y-%m-%dT%H:%M}"},
    )
    assert r.status_code == 422 and r.json()["field"] == "starts_at"
    assert client.get(f"/en/forum/{event.slug}/agenda/?registration=999999").status_code == 404
