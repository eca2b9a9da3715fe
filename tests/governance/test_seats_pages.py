"""The secretariat's seats and group-member pages: through the services, audited, refused to everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.governance.models import Body, GroupMember, Seat
from cityexchange.registry.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(reference: None) -> Body:
    return Body.objects.create(kind=Body.Kind.BOARD, name="Board")


@pytest.fixture
def group(secretariat: Any) -> Any:
    return services.group_create(
        actor=secretariat, slug="transport", name="Transport", sectors=[Sector.objects.order_by("pk").first()]
    )


def seats_url(body: Body) -> str:
    return f"/en/governance/bodies/{body.pk}/seats/"


def members_url(group: Any) -> str:
    return f"/en/governance/groups/{group.pk}/members/"


def test_anonymous_is_sent_to_sign_in(client: Any, board: Body, group: Any, kazan: Any) -> None:
    for url in (seats_url(board), members_url(group)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.post(seats_url(board), {"action": "add", "city": kazan.pk, "role": "member"})
    client.post(members_url(group), {"action": "add", "city": kazan.pk})
    assert not Seat.objects.exists() and not GroupMember.objects.exists()


def test_a_city_coordinator_is_refused(
    client: Any, board: Body, group: Any, kazan: Any, kazan_coordinator: Any
) -> None:
    client.force_login(kazan_coordinator)
    assert client.get(seats_url(board)).status_code == 403
    assert client.post(seats_url(board), {"action": "add", "city": kazan.pk, "role": "member"}).status_code == 403
    assert client.get(members_url(group)).status_code == 403
    assert client.post(members_url(group), {"action": "add", "city": kazan.pk}).status_code == 403
    assert not Seat.objects.exists() and not GroupMember.objects.exists()


def test_secretariat_gives_and_ends_a_seat(client: Any, board: Body, kazan: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    assert client.get(seats_url(board)).status_code == 200
    response = client.post(seats_url(board), {"action": "add", "city": kazan.pk, "role": Seat.Role.CHAIR})
    assert response.status_code == 302, response.content.decode()[:1500]
    seat = Seat.objects.get(body=board, city=kazan)
    assert seat.role == Seat.Role.CHAIR and seat.start_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="seat.add", target_id=str(seat.pk), actor=secretariat).exists()
    last_day = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(seats_url(board), {"action": "end", "seat": seat.pk, "end_on": last_day.isoformat()})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_on == last_day
    assert AuditEntry.objects.filter(action="seat.end", target_id=str(seat.pk), actor=secretariat).exists()


def test_a_second_seat_for_the_same_city_is_refused_on_the_form(
    client: Any, board: Body, kazan: Any, secretariat: Any
) -> None:
    services.seat_add(actor=secretariat, body=board, city=kazan)
    client.force_login(secretariat)
    response = client.post(seats_url(board), {"action": "add", "city": kazan.pk, "role": "member"})
    assert response.status_code == 422 and "already has a seat" in response.content.decode()
    assert Seat.objects.filter(body=board).count() == 1


def test_secretariat_adds_and_removes_a_group_member(client: Any, group: Any, kazan: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    assert client.get(members_url(group)).status_code == 200
    response = client.post(members_url(group), {"action": "add", "city": kazan.pk})
    assert response.status_code == 302, response.content.decode()[:1500]
    member = GroupMember.objects.get(group=group, city=kazan)
    assert AuditEntry.objects.filter(action="group.join", target_id=str(member.pk), actor=secretariat).exists()
    response = client.post(members_url(group), {"action": "remove", "member": member.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on is not None
    assert AuditEntry.objects.filter(action="group.leave", target_id=str(member.pk), actor=secretariat).exists()


def test_the_pages_are_linked_for_the_secretariat(client: Any, board: Body, group: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    assert seats_url(board) in client.get(f"/en/governance/bodies/{board.pk}/").content.decode()
    assert members_url(group) in client.get(f"/en/governance/groups/{group.pk}/").content.decode()
