"""The organisers' set-up page: rooms, slots, tables and interpreters through the services, refused to others."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.core.models import AuditEntry
from cityexchange.forum.models import Interpreter, MeetingTable, Room, Slot
from tests.forum.factories import DAY1

pytestmark = pytest.mark.django_db


def url(event: Any) -> str:
    return f"/en/forum/{event.slug}/manage/setup/"


def test_anonymous_is_sent_to_sign_in(client: Any, event: Any) -> None:
    response = client.get(url(event))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(url(event), {"form": "room", "room-name": "Hall A"}).status_code == 302
    assert not Room.objects.exists()


def test_an_officer_who_does_not_organise_is_refused(client: Any, event: Any, sao_paulo_coordinator: Any) -> None:
    client.force_login(sao_paulo_coordinator)
    assert client.get(url(event)).status_code == 403
    response = client.post(url(event), {"form": "tables", "tables-count": "3", "tables-seats": "4"})
    assert response.status_code == 403
    assert not MeetingTable.objects.exists()


def test_organiser_sets_up_the_event(client: Any, event: Any, organiser: Any) -> None:
    client.force_login(organiser)
    page = client.get(url(event))
    assert (
        page.status_code == 200 and "<script>" not in page.content.decode() and " onclick=" not in page.content.decode()
    )
    day = DAY1.isoformat()
    steps = [
        ({"form": "room", "room-name": "Hall A", "room-capacity": "40"}, "forum.room.add"),
        ({"form": "slot", "slot-starts_at": f"{day}T10:00", "slot-ends_at": f"{day}T10:30"}, "forum.slot.add"),
        (
            {"form": "tables", "tables-count": "3", "tables-seats": "4", "tables-name_prefix": "T"},
            "forum.tables.create",
        ),
    ]
    for data, action in steps:
        response = client.post(url(event), data)
        assert response.status_code == 302, response.content.decode()[:1500]
        assert AuditEntry.objects.filter(action=action, actor=organiser).exists()
    slot = Slot.objects.get(event=event)
    assert slot.starts_at.astimezone(event.tz).hour == 10  # read in the event's time zone
    response = client.post(
        url(event),
        {
            "form": "interpreter",
            "interpreter-name": "Anna",
            "interpreter-language_pairs": "ru-en, en-zh",
            "interpreter-available_slots": [slot.pk],
        },
    )
    assert response.status_code == 302
    interpreter = Interpreter.objects.get(event=event)
    assert interpreter.language_pairs == ["en-ru", "en-zh"] and list(interpreter.available_slots.all()) == [slot]
    assert AuditEntry.objects.filter(action="forum.interpreter.add", target_id=str(interpreter.pk)).exists()
    assert list(MeetingTable.objects.filter(event=event).values_list("name", flat=True)) == ["T1", "T2", "T3"]
    html = client.get(url(event)).content.decode()
    assert "Hall A" in html and "Anna" in html and "T3" in html


def test_the_services_refusals_show_on_the_form(client: Any, event: Any, organiser: Any) -> None:
    client.force_login(organiser)
    outside = "2001-01-01T10:00"
    response = client.post(url(event), {"form": "slot", "slot-starts_at": outside, "slot-ends_at": "2001-01-01T10:30"})
    assert response.status_code == 422 and "outside the event" in response.content.decode()
    response = client.post(
        url(event), {"form": "interpreter", "interpreter-name": "Anna", "interpreter-language_pairs": "xx"}
    )
    assert response.status_code == 422 and "is not a pair" in response.content.decode()
    assert not Slot.objects.exists() and not Interpreter.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="forum.").exists()


def test_the_secretariat_may_set_up_any_event(client: Any, event: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    response = client.post(url(event), {"form": "room", "room-name": "Hall B"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="forum.room.add", actor=secretariat).exists()


def test_the_desk_links_to_the_set_up_page(client: Any, event: Any, organiser: Any) -> None:
    client.force_login(organiser)
    html = client.get(f"/en/forum/{event.slug}/manage/").content.decode()
    assert url(event) in html and "/admin/forum/" not in html


def test_event_settings_change_through_event_update(event: Any, organiser: Any, sao_paulo_coordinator: Any) -> None:
    from cityexchange.core.errors import InvalidInput, PermissionDenied
    from cityexchange.forum import services

    with pytest.raises(PermissionDenied):
        services.event_update(actor=sao_paulo_coordinator, event=event, name="Taken over")
    with pytest.raises(InvalidInput) as exc:
        services.event_update(actor=organiser, event=event, name="Forum", request_valid_days=0)
    assert exc.value.field == "request_valid_days"
    event.refresh_from_db()
    assert event.name == "Forum of BRICS+ Cities"
    services.event_update(actor=organiser, event=event, name="Forum 2027", is_published=False, registration_open=False)
    event.refresh_from_db()
    assert event.name == "Forum 2027" and not event.is_published and not event.registration_open
    entry = AuditEntry.objects.get(action="forum.event.update", actor=organiser)
    assert entry.before["is_published"] is True and entry.after["is_published"] is False


def test_publishing_an_event_in_the_admin_goes_through_event_update(client: Any, event: Any) -> None:
    from tests.registry.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    data = {
        "name": event.name,
        "organisers": [],
        "is_published": "",
        "registration_open": "on",
        "min_meetings_per_city": "2",
        "request_valid_days": "7",
        "solver_time_limit": "20",
        "venue": "",
        "description": "",
    }
    for prefix in ("rooms", "slots", "tables"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(f"/admin/forum/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert not event.is_published and event.min_meetings_per_city == 2
    assert AuditEntry.objects.filter(action="forum.event.update", target_id=str(event.pk), actor=root).exists()


def test_organiser_removes_set_up_rows(client: Any, event: Any, organiser: Any) -> None:
    from cityexchange.forum import services
    from tests.forum.factories import at

    room = services.room_add(actor=organiser, event=event, name="Hall A")
    slot = services.slot_add(actor=organiser, event=event, starts_at=at(1, 10), ends_at=at(1, 10, 30))
    (table,) = services.tables_create(actor=organiser, event=event, count=1)
    interpreter = services.interpreter_add(actor=organiser, event=event, name="Anna", language_pairs=["en-ru"])
    client.force_login(organiser)
    for kind, row in (("room", room), ("slot", slot), ("table", table), ("interpreter", interpreter)):
        response = client.post(url(event), {"form": "remove", "kind": kind, "id": row.pk})
        assert response.status_code == 302
        assert not type(row).objects.filter(pk=row.pk).exists()
        action = f"forum.{kind}.remove"
        assert AuditEntry.objects.filter(action=action, target_id=str(row.pk), actor=organiser).exists()


def test_rows_in_use_or_of_others_are_not_removed(
    client: Any, event: Any, organiser: Any, sao_paulo_coordinator: Any, kazan_delegate: Any, sao_paulo_delegate: Any
) -> None:
    from cityexchange.core.errors import Conflict, PermissionDenied
    from cityexchange.forum import services
    from cityexchange.forum.models import Meeting, ScheduleRun
    from tests.forum.factories import EventFactory, MeetingRequestFactory, at

    room = services.room_add(actor=organiser, event=event, name="Hall A")
    services.session_add(
        actor=organiser, event=event, title="Opening", starts_at=at(1, 9), ends_at=at(1, 10), room=room
    )
    slot = services.slot_add(actor=organiser, event=event, starts_at=at(1, 10), ends_at=at(1, 10, 30))
    (table,) = services.tables_create(actor=organiser, event=event, count=1)
    run = ScheduleRun.objects.create(event=event, number=1, time_limit=5)
    request = MeetingRequestFactory(event=event, requester=kazan_delegate, target=sao_paulo_delegate)
    Meeting.objects.create(run=run, request=request, slot=slot, table=table)
    with pytest.raises(Conflict):
        services.room_remove(actor=organiser, room=room)
    with pytest.raises(Conflict):
        services.slot_remove(actor=organiser, slot=slot)
    with pytest.raises(Conflict):
        services.table_remove(actor=organiser, table=table)
    with pytest.raises(PermissionDenied):
        services.room_remove(actor=sao_paulo_coordinator, room=room)
    other = EventFactory(city=event.city)
    other_room = Room.objects.create(event=other, name="Elsewhere")
    client.force_login(organiser)  # the other event's rows are not found from this event's page
    response = client.post(url(event), {"form": "remove", "kind": "room", "id": other_room.pk})
    assert response.status_code == 422 and Room.objects.filter(pk=other_room.pk).exists()
    response = client.post(url(event), {"form": "remove", "kind": "room", "id": room.pk})
    assert response.status_code == 422 and "takes place in this room" in response.content.decode()
    assert Room.objects.filter(pk=room.pk).exists() and Slot.objects.filter(pk=slot.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".remove").exists()
