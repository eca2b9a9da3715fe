from __future__ import annotations

import datetime as dt

import pytest

from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.forum import services
from cityexchange.forum.models import MeetingRequest, Registration, Slot
from cityexchange.registry.models import Language
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory, at
from tests.registry.factories import CityRoleFactory, MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _register(actor, event, city, **overrides):
    user = overrides.pop("user", actor)
    data = {
        "role": "Mayor",
        "languages": Language.objects.filter(code__in=["ru"]),
        "arrival": at(1, 8),
        "departure": at(2, 20),
    }
    data.update(overrides)
    return services.registration_create(actor=actor, event=event, user=user, city=city, **data)


def test_officer_registers_and_organiser_approves(event, organiser, kazan, kazan_officer):
    reg = _register(kazan_officer, event, kazan, join_delegation=True)
    assert reg.status == "pending" and reg.delegation.city == kazan
    services.registration_approve(actor=organiser, registration=reg)
    assert Registration.objects.get(pk=reg.pk).status == "approved"
    assert AuditEntry.objects.filter(action="forum.registration.approve", target_id=str(reg.pk)).exists()
    with pytest.raises(InvalidTransition):
        services.registration_approve(actor=organiser, registration=reg)


def test_organiser_registers_a_guest_approved_at_once(event, organiser, kazan):
    guest = UserFactory()
    reg = _register(organiser, event, kazan, user=guest)
    assert reg.user == guest and reg.status == "approved"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": " "}, "role"),
        ({"languages": Language.objects.none()}, "languages"),
        ({"arrival": at(2, 10), "departure": at(2, 9)}, "departure"),
        ({"arrival": at(5, 10), "departure": at(6, 9)}, "arrival"),  # availability after the event
        ({"arrival": at(-5, 10), "departure": at(-3, 9)}, "departure"),  # availability before the event
    ],
)
def test_registration_bad_input_names_the_field(event, kazan, kazan_officer, overrides, field):
    with pytest.raises(InvalidInput) as err:
        _register(kazan_officer, event, kazan, **overrides)
    assert err.value.field == field
    assert not Registration.objects.exists()


def test_registration_refusals(event, kazan, sao_paulo, kazan_officer):
    with pytest.raises(PermissionDenied):  # another city
        _register(kazan_officer, event, sao_paulo)
    with pytest.raises(PermissionDenied):  # someone else
        _register(kazan_officer, event, kazan, user=UserFactory())
    _register(kazan_officer, event, kazan)
    with pytest.raises(Conflict) as err:
        _register(kazan_officer, event, kazan)
    assert err.value.field == "user" and Registration.objects.count() == 1
    event.registration_open = False
    event.save()
    other = CityRoleFactory(city=kazan).user
    with pytest.raises(InvalidTransition):
        _register(other, event, kazan)


def test_stranger_cannot_approve(event, kazan, kazan_officer, sao_paulo_coordinator):
    reg = _register(kazan_officer, event, kazan)
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=sao_paulo_coordinator, registration=reg)
    assert Registration.objects.get(pk=reg.pk).status == "pending"


def test_check_in_once(event, organiser, kazan_delegate):
    services.registration_check_in(actor=organiser, registration=kazan_delegate)
    assert kazan_delegate.checked_in_at is not None
    with pytest.raises(InvalidTransition):
        services.registration_check_in(actor=organiser, registration=kazan_delegate)
    pending = RegistrationFactory(event=event, status="pending")
    with pytest.raises(InvalidTransition):
        services.registration_check_in(actor=organiser, registration=pending)


def test_delegate_cannot_check_in_themself(event, kazan_delegate, kazan_officer):
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=kazan_officer, registration=kazan_delegate)
    kazan_delegate.refresh_from_db()
    assert kazan_delegate.checked_in_at is None


# --- meeting requests -----------------------------------------------------------------------------------------
def test_request_accept_flow(event, kazan_delegate, sao_paulo_delegate, kazan_officer, sao_paulo_coordinator):
    req = services.meeting_request_create(
        actor=kazan_officer, requester=kazan_delegate, target=sao_paulo_delegate, priority=3, topic="Bus rapid transit"
    )
    assert req.status == "pending" and req.expires_at <= event.ends_at
    with pytest.raises(PermissionDenied):  # the requester cannot accept their own request
        services.meeting_request_accept(actor=kazan_officer, request=req)
    services.meeting_request_accept(actor=sao_paulo_coordinator, request=req)
    assert MeetingRequest.objects.get(pk=req.pk).status == "accepted"
    with pytest.raises(InvalidTransition):
        services.meeting_request_decline(actor=sao_paulo_coordinator, request=req)


def test_request_to_a_city_goes_to_its_delegate(event, kazan_delegate, sao_paulo_delegate, sao_paulo, kazan_officer):
    req = services.meeting_request_create(
        actor=kazan_officer, requester=kazan_delegate, target_city=sao_paulo, priority=1, topic="Housing"
    )
    assert req.target == sao_paulo_delegate


@pytest.mark.parametrize("case", ["self", "unregistered", "pending", "other_event", "priority", "topic", "no_city",
                                  "own_city", "delegation"])  # fmt: skip
def test_request_bad_input_names_the_field(event, kazan_delegate, kazan_officer, kazan, case):
    from tests.forum.factories import EventFactory

    target = RegistrationFactory(event=event)
    kwargs = {"target": target, "priority": 2, "topic": "Water"}
    field = "target"
    if case == "self":
        kwargs["target"] = kazan_delegate
    elif case == "unregistered":
        kwargs["target"] = RegistrationFactory(event=event, status="cancelled")
    elif case == "pending":
        kwargs["target"] = RegistrationFactory(event=event, status="pending")
    elif case == "other_event":
        kwargs["target"] = RegistrationFactory(event=EventFactory(slug="other"))
    elif case == "priority":
        kwargs["priority"], field = 7, "priority"
    elif case == "topic":
        kwargs["topic"], field = "  ", "topic"
    elif case == "no_city":
        kwargs = {"target_city": MemberCityFactory(), "topic": "x"}
        field = "target_city"
    elif case == "own_city":
        kwargs = {"target_city": kazan, "topic": "x"}
        field = "target_city"
    elif case == "delegation":
        d = services.city_delegation(event, kazan)
        kazan_delegate.delegation = d
        kazan_delegate.save()
        kwargs["target"] = RegistrationFactory(event=event, city=kazan, delegation=d)
    with pytest.raises(InvalidInput) as err:
        services.meeting_request_create(actor=kazan_officer, requester=kazan_delegate, **kwargs)
    assert err.value.field == field and err.value.message
    assert not MeetingRequest.objects.exists()


def test_duplicate_open_request_either_direction_is_refused(
    event, kazan_delegate, sao_paulo_delegate, kazan_officer, sao_paulo_coordinator
):
    services.meeting_request_create(actor=kazan_officer, requester=kazan_delegate, target=sao_paulo_delegate, topic="A")
    with pytest.raises(Conflict):
        services.meeting_request_create(
            actor=sao_paulo_coordinator, requester=sao_paulo_delegate, target=kazan_delegate, topic="B"
        )
    assert MeetingRequest.objects.count() == 1


def test_stranger_cannot_request_for_someone(event, kazan_delegate, sao_paulo_delegate, sao_paulo_coordinator):
    with pytest.raises(PermissionDenied):
        services.meeting_request_create(
            actor=UserFactory(), requester=kazan_delegate, target=sao_paulo_delegate, topic="x"
        )
    assert not MeetingRequest.objects.exists()


def test_unanswered_requests_expire(event, kazan_delegate, sao_paulo_delegate, kazan_officer, sao_paulo_coordinator):
    req = services.meeting_request_create(
        actor=kazan_officer, requester=kazan_delegate, target=sao_paulo_delegate, topic="x"
    )
    later = req.expires_at + dt.timedelta(seconds=1)
    MeetingRequest.objects.filter(pk=req.pk).update(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    req.refresh_from_db()
    with pytest.raises(InvalidTransition) as err:
        services.meeting_request_accept(actor=sao_paulo_coordinator, request=req)
    assert "expired" in err.value.message
    assert services.meeting_requests_expire(event=event, now=later) == 1
    assert MeetingRequest.objects.get(pk=req.pk).status == "expired"


def test_cancelling_a_registration_cancels_its_requests(event, kazan_delegate, kazan_officer):
    req = MeetingRequestFactory(requester=kazan_delegate)
    services.registration_cancel(actor=kazan_officer, registration=kazan_delegate)
    assert MeetingRequest.objects.get(pk=req.pk).status == "cancelled"


# --- programme set-up -----------------------------------------------------------------------------------------
def test_slots_must_not_overlap_or_leave_the_event(event, organiser):
    services.slot_add(actor=organiser, event=event, starts_at=at(1, 10), ends_at=at(1, 10, 30))
    with pytest.raises(InvalidInput) as err:
        services.slot_add(actor=organiser, event=event, starts_at=at(1, 10, 15), ends_at=at(1, 10, 45))
    assert err.value.field == "starts_at" and "overlaps" in err.value.message
    with pytest.raises(InvalidInput) as err:
        services.slot_add(actor=organiser, event=event, starts_at=at(4, 10), ends_at=at(4, 11))
    assert "outside the event" in err.value.message
    with pytest.raises(InvalidInput):
        services.slot_add(actor=organiser, event=event, starts_at=at(1, 12), ends_at=at(1, 11))
    with pytest.raises(InvalidInput):  # the grid is all or nothing: its second slot overlaps
        services.slots_create_grid(
            actor=organiser, event=event, day=event.starts_on, first_start=dt.time(9, 30), count=3, minutes=30
        )
    assert Slot.objects.filter(event=event).count() == 1


def test_grid_tables_interpreters(event, organiser):
    slots = services.slots_create_grid(
        actor=organiser, event=event, day=event.starts_on, first_start=dt.time(10), count=4, minutes=25, pause=5
    )
    assert [f"{s.starts_at.astimezone(event.tz):%H:%M}" for s in slots] == ["10:00", "10:30", "11:00", "11:30"]
    tables = services.tables_create(actor=organiser, event=event, count=3, seats=6, prefix="T")
    assert [t.name for t in tables] == ["T1", "T2", "T3"]
    i = services.interpreter_add(actor=organiser, event=event, name="Olga", language_pairs=["ru-en", "zh/ru"])
    assert i.language_pairs == ["en-ru", "ru-zh"]
    with pytest.raises(InvalidInput) as err:
        services.interpreter_add(actor=organiser, event=event, name="X", language_pairs=["en-en"])
    assert err.value.field == "language_pairs"


def test_session_room_clash_and_bounds(event, organiser, kazan_delegate):
    room = services.room_add(actor=organiser, event=event, name="Hall A", capacity=300)
    services.session_add(
        actor=organiser, event=event, title="Opening", starts_at=at(1, 9), ends_at=at(1, 10), room=room,
        speakers=[kazan_delegate],
    )  # fmt: skip
    with pytest.raises(Conflict) as err:
        services.session_add(
            actor=organiser, event=event, title="Clash", starts_at=at(1, 9, 30), ends_at=at(1, 11), room=room
        )
    assert err.value.field == "room"
    with pytest.raises(InvalidInput):
        services.session_add(actor=organiser, event=event, title="Late", starts_at=at(3, 9), ends_at=at(3, 10))


def test_programme_setup_is_for_organisers(event, kazan_coordinator):
    with pytest.raises(PermissionDenied):
        services.slot_add(actor=kazan_coordinator, event=event, starts_at=at(1, 10), ends_at=at(1, 11))
    with pytest.raises(PermissionDenied):
        services.tables_create(actor=kazan_coordinator, event=event, count=1)
    assert not Slot.objects.exists()
