"""The model → scheduling Instance conversion and back, and a small build → validate → pin → rebuild → publish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.forum import services
from cityexchange.forum.models import Meeting, ScheduleRun
from cityexchange.forum.scheduler import assignments_of, build_instance
from cityexchange.forum.scheduling.validator import validate
from cityexchange.forum.selectors import agenda_for
from tests.forum.factories import MeetingRequestFactory, RegistrationFactory, at, grid

pytestmark = pytest.mark.django_db


def test_conversion_maps_availability_sessions_delegations_languages(event, organiser, kazan, kazan_delegate):
    grid(event, days=2, per_day=4)
    late = RegistrationFactory(event=event, arrival=at(2, 0), departure=at(3, 0), languages=["zh"])
    d = services.city_delegation(event, kazan)
    deputy = RegistrationFactory(event=event, city=kazan, delegation=d, languages=["ru"])
    kazan_delegate.delegation = d
    kazan_delegate.save()
    RegistrationFactory(event=event, status="pending")  # not approved: not in the instance
    services.session_add(
        actor=organiser, event=event, title="Panel", starts_at=at(1, 10, 15), ends_at=at(1, 10, 45),
        speakers=[deputy],
    )  # fmt: skip
    services.interpreter_add(actor=organiser, event=event, name="Li", language_pairs=["ru-zh"])
    req = MeetingRequestFactory(requester=kazan_delegate, target=late, priority=3)
    MeetingRequestFactory(requester=kazan_delegate, target=late, status="pending")  # only accepted ones count
    conv = build_instance(event)
    inst = conv.instance
    inst.check()
    by_id = {x.id: x for x in inst.delegates}
    assert set(by_id) == {f"g{kazan_delegate.pk}", f"g{late.pk}", f"g{deputy.pk}"}
    day2 = {sid for sid, s in conv.slots.items() if s.starts_at >= at(2, 0)}
    assert by_id[f"g{late.pk}"].available == day2  # arrives on day 2
    assert by_id[f"g{late.pk}"].languages == {"zh"}
    # The panel 10:15–10:45 overlaps the 10:00 and 10:30 slots of day 1.
    assert {conv.slots[s].starts_at for s in by_id[f"g{deputy.pk}"].busy} == {at(1, 10), at(1, 10, 30)}
    assert by_id[f"g{deputy.pk}"].delegation == by_id[f"g{kazan_delegate.pk}"].delegation == f"d{d.pk}"
    assert by_id[f"g{deputy.pk}"].city == str(kazan.pk)
    assert [(r.id, r.requester, r.target, r.priority) for r in inst.requests] == [
        (f"r{req.pk}", f"g{kazan_delegate.pk}", f"g{late.pk}", 3)
    ]
    assert inst.interpreters[0].pairs == {("ru", "zh")} and inst.interpreters[0].available == set(conv.slots)
    assert inst.min_meetings_per_city == event.min_meetings_per_city
    assert "Kazan" in conv.explain(f"delegate 'g{kazan_delegate.pk}' is busy")


def _small_forum(event, n=6):
    grid(event, days=1, per_day=4, tables=2)
    regs = [RegistrationFactory(event=event) for _ in range(n)]
    reqs = [
        MeetingRequestFactory(requester=regs[i], target=regs[j], priority=1 + (i + j) % 3)
        for i in range(n)
        for j in range(i + 1, n)
        if (i + j) % 2 == 1
    ]
    return regs, reqs


def test_build_validate_pin_rebuild_publish(event, organiser, django_capture_on_commit_callbacks):
    regs, _reqs = _small_forum(event)
    run = services.schedule_build(actor=organiser, event=event, time_limit=5)
    assert run.status == "done", run.error
    assert run.is_valid and run.violations == []
    assert run.objective is not None and run.bound is not None and run.objective <= run.bound + 1e-6
    assert run.solver_status in {"OPTIMAL", "FEASIBLE"} and run.gap_pct is not None
    meetings = list(run.meetings.all())
    assert meetings and run.stats["meetings"] == len(meetings)
    # The stored run converts back into assignments the independent validator accepts.
    conv = build_instance(event)
    assert validate(conv.instance, assignments_of(run)) == []

    pinned = meetings[-1]
    services.meeting_pin(actor=organiser, meeting=pinned)
    # A change: the first delegate can only come in the afternoon now, and a new request is accepted.
    MeetingRequestFactory(requester=regs[0], target=regs[5], priority=3)
    run2 = services.schedule_build(actor=organiser, event=event, time_limit=5)
    assert run2.status == "done" and run2.number == run.number + 1 and run2.is_valid
    kept = Meeting.objects.get(run=run2, request=pinned.request)
    assert (kept.slot_id, kept.table_id, kept.pinned) == (pinned.slot_id, pinned.table_id, True)
    assert run2.stats["pinned"] == 1

    with pytest.raises(InvalidTransition):  # only the latest run
        services.schedule_publish(actor=organiser, event=event, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=organiser, event=event)
    event.refresh_from_db()
    assert event.published_run == run2
    assert len(mail.outbox) == len(regs)  # first publication: every approved delegate
    assert "published" in mail.outbox[0].subject
    with pytest.raises(InvalidTransition):
        services.schedule_publish(actor=organiser, event=event)
    items = agenda_for(regs[0])
    assert all(i.kind == "meeting" for i in items) and items

    # A later change notifies only the delegates whose meetings moved.
    mail.outbox.clear()
    services.meeting_request_cancel(actor=organiser, request=pinned.request)
    run3 = services.schedule_build(actor=organiser, event=event, time_limit=5)
    assert run3.stats["dropped_pins"] == [pinned.request_id]
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=organiser, event=event)
    notified = {m.to[0] for m in mail.outbox}
    assert {pinned.request.requester.user.email, pinned.request.target.user.email} <= notified
    assert all("changed" in m.subject for m in mail.outbox)
    assert len(notified) < len(regs) or len(mail.outbox) == len(notified)


def test_infeasible_pin_fails_the_run_with_a_clear_error(event, organiser):
    _regs, _ = _small_forum(event)
    run = services.schedule_build(actor=organiser, event=event, time_limit=5)
    m = run.meetings.select_related("request__requester").first()
    services.meeting_pin(actor=organiser, meeting=m)
    # The pinned delegate now leaves before the pinned slot.
    requester = m.request.requester
    requester.departure = m.slot.starts_at
    requester.save()
    run2 = services.schedule_build(actor=organiser, event=event, time_limit=5)
    assert run2.status == "failed" and not run2.is_valid
    assert "pinned" in run2.error and requester.city.name in run2.error
    # A failed run is not the draft: run 1 still is; unpinning there lets the next build move the meeting.
    services.meeting_pin(actor=organiser, meeting=m, pinned=False)
    run3 = services.schedule_build(actor=organiser, event=event, time_limit=5)
    assert run3.status == "done" and run3.is_valid
    assert not run3.meetings.filter(request=m.request, slot=m.slot).exists()


def test_build_refusals_and_preconditions(event, organiser, kazan_coordinator):
    with pytest.raises(InvalidInput) as err:
        services.schedule_build(actor=organiser, event=event)
    assert err.value.field == "slots"
    grid(event)
    with pytest.raises(InvalidInput) as err:
        services.schedule_build(actor=organiser, event=event)
    assert err.value.field == "requests"
    MeetingRequestFactory(requester=RegistrationFactory(event=event))
    with pytest.raises(InvalidInput) as err:
        services.schedule_build(actor=organiser, event=event, time_limit=10_000)
    assert err.value.field == "time_limit"
    with pytest.raises(PermissionDenied):
        services.schedule_build(actor=kazan_coordinator, event=event)
    ScheduleRun.objects.create(event=event, number=1, time_limit=5, status="running")
    with pytest.raises(Conflict):
        services.schedule_build(actor=organiser, event=event)
    assert ScheduleRun.objects.count() == 1


def test_only_organisers_pin_and_publish(event, organiser, kazan_coordinator):
    _small_forum(event, n=4)
    run = services.schedule_build(actor=organiser, event=event, time_limit=5)
    m = run.meetings.first()
    with pytest.raises(PermissionDenied):
        services.meeting_pin(actor=kazan_coordinator, meeting=m)
    with pytest.raises(PermissionDenied):
        services.schedule_publish(actor=kazan_coordinator, event=event)
    event.refresh_from_db()
    assert event.published_run is None and not Meeting.objects.get(pk=m.pk).pinned


def test_meeting_mark_held_after_it_started(event, organiser):
    _small_forum(event, n=4)
    run = services.schedule_build(actor=organiser, event=event, time_limit=5)
    m = run.meetings.first()
    with pytest.raises(InvalidTransition):  # not published yet
        services.meeting_mark_held(actor=organiser, meeting=m)
    services.schedule_publish(actor=organiser, event=event)
    with pytest.raises(InvalidTransition):  # in the future
        services.meeting_mark_held(actor=organiser, meeting=m)
    m.slot.starts_at = timezone.now() - dt.timedelta(hours=2)  # the forum is over
    m.slot.ends_at = m.slot.starts_at + dt.timedelta(minutes=30)
    m.slot.save()
    m = services.meeting_mark_held(actor=organiser, meeting=m, outcome="Study visit in March")
    assert m.held_at is not None and m.outcome == "Study visit in March" and m.cooperation_id is None
