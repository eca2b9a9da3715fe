"""Every forum page and API operation refuses anonymous users and an officer of another city (not registered,
not an organiser), and nothing changes."""

from __future__ import annotations

import json

import pytest

from cityexchange.forum import services
from cityexchange.forum.models import Meeting, MeetingRequest, Registration, ScheduleRun
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory, grid
from tests.registry.factories import CityRoleFactory, MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(event, organiser, kazan_delegate, sao_paulo_delegate):
    grid(event, days=1, per_day=3)
    pending_req = MeetingRequestFactory(
        requester=kazan_delegate, target=sao_paulo_delegate, status="pending", topic="Metro"
    )
    MeetingRequestFactory(requester=kazan_delegate, target=RegistrationFactory(event=event))
    pending_reg = RegistrationFactory(event=event, status="pending")
    run = services.schedule_build(actor=organiser, event=event, time_limit=3)
    meeting = run.meetings.first()
    stranger = CityRoleFactory(city=MemberCityFactory(name="Durban", country_id="ZA")).user
    return {
        "event": event,
        "req": pending_req,
        "reg": pending_reg,
        "delegate": kazan_delegate,
        "meeting": meeting,
        "stranger": stranger,
    }


def _pages(w):
    e = w["event"].slug
    return [
        ("get", f"/en/forum/{e}/delegates/"),
        ("get", f"/en/forum/{e}/requests/"),
        ("get", f"/en/forum/{e}/requests/new/"),
        ("get", f"/en/forum/{e}/agenda/"),
        ("get", f"/en/forum/{e}/agenda/?registration={w['delegate'].pk}"),
        ("get", f"/en/forum/{e}/agenda/print/?registration={w['delegate'].pk}"),
        ("get", f"/en/forum/{e}/agenda.ics?registration={w['delegate'].pk}"),
        ("get", f"/en/forum/{e}/badge/?registration={w['delegate'].pk}"),
        ("get", f"/en/forum/{e}/manage/"),
        ("post", f"/en/forum/{e}/manage/", {"registration": w["reg"].pk, "action": "approve"}),
        ("get", f"/en/forum/{e}/manage/check-in/"),
        ("post", f"/en/forum/{e}/manage/check-in/", {"registration": w["delegate"].pk}),
        ("get", f"/en/forum/{e}/check-in/{w['delegate'].badge_token}/"),
        ("post", f"/en/forum/{e}/check-in/{w['delegate'].badge_token}/", {}),
        ("get", f"/en/forum/{e}/manage/schedule/"),
        ("post", f"/en/forum/{e}/manage/schedule/", {"action": "build", "time_limit": 3}),
        ("post", f"/en/forum/{e}/manage/schedule/", {"action": "pin", "meeting": w["meeting"].pk}),
        ("post", f"/en/forum/{e}/manage/schedule/", {"action": "publish"}),
        ("post", f"/en/forum/{e}/requests/", {"request": w["req"].pk, "action": "accept"}),
        ("post", f"/en/forum/{e}/meetings/{w['meeting'].pk}/held/", {"outcome": "x"}),
    ]


def _api(w):
    e = w["event"].pk
    return [
        ("get", f"/api/v1/forum/events/{e}/agenda"),
        ("get", f"/api/v1/forum/events/{e}/agenda?registration_id={w['delegate'].pk}"),
        ("get", f"/api/v1/forum/events/{e}/agenda.ics?registration_id={w['delegate'].pk}"),
        ("get", f"/api/v1/forum/events/{e}/suggestions?registration_id={w['delegate'].pk}"),
        ("get", f"/api/v1/forum/events/{e}/schedule"),
        ("post", f"/api/v1/forum/events/{e}/schedule/build", {"time_limit": 3}),
        ("post", f"/api/v1/forum/events/{e}/schedule/publish", {}),
        ("post", f"/api/v1/forum/meetings/{w['meeting'].pk}/pin", {}),
        ("post", f"/api/v1/forum/meetings/{w['meeting'].pk}/held", {"outcome": "x"}),
        ("post", f"/api/v1/forum/events/{e}/slots", {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00"}),
        (
            "post",
            f"/api/v1/forum/events/{e}/sessions",
            {"title": "x", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00"},
        ),
        ("post", f"/api/v1/forum/registrations/{w['reg'].pk}/approve", {}),
        ("post", f"/api/v1/forum/registrations/{w['delegate'].pk}/check-in", {}),
        ("post", f"/api/v1/forum/registrations/{w['delegate'].pk}/cancel", {}),
        ("post", f"/api/v1/forum/requests/{w['req'].pk}/accept", {}),
        ("post", f"/api/v1/forum/requests/{w['req'].pk}/decline", {}),
        ("post", f"/api/v1/forum/requests/{w['req'].pk}/cancel", {}),
        (
            "post",
            f"/api/v1/forum/events/{e}/requests",
            {"requester_id": w["delegate"].pk, "target_id": w["reg"].pk, "topic": "x"},
        ),
    ]


def _state(w):
    return (
        sorted(Registration.objects.values_list("pk", "status", "checked_in_at")),
        sorted(MeetingRequest.objects.values_list("pk", "status")),
        ScheduleRun.objects.count(),
        sorted(Meeting.objects.values_list("pk", "pinned", "held_at")),
        type(w["event"]).objects.get(pk=w["event"].pk).published_run_id,
    )


def _call(client, method, url, data=None, api=False):
    if method == "get":
        return client.get(url)
    if api:
        return client.post(url, data=json.dumps(data or {}), content_type="application/json")
    return client.post(url, data or {})


def test_pages_refuse_anonymous_and_strangers(client, world):
    before = _state(world)
    for method, url, *data in _pages(world):
        r = _call(client, method, url, data[0] if data else None)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], (url, r.status_code)
    client.force_login(world["stranger"])
    for method, url, *data in _pages(world):
        r = _call(client, method, url, data[0] if data else None)
        assert r.status_code in (403, 404), (method, url, r.status_code)
    assert _state(world) == before


def test_api_refuses_anonymous_and_strangers(client, world):
    before = _state(world)
    for method, url, *data in _api(world):
        r = _call(client, method, url, data[0] if data else None, api=True)
        assert r.status_code == 401, (url, r.status_code)
    client.force_login(world["stranger"])
    for method, url, *data in _api(world):
        r = _call(client, method, url, data[0] if data else None, api=True)
        assert r.status_code in (403, 404), (method, url, r.status_code, r.content[:200])
        assert r.json()["detail"]
    assert _state(world) == before


def test_strangers_see_no_registrations_or_requests(client, world):
    client.force_login(world["stranger"])
    e = world["event"].pk
    assert client.get(f"/api/v1/forum/events/{e}/registrations").json()["count"] == 0
    assert client.get(f"/api/v1/forum/events/{e}/requests").json()["count"] == 0
    client.logout()
    assert client.get(f"/api/v1/forum/events/{e}/registrations").status_code == 401


def test_unpublished_event_is_invisible_to_all_but_organisers(client, world, organiser):
    event = world["event"]
    event.is_published = False
    event.save()
    assert client.get(f"/en/forum/{event.slug}/").status_code == 404
    assert client.get(f"/api/v1/forum/events/{event.pk}").status_code == 404
    assert event.name not in client.get("/en/forum/").content.decode()
    client.force_login(organiser)
    assert client.get(f"/en/forum/{event.slug}/").status_code == 200
